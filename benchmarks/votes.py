"""Ballot submission under load: `python benchmarks/votes.py [--members 1000] [--spread 10]`.

1,000 members on the roll each open their ballot and rank a few options (set-up, not timed),
then press Submit, first all at once and then spread evenly over `--spread` seconds (each
run on a fresh vote, so every ballot is a new one). Timed: from the fake Discord creating the
submit's INTERACTION_CREATE to the bot's interaction callback (the acknowledgement, sent only
after the ballot's COMMIT) reaching the fake. Prints p50/p95/max per run and checks every
ballot is in the database. Target: p95 under 250 ms.

The real bot, the loopback Discord and the simulated members share one process and one event
loop, as in the e2e tests; the numbers include the fake's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.store import votes as vote_store  # noqa: E402
from tests.e2e.conftest import build_world, running_bot  # noqa: E402
from tests.e2e.votes_helpers import (  # noqa: E402
    create_vote,
    make_race,
    open_ballot,
    rank,
    wait_announcement,
)
from tests.fakediscord import custom_ids  # noqa: E402
from tests.fakediscord import server as fake_server  # noqa: E402
from tests.fakediscord.server import FakeDiscord  # noqa: E402

TARGET_P95_MS = 250.0
NAMES = ["Ada Ruiz", "Bo Chen", "Cy Diallo", "Di Okafor"]


def stamp_interactions() -> None:
    """Record, on each fake interaction, when it was created and when the bot acked it."""
    cls = fake_server.Interaction
    original_init = cls.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.created_at_perf = time.perf_counter()
        self.acked_event = asyncio.Event()

    def get_type(self):
        return self.__dict__.get("_callback_type")

    def set_type(self, value):
        self.__dict__["_callback_type"] = value
        if value is not None and "acked_at_perf" not in self.__dict__:
            self.__dict__["acked_at_perf"] = time.perf_counter()
            self.acked_event.set()

    cls.__init__ = init
    cls.callback_type = property(get_type, set_type)


async def prepare(world, vote, announcement, members, parallel: int = 50):
    """Each member opens a ballot and ranks two options; their ballot message ids."""
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
    """Press every Submit; (ack latencies in ms, failures). The ack is the callback that
    edits the ballot to "Your ballot is recorded", sent only after the COMMIT."""
    acks: list[float] = []
    failures: list[str] = []
    start = time.perf_counter()
    count = len(members)

    async def one(i, member, message_id):
        if spread:
            await asyncio.sleep(max(0.0, start + spread * i / count - time.perf_counter()))
        # The fake's actors re-check every waiter on every change (quadratic with 1,000
        # waiters); the benchmark waits on each interaction's own ack instead.
        message = world.fake.message(message_id)
        cid = next(c for c in custom_ids(message) if c.startswith("vote:r:s:"))
        channel = world.fake.channels[message["channel_id"]]
        data = {"custom_id": cid, "component_type": 2}
        it = world.fake.begin_interaction(3, member, channel, data, source_message_id=message_id)
        try:
            await asyncio.wait_for(it.acked_event.wait(), 10)
        except TimeoutError:
            failures.append("not acknowledged (Discord would show 'interaction failed')")
            return
        content = (world.fake.message(message_id) or {}).get("content") or ""
        if "Your ballot is recorded" not in content:
            failures.append(f"acknowledged without 'recorded': {content[:80]!r}")
            return
        acks.append((it.acked_at_perf - it.created_at_perf) * 1000)

    pairs = enumerate(zip(members, message_ids, strict=True))
    await asyncio.gather(*(one(i, m, mid) for i, (m, mid) in pairs))
    return acks, failures


def summary(name: str, latencies: list[float]) -> str:
    if not latencies:
        return f"{name:<22} n=0"
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = "ok" if p95 < TARGET_P95_MS else f"ABOVE the {TARGET_P95_MS:.0f} ms target"
    return (
        f"{name:<32} n={len(ordered):5d}  p50={statistics.median(ordered):7.1f} ms  "
        f"p95={p95:7.1f} ms  max={ordered[-1]:7.1f} ms  ({verdict})"
    )


async def run(members_count: int, spread: float) -> int:
    stamp_interactions()
    fake = FakeDiscord(ack_deadline=3.0)
    fake.action_timeout = 30
    await fake.start()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        world = build_world(fake, Path(tmp))
        async with running_bot(fake, world.db_path, world.clock) as bot:
            world.bot = bot
            world._stack = []
            await world.configure()
            bot.get_cog("Votes").turnout_debounce = 3.0
            members = world.add_members(members_count)
            # The new members reach the bot's member cache through GUILD_MEMBER_ADD.
            await asyncio.sleep(1.0)
            for name, wave in (("all at once", 0.0), (f"spread over {spread:g} s", spread)):
                race = await make_race(world, NAMES, office=f"Council {name}")
                vote = await create_vote(world, race, quorum="25%")
                announcement = await wait_announcement(world, vote.id, timeout=30)
                message_ids = await prepare(world, vote, announcement, members)
                acks, failed = await submit_all(world, members, message_ids, wave)
                print(summary(name, acks), flush=True)
                if failed:
                    failures += 1
                    print(f"{'':<22} FAILED: {len(failed)}: {sorted(set(failed))}", flush=True)
                stored = await vote_store.turnout(bot.db, vote.id)
                keyed = await bot.db.fetchone(
                    "SELECT count(*) FROM vote_open_ballots WHERE vote_id = ?", (vote.id,)
                )
                ok = stored == keyed[0] == members_count
                failures += not ok
                print(
                    f"{'':<32} ballots in the database: {keyed[0]} (turnout {stored}) of "
                    f"{members_count}: {'ok' if ok else 'MISSING'}",
                    flush=True,
                )
    await fake.stop()
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=10.0)
    args = parser.parse_args()
    return asyncio.run(run(args.members, args.spread))


if __name__ == "__main__":
    raise SystemExit(main())
