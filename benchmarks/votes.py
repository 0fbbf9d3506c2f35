"""Ballot submission under load: `python benchmarks/votes.py [--members 1000] [--spread 10]`.

1,000 members on the roll each open their ballot and rank two options (set-up, not timed),
then press Submit, first all at once and then spread evenly over `--spread` seconds (each
run on a fresh vote, so every ballot is a new one). Prints p50/p95/max per run and checks
every ballot is in the database. Target: p95 under 250 ms (Discord allows 3 s).

Timed, in the fake: from the submit's INTERACTION_CREATE frame written to the gateway socket
to the bot's interaction callback (the acknowledgement) arriving at the fake's REST handler.
The bot answers "Your ballot is recorded" only after the COMMIT that holds the ballot; if
the acknowledgement is a deferral, the "recorded" column times the edit that follows it.

The bot runs as its own process (`python -m bot`, the production entry point: its own
interpreter and core, its own logging at the default level). The loopback Discord and the
simulated members share this process. After the runs the bot is stopped with SIGTERM and
the SQLite file is read directly. Columns besides the latencies: load1 is the 1-minute load
average after the run; bot CPU is the bot process's user+system time (all its threads) and
fake CPU this process's, both over wall, the time from the first Submit to the last
"recorded" (bot CPU close to wall: the bot was busy the whole time).

`--floor` adds two rows measured without the bot: after its runs it is stopped and
`benchmarks/bare_client.py` (a gateway client with no discord.py and no database that
answers every submit with a fixed "recorded") takes the same burst twice, first on new
connections, then on the pooled ones. That is the floor this machine and the loopback
Discord set for any Python bot; the gap to the bot's rows is the bot's own cost.

`--profile-bot DIR` attaches py-spy (if installed in the venv; not a project dependency) to
the bot for each timed run and writes collapsed stacks there. `--keep` keeps the bot's log,
its database and the fake's timestamps (stamps.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.db import Database, migrate  # noqa: E402
from tests.clock import Clock, process_env  # noqa: E402
from tests.e2e.conftest import build_world  # noqa: E402
from tests.e2e.votes_helpers import (  # noqa: E402
    create_vote,
    make_race,
    open_ballot,
    rank,
    wait_announcement,
)
from tests.fakediscord import custom_ids  # noqa: E402
from tests.fakediscord import gateway as fake_gateway  # noqa: E402
from tests.fakediscord.interactions import InteractionsMixin  # noqa: E402
from tests.fakediscord.server import FakeDiscord  # noqa: E402

TARGET_P95_MS = 250.0
NAMES = ["Ada Ruiz", "Bo Chen", "Cy Diallo", "Di Okafor"]
RECORDED = "Your ballot is recorded"


class Stamps:
    """perf_counter times the fake sees, per interaction id."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}  # INTERACTION_CREATE written to the socket
        self.acked: dict[str, float] = {}  # the callback request reached the fake
        self.recorded: dict[str, float] = {}  # the request that made it say "recorded" arrived
        self.done: dict[str, asyncio.Event] = {}

    def watch(self, iid: str) -> asyncio.Event:
        return self.done.setdefault(iid, asyncio.Event())


STAMPS = Stamps()


