"""Endorsement votes: create, open, take ballots, close and count.

The scheduler runs two job kinds for every vote: "vote.open" at the open time and
"vote.close" at the close. Their handlers (in cogs/votes, which does the posting) call
`open_vote` and `close_vote` here; both are idempotent, so a recovered or repeated job does
no harm. A ballot is admitted only when `now < closes_at`, checked in the transaction that
stores it, so a late close never lets a late ballot in.

Nothing here logs a ranking, and nothing returns one together with a member.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

import aiosqlite

from bot import faults
from bot.db import Database
from bot.domain import outcome
from bot.domain import votes as rules
from bot.domain.audit import BOT_ACTOR_ID, AuditEntry
from bot.domain.outcome import Counted
from bot.domain.races import CandidateDraft, RaceStatus, name_key
from bot.domain.tally.report import result_to_json
from bot.domain.timeparse import TimeInputError, parse_when
from bot.domain.vote_types import NewVote, Vote, VoteMethod, VoteOption, VoteState
from bot.errors import InvalidInput, NotFound, UserError
from bot.scheduler import Scheduler
from bot.services import races as race_service
from bot.services import vote_cleanup as cleanup
from bot.store import audit, jobs
from bot.store import votes as store
from bot.store.jobs import Job

log = logging.getLogger("endorsebot.votes")

OPEN_JOB = "vote.open"
CLOSE_JOB = "vote.close"


class BallotRefused(UserError):
    """A ballot that was not recorded; the message says why."""


class NotOnRoll(BallotRefused):
    """The member is not on the vote's roll, frozen when it opened. Carries what the cog
    needs to word it: the vote, when its roll was frozen and which roles it took.
    `submitted`: the member pressed Submit (so "nothing was recorded" is worth saying)."""

    def __init__(self, vote: Vote, *, submitted: bool) -> None:
        self.vote_id = vote.id
        self.roll_frozen_at = vote.opened_at or vote.opens_at
        self.eligible_role_ids = vote.eligible_role_ids
        self.submitted = submitted
        recorded = ", so nothing was recorded" if submitted else ""
        super().__init__(f"You are not on the roll of vote #{vote.id}{recorded}.")


@dataclass(frozen=True, slots=True)
class VoteRequest:
    """What the committee typed into `/vote create` (and the candidates modal)."""

    guild_id: int
    race_id: int
    actor_id: int
    channel_id: int
    timezone: str
    extra_candidates: tuple[str, ...] = ()
    eligible_role_ids: tuple[int, ...] = ()
    quorum: str = ""
    threshold: str = ""
    opens: str = "now"
    closes: str = "in 3d"
    no_endorsement: bool = True
    method: VoteMethod = VoteMethod.IRV
    seats: int = 1
    several_pass: str = "all"  # yes/no: "all" who pass are endorsed, or only the "highest"


@dataclass(frozen=True, slots=True)
class VotePlan:
    """A validated vote, ready to show as a preview and to create."""

    request: VoteRequest
    title: str
    options: tuple[str, ...]
    new_candidates: tuple[str, ...]  # typed in the modal, not yet in the race's register
    quorum: Fraction
    threshold: Fraction
    opens_at: datetime
    closes_at: datetime


# --- create -----------------------------------------------------------------------------------


async def plan(db: Database, request: VoteRequest, *, now: datetime) -> VotePlan:
    """Check everything the committee typed; raise `InvalidInput` saying what to fix."""
    race = await race_service.get_race(db, request.guild_id, request.race_id)
    registered = [c.name for c in await race_service.list_candidates(db, race.guild_id, race.id)]
    known = {name_key(n) for n in registered}
    extra: list[str] = []
    for name in request.extra_candidates:
        tidy = " ".join(name.split())
        if (
            tidy
            and name_key(tidy) not in known
            and name_key(tidy) != name_key(rules.NO_ENDORSEMENT)
        ):
            known.add(name_key(tidy))
            extra.append(tidy)
    if request.method == VoteMethod.YES_NO:  # each candidate is its own question: no option to add
        request = dataclasses.replace(request, no_endorsement=False)
    try:
        options = rules.ballot_options([*registered, *extra], no_endorsement=request.no_endorsement)
        rules.check_method(request.method, request.seats, len(options))
        quorum = rules.parse_quorum(request.quorum)
        threshold = rules.parse_vote_threshold(request.threshold)
        opens_at = parse_when(request.opens or "now", tz=request.timezone, now=now)
        closes_at = parse_when(request.closes, tz=request.timezone, now=now)
        opens_at = max(opens_at, now)  # "now" typed a moment ago, or a past open: open at once
        rules.check_window(opens_at, closes_at, now)
    except (rules.VoteRuleError, TimeInputError) as error:
        raise InvalidInput(str(error)) from None
    if not request.eligible_role_ids:
        raise InvalidInput("Name at least one role whose holders may vote.")
    return VotePlan(
        request, race.label, options, tuple(extra), quorum, threshold, opens_at, closes_at
    )


async def create(db: Database, scheduler: Scheduler, plan: VotePlan, *, now: datetime) -> Vote:
    """Register new candidates, store the vote, schedule its open and close, and move the race
    to endorsement_open, remembering the status it had (a cancel puts it back)."""
    request = plan.request
    for name in plan.new_candidates:
        await race_service.add_candidate(
            db,
            guild_id=request.guild_id,
            race_id=request.race_id,
            actor_id=request.actor_id,
            draft=CandidateDraft(name),
            now=now,
        )
    by_key = {
        name_key(c.name): c.id
        for c in await race_service.list_candidates(db, request.guild_id, request.race_id)
    }
    options = tuple(
        VoteOption(i, name, by_key.get(name_key(name))) for i, name in enumerate(plan.options)
    )
    new = NewVote(
        guild_id=request.guild_id,
        race_id=request.race_id,
        title=plan.title,
        layout=rules.layout_of(plan.options),
        options=options,
        eligible_role_ids=request.eligible_role_ids,
        quorum=plan.quorum,
        threshold=plan.threshold,
        no_endorsement=request.no_endorsement,
        opens_at=plan.opens_at,
        closes_at=plan.closes_at,
        channel_id=request.channel_id,
        created_by=request.actor_id,
        method=request.method,
        seats=request.seats,
        several_pass=request.several_pass,
    )
    async with db.transaction() as conn:
        race = await race_service.race_in(conn, request.guild_id, request.race_id)
        new = dataclasses.replace(
            new, race_status_before=await _status_before(conn, race.guild_id, race.id, race.status)
        )
        vote_id = await store.insert_vote(conn, new, now=now)
        payload = {"vote_id": vote_id}
        open_job = await scheduler.schedule(
            conn, guild_id=new.guild_id, kind=OPEN_JOB, due_at=plan.opens_at, payload=payload
        )
        close_job = await scheduler.schedule(
            conn, guild_id=new.guild_id, kind=CLOSE_JOB, due_at=plan.closes_at, payload=payload
        )
        await store.set_jobs(conn, vote_id, open_job_id=open_job, close_job_id=close_job)
        await audit.record(
            conn,
            guild_id=new.guild_id,
            actor_id=request.actor_id,
            action="vote.create",
            subject=f"vote:{vote_id}",
            detail=(
                f"{new.method}, {new.seats} seat(s); {len(options)} options; "
                f"quorum {rules.share_text(plan.quorum)}; threshold "
                f"{rules.share_text(plan.threshold)}; opens {plan.opens_at.isoformat()}; "
                f"closes {plan.closes_at.isoformat()}"
            ),
            at=now,
        )
        await race_service.move_race_status(
            conn,
            guild_id=request.guild_id,
            race_id=request.race_id,
            status=RaceStatus.ENDORSEMENT_OPEN,
            actor_id=request.actor_id,
            now=now,
        )
    vote = await store.get_vote(db, request.guild_id, vote_id)
    assert vote is not None
    return vote


async def _status_before(
    conn: aiosqlite.Connection, guild_id: int, race_id: int, status: RaceStatus
) -> str:
    """The status a new vote's race goes back to if the vote is cancelled: its status now, or,
    when another vote on the race already holds it at endorsement_open, what that vote found."""
    if status is RaceStatus.ENDORSEMENT_OPEN:
        for running in await store.running_on_race(conn, guild_id, race_id):
            if running.race_status_before not in (None, RaceStatus.ENDORSEMENT_OPEN.value):
                return running.race_status_before
    return status.value


# --- reading ----------------------------------------------------------------------------------


# The largest row id SQLite can hold: a larger number (typed, or forged into a custom_id)
# names no vote, and must not reach the database, which refuses to even compare it.
MAX_ID = 2**63 - 1


def _possible(vote_id: int) -> bool:
    return 0 < vote_id <= MAX_ID


async def get(db: Database, guild_id: int, vote_id: int) -> Vote:
    """The chapter's vote `vote_id`; `NotFound` if there is none (whatever the number)."""
    vote = await store.get_vote(db, guild_id, vote_id) if _possible(vote_id) else None
    if vote is None:
        raise NotFound("That vote does not exist in this chapter (see `/vote list`).")
    return vote


