"""A result post Discord refuses is retried, survives a restart, and can be re-posted by
the committee; a refusal whose message Discord did create (a "ghost" 503) is not posted twice.

Issue 13, items 5 and 6, through the loopback Discord answering 503 on the votes channel.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import jobs
from bot.store import votes as vote_store
from tests.e2e.votes_helpers import open_vote_with_a_ballot, result_posts, wait_result
from tests.fakediscord import message_text
from tests.jobs import wait_for_job

pytestmark = pytest.mark.asyncio

POSTS = r"/channels/\d+/messages$"


def posts_marked(world, marker: str) -> list[dict]:
    """Messages in the votes channel carrying the close job's marker (embed or plain)."""
    return [
        m
        for m in world.votes.messages
        if message_text(m).endswith(marker) or marker in message_text(m)
    ]


async def refused_twice(world):
    vote = await open_vote_with_a_ballot(world)
    world.fake.server_error("POST", POSTS, times=2)  # the first try, and its retry
    world.clock.advance(timedelta(hours=2))
    assert await world.bot.scheduler.run_due() == {vote.close_job_id: "retry"}
    world.clock.advance(timedelta(minutes=1))  # the scheduler's backoff: 30 s first
    assert await world.bot.scheduler.run_due() == {vote.close_job_id: "retry"}
    assert posts_marked(world, f"job:{vote.close_job_id}") == []
    job = await jobs.get(world.db, vote.close_job_id)
    assert job.state == "pending" and "503" in (job.outcome or "")
    return vote


async def test_a_result_refused_twice_is_retried_after_a_restart(chapter):
    world = chapter
    vote = await refused_twice(world)
    await world.restart()
    world.clock.advance(timedelta(minutes=10))
    retried = await wait_for_job(world.db, vote.close_job_id, nudge=world.bot.scheduler.run_due)
    assert retried.state == "done"
    await wait_result(world, vote.id)
    assert len(posts_marked(world, f"job:{vote.close_job_id}")) == 1
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert closed.result_message_id is not None and closed.ballots_cast == 1


async def test_the_committee_can_post_a_refused_result_again_at_once(chapter):
    world = chapter
    vote = await refused_twice(world)
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    assert asked.ephemeral and "Post it now?" in asked.text, asked.text
    done = await world.organiser.click(asked, f"vote:close:{vote.id}")
    assert "posted again" in message_text(done.message), done.text
    # The retry is due now: its timer runs it.
    retried = await wait_for_job(world.db, vote.close_job_id)
    assert retried.state == "done"
    await wait_result(world, vote.id)
    await world.fake.settle()
    assert len(result_posts(world, vote.id)) == 1
    job = await jobs.get(world.db, vote.close_job_id)
    assert job.state == "done"


async def test_a_ghost_503_on_the_result_posts_it_once(chapter):
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    world.fake.server_error("POST", POSTS, ghost=True)  # created, but answered 503
    world.clock.advance(timedelta(hours=2))
    assert await world.bot.scheduler.run_due() == {vote.close_job_id: "done"}
    await world.fake.settle()
    assert len(posts_marked(world, f"job:{vote.close_job_id}")) == 1
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert closed.result_message_id == int(result_posts(world, vote.id)[0]["id"])
