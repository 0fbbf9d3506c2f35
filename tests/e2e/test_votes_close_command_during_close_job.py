"""`/vote close` against the vote's close job, through the loopback Discord: what the
organiser reads, the vote row, `/vote audit` and the posted result.

- The close job is running (held on an asyncio.Event, as in
  test_votes_extend_cancel_during_close_job.py): the organiser is told the vote is closing
  right now, and nothing about the vote changes.
- The close time has passed but the close job has not run yet (the bot's clock is moved
  past the close after its timer was set): `/vote close` runs the overdue close now. It is
  not an early close: the close time stays, nobody is named as having closed it, and the
  result says it closed late.
- The close job failed (a close step that raises once): `/vote close` schedules a new close
  job, and the result is posted once.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.services import votes as vote_service
from bot.store import jobs
from bot.store import votes as vote_store
from tests.e2e.votes_helpers import (
    HeldClose,
    audit_text,
    open_vote_with_a_ballot,
    result_posts,
    wait_result,
)
from tests.fakediscord import message_text
from tests.jobs import wait_for_job

pytestmark = pytest.mark.asyncio

LATE = timedelta(hours=2)  # the votes close "in 1h": the bot's clock is an hour past that


class FailOnce:
    """The close step raises on its first call (before touching the vote), then runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = vote_service.close_vote

        async def failing(*args, **kwargs):
            self.calls += 1
            if self.calls == 1:
                raise RuntimeError("the close failed")
            return await original(*args, **kwargs)

        monkeypatch.setattr(vote_service, "close_vote", failing)


async def current(world, vote):
    return await vote_store.get_vote(world.db, int(world.guild.id), vote.id)


def closing_text(vote) -> str:
    return f"Vote #{vote.id} is closing right now; its result will be posted shortly."


def at(moment) -> str:
    return f"<t:{int(moment.timestamp())}:F>"


async def ask_close(world, vote):
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    assert asked.ephemeral and asked.message is not None, asked.text
    return asked


def overdue_prompt(asked, vote) -> bool:
    """The prompt for a close time that has passed: no "before its close time"."""
    return (
        "before its close time" not in asked.text
        and f"was due to close {at(vote.closes_at)}" in asked.text
        and "Run the close now?" in asked.text
        and f"vote:close:{vote.id}" in asked.custom_ids
    )


def overdue_done_text(world, vote) -> str:
    return (
        f"**{vote.title}** stopped taking ballots at its close time {at(vote.closes_at)}; its "
        f"close runs now and the result is being posted in <#{world.votes.id}>."
    )


async def result_text(world, vote) -> str:
    posts = result_posts(world, vote.id)
    assert len(posts) == 1, posts
    return message_text(posts[0])


def by_bot(action: str) -> str:
    return f" · the bot · `{action}`"


def by_organiser(world, action: str) -> str:
    return f" · <@{world.organiser.id}> · `{action}`"


# --- 1. the close job is running ------------------------------------------------------------


async def test_close_while_a_late_close_job_runs_is_refused(chapter, monkeypatch):
    """The reported bug: the bot was down at the close time; at start-up its close job runs
    late, and the organiser, who opened `/vote close` a moment before, clicks the button."""
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    world.clock.advance(LATE)
    asked = await ask_close(world, vote)
    assert overdue_prompt(asked, vote), asked.text

    held = HeldClose(monkeypatch, before_freeze=True)
    closing = asyncio.create_task(world.bot.scheduler.run_due())
    await held.wait_entered()
    job = await jobs.get(world.db, vote.close_job_id)
    assert job.state == "running" and job.due_at == vote.closes_at  # precondition
    assert not result_posts(world, vote.id)  # precondition
    before = await audit_text(world, vote)

    clicked = await world.organiser.click(asked, f"vote:close:{vote.id}")
    assert clicked.ephemeral and clicked.text == closing_text(vote), clicked.text
    again = await world.organiser.slash("vote close", vote=str(vote.id))
    assert again.ephemeral and again.text == closing_text(vote), again.text
    assert not again.custom_ids  # no button to close it a second time

    during = await current(world, vote)
    assert (during.state, during.closes_at, during.closed_by) == ("open", vote.closes_at, None)
    assert await audit_text(world, vote) == before

    held.release()
    assert await asyncio.wait_for(closing, 10) == {vote.close_job_id: "done"}  # precondition
    await wait_result(world, vote.id)
    text = await result_text(world, vote)
    assert "closed late" in text and "Closed early by" not in text, text
    closed = await current(world, vote)
    assert (closed.state, closed.closes_at, closed.closed_by, closed.closed_late) == (
        "closed",
        vote.closes_at,
        None,
        True,
    ), closed
    assert closed.ballots_cast == 1  # precondition: alice's ballot counted
    trail = await audit_text(world, vote)
    assert by_bot("vote.close") + " 1 ballots; closed late" in trail, trail
    assert "`vote.close_early`" not in trail and "`vote.close_overdue`" not in trail, trail