async def get_by_id(db: Database, vote_id: int) -> Vote:
    """For the scheduler's handlers, whose job row names the vote but not through a member."""
    vote = await store.get_vote_by_id(db, vote_id) if _possible(vote_id) else None
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


# --- ballots ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recorded:
    vote: Vote
    replaced: bool


async def submit(
    db: Database,
    *,
    guild_id: int,
    vote_id: int,
    member_id: int,
    draft: rules.Draft,
    now: datetime,
) -> Recorded:
    """Record the member's ballot (replacing an earlier one); returns after the COMMIT.

    Raises `BallotRefused` with the reason (`NotOnRoll` off the roll), recording nothing.
    """
    async with db.transaction() as conn:
        return await _take(conn, guild_id, vote_id, member_id, draft, now)


def _acceptable(
    vote: Vote, draft: rules.Draft, option_count: int, now: datetime
) -> tuple[int, ...]:
    """The draft's ranking (or yes/no answers) if it could be submitted now; else
    `BallotRefused` with the reason."""
    try:
        rules.accepting(vote.state, vote.closes_at, now)
        if vote.method == VoteMethod.YES_NO:  # one answer per candidate, stored like a ranking
            return rules.validate_answers(
                draft.ranking,
                candidates=option_count,
                layout=draft.layout,
                expected_layout=vote.layout,
            )
        return rules.validate_ballot(
            draft.ranking,
            option_count=option_count,
            layout=draft.layout,
            expected_layout=vote.layout,
        )
    except rules.BallotRejected as error:
        raise BallotRefused(str(error)) from None


