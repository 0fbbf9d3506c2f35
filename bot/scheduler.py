"""Every timer the bot has (vote closes, reminders, weekly jobs) runs through here.

The `scheduled_jobs` table is the truth; APScheduler is only the alarm clock that says
"look at row N now". Features register one handler per job kind; a handler is an async
callable `handler(job, ctx) -> JobOutcome | None` and never sees APScheduler.

Running a job:
1. claim: `pending` -> `running` in its own committed transaction, only if the row is
   still pending and due, so two firings (timer, sweep, `run_due`) cannot both run it;
2. call the handler with a `JobContext` (how late, whether this is a recovery);
3. settle: `done` / `missed` as the handler says, `failed` (with the error) if it raised
   or gave up (`JobOutcome.failed`: a post Discord will never take, the committee told),
   or back to `pending` at a later time when the handler asks for a retry
   (`JobOutcome.retry` with `backoff`: a post Discord refused, a clean-up another program
   blocks); the row keeps its id, so its marker, and counts its attempts in `ctx.attempt`.
   A handler still running after its kind's `time_limit` is cancelled and retried later
   (as a recovery: it looks for its marker first); one that hangs `MAX_HANGS` times is
   settled `failed` and logged as an error, so a hung close never holds a vote for good.

A handler that posts to Discord does it through `cogs/_posting.post_once`: the post
carries `job.marker` (`"job:{id}"`, footer or last line). If the process dies after the
post but before step 3, the row is still `running` at the next start-up; the handler is
then called with `ctx.recovering=True` and looks for its marker in the channel's recent
messages before posting again (as a retry does: Discord may have posted and lost its answer).

Call `start()` after every feature has registered its handlers (end of `setup_hook`):
it settles rows of unknown kinds as `failed`, re-runs recovered `running` rows, and arms
every pending row due within `arm_horizon`; overdue ones fire at once and their handler
decides what late means. A sweep every `sweep_every` arms the rows that have come within
the horizon since, and runs anything due that no timer woke (a lost timer, a schedule
inside a transaction that was armed before its row existed). Only near rows hold a timer:
a thousand race plans make tens of thousands of reminder rows months ahead, and arming
them all at start-up would hold the event loop for seconds.

This module imports no discord: the handlers (in features) do the posting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosqlite
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.db import Database
from bot.job_types import JobContext, JobHandler, JobOutcome, backoff
from bot.store import jobs
from bot.store.jobs import Job

__all__ = ["Job", "JobContext", "JobHandler", "JobOutcome", "Scheduler", "backoff"]

log = logging.getLogger("endorsebot.scheduler")

# A job that fires this long after its due time counts as late (a timer is never exact,
# and a vote close 2 s after 18:00 should not say "sorry, this is late").
ON_TIME_SLACK = timedelta(seconds=60)
# Rows due further ahead than this get their timer from a later sweep (see the docstring).
ARM_HORIZON = timedelta(hours=1)
# How long a handler may run before it counts as hung (a close counts and posts in seconds;
# Discord's rate limits can stretch a post to a minute or two), and how often it may hang.
TIME_LIMIT = timedelta(minutes=5)
MAX_HANGS = 3
HANG_RETRY = timedelta(minutes=1)  # the first wait after a hang; it doubles


@dataclass(frozen=True, slots=True)
class _Registration:
    handler: JobHandler
    grace: timedelta | None
    time_limit: timedelta | None  # None: the scheduler's `time_limit`


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Scheduler:
    """Runs `scheduled_jobs` rows at their due time through the handler of their kind."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = _utcnow,
        *,
        sweep_every: timedelta = timedelta(minutes=1),
        arm_horizon: timedelta = ARM_HORIZON,
    ) -> None:
        if arm_horizon <= sweep_every:
            raise ValueError("arm_horizon must be longer than sweep_every")
        self._db = db
        self._clock = clock
        self._sweep_every = sweep_every
        self._horizon = arm_horizon
        self._handlers: dict[str, _Registration] = {}
        self._recover: set[int] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._running: dict[int, str] = {}  # job id -> kind, while its handler runs
        self._timer: AsyncIOScheduler | None = None
        self.time_limit = TIME_LIMIT  # for kinds registered without their own

    # -- features --------------------------------------------------------------------------

    def register(
        self,
        kind: str,
        handler: JobHandler,
        *,
        grace: timedelta | None = None,
        time_limit: timedelta | None = None,
    ) -> None:
        """Run `handler` for jobs of `kind`. `grace`: how late the job is still worth doing
        (shown to the handler as `ctx.past_grace`); None for kinds that always run.
        `time_limit`: how long one run may take before it counts as hung (default
        `self.time_limit`)."""
        if kind in self._handlers:
            raise ValueError(f"a handler for job kind {kind!r} is already registered")
        self._handlers[kind] = _Registration(handler, grace, time_limit)

    def unregister(self, kind: str) -> None:
        """For a feature being unloaded; its pending rows wait for the next registration."""
        self._handlers.pop(kind, None)

    async def schedule(
        self,
        conn: aiosqlite.Connection | None,
        *,
        guild_id: int,
        kind: str,
        due_at: datetime,
        payload: Mapping[str, Any] | None = None,
    ) -> int:
        """Add a job; its id. With `conn`, the row is written in the caller's transaction.

        The timer is armed at once either way. That is safe before the transaction commits:
        a firing only claims a row that is pending and due, so if the transaction rolls back
        the firing finds nothing (and if it waits on the open transaction, it runs after the
        commit). The caller has nothing to do after committing.
        """
        if kind not in self._handlers:
            raise ValueError(f"no handler is registered for job kind {kind!r}")
        if conn is None:
            async with self._db.transaction() as own:
                job_id = await self._insert(own, guild_id, kind, due_at, payload)
        else:
            job_id = await self._insert(conn, guild_id, kind, due_at, payload)
        self.arm(job_id, due_at)
        return job_id

    async def _insert(
        self,
        conn: aiosqlite.Connection,
        guild_id: int,
        kind: str,
        due_at: datetime,
        payload: Mapping[str, Any] | None,
    ) -> int:
        return await jobs.insert(
            conn,
            guild_id=guild_id,
            kind=kind,
            due_at=due_at,
            payload=payload or {},
            now=self._clock(),
        )

    async def cancel(
        self, job_id: int, *, reason: str = "cancelled", conn: aiosqlite.Connection | None = None
    ) -> bool:
        """Cancel a pending job (settled `done`, outcome "cancelled: reason"); False if it
        had already run or started. With `conn`, inside the caller's transaction."""
        if conn is None:
            async with self._db.transaction() as own:
                cancelled = await jobs.cancel(own, job_id, self._clock(), reason)
        else:
            cancelled = await jobs.cancel(conn, job_id, self._clock(), reason)
        if cancelled:
            self._disarm(job_id)
        return cancelled

    async def reschedule(
        self, job_id: int, due_at: datetime, *, conn: aiosqlite.Connection | None = None
    ) -> bool:
        """Move a pending job to `due_at`; False if it had already run or started."""
        if conn is None:
            async with self._db.transaction() as own:
                moved = await jobs.move(own, job_id, due_at, self._clock())
        else:
            moved = await jobs.move(conn, job_id, due_at, self._clock())
        if moved:
            self.arm(job_id, due_at)
        return moved

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Rebuild the timers from the table and start them. Call after all `register`s."""
        if self._timer is not None:
            raise RuntimeError("the scheduler is already started")
        self._timer = AsyncIOScheduler(
            jobstores={"default": MemoryJobStore()},
            # The row and its handler decide what late means, so APScheduler must never drop
            # a firing on its own: no misfire limit. coalesce: a timer that missed several
            # runs (the sweep, after the loop was blocked) runs once.
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
            timezone=UTC,
        )
        now = self._clock()
        for job in await jobs.unfinished(self._db, until=now + self._horizon):
            if job.kind not in self._handlers:
                await self._fail_unknown(job, now)
            elif job.state == "running":
                # Claimed by a process that died: it may or may not have posted.
                self._recover.add(job.id)
            self.arm(job.id, job.due_at)
        self._timer.add_job(
            self._wake_sweep,
            "interval",
            seconds=self._sweep_every.total_seconds(),
            id="sweep",
        )
        self._timer.start()
        log.info("scheduler started: %d timers", len(self._timer.get_jobs()) - 1)

    async def shutdown(self, *, wait: float = 10.0) -> None:
        """Stop the timers, give running handlers `wait` seconds, then cancel them (their
        rows stay `running` and are recovered at the next start)."""
        if self._timer is not None and self._timer.running:
            self._timer.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the next loop turn
        self._timer = None
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=wait)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def armed(self, job_id: int) -> bool:
        """Whether a timer is set for job `job_id` (it goes once it has fired)."""
        return self._timer is not None and self._timer.get_job(jobs.marker_for(job_id)) is not None

    def running(self) -> list[str]:
        """`kind #id` of each job whose handler is running now (for the shutdown log)."""
        return [f"{kind} #{job_id}" for job_id, kind in sorted(self._running.items())]

    # -- running -----------------------------------------------------------------------------

    def arm(self, job_id: int, due_at: datetime) -> None:
        """Set (or move) the timer that wakes job `job_id` at `due_at`; harmless if the row is
        not pending or not due by then. Public for callers that wrote rows themselves."""
        if self._timer is None:
            return  # not started: `start()` arms every pending row
        if due_at > self._clock() + self._horizon:
            self._disarm(job_id)  # a sweep arms it once it comes within the horizon
            return
        self._timer.add_job(
            self._wake,
            "date",
            run_date=self._on_timer_clock(due_at),
            args=[job_id],
            id=jobs.marker_for(job_id),
            replace_existing=True,
        )

    def _on_timer_clock(self, due_at: datetime) -> datetime:
        # APScheduler counts on the machine's clock, which need not be the bot's (tests pin
        # the bot's): the timer goes off as far from the machine's now as `due_at` is from
        # the bot's now.
        return datetime.now(UTC) + (due_at - self._clock())

    def _disarm(self, job_id: int) -> None:
        if self._timer is None:
            return
        try:
            self._timer.remove_job(jobs.marker_for(job_id))
        except JobLookupError:
            pass

    async def _wake(self, job_id: int) -> None:
        # APScheduler's executor cancels its futures on shutdown; the job runs in a task of
        # ours so shutdown can let it finish first.
        self._spawn(self._fire(job_id))

    async def _wake_sweep(self) -> None:
        self._spawn(self._sweep())

    async def _sweep(self) -> None:
        await self.arm_upcoming()
        await self.run_due()

    async def arm_upcoming(self) -> int:
        """Arm every pending row now within the horizon that has no timer; how many."""
        if self._timer is None:
            return 0
        armed = 0
        for job in await jobs.due(self._db, self._clock() + self._horizon):
            if self._timer.get_job(jobs.marker_for(job.id)) is None:
                self.arm(job.id, job.due_at)
                armed += 1
        return armed

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(self._logged(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _logged(coro: Coroutine[Any, Any, Any]) -> None:
        # Handler errors are settled as `failed` in `_run`; this catches the rest (the
        # database going away) so a timer task never dies silently.
        try:
            await coro
        except Exception:
            log.exception("scheduler task failed")

    async def run_due(self, now: datetime | None = None) -> dict[int, str]:
        """Run every job due at `now` (default: the clock) and every row left `running` by a
        previous process; {job id: final state} of those this call ran. For the sweep, and
        for tests that move an injected clock instead of waiting."""
        now = now or self._clock()
        ran: dict[int, str] = {}
        for job_id in sorted(self._recover):
            state = await self._fire(job_id, now)
            if state is not None:
                ran[job_id] = state
        for job in await jobs.due(self._db, now):
            state = await self._fire(job.id, now)
            if state is not None:
                ran[job.id] = state
        return ran

    async def run_kind_now(self, kind: str, now: datetime | None = None) -> dict[int, str]:
        """Run every due pending job of `kind` now, in this task; {job id: final state}. For
        a step another job must see finished before it goes on (the close waits for its
        clean-up); a row the timer claimed first is left to it."""
        now = now or self._clock()
        ran: dict[int, str] = {}
        for job in await jobs.due(self._db, now):
            if job.kind == kind:
                state = await self._fire(job.id, now)
                if state is not None:
                    ran[job.id] = state
        return ran

    async def _fire(self, job_id: int, now: datetime | None = None) -> str | None:
        """Claim job `job_id` and run it; its final state, or None if it was not ours to run."""
        now = now or self._clock()
        if job_id in self._recover:
            self._recover.discard(job_id)
            job = await jobs.get(self._db, job_id)
            if job is None or job.state != "running":
                return None
            return await self._run(job, now, recovering=True)
        async with self._db.transaction() as conn:
            job = await jobs.claim(conn, job_id, now)
        if job is None:
            await self._rearm_if_early(job_id, now)
            return None
        return await self._run(job, now, recovering=False)

    async def _rearm_if_early(self, job_id: int, now: datetime) -> None:
        # A timer can wake a hair early, or an old timer can wake a row that was moved later.
        job = await jobs.get(self._db, job_id)
        if job is not None and job.state == "pending" and job.due_at > now:
            self.arm(job_id, job.due_at)

    async def _run(self, job: Job, now: datetime, *, recovering: bool) -> str:
        registration = self._handlers.get(job.kind)
        if registration is None:
            return await self._fail_unknown(job, now)
        lateness = max(now - job.due_at, timedelta(0))
        ctx = JobContext(
            now=now,
            lateness=lateness,
            late=lateness > ON_TIME_SLACK,
            grace=registration.grace,
            # After a hang the run may have posted before it was stopped: look for the marker.
            recovering=recovering or bool(job.payload.get("hangs")),
            attempt=int(job.payload.get("attempt", 0)),
        )
        self._running[job.id] = job.kind
        limit = registration.time_limit or self.time_limit
        try:
            outcome = await _within(limit, registration.handler(job, ctx)) or JobOutcome.done()
        except _Hung:
            return await self._hung(job, limit)
        except Exception as exc:
            log.exception("job %d (%s, guild %d) failed", job.id, job.kind, job.guild_id)
            await self._settle(job, "failed", f"{type(exc).__name__}: {exc}")
            return "failed"
        finally:
            self._running.pop(job.id, None)
        if outcome.state == "retry":
            assert outcome.retry_at is not None
            async with self._db.transaction() as conn:
                await jobs.retry(conn, job.id, outcome.retry_at, outcome.note, self._clock())
            self.arm(job.id, outcome.retry_at)
            return "retry"
        if outcome.state == "missed":
            log.warning("job %d (%s) missed: %s", job.id, job.kind, outcome.note)
        elif outcome.state == "failed":
            log.error("job %d (%s) failed: %s", job.id, job.kind, outcome.note)
        await self._settle(job, outcome.state, outcome.note)
        return outcome.state

    async def _hung(self, job: Job, limit: timedelta) -> str:
        """The handler ran past `limit` and was stopped: retry it, or after `MAX_HANGS` hangs
        settle it `failed` and say so."""
        hangs = int(job.payload.get("hangs", 0)) + 1
        note = f"hung: still running after {limit}, stopped ({hangs} of {MAX_HANGS})"
        if hangs >= MAX_HANGS:
            log.error("job %d (%s, guild %d) %s; failed", job.id, job.kind, job.guild_id, note)
            await self._settle(job, "failed", note)
            return "failed"
        retry_at = self._clock() + backoff(hangs - 1, first=HANG_RETRY, cap=HANG_RETRY * 8)
        log.warning("job %d (%s) %s; retry at %s", job.id, job.kind, note, retry_at)
        async with self._db.transaction() as conn:
            await jobs.retry(conn, job.id, retry_at, note, self._clock(), hung=True)
        self.arm(job.id, retry_at)
        return "retry"

    async def _settle(self, job: Job, state: jobs.FinalState, note: str | None) -> None:
        async with self._db.transaction() as conn:
            # False when the handler already settled the row in its own transaction.
            await jobs.settle(conn, job.id, state, note, self._clock())

    async def _fail_unknown(self, job: Job, now: datetime) -> str:
        note = f"no handler for kind {job.kind}"
        log.error("job %d (guild %d): %s; marked failed", job.id, job.guild_id, note)
        async with self._db.transaction() as conn:
            await jobs.settle(conn, job.id, "failed", note, now, expect=job.state)
        return "failed"


class _Hung(Exception):
    """A handler ran past its time limit and was cancelled."""


async def _within(limit: timedelta, handler: Awaitable[JobOutcome | None]) -> JobOutcome | None:
    """Await `handler` for at most `limit`; past it, cancel it and raise `_Hung`. A handler
    that ignores its cancel is left behind after a second rather than holding the job."""
    task = asyncio.ensure_future(handler)
    try:
        done, _ = await asyncio.wait({task}, timeout=limit.total_seconds())
    except asyncio.CancelledError:  # shutdown cancels the run: the handler goes with it
        task.cancel()
        raise
    if task in done:
        return task.result()
    task.cancel()
    await asyncio.wait({task}, timeout=1)
    raise _Hung
