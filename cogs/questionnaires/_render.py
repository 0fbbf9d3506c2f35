"""What the questionnaire feature shows: the invitation, the review, the summary and
criteria report embeds, the full answers as Markdown, and the compare table (Markdown, CSV).

Full answers (up to 4000 characters each) only ever go in attachments; embeds carry
clipped text, so no answer can break an embed limit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

import discord

from bot.domain import discord_limits as limits
from bot.domain.classify import Category, CriteriaReport, Status
from bot.domain.questionnaire import display
from bot.domain.questionnaire_sheet import Filled, Reach, SheetStatus
from bot.domain.races import Candidate, Race
from cogs._text import clip, timestamp

DESCRIPTION_MAX = 4000
REVIEW_ANSWER_MAX = 120
_MARK = {Status.MET: "✅", Status.NOT_MET: "❌", Status.UNKNOWN: "❔"}
_COLOUR = {
    Category.CADRE: discord.Colour.green(),
    Category.INCUMBENT: discord.Colour.green(),
    Category.CLASS_STRUGGLE: discord.Colour.blue(),
    Category.UNDECIDED: discord.Colour.light_grey(),
    Category.NEITHER: discord.Colour.orange(),
    Category.DO_NOT_ENDORSE: discord.Colour.red(),
}


def invitation(race: Race, filled: Filled, chapter: str) -> str:
    pages = len(filled.form.pages)
    deadline = filled.sheet.deadline
    due = f" Please submit it by {timestamp(deadline, 'F')}." if deadline else ""
    return (
        f"**{chapter}** invites you to answer its endorsement questionnaire for "
        f"**{race.label}**: {len(filled.form.questions)} questions on {pages} pages.{due}\n"
        "Every page is saved when you press Submit on it, so you can stop and come back: "
        "press **Resume** here, or run `/questionnaire answer` in the server. Only you and "
        "the chapter's electoral committee read your answers until the committee publishes "
        "them to members."
    )


def page_saved(filled: Filled, page: int, problems: Sequence[str]) -> str:
    total = len(filled.form.pages)
    if problems:
        reasons = "\n".join(f"• {p}" for p in problems)
        return clip(
            f"Page {page} of {total} is saved as you typed it, but some answers need fixing:\n"
            f"{reasons}\nPress **Fix page {page}**: what you typed is filled in.",
            limits.MESSAGE_CONTENT,
        )
    if page == total:
        return f"Page {page} of {total} saved. That was the last page: **Review** and submit."
    return f"Page {page} of {total} saved."


def review(filled: Filled, candidate: Candidate) -> discord.Embed:
    lines: list[str] = []
    for number, page in enumerate(filled.form.pages, start=1):
        lines.append(f"__Page {number}__")
        for question in page:
            answer = filled.answers.get(question.key)
            shown = display(question, answer.value if answer else None)
            flag = " ⚠️ *needs fixing*" if answer and not answer.valid else ""
            lines.append(f"**{question.label}** {clip(shown, REVIEW_ANSWER_MAX)}{flag}")
    embed = discord.Embed(
        title=clip(f"Your answers: {candidate.name}", limits.EMBED_TITLE),
        description=clip("\n".join(lines), DESCRIPTION_MAX),
    )
    missing = filled.missing()
    footer = (
        f"Still to answer: {len(missing)}. Submit locks your answers."
        if missing
        else "Everything is answered. Submit locks your answers."
    )
    return embed.set_footer(text=footer)


def answers_markdown(filled: Filled, race: Race, candidate: Candidate) -> str:
    sheet = filled.sheet
    head = [
        f"# {candidate.name}: {race.label}",
        "",
        f"Questionnaire “{filled.form.name}”, template version {sheet.template_version}.",
        f"Status: {sheet.status.label}.",
    ]
    if sheet.reached_via is Reach.COMMITTEE:
        head.append(f"Answers entered by committee member <@{sheet.respondent_id}> for them.")
    body: list[str] = []
    for number, page in enumerate(filled.form.pages, start=1):
        body += ["", f"## Page {number}"]
        for question in page:
            answer = filled.answers.get(question.key)
            # A red line's full wording is its description (its label is cut to 45 chars);
            # other descriptions are hints for the candidate, not the question.
            asked = question.description if question.red_line else question.label
            tag = f" (red line: required answer {question.red_line})" if question.red_line else ""
            body += ["", f"**{asked or question.label}**{tag}", ""]
            body.append(display(question, answer.value if answer else None))
    return "\n".join(head + body) + "\n"


def answers_file(filled: Filled, race: Race, candidate: Candidate) -> discord.File:
    text = answers_markdown(filled, race, candidate)
    name = f"questionnaire-{candidate.id}.md"
    return discord.File(io.BytesIO(text.encode("utf-8")), filename=name)


def summary(
    filled: Filled,
    race: Race,
    candidate: Candidate,
    report: CriteriaReport | None,
    *,
    marker: str | None = None,
) -> discord.Embed:
    sheet = filled.sheet
    embed = discord.Embed(
        title=clip(f"Questionnaire: {candidate.name} ({race.label})", limits.EMBED_TITLE),
        description=f"{sheet.status.label}. The full answers are in the attached file.",
        colour=_COLOUR[report.category] if report else None,
    )
    if sheet.submitted_at is not None:
        embed.add_field(name="Submitted", value=timestamp(sheet.submitted_at, "f"))
    if sheet.reached_via is Reach.COMMITTEE:
        embed.add_field(name="Entered by", value=f"<@{sheet.respondent_id}> (committee)")
    embed.add_field(name="Template", value=f"version {sheet.template_version}")
    if report is not None:
        embed.add_field(
            name=f"Proposed: {report.category.label}",
            value=clip(report.reason, limits.EMBED_FIELD_VALUE),
            inline=False,
        )
    if marker:
        embed.set_footer(text=f"questionnaire {sheet.id} · {marker}")
    return embed


def criteria(
    report: CriteriaReport, candidate: Candidate, *, capacity_warning: str | None = None
) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"Criteria report: {candidate.name}", limits.EMBED_TITLE),
        description=clip(
            f"**Proposed: {report.category.label}.** {report.reason}\n"
            "The bot advises; members decide by vote.",
            DESCRIPTION_MAX,
        ),
        colour=_COLOUR[report.category],
    )
    lines = [
        f"❌ “{line.question}” (required: {line.required})" for line in report.red_lines_crossed
    ]
    lines += [
        f"❔ “{line.question}” not asked yet: adopted after the questionnaire went out"
        if line.added_later
        else f"❔ “{line.question}” not answered"
        for line in report.red_lines_unanswered
    ]
    if any(line.added_later for line in report.red_lines_unanswered):
        lines.append(
            "It is added to the questionnaire: the candidate answers it on the red-line page "
            "(reopen a submitted questionnaire first)."
        )
    embed.add_field(
        name="Red lines",
        value=clip("\n".join(lines) or "None crossed.", limits.EMBED_FIELD_VALUE),
        inline=False,
    )
    for check in report.checks:
        rows = [f"{_MARK[c.status]} {c.label}: {c.source}" for c in check.criteria]
        embed.add_field(
            name=check.category.label,
            value=clip("\n".join(rows), limits.EMBED_FIELD_VALUE),
            inline=False,
        )
    if capacity_warning:
        embed.add_field(
            name="⚠️ Capacity", value=clip(capacity_warning, limits.EMBED_FIELD_VALUE), inline=False
        )
    return embed


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def compare_rows(race: Race, entries: Sequence[tuple[Candidate, Filled]]) -> list[list[str]]:
    """One row per question (in the first questionnaire's order), one column per candidate."""
    keys: dict[str, str] = {}
    for _, filled in entries:
        for question in filled.form.questions:
            keys.setdefault(question.key, question.label)
    rows = [["Question", *(c.name for c, _ in entries)]]
    rows.append(["Status", *(f.sheet.status.label for _, f in entries)])
    for key, label in keys.items():
        row = [label]
        for _, filled in entries:
            question = filled.form.question(key)
            row.append(display(question, filled.value(key)) if question else "(not asked)")
        rows.append(row)
    return rows


def compare_files(race: Race, entries: Sequence[tuple[Candidate, Filled]]) -> list[discord.File]:
    rows = compare_rows(race, entries)
    markdown = [f"# {race.label}: questionnaires side by side", ""]
    markdown.append("| " + " | ".join(_cell(c) for c in rows[0]) + " |")
    markdown.append("|" + "---|" * len(rows[0]))
    markdown += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows[1:]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    stem = f"compare-race-{race.id}"
    return [
        discord.File(io.BytesIO(("\n".join(markdown) + "\n").encode()), filename=f"{stem}.md"),
        discord.File(io.BytesIO(out.getvalue().encode()), filename=f"{stem}.csv"),
    ]


def section(
    entries: Sequence[tuple[Candidate, Filled | None, Category | None]], committee: bool
) -> str:
    lines = []
    for candidate, filled, category in entries:
        if committee:
            state = filled.sheet.status.label if filled else "Not sent"
            if filled and filled.sheet.status is SheetStatus.OPEN:
                state += f" ({len(filled.missing())} to answer)"
            proposed = f"; proposed: {category.label}" if category else ""
            lines.append(f"**{candidate.name}**: {state}{proposed}")
        elif filled and filled.sheet.status is SheetStatus.PUBLISHED:
            lines.append(f"**{candidate.name}**: published; `/questionnaire read`")
    return "\n".join(lines)


def when(dt: datetime | None) -> str:
    return timestamp(dt, "f") if dt else "no deadline"


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    """Discord's link to a message (what `discord.Message.jump_url` gives)."""
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def vote_links(race: Race, published: Sequence[tuple[str, str | None]]) -> str:
    """(candidate name, link to the published post or None while it has not gone out):
    linked names, and the `/questionnaire read` hint while any has no post yet."""
    listed = ", ".join(f"[**{name}**]({url})" if url else f"**{name}**" for name, url in published)
    text = f"Read the published answers of {listed} before you vote"
    if all(url for _, url in published):
        return text + "."
    return text + f": `/questionnaire read race:{race.office}`."


def overdue(filled: Filled, race: Race, candidate: Candidate, *, marker: str) -> discord.Embed:
    """The committee's notice that a questionnaire's deadline passed without a submit."""
    questions = len(filled.form.questions)
    answered = sum(1 for q in filled.form.questions if q.key in filled.valid_answers())
    embed = discord.Embed(
        title=clip(f"Questionnaire overdue: {candidate.name} ({race.label})", limits.EMBED_TITLE),
        description=(
            f"The deadline passed without a submit: {answered} of {questions} "
            "questions answered. The candidate can still finish; send it again with "
            "`/questionnaire send` to set a new deadline."
        ),
        colour=discord.Colour.orange(),
    )
    return embed.set_footer(text=f"questionnaire {filled.sheet.id} · {marker}")