def instrument_fake() -> None:
    """Stamp the gateway write of each INTERACTION_CREATE and the arrival of each callback
    and @original edit. Patched on the classes before the fake is built."""

    async def write(self) -> None:  # Session._write, plus the stamp
        while True:
            item = await self.queue.get()
            try:
                if item is None:
                    return
                if not self.ws.closed:
                    await self.ws.send_str(json.dumps(item))
                    if item.get("t") == "INTERACTION_CREATE":
                        STAMPS.sent[item["d"]["id"]] = time.perf_counter()
            except Exception:  # connection went away mid-send
                pass
            finally:
                self.queue.task_done()

    fake_gateway.Session._write = write

    def check_recorded(fake, iid: str, arrived: float) -> None:
        it = fake.interactions.get(iid)
        msg = fake.messages.get((it and (it.original_id or it.source_message_id)) or "")
        if msg is not None and RECORDED in (msg.get("content") or ""):
            STAMPS.recorded.setdefault(iid, arrived)
            STAMPS.watch(iid).set()

    original_callback = InteractionsMixin.r_callback

    async def r_callback(self, request, payload, files, iid, token):
        arrived = time.perf_counter()
        STAMPS.acked.setdefault(iid, arrived)
        try:
            return await original_callback(self, request, payload, files, iid, token)
        finally:
            check_recorded(self, iid, arrived)

    original_edit = InteractionsMixin.r_original_edit

    async def r_original_edit(self, request, payload, files, app_id, token):
        arrived = time.perf_counter()
        try:
            return await original_edit(self, request, payload, files, app_id, token)
        finally:
            it = next((i for i in self.interactions.values() if i.token == token), None)
            if it is not None:
                check_recorded(self, it.id, arrived)

    InteractionsMixin.r_callback = r_callback
    InteractionsMixin.r_original_edit = r_original_edit


class BotProcess:
    """`python -m bot` against the fake, logging to a file."""

    def __init__(
        self, fake: FakeDiscord, db_path: Path, workdir: Path, profile: Path | None, clock: Clock
    ):
        self.clock = clock  # the process's clock starts where the world's is
        self.log_path = workdir / "bot.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))},
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_URL": fake.base_url,
            "DATABASE_PATH": str(db_path),
        }
        self.workdir = workdir
        self.profile = profile
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=self.workdir,
                env={
                    **self.env,
                    **process_env(self.clock),
                    "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
                },
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )

    async def start_profile(self, name: str) -> asyncio.subprocess.Process | None:
        """py-spy attached to the bot for one timed run: collapsed stacks, GIL holder only."""
        pyspy = Path(sys.executable).with_name("py-spy")
        if self.profile is None or not pyspy.exists():
            return None
        assert self.proc is not None
        self.profile.mkdir(parents=True, exist_ok=True)
        out = self.profile / f"{name.replace(' ', '-')}.txt"
        spy = await asyncio.create_subprocess_exec(
            str(pyspy), "record", "--pid", str(self.proc.pid), "--rate", "1000", "--gil",
            "--threads", "--format", "raw", "-o", str(out), "--nonblocking",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await asyncio.sleep(1.0)  # py-spy attaches
        return spy

    @staticmethod
    async def stop_profile(spy: asyncio.subprocess.Process | None) -> None:
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            await asyncio.wait_for(spy.wait(), 30)

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def cpu_seconds(self) -> float:
        assert self.proc is not None
        return cpu_seconds(self.proc.pid)

    async def wait_for_log(self, text: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while text not in self.log:
            assert self.proc is not None
            if self.proc.returncode is not None or time.monotonic() > end:
                raise RuntimeError(f"the bot never logged {text!r}; its log:\n{self.log}")
            await asyncio.sleep(0.1)

    async def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), 60)


async def prepare(world, vote, announcement, members, parallel: int = 50):
    """Each member opens a ballot and ranks two options; their ballot message ids."""
    import random

    gate = asyncio.Semaphore(parallel)
    rng = random.Random(1)
    options = [*NAMES, "No endorsement"]

    async def one(member):
        async with gate:
            opened = await open_ballot(member, announcement, vote.id)
            await rank(world, member, opened.message["id"], rng.sample(options, 2))
            return opened.message["id"]

    return await asyncio.gather(*(one(m) for m in members))


