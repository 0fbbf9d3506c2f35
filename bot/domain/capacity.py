"""The doors a race needs and the doors a chapter can knock ("work backward from the doors").

Pure: no discord, no database, no clock reads (`now`/`today` are passed in). Every default
lives in `capacity_defaults.toml` beside this module, each with its source; `DEFAULTS` holds
them. Validation raises `CapacityInputError` (a `ValueError`) with a message a member can act
on; the service turns it into `bot.errors.InvalidInput`.

- Win number from expected turnout: a two-way race needs 50% + 1; a crowded primary the
  committee's expected winning share + 1; a ranked-choice race a majority of the ballots
  still continuing in the final round.
- Doors needed, two models: empirical (win number x doors per vote) and funnel
  ((win number - base votes) / (contact rate x support rate) x passes).
- Chapter capacity a week = sign-ups x show rate x shifts per canvasser x doors per shift;
  over a race, times the weeks until its decisive election in the chapter's timezone.
  Once shifts are logged in enough of the last weeks (`pace_min_weeks` of `pace_weeks`),
  the pace measured over them replaces the estimate; until then the estimate stands.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.errors import InputError
from bot.domain.races import Race, local_today
from bot.domain.timeparse import zone


class CapacityInputError(InputError):
    """A capacity figure breaks a rule; `str()` says which and what would be accepted."""


@dataclass(frozen=True, slots=True)
class Default:
    value: float
    source: str


def load_defaults() -> dict[str, Default]:
    """The model's defaults from the packaged `capacity_defaults.toml`, each with its source."""
    text = resources.files("bot.domain").joinpath("capacity_defaults.toml").read_text("utf-8")
    return {
        name: Default(float(entry["value"]), " ".join(str(entry["source"]).split()))
        for name, entry in tomllib.loads(text).items()
    }


DEFAULTS = load_defaults()

# Upper bounds that catch a slipped finger (10^12 doors) with a message, not a silly ledger.
TURNOUT_MAX = 200_000_000  # more voters than any election a chapter would work on
SIGNUPS_MAX = 100_000
SHIFTS_MAX = 14.0  # two a day
DOORS_PER_SHIFT_MAX = 500
DOORS_PER_VOTE_MAX = 100.0
PASSES_MAX = 10
PAST_TURNOUTS_MAX = 3
SHIFT_DOORS_MAX = 1_000  # one canvasser's shift
WHOLE_SHIFT_DOORS_MAX = 100_000  # a committee logging a whole shift of canvassers


class WinRule(StrEnum):
    TWO_WAY = "two_way"
    CROWDED = "crowded"
    RANKED = "ranked"

    @property
    def label(self) -> str:
        return {
            WinRule.TWO_WAY: "Two-way race (50% + 1)",
            WinRule.CROWDED: "Crowded primary (expected winning share)",
            WinRule.RANKED: "Ranked-choice (majority of final-round ballots)",
        }[self]


class DoorModel(StrEnum):
    EMPIRICAL = "empirical"
    FUNNEL = "funnel"

    @property
    def label(self) -> str:
        return {DoorModel.EMPIRICAL: "Doors per vote", DoorModel.FUNNEL: "Contact funnel"}[self]


@dataclass(frozen=True, slots=True)
class ChapterCapacity:
    """What the committee says its canvass can do in a week."""

    signups_per_week: int
    shifts_per_week: float  # per canvasser who shows up
    show_rate: float = DEFAULTS["show_rate"].value
    doors_per_shift: int = int(DEFAULTS["doors_per_shift"].value)

    @property
    def doors_per_week(self) -> float:
        """Sign-ups x show rate x shifts x doors per shift (show rate: on sign-ups only)."""
        return self.signups_per_week * self.show_rate * self.shifts_per_week * self.doors_per_shift