async def draft_on(
    db: Database, guild_id: int, vote_id: int, draft: rules.Draft, *, now: datetime
) -> tuple[Vote, tuple[str, ...]]:
    """The vote and its option names, for redrawing a member's ballot after a pick; refused
    (`BallotRefused`) as a submit would be: vote not open, stale layout, a repeat."""
    vote = await get(db, guild_id, vote_id)
    options = await option_names(db, vote.id)
    _acceptable(vote, draft, len(options), now)
    return vote, options


async def _take(
    conn: aiosqlite.Connection,
    guild_id: int,
    vote_id: int,
    member_id: int,
    draft: rules.Draft,
    now: datetime,
) -> Recorded:
    """One ballot inside the caller's transaction. Every refusal is raised before any write,
    so a refused ballot leaves the transaction as it found it."""
    possible = _possible(vote_id)
    context = await store.ballot_context(conn, guild_id, vote_id, member_id) if possible else None
    if context is None:
        raise BallotRefused("This vote no longer exists. Nothing was recorded.")
    vote = context.vote
    ranking = _acceptable(vote, draft, context.option_count, now)
    if not context.on_roll:
        raise NotOnRoll(vote, submitted=True)
    if not context.has_key:
        # Open without its key: restored from a backup, which keeps neither the key nor the
        # open ballots nor who had voted (bot/store/backup.py). A new key is made and members
        # vote again; only a ballot an older release's backup kept, whose key is gone, stands.
        if context.voted:
            raise BallotRefused(
                "Your ballot from before this vote was restored from a backup still counts, "
                "but it can no longer be found to replace it. Nothing was recorded."
            )
        context = await store.new_key(conn, context)
    replaced = await store.write_ballot(conn, context, member_id, rules.encode_ranking(ranking))
    return Recorded(vote, replaced)


class BallotBox:
    """Group commit for ballots: those submitted while a transaction is being written wait
    and go together into the next one. Each caller's `submit` returns (or raises its own
    refusal) only after the COMMIT of the transaction that holds its ballot; if that
    transaction fails, every ballot in it fails and none is recorded."""

    batch_max = 250

    def __init__(self, db: Database) -> None:
        self._db = db
        self._waiting: list[tuple[dict, asyncio.Future[Recorded]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, **ballot) -> Recorded:
        """Same arguments and outcome as the module's `submit` (without `db`)."""
        future: asyncio.Future[Recorded] = asyncio.get_running_loop().create_future()
        self._waiting.append((ballot, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._waiting:
            batch = self._waiting[: self.batch_max]
            del self._waiting[: self.batch_max]
            outcomes: list[tuple[asyncio.Future[Recorded], Recorded | None, Exception | None]]
            outcomes = []
            try:
                async with self._db.transaction() as conn:
                    for ballot, future in batch:
                        try:
                            recorded = await _take(conn, **ballot)
                        except BallotRefused as refused:
                            outcomes.append((future, None, refused))
                        else:
                            outcomes.append((future, recorded, None))
            except Exception as error:  # nothing of this batch was recorded
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for future, recorded, refused in outcomes:
                if future.done():  # the member's interaction went away; the ballot stands
                    continue
                if refused is not None:
                    future.set_exception(refused)
                else:
                    future.set_result(recorded)  # type: ignore[arg-type]


async def check_can_vote(db: Database, vote: Vote, member_id: int, now: datetime) -> None:
    """Raise `BallotRefused` before showing a ballot the member could not submit."""
    reason = rules.not_accepting_reason(vote.state, vote.closes_at, now)
    if reason is not None:
        raise BallotRefused(reason)
    if not await store.on_roll(db, vote.id, member_id):
        raise NotOnRoll(vote, submitted=False)


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
