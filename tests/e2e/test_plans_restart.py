"""Plan reminders across restarts: due ones go out once; a long outage gives one summary.

The bot's clock is injected (tests/e2e/conftest.py `Clock`), so the test moves time and runs
what is due with `scheduler.run_due()`, the same path the scheduler's sweep takes.
tests/e2e/test_plans_process.py kills a real process between the post and the commit.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.services import plans as plan_service
from tests.e2e.plans_helpers import (
    NY,
    add_race,
    create_plan,
    milestone,
    pending_reminders,
    reminder_posts,
    set_clock,
)
from tests.jobs import jobs_of, wait_for_job

pytestmark = pytest.mark.asyncio


async def council_vote(world, *, days_ahead: int, reminder_days: str):
    """A far race whose plan reminds `reminder_days` before a milestone `days_ahead` away."""
    race = await add_race(world, world.clock().date() + timedelta(days=950))
    await create_plan(world, race, reminder_days=reminder_days)
    on = world.clock().astimezone(NY).date() + timedelta(days=days_ahead)
    added = await world.organiser.slash(
        "plan milestone add", race=str(race.id), name="Labor council vote", on=on.isoformat()
    )
    assert "Added" in added.text, added.text
    council = await milestone(world, race, "Labor council vote")
    return race, council, await pending_reminders(world, council.id)


async def test_a_restart_while_a_reminder_is_due_sends_it_once(chapter) -> None:
    world = chapter
    _, _, reminders = await council_vote(world, days_ahead=10, reminder_days="7")
    [due] = reminders
    await world.stop()
    set_clock(world, due.due_at + timedelta(hours=1))  # down at 10:00, back at 11:00
    await world.start()  # the overdue reminder's timer goes off at once
    assert (await wait_for_job(world.db, due.id, nudge=world.bot.scheduler.run_due)).state == "done"
    await world.restart()
    assert await world.bot.scheduler.run_due() == {}
    [post] = reminder_posts(world)
    assert "**Labor council vote in 7 days**" in post["content"]
    assert post["content"].endswith(due.marker)


async def test_a_bot_down_for_three_days_posts_one_summary_not_a_flood(chapter) -> None:
    world = chapter
    _, _, reminders = await council_vote(world, days_ahead=5, reminder_days="4, 3, 2, 1")
    assert [r.due_at.astimezone(NY).time() for r in reminders] == [time(10)] * 4
    await world.stop()
    # Down for three days and more: back an hour after the 1-day reminder was due.
    set_clock(world, reminders[-1].due_at + timedelta(hours=1))
    await world.start()
    ran = [await wait_for_job(world.db, r.id, nudge=world.bot.scheduler.run_due) for r in reminders]
    assert [r.state for r in ran] == ["missed", "missed", "missed", "done"]
    [summary_job] = await jobs_of(world.db, int(world.guild.id), plan_service.SUMMARY_JOB)
    set_clock(world, summary_job.due_at + timedelta(seconds=1))
    summary_run = await wait_for_job(world.db, summary_job.id, nudge=world.bot.scheduler.run_due)
    assert summary_run.state == "done"
    await world.restart()
    await world.bot.scheduler.run_due()

    posts = [m for m in world.reminders.messages if m["author"]["id"] == world.fake.bot_user.id]
    assert len(posts) == 2  # the reminder still inside its grace window, and one summary
    assert "**Labor council vote tomorrow**" in posts[0]["content"]
    summary = posts[1]["content"]
    assert "3 plan reminders came due while the bot was offline" in summary
    for days in ("in 4 days", "in 3 days", "in 2 days"):
        assert f"Labor council vote {days} — Assembly 36" in summary
    assert summary.endswith(summary_job.marker)
    assert summary.count("\n•") == 3
