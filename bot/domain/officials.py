"""After the win: officials, the chapter's positions, how officials vote on them, and the
SIO committee's meetings.

The strategy: "Class struggle candidates will need to be organized while in office. They
will likely vote against the chapter's position at times." and "without the ability to
credibly protect incumbents, the organization has little-to-no leverage to hold endorsed
candidates accountable in office." The record here is what the incumbent re-endorsement
criterion "worked with the chapter" rests on (`worked_with_chapter`).

Pure: no discord, no database, no clock reads. Validation raises `OfficialInputError` (a
`ValueError`) with a message a member can act on; the service turns it into `InvalidInput`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.errors import InputError
from bot.domain.hygiene import tidy, trim
from bot.domain.timeparse import zone

NAME_MAX = 80
OFFICE_MAX = 120
TITLE_MAX = 120
BODY_MAX = 1500
LINK_MAX = 400
DECIDED_BY_MAX = 200
NOTE_MAX = 500
MEETING_TITLE_MAX = 100
# The weekly notice of votes against the chapter: Monday morning, chapter time, so the SIO
# committee can talk with the official "before members hear it elsewhere" (issue 29).
NOTICE_WEEKDAY = 0
NOTICE_TIME = time(9, 0)


class OfficialInputError(InputError):
    """An official, position, vote or meeting the committee described breaks a rule."""


class SioStatus(StrEnum):
    """Where the official stands with the Socialists-in-Office committee."""

    JOINED = "joined"
    ATTENDS = "attends"
    LEFT = "left"

    @property
    def label(self) -> str:
        return {
            SioStatus.JOINED: "Joined the SIO",
            SioStatus.ATTENDS: "Attends the SIO",
            SioStatus.LEFT: "Left the SIO",
        }[self]


class Stance(StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"

    @property
    def label(self) -> str:
        return "The chapter supports it" if self is Stance.SUPPORT else "The chapter opposes it"


class Cast(StrEnum):
    """How an official voted, seen from the chapter's position."""

    WITH = "with"
    AGAINST = "against"
    ABSTAINED = "abstained"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return {
            Cast.WITH: "With the chapter",
            Cast.AGAINST: "Against the chapter",
            Cast.ABSTAINED: "Abstained",
            Cast.ABSENT: "Absent",
        }[self]


class Outcome(StrEnum):
    """What `/race result` records."""

    WON = "won"
    LOST = "lost"


@dataclass(frozen=True, slots=True)
class OfficialDraft:
    """What the committee says about an official; `Official` adds identity."""

    name: str
    office: str
    term_start: date
    term_end: date | None = None
    sio_status: SioStatus = SioStatus.JOINED
    race_id: int | None = None
    candidate_id: int | None = None
    member_id: int | None = None


@dataclass(frozen=True, slots=True)
class Official:
    id: int
    guild_id: int
    name: str
    office: str
    term_start: date
    term_end: date | None
    sio_status: SioStatus
    race_id: int | None
    candidate_id: int | None
    member_id: int | None

    @property
    def label(self) -> str:
        return f"{self.name}, {self.office}"

    def in_office_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)


@dataclass(frozen=True, slots=True)
class PositionDraft:
    title: str
    stance: Stance
    body: str = ""
    link: str = ""
    decided_by: str = ""  # the chapter vote or meeting that took the position, if any


@dataclass(frozen=True, slots=True)
class Position:
    id: int
    guild_id: int
    title: str
    stance: Stance
    body: str
    link: str
    decided_by: str


@dataclass(frozen=True, slots=True)
class OfficeVote:
    """How one official voted on one of the chapter's positions."""

    id: int
    guild_id: int
    official_id: int
    position: Position
    cast: Cast
    day: date
    note: str  # committee-only


@dataclass(frozen=True, slots=True)
class SioMeeting:
    id: int
    guild_id: int
    day: date
    title: str
    attended: frozenset[int]  # official ids


def name_key(text: str) -> str:
    """How names and titles are compared: casefolded, whitespace collapsed."""
    return " ".join(text.split()).casefold()


def validate_official(draft: OfficialDraft) -> OfficialDraft:
    """The draft with its text tidied, or `OfficialInputError` saying what is wrong."""
    name, office = tidy(draft.name), tidy(draft.office)
    if not name:
        raise OfficialInputError("An official needs a name.")
    if len(name) > NAME_MAX:
        raise OfficialInputError(f"A name can be at most {NAME_MAX} characters.")
    if not office:
        raise OfficialInputError(
            "An official needs an office: say which seat they hold, e.g. `City Council D3`."
        )
    if len(office) > OFFICE_MAX:
        raise OfficialInputError(f"An office can be at most {OFFICE_MAX} characters.")
    if draft.term_end is not None and draft.term_end <= draft.term_start:
        raise OfficialInputError(
            f"The term ends ({draft.term_end.isoformat()}) before it starts "
            f"({draft.term_start.isoformat()})."
        )
    return OfficialDraft(
        name=name,
        office=office,
        term_start=draft.term_start,
        term_end=draft.term_end,
        sio_status=draft.sio_status,
        race_id=draft.race_id,
        candidate_id=draft.candidate_id,
        member_id=draft.member_id,
    )