async def test_close_after_the_freeze_before_the_post_is_refused(chapter, monkeypatch):
    """The close job runs on time and has frozen the ballots; its result is not posted yet."""
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    asked = await ask_close(world, vote)  # before the close: an early close is offered

    held = HeldClose(monkeypatch, before_freeze=False)
    closing = asyncio.create_task(world.bot.scheduler.run_due(now=vote.closes_at))
    await held.wait_entered()
    frozen = await current(world, vote)
    assert frozen.state == "closed" and frozen.result_message_id is None  # precondition
    assert not result_posts(world, vote.id)  # precondition

    clicked = await world.organiser.click(asked, f"vote:close:{vote.id}")
    assert clicked.ephemeral and clicked.text == closing_text(vote), clicked.text
    again = await world.organiser.slash("vote close", vote=str(vote.id))
    assert again.ephemeral and again.text == closing_text(vote), again.text
    # The vote row and the audit trail were safe here before too (the vote reads closed);
    # test_close_while_a_late_close_job_runs_is_refused checks them where they were not.
    held.release()
    assert await asyncio.wait_for(closing, 10) == {vote.close_job_id: "done"}  # precondition
    await wait_result(world, vote.id)


# --- 3. the close time has passed, the close job has not run ------------------------------


async def test_overdue_close_runs_now_without_naming_the_organiser(chapter):
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    world.clock.advance(LATE)  # the scheduler is late: e.g. the bot has just restarted
    job = await jobs.get(world.db, vote.close_job_id)
    assert job.state == "pending" and job.due_at == vote.closes_at  # precondition

    asked = await ask_close(world, vote)
    assert overdue_prompt(asked, vote), asked.text
    done = await world.organiser.click(asked, f"vote:close:{vote.id}")
    assert done.content == overdue_done_text(world, vote), done.content

    row = await current(world, vote)
    assert (row.closes_at, row.closed_by, row.close_job_id) == (
        vote.closes_at,
        None,
        vote.close_job_id,
    )
    job = await jobs.get(world.db, vote.close_job_id)
    # Due at the close time still (it says how late the close is), and due now: its timer
    # is set again and goes off at once.
    assert job.due_at == vote.closes_at <= world.clock()
    trail = await audit_text(world, vote)
    assert (
        by_organiser(world, "vote.close_overdue")
        + f" due to close {vote.closes_at.isoformat()} and not closed yet: the committee "
        "asked for the overdue close to run now" in trail
    ), trail
    assert "`vote.close_early`" not in trail

    closing = await wait_for_job(world.db, vote.close_job_id, nudge=world.bot.scheduler.run_due)
    assert closing.state == "done"  # precondition
    await wait_result(world, vote.id)
    text = await result_text(world, vote)
    assert "closed late" in text and "Closed early by" not in text, text
    closed = await current(world, vote)
    assert (closed.state, closed.closes_at, closed.closed_by, closed.closed_late) == (
        "closed",
        vote.closes_at,
        None,
        True,
    ), closed
    assert closed.ballots_cast == 1  # precondition: alice's ballot counted
    trail = await audit_text(world, vote)
    assert by_bot("vote.close") + " 1 ballots; closed late" in trail, trail


