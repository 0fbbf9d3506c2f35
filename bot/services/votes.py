"""Endorsement votes: read, open, close and count (creating one is `vote_create`, taking
ballots `ballots`).

The scheduler runs two job kinds for every vote: "vote.open" at the open time and
"vote.close" at the close. Their handlers (in cogs/votes, which does the posting) call
`open_vote` and `close_vote` here; both are idempotent, so a recovered or repeated job does
no harm. A ballot is admitted only when `now < closes_at`, checked in the transaction that
stores it, so a late close never lets a late ballot in.

Nothing here logs a ranking, and nothing returns one together with a member.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot import faults
from bot.db import Database
from bot.domain import outcome
from bot.domain.audit import BOT_ACTOR_ID, AuditEntry
from bot.domain.outcome import Counted
from bot.domain.races import RaceStatus
from bot.domain.tally.report import result_to_json
from bot.domain.vote_types import Vote, VoteState
from bot.errors import InvalidInput, NotFound
from bot.scheduler import Scheduler
from bot.services import races as race_service
from bot.services import vote_cleanup as cleanup
from bot.store import audit, jobs
from bot.store import votes as store
from bot.store.jobs import Job

log = logging.getLogger("endorsebot.votes")

OPEN_JOB = "vote.open"
CLOSE_JOB = "vote.close"


# --- reading ----------------------------------------------------------------------------------


# The largest row id SQLite can hold: a larger number (typed, or forged into a custom_id)
# names no vote, and must not reach the database, which refuses to even compare it.
MAX_ID = 2**63 - 1


def possible_id(vote_id: int) -> bool:
    """Whether a vote could have this id (a typed number too large or negative cannot)."""
    return 0 < vote_id <= MAX_ID


async def get(db: Database, guild_id: int, vote_id: int) -> Vote:
    """The chapter's vote `vote_id`; `NotFound` if there is none (whatever the number)."""
    vote = await store.get_vote(db, guild_id, vote_id) if possible_id(vote_id) else None
    if vote is None:
        raise NotFound("That vote does not exist in this chapter (see `/vote list`).")
    return vote


async def get_by_id(db: Database, vote_id: int) -> Vote:
    """For the scheduler's handlers, whose job row names the vote but not through a member."""
    vote = await store.get_vote_by_id(db, vote_id) if possible_id(vote_id) else None
    if vote is None:
        raise NotFound(f"vote {vote_id} does not exist")
    return vote


async def record_announcement(
    db: Database, vote: Vote, *, channel_id: int, message_id: int
) -> None:
    async with db.transaction() as conn:
        await store.set_announcement(conn, vote.id, channel_id=channel_id, message_id=message_id)


async def record_result_message(db: Database, vote: Vote, message_id: int) -> None:
    async with db.transaction() as conn:
        await store.set_result_message(conn, vote.id, message_id)


async def option_names(db: Database, vote_id: int) -> tuple[str, ...]:
    return tuple(o.name for o in await store.options(db, vote_id))


async def turnout(db: Database, vote: Vote) -> tuple[int, int]:
    """(ballots submitted, roll size); while scheduled, (0, 0)."""
    if vote.state == VoteState.CLOSED and vote.ballots_cast is not None:
        return vote.ballots_cast, vote.roll_size or 0
    return await store.turnout(db, vote.id), vote.roll_size or 0


async def list_votes(db: Database, guild_id: int) -> list[Vote]:
    """The chapter's votes, the latest close first."""
    return await store.list_votes(db, guild_id)


async def votes_on_race(db: Database, guild_id: int, race_id: int) -> list[Vote]:
    """The votes on one race, the latest close first."""
    return [v for v in await store.list_votes(db, guild_id) if v.race_id == race_id]


async def audit_trail(db: Database, vote: Vote) -> list[AuditEntry]:
    return await audit.for_subject(db, vote.guild_id, vote.subject)


# --- open -------------------------------------------------------------------------------------


