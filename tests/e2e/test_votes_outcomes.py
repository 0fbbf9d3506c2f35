"""Votes that end without an endorsement, a close while the bot is down, a restart in the
middle of a ranking, 30 candidates, and the capacity warning hook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from discord.ext import commands

from bot.db import Database
from bot.domain.races import RaceStatus
from bot.domain.votes import decode_ranking
from bot.services import races as race_service
from bot.store import jobs
from bot.store import votes as vote_store
from cogs.votes.notes import VoteNote
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
from tests.fakediscord import custom_ids, message_text
from tests.jobs import wait_for_job

pytestmark = pytest.mark.asyncio


async def close_now(world, vote):
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    return await wait_result(world, vote.id)


class DoorCount(commands.Cog):
    """A stand-in feature that adds a note to every vote announcement."""

    async def vote_notes(self, vote):
        text = f"Stub: the chapter can knock 300 of the 900 doors {vote.title} needs."
        return [VoteNote("Doors", text)]


async def test_winner_misses_the_threshold(chapter):
    world = chapter
    members = world.add_members(7)  # 10 on the roll

    await world.bot.add_cog(DoorCount())
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, threshold="2/3", quorum="50%")
    announcement = await wait_announcement(world, vote.id)
    assert "Stub: the chapter can knock 300 of the 900 doors" in message_text(announcement)
    voters = [world.organiser, world.alice, world.bob, *members]
    # Ada wins the runoff, but only 5 of 8 rank her above No endorsement (< 2/3).
    pattern = [["Ada Ruiz"]] * 4 + [["Ada Ruiz", "No endorsement"]] + [["No endorsement"]] * 3
    for member, names in zip(voters, pattern, strict=False):
        assert recorded(await cast(world, member, announcement, vote.id, names))
    posted = await close_now(world, vote)
    text = message_text(posted)
    assert "Instant-runoff winner: **Ada Ruiz**" in text
    assert "5 of 8 ballots rank Ada Ruiz above No endorsement: **not met**" in text
    assert "no endorsement in this race" in text
    race_now = await race_service.get_race(world.db, race.guild_id, race.id)
    assert race_now.status is RaceStatus.NOT_ENDORSED


async def test_a_vote_without_quorum_endorses_nobody(chapter):
    world = chapter
    members = world.add_members(17)  # 20 on the roll, quorum 50% = 10
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, quorum="50%", threshold="50%")
    announcement = await wait_announcement(world, vote.id)
    assert "quorum 10" in message_text(announcement)
    for member in [world.alice, world.bob, *members[:6], world.organiser]:  # 9 ballots
        assert recorded(await cast(world, member, announcement, vote.id, ["Ada Ruiz"]))
    posted = await close_now(world, vote)
    text = message_text(posted)
    assert "Quorum: 9 ballots of 20 on the roll; 10 needed: **not met**" in text
    assert "no endorsement in this race" in text


async def test_close_while_the_bot_is_down_runs_once_at_startup(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, closes="in 1h")
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await cast(world, world.alice, announcement, vote.id, ["Bo Chen"]))
    await world.stop()
    world.clock.advance(timedelta(hours=3))
    await world.start()
    # The overdue close's timer goes off at start-up.
    closing = await wait_for_job(world.db, vote.close_job_id, nudge=world.bot.scheduler.run_due)
    assert closing.state == "done"
    posted = await wait_result(world, vote.id)
    assert "closed late" in message_text(posted)
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert closed.state == "closed" and closed.closed_late and closed.ballots_cast == 1
    await world.restart()  # another start-up finds nothing left to do
    results = [
        m
        for m in world.votes.messages
        if any(a["filename"].endswith(".blt") for a in m["attachments"])
    ]
    assert len(results) == 1
    states = {j.state for j in await jobs.unfinished(world.db)}
    assert states == set()


async def test_restart_in_the_middle_of_a_ranking(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen", "Cy Diallo"])
    vote = await create_vote(world, race)
    announcement = await wait_announcement(world, vote.id)
    opened = await open_ballot(world.alice, announcement, vote.id)
    message_id = opened.message["id"]
    await rank(world, world.alice, message_id, ["Cy Diallo"])
    await world.restart()
    await rank(world, world.alice, message_id, ["Ada Ruiz"])
    shown = world.fake.message(message_id)["content"]
    assert "1. Cy Diallo\n2. Ada Ruiz" in shown
    assert recorded(await submit(world, world.alice, message_id))
    await close_now(world, vote)
    ballots = await vote_store.final_ballots(world.db, vote.id)
    assert [(decode_ranking(r), w) for r, w in ballots] == [((2, 0), 1)]


async def test_thirty_candidates_page_and_post(chapter):
    world = chapter
    names = [f"Candidate {i:02d} with a long name" for i in range(29)]
    race = await make_race(world, names)
    vote = await create_vote(world, race)
    announcement = await wait_announcement(world, vote.id)
    opened = await open_ballot(world.alice, announcement, vote.id)
    select = next(c for c in opened.components[0]["components"] if c["type"] == 3)
    assert len(select["options"]) == 25
    ballot = ["Candidate 28 with a long name", "No endorsement", "Candidate 00 with a long name"]
    await rank(world, world.alice, opened.message["id"], ballot)
    assert recorded(await submit(world, world.alice, opened.message["id"]))
    for member, first in zip([world.bob, world.organiser], names[5:], strict=False):
        assert recorded(await cast(world, member, announcement, vote.id, [first]))
    posted = await close_now(world, vote)
    embed = posted["embeds"][0]
    assert sum(len(f["value"]) for f in embed["fields"]) + len(embed["description"]) < 6000
    report = next(a for a in posted["attachments"] if a["filename"].endswith(".txt"))
    assert report["size"] > 0


async def test_a_close_interrupted_after_its_post_is_not_posted_twice(chapter):
    """The process died after posting the result but before recording it: at start-up the
    recovered job finds its marker in the channel and posts nothing more."""
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, closes="in 1h")
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await cast(world, world.alice, announcement, vote.id, ["Ada Ruiz"]))
    posted = await close_now(world, vote)
    await world.stop()
    # What a crash between the post and its bookkeeping leaves behind.
    db = await Database.open(world.db_path)
    try:
        async with db.transaction() as conn:
            await conn.execute("UPDATE votes SET result_message_id = NULL WHERE id = ?", (vote.id,))
            await conn.execute(
                "UPDATE scheduled_jobs SET state = 'running' WHERE kind = 'vote.close'"
            )
    finally:
        await db.close()
    await world.start()
    # The recovered job runs on its own timer.
    await wait_for_job(world.db, vote.close_job_id, nudge=world.bot.scheduler.run_due)
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert closed.result_message_id == int(posted["id"])
    assert {j.state for j in await jobs.unfinished(world.db)} == set()
    results = [
        m
        for m in world.votes.messages
        if any(a["filename"].endswith(".blt") for a in m["attachments"])
    ]
    assert len(results) == 1


async def test_a_scheduled_open_freezes_the_roll_then(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, opens="in 1h", closes="in 2d")
    assert vote.state == "scheduled"
    early = world.guild.add_member("early", roles=[world.member_role])  # joins before the open
    assert not [m for m in world.votes.messages if custom_ids(m)]
    status = await world.alice.slash("vote status", vote=str(vote.id))
    assert "opens" in status.text
    world.clock.advance(timedelta(hours=1, minutes=1))
    await world.bot.scheduler.run_due()
    announcement = await wait_announcement(world, vote.id)
    late = world.guild.add_member("late", roles=[world.member_role])  # joins after the open
    assert recorded(await cast(world, early, announcement, vote.id, ["Bo Chen"]))
    refused = await open_ballot(late, announcement, vote.id)
    assert "not on this vote's roll" in refused.text
    opened = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert opened.roll_size == 4  # organiser, alice, bob and early hold the member role
