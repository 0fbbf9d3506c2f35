"""What the committee does to a vote besides creating and closing it: extend, cancel, enter
paper ballots, export the anonymised ballots, and purge them after the retention period.

Every action is audit-logged by actor and count, never by content: a paper ballot's entry
says who entered how many, not what they said.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.db import Database
from bot.domain import votes as rules
from bot.domain.hygiene import tidy
from bot.domain.races import RaceStatus
from bot.domain.tally.io.csv import write_csv
from bot.domain.timeparse import parse_when
from bot.domain.vote_types import Vote, VoteMethod, VoteState
from bot.errors import InvalidInput
from bot.scheduler import Scheduler
from bot.services import races as race_service
from bot.services import vote_cleanup
from bot.services import votes as vote_service
from bot.store import audit
from bot.store import vote_admin as admin_store
from bot.store import votes as store
from bot.store.scrub import scrub

log = logging.getLogger("endorsebot.votes")

DEFAULT_RETENTION_DAYS = 90  # until a chapter sets its own with `/setup retention`
MAX_RETENTION_DAYS = 3650
MAX_PAPER_COPIES = 1000


class PurgeTooEarly(InvalidInput):
    """The chapter's retention period has not passed since the vote closed."""

    def __init__(self, vote: Vote, retention_days: int, allowed_from: datetime) -> None:
        self.vote_id = vote.id
        self.retention_days = retention_days
        self.allowed_from = allowed_from
        super().__init__(
            f"The chapter keeps ballots {retention_days} days after the close: vote "
            f"#{vote.id}'s can be purged from {allowed_from.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
        )


class CloseOverdue(InvalidInput):
    """The close time has passed but the vote is still open: its close job has not finished
    (it failed, hung, or waits for a retry). No ballot is taken; `/vote close` runs it now."""

    def __init__(self, vote: Vote, done: str) -> None:
        self.vote_id = vote.id
        self.closes_at = vote.closes_at
        self.done = done  # "extended", "cancelled"
        super().__init__(
            f"Vote #{vote.id} stopped taking ballots at its close time "
            f"({vote.closes_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC) but has not been counted "
            "yet: its close has not finished, and the bot retries it on its own. It can no "
            f"longer be {done}. Run `/vote close` to count it and post the result now."
        )


def _still_running(vote: Vote, now: datetime, doing: str) -> None:
    """InvalidInput unless the vote is scheduled or open and before its close."""
    if vote.state == VoteState.CANCELLED:
        raise InvalidInput(f"Vote #{vote.id} was cancelled; you cannot {doing} it.")
    if vote.state == VoteState.CLOSED:
        raise InvalidInput(f"Vote #{vote.id} has closed; you cannot {doing} it any more.")
    if now >= vote.closes_at:  # still open: its close has not run yet, or failed
        raise CloseOverdue(vote, {"extend": "extended", "cancel": "cancelled"}[doing])


def _changed_meanwhile(vote: Vote, doing: str) -> str:
    return (
        f"Vote #{vote.id} was closed, extended or cancelled while you were doing this, so "
        f"nothing was changed; see `/vote status` before you {doing} it."
    )


# --- extend and cancel --------------------------------------------------------------------


async def extend(
    db: Database,
    scheduler: Scheduler,
    vote: Vote,
    *,
    closes: str,
    timezone: str,
    actor_id: int,
    now: datetime,
) -> Vote:
    """Move the close later; the scheduled close moves with it."""
    _still_running(vote, now, "extend")
    new_close = parse_when(closes, tz=timezone, now=now)
    rules.check_extension(vote.closes_at, new_close, now)
    async with db.transaction() as conn:
        if not await admin_store.extend(conn, vote.id, new_close, seen=vote):
            raise InvalidInput(_changed_meanwhile(vote, "extend"))
        if vote.close_job_id is not None and not await scheduler.reschedule(
            vote.close_job_id, new_close, conn=conn
        ):  # the close is running: nothing is changed (the transaction rolls back)
            raise InvalidInput(f"Vote #{vote.id} is closing right now; it cannot be extended.")
        await audit.record(
            conn,
            guild_id=vote.guild_id,
            actor_id=actor_id,
            action="vote.extend",
            subject=vote.subject,
            detail=f"close moved from {vote.closes_at.isoformat()} to {new_close.isoformat()}",
            at=now,
        )
    return await vote_service.get(db, vote.guild_id, vote.id)


