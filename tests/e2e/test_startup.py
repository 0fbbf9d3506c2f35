"""`endorsebot run` is ready as soon as Discord has sent every guild, with every guild's
members cached (large guilds chunked) when on_ready fires. How fast: benchmarks/startup.py."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_process import BotProcess
from tests.fakediscord.server import FakeDiscord


@pytest.mark.asyncio
async def test_every_guild_and_member_is_cached_when_ready(fake: FakeDiscord, tmp_path: Path):
    sizes = [300, 260, 12]  # two past discord.py's large_threshold (250): chunked at start
    for n, size in enumerate(sizes):
        guild = fake.add_guild(f"Chapter {n}")
        for i in range(size):
            guild.add_member(f"member{n}-{i}")
    bot = await BotProcess(fake, tmp_path).start()
    await bot.wait_for_log("logged in as")
    ready = next(line for line in bot.log.splitlines() if "logged in as" in line)
    cached = sum(sizes) + len(sizes)  # and the bot in each
    assert ready.endswith(f"serving 3 guild(s), {cached} members cached")
    # on_ready comes after every guild was announced available, never before.
    assert bot.log.index("serving guild Chapter 0") < bot.log.index("logged in as")
    assert bot.log.count("serving guild Chapter") == 3
    bot.kill(signal.SIGTERM)
    assert await bot.wait() == 0


def test_starting_does_not_load_the_chart_library() -> None:
    # matplotlib and numpy take about a third of a second to import: charts load them at the
    # first chart (in a worker thread), so a restart stays quick. A cog importing bot.charts
    # at module level brings them back.
    loads = (
        "import importlib, sys\n"
        "from bot.client import EXTENSIONS\n"
        "for name in EXTENSIONS:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in ('matplotlib', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", loads], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout
