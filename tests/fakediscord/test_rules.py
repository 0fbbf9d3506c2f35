"""Discord's rules, as discord.py surfaces them when the fake enforces them."""

from __future__ import annotations

import asyncio
import datetime as dt
import io

import discord
import pytest
from discord import app_commands

from tests.fakediscord import FakeDiscord, Perm

from .conftest import make_bot, running


def _one_command_bot(fake: FakeDiscord, guild_id: str, callback, **kw) -> discord.ext.commands.Bot:
    bot = make_bot(**kw)
    g = discord.Object(int(guild_id))
    bot.tree.command(name="go", description="Do it", guild=g)(callback)

    async def setup_hook() -> None:
        await bot.tree.sync(guild=g)

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    return bot


@pytest.mark.asyncio
async def test_over_limit_command_fails_sync(fake, world):
    bot = make_bot()
    g = discord.Object(int(world.guild.id))

    @bot.tree.command(name="long", description="x" * 101, guild=g)
    async def long(interaction: discord.Interaction) -> None:
        raise AssertionError("never called")

    async with running(bot, fake):
        with pytest.raises(app_commands.CommandSyncFailure) as exc:
            await bot.tree.sync(guild=g)
        assert "long" in str(exc.value)
        assert exc.value.code == 50035
        assert fake.guild_commands.get(world.guild.id, []) == []