def validate_position(draft: PositionDraft) -> PositionDraft:
    """The draft tidied, or `OfficialInputError`."""
    title = tidy(draft.title)
    if not title:
        raise OfficialInputError("A position needs a title, e.g. `Ordinance 24-117: rent cap`.")
    if len(title) > TITLE_MAX:
        raise OfficialInputError(f"A position's title can be at most {TITLE_MAX} characters.")
    body = trim(draft.body)
    if len(body) > BODY_MAX:
        raise OfficialInputError(f"A position's text can be at most {BODY_MAX} characters.")
    link = trim(draft.link)
    if link and not link.startswith(("https://", "http://")):
        raise OfficialInputError(f"“{link}” is not a link: start it with `https://`.")
    if len(link) > LINK_MAX:
        raise OfficialInputError(f"A link can be at most {LINK_MAX} characters.")
    decided_by = tidy(draft.decided_by)
    if len(decided_by) > DECIDED_BY_MAX:
        raise OfficialInputError(
            f"What decided the position can be at most {DECIDED_BY_MAX} characters."
        )
    return PositionDraft(title, draft.stance, body, link, decided_by)


def validate_vote(official: Official, day: date, note: str) -> str:
    """The vote's note tidied, if an official could have cast a vote on `day`; else
    `OfficialInputError`: a vote before they took office, or after the term ended."""
    if day < official.term_start:
        raise OfficialInputError(
            f"{official.name} took office on {official.term_start.isoformat()}: a vote on "
            f"{day.isoformat()} is before that. Check the date."
        )
    if official.term_end is not None and day > official.term_end:
        raise OfficialInputError(
            f"{official.name}'s term ended on {official.term_end.isoformat()}: a vote on "
            f"{day.isoformat()} is after that. Check the date."
        )
    note = trim(note)
    if len(note) > NOTE_MAX:
        raise OfficialInputError(f"A note can be at most {NOTE_MAX} characters.")
    return note


def validate_meeting(title: str) -> str:
    title = tidy(title)
    if not title:
        raise OfficialInputError("Give the meeting a title, e.g. `SIO monthly`.")
    if len(title) > MEETING_TITLE_MAX:
        raise OfficialInputError(f"A meeting title can be at most {MEETING_TITLE_MAX} characters.")
    return title


@dataclass(frozen=True, slots=True)
class OfficeRecord:
    """An official's record in office: how they voted on the chapter's positions and which
    SIO meetings in their term they attended."""

    official: Official
    votes: tuple[OfficeVote, ...]  # oldest first
    meetings: tuple[SioMeeting, ...]  # held in their term, oldest first

    def count(self, cast: Cast) -> int:
        return sum(1 for vote in self.votes if vote.cast is cast)

    @property
    def broke_on(self) -> tuple[OfficeVote, ...]:
        """The votes against the chapter's position."""
        return tuple(v for v in self.votes if v.cast is Cast.AGAINST)

    @property
    def attended(self) -> int:
        return sum(1 for m in self.meetings if self.official.id in m.attended)

    def summary(self) -> str:
        """One line: votes with and against, and SIO attendance."""
        votes = f"{self.count(Cast.WITH)} with the chapter, {self.count(Cast.AGAINST)} against"
        others = [
            f"{self.count(cast)} {cast.value}"
            for cast in (Cast.ABSTAINED, Cast.ABSENT)
            if self.count(cast)
        ]
        if others:
            votes += f" ({', '.join(others)})"
        meetings = (
            f"attended {self.attended} of {len(self.meetings)} SIO meetings"
            if self.meetings
            else "no SIO meetings logged"
        )
        return f"{votes}; {meetings}; SIO: {self.official.sio_status.value}"


def meetings_in_term(official: Official, meetings: Sequence[SioMeeting]) -> tuple[SioMeeting, ...]:
    """The meetings held while `official` was in office (the ones they could attend)."""
    return tuple(m for m in meetings if official.in_office_on(m.day))


def worked_with_chapter(record: OfficeRecord) -> bool | None:
    """What the record says about "worked with the chapter": None when there is nothing to
    go on (no votes and no meetings); False when they left the SIO, voted against the
    chapter more often than with it, or missed most SIO meetings; True otherwise. The
    committee can override it with a reason (the bot advises; members decide)."""
    if not record.votes and not record.meetings:
        return None
    if record.official.sio_status is SioStatus.LEFT:
        return False
    if record.count(Cast.AGAINST) > record.count(Cast.WITH):
        return False
    if record.meetings and record.attended * 2 < len(record.meetings):
        return False
    return True


def next_notice_run(now: datetime, tz: str | ZoneInfo) -> datetime:
    """The first Monday 09:00 in the chapter's timezone strictly after `now`."""
    chapter_zone = zone(tz)
    local = now.astimezone(chapter_zone)
    day = local.date() + timedelta(days=(NOTICE_WEEKDAY - local.weekday()) % 7)
    run = datetime.combine(day, NOTICE_TIME, tzinfo=chapter_zone)
    if run <= now:
        run = datetime.combine(day + timedelta(days=7), NOTICE_TIME, tzinfo=chapter_zone)
    return run