async def open_vote(db: Database, vote_id: int, roll: Sequence[int], *, now: datetime) -> Vote:
    """Freeze the roll (the members holding an eligible role now) and open the vote.

    Idempotent: a vote already open or closed is returned as it is.
    """
    async with db.transaction() as conn:
        vote = await store.get_vote_by_id(conn, vote_id)
        if vote is None:
            raise NotFound(f"vote {vote_id} does not exist")
        size = await store.open_vote(conn, vote, roll, now=now)
        if size >= 0:
            await audit.record(
                conn,
                guild_id=vote.guild_id,
                actor_id=BOT_ACTOR_ID,
                action="vote.open",
                subject=vote.subject,
                detail=f"roll frozen: {size} members",
                at=now,
            )
    vote = await store.get_vote_by_id(db, vote_id)
    assert vote is not None
    return vote


# --- close ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CloseRequest:
    """What `/vote close` does to an open vote now.

    `early` (before its close time): the close time becomes now and the member who asked is
    named in the result. Otherwise the close time has passed and its close has not run (the
    scheduler was late, or the close failed): the vote keeps its close time and nobody is
    named (no ballot after the close time was ever admitted); its close just runs now.
    `new_job`: there is no pending close job (it failed, or never existed), so one is made.
    `repost`: the vote is closed and counted but Discord refused its result post; the close
    job, waiting to retry, runs now instead.
    """

    vote: Vote
    early: bool
    new_job: bool
    repost: bool = False


def closing_now_text(vote: Vote) -> str:
    return f"Vote #{vote.id} is closing right now; its result will be posted shortly."


def _close_request(vote: Vote, job: Job | None, now: datetime) -> CloseRequest:
    """The close `/vote close` would do, from the vote and its close job as they are now;
    `InvalidInput` if it cannot close the vote."""
    if job is not None and job.state == "running":
        # The close is under way (ballots maybe frozen, result not yet posted): changing the
        # close time or who closed it now would rewrite a close that is already happening.
        raise InvalidInput(closing_now_text(vote))
    new_job = job is None or job.state != "pending"
    # Counted, and its close job failed or waits to retry a post Discord refused.
    refused = job is not None and (job.state == "failed" or job.payload.get("attempt", 0) > 0)
    if vote.state == VoteState.CLOSED and vote.result_message_id is None and refused:
        return CloseRequest(vote, early=False, new_job=new_job, repost=True)
    if vote.state != VoteState.OPEN:
        raise InvalidInput("Only an open vote can be closed.")
    return CloseRequest(
        vote, early=now < vote.closes_at, new_job=job is None or job.state != "pending"
    )


async def check_close(db: Database, vote: Vote, *, now: datetime) -> CloseRequest:
    """What closing `vote` now would do, for the confirmation prompt; refused as
    `request_close` would refuse it. Nothing is changed."""
    job = await jobs.get(db, vote.close_job_id) if vote.close_job_id is not None else None
    return _close_request(vote, job, now)