@pytest.mark.asyncio
async def test_synced_commands_carry_ids_and_guild(fake, world):
    async def go(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    bot = _one_command_bot(fake, world.guild.id, go)
    async with running(bot, fake):
        fetched = await bot.tree.fetch_commands(guild=discord.Object(int(world.guild.id)))
        assert [c.name for c in fetched] == ["go"]
        assert fetched[0].guild_id == int(world.guild.id)
        assert fetched[0].id == int(fake.guild_commands[world.guild.id][0]["id"])


@pytest.mark.asyncio
async def test_double_ack_is_40060(fake, world):
    seen: list = []

    async def go(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        with pytest.raises(discord.InteractionResponded):  # discord.py's own guard
            await interaction.response.send_message("again")
        interaction.response._response_type = None  # bypass it: Discord must refuse
        try:
            await interaction.response.send_message("again")
        except discord.HTTPException as e:
            seen.append(e)

    async with running(_one_command_bot(fake, world.guild.id, go), fake):
        r = await world.alice.slash("go")
        await fake.wait_for(lambda: seen, 2)
        assert r.errors[0]["code"] == 40060
        assert r.content == "first"
        assert seen[0].status == 400 and seen[0].code == 40060
        assert "already been acknowledged" in seen[0].text


@pytest.mark.asyncio
async def test_late_ack_is_unknown_interaction_10062(fake, world):
    seen: list = []
    fake.ack_deadline = 0.2

    async def go(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.3)
        try:
            await interaction.response.send_message("too late")
        except discord.NotFound as e:
            seen.append(e)

    async with running(_one_command_bot(fake, world.guild.id, go), fake):
        r = await world.alice.slash("go")
        assert not r.acked and r.errors[0]["code"] == 10062
        await fake.wait_for(lambda: seen, 1)  # the bot handles the 404 after the fake sent it
        assert seen[0].code == 10062 and seen[0].text == "Unknown interaction"


@pytest.mark.asyncio
async def test_followup_before_ack_and_expired_webhook_token(fake, world):
    kept: list[discord.Interaction] = []
    seen: list = []

    async def go(interaction: discord.Interaction) -> None:
        kept.append(interaction)
        try:
            await interaction.followup.send("before ack")
        except discord.HTTPException as e:
            seen.append(e)
        await interaction.response.send_message("acked")

    async with running(_one_command_bot(fake, world.guild.id, go), fake):
        r = await world.alice.slash("go")
        assert r.content == "acked" and seen[0].code == 10015
        msg = await kept[0].followup.send("within 15 min", wait=True)
        assert msg.content == "within 15 min"
        fake.clock.advance(15 * 60 + 1)
        with pytest.raises(discord.HTTPException) as exc:
            await kept[0].followup.send("after 15 min")
        assert exc.value.status == 401 and exc.value.code == 50027


@pytest.mark.asyncio
async def test_unknown_route_is_recorded_as_404(fake, world):
    bot = make_bot()
    async with running(bot, fake):
        channel = bot.get_channel(int(world.votes.id))
        with pytest.raises(discord.NotFound) as exc:
            await channel.create_invite()
        assert "fakediscord does not implement" in exc.value.text
        assert fake.unknown_routes == [f"POST /api/v10/channels/{world.votes.id}/invites"]
    fake.unknown_routes.clear()  # the fixture would fail the test otherwise


@pytest.mark.asyncio
async def test_wrong_token_is_login_failure(fake, world):
    bot = make_bot()
    with pytest.raises(discord.LoginFailure):
        await bot.login("not-the-token")
    await bot.close()


@pytest.mark.asyncio
async def test_unapproved_privileged_intent_closes_4014(fake, world):
    fake.approved_intents = {"members"}
    intents = discord.Intents.default()
    intents.message_content = True
    bot = discord.ext.commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
    await bot.login(fake.token)
    with pytest.raises(discord.PrivilegedIntentsRequired):  # reconnect=False: ConnectionClosed
        await asyncio.wait_for(bot.connect(), 5)
    await bot.close()


@pytest.mark.asyncio
async def test_message_rules_history_and_attachments(fake, world):
    bot = make_bot()
    async with running(bot, fake):
        ch = bot.get_channel(int(world.votes.id))
        with pytest.raises(discord.HTTPException) as exc:
            await ch.send("x" * 2001)
        assert exc.value.code == 50035
        with pytest.raises(discord.HTTPException) as exc:
            await ch.send(embed=None, content=None)
        assert exc.value.code == 50006

        sent = [await ch.send(f"m{i}") for i in range(5)]
        with_file = await ch.send("report", file=discord.File(io.BytesIO(b"PDF"), "r.pdf"))
        assert with_file.attachments[0].filename == "r.pdf"
        assert await with_file.attachments[0].read() == b"PDF"
        edited = await with_file.edit(content="report v2", attachments=[])
        assert edited.attachments == [] and world.votes.messages[-1]["content"] == "report v2"

        newest = [m.content async for m in ch.history(limit=3)]
        assert newest == ["report v2", "m4", "m3"]
        before = [m.content async for m in ch.history(limit=2, before=sent[2])]
        assert before == ["m1", "m0"]
        after = [m.content async for m in ch.history(limit=2, after=sent[2], oldest_first=True)]
        assert after == ["m3", "m4"]
        fetched = await ch.fetch_message(sent[0].id)
        assert fetched.content == "m0"
        await sent[0].delete()
        assert "m0" not in [m["content"] for m in world.votes.messages]
        with pytest.raises(discord.NotFound):
            await ch.fetch_message(sent[0].id)

        assert (await bot.fetch_channel(int(world.votes.id))).name == "votes"
        with pytest.raises(discord.Forbidden) as exc:  # the bot cannot see committee-review
            await bot.fetch_channel(int(world.review.id))
        assert exc.value.code == 50001
        guild = bot.get_guild(int(world.guild.id))
        member = await guild.fetch_member(int(world.alice.id))
        assert {r.name for r in member.roles} >= {"Member", "Electoral Committee"}
        assert "Electoral Committee" in [r.name for r in await guild.fetch_roles()]
        assert "committee-review" in [c.name for c in await guild.fetch_channels()]


@pytest.mark.asyncio
async def test_member_update_and_user_messages_reach_the_bot(fake, world):
    bot = make_bot()
    updates: list = []
    seen: list[str] = []

    @bot.event
    async def on_member_update(before: discord.Member, after: discord.Member) -> None:
        updates.append((before.name, [r.name for r in after.roles]))

    @bot.event
    async def on_message(message: discord.Message) -> None:
        seen.append(message.content)

    async with running(bot, fake):
        world.bob.add_role(world.committee)
        world.alice.say(world.votes, "hello bot")  # no MESSAGE_CONTENT intent: blanked
        world.alice.say(world.votes, f"hi {fake.bot_user.id and '<@' + fake.bot_user.id + '>'}")
        await fake.wait_for(lambda: updates and len(seen) == 2, 2)
        assert updates[0] == ("bob", ["@everyone", "Member", "Electoral Committee"])
        assert seen == ["", f"hi <@{fake.bot_user.id}>"]


@pytest.mark.asyncio
async def test_scheduled_events(fake, world):
    world.guild.everyone.permissions |= 1 << 33  # MANAGE_EVENTS
    bot = make_bot()
    async with running(bot, fake):
        guild = bot.get_guild(int(world.guild.id))
        start = discord.utils.utcnow() + dt.timedelta(days=1)
        ev = await guild.create_scheduled_event(
            name="Endorsement forum",
            start_time=start,
            end_time=start + dt.timedelta(hours=2),
            entity_type=discord.EntityType.external,
            location="Union hall",
            privacy_level=discord.PrivacyLevel.guild_only,
        )
        assert ev.name == "Endorsement forum" and ev.location == "Union hall"
        ev = await ev.edit(name="Endorsement forum (moved)")
        assert world.guild.scheduled_events[str(ev.id)]["name"] == "Endorsement forum (moved)"
        await ev.delete()
        assert world.guild.scheduled_events == {}


@pytest.mark.asyncio
async def test_reconnect_resumes_and_replays_missed_events(fake, world):
    bot = make_bot()
    created: list[str] = []

    @bot.event
    async def on_guild_role_create(role: discord.Role) -> None:
        created.append(role.name)

    async with running(bot, fake):
        fake.reconnect()
        world.guild.add_role("Canvass Lead")  # may land while the bot is between sockets
        await fake.wait_for(lambda: fake.resume_count == 1 and created, 3)
        assert created == ["Canvass Lead"] and fake.identify_count == 1
        r = await bot.get_channel(int(world.votes.id)).send("still here")
        assert r.content == "still here"


@pytest.mark.asyncio
async def test_refused_resume_makes_the_bot_identify_again(fake, world):
    fake.allow_resume = False
    bot = make_bot()
    readies: list[int] = []

    async def no_identify_delay(shard_id, *, initial=False) -> None:
        return None  # discord.py sleeps 5 s before every non-initial IDENTIFY

    bot.before_identify_hook = no_identify_delay  # type: ignore[method-assign]

    @bot.event
    async def on_ready() -> None:
        readies.append(1)

    async with running(bot, fake):
        fake.reconnect()
        await fake.wait_for(lambda: fake.identify_count == 2 and len(readies) == 2, 3)
        assert bot.get_guild(int(world.guild.id)) is not None and fake.resume_count == 0


@pytest.mark.asyncio
async def test_member_chunk_requests_are_answered(fake, world):
    bot = make_bot()
    async with running(bot, fake):
        guild = bot.get_guild(int(world.guild.id))
        found = await guild.query_members("al")
        assert [m.name for m in found] == ["alice"]
        members = await guild.chunk()
        assert {m.name for m in members} >= {"alice", "bob"}


@pytest.mark.asyncio
async def test_injected_429_is_retried_and_oversize_file_is_refused(fake, world):
    fake.attachment_size_limit = 1000
    bot = make_bot()
    async with running(bot, fake):
        ch = bot.get_channel(int(world.votes.id))
        fake.rate_limit("POST", r"/channels/\d+/messages$", retry_after=0.05)
        msg = await ch.send("after a 429")
        assert msg.content == "after a 429" and fake.rejections[-1]["code"] == 429
        with pytest.raises(discord.HTTPException) as exc:
            await ch.send(file=discord.File(io.BytesIO(b"x" * 1001), "big.bin"))
        assert exc.value.status == 413 and exc.value.code == 40005


@pytest.mark.asyncio
async def test_without_members_intent_the_cache_holds_only_the_bot(fake, world):
    intents = discord.Intents.default()  # no members intent
    bot = discord.ext.commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
    updates: list = []

    @bot.event
    async def on_member_update(before, after) -> None:
        updates.append(after)

    async with running(bot, fake):
        guild = bot.get_guild(int(world.guild.id))
        assert [m.id for m in guild.members] == [int(fake.bot_user.id)]
        world.alice.remove_role(world.committee)
        # Events reach a session in order: once the bot has this role, a member update sent
        # before it would have been handled.
        marker = world.guild.add_role("Marker")
        await fake.wait_for(lambda: guild.get_role(int(marker.id)), 2)
        assert updates == []


@pytest.mark.asyncio
async def test_enforced_nonce_never_posts_twice(fake, world):
    bot = make_bot()
    async with running(bot, fake):
        ch = bot.get_channel(int(world.votes.id))
        first = await ch.send("Vote closed (job 17)", nonce="job-17")
        again = await ch.send("Vote closed (job 17)", nonce="job-17")
        assert again.id == first.id and len(world.votes.messages) == 1
        fake.clock.advance(6 * 60)
        later = await ch.send("Vote closed (job 17)", nonce="job-17")
        assert later.id != first.id and len(world.votes.messages) == 2


@pytest.mark.asyncio
async def test_guild_management_follows_permissions_and_role_hierarchy(fake, world):
    g = world.guild
    bot = make_bot()
    async with running(bot, fake):
        guild = bot.get_guild(int(g.id))
        with pytest.raises(discord.Forbidden):  # no MANAGE_CHANNELS yet
            await guild.create_text_channel("endorsements")
        bot_role = g.add_role("endorsebot", Perm.MANAGE_CHANNELS | Perm.MANAGE_ROLES)
        g.bot_member.add_role(bot_role)
        member = guild.get_member(int(world.bob.id))
        await fake.wait_for(lambda: guild.me.guild_permissions.manage_channels, 2)

        hidden = await guild.create_text_channel(
            "hidden",
            overwrites={guild.default_role: discord.PermissionOverwrite(view_channel=False)},
        )
        with pytest.raises(discord.Forbidden) as exc:  # hid it from itself too, as on Discord
            await hidden.set_permissions(member, view_channel=True)
        assert exc.value.code == 50001
        ch = await guild.create_text_channel(
            "endorsements",
            overwrites={
                guild.default_role: discord.PermissionOverwrite(view_channel=False),
                guild.me: discord.PermissionOverwrite(view_channel=True),
            },
        )
        assert g.channel("endorsements").overwrites[0]["deny"] == str(Perm.VIEW_CHANNEL)
        await ch.set_permissions(member, view_channel=True)
        assert g.channel("endorsements") in [
            c for c in g.channels if world.bob.permissions_in(c) & Perm.VIEW_CHANNEL
        ]

        await member.add_roles(guild.get_role(int(world.committee.id)))  # below endorsebot
        assert world.committee in world.bob.roles
        above = g.add_role("Chair")  # created later, so above the bot's role
        await fake.wait_for(lambda: guild.get_role(int(above.id)), 2)
        with pytest.raises(discord.Forbidden):
            await member.add_roles(guild.get_role(int(above.id)))

        msg = await ch.send("Slate")
        g.bot_member.add_role(g.add_role("mod", Perm.MANAGE_MESSAGES))
        await asyncio.sleep(0.02)
        await msg.pin()
        assert [m.content async for m in ch.pins()] == ["Slate"]
        await ch.delete()
        assert "endorsements" not in [c.name for c in g.channels]


@pytest.mark.asyncio
async def test_auto_sharded_bot_reads_gateway_bot(fake, world):
    intents = discord.Intents.default()
    intents.members = True
    bot = discord.ext.commands.AutoShardedBot(
        command_prefix="!", intents=intents, guild_ready_timeout=0.05
    )
    async with running(bot, fake):
        assert bot.shard_count == 1 and bot.get_guild(int(world.guild.id)) is not None
    assert ("GET", "/gateway/bot") in fake.requests


@pytest.mark.asyncio
async def test_injected_503_is_raised_and_a_ghost_503_still_creates_the_message(fake, world):
    bot = make_bot()
    async with running(bot, fake):
        ch = bot.get_channel(int(world.votes.id))
        fake.server_error("POST", r"/channels/\d+/messages$")
        with pytest.raises(discord.DiscordServerError) as exc:
            await ch.send("refused")
        assert exc.value.status == 503
        assert [m["content"] for m in world.votes.messages] == []
        fake.server_error("POST", r"/channels/\d+/messages$", ghost=True)
        with pytest.raises(discord.DiscordServerError):
            await ch.send("created, answer lost")
        assert [m["content"] for m in world.votes.messages] == ["created, answer lost"]
        assert (await ch.send("fine")).content == "fine"
