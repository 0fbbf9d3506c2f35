"""Canvass logs and the weekly pace job through the loopback Discord: members log shifts, the
Monday 10:00 job (injected clock) warns the committee about a race behind plan, and it posts
once across restarts, a crash between its post and its bookkeeping included."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db import Database
from bot.services import capacity as capacity_service
from tests.e2e.test_capacity import endorsed, set_figures
from tests.fakediscord import message_text
from tests.fakediscord.state import Perm, overwrite
from tests.jobs import jobs_of, wait_for_job

pytestmark = pytest.mark.asyncio
NY = ZoneInfo("America/New_York")


def pace_posts(world) -> list[dict]:
    return [m for m in world.review.messages if "Canvass pace" in message_text(m)]


async def pace_jobs(world):
    return await jobs_of(world.db, int(world.guild.id), capacity_service.PACE_JOB)


async def setup_behind_plan(world):
    """Capacity set (which schedules the job), a race needing 6,003 doors, 150 logged."""
    reply = await world.organiser.slash("capacity chapter", signups=20, shifts=1)
    assert reply.ephemeral, reply.text
    race = await endorsed(world, "City Council D1")
    await set_figures(world, race, turnout=4000)
    today = world.clock().astimezone(NY).date()
    logged = await world.alice.slash(
        "canvass log", doors=100, race=str(race.id), date=(today - timedelta(days=3)).isoformat()
    )
    assert logged.ephemeral and "Logged 100 doors for **City Council D1 (2027)**" in logged.text
    shift = await world.organiser.slash("canvass log", doors=50, race=str(race.id), canvassers=2)
    assert shift.ephemeral and "Logged 50 doors" in shift.text, shift.text
    refused = await world.alice.slash("canvass log", doors=400, canvassers=12)
    assert refused.ephemeral and "Electoral Committee" in refused.text
    [job] = await pace_jobs(world)
    local = job.due_at.astimezone(NY)
    assert (local.weekday(), local.hour, local.minute) == (0, 10, 0)  # Monday 10:00 there
    return race, job


async def test_a_race_behind_plan_is_warned_once_across_restarts(chapter):
    world = chapter
    race, job = await setup_behind_plan(world)
    world.clock.advance(job.due_at - world.clock() + timedelta(seconds=5))
    await world.bot.scheduler.run_due()
    [post] = pace_posts(world)
    text = message_text(post)
    weeks = (race.decisive_date - world.clock().astimezone(NY).date()).days / 7
    needed = -(-(6_003 - 150) // weeks)  # ceil
    assert f"**City Council D1 (2027)** needs {needed:,.0f} doors a week" in text
    assert f"averaged 38 over the last 4 weeks; {weeks:.0f} weeks left" in text  # 150 / 4
    assert job.marker in text
    await world.restart()
    await world.bot.scheduler.run_due()
    assert len(pace_posts(world)) == 1
    states = [(j.id == job.id, j.state) for j in await pace_jobs(world)]
    assert sorted(states) == [(False, "pending"), (True, "done")]  # next Monday's, once


async def test_a_run_killed_after_its_post_does_not_post_again(chapter):
    world = chapter
    _, job = await setup_behind_plan(world)
    world.clock.advance(job.due_at - world.clock() + timedelta(seconds=5))
    await world.bot.scheduler.run_due()
    assert len(pace_posts(world)) == 1
    await world.stop()
    # What a SIGKILL between the post and the job's bookkeeping leaves behind.
    db = await Database.open(world.db_path)
    try:
        async with db.transaction() as conn:
            await conn.execute("UPDATE scheduled_jobs SET state = 'running' WHERE id = ?",
                               (job.id,))  # fmt: skip
    finally:
        await db.close()
    await world.start()
    # The scheduler starts (on_ready), recovers the row and runs it.
    assert (await wait_for_job(world.db, job.id, nudge=world.bot.scheduler.run_due)).state == "done"
    assert len(pace_posts(world)) == 1
    assert [j.state for j in await pace_jobs(world) if j.id == job.id] == ["done"]
    assert len([j for j in await pace_jobs(world) if j.state == "pending"]) == 1


async def test_no_warning_when_the_race_is_on_pace(chapter):
    world = chapter
    reply = await world.organiser.slash("capacity chapter", signups=20, shifts=1)
    assert reply.ephemeral, reply.text
    race = await endorsed(world, "City Council D1")
    await set_figures(world, race, turnout=200)  # 101 to win: 303 doors
    logged = await world.organiser.slash("canvass log", doors=400, race=str(race.id))
    assert logged.ephemeral, logged.text
    [job] = await pace_jobs(world)
    world.clock.advance(job.due_at - world.clock() + timedelta(seconds=5))
    await world.bot.scheduler.run_due()
    assert pace_posts(world) == []
    [done] = [j for j in await pace_jobs(world) if j.id == job.id]
    assert done.state == "done" and done.outcome == "no race behind plan"


async def test_a_refused_post_fails_this_week_but_not_the_weekly_chain(chapter):
    world = chapter
    _, job = await setup_behind_plan(world)
    world.review.set_overwrites(
        [*world.review.overwrites, overwrite(world.bot_role, deny=Perm.SEND_MESSAGES)]
    )
    world.clock.advance(job.due_at - world.clock() + timedelta(seconds=5))
    assert (await world.bot.scheduler.run_due())[job.id] == "failed"
    assert pace_posts(world) == []
    pending = [j for j in await pace_jobs(world) if j.state == "pending"]

    def wall(moment):  # the chapter's wall clock: a week later across a DST change too
        return moment.astimezone(NY).replace(tzinfo=None)

    assert [wall(j.due_at) - wall(job.due_at) for j in pending] == [timedelta(days=7)]