async def request_close(
    db: Database, scheduler: Scheduler, vote: Vote, *, actor_id: int, now: datetime
) -> CloseRequest:
    """Close the vote now (see `CloseRequest`); refused, changing nothing, while its close
    job runs or once it is no longer open.

    The close job is always due at the vote's close time. An early close moves both to
    `now`. An overdue close keeps both, so the close still says it was late, and wakes the
    job at once. A close job that failed (or is missing) is replaced by a new one in this
    transaction, so the vote does not stay open for ever.
    """
    async with db.transaction() as conn:
        current = await store.get_vote_by_id(conn, vote.id)
        if current is None:
            raise NotFound("That vote does not exist in this chapter (see `/vote list`).")
        job = (
            await jobs.get_in(conn, current.close_job_id)
            if current.close_job_id is not None
            else None
        )
        close = _close_request(current, job, now)
        due_at = now if close.early or close.repost else current.closes_at
        if close.early:
            if not await store.request_close(conn, current.id, actor_id=actor_id, now=now):
                raise InvalidInput("Only an open vote can be closed.")
        if close.new_job:
            close_job = await scheduler.schedule(
                conn,
                guild_id=current.guild_id,
                kind=CLOSE_JOB,
                due_at=due_at,
                payload={"vote_id": current.id},
            )
            await store.set_jobs(
                conn, current.id, open_job_id=current.open_job_id, close_job_id=close_job
            )
        else:
            assert job is not None
            if job.due_at > due_at:
                if not await scheduler.reschedule(job.id, due_at, conn=conn):
                    raise InvalidInput(closing_now_text(current))  # cannot happen: read above
            else:
                # Due already and not run (the scheduler was late): its due time, which says
                # how late the close is, stays; only its timer is set to now.
                scheduler.arm(job.id, now)
        if job is None:
            replaced = "; it had no close job, a new one runs it"
        elif close.new_job:
            replaced = f"; its close job ended {job.state}, a new one runs it"
        else:
            replaced = ""
        if close.repost:
            await audit.record(
                conn,
                guild_id=current.guild_id,
                actor_id=actor_id,
                action="vote.repost_result",
                subject=current.subject,
                detail="Discord had refused the result post; the committee asked to post it now"
                + replaced,
                at=now,
            )
            return close
        await audit.record(
            conn,
            guild_id=current.guild_id,
            actor_id=actor_id,
            action="vote.close_early" if close.early else "vote.close_overdue",
            subject=current.subject,
            detail=(
                f"was due to close {current.closes_at.isoformat()}"
                if close.early
                else f"due to close {current.closes_at.isoformat()} and not closed yet: "
                "the committee asked for the overdue close to run now"
            )
            + replaced,
            at=now,
        )
    return dataclasses.replace(close, vote=await get(db, vote.guild_id, vote.id))


async def close_vote(db: Database, vote_id: int, *, now: datetime, late: bool) -> Counted:
    """Freeze the ballots, destroy the key, count and record the result.

    Idempotent: a vote closed earlier is recounted from its frozen ballots (the count is
    deterministic), so a close interrupted after the freeze completes at the next run. The
    freeze records a `vote_cleanup.SCRUB_JOB` in its own transaction; the caller runs it.
    """
    async with db.transaction() as conn:
        vote = await store.get_vote_by_id(conn, vote_id)
        if vote is None:
            raise NotFound(f"vote {vote_id} does not exist")
        if vote.state == VoteState.SCHEDULED:
            # The open job never ran (its handler failed): open with an empty roll so the
            # close can go ahead and say so rather than hang.
            await store.open_vote(conn, vote, [], now=now)
        cast = await store.freeze(conn, vote, now=now, closed_by=None, late=late)
        if cast is not None:
            await cleanup.note_cleanup(conn, vote, now=now)
            await audit.record(
                conn,
                guild_id=vote.guild_id,
                actor_id=vote.closed_by or BOT_ACTOR_ID,
                action="vote.close",
                subject=vote.subject,
                detail=f"{cast} ballots" + ("; closed late" if late else ""),
                at=now,
            )
    faults.crash_point("close:after_freeze")
    counted = await count(db, vote_id)
    if counted.vote.result is None:
        async with db.transaction() as conn:
            await store.set_result(
                conn,
                vote_id,
                result=result_to_json(counted.result),
                blt_sha256=counted.seed,
            )
        faults.crash_point("close:after_count")
        status = RaceStatus.ENDORSED if counted.endorsed else RaceStatus.NOT_ENDORSED
        try:
            await race_service.set_race_status(
                db,
                guild_id=counted.vote.guild_id,
                race_id=counted.vote.race_id,
                status=status,
                actor_id=BOT_ACTOR_ID,
                now=now,
            )
        except Exception as error:  # the result must still post; the committee can fix this
            log.warning(
                "vote %s: could not set race %s to %s: %s",
                vote_id,
                counted.vote.race_id,
                status.value,
                type(error).__name__,
            )
        counted = await count(db, vote_id)
    return counted


async def count(db: Database, vote_id: int) -> Counted:
    """Count a closed vote from its frozen ballots."""
    vote = await store.get_vote_by_id(db, vote_id)
    if vote is None or vote.state != VoteState.CLOSED:
        raise InvalidInput("Results exist only after the vote closes.")
    options = await option_names(db, vote_id)
    ballots = await store.final_ballots(db, vote_id)
    return outcome.count(vote, options, ballots)
