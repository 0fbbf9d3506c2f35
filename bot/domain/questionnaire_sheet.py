"""One candidate's questionnaire as stored: who may fill it, where it stands, its answers.

Pure: no discord, no database, no clock reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.questionnaire import RedLine, Template


class SheetStatus(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return {"open": "Being answered", "submitted": "Submitted", "published": "Published"}[
            self.value
        ]


class Reach(StrEnum):
    """How the candidate was reached: a DM; in the server (their DMs were closed, so they
    answer from `/questionnaire answer`); or the committee enters answers for them."""

    DM = "dm"
    SERVER = "server"
    COMMITTEE = "committee"


@dataclass(frozen=True, slots=True)
class Answer:
    key: str
    value: str
    valid: bool
    entered_by: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Sheet:
    id: int
    guild_id: int
    race_id: int
    candidate_id: int
    template_id: int
    template_version: int
    red_lines: tuple[RedLine, ...]
    respondent_id: int
    reached_via: Reach
    deadline: datetime | None
    status: SheetStatus
    sent_by: int
    sent_at: datetime
    submitted_at: datetime | None
    submitted_by: int | None
    published_at: datetime | None
    # The first press of Start or Resume (None: sent, not opened yet).
    opened_at: datetime | None = None
    # The publish job's post in the votes channel, once it went out (None before, and
    # cleared on reopen).
    post_channel_id: int | None = None
    post_message_id: int | None = None
    # Its jobs (bot/store/jobs.py: a feature row names each job it made): the deadline's
    # overdue notice, the last submit's report and the last publish's post.
    deadline_job_id: int | None = None
    report_job_id: int | None = None
    publish_job_id: int | None = None


@dataclass(frozen=True, slots=True)
class Filled:
    """A questionnaire with its form (template plus the red lines it asked) and answers."""

    sheet: Sheet
    form: Template
    answers: Mapping[str, Answer]

    def value(self, key: str) -> str | None:
        answer = self.answers.get(key)
        return answer.value if answer else None

    def valid_answers(self) -> dict[str, str]:
        return {k: a.value for k, a in self.answers.items() if a.valid}

    def missing(self) -> list[str]:
        """Labels of required questions without a valid answer: what blocks Submit."""
        return [
            q.label
            for q in self.form.questions
            if q.required and not (q.key in self.answers and self.answers[q.key].valid)
        ]

    def page_of(self, key: str) -> int:
        for number, page in enumerate(self.form.pages, start=1):
            if any(q.key == key for q in page):
                return number
        return 1
