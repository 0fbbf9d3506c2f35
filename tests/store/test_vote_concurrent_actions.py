"""Two committee actions racing on one vote: each is a compare-and-set on what its caller saw.

Issue 13, items 4 and 7: a purge issued while the close is between its freeze and its count
must not delete the ballots being counted; an extend based on a vote read before an early
close committed must not reopen it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.races import RaceStatus
from bot.domain.votes import BallotRejected
from bot.errors import InvalidInput
from bot.services import races as race_service
from bot.services import vote_admin
from bot.services import votes as service
from bot.store import votes as store
from tests.store.test_votes_service import (
    CANDIDATES,
    GUILD,
    NOW,
    TZ,
    ballot,
    open_vote,
)

pytestmark = pytest.mark.asyncio


async def test_a_purge_between_the_freeze_and_the_count_is_refused(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    vote = await open_vote(db, scheduler, race, [1, 2, 3, 4, 5], quorum="50%", threshold="50%")
    for member in range(1, 6):
        await ballot(db, vote, member, [0])
    await vote_admin.set_retention(db, GUILD, 0, actor_id=1, now=NOW)
    at = vote.closes_at
    async with db.transaction() as conn:  # the close's first step: ballots frozen, not counted
        assert await store.freeze(conn, vote, now=at, closed_by=None, late=False) == 5
    frozen = await service.get(db, GUILD, vote.id)

    with pytest.raises(InvalidInput, match="counted"):
        await vote_admin.purge(db, frozen, actor_id=1, now=at + timedelta(seconds=1))

    counted = await service.close_vote(db, vote.id, now=at, late=False)
    assert counted.ballots_cast == 5 and counted.endorsed == "Ada"
    assert (await race_service.get_race(db, GUILD, race.id)).status is RaceStatus.ENDORSED
    # Once the count is recorded, the purge goes ahead.
    purged = await vote_admin.purge(db, counted.vote, actor_id=1, now=at + timedelta(seconds=2))
    assert purged.purged_at is not None


async def test_an_extend_read_before_an_early_close_does_not_reopen_it(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    seen = await open_vote(db, scheduler, race, [1, 2])
    later = NOW + timedelta(hours=1)
    await service.request_close(db, scheduler, seen, actor_id=7, now=later)

    with pytest.raises(InvalidInput):
        await vote_admin.extend(
            db, scheduler, seen, closes="in 5d", timezone=TZ, actor_id=8, now=later
        )
    vote = await service.get(db, GUILD, seen.id)
    assert vote.closes_at == later and vote.closed_by == 7
    with pytest.raises(BallotRejected, match="closed"):
        await ballot(db, vote, 1, [0], when=later + timedelta(minutes=1))
    actions = [e.action for e in await service.audit_trail(db, vote)]
    assert "vote.extend" not in actions


async def test_a_cancel_read_before_an_early_close_is_refused(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    seen = await open_vote(db, scheduler, race, [1, 2])
    await ballot(db, seen, 1, [0])
    later = NOW + timedelta(hours=1)
    await service.request_close(db, scheduler, seen, actor_id=7, now=later)
    # The closer was told "closed": a cancel decided on the vote as it was before is refused.
    with pytest.raises(InvalidInput):
        await vote_admin.cancel(
            db, scheduler, seen, reason="typo", actor_id=8, now=later - timedelta(seconds=1)
        )
    assert (await service.get(db, GUILD, seen.id)).state == "open"
