"""Stopping `endorsebot run` with SIGTERM, as a supervisor does: the log says it is shutting
down and what that interrupts, the work in flight still finishes, and the exit is 0."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from tests.e2e.test_close_faults import close_now, vote_with_three_ballots
from tests.e2e.votes_helpers import result_posts
from tests.fakediscord.server import FakeDiscord

pytestmark = pytest.mark.asyncio


async def test_sigterm_names_the_close_it_interrupts_and_lets_it_finish(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    world, db, bot, members, vote, _ = await vote_with_three_ballots(fake, tmp_path)
    try:
        # Discord takes the result post but the bot has not heard back yet: the close job
        # is mid-run when the supervisor stops the service.
        held = fake.hold_responses("POST", rf"/channels/{world.votes.id}/messages$")
        await close_now(members, vote)
        await asyncio.wait_for(held.reached.wait(), 20)
        [job] = await db.fetchall(
            "SELECT id FROM scheduled_jobs WHERE kind = 'vote.close' AND state = 'running'"
        )
        bot.kill(signal.SIGTERM)
        await bot.wait_for_log("shutting down on SIGTERM: ")
        held.release()
        assert await bot.wait() == 0
    finally:
        await db.close()
    [line] = [s for s in bot.log.splitlines() if "shutting down" in s]
    assert line.endswith(
        f"endorsebot: shutting down on SIGTERM: 1 job(s) running (vote.close #{job['id']})"
    )
    assert bot.log.rstrip().endswith("endorsebot: stopped")
    assert len(result_posts(members, vote.id)) == 1
    assert "Traceback" not in bot.log and "voice will NOT be supported" not in bot.log
