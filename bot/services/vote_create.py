"""Creating an endorsement vote: check what the committee typed (`plan`), then create the
vote, its options and its open and close jobs in one transaction (`create`)."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

import aiosqlite

from bot.db import Database
from bot.domain import votes as rules
from bot.domain.hygiene import tidy
from bot.domain.races import CandidateDraft, RaceStatus, name_key
from bot.domain.timeparse import parse_when
from bot.domain.vote_types import NewVote, Vote, VoteMethod, VoteOption
from bot.errors import InvalidInput
from bot.scheduler import Scheduler
from bot.services import races as race_service
from bot.services.votes import CLOSE_JOB, OPEN_JOB
from bot.store import audit
from bot.store import votes as store

log = logging.getLogger("endorsebot.votes")


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
    continue_until_two: bool = False  # instant-runoff: count on until two remain


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
        tidied = tidy(name)
        if (
            tidied
            and name_key(tidied) not in known
            and name_key(tidied) != name_key(rules.NO_ENDORSEMENT)
        ):
            known.add(name_key(tidied))
            extra.append(tidied)
    if request.method == VoteMethod.YES_NO:  # each candidate is its own question: no option to add
        request = dataclasses.replace(request, no_endorsement=False)
    options = rules.ballot_options([*registered, *extra], no_endorsement=request.no_endorsement)
    rules.check_method(request.method, request.seats, len(options))
    rules.check_until_two(request.method, request.continue_until_two)
    quorum = rules.parse_quorum(request.quorum)
    threshold = rules.parse_vote_threshold(request.threshold)
    opens_at = parse_when(request.opens or "now", tz=request.timezone, now=now)
    closes_at = parse_when(request.closes, tz=request.timezone, now=now)
    opens_at = max(opens_at, now)  # "now" typed a moment ago, or a past open: open at once
    rules.check_window(opens_at, closes_at, now)
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
        continue_until_two=request.continue_until_two,
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
