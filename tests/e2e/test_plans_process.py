"""A plan reminder and a SIGKILL between its post and its commit, with the bot as a process.

The loopback Discord carries out the reminder's post but holds its answer, so the bot is
killed having posted and not recorded it: the job is left `running`. The next process must
find the post by the job's marker and settle the job, not post again.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.db import Database, migrate
from bot.scheduler import JobOutcome, Scheduler
from bot.services import chapters as chapter_service
from bot.services import plans as plan_service
from bot.store import jobs
from tests.e2e.conftest import build_world
from tests.e2e.plans_helpers import add_race
from tests.e2e.test_process import BotProcess
from tests.fakediscord.server import FakeDiscord
from tests.jobs import wait_for_job

pytestmark = pytest.mark.asyncio


async def a_reminder_due_now(db: Database, world) -> jobs.Job:
    """A plan made as the committee would (no bot running: the rows the bot will find),
    with one reminder moved to a minute ago: due, and inside its grace window."""
    writer = Scheduler(db, world.clock)  # never started: it only writes rows

    async def unused(job, ctx):  # type: ignore[no-untyped-def]
        return JobOutcome.done()

    writer.register(plan_service.REMINDER_JOB, unused)
    writer.register(plan_service.SUMMARY_JOB, unused)
    members = SimpleNamespace(**vars(world), db=db)
    race = await add_race(members, world.clock().date() + timedelta(days=950))
    made = await plan_service.create(
        db, writer, guild_id=race.guild_id, race_id=race.id, actor_id=int(world.organiser.id),
        tz="America/New_York", now=world.clock(),
    )  # fmt: skip
    announcement = next(m for m in made.milestones if m.key == "announcement")
    job_id = (await plan_service.store.reminders_of(db, race.guild_id, announcement.id))[0].job_id
    async with db.transaction() as conn:
        await jobs.move(conn, job_id, world.clock() - timedelta(minutes=1), world.clock())
    job = await jobs.get(db, job_id)
    assert job is not None
    return job


async def test_a_sigkill_between_post_and_commit_does_not_post_twice(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    world = build_world(fake, tmp_path)
    db = await Database.open(world.db_path)
    try:
        await migrate(db)
        await chapter_service.configure(db, world.config(), now=world.clock())
        job = await a_reminder_due_now(db, world)
        held = fake.hold_responses("POST", rf"/channels/{world.reminders.id}/messages$")

        bot = await BotProcess(
            fake, tmp_path, clock=world.clock, DATABASE_PATH=str(world.db_path)
        ).start()
        await asyncio.wait_for(held.reached.wait(), 20)  # posted; the answer is held back
        assert (await jobs.get(db, job.id)).state == "running"
        bot.kill(signal.SIGKILL)
        assert await bot.wait() == -signal.SIGKILL
        held.release()

        again = await BotProcess(
            fake, tmp_path, clock=world.clock, DATABASE_PATH=str(world.db_path)
        ).start()
        done = await wait_for_job(db, job.id)
        assert (done.state, done.outcome) == ("done", "posted before the restart")
        posts = [m for m in world.reminders.messages if job.marker in m["content"]]
        assert len(posts) == 1 and "**Announcement in 30 days**" in posts[0]["content"]
        again.kill(signal.SIGTERM)
        assert await again.wait() == 0
        assert "Traceback" not in again.log
        assert len([m for m in world.reminders.messages if job.marker in m["content"]]) == 1
    finally:
        await db.close()
