"""A vote whose close time has passed while its close has not finished, through the loopback
Discord: the close failed, or its handler hung and the scheduler stopped it at its time limit.

`/vote extend` and `/vote cancel` then say what is true (no ballot is taken, the vote is not
counted yet, the bot retries) and what to do (`/vote close`), and change nothing; the hung
close is retried after its time limit and posts the result once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.scheduler import TIME_LIMIT
from bot.services import votes as vote_service
from bot.store import jobs
from bot.store import votes as vote_store
from tests.e2e.votes_helpers import (
    audit_text,
    open_vote_with_a_ballot,
    result_posts,
    wait_result,
)

pytestmark = pytest.mark.asyncio


def overdue_words(vote, done: str) -> str:
    return (
        f"Vote #{vote.id} stopped taking ballots at its close time "
        f"(<t:{int(vote.closes_at.timestamp())}:f>) but has not been counted yet: its close "
        f"has not finished, and the bot retries it on its own. It can no longer be {done}. "
        "Run `/vote close` to count it and post the result now."
    )


class HangsOnce:
    """The close step never returns the first time it is called; later calls run it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.cancelled = False
        original = vote_service.close_vote

        async def close_vote(*args, **kwargs):
            self.calls += 1
            if self.calls == 1:
                try:
                    await asyncio.Event().wait()  # a handler that never returns
                except asyncio.CancelledError:
                    self.cancelled = True
                    raise
            return await original(*args, **kwargs)

        monkeypatch.setattr(vote_service, "close_vote", close_vote)


async def test_a_hung_close_is_stopped_retried_and_extend_cancel_say_what_is_true(
    chapter, monkeypatch
):
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    hang = HangsOnce(monkeypatch)
    world.bot.scheduler.time_limit = timedelta(seconds=0.5)
    world.clock.advance(vote.closes_at - world.clock() + timedelta(minutes=1))

    ran = await asyncio.wait_for(world.bot.scheduler.run_due(), 10)
    assert ran == {vote.close_job_id: "retry"}  # stopped at its limit, not left running
    assert hang.cancelled
    job = await jobs.get(world.db, vote.close_job_id)
    assert job.state == "pending" and "hung" in job.outcome
    still = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert still.state == "open" and not result_posts(world, vote.id)
    before = await audit_text(world, vote)

    extend = await world.organiser.slash("vote extend", vote=str(vote.id), closes="in 3h")
    assert extend.ephemeral and extend.text == overdue_words(vote, "extended"), extend.text
    cancel = await world.organiser.slash("vote cancel", vote=str(vote.id), reason="Too late")
    assert cancel.ephemeral and cancel.text == overdue_words(vote, "cancelled"), cancel.text
    unchanged = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert unchanged.state == "open" and unchanged.closes_at == vote.closes_at
    assert await audit_text(world, vote) == before

    # The retry (a minute later) runs the close once more, as a recovery, and posts the
    # result once; this time under the default limit, which a real close keeps well within.
    world.bot.scheduler.time_limit = TIME_LIMIT
    world.clock.advance(timedelta(minutes=2))
    assert await world.bot.scheduler.run_due() == {vote.close_job_id: "done"}
    await wait_result(world, vote.id)
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert closed.state == "closed" and closed.ballots_cast == 1 and closed.closed_late
    assert len(result_posts(world, vote.id)) == 1
    after = await world.organiser.slash("vote extend", vote=str(vote.id), closes="in 3h")
    assert after.text == f"Vote #{vote.id} has closed; you cannot extend it any more."
