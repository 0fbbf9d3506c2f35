"""Taking a member's ballot: checked, written and committed before the member is told.

A ballot is admitted only when `now < closes_at`, checked in the transaction that stores
it, so a late close never lets a late ballot in. Nothing here logs a ranking, and nothing
returns one together with a member.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.db import Database
from bot.domain import votes as rules
from bot.domain.vote_types import Vote, VoteMethod
from bot.errors import UserError
from bot.services.votes import get, option_names, possible_id
from bot.store import vote_checkins as checkin_store
from bot.store import votes as store

log = logging.getLogger("endorsebot.votes")


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


CHECKED_IN = "You were checked in at the meeting; vote on paper there. Nothing was recorded online."


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

    Raises `BallotRefused` or the domain's `BallotRejected` with the reason (`NotOnRoll` off
    the roll), recording nothing.
    """
    async with db.transaction() as conn:
        return await _take(conn, guild_id, vote_id, member_id, draft, now)


def _acceptable(
    vote: Vote, draft: rules.Draft, option_count: int, now: datetime
) -> tuple[int, ...]:
    """The draft's ranking (or yes/no answers) if it could be submitted now; else the
    domain's `BallotRejected` with the reason."""
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


async def draft_on(
    db: Database, guild_id: int, vote_id: int, draft: rules.Draft, *, now: datetime
) -> tuple[Vote, tuple[str, ...]]:
    """The vote and its option names, for redrawing a member's ballot after a pick; refused
    (`BallotRefused`, `BallotRejected`) as a submit would be: vote not open, stale layout,
    a repeat."""
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
    possible = possible_id(vote_id)
    context = await store.ballot_context(conn, guild_id, vote_id, member_id) if possible else None
    if context is None:
        raise BallotRefused("This vote no longer exists. Nothing was recorded.")
    vote = context.vote
    ranking = _acceptable(vote, draft, context.option_count, now)
    if not context.on_roll:
        raise NotOnRoll(vote, submitted=True)
    # Read in the ballot's own transaction, so a check-in and a ballot never both get in.
    if await checkin_store.checked_in(conn, vote.id, member_id):
        raise BallotRefused(CHECKED_IN)
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
                        except (BallotRefused, rules.BallotRejected) as refused:
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
    if await checkin_store.checked_in(db, vote.id, member_id):
        raise BallotRefused(CHECKED_IN)