async def submit_all(world, members, message_ids, spread: float):
    """Press every Submit; (ack ms, recorded ms, failures)."""
    acks: list[float] = []
    recorded: list[float] = []
    failures: list[str] = []
    start = time.perf_counter()
    count = len(members)

    async def one(i, member, message_id):
        if spread:
            await asyncio.sleep(max(0.0, start + spread * i / count - time.perf_counter()))
        message = world.fake.message(message_id)
        cid = next(c for c in custom_ids(message) if c.startswith("vote:r:s:"))
        channel = world.fake.channels[message["channel_id"]]
        data = {"custom_id": cid, "component_type": 2}
        it = world.fake.begin_interaction(3, member, channel, data, source_message_id=message_id)
        done = STAMPS.watch(it.id)
        try:
            await asyncio.wait_for(done.wait(), 10)
        except TimeoutError:
            content = (world.fake.message(message_id) or {}).get("content") or ""
            why = "acknowledged" if it.id in STAMPS.acked else "not acknowledged"
            failures.append(f"{why}, never 'recorded' in 10 s: {content[:60]!r}")
            return
        sent = STAMPS.sent[it.id]
        acks.append((STAMPS.acked[it.id] - sent) * 1000)
        recorded.append((STAMPS.recorded[it.id] - sent) * 1000)

    pairs = enumerate(zip(members, message_ids, strict=True))
    await asyncio.gather(*(one(i, m, mid) for i, (m, mid) in pairs))
    return acks, recorded, failures


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan")


def row(cells: list[str], widths: list[int]) -> str:
    pairs = enumerate(zip(cells, widths, strict=True))
    return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs)


