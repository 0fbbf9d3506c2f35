"""`endorsebot run` as a real process against the loopback Discord: what an operator sees."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.fakediscord.server import FakeDiscord

pytestmark = pytest.mark.asyncio


class BotProcess:
    """`python -m bot` in a subprocess with DISCORD_API_URL pointing at the fake."""

    def __init__(self, fake: FakeDiscord, tmp_path: Path, **env: str) -> None:
        self.log_path = tmp_path / f"bot-{len(list(tmp_path.glob('bot-*.log')))}.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))},
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_URL": fake.base_url,
            "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.cwd = tmp_path
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> BotProcess:
        log = self.log_path.open("wb")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
        log.close()
        return self

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def wait_for_log(self, text: str, timeout: float = 20) -> None:
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while text not in self.log:
            assert self.proc is not None
            if self.proc.returncode is not None or loop.time() > end:
                raise AssertionError(f"never logged {text!r}; log:\n{self.log}")
            await asyncio.sleep(0.05)

    async def wait(self, timeout: float = 20) -> int:
        assert self.proc is not None
        return await asyncio.wait_for(self.proc.wait(), timeout)

    def kill(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)


async def test_bad_token_is_one_clear_line(fake: FakeDiscord, tmp_path: Path) -> None:
    bot = await BotProcess(fake, tmp_path, DISCORD_TOKEN="not-the-token").start()
    assert await bot.wait() == 2
    assert bot.log.strip().splitlines()[-1] == (
        "endorsebot: DISCORD_TOKEN was refused by Discord: copy the bot token again from the "
        "Developer Portal (Bot → Reset Token) into .env."
    )
    assert "Traceback" not in bot.log


async def test_members_intent_not_enabled_is_one_clear_line(tmp_path: Path) -> None:
    fake = FakeDiscord(approved_intents=set())
    await fake.start()
    try:
        bot = await BotProcess(fake, tmp_path).start()
        assert await bot.wait() == 2
    finally:
        await fake.stop()
    assert "enable it in the Developer Portal" in bot.log.strip().splitlines()[-1]
    assert "Traceback" not in bot.log


async def test_run_syncs_serves_each_guild_and_stops_cleanly(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    first = fake.add_guild("Metro DSA")
    second = fake.add_guild("Valley DSA")
    first.add_text_channel("general")
    alice = first.add_member("alice")
    bot = await BotProcess(fake, tmp_path).start()
    await bot.wait_for_log(f"serving guild Valley DSA ({second.id})")
    assert f"serving guild Metro DSA ({first.id})" in bot.log
    assert "synced" in bot.log and fake.global_commands, "slash commands were not synced"
    assert {c["name"] for c in fake.global_commands} >= {"setup", "help"}

    reply = await alice.slash("help")  # a member reaches the subprocess bot through the fake
    assert reply.ephemeral and "/setup chapter" in reply.text

    bot.kill(signal.SIGTERM)
    assert await bot.wait() == 0
    assert "Traceback" not in bot.log
    assert (tmp_path / "bot.sqlite3").exists()


async def test_dev_guild_gets_commands_instantly(fake: FakeDiscord, tmp_path: Path) -> None:
    guild = fake.add_guild("Metro DSA")
    bot = await BotProcess(fake, tmp_path, DEV_GUILD_ID=guild.id).start()
    await bot.wait_for_log("synced")
    assert {c["name"] for c in fake.guild_commands.get(guild.id, [])} >= {"setup", "help"}
    bot.kill(signal.SIGINT)
    assert await bot.wait() == 0
