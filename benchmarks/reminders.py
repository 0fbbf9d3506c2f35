"""Plan reminders under load: `python benchmarks/reminders.py [--plans 1000] [--guilds 50]`.

Loads `--plans` race plans of 12 milestones each (the 11 default ones and one of the
chapter's own, every reminder 30, 7 and 1 days before: about 32 reminder jobs a plan),
spread over `--guilds` chapters, straight into the database. Then it starts the bot as its
own process (`python -m bot`, the production entry point) against the loopback Discord and
measures:

- start-up: from spawning the process to the bot being ready (its "logged in as" line,
  written after the scheduler has armed every pending job), with the load and, as a
  baseline, with the same chapters and no plans; plus `Scheduler.start()` alone on the
  loaded file, in this process;
- reminder latency: from a reminder's due time to its message reaching the loopback
  Discord's REST handler, for a burst (one reminder in every chapter due at the same
  instant, as 10:00 reminders are) and for reminders spread over `--spread` seconds.
  Those reminders are ordinary ones of the loaded plans, moved (before the bot starts) to
  a few seconds after it is expected to be ready.

Targets: reminder p95 under 1 s; ready under 2 s with the load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.db import Database, migrate  # noqa: E402
from bot.domain.races import BallotLine, OfficeKind, RaceDraft  # noqa: E402
from bot.scheduler import JobOutcome, Scheduler  # noqa: E402
from bot.services import chapters as chapter_service  # noqa: E402
from bot.services import plans as plan_service  # noqa: E402
from bot.services import races as race_service  # noqa: E402
from bot.store import jobs  # noqa: E402
from bot.store import plans as plan_store  # noqa: E402
from tests.clock import Clock, process_env  # noqa: E402
from tests.e2e.conftest import build_world  # noqa: E402
from tests.fakediscord.server import FakeDiscord  # noqa: E402

TARGET_P95_S = 1.0
TARGET_READY_S = 2.0
TZ = "America/New_York"


async def _unused(job, ctx):  # type: ignore[no-untyped-def]
    return JobOutcome.done()


def writer(db: Database, now: datetime) -> Scheduler:
    """A scheduler that is never started: it only writes the job rows the bot will find."""
    scheduler = Scheduler(db, lambda: now)
    scheduler.register(plan_service.REMINDER_JOB, _unused)
    scheduler.register(plan_service.SUMMARY_JOB, _unused)
    return scheduler


async def load_plans(db: Database, worlds: list, plans: int, now: datetime) -> list[list[int]]:
    """`plans` plans over the chapters; per chapter, one pending reminder job id per plan."""
    scheduler = writer(db, now)
    per_guild: list[list[int]] = [[] for _ in worlds]
    for i in range(plans):
        g = i % len(worlds)
        world = worlds[g]
        guild_id = int(world.guild.id)
        election = now.date() + timedelta(days=760 + i % 300)
        race = await race_service.add_race(
            db,
            guild_id=guild_id,
            actor_id=int(world.organiser.id),
            draft=RaceDraft(
                f"Council {i}",
                OfficeKind.LEGISLATIVE,
                BallotLine.NONPARTISAN,
                general_date=election,
            ),  # fmt: skip
            now=now,
            tz=TZ,
        )
        view = await plan_service.create(
            db, scheduler, guild_id=guild_id, race_id=race.id, actor_id=1, tz=TZ, now=now
        )
        await plan_service.add_milestone(
            db, scheduler, guild_id=guild_id, race_id=race.id, actor_id=1,
            name="Labor council vote", on=now.date() + timedelta(days=200), until=None,
            tz=TZ, now=now,
        )  # fmt: skip
        announcement = next(m for m in view.milestones if m.key == "announcement")
        links = await plan_store.reminders_of(db, announcement.id)
        per_guild[g].append(links[0].job_id)
        if (i + 1) % 100 == 0:
            print(f"  loaded {i + 1} plans", file=sys.stderr, flush=True)
    return per_guild


async def move_due(db: Database, moves: dict[int, datetime], now: datetime) -> None:
    async with db.transaction() as conn:
        for job_id, due_at in moves.items():
            assert await jobs.move(conn, job_id, due_at, now)


class BotProcess:
    def __init__(self, fake: FakeDiscord, db_path: Path, workdir: Path, clock: Clock) -> None:
        self.clock = clock  # the process's clock starts where the benchmark's is
        self.log_path = workdir / f"bot-{len(list(workdir.glob('bot-*.log')))}.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))},
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_URL": fake.base_url,
            "DATABASE_PATH": str(db_path),
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        }
        self.workdir = workdir
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> float:
        """Spawn the bot; the seconds until it logged that it is ready."""
        started = time.perf_counter()
        self.spawned = time.time()
        with self.log_path.open("wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.workdir,
                env={**self.env, **process_env(self.clock)},
                stdout=log, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        while "logged in as" not in self.log_path.read_text(errors="replace"):
            if self.proc.returncode is not None or time.perf_counter() - started > 120:
                raise RuntimeError(f"the bot never got ready: {self.log_path.read_text()}")
            await asyncio.sleep(0.005)
        return time.perf_counter() - started

    def split(self) -> tuple[float, float]:
        """(spawn to the first log line: interpreter and imports, first line to ready), from
        the log's own timestamps (milliseconds, local time)."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        ready = next(line for line in lines if "logged in as" in line)

        def at(line: str) -> float:
            return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()

        return at(lines[0]) - self.spawned, at(ready) - at(lines[0])

    async def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), 60)