async def bare_client_runs(world, members, message_ids, env: dict) -> list:
    """The floor rows: the bare client takes the burst on new connections, then again."""
    client = await asyncio.create_subprocess_exec(
        sys.executable,
        str(Path(__file__).with_name("bare_client.py")),
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    assert client.stdout is not None
    try:
        line = await asyncio.wait_for(client.stdout.readline(), 30)
        if b"READY" not in line:
            raise RuntimeError(f"the bare client did not identify: {line!r}")
        await asyncio.sleep(1)
        rows = []
        for name in ("floor, new conns", "floor, pooled"):
            for message_id in message_ids:  # the bare client leaves the Submit buttons
                world.fake.message(message_id)["content"] = ""
            cpu0 = cpu_seconds(client.pid)
            own0, wall0 = time.process_time(), time.perf_counter()
            acks, recorded, failed = await submit_all(world, members, message_ids, 0.0)
            cpu = cpu_seconds(client.pid) - cpu0
            own, wall = time.process_time() - own0, time.perf_counter() - wall0
            rows.append((name, None, acks, recorded, failed, os.getloadavg()[0], cpu, own, wall))
            print(f"  {name}: done ({len(acks)} acknowledged)", file=sys.stderr, flush=True)
            await asyncio.sleep(2)
        return rows
    finally:
        client.terminate()
        await client.wait()


def cpu_seconds(pid: int) -> float:
    """user+system CPU of process `pid` (all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(
    members_count: int, spread: float, profile: Path | None, keep: bool, floor: bool = False
) -> int:
    instrument_fake()
    fake = FakeDiscord(ack_deadline=3.0)
    fake.action_timeout = 60
    await fake.start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-votes-"))
    world = build_world(fake, tmp)
    members = world.add_members(members_count)  # in the guild before the bot connects
    modes = [("all at once", 0.0), (f"spread {spread:g} s", spread)]

    # Chapter and races straight into the database before the bot starts (not timed).
    db = await Database.open(world.db_path)
    await migrate(db)
    world.bot = SimpleNamespace(db=db)
    await world.configure()
    offices = [name for name, _ in modes] + (["floor"] if floor else [])
    races = [await make_race(world, NAMES, office=f"Council {name}") for name in offices]

    bot = BotProcess(fake, world.db_path, tmp, profile, world.clock)
    await bot.start()
    results = []
    try:
        await fake.wait_ready(60)
        await bot.wait_for_log(f"serving guild {world.guild.name}")
        for (name, wave), race in zip(modes, races[: len(modes)], strict=True):
            vote = await create_vote(world, race, quorum="25%")
            announcement = await wait_announcement(world, vote.id, timeout=60)
            message_ids = await prepare(world, vote, announcement, members)
            await asyncio.sleep(4)  # let the set-up's turnout edit (3 s debounce) go by
            spy = await bot.start_profile(name)
            cpu0, own0, wall0 = bot.cpu_seconds(), time.process_time(), time.perf_counter()
            acks, recorded, failed = await submit_all(world, members, message_ids, wave)
            cpu = bot.cpu_seconds() - cpu0
            own = time.process_time() - own0
            wall = time.perf_counter() - wall0
            await bot.stop_profile(spy)
            load = os.getloadavg()[0]
            results.append((name, vote.id, acks, recorded, failed, load, cpu, own, wall))
            print(f"  {name}: done ({len(acks)} acknowledged)", file=sys.stderr, flush=True)
        if floor:  # ballots ready to submit, then the bot goes and the bare client comes
            vote = await create_vote(world, races[-1], quorum="25%")
            announcement = await wait_announcement(world, vote.id, timeout=60)
            floor_ids = await prepare(world, vote, announcement, members)
            await asyncio.sleep(4)
        code = await bot.stop()
        if floor:
            results += await bare_client_runs(world, members, floor_ids, bot.env)
    finally:
        if bot.proc is not None and bot.proc.returncode is None:  # a run above failed
            await bot.stop()
        await db.close()
        await fake.stop()

    # Every ballot in the file, read with the bot stopped.
    conn = sqlite3.connect(world.db_path)
    failures = code != 0
    widths = [16, 7, 8, 8, 8, 12, 9, 6, 7, 8, 6]
    heads = ["mode", "ballots", "p50 ms", "p95 ms", "max ms", "recorded p95", "all in db",
             "load1", "bot CPU", "fake CPU", "wall"]  # fmt: skip
    print(row(heads, widths))
    for name, vote_id, acks, recorded, failed, load, cpu, own, wall in results:
        if vote_id is None:  # a floor row: the bare client stores nothing
            stored = "n/a"
            failures |= bool(failed)
        else:
            (keyed,) = conn.execute(
                "SELECT count(*) FROM vote_open_ballots WHERE vote_id = ?", (vote_id,)
            ).fetchone()
            (voted,) = conn.execute(
                "SELECT count(*) FROM vote_roll WHERE vote_id = ? AND voted = 1", (vote_id,)
            ).fetchone()
            in_db = keyed == voted == members_count
            failures |= bool(failed) or not in_db
            stored = "yes" if in_db else f"NO {keyed}/{voted}"
        cells = [
            name,
            str(len(acks)),
            f"{statistics.median(acks):.1f}" if acks else "-",
            f"{p95(acks):.1f}",
            f"{max(acks):.1f}" if acks else "-",
            f"{p95(recorded):.1f}",
            stored,
            f"{load:.2f}",
            f"{cpu:.2f} s",
            f"{own:.2f} s",
            f"{wall:.2f} s",
        ]
        print(row(cells, widths))
        if failed:
            print(f"  FAILED {len(failed)}: {sorted(set(failed))[:5]}")
    conn.close()
    verdicts = [
        f"{r[0]} {'met' if p95(r[2]) < TARGET_P95_MS else 'MISSED'}" for r in results if r[1]
    ]
    print(
        f"target p95 < {TARGET_P95_MS:.0f} ms: {', '.join(verdicts)}; "
        f"{os.cpu_count()} cores; bot exit code {code}"
    )
    if "Traceback" in bot.log:
        print(f"the bot's log has a traceback: {bot.log_path}")
    if keep or profile is not None:
        stamps = {"sent": STAMPS.sent, "acked": STAMPS.acked, "recorded": STAMPS.recorded}
        (tmp / "stamps.json").write_text(json.dumps(stamps))
        print(f"kept {tmp} (bot.log, database, stamps.json)")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=10.0)
    parser.add_argument("--profile-bot", type=Path, help="run the bot under py-spy; output here")
    parser.add_argument("--keep", action="store_true", help="keep the bot's log and database")
    parser.add_argument("--floor", action="store_true", help="add the bare client's floor rows")
    args = parser.parse_args()
    return asyncio.run(run(args.members, args.spread, args.profile_bot, args.keep, args.floor))


if __name__ == "__main__":
    raise SystemExit(main())
