"""Start to ready: `python benchmarks/startup.py [--runs 5]`.

Starts the bot as its own process (`python -m bot`, the production entry point) against the
loopback Discord, first with 1 guild, then with 100 guilds of 500 members each, on a database
already migrated (a restart, the usual case). Timed: from spawning the process to its
`on_ready` log line ("logged in as ..."), which also says how many members the bot had cached
then; the run fails unless that is every member of every guild (plus the bot in each), so a
fast ready that left guilds unloaded does not count. Targets: under 1 s and under 3 s.
Prints one row per size: median and slowest run, the 1-minute load average, and the members
cached at ready.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.db import Database, migrate  # noqa: E402
from tests.clock import Clock, process_env  # noqa: E402
from tests.fakediscord.server import FakeDiscord  # noqa: E402

READY = re.compile(r"logged in as .* serving (\d+) guild\(s\), (\d+) members cached")
SIZES = [(1, 10, 1.0), (100, 500, 3.0)]  # guilds, members per guild, target seconds


async def one_start(fake: FakeDiscord, db_path: Path, workdir: Path) -> tuple[float, int, int]:
    """Seconds from spawn to the ready line; guilds and members the bot had then."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))},
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_URL": fake.base_url,
        "DATABASE_PATH": str(db_path),
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
        **process_env(Clock()),  # the pinned test clock, as every test's bot has
    }
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=workdir, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while True:
            raw = await asyncio.wait_for(proc.stdout.readline(), 60)
            if not raw:
                raise RuntimeError("the bot exited before ready:\n" + "".join(lines))
            line = raw.decode(errors="replace")
            lines.append(line)
            if match := READY.search(line):
                return time.perf_counter() - started, int(match[1]), int(match[2])
    finally:
        proc.send_signal(signal.SIGTERM)
        await proc.communicate()


async def measure(guilds: int, members: int, runs: int) -> tuple[list[float], int, int]:
    fake = FakeDiscord()
    await fake.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        for g in range(guilds):
            guild = fake.add_guild(f"Chapter {g}")
            guild.add_text_channel("general")
            for m in range(members):
                guild.add_member(f"member{g}-{m}")
        db_path = workdir / "bot.sqlite3"
        db = await Database.open(db_path)
        await migrate(db)
        await db.close()
        await one_start(fake, db_path, workdir)  # warm the OS file cache; not counted
        times, seen = [], (0, 0)
        for _ in range(runs):
            seconds, *seen = await one_start(fake, db_path, workdir)
            times.append(seconds)
        return times, seen[0], seen[1]
    finally:
        await fake.stop()


async def run(runs: int) -> int:
    print(f"start to ready, `python -m bot` against the loopback Discord, {runs} runs each")
    print(f"{'guilds':>6} {'members':>8} {'median s':>9} {'max s':>6} {'target':>7} "
          f"{'load1':>6} {'cached at ready':>16}")  # fmt: skip
    failed = False
    for guilds, members, target in SIZES:
        times, seen_guilds, cached = await measure(guilds, members, runs)
        expected = guilds * (members + 1)  # every member, and the bot in each guild
        complete = seen_guilds == guilds and cached == expected
        median = statistics.median(times)
        print(
            f"{guilds:>6} {guilds * members:>8} {median:>9.2f} {max(times):>6.2f} "
            f"{'<' + format(target, 'g') + ' s':>7} {os.getloadavg()[0]:>6.1f} "
            f"{cached:>9}/{expected:<6}"
        )
        failed |= not complete or median >= target
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed starts per size")
    return asyncio.run(run(parser.parse_args().runs))


if __name__ == "__main__":
    sys.exit(main())
