from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from bot.db import Database
from bot.scheduler import Job, JobContext, JobOutcome, Scheduler
from bot.store import jobs
from tests.clock import T0
from tests.jobs import jobs_of, wait_for_job

pytestmark = pytest.mark.asyncio

GUILD = 1234
# Injected-clock tests stop the clock at T0 and move it by hand. Timers are set as far from
# the machine's now as a row's due time is from the clock's: a row due by the clock's time
# fires at once by itself (as at a start-up after downtime), one due later waits in real time.


class Clock:
    """A stopped clock the test moves (`clock.now = ...`)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Channel:
    """A stand-in for a Discord channel: what was posted, marker included."""

    def __init__(self) -> None:
        self.posts: list[str] = []

    def recent_with(self, marker: str) -> bool:
        return any(marker in post for post in self.posts[-50:])


class Recorder:
    """A handler that records each call and posts once, looking for its marker first."""

    def __init__(self, channel: Channel | None = None) -> None:
        self.calls: list[tuple[Job, JobContext]] = []
        self.channel = channel or Channel()
        self.called = asyncio.Event()

    async def __call__(self, job: Job, ctx: JobContext) -> JobOutcome:
        self.calls.append((job, ctx))
        self.called.set()
        if ctx.recovering and self.channel.recent_with(job.marker):
            return JobOutcome.done("already posted before the restart")
        self.channel.posts.append(f"vote closed{' (late)' if ctx.late else ''} [{job.marker}]")
        return JobOutcome.done("posted")


@pytest_asyncio.fixture
async def make_scheduler(db: Database) -> AsyncIterator[Callable[..., Scheduler]]:
    made: list[Scheduler] = []

    def make(clock: Callable[[], datetime] | None = None) -> Scheduler:
        scheduler = Scheduler(db, clock) if clock is not None else Scheduler(db)
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        await scheduler.shutdown(wait=1)


async def add_row(db: Database, kind: str, due_at: datetime, **payload: object) -> int:
    """A row written by an earlier process (no scheduler of this one involved)."""
    async with db.transaction() as conn:
        return await jobs.insert(
            conn, guild_id=GUILD, kind=kind, due_at=due_at, payload=payload, now=due_at
        )


async def wait_until_state(
    db: Database, job_id: int, state: tuple[str, str | None], *, attempts: int
) -> None:
    """Until the row reads `state` (state, outcome) after the handler's `attempts`-th run."""
    async with asyncio.timeout(5):
        while (await state_of(db, job_id), await attempt_of(db, job_id)) != (state, attempts):  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def attempt_of(db: Database, job_id: int) -> int:
    job = await jobs.get(db, job_id)
    assert job is not None
    return int(job.payload.get("attempt", 0))


async def state_of(db: Database, job_id: int) -> tuple[str, str | None]:
    job = await jobs.get(db, job_id)
    assert job is not None
    return job.state, job.outcome


async def wait_until(condition: Callable[[], bool], within: float = 3.0) -> None:
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 (a plain predicate: nothing to await)
            await asyncio.sleep(0.01)


async def settled(scheduler: Scheduler, job_id: int) -> None:
    """Wait until the timer of `job_id` has fired and every run it started has finished:
    what a test waits on before checking that something did not happen twice."""
    await wait_until(lambda: not scheduler.armed(job_id))
    # The firing's task was queued when the timer went; one loop turn lets it hand its run
    # over, and shutdown waits for that run to finish.
    await asyncio.sleep(0)
    await scheduler.shutdown(wait=5)


