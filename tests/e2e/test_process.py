"""`endorsebot run` as a real process against the loopback Discord: what an operator sees."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest

from bot.db import Database, migrate
from bot.services import chapters as chapter_service
from bot.store import votes as vote_store
from tests.clock import Clock, process_env
from tests.e2e.conftest import build_world
from tests.e2e.votes_helpers import (
    cast,
    create_vote,
    make_race,
    open_ballot,
    rank,
    recorded,
    submit,
    wait_announcement,
)
from tests.fakediscord import message_text
from tests.fakediscord.server import FakeDiscord

pytestmark = pytest.mark.asyncio


class BotProcess:
    """`python -m bot` in a subprocess with DISCORD_API_URL pointing at the fake."""

    # Every process started, so tests/e2e/conftest.py can end one its failed test left.
    started: ClassVar[list[BotProcess]] = []

    def __init__(
        self, fake: FakeDiscord, tmp_path: Path, *, clock: Clock | None = None, **env: str
    ) -> None:
        # The process's clock starts where the test's is (a fresh one at T0 if not given).
        self.clock = clock or Clock()
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
            env={**self.env, **process_env(self.clock)},
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
        log.close()
        BotProcess.started.append(self)
        return self

    def kill_if_left(self) -> None:
        """SIGKILL the process if it is still this test's bot (checked by its folder, so a
        reused pid is never touched)."""
        if self.proc is None or self.proc.returncode is not None:
            return
        try:
            if Path(f"/proc/{self.proc.pid}/cwd").resolve() == self.cwd.resolve():
                os.kill(self.proc.pid, signal.SIGKILL)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass  # already gone

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
    assert "shutting down on SIGTERM: nothing in flight" in bot.log
    assert "WARNING" not in bot.log, "a clean start and stop warns about nothing (e.g. voice)"
    assert (tmp_path / "bot.sqlite3").exists()


async def test_dev_guild_gets_commands_instantly(fake: FakeDiscord, tmp_path: Path) -> None:
    guild = fake.add_guild("Metro DSA")
    bot = await BotProcess(fake, tmp_path, DEV_GUILD_ID=guild.id).start()
    await bot.wait_for_log("synced")
    assert {c["name"] for c in fake.guild_commands.get(guild.id, [])} >= {"setup", "help"}
    bot.kill(signal.SIGINT)
    assert await bot.wait() == 0


async def test_vote_buttons_survive_a_sigkill(fake: FakeDiscord, tmp_path: Path) -> None:
    """A Vote button posted before the process is killed still opens a ballot afterwards,
    and a ranking half made before the kill is finished and recorded after it."""
    world = build_world(fake, tmp_path)
    db = await Database.open(world.db_path)
    try:
        await migrate(db)
        await chapter_service.configure(db, world.config(), now=world.clock())
        bot = await BotProcess(
            fake, tmp_path, clock=world.clock, DATABASE_PATH=str(world.db_path)
        ).start()
        await bot.wait_for_log(f"serving guild Metro DSA ({world.guild.id})")
        # The vote helpers read the database the bot process writes (SQLite allows both).
        members = SimpleNamespace(**vars(world), db=db)
        race = await make_race(members, ["Ada Ruiz", "Bo Chen"])
        vote = await create_vote(members, race, quorum="10%", threshold="50%")
        announcement = await wait_announcement(members, vote.id)

        halfway = await open_ballot(world.alice, announcement, vote.id)
        await rank(members, world.alice, halfway.message["id"], ["Bo Chen"])

        bot.kill(signal.SIGKILL)
        assert await bot.wait() == -signal.SIGKILL
        again = await BotProcess(
            fake, tmp_path, clock=world.clock, DATABASE_PATH=str(world.db_path)
        ).start()
        await again.wait_for_log(f"serving guild Metro DSA ({world.guild.id})")

        # The announcement's button, posted by the killed process, works for the new one.
        assert recorded(await cast(members, world.bob, announcement, vote.id, ["Ada Ruiz"]))
        # Alice's ballot message, drawn before the kill, carries on where she left it.
        await rank(members, world.alice, halfway.message["id"], ["Ada Ruiz"])
        summary = message_text(fake.message(halfway.message["id"]))
        assert summary.index("Bo Chen") < summary.index("Ada Ruiz"), summary
        finished = await submit(members, world.alice, halfway.message["id"])
        assert recorded(finished), finished.text
        assert await vote_store.turnout(db, vote.id) == 2
        again.kill(signal.SIGTERM)
        assert await again.wait() == 0
    finally:
        await db.close()


async def test_unreachable_discord_is_one_clear_line(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    await fake.stop()  # its port is now closed: nothing answers there
    bot = await BotProcess(fake, tmp_path).start()
    assert await bot.wait() == 2
    assert bot.log.strip().splitlines()[-1] == (
        f"endorsebot: could not reach Discord at {fake.base_url} (ClientConnectorError): "
        "check the network, and DISCORD_API_URL in .env"
    )
    assert "Traceback" not in bot.log