def watch_posts(fake: FakeDiscord, arrived: dict[str, float], clock: Clock) -> None:
    """Record the wall-clock time each job marker's message reaches the fake."""
    create = fake.create_message

    def timed(channel, author, payload, files):  # type: ignore[no-untyped-def]
        content = payload.get("content") or ""
        if "job:" in content:
            arrived[content.rsplit("job:", 1)[1]] = clock().timestamp()  # as due_at is
        return create(channel, author, payload, files)

    fake.create_message = timed  # type: ignore[method-assign]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run(plans: int, guilds: int, spread: float, keep: bool) -> int:
    fake = FakeDiscord(ack_deadline=3.0)
    await fake.start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    db_path = tmp / "bot.sqlite3"
    clock = Clock()  # the pinned test clock: the benchmark does not depend on the date
    worlds = [build_world(fake, tmp, name=f"Chapter {i:03d}") for i in range(guilds)]
    db = await Database.open(db_path)
    await migrate(db)
    for world in worlds:
        await chapter_service.configure(db, world.config(), now=clock())
    arrived: dict[str, float] = {}
    watch_posts(fake, arrived, clock)
    code = 0
    try:
        base = BotProcess(fake, db_path, tmp, clock)
        empty_ready = await base.start()
        empty_split = base.split()
        code |= await base.stop()

        t0 = time.perf_counter()
        per_guild = await load_plans(db, worlds, plans, clock())
        print(f"  loaded in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        pending = len(await jobs.unfinished(db))
        probe = Scheduler(db, clock)
        probe.register(plan_service.REMINDER_JOB, _unused)
        probe.register(plan_service.SUMMARY_JOB, _unused)
        t0 = time.perf_counter()
        await probe.start()
        arm_s = time.perf_counter() - t0
        await probe.shutdown()

        # Due soon after the bot should be ready: a burst (one per chapter, same instant),
        # then one reminder per chapter spread evenly over `spread` seconds.
        first = clock() + timedelta(seconds=12)
        burst = {ids[0]: first for ids in per_guild}
        spaced = [ids[1] for ids in per_guild]
        step = spread / max(1, len(spaced) - 1)
        later = {job: first + timedelta(seconds=4 + k * step) for k, job in enumerate(spaced)}
        await move_due(db, {**burst, **later}, clock())

        bot = BotProcess(fake, db_path, tmp, clock)
        ready = await bot.start()
        split = bot.split()
        wait = (max(later.values()) - clock()).total_seconds() + 15
        wanted = {str(j) for j in [*burst, *later]}
        with contextlib.suppress(TimeoutError):
            await fake.wait_for(lambda: wanted <= arrived.keys(), wait)
        code |= await bot.stop()
        log = bot.log_path.read_text(errors="replace")
    finally:
        await db.close()
        await fake.stop()

    rows = []
    for name, due in (("burst", burst), ("spread", later)):
        lat = [arrived[str(j)] - d.timestamp() for j, d in due.items() if str(j) in arrived]
        rows.append((name, len(due), lat))
    print(f"{plans} plans x 12 milestones over {guilds} chapters: {pending} pending jobs")
    print(f"ready after spawn: {ready:.2f} s loaded, {empty_ready:.2f} s empty; "
          f"Scheduler.start() on the loaded file: {arm_s:.2f} s")  # fmt: skip
    print(f"  of which spawn to first log line (interpreter, imports): {split[0]:.2f} s loaded, "
          f"{empty_split[0]:.2f} s empty; first log line to ready: {split[1]:.2f} s loaded, "
          f"{empty_split[1]:.2f} s empty")  # fmt: skip
    print(f"{'reminders':<10}{'due':>6}{'sent':>6}{'p50 s':>8}{'p95 s':>8}{'max s':>8}")
    for name, count, lat in rows:
        cells = (f"{statistics.median(lat):.3f}", f"{percentile(lat, 0.95):.3f}",
                 f"{max(lat):.3f}") if lat else ("-", "-", "-")  # fmt: skip
        print(f"{name:<10}{count:>6}{len(lat):>6}" + "".join(f"{c:>8}" for c in cells))
    all_lat = [x for _, _, lat in rows for x in lat]
    sent_all = all(len(lat) == count for _, count, lat in rows)
    p95_ok = bool(all_lat) and percentile(all_lat, 0.95) < TARGET_P95_S
    print(
        f"targets: p95 < {TARGET_P95_S:.0f} s {'met' if p95_ok else 'MISSED'}; ready < "
        f"{TARGET_READY_S:.0f} s {'met' if ready < TARGET_READY_S else 'MISSED'}; "
        f"{os.cpu_count()} cores, load1 {os.getloadavg()[0]:.2f}; bot exit {code}"
    )
    if "Traceback" in log:
        print(f"the bot's log has a traceback: {bot.log_path}")
    if keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if sent_all and code == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--guilds", type=int, default=50)
    parser.add_argument("--spread", type=float, default=20.0)
    parser.add_argument("--keep", action="store_true", help="keep the bot's logs and database")
    args = parser.parse_args()
    return asyncio.run(run(args.plans, args.guilds, args.spread, args.keep))


if __name__ == "__main__":
    raise SystemExit(main())