# --- 4. the close job failed -----------------------------------------------------------------


async def test_close_recovers_a_vote_whose_close_job_failed(chapter, monkeypatch):
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    world.clock.advance(LATE)
    failing = FailOnce(monkeypatch)
    # Preconditions: the close job failed, the vote is still open, nothing was posted.
    assert await world.bot.scheduler.run_due() == {vote.close_job_id: "failed"}
    assert (await current(world, vote)).state == "open" and not result_posts(world, vote.id)

    asked = await ask_close(world, vote)
    assert overdue_prompt(asked, vote), asked.text
    done = await world.organiser.click(asked, f"vote:close:{vote.id}")
    assert done.content == overdue_done_text(world, vote), done.content

    row = await current(world, vote)
    assert row.closes_at == vote.closes_at and row.closed_by is None
    assert row.close_job_id not in (None, vote.close_job_id)
    job = await jobs.get(world.db, row.close_job_id)
    assert (job.kind, dict(job.payload), job.due_at) == (
        vote_service.CLOSE_JOB,
        {"vote_id": vote.id},
        vote.closes_at,
    )
    trail = await audit_text(world, vote)
    assert (
        by_organiser(world, "vote.close_overdue")
        + f" due to close {vote.closes_at.isoformat()} and not closed yet: the committee "
        "asked for the overdue close to run now; its close job ended failed, a new one runs it"
        in trail
    ), trail

    closing = await wait_for_job(world.db, row.close_job_id, nudge=world.bot.scheduler.run_due)
    assert closing.state == "done"
    await wait_result(world, vote.id)
    text = await result_text(world, vote)
    assert "closed late" in text and "Closed early by" not in text, text
    closed = await current(world, vote)
    assert closed.state == "closed" and closed.ballots_cast == 1
    assert closed.closes_at == vote.closes_at and closed.closed_by is None
    assert closed.result_message_id is not None
    trail = await audit_text(world, vote)
    assert by_bot("vote.close") + " 1 ballots; closed late" in trail, trail
    await world.bot.scheduler.run_due()  # nothing is left to run: no second result
    assert failing.calls == 2 and len(result_posts(world, vote.id)) == 1


async def test_close_before_the_close_time_recovers_a_failed_close_job(chapter, monkeypatch):
    """The close job fired and failed while the organiser's clock still reads a moment before
    the close: closing now is an early close, and its new job's timer runs it."""
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    failing = FailOnce(monkeypatch)
    # Preconditions: the close job failed, the vote is open and before its close time.
    ran = await world.bot.scheduler.run_due(now=vote.closes_at)
    assert ran == {vote.close_job_id: "failed"}
    assert (await current(world, vote)).state == "open" and world.clock() < vote.closes_at

    asked = await ask_close(world, vote)  # before the close: an early close is offered
    clicked_at = world.clock()
    # The organiser reads "Closed." as before the fix; now it is true.
    await world.organiser.click(asked, f"vote:close:{vote.id}")

    await wait_result(world, vote.id)  # no run_due: the new job's own timer runs it
    text = await result_text(world, vote)
    assert f"Closed early by <@{world.organiser.id}>" in text and "closed late" not in text
    closed = await current(world, vote)
    assert closed.state == "closed" and clicked_at <= closed.closes_at < vote.closes_at
    assert closed.closed_by == int(world.organiser.id) and closed.ballots_cast == 1
    assert closed.close_job_id not in (None, vote.close_job_id)
    assert (await jobs.get(world.db, closed.close_job_id)).due_at == closed.closes_at
    trail = await audit_text(world, vote)
    assert (
        by_organiser(world, "vote.close_early")
        + f" was due to close {vote.closes_at.isoformat()}; its close job ended failed, a new "
        "one runs it" in trail
    ), trail
    assert by_organiser(world, "vote.close") + " 1 ballots" in trail, trail
    await world.bot.scheduler.run_due()  # nothing is left to run: no second result
    assert failing.calls == 2 and len(result_posts(world, vote.id)) == 1