async def cancel(
    db: Database, scheduler: Scheduler, vote: Vote, *, reason: str, actor_id: int, now: datetime
) -> Vote:
    """Cancel a scheduled or open vote: its ballots are discarded with its key, its open and
    close jobs are cancelled, and the race is back to the status it had before the vote
    (see `_restore_race`)."""
    reason = tidy(reason)
    if not reason:
        raise InvalidInput("Say why the vote is cancelled: members will read the reason.")
    _still_running(vote, now, "cancel")
    async with db.transaction() as conn:
        if not await admin_store.cancel(conn, vote, actor_id=actor_id, reason=reason, now=now):
            raise InvalidInput(_changed_meanwhile(vote, "cancel"))
        reason_note = f"vote {vote.id} cancelled"
        if vote.open_job_id is not None:  # done already if the vote is open
            await scheduler.cancel(vote.open_job_id, reason=reason_note, conn=conn)
        if vote.close_job_id is not None and not await scheduler.cancel(
            vote.close_job_id, reason=reason_note, conn=conn
        ):  # the close is running: nothing is changed (the transaction rolls back)
            raise InvalidInput(f"Vote #{vote.id} is closing right now; it cannot be cancelled.")
        await audit.record(
            conn,
            guild_id=vote.guild_id,
            actor_id=actor_id,
            action="vote.cancel",
            subject=vote.subject,
            detail=f"reason: {reason[:500]}; ballots discarded with the key",
            at=now,
        )
        await vote_cleanup.note_cleanup(conn, vote, now=now)
    await scheduler.run_kind_now(vote_cleanup.SCRUB_JOB, now)
    try:
        await _restore_race(db, vote, actor_id=actor_id, now=now)
    except Exception as error:  # the cancel stands; the committee can fix the race by hand
        log.warning("vote %s: race status after cancel: %s", vote.id, type(error).__name__)
    return await vote_service.get(db, vote.guild_id, vote.id)


async def _restore_race(db: Database, vote: Vote, *, actor_id: int, now: datetime) -> None:
    """Put the cancelled vote's race back to the status it had before the vote opened it.

    Only a race still at endorsement_open moves: a status the committee set by hand while
    the vote ran stays, and so does endorsement_open while another vote on the race runs.
    A vote from before the status was recorded sends its race to exploring."""
    async with db.transaction() as conn:
        if await store.running_on_race(conn, vote.guild_id, vote.race_id):
            return
        if vote.race_status_before is None:
            status = RaceStatus.EXPLORING
            note = f"vote {vote.id} cancelled; its race's earlier status was not recorded"
        else:
            status = RaceStatus(vote.race_status_before)
            note = f"restored to {status.value}, its status before vote {vote.id} (cancelled)"
        await race_service.move_race_status(
            conn,
            guild_id=vote.guild_id,
            race_id=vote.race_id,
            status=status,
            actor_id=actor_id,
            now=now,
            only_from=RaceStatus.ENDORSEMENT_OPEN,
            note=note,
        )


# --- paper ballots ------------------------------------------------------------------------


async def add_paper(
    db: Database, vote: Vote, *, ranking: str, copies: int, actor_id: int, now: datetime
) -> int:
    """Enter `copies` identical paper ballots (a teller's count); the vote's paper total.

    `ranking` is names in order for a ranked vote, "Name: yes, Name: no" for a yes/no one.

    The ranking is stored like an online one, grouped with identical paper ballots; the
    audit log records the teller and the count, never the ranking.
    """
    if vote.state == VoteState.SCHEDULED:
        raise InvalidInput(f"Vote #{vote.id} is not open yet; enter paper ballots once it opens.")
    _still_running(vote, now, "add paper ballots to")
    if not 1 <= copies <= MAX_PAPER_COPIES:
        raise InvalidInput(f"`copies` must be 1 to {MAX_PAPER_COPIES}.")
    options = await vote_service.option_names(db, vote.id)
    if vote.method == VoteMethod.YES_NO:
        indexes = rules.parse_paper_answers(ranking, options)
    else:
        indexes = rules.parse_paper_ranking(ranking, options)
    async with db.transaction() as conn:
        current = await store.get_vote_by_id(conn, vote.id)
        if current is None or current.state != VoteState.OPEN or now >= current.closes_at:
            raise InvalidInput(f"Vote #{vote.id} has closed; nothing was recorded.")
        total = await admin_store.add_paper(conn, vote, rules.encode_ranking(indexes), copies)
        await audit.record(
            conn,
            guild_id=vote.guild_id,
            actor_id=actor_id,
            action="vote.paper",
            subject=vote.subject,
            detail=f"{copies} paper ballot{'s' if copies != 1 else ''} entered; "
            f"{total} paper in all",
            at=now,
        )
    return total


