"""Waiting for a scheduled job to finish, whoever runs it; what the job table holds.

A job can be run by its own timer (the bot's clock runs at real speed), by the sweep, or by
a test calling `scheduler.run_due()` after moving the clock; which one gets there first is
not the test's business. `wait_for_job` waits until the row is settled and returns it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.db import Database
from bot.store import jobs

UNFINISHED = ("pending", "running")


async def wait_for_job(
    db: Database,
    job_id: int,
    *,
    within: float = 20.0,
    nudge: Callable[[], Awaitable[object]] | None = None,
) -> jobs.Job:
    """Job `job_id` once it is no longer pending or running (done, failed or missed).

    `nudge` is awaited before each look, e.g. `bot.scheduler.run_due` when the test moved
    the clock past the job's time (its timer was set for the unmoved clock). A job that
    asks for a retry is pending again, so this waits on through retries; check
    `job.outcome` for what happened."""
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while True:
        if nudge is not None:
            await nudge()
        job = await jobs.get(db, job_id)
        if job is not None and job.state not in UNFINISHED:
            return job
        if loop.time() > end:
            raise AssertionError(f"job {job_id} did not finish within {within} s: {job}")
        await asyncio.sleep(0.02)


async def jobs_of(db: Database, guild_id: int, kind: str | None = None) -> list[jobs.Job]:
    """A chapter's jobs (optionally of one kind), in any state, earliest first: how a test
    checks what the bot scheduled. Production never lists a chapter's jobs, so the query
    lives here; each row is read back through the store's own `jobs.get`."""
    rows = await db.fetchall(
        "SELECT id FROM scheduled_jobs WHERE guild_id = ? AND (? IS NULL OR kind = ?)"
        " ORDER BY due_at, id",
        (guild_id, kind, kind),
    )
    found = [await jobs.get(db, row["id"]) for row in rows]
    return [job for job in found if job is not None]
