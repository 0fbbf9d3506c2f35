"""What a scheduled job's handler is given (`JobContext`) and reports (`JobOutcome`), and
the retry `backoff`: the contract of `bot/scheduler.py`, which re-exports them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.store.jobs import Job


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """What a handler reports; build it with `JobOutcome.done(...)`, `.missed(...)`,
    `.failed(...)` or `.retry(...)`."""

    state: Literal["done", "missed", "failed", "retry"]
    note: str | None = None
    retry_at: datetime | None = None

    @classmethod
    def done(cls, note: str | None = None) -> JobOutcome:
        return cls("done", note)

    @classmethod
    def missed(cls, note: str | None = None) -> JobOutcome:
        return cls("missed", note)

    @classmethod
    def failed(cls, note: str) -> JobOutcome:
        """Given up for good (settled `failed`), e.g. Discord denies the bot the channel."""
        return cls("failed", note)

    @classmethod
    def retry(cls, at: datetime, note: str) -> JobOutcome:
        """Run the same job again at `at` (it survives restarts like any pending row)."""
        return cls("retry", note, at)


def backoff(attempt: int, *, first: timedelta, cap: timedelta) -> timedelta:
    """The wait before retry number `attempt + 1`: `first`, doubling, at most `cap`."""
    return min(first * (2 ** min(attempt, 32)), cap)


@dataclass(frozen=True, slots=True)
class JobContext:
    """What the handler needs to decide what to do with this run of the job."""

    now: datetime
    lateness: timedelta  # now - due_at, never negative
    late: bool  # lateness beyond ON_TIME_SLACK: e.g. the bot was down at the due time
    grace: timedelta | None  # the kind's grace window, as registered
    recovering: bool  # found `running` at start-up: look for job.marker before posting
    attempt: int = 0  # how many times this job asked for a retry before this run

    @property
    def past_grace(self) -> bool:
        """Too late for a kind with a grace window (a reminder): report it missed instead."""
        return self.grace is not None and self.lateness > self.grace


JobHandler = Callable[[Job, JobContext], Awaitable[JobOutcome | None]]
