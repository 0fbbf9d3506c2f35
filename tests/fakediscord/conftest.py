"""Fixtures for the fake's own tests: a FakeDiscord with a small guild, and a helper that
runs a real discord.py Bot against it in the same event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from types import SimpleNamespace

import discord
import pytest
import pytest_asyncio
import yarl
from discord.ext import commands

from tests.fakediscord import FakeDiscord, Perm, overwrite


@pytest.fixture(autouse=True)
def _restore_discord_urls():
    base, gw = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE = base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gw


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    f = FakeDiscord(ack_deadline=2.0, action_timeout=3.0)
    await f.start()
    f.point_discord_py_here()
    try:
        yield f
    finally:
        await f.stop()
    assert not f.unknown_routes, f"bot used routes the fake lacks: {f.unknown_routes}"


@pytest.fixture
def world(fake: FakeDiscord):
    """A chapter guild: roles, a public channel, a committee-only channel, members."""
    g = fake.add_guild("Metro DSA")
    member = g.add_role("Member")
    committee = g.add_role("Electoral Committee")
    votes = g.add_text_channel("votes")
    review = g.add_text_channel(
        "committee-review",
        [
            overwrite(g.everyone, deny=Perm.VIEW_CHANNEL),
            overwrite(committee, allow=Perm.VIEW_CHANNEL),
        ],
    )
    locked = g.add_text_channel("announcements", [overwrite(g.bot_member, deny=Perm.SEND_MESSAGES)])
    alice = g.add_member("alice", roles=[member, committee])
    bob = g.add_member("bob", roles=[member], dms_open=False)
    return SimpleNamespace(
        guild=g,
        member=member,
        committee=committee,
        votes=votes,
        review=review,
        locked=locked,
        alice=alice,
        bob=bob,
    )


def make_bot(**kw) -> commands.Bot:
    intents = discord.Intents.default()
    intents.members = True
    return commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05, **kw)


@contextlib.asynccontextmanager
async def running(bot: commands.Bot, fake: FakeDiscord, *, token: str | None = None):
    """Log the bot in, connect it, wait for on_ready; close it afterwards."""
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    await bot.login(token or fake.token)
    task = asyncio.create_task(bot.connect(reconnect=False))
    try:
        await asyncio.wait_for(bot.wait_until_ready(), 5)
        await fake.drain()
        yield bot
    finally:
        await bot.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 2)