@dataclass(frozen=True, slots=True)
class RaceFigures:
    """The committee's figures for one race; None means "use the default" where one exists."""

    turnout: int | None = None
    past_turnouts: tuple[int, ...] = ()
    win_rule: WinRule = WinRule.TWO_WAY
    winning_share: float | None = None  # crowded primary only
    base_votes: int = 0
    model: DoorModel = DoorModel.EMPIRICAL
    doors_per_vote: float | None = None
    contact_rate: float | None = None
    support_rate: float | None = None
    passes: int | None = None
    renewable: bool = False
    margin: float | None = None  # expected margin, percentage points (priority among equals)
    # "very likely to win ... without the needed doors" (a safe incumbent): not counted
    likely_win: bool = False

    @property
    def expected_turnout(self) -> int:
        """The turnout given, else the mean of the past elections (rounded)."""
        if self.turnout is not None:
            return self.turnout
        return round(sum(self.past_turnouts) / len(self.past_turnouts))


@dataclass(frozen=True, slots=True)
class DoorsEstimate:
    """A race's win number and the doors each model says it needs; `doors` is the chosen one."""

    expected_turnout: int
    win_number: int
    doors_per_vote: float
    empirical: int
    contact_rate: float
    support_rate: float | None
    passes: int
    funnel: int | None  # None until the committee sets a support rate
    model: DoorModel

    @property
    def doors(self) -> int:
        if self.model is DoorModel.FUNNEL and self.funnel is not None:
            return self.funnel
        return self.empirical


def win_number(
    expected: int,
    rule: WinRule,
    *,
    share: float | None = None,
    exhausted: float = DEFAULTS["ranked_exhausted_share"].value,
) -> int:
    """Votes needed to win out of `expected` ballots cast.

    Two-way: half + 1. Crowded primary: `share` of the votes + 1 (a plurality estimate the
    committee sets). Ranked-choice: half + 1 of the ballots still continuing in the final
    round, `exhausted` being the share that ranked nobody left by then.
    """
    if rule is WinRule.CROWDED:
        if share is None:
            raise CapacityInputError(
                "A crowded primary needs the expected winning share, e.g. `35%`."
            )
        return math.floor(expected * share) + 1
    continuing = expected * (1 - exhausted) if rule is WinRule.RANKED else expected
    return math.floor(continuing / 2) + 1


def doors_empirical(win: int, doors_per_vote: float) -> int:
    """Win number x doors knocked per vote received."""
    return math.ceil(win * doors_per_vote)


def doors_funnel(win: int, base: int, contact: float, support: float, passes: int) -> int:
    """(Win number - base votes) / (contact rate x support rate) x passes; 0 when the base
    alone wins."""
    return math.ceil(max(win - base, 0) / (contact * support) * passes)


def estimate(figures: RaceFigures) -> DoorsEstimate:
    """Both door models for `figures`, defaults filled in."""
    expected = figures.expected_turnout
    win = win_number(expected, figures.win_rule, share=figures.winning_share)
    per_vote = _or(figures.doors_per_vote, "doors_per_vote")
    contact = _or(figures.contact_rate, "contact_rate")
    passes = int(_or(figures.passes, "passes"))
    funnel = None
    if figures.support_rate is not None:
        funnel = doors_funnel(win, figures.base_votes, contact, figures.support_rate, passes)
    return DoorsEstimate(
        expected_turnout=expected,
        win_number=win,
        doors_per_vote=per_vote,
        empirical=doors_empirical(win, per_vote),
        contact_rate=contact,
        support_rate=figures.support_rate,
        passes=passes,
        funnel=funnel,
        model=figures.model,
    )


def _or(value: float | None, name: str) -> float:
    return DEFAULTS[name].value if value is None else value


# --------------------------------------------------------------------------- time and pace


def weeks_until(day: date, *, now: datetime, tz: str | ZoneInfo) -> float:
    """Weeks from the chapter's local today to `day` (its election), never negative."""
    return max((day - local_today(now, tz)).days, 0) / 7


def pace_window(today: date, weeks: int = int(DEFAULTS["pace_weeks"].value)) -> tuple[date, date]:
    """The first and last local day of the measured-pace window ending `today`."""
    return today - timedelta(days=7 * weeks - 1), today


def measured_pace(
    shifts: Iterable[tuple[date, int]],
    today: date,
    weeks: int = int(DEFAULTS["pace_weeks"].value),
) -> float | None:
    """Doors a week over the last `weeks` weeks of logged shifts (day, doors); None when
    nothing was logged in that window."""
    first, last = pace_window(today, weeks)
    inside = [doors for day, doors in shifts if first <= day <= last]
    if not inside:
        return None
    return sum(inside) / weeks


