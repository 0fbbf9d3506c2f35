"""The cadre race plan: milestones scheduled back from the decisive election day.

Pure: no discord, no database, no clock reads (`today` is passed in, the chapter's local
date). The default steps live in `cadre_timeline.toml` beside this module, each with the
source of its offset. Dates are calendar days in the chapter's timezone.

A plan made two years or more before the election uses the default offsets. A plan made
later is *compressed*: the month-scale steps ("N months") scale into the time left before
the day-scale ones, keeping their order and proportions, while the day-scale steps ("N
days": get-out-the-vote is the last two weeks) keep their length. A day-scale step that no
longer fits starts on the plan's first day, and `cut_short` says so instead of shrinking it
silently. Nothing lands before today.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from bot.domain.errors import InputError
from bot.domain.hygiene import tidy

NAME_MAX = 80
MILESTONES_MAX = 40
DEFAULT_REMINDER_DAYS: tuple[int, ...] = (30, 7, 1)
DEFAULT_REMINDER_TIME = time(10, 0)
REMINDER_DAYS_MAX = 365
_OFFSET = re.compile(r"^(\d{1,3}) (months|days)$")


class PlanInputError(InputError):
    """A plan or milestone change breaks a rule; `str()` says which, in plain words."""


class MilestoneStatus(StrEnum):
    DONE = "done"
    UPCOMING = "upcoming"
    DUE = "due"  # today is its day, or inside its window
    OVERDUE = "overdue"
    UNDATED = "undated"  # the committee still has to enter its date

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True, slots=True)
class Step:
    """One default milestone, as the data file describes it."""

    key: str
    name: str
    source: str
    before: str | None = None
    same_day_as: str | None = None
    from_plan_start: bool = False
    committee_enters: bool = False
    until: str | None = None


@dataclass(frozen=True, slots=True)
class MilestoneDraft:
    """A milestone before it is stored. `on`: its day (a window's first day), None while
    the committee has not entered it; `until`: a window's last day."""

    key: str  # a default step's key, or "custom"
    name: str
    on: date | None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class Milestone:
    id: int
    plan_id: int
    key: str
    name: str
    on: date | None
    until: date | None
    done_on: date | None

    @property
    def last_day(self) -> date | None:
        return self.until or self.on

    def status(self, today: date) -> MilestoneStatus:
        """Done, undated, overdue (its last day passed), due (today is in it) or upcoming."""
        if self.done_on is not None:
            return MilestoneStatus.DONE
        if self.on is None:
            return MilestoneStatus.UNDATED
        last = self.last_day
        assert last is not None
        if last < today:
            return MilestoneStatus.OVERDUE
        if self.on <= today:
            return MilestoneStatus.DUE
        return MilestoneStatus.UPCOMING


class MilestoneField(StrEnum):
    """What one command changes in a milestone: each is written on its own, so two members
    changing different fields at once both keep their change."""

    NAME = "name"
    DATES = "dates"
    DONE = "done"


def changed_since(seen: Milestone, current: Milestone) -> frozenset[MilestoneField]:
    """The fields of a milestone that differ between what a member read (`seen`) and what is
    stored now (`current`): what another member changed in between."""
    changed = set()
    if seen.name != current.name:
        changed.add(MilestoneField.NAME)
    if (seen.on, seen.until) != (current.on, current.until):
        changed.add(MilestoneField.DATES)
    if seen.done_on != current.done_on:
        changed.add(MilestoneField.DONE)
    return frozenset(changed)


@dataclass(frozen=True, slots=True)
class PlanDraft:
    starts: date
    election: date
    compressed: bool
    milestones: tuple[MilestoneDraft, ...]
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    reminder_time: time = DEFAULT_REMINDER_TIME


@dataclass(frozen=True, slots=True)
class Plan:
    id: int
    guild_id: int
    race_id: int
    starts: date
    election: date
    compressed: bool
    reminder_days: tuple[int, ...]
    reminder_time: time
    created_at: datetime


# ----------------------------------------------------------------------------- defaults


@lru_cache(maxsize=1)
def default_steps() -> tuple[Step, ...]:
    """The default timeline from `cadre_timeline.toml`, in the file's order."""
    text = resources.files("bot.domain").joinpath("cadre_timeline.toml").read_text("utf-8")
    return tuple(Step(**raw) for raw in tomllib.loads(text)["step"])


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the last day when that month is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def offset_days(text: str, election: date) -> int:
    """Days before `election` that an offset like "24 months" or "14 days" names."""
    match = _OFFSET.match(text)
    if match is None:
        raise ValueError(f"bad offset {text!r} in the default timeline")
    amount, unit = int(match[1]), match[2]
    if unit == "days":
        return amount
    return (election - months_before(election, amount)).days


def _day_scale(offset: str) -> bool:
    return offset.endswith("days")


def build_default(election: date, *, today: date, steps: Sequence[Step] | None = None) -> PlanDraft:
    """The default plan for a race decided on `election`, made on `today`.

    Compressed when today is later than the earliest default step: the month-scale steps
    are scaled into the days left before the longest day-scale step (GOTV), which keeps
    its length; every dated milestone falls on or after today.
    """
    if election <= today:
        raise PlanInputError(
            f"The race's election ({election.isoformat()}) is not in the future: a plan leads "
            "up to an election still to come."
        )
    steps = tuple(steps if steps is not None else default_steps())
    offsets = [s.before for s in steps if s.before is not None]
    offsets += [s.until for s in steps if s.until is not None and _OFFSET.match(s.until)]
    full = max(offset_days(o, election) for o in offsets)
    floor = max((offset_days(o, election) for o in offsets if _day_scale(o)), default=0)
    left = (election - today).days
    scale = 1.0 if left >= full else max(left - floor, 0) / (full - floor)

    def back(offset: str) -> date:
        days = offset_days(offset, election)
        if not _day_scale(offset) and days > floor:
            days = floor + round((days - floor) * scale)
        return max(election - timedelta(days=days), today)

    dates = {s.key: back(s.before) for s in steps if s.before is not None}
    for step in steps:
        if step.same_day_as is not None:
            dates[step.key] = dates[step.same_day_as]
    milestones = tuple(_draft(step, dates, today, back) for step in steps)
    return PlanDraft(starts=today, election=election, compressed=scale < 1.0, milestones=milestones)


def _draft(
    step: Step, dates: dict[str, date], today: date, back: Callable[[str], date]
) -> MilestoneDraft:
    if step.committee_enters:
        return MilestoneDraft(step.key, step.name, None)
    on = today if step.from_plan_start else dates[step.key]
    until: date | None = None
    if step.until is not None:
        until = back(step.until) if _OFFSET.match(step.until) else dates[step.until]
    return MilestoneDraft(step.key, step.name, on, until)


def cut_short(starts: date, election: date, steps: Sequence[Step] | None = None) -> list[str]:
    """The day-scale steps a plan started on `starts` has no room for, in words: they are
    not shrunk to fit (a two-day get-out-the-vote is not a get-out-the-vote)."""
    left = (election - starts).days
    cut = []
    for step in steps if steps is not None else default_steps():
        if step.before is None or not _day_scale(step.before):
            continue
        days = offset_days(step.before, election)
        if days > left:
            cut.append(
                f"{step.name} takes the last {days} days before the election, but the plan "
                f"began {left} day{'' if left == 1 else 's'} before it."
            )
    return cut


# ---------------------------------------------------------------------------- validation


def check_name(name: str) -> str:
    """The milestone name, tidied (`hygiene.tidy`), if anything visible is left of it."""
    tidied = tidy(name)
    if not tidied:
        raise PlanInputError("Give the milestone a name, e.g. `Labor council endorsement`.")
    if len(tidied) > NAME_MAX:
        raise PlanInputError(f"A milestone name can be at most {NAME_MAX} characters.")
    return tidied


def check_dates(plan: Plan | PlanDraft, on: date, until: date | None, *, today: date) -> None:
    """Refuse a milestone date after the election, before the plan's start, or in the past;
    a window must end on or after its first day and by election day."""
    for day in (on, until):
        if day is None:
            continue
        if day > plan.election:
            raise PlanInputError(
                f"{day.isoformat()} is after the election ({plan.election.isoformat()}): a "
                "plan's milestones lead up to election day."
            )
        if day < plan.starts:
            raise PlanInputError(
                f"{day.isoformat()} is before the plan starts ({plan.starts.isoformat()}). "
                "To record something already achieved, mark its milestone done with that date."
            )
        if day < today:
            raise PlanInputError(
                f"{day.isoformat()} is in the past (today is {today.isoformat()} in the "
                "chapter's timezone). To record something already achieved, mark it done."
            )
    if until is not None and until < on:
        raise PlanInputError(
            f"The window ends ({until.isoformat()}) before it starts ({on.isoformat()})."
        )


def check_done_date(done_on: date, *, today: date) -> None:
    """A milestone may be recorded done on any past day (before the plan, too), not later."""
    if done_on > today:
        raise PlanInputError(
            f"{done_on.isoformat()} has not come yet (today is {today.isoformat()}): mark a "
            "milestone done on the day it is achieved, or earlier."
        )


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """`"30, 7, 1"` -> (30, 7, 1): distinct whole days before a milestone, largest first."""
    parts = [p for p in re.split(r"[,\s]+", text.strip()) if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise PlanInputError(
            "Give reminder days as whole numbers of days before each milestone, e.g. `30, 7, 1`."
        )
    days = sorted({int(p) for p in parts}, reverse=True)
    if len(days) > 5 or days[0] > REMINDER_DAYS_MAX:
        raise PlanInputError(
            f"At most 5 reminders per milestone, each at most {REMINDER_DAYS_MAX} days before."
        )
    return tuple(days)


def parse_reminder_time(text: str) -> time:
    """`"10:00"` -> 10:00, the chapter's local time reminders post at."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise PlanInputError("Give the reminder time as HH:MM in the chapter's time, e.g. `10:00`.")
    return time(int(match[1]), int(match[2]))