async def paper_count(db: Database, vote: Vote) -> int:
    if vote.state == VoteState.CLOSED and vote.paper_cast is not None:
        return vote.paper_cast
    return await admin_store.paper_count(db, vote.id)


# --- export -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Export:
    """A closed vote's anonymised ballots and count, for anyone to recount."""

    counted: vote_service.Counted
    blt: str | None  # None for a yes/no vote (BLT holds rankings)
    csv: str
    sha256: str  # of the BLT (of the CSV for yes/no): the lot seed printed with the result


async def export(db: Database, vote: Vote, *, actor_id: int, now: datetime) -> Export:
    if vote.state == VoteState.CANCELLED:
        raise InvalidInput(f"Vote #{vote.id} was cancelled: its ballots were discarded.")
    if vote.state != VoteState.CLOSED:
        raise InvalidInput("Ballots can be exported only after the vote closes.")
    if vote.purged_at is not None:
        raise InvalidInput(
            f"Vote #{vote.id}'s ballots were purged; its published result is all that is kept."
        )
    counted = await vote_service.count(db, vote.id)
    if counted.ballot_format == "csv":
        bundle = Export(counted, None, counted.blt, counted.seed)
    else:
        bundle = Export(counted, counted.blt, write_csv(counted.profile), counted.seed)
    async with db.transaction() as conn:
        await audit.record(
            conn,
            guild_id=vote.guild_id,
            actor_id=actor_id,
            action="vote.export",
            subject=vote.subject,
            detail=f"{counted.ballots_cast} ballots exported; SHA-256 {counted.seed[:16]}…",
            at=now,
        )
    return bundle


# --- retention and purge ------------------------------------------------------------------


async def retention_days(db: Database, guild_id: int) -> int:
    days = await admin_store.retention_days(db, guild_id)
    return DEFAULT_RETENTION_DAYS if days is None else days


async def set_retention(db: Database, guild_id: int, days: int, *, actor_id: int, now: datetime):
    if not 0 <= days <= MAX_RETENTION_DAYS:
        raise InvalidInput(f"Retention must be 0 to {MAX_RETENTION_DAYS} days.")
    async with db.transaction() as conn:
        await admin_store.set_retention_days(conn, guild_id, days, actor_id=actor_id, now=now)
        await audit.record(
            conn,
            guild_id=guild_id,
            actor_id=actor_id,
            action="setup.retention",
            subject="chapter",
            detail=f"closed votes' ballots kept {days} days",
            at=now,
        )


def _still_counting(vote: Vote) -> str:
    return (
        f"Vote #{vote.id} is still being counted; its ballots can be purged once its result "
        "is recorded. Nothing was deleted."
    )


async def purge(db: Database, vote: Vote, *, actor_id: int, now: datetime) -> Vote:
    """Delete a closed vote's ballots once the chapter's retention period has passed; the
    published result (and its SHA-256) stays."""
    if vote.state == VoteState.CANCELLED:
        raise InvalidInput(f"Vote #{vote.id} was cancelled: its ballots are already gone.")
    if vote.state != VoteState.CLOSED or vote.closed_at is None:
        raise InvalidInput("Only a closed vote's ballots can be purged.")
    if vote.purged_at is not None:
        raise InvalidInput(f"Vote #{vote.id}'s ballots were already purged.")
    if vote.result is None:
        raise InvalidInput(_still_counting(vote))
    days = await retention_days(db, vote.guild_id)
    allowed = rules.purge_allowed_from(vote.closed_at, days)
    if now < allowed:
        raise PurgeTooEarly(vote, days, allowed)
    async with db.transaction() as conn:
        if not await admin_store.purge(conn, vote.id, actor_id=actor_id, now=now):
            current = await store.get_vote_by_id(conn, vote.id)
            if current is not None and current.result is None:
                raise InvalidInput(_still_counting(vote))
            raise InvalidInput(f"Vote #{vote.id}'s ballots were already purged.")
        await audit.record(
            conn,
            guild_id=vote.guild_id,
            actor_id=actor_id,
            action="vote.purge",
            subject=vote.subject,
            detail=f"ballots deleted after {days} days; result kept",
            at=now,
        )
    await scrub(db)
    return await vote_service.get(db, vote.guild_id, vote.id)
