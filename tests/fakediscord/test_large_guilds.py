"""Large guilds as Discord sends them: past IDENTIFY's large_threshold a GUILD_CREATE leaves
offline members out, and REQUEST_GUILD_MEMBERS answers in chunks of at most 1,000."""

from __future__ import annotations

import json

import pytest

from tests.fakediscord.conftest import make_bot, running


def add_members(guild, count: int) -> None:
    for i in range(count):
        guild.add_member(f"member{i}")


def chunk_sizes(bot) -> list[tuple[int, int, int]]:
    """(index, count, members) of each GUILD_MEMBERS_CHUNK the bot received."""
    seen: list[tuple[int, int, int]] = []

    @bot.event
    async def on_socket_raw_receive(message: str) -> None:
        frame = json.loads(message)
        if frame.get("t") == "GUILD_MEMBERS_CHUNK":
            d = frame["d"]
            seen.append((d["chunk_index"], d["chunk_count"], len(d["members"])))

    return seen


@pytest.mark.asyncio
async def test_a_large_guild_arrives_without_its_offline_members(fake, world):
    add_members(world.guild, 300)  # past discord.py's large_threshold of 250
    bot = make_bot(chunk_guilds_at_startup=False)
    async with running(bot, fake):
        guild = bot.get_guild(int(world.guild.id))
        assert guild.large and guild.member_count == 303
        assert [m.id for m in guild.members] == [int(fake.bot_user.id)]
        assert len(await guild.chunk()) == 303


@pytest.mark.asyncio
async def test_members_come_in_chunks_of_at_most_1000_and_all_are_cached_at_ready(fake, world):
    add_members(world.guild, 1200)
    bot = make_bot(enable_debug_events=True)  # chunk_guilds_at_startup, as the bot runs
    chunks = chunk_sizes(bot)
    async with running(bot, fake):
        guild = bot.get_guild(int(world.guild.id))
        assert guild.chunked and len(guild.members) == 1203
    assert chunks == [(0, 2, 1000), (1, 2, 203)]


@pytest.mark.asyncio
async def test_a_small_guild_arrives_whole(fake, world):
    bot = make_bot(chunk_guilds_at_startup=False)
    async with running(bot, fake):
        guild = bot.get_guild(int(world.guild.id))
        assert not guild.large and len(guild.members) == guild.member_count == 3
