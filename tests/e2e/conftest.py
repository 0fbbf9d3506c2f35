"""The real bot against the loopback Discord, in one fixture.

`chapter` gives a running fake Discord, the real `EndorseBot` logged in to it over HTTP and
a websocket, a temporary database, and a guild already set up the way a chapter would:

    async def test_something(chapter):
        reply = await chapter.alice.slash("help")
        assert reply.ephemeral

`unconfigured` is the same guild before anyone ran `/setup chapter`. `chapter.restart()`
closes the bot and starts a fresh one on the same database and fake (what a crash and a
restart look like to Discord, minus the process; tests/e2e/test_process.py kills a real one).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import pytest_asyncio

from bot.client import EXTENSIONS, EndorseBot, point_at
from bot.config import Settings
from bot.db import Database, migrate
from bot.domain.chapters import ChapterConfig
from bot.services import chapters as chapter_service
from tests.clock import Clock
from tests.fakediscord.server import FakeDiscord
from tests.fakediscord.state import Channel, Guild, Member, Perm, Role, overwrite


@asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    db_path: Path,
    clock: Clock,
    *,
    extensions: Sequence[str] = EXTENSIONS,
) -> AsyncIterator[EndorseBot]:
    """The real bot, logged in to `fake`, until the block ends."""
    settings = Settings(
        _env_file=None,
        discord_token=fake.token,
        database_path=db_path,
        discord_api_url=fake.base_url,
        log_level="DEBUG",
    )
    point_at(settings.discord_api_url)
    db = await Database.open(db_path)
    await migrate(db)
    bot = EndorseBot(settings, db, clock=clock, extensions=extensions, guild_ready_timeout=0.05)
    runner = asyncio.create_task(bot.start(fake.token))
    ready = asyncio.create_task(bot.wait_until_ready())
    done, _ = await asyncio.wait({runner, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    if runner in done:
        ready.cancel()
        await db.close()
        runner.result()  # raises what the bot died of
    if ready not in done:
        raise TimeoutError("the bot did not become ready within 10 s")
    try:
        yield bot
    finally:
        await bot.close()
        await asyncio.wait_for(runner, 10)
        await db.close()


@dataclass
class ChapterWorld:
    """A fake Discord server shaped like a chapter, and the bot serving it."""

    fake: FakeDiscord
    db_path: Path
    clock: Clock
    guild: Guild
    member_role: Role
    committee_role: Role
    bot_role: Role
    announcements: Channel
    review: Channel
    votes: Channel
    reminders: Channel
    admin: Member  # Manage Server, no chapter role
    organiser: Member  # committee + member
    alice: Member
    bob: Member
    outsider: Member  # in the server, not a member in good standing
    bot: EndorseBot | None = None
    _stack: list = field(default_factory=list)

    @property
    def db(self) -> Database:
        assert self.bot is not None
        return self.bot.db

    def config(self) -> ChapterConfig:
        return ChapterConfig(
            guild_id=int(self.guild.id),
            member_role_ids=(int(self.member_role.id),),
            committee_role_id=int(self.committee_role.id),
            candidate_role_id=None,
            announcements_channel_id=int(self.announcements.id),
            review_channel_id=int(self.review.id),
            votes_channel_id=int(self.votes.id),
            reminders_channel_id=int(self.reminders.id),
            timezone="America/New_York",
            updated_at=self.clock(),
            updated_by=int(self.admin.id),
        )

    async def configure(self) -> None:
        await chapter_service.configure(self.db, self.config(), now=self.clock())

    async def start(self) -> EndorseBot:
        cm = running_bot(self.fake, self.db_path, self.clock)
        self.bot = await cm.__aenter__()
        self._stack.append(cm)
        return self.bot

    async def stop(self) -> None:
        if self._stack:
            cm = self._stack.pop()
            await cm.__aexit__(None, None, None)
            self.bot = None

    async def restart(self) -> EndorseBot:
        await self.stop()
        return await self.start()

    def add_members(self, count: int, *, prefix: str = "member") -> list[Member]:
        return [
            self.guild.add_member(f"{prefix}{i:04d}", roles=[self.member_role])
            for i in range(count)
        ]


def build_world(fake: FakeDiscord, tmp_path: Path, name: str = "Metro DSA") -> ChapterWorld:
    guild = fake.add_guild(name)
    # Someone other than the bot owns the server, as on Discord (an owner has every permission).
    guild.add_member("owner", owner=True)
    member_role = guild.add_role("Member")
    committee_role = guild.add_role("Electoral Committee")
    bot_role = guild.add_role("endorsebot")
    guild.bot_member.add_role(bot_role)
    everyone = guild.roles[0]
    private = [
        overwrite(everyone, deny=Perm.VIEW_CHANNEL),
        overwrite(committee_role, allow=Perm.VIEW_CHANNEL),
        overwrite(bot_role, allow=Perm.VIEW_CHANNEL),
    ]
    return ChapterWorld(
        fake=fake,
        db_path=tmp_path / f"{guild.id}.sqlite3",
        clock=Clock(),
        guild=guild,
        member_role=member_role,
        committee_role=committee_role,
        bot_role=bot_role,
        announcements=guild.add_text_channel("announcements"),
        review=guild.add_text_channel("committee-review", overwrites=private),
        votes=guild.add_text_channel("votes"),
        reminders=guild.add_text_channel("reminders"),
        admin=guild.add_member("admin", roles=[guild.add_role("Admin", Perm.MANAGE_GUILD)]),
        organiser=guild.add_member("organiser", roles=[member_role, committee_role]),
        alice=guild.add_member("alice", roles=[member_role]),
        bob=guild.add_member("bob", roles=[member_role]),
        outsider=guild.add_member("outsider"),
    )


@pytest.fixture(autouse=True)
def _bot_processes_end_with_their_test() -> Iterator[None]:
    """A test that fails before stopping its `python -m bot` must not leave it running: it
    would reconnect to a stopped fake for the rest of the run."""
    yield
    from tests.e2e.test_process import BotProcess  # that module imports this one

    while BotProcess.started:
        BotProcess.started.pop().kill_if_left()


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(ack_deadline=3.0)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
    # A route the fake does not know is a gap in the fake or a bug in the bot: never silent.
    assert not fake.unknown_routes, f"the bot called routes the fake lacks: {fake.unknown_routes}"


@pytest_asyncio.fixture
async def unconfigured(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[ChapterWorld]:
    world = build_world(fake, tmp_path)
    await world.start()
    try:
        yield world
    finally:
        await world.stop()


@pytest_asyncio.fixture
async def chapter(unconfigured: ChapterWorld) -> ChapterWorld:
    await unconfigured.configure()
    return unconfigured