async def test_job_due_while_down_runs_once_at_startup_and_knows_it_is_late(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    job_id = await add_row(db, "vote.close", T0, vote_id=7)
    scheduler = make_scheduler(Clock(T0 + timedelta(hours=2)))
    handler = Recorder()
    scheduler.register("vote.close", handler)
    await scheduler.start()  # the row is overdue: its timer goes off at once

    assert (await wait_for_job(db, job_id)).state == "done"
    assert await scheduler.run_due() == {}

    [(job, ctx)] = handler.calls
    assert job.id == job_id and job.payload == {"vote_id": 7}
    assert job.marker == f"job:{job_id}"
    assert ctx.late and ctx.lateness == timedelta(hours=2) and not ctx.recovering
    assert await state_of(db, job_id) == ("done", "posted")
    assert handler.channel.posts == [f"vote closed (late) [job:{job_id}]"]


async def test_overdue_row_fires_by_itself_at_startup(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    job_id = await add_row(db, "vote.close", datetime.now(UTC) - timedelta(hours=1))
    scheduler = make_scheduler()  # the real clock: only APScheduler can run it here
    handler = Recorder()
    scheduler.register("vote.close", handler)
    await scheduler.start()

    assert (await wait_for_job(db, job_id)).state == "done"
    [(_, ctx)] = handler.calls
    assert ctx.late


async def test_on_time_job_is_not_late(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    clock = Clock(T0 - timedelta(days=1))
    scheduler = make_scheduler(clock)
    handler = Recorder()
    scheduler.register("vote.close", handler)
    await scheduler.start()
    job_id = await scheduler.schedule(None, guild_id=GUILD, kind="vote.close", due_at=T0)

    assert await scheduler.run_due() == {}  # not due yet
    clock.now = T0 + timedelta(seconds=2)
    assert await scheduler.run_due() == {job_id: "done"}
    [(_, ctx)] = handler.calls
    assert not ctx.late and ctx.lateness == timedelta(seconds=2)


async def test_run_due_and_timer_racing_run_the_job_once(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    job_id = await add_row(db, "vote.close", datetime.now(UTC) - timedelta(minutes=5))
    scheduler = make_scheduler()
    handler = Recorder()
    scheduler.register("vote.close", handler)
    await scheduler.start()

    results = await asyncio.gather(*(scheduler.run_due() for _ in range(3)))
    assert (await wait_for_job(db, job_id)).state == "done"
    await settled(scheduler, job_id)  # the start-up timer's firing has finished too
    assert len(handler.calls) == 1
    assert sum(job_id in r for r in results) <= 1


async def test_crash_after_post_is_settled_by_marker_not_by_posting_again(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    channel = Channel()
    posted = asyncio.Event()

    async def dies_after_posting(job: Job, ctx: JobContext) -> JobOutcome:
        channel.posts.append(f"results [{job.marker}]")
        posted.set()
        await asyncio.Event().wait()  # the process dies here, before the row is settled
        raise AssertionError("unreachable")

    job_id = await add_row(db, "vote.close", T0)
    first = make_scheduler(Clock(T0))
    first.register("vote.close", dies_after_posting)
    await first.start()  # the row is due: its timer runs the handler
    await posted.wait()
    await first.shutdown(wait=0)  # the handler is cancelled before it settles the row
    assert await state_of(db, job_id) == ("running", None)

    second = make_scheduler(Clock(T0 + timedelta(minutes=3)))
    handler = Recorder(channel)
    second.register("vote.close", handler)
    await second.start()
    assert (await wait_for_job(db, job_id)).state == "done"
    assert await second.run_due() == {}

    [(_, ctx)] = handler.calls
    assert ctx.recovering
    assert channel.posts == [f"results [job:{job_id}]"]
    assert await state_of(db, job_id) == ("done", "already posted before the restart")


async def test_crash_before_post_posts_once_on_recovery(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    job_id = await add_row(db, "vote.close", T0)
    async with db.transaction() as conn:
        assert await jobs.claim(conn, job_id, T0) is not None  # claimed, then the crash

    scheduler = make_scheduler(Clock(T0 + timedelta(minutes=1)))
    handler = Recorder()
    scheduler.register("vote.close", handler)
    await scheduler.start()
    assert (await wait_for_job(db, job_id)).state == "done"
    assert handler.channel.posts == [f"vote closed [job:{job_id}]"]
    assert handler.calls[0][1].recovering


async def test_unknown_kind_is_reported_not_crashed_on(
    db: Database, make_scheduler: Callable[..., Scheduler], caplog: pytest.LogCaptureFixture
) -> None:
    stray = await add_row(db, "petition.count", T0)
    stray_running = await add_row(db, "petition.count", T0)
    async with db.transaction() as conn:
        await jobs.claim(conn, stray_running, T0)
    good = await add_row(db, "vote.close", T0)
    scheduler = make_scheduler(Clock(T0))
    handler = Recorder()
    scheduler.register("vote.close", handler)

    with caplog.at_level(logging.ERROR, logger="endorsebot.scheduler"):
        await scheduler.start()
    assert await state_of(db, stray) == ("failed", "no handler for kind petition.count")
    assert await state_of(db, stray_running) == ("failed", "no handler for kind petition.count")
    assert any(
        "no handler for kind petition.count" in r.getMessage() and r.levelno == logging.ERROR
        for r in caplog.records
    )
    assert (await wait_for_job(db, good)).state == "done"


async def test_scheduling_an_unregistered_kind_is_a_programming_error(
    make_scheduler: Callable[..., Scheduler],
) -> None:
    scheduler = make_scheduler(Clock(T0))
    with pytest.raises(ValueError, match="no handler"):
        await scheduler.schedule(None, guild_id=GUILD, kind="typo", due_at=T0)


@pytest.mark.parametrize(
    ("late_by", "expected_state", "sent"),
    [(timedelta(minutes=30), "done", True), (timedelta(hours=3), "missed", False)],
)
async def test_reminder_inside_grace_is_sent_older_is_missed(
    db: Database,
    make_scheduler: Callable[..., Scheduler],
    late_by: timedelta,
    expected_state: str,
    sent: bool,
) -> None:
    channel = Channel()

    async def remind(job: Job, ctx: JobContext) -> JobOutcome:
        if ctx.past_grace:
            return JobOutcome.missed(f"{ctx.lateness} late; grace is {ctx.grace}")
        channel.posts.append(f"reminder [{job.marker}]")
        return JobOutcome.done()

    job_id = await add_row(db, "reminder", T0)
    scheduler = make_scheduler(Clock(T0 + late_by))
    scheduler.register("reminder", remind, grace=timedelta(hours=1))
    await scheduler.start()
    assert (await wait_for_job(db, job_id)).state == expected_state
    assert bool(channel.posts) is sent
    state, outcome = await state_of(db, job_id)
    assert state == expected_state
    if not sent:
        assert outcome == "3:00:00 late; grace is 1:00:00"


async def test_handler_that_raises_fails_its_job_and_the_scheduler_goes_on(
    db: Database, make_scheduler: Callable[..., Scheduler], caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(job: Job, ctx: JobContext) -> JobOutcome:
        raise RuntimeError("channel 42 is gone")

    bad = await add_row(db, "broken", T0)
    good = await add_row(db, "vote.close", T0 + timedelta(minutes=1))
    scheduler = make_scheduler(Clock(T0 + timedelta(minutes=5)))
    scheduler.register("broken", broken)
    scheduler.register("vote.close", Recorder())
    await scheduler.start()

    with caplog.at_level(logging.ERROR, logger="endorsebot.scheduler"):
        assert (await wait_for_job(db, bad)).state == "failed"
        assert (await wait_for_job(db, good)).state == "done"
    assert await state_of(db, bad) == ("failed", "RuntimeError: channel 42 is gone")
    assert any(r.exc_info and "failed" in r.getMessage() for r in caplog.records)


async def test_apscheduler_really_fires_a_job_due_shortly(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    scheduler = make_scheduler()
    handler = Recorder()
    scheduler.register("vote.close", handler)
    await scheduler.start()
    started = time.monotonic()
    due = datetime.now(UTC) + timedelta(seconds=0.2)
    job_id = await scheduler.schedule(None, guild_id=GUILD, kind="vote.close", due_at=due)

    await asyncio.wait_for(handler.called.wait(), timeout=3)
    assert time.monotonic() - started >= 0.15
    assert (await wait_for_job(db, job_id)).state == "done"
    assert not handler.calls[0][1].late


async def test_schedule_inside_a_transaction_runs_only_once_committed(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    scheduler = make_scheduler()
    handler = Recorder()
    scheduler.register("vote.close", handler)
    await scheduler.start()

    class Abort(Exception):
        pass

    with pytest.raises(Abort):
        async with db.transaction() as conn:
            await scheduler.schedule(
                conn, guild_id=GUILD, kind="vote.close", due_at=datetime.now(UTC)
            )
            raise Abort
    async with db.transaction() as conn:
        job_id = await scheduler.schedule(
            conn, guild_id=GUILD, kind="vote.close", due_at=datetime.now(UTC)
        )
        # The timer fires now (it is due), and its run must wait for this commit.
        await wait_until(lambda: not scheduler.armed(job_id))
        assert not handler.calls
    assert (await wait_for_job(db, job_id)).state == "done"
    await settled(scheduler, job_id)
    assert [job.id for job, _ in handler.calls] == [job_id]
    assert [job.id for job in await jobs_of(db, GUILD)] == [job_id]


async def test_cancel_and_reschedule(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    clock = Clock(T0 - timedelta(hours=1))
    scheduler = make_scheduler(clock)
    handler = Recorder()
    scheduler.register("vote.close", handler)
    await scheduler.start()
    cancelled = await scheduler.schedule(None, guild_id=GUILD, kind="vote.close", due_at=T0)
    moved = await scheduler.schedule(None, guild_id=GUILD, kind="vote.close", due_at=T0)

    assert await scheduler.cancel(cancelled, reason="vote withdrawn")
    assert not await scheduler.cancel(cancelled)
    assert await scheduler.reschedule(moved, T0 + timedelta(days=1))

    clock.now = T0 + timedelta(minutes=1)
    assert await scheduler.run_due() == {}
    assert await state_of(db, cancelled) == ("done", "cancelled: vote withdrawn")
    clock.now = T0 + timedelta(days=1)
    assert await scheduler.run_due() == {moved: "done"}
    assert not await scheduler.reschedule(moved, T0 + timedelta(days=2))


async def test_handler_may_settle_its_row_in_its_own_transaction(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    async def close_vote(job: Job, ctx: JobContext) -> JobOutcome:
        async with db.transaction() as conn:
            # ... the vote's own writes would go here, committed with the settle ...
            await jobs.settle(conn, job.id, "done", "closed; 41 ballots", ctx.now)
        return JobOutcome.done("ignored: the row is already settled")

    job_id = await add_row(db, "vote.close", T0)
    scheduler = make_scheduler(Clock(T0))
    scheduler.register("vote.close", close_vote)
    await scheduler.start()
    await scheduler.run_due()
    assert await state_of(db, job_id) == ("done", "closed; 41 ballots")


async def test_registering_a_kind_twice_is_refused(
    make_scheduler: Callable[..., Scheduler],
) -> None:
    scheduler = make_scheduler(Clock(T0))
    scheduler.register("vote.close", Recorder())
    with pytest.raises(ValueError, match="already registered"):
        scheduler.register("vote.close", Recorder())


async def test_a_retry_keeps_the_row_and_its_marker_and_survives_a_restart(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    """A handler that cannot finish now (Discord refused its post) asks for a retry: the same
    row goes back to pending at the later time, counts the attempt, and a new process runs
    it at that time."""
    job_id = await add_row(db, "vote.close", T0, vote_id=7)
    clock = Clock(T0)
    seen: list[tuple[str, int]] = []

    async def flaky(job: Job, ctx: JobContext) -> JobOutcome:
        seen.append((job.marker, ctx.attempt))
        if ctx.attempt < 2:
            return JobOutcome.retry(ctx.now + timedelta(seconds=30), "Discord said 503")
        return JobOutcome.done("posted")

    first = make_scheduler(clock)
    first.register("vote.close", flaky)
    await first.start()  # due now: its timer runs it, and it asks for a retry
    await wait_until_state(db, job_id, ("pending", "Discord said 503"), attempts=1)
    assert await first.run_due() == {}  # not due again before its retry time
    await first.shutdown(wait=1)

    clock.now = T0 + timedelta(seconds=31)
    second = make_scheduler(clock)  # a restart between the attempts
    second.register("vote.close", flaky)
    await second.start()  # overdue: its timer runs it, and it asks again
    await wait_until_state(db, job_id, ("pending", "Discord said 503"), attempts=2)
    clock.now += timedelta(seconds=31)
    assert (await wait_for_job(db, job_id, nudge=second.run_due)).state == "done"
    assert seen == [(f"job:{job_id}", 0), (f"job:{job_id}", 1), (f"job:{job_id}", 2)]
    assert await state_of(db, job_id) == ("done", "posted")


async def test_only_rows_within_the_horizon_hold_a_timer_and_the_sweep_arms_the_rest(
    db: Database, make_scheduler: Callable[..., Scheduler], caplog: pytest.LogCaptureFixture
) -> None:
    near = await add_row(db, "vote.close", T0 + timedelta(minutes=10))
    far = await add_row(db, "vote.close", T0 + timedelta(days=3))
    clock = Clock(T0)
    scheduler = make_scheduler(clock)
    scheduler.register("vote.close", Recorder())
    with caplog.at_level(logging.INFO, logger="endorsebot.scheduler"):
        await scheduler.start()
    assert "scheduler started: 1 timers" in caplog.text  # the near row only
    assert await scheduler.arm_upcoming() == 0
    clock.now = T0 + timedelta(days=3) - timedelta(minutes=30)
    assert await scheduler.arm_upcoming() == 1  # the far row has come within the horizon
    assert await scheduler.arm_upcoming() == 0
    clock.now = T0 + timedelta(days=3)
    assert await scheduler.run_due() == {near: "done", far: "done"}


async def test_a_row_beyond_the_horizon_at_start_up_still_fires_by_itself(db: Database) -> None:
    job_id = await add_row(db, "vote.close", datetime.now(UTC) + timedelta(seconds=1.5))
    scheduler = Scheduler(db, sweep_every=timedelta(seconds=0.2), arm_horizon=timedelta(seconds=1))
    handler = Recorder()
    scheduler.register("vote.close", handler)
    await scheduler.start()
    try:
        assert (await wait_for_job(db, job_id, within=6)).state == "done"
        [(_, ctx)] = handler.calls
        assert not ctx.late
    finally:
        await scheduler.shutdown(wait=1)


async def test_a_hung_handler_is_stopped_at_its_limit_retried_as_a_recovery_then_failed(
    db: Database, make_scheduler: Callable[..., Scheduler], caplog: pytest.LogCaptureFixture
) -> None:
    """A handler that never returns does not hold its job: past the kind's time limit it is
    cancelled and the row goes back to pending a minute later, run next as a recovery (it may
    have posted before it hung); after MAX_HANGS hangs the row is failed and logged."""
    job_id = await add_row(db, "vote.close", T0)
    clock = Clock(T0)
    runs: list[JobContext] = []
    stopped: list[bool] = []

    async def hangs(job: Job, ctx: JobContext) -> JobOutcome:
        runs.append(ctx)
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            stopped.append(True)
            raise
        return JobOutcome.done()

    scheduler = make_scheduler(clock)
    scheduler.register("vote.close", hangs, time_limit=timedelta(seconds=0.2))
    with caplog.at_level(logging.WARNING, logger="endorsebot.scheduler"):
        assert await asyncio.wait_for(scheduler.run_due(), 5) == {job_id: "retry"}
        job = await jobs.get(db, job_id)
        assert job.state == "pending" and job.due_at == T0 + timedelta(minutes=1)
        assert job.outcome == "hung: still running after 0:00:00.200000, stopped (1 of 3)"
        assert await scheduler.run_due() == {}  # not again before its retry time
        clock.now = T0 + timedelta(minutes=1)
        assert await asyncio.wait_for(scheduler.run_due(), 5) == {job_id: "retry"}
        clock.now = T0 + timedelta(minutes=3)  # the wait doubled
        assert await asyncio.wait_for(scheduler.run_due(), 5) == {job_id: "failed"}
    assert [ctx.recovering for ctx in runs] == [False, True, True]
    assert stopped == [True, True, True]
    assert await state_of(db, job_id) == (
        "failed",
        "hung: still running after 0:00:00.200000, stopped (3 of 3)",
    )
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [
        f"job {job_id} (vote.close, guild {GUILD}) hung: still running after 0:00:00.200000, "
        "stopped (3 of 3); failed"
    ]


async def test_a_handler_within_its_limit_is_untouched(
    db: Database, make_scheduler: Callable[..., Scheduler]
) -> None:
    job_id = await add_row(db, "vote.close", T0)
    scheduler = make_scheduler(Clock(T0))
    scheduler.time_limit = timedelta(seconds=2)  # the default for kinds without their own

    async def quick(job: Job, ctx: JobContext) -> JobOutcome:
        await asyncio.sleep(0.05)
        return JobOutcome.done("posted")

    scheduler.register("vote.close", quick)
    assert await scheduler.run_due() == {job_id: "done"}
    assert await state_of(db, job_id) == ("done", "posted")
