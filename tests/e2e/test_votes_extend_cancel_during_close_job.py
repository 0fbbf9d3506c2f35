"""`/vote extend` and `/vote cancel` while the vote's close job is running, through the
loopback Discord: the committee member is told no, nothing about the vote changes, and the
close then posts its result once.

The close is held on an asyncio.Event (a wrapper around the close step the job's handler
calls), never on a sleep, so each test sees exactly one moment of the close:

- claimed, not yet frozen: the scheduler has marked the close job `running` at the close
  time while the command's clock still reads a moment before it (the command started just
  before the close). The vote is still `open` and before its `closes_at`, so only the
  scheduler's "the job is no longer pending" answer stands between the command and a
  change: the member must read "is closing right now".
- frozen, result not yet posted: the ballots are frozen and counted, the post is pending;
  the vote reads as closed.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.store import jobs
from bot.store import votes as vote_store
from tests.e2e.votes_helpers import (
    HeldClose,
    audit_text,
    open_vote_with_a_ballot,
    result_posts,
    wait_result,
)

pytestmark = pytest.mark.asyncio


async def start_close(world, vote, held: HeldClose) -> asyncio.Task:
    """Run the close job as the scheduler would at the close time, and wait until it is
    held; the task's result is `run_due`'s {job id: final state}."""
    closing = asyncio.create_task(world.bot.scheduler.run_due(now=vote.closes_at))
    await held.wait_entered()
    # Preconditions, not checks of the refusal: the close is claimed and held, unposted.
    job = await jobs.get(world.db, vote.close_job_id)
    assert job.state == "running" and job.due_at == vote.closes_at
    assert not result_posts(world, vote.id)
    return closing


async def open_ballots(world, vote) -> int:
    rows = await world.db.fetchall(
        "SELECT count(*) AS n FROM vote_open_ballots WHERE vote_id = ?", (vote.id,)
    )
    return rows[0]["n"]


def posts_containing(world, text: str) -> list[dict]:
    return [m for m in world.votes.messages if text in (m.get("content") or "")]


async def finish_close(world, vote, held: HeldClose, closing: asyncio.Task) -> None:
    """Let the held close go on; it must post the result exactly once, counting the ballot
    cast before, with the close time it always had."""
    held.release()
    assert await asyncio.wait_for(closing, 10) == {vote.close_job_id: "done"}
    await wait_result(world, vote.id)
    assert len(result_posts(world, vote.id)) == 1
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert closed.state == "closed" and closed.cancelled_at is None
    assert closed.closes_at == vote.closes_at
    assert closed.ballots_cast == 1  # alice's ballot was not discarded
    assert closed.result_message_id is not None
    job = await jobs.get(world.db, vote.close_job_id)
    assert job.state == "done" and job.due_at == vote.closes_at
    # Nothing is left to run, and running the due jobs again posts nothing more.
    assert await world.bot.scheduler.run_due(now=vote.closes_at) == {}
    assert held.calls == 1
    assert len(result_posts(world, vote.id)) == 1
    trail = await audit_text(world, vote)
    assert "`vote.close`" in trail
    assert "`vote.extend`" not in trail and "`vote.cancel`" not in trail


async def test_extend_while_the_close_job_runs_is_refused(chapter, monkeypatch):
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    before = await audit_text(world, vote)
    held = HeldClose(monkeypatch, before_freeze=True)
    closing = await start_close(world, vote, held)
    assert world.clock() < vote.closes_at  # the command's own clock says "still open"

    refused = await world.organiser.slash("vote extend", vote=str(vote.id), closes="in 3h")
    assert refused.ephemeral and refused.text == (
        f"Vote #{vote.id} is closing right now; it cannot be extended."
    ), refused.text

    during = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert during.state == "open" and during.closes_at == vote.closes_at
    assert await audit_text(world, vote) == before
    assert not posts_containing(world, "is extended")

    await finish_close(world, vote, held, closing)
    assert not posts_containing(world, "is extended")


async def test_cancel_while_the_close_job_runs_is_refused(chapter, monkeypatch):
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    before = await audit_text(world, vote)
    held = HeldClose(monkeypatch, before_freeze=True)
    closing = await start_close(world, vote, held)
    assert world.clock() < vote.closes_at

    refused = await world.organiser.slash(
        "vote cancel", vote=str(vote.id), reason="Candidate withdrew"
    )
    assert refused.ephemeral and refused.text == (
        f"Vote #{vote.id} is closing right now; it cannot be cancelled."
    ), refused.text

    during = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert during.state == "open" and during.cancelled_at is None
    assert during.cancel_reason is None and during.closes_at == vote.closes_at
    assert await open_ballots(world, vote) == 1  # alice's ballot was not discarded
    assert await audit_text(world, vote) == before
    assert not posts_containing(world, "is cancelled")

    await finish_close(world, vote, held, closing)
    assert not posts_containing(world, "is cancelled")


async def test_extend_and_cancel_after_the_freeze_before_the_post_are_refused(chapter, monkeypatch):
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    held = HeldClose(monkeypatch, before_freeze=False)
    closing = await start_close(world, vote, held)
    frozen = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert frozen.state == "closed" and frozen.result_message_id is None  # precondition
    before = await audit_text(world, vote)
    assert "`vote.close`" in before

    extend = await world.organiser.slash("vote extend", vote=str(vote.id), closes="in 3h")
    assert extend.ephemeral and extend.text == (
        f"Vote #{vote.id} has closed; you cannot extend it any more."
    ), extend.text
    cancel = await world.organiser.slash("vote cancel", vote=str(vote.id), reason="Too late")
    assert cancel.ephemeral and cancel.text == (
        f"Vote #{vote.id} has closed; you cannot cancel it any more."
    ), cancel.text

    during = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert during.state == "closed" and during.cancelled_at is None
    assert during.closes_at == vote.closes_at and during.ballots_cast == 1
    assert await audit_text(world, vote) == before
    assert not posts_containing(world, "is extended")
    assert not posts_containing(world, "is cancelled")

    await finish_close(world, vote, held, closing)