def weeks_logged(
    shifts: Iterable[tuple[date, int]],
    today: date,
    weeks: int = int(DEFAULTS["pace_weeks"].value),
) -> int:
    """How many of the last `weeks` weeks (7-day spans ending `today`) have logged doors."""
    first, last = pace_window(today, weeks)
    return len({(last - day).days // 7 for day, doors in shifts if first <= day <= last and doors})


def uses_measured(logged_weeks: int) -> bool:
    """Whether the measured pace rests on enough weeks of logs to replace the estimate
    (`pace_min_weeks` of the `pace_weeks`); before that the ledger keeps the estimate."""
    return logged_weeks >= DEFAULTS["pace_min_weeks"].value


# ------------------------------------------------------------------------------ validation


def validate_chapter(capacity: ChapterCapacity) -> ChapterCapacity:
    """`capacity` if every figure is plausible; else `CapacityInputError` saying which."""
    _count("Sign-ups a week", capacity.signups_per_week, 1, SIGNUPS_MAX)
    _bounded("Shifts per canvasser a week", capacity.shifts_per_week, SHIFTS_MAX)
    _rate("The show rate", capacity.show_rate)
    _count("Doors per shift", capacity.doors_per_shift, 1, DOORS_PER_SHIFT_MAX)
    return capacity


def merge_figures(
    stored: RaceFigures | None, given: Mapping[str, Any], *, reset_rates: bool = False
) -> RaceFigures:
    """A race's figures after a change that gave only `given` (field name -> value): every
    field the member left out keeps its `stored` value (defaults for a race with none).
    `reset_rates` first puts the door model and its rates back to the defaults."""
    base = stored or RaceFigures()
    if reset_rates:
        base = replace(
            base, model=DoorModel.EMPIRICAL, doors_per_vote=None, contact_rate=None,
            support_rate=None, passes=None,
        )  # fmt: skip
    return replace(base, **given)


def validate_figures(figures: RaceFigures) -> RaceFigures:
    """`figures` if they describe a race the model can work with; else `CapacityInputError`."""
    _check_turnout(figures.turnout, figures.past_turnouts)
    if figures.win_rule is WinRule.CROWDED:
        if figures.winning_share is None:
            raise CapacityInputError(
                "A crowded primary needs the expected winning share, e.g. `winning_share: 35%`."
            )
        _rate("The winning share", figures.winning_share)
    _count("Base votes", figures.base_votes, 0, TURNOUT_MAX)
    expected = figures.expected_turnout
    if figures.base_votes >= expected:
        raise CapacityInputError(
            f"Base votes ({figures.base_votes:,}) must be fewer than the expected turnout "
            f"({expected:,}): nobody is counted on before the race is won."
        )
    if figures.doors_per_vote is not None:
        _bounded("Doors per vote", figures.doors_per_vote, DOORS_PER_VOTE_MAX)
    for name, rate in (
        ("The contact rate", figures.contact_rate),
        ("The support rate", figures.support_rate),
    ):
        if rate is not None:
            _rate(name, rate)
    if figures.passes is not None:
        _count("Passes", figures.passes, 1, PASSES_MAX)
    if figures.model is DoorModel.FUNNEL and figures.support_rate is None:
        raise CapacityInputError(
            "The funnel model needs a support rate (the share of answered doors who back "
            "the candidate), e.g. `support_rate: 60%`."
        )
    return figures


def validate_shift(doors: int, *, whole_shift: bool) -> int:
    """Doors of one logged shift, if plausible."""
    limit = WHOLE_SHIFT_DOORS_MAX if whole_shift else SHIFT_DOORS_MAX
    _count("Doors", doors, 1, limit)
    return doors


def _check_turnout(turnout: int | None, past: Sequence[int]) -> None:
    if turnout is None and not past:
        raise CapacityInputError(
            "Give the expected turnout, or up to three past turnouts of comparable elections "
            "(same office, same kind of cycle), e.g. `past_turnouts: 21000 19500 24000`."
        )
    if len(past) > PAST_TURNOUTS_MAX:
        raise CapacityInputError(f"Give at most {PAST_TURNOUTS_MAX} past turnouts.")
    for value in ([turnout] if turnout is not None else []) + list(past):
        _count("A turnout", value, 1, TURNOUT_MAX)


def _count(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise CapacityInputError(f"{name} must be a whole number from {low:,} to {high:,}.")


def _bounded(name: str, value: float, high: float) -> None:
    if not (math.isfinite(value) and 0 < value <= high):
        raise CapacityInputError(f"{name} must be more than 0 and at most {high:g}.")


def _rate(name: str, value: float) -> None:
    if not (math.isfinite(value) and 0 < value <= 1):
        raise CapacityInputError(f"{name} must be more than 0% and at most 100%.")


def parse_rate(text: str) -> float:
    """`25%`, `25` or `0.25` as a fraction; `CapacityInputError` if unreadable or out of range.

    A bare number above 1 is read as a percentage, so `25` and `25%` agree.
    """
    raw = text.strip().removesuffix("%").strip()
    try:
        value = float(raw)
    except ValueError:
        raise CapacityInputError(f"“{text}” is not a rate: write it like `25%`.") from None
    if text.strip().endswith("%") or value > 1:
        value /= 100
    if not (math.isfinite(value) and 0 < value <= 1):
        raise CapacityInputError(
            f"“{text}” is out of range: a rate must be more than 0% and at most 100%."
        )
    return value


def parse_turnouts(text: str) -> tuple[int, ...]:
    """Past turnouts as typed (`21000 19,500; 24000`), at most three."""
    parts = [p for p in text.replace(";", " ").replace("/", " ").split() if p]
    try:
        values = tuple(int(p.replace(",", "").replace("_", "")) for p in parts)
    except ValueError:
        raise CapacityInputError(
            f"“{text}” is not a list of turnouts: write whole numbers, e.g. `21000 19500 24000`."
        ) from None
    _check_turnout(None, values)
    return values


@dataclass(frozen=True, slots=True)
class PaceCheck:
    """A race's weekly need against the pace measured for it."""

    remaining: int  # doors still to knock
    weeks_left: float
    averaged: float | None  # doors a week over the pace window; None when nothing logged

    @property
    def needed_per_week(self) -> int:
        if self.weeks_left <= 0:
            return self.remaining
        return math.ceil(self.remaining / self.weeks_left)

    @property
    def behind(self) -> bool:
        """Behind plan: doors remain and the measured pace (0 if none) is below the need."""
        return self.remaining > 0 and (self.averaged or 0.0) < self.needed_per_week


def pace_check(
    needed: int, knocked: int, *, weeks_left: float, averaged: float | None
) -> PaceCheck:
    """How a race stands: `needed` doors in all, `knocked` logged so far."""
    return PaceCheck(max(needed - knocked, 0), weeks_left, averaged)


@dataclass(frozen=True, slots=True)
class CanvassShift:
    """Doors logged for one shift (or, by the committee, a whole shift of canvassers)."""

    id: int
    guild_id: int
    race_id: int | None
    member_id: int  # who logged it
    canvassers: int
    doors: int
    day: date  # the chapter's local calendar
    logged_at: datetime


# The weekly pace job: Monday 10:00 in the chapter's timezone (issue 16).
PACE_WEEKDAY = 0
PACE_TIME = time(10, 0)


def next_pace_run(now: datetime, tz: str | ZoneInfo) -> datetime:
    """The first Monday 10:00 in the chapter's timezone strictly after `now`."""
    chapter_zone = zone(tz)
    local = now.astimezone(chapter_zone)
    day = local.date() + timedelta(days=(PACE_WEEKDAY - local.weekday()) % 7)
    run = datetime.combine(day, PACE_TIME, tzinfo=chapter_zone)
    if run <= now:
        run = datetime.combine(day + timedelta(days=7), PACE_TIME, tzinfo=chapter_zone)
    return run


def require_election(race: Race, today: date) -> date:
    """The race's decisive election day, if it has one still ahead of `today`."""
    if race.general_date is None and not (race.decided_in_primary and race.primary_date):
        raise CapacityInputError(
            f"**{race.office}** has no election date: set it with `/race edit` first."
        )
    day = race.decisive_date
    if day < today:
        raise CapacityInputError(
            f"The election of **{race.office}** ({day.isoformat()}) is already past: there are "
            "no doors left to plan for it."
        )
    return day
