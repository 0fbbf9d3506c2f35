"""Running a questionnaire cycle: where each candidate's questionnaire stands, and the
race's answers as one table for the committee's spreadsheet.

Pure: no discord, no database, no clock reads (`now` is passed in).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.classify import CriteriaReport
from bot.domain.questionnaire import display
from bot.domain.questionnaire_sheet import Filled, Reach, SheetStatus

REACH_LABEL = {
    Reach.DM: "reached by DM",
    Reach.SERVER: "reached in the server (DMs closed)",
    Reach.COMMITTEE: "answers entered by the committee",
}


@dataclass(frozen=True, slots=True)
class Progress:
    """One candidate's questionnaire as the committee follows it."""

    sent_at: datetime
    opened_at: datetime | None
    pages_answered: int
    pages: int
    status: SheetStatus
    submitted_at: datetime | None
    published_at: datetime | None
    deadline: datetime | None
    overdue: bool
    reached_via: Reach


def page_answered(filled: Filled, page: int) -> bool:
    """A page is answered when every question on it that needs an answer has a valid one
    (a page of only optional questions counts once any of them is answered)."""
    questions = filled.form.pages[page - 1]
    valid = {k for k, a in filled.answers.items() if a.valid}
    required = [q for q in questions if q.required]
    if required:
        return all(q.key in valid for q in required)
    return any(q.key in valid for q in questions)


def progress(filled: Filled, *, now: datetime) -> Progress:
    """Where the questionnaire stands at `now`. Overdue: its deadline passed and it is still
    open (a submitted or published one is never overdue, whenever it was submitted)."""
    sheet = filled.sheet
    pages = len(filled.form.pages)
    return Progress(
        sent_at=sheet.sent_at,
        opened_at=sheet.opened_at,
        pages_answered=sum(page_answered(filled, n) for n in range(1, pages + 1)),
        pages=pages,
        status=sheet.status,
        submitted_at=sheet.submitted_at,
        published_at=sheet.published_at,
        deadline=sheet.deadline,
        overdue=(
            sheet.status is SheetStatus.OPEN
            and sheet.deadline is not None
            and sheet.deadline <= now
        ),
        reached_via=sheet.reached_via,
    )


def export_table(
    entries: Sequence[tuple[str, Filled | None, CriteriaReport]],
) -> list[list[str]]:
    """(candidate name, questionnaire or None if never sent, criteria report) -> rows: a
    header, then one row per candidate. Columns: candidate, status, template version, the
    proposed category and each criterion's verdict, then one column per question by its
    stable key, across every template version the race's questionnaires were sent with
    (a question a version did not ask is empty for that candidate). Answers are whole, as
    a reader sees them (option labels, not values)."""
    questions: dict[str, str] = {}
    for _, filled, _ in entries:
        for question in filled.form.questions if filled else ():
            # A red line's label is cut to 45 characters; its full wording is the description.
            asked = question.description if question.red_line else question.label
            questions.setdefault(question.key, asked or question.label)
    criteria: dict[str, None] = {}
    for _, _, report in entries:
        for check in report.checks:
            for criterion in check.criteria:
                criteria.setdefault(f"{check.category.label}: {criterion.label}")
    header = ["Candidate", "Status", "Template version", "Proposed category", "Reason"]
    header += list(criteria)
    header += [f"{label} [{key}]" for key, label in questions.items()]
    rows = [header]
    for name, filled, report in entries:
        verdicts = {
            f"{check.category.label}: {c.label}": c.status.value
            for check in report.checks
            for c in check.criteria
        }
        row = [
            name,
            filled.sheet.status.label if filled else "Not sent",
            str(filled.sheet.template_version) if filled else "",
            report.category.label,
            report.reason,
        ]
        row += [verdicts.get(column, "") for column in criteria]
        for key in questions:
            question = filled.form.question(key) if filled else None
            answer = filled.value(key) if filled else None
            row.append(display(question, answer) if question and answer else "")
        rows.append(row)
    return rows
