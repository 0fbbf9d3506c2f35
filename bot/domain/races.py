"""The race register: an office in a district on a date, and the candidates running for it.

Pure: no discord, no database, no clock reads. Validation takes `today` (the chapter's local
date) and raises `RaceInputError` (a `ValueError`) with a message a member can act on; the
service layer turns it into `bot.errors.InvalidInput`.

Election dates are calendar days in the chapter's timezone: an election is a day, not an
instant. `election_day_end` gives the instant other features count down to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.errors import InputError
from bot.domain.hygiene import tidy, trim
from bot.domain.timeparse import parse_when, zone

OFFICE_MAX = 80
JURISDICTION_MAX = 80
CANDIDATE_NAME_MAX = 80
NOTES_MAX = 1000
SEATS_MAX = 50
# The option every endorsement vote adds to its ballot; a candidate may not take its name.
NO_ENDORSEMENT = "No endorsement"
CLEAR_WORDS = frozenset({"none", "no", "-", "clear"})


class RaceInputError(InputError):
    """A race or candidate the committee described breaks a rule; `str()` says which."""


class OfficeKind(StrEnum):
    EXECUTIVE = "executive"
    LEGISLATIVE = "legislative"
    JUDICIAL = "judicial"  # judicial or administrative
    PARTY = "party"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _OFFICE_LABELS[self]

    @property
    def symbolic(self) -> bool:
        """The strategy's "symbolic" offices: not executive or legislative power, so a cadre
        candidate is not run for them ("Cadre Elections")."""
        return self not in (OfficeKind.EXECUTIVE, OfficeKind.LEGISLATIVE)


_OFFICE_LABELS = {
    OfficeKind.EXECUTIVE: "Executive",
    OfficeKind.LEGISLATIVE: "Legislative",
    OfficeKind.JUDICIAL: "Judicial / administrative",
    OfficeKind.PARTY: "Party office",
    OfficeKind.OTHER: "Other",
}


class BallotLine(StrEnum):
    PARTISAN_PRIMARY = "partisan_primary"
    NONPARTISAN = "nonpartisan"
    GENERAL = "general"

    @property
    def label(self) -> str:
        return {
            BallotLine.PARTISAN_PRIMARY: "Partisan primary",
            BallotLine.NONPARTISAN: "Non-partisan",
            BallotLine.GENERAL: "General election",
        }[self]


class RaceStatus(StrEnum):
    EXPLORING = "exploring"
    ENDORSEMENT_OPEN = "endorsement_open"
    ENDORSED = "endorsed"
    NOT_ENDORSED = "not_endorsed"
    WON = "won"
    LOST = "lost"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class CandidateStatus(StrEnum):
    PROSPECTIVE = "prospective"
    QUESTIONNAIRE_SENT = "questionnaire_sent"
    SUBMITTED = "submitted"
    ENDORSED = "endorsed"
    NOT_ENDORSED = "not_endorsed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class RaceDraft:
    """What the committee says about a race; `Race` adds identity and history."""

    office: str
    office_kind: OfficeKind
    ballot_line: BallotLine
    general_date: date | None
    primary_date: date | None = None
    decided_in_primary: bool = False
    jurisdiction: str = ""
    seats: int = 1
    status: RaceStatus = RaceStatus.EXPLORING
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Race:
    id: int
    guild_id: int
    office: str
    office_kind: OfficeKind
    ballot_line: BallotLine
    general_date: date | None
    primary_date: date | None
    decided_in_primary: bool
    jurisdiction: str
    seats: int
    status: RaceStatus
    notes: str
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def decisive_date(self) -> date:
        """The election that decides the race: the primary when the race says so (a safe
        district, a party office), else the general. Countdowns and plans use this date."""
        if self.decided_in_primary and self.primary_date is not None:
            return self.primary_date
        assert self.general_date is not None  # guaranteed by validate_race and the schema
        return self.general_date

    @property
    def label(self) -> str:
        """How the race is named in lists and autocomplete: office and decisive year."""
        return f"{self.office} ({self.decisive_date.year})"

    def draft(self) -> RaceDraft:
        return RaceDraft(
            office=self.office,
            office_kind=self.office_kind,
            ballot_line=self.ballot_line,
            general_date=self.general_date,
            primary_date=self.primary_date,
            decided_in_primary=self.decided_in_primary,
            jurisdiction=self.jurisdiction,
            seats=self.seats,
            status=self.status,
            notes=self.notes,
        )


@dataclass(frozen=True, slots=True)
class CandidateDraft:
    name: str
    member_id: int | None = None
    incumbent: bool = False
    previously_endorsed: bool = False
    status: CandidateStatus = CandidateStatus.PROSPECTIVE


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    guild_id: int
    race_id: int
    name: str
    member_id: int | None
    incumbent: bool
    previously_endorsed: bool
    status: CandidateStatus
    created_at: datetime
    updated_at: datetime

    def draft(self) -> CandidateDraft:
        return CandidateDraft(
            name=self.name,
            member_id=self.member_id,
            incumbent=self.incumbent,
            previously_endorsed=self.previously_endorsed,
            status=self.status,
        )


def name_key(name: str) -> str:
    """Two candidate names are the same name when their keys are equal."""
    return tidy(name).casefold()


def validate_race(draft: RaceDraft, *, today: date, previous: RaceDraft | None = None) -> RaceDraft:
    """The draft, tidied, if it follows the register's rules; else `RaceInputError`.

    `today` is the chapter's local date. A date in the past is refused only when it is new
    (added, or changed by this edit): a race's old dates stay valid after election day.
    """
    office = tidy(draft.office)
    jurisdiction = tidy(draft.jurisdiction)
    notes = trim(draft.notes)
    if not office:
        raise RaceInputError("Give the office, e.g. `State Assembly District 36`.")
    if len(office) > OFFICE_MAX:
        raise RaceInputError(f"The office name can be at most {OFFICE_MAX} characters.")
    if len(jurisdiction) > JURISDICTION_MAX:
        raise RaceInputError(f"The jurisdiction can be at most {JURISDICTION_MAX} characters.")
    if len(notes) > NOTES_MAX:
        raise RaceInputError(f"Notes can be at most {NOTES_MAX} characters.")
    if not 1 <= draft.seats <= SEATS_MAX:
        raise RaceInputError(
            f"Seats must be between 1 and {SEATS_MAX} (1 for most races; more for an "
            "at-large race electing several members)."
        )
    _check_dates(draft, today=today, previous=previous)
    return replace(draft, office=office, jurisdiction=jurisdiction, notes=notes)


def _check_dates(draft: RaceDraft, *, today: date, previous: RaceDraft | None) -> None:
    primary, general = draft.primary_date, draft.general_date
    if draft.decided_in_primary and primary is None:
        raise RaceInputError(
            "A race decided in the primary needs its primary date: give `primary`."
        )
    if draft.ballot_line is BallotLine.PARTISAN_PRIMARY and primary is None:
        raise RaceInputError("A partisan-primary race needs its primary date: give `primary`.")
    if general is None and not draft.decided_in_primary:
        raise RaceInputError(
            "Give the general election date (or, for a race decided in the primary, the "
            "primary date and `decided_in_primary: True`)."
        )
    for what, new, old in (
        ("primary", primary, previous.primary_date if previous else None),
        ("general election", general, previous.general_date if previous else None),
    ):
        if new is not None and new != old and new < today:
            raise RaceInputError(
                f"The {what} date {new.isoformat()} is in the past (today is "
                f"{today.isoformat()} in the chapter's timezone)."
            )
    if primary is not None and general is not None and primary >= general:
        raise RaceInputError(
            f"The primary ({primary.isoformat()}) must come before the general election "
            f"({general.isoformat()})."
        )


def validate_candidate(draft: CandidateDraft, *, other_names: Iterable[str]) -> CandidateDraft:
    """The draft, tidied, if its name is usable and not already on the race.

    `other_names` are the names of the race's other candidates (not this one's, on an edit).
    """
    name = tidy(draft.name)
    if not name:
        raise RaceInputError("Give the candidate's name.")
    if len(name) > CANDIDATE_NAME_MAX:
        raise RaceInputError(f"A candidate's name can be at most {CANDIDATE_NAME_MAX} characters.")
    key = name_key(name)
    if key == name_key(NO_ENDORSEMENT):
        raise RaceInputError(
            f"“{NO_ENDORSEMENT}” is the option every endorsement vote adds by itself; "
            "it can't be a candidate."
        )
    if any(name_key(other) == key for other in other_names):
        raise RaceInputError(f"**{name}** is already a candidate in this race.")
    return replace(draft, name=name)


def parse_election_date(
    text: str,
    *,
    tz: str | ZoneInfo,
    now: datetime,
    what: str = "An election date",
    example: str = "2028-11-07",
) -> date | None:
    """The calendar day `text` names in the chapter's timezone (`2026-11-03`, `in 30d`), or
    None for `none` (clearing an optional date). `TimeInputError` when unreadable, ending
    "`what` is a day, e.g. `example`." so the member knows which date was wrong."""
    if text.strip().lower() in CLEAR_WORDS:
        return None
    local = zone(tz)
    # Noon, not the parser's end-of-day default: a day named by date is that day whatever
    # the hour, and noon is far from any daylight-saving edge.
    moment = parse_when(
        text,
        tz=local,
        now=now,
        bare_date_time=time(12, 0),
        hint=f"{what} is a day, e.g. `{example}`.",
    )
    return moment.astimezone(local).date()


def local_today(now: datetime, tz: str | ZoneInfo) -> date:
    return now.astimezone(zone(tz)).date()


def election_day_end(day: date, tz: str | ZoneInfo) -> datetime:
    """The aware instant election day ends in the chapter's timezone (23:59 local):
    what a countdown to the election counts to."""
    return datetime.combine(day, time(23, 59), tzinfo=zone(tz))


def election_day_noon(day: date, tz: str | ZoneInfo) -> datetime:
    """Noon on the day, local: a Discord date tag for it shows the same calendar day to
    members anywhere within twelve hours of the chapter."""
    return datetime.combine(day, time(12, 0), tzinfo=zone(tz))
