"""Paper and online together: tellers check members in at a meeting (`/vote checkin`), so
nobody votes twice, and the check-ins never say what anyone voted."""

from __future__ import annotations

import logging

import pytest

from bot.store import audit
from bot.store import vote_checkins as checkin_store
from tests.e2e.votes_helpers import (
    cast,
    create_vote,
    make_race,
    open_ballot,
    rank,
    recorded,
    submit,
    wait_announcement,
    wait_result,
)
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio


async def close_now(world, vote):
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    return await wait_result(world, vote.id)


async def test_tellers_check_in_and_nobody_votes_twice(chapter, caplog):
    caplog.set_level(logging.DEBUG, logger="endorsebot")
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, threshold="50%")
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await cast(world, world.alice, announcement, vote.id, ["Ada Ruiz"]))

    # A plain member cannot check anyone in; nothing is stored.
    refused = await world.alice.slash("vote checkin", vote=str(vote.id), member=world.bob)
    assert refused.ephemeral and "Electoral Committee" in refused.text
    assert await checkin_store.count(world.db, vote.id) == 0

    # Bob has not voted online: checked in, and from then on his online ballot is refused.
    first = await world.organiser.slash("vote checkin", vote=str(vote.id), member=world.bob)
    assert first.ephemeral and "is **checked in**" in first.text and "1 checked in" in first.text
    shown = await open_ballot(world.bob, announcement, vote.id)
    assert shown.ephemeral
    assert "You were checked in at the meeting; vote on paper there" in shown.text
    assert await checkin_store.checked_in(world.db, vote.id, int(world.bob.id))

    # Checked in twice: the teller is told, nothing changes.
    again = await world.organiser.slash("vote checkin", vote=str(vote.id), member=world.bob)
    assert again.ephemeral and "already checked in" in again.text
    assert "second paper ballot" in again.text
    assert await checkin_store.count(world.db, vote.id) == 1

    # Alice voted online: the teller hears so, never what she voted, and she is not checked in.
    voted = await world.organiser.slash("vote checkin", vote=str(vote.id), member=world.alice)
    assert voted.ephemeral and "already voted online" in voted.text
    assert "Do not give them a paper ballot" in voted.text
    assert "Ada" not in voted.text and "Bo Chen" not in voted.text
    assert not await checkin_store.checked_in(world.db, vote.id, int(world.alice.id))

    # A ballot already on screen when its member is checked in is refused at Submit.
    teller = world.organiser
    opened = await open_ballot(teller, announcement, vote.id)
    await rank(world, teller, opened.message["id"], ["Bo Chen"])
    own = await teller.slash("vote checkin", vote=str(vote.id), member=teller)
    assert "2 checked in" in own.text
    late = await submit(world, teller, opened.message["id"])
    assert not recorded(late)
    assert "You were checked in at the meeting; vote on paper there" in late.text

    # Bob's paper ballot counts; the result shows one online and one paper ballot.
    await world.organiser.slash("vote paper", vote=str(vote.id), ranking="Bo Chen")
    posted = await close_now(world, vote)
    assert "2 ballots (1 online + 1 paper)" in message_text(posted)

    # The audit trail names the teller and the count, never the member checked in.
    trail = await audit.for_subject(world.db, vote.guild_id, vote.subject)
    checks = [e for e in trail if e.action == "vote.checkin"]
    assert [e.detail for e in checks] == [
        "a member checked in; 1 checked in",
        "a member checked in; 2 checked in",
    ]
    assert all(e.actor_id == int(world.organiser.id) for e in checks)
    assert not any(world.bob.id in e.detail or "bob" in e.detail for e in trail)
    # Logs never name a member checked in nor what anyone voted.
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("endorsebot"))
    assert "check-in asked" in logged  # the check-ins were logged, without the member
    assert world.bob.id not in logged and "Bo Chen" not in logged and "Ada Ruiz" not in logged
