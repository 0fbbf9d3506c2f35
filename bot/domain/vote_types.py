"""What an endorsement vote is: its method, its state, its options and its record.

The store returns these; services and cogs read them. Pure data: no discord, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction


class VoteMethod(StrEnum):
    """How the ballots are counted."""

    IRV = "irv"
    YES_NO = "yes-no"
    STV = "stv"
    SCHULZE = "schulze"
    MEEK = "meek"
    RANKED_PAIRS = "ranked-pairs"

    @property
    def fills_seats(self) -> bool:
        """Whether the method elects several seats from one ranking (the STV family)."""
        return self in (VoteMethod.STV, VoteMethod.MEEK)

    @property
    def label(self) -> str:
        return _METHOD_LABELS[self]


_METHOD_LABELS = {
    VoteMethod.IRV: "Instant-runoff",
    VoteMethod.YES_NO: "Yes/no per candidate",
    VoteMethod.STV: "Single transferable vote",
    VoteMethod.SCHULZE: "Condorcet (Schulze)",
    VoteMethod.MEEK: "Meek STV",
    VoteMethod.RANKED_PAIRS: "Condorcet (ranked pairs)",
}


class VoteState(StrEnum):
    """Where a vote is in its life: scheduled -> open -> closed, or cancelled before its close
    (then it has no ballots and no result)."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True, slots=True)
class VoteOption:
    """One line of a ballot: a candidate (or "No endorsement", which has no candidate)."""

    position: int
    name: str
    candidate_id: int | None


@dataclass(frozen=True, slots=True)
class Vote:
    """An endorsement vote as stored: its rules, its times, its state and, once closed, its
    result."""

    id: int
    guild_id: int
    race_id: int
    title: str
    method: VoteMethod
    layout: str
    eligible_role_ids: tuple[int, ...]
    quorum: Fraction
    threshold: Fraction
    no_endorsement: bool
    opens_at: datetime
    closes_at: datetime
    state: VoteState
    channel_id: int
    message_id: int | None
    roll_size: int | None
    ballots_cast: int | None
    opened_at: datetime | None
    closed_at: datetime | None
    closed_late: bool
    closed_by: int | None
    result: dict | None
    blt_sha256: str | None
    result_message_id: int | None
    open_job_id: int | None
    close_job_id: int | None
    created_by: int
    created_at: datetime
    seats: int = 1
    several_pass: str = "all"  # yes/no, one seat: "all" pass are endorsed, or the "highest"
    paper_cast: int | None = None  # frozen at the close
    cancelled_at: datetime | None = None
    cancelled_by: int | None = None
    cancel_reason: str | None = None
    purged_at: datetime | None = None
    # The race's status before this vote moved it to endorsement_open; None: not known.
    race_status_before: str | None = None
    # The file scrub its close or cancel asked for (a job in the same chapter).
    scrub_job_id: int | None = None
    # Instant-runoff: count on after the majority until two candidates remain (RCTab's rule).
    continue_until_two: bool = False

    @property
    def subject(self) -> str:
        """The audit log's subject for this vote."""
        return f"vote:{self.id}"


@dataclass(frozen=True, slots=True)
class NewVote:
    """A vote the committee has checked and is about to create."""

    guild_id: int
    race_id: int
    title: str
    layout: str
    options: tuple[VoteOption, ...]
    eligible_role_ids: tuple[int, ...]
    quorum: Fraction
    threshold: Fraction
    no_endorsement: bool
    opens_at: datetime
    closes_at: datetime
    channel_id: int
    created_by: int
    method: VoteMethod = VoteMethod.IRV
    seats: int = 1
    several_pass: str = "all"
    race_status_before: str | None = None
    continue_until_two: bool = False
