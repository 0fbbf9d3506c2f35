"""Every interaction type round-trips between the fake and a real discord.py Bot."""

from __future__ import annotations

import asyncio
import io
import time

import discord
import pytest
from discord import app_commands, ui

from tests.fakediscord import CommandHidden, FakeDiscord, InteractionTimeout, Perm

from .conftest import make_bot, running


class VoteView(ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)

    @ui.button(label="Open ballot", custom_id="vote:ballot:1", style=discord.ButtonStyle.primary)
    async def ballot(self, interaction: discord.Interaction, button: ui.Button) -> None:
        await interaction.response.send_message(
            f"ballot for {interaction.user.name}", ephemeral=True
        )

    @ui.button(label="Close", custom_id="vote:close:1")
    async def close(self, interaction: discord.Interaction, button: ui.Button) -> None:
        button.disabled = True
        await interaction.response.edit_message(content="closed", view=self)

    @ui.button(label="Tally", custom_id="vote:tally:1")
    async def tally(self, interaction: discord.Interaction, button: ui.Button) -> None:
        await interaction.response.defer()  # type 6: no visible reply yet
        await interaction.edit_original_response(
            content="tallied", attachments=[discord.File(io.BytesIO(b"1,2"), "tally.csv")]
        )

    @ui.select(
        custom_id="vote:rank:1",
        placeholder="Rank",
        options=[discord.SelectOption(label=f"Choice {i}", value=str(i)) for i in range(1, 4)],
    )
    async def rank(self, interaction: discord.Interaction, select: ui.Select) -> None:
        await interaction.response.send_message(f"ranked {select.values}", ephemeral=True)

    @ui.select(cls=ui.RoleSelect, custom_id="vote:role:1")
    async def role(self, interaction: discord.Interaction, select: ui.RoleSelect) -> None:
        await interaction.response.send_message(f"role {select.values[0].name}")


class RowModal(ui.Modal, title="Questionnaire"):
    answer = ui.TextInput(label="Answer", custom_id="answer")
    extra = ui.TextInput(
        label="Extra", custom_id="extra", required=False, style=discord.TextStyle.paragraph
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"got {self.answer.value!r} / {self.extra.value!r}", ephemeral=True
        )


class EditingModal(ui.Modal, title="Edit"):
    answer = ui.TextInput(label="Answer", custom_id="answer")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(content=f"answered: {self.answer.value}", view=None)


class FormView(ui.View):
    @ui.button(label="Answer", custom_id="form:open")
    async def open(self, interaction: discord.Interaction, button: ui.Button) -> None:
        await interaction.response.send_modal(EditingModal())


class LabelModal(ui.Modal, title="Label modal"):
    name = ui.Label(text="Name", component=ui.TextInput(custom_id="name"))
    pick = ui.Label(
        text="Pick",
        component=ui.Select(
            custom_id="pick",
            options=[
                discord.SelectOption(label="A", value="a"),
                discord.SelectOption(label="B", value="b"),
            ],
        ),
    )
    radio = ui.Label(
        text="Radio",
        component=ui.RadioGroup(
            custom_id="radio",
            options=[
                discord.RadioGroupOption(label="Yes", value="yes"),
                discord.RadioGroupOption(label="No", value="no"),
            ],
        ),
    )
    boxes = ui.Label(
        text="Boxes",
        component=ui.CheckboxGroup(
            custom_id="boxes",
            required=False,
            min_values=0,
            max_values=2,
            options=[
                discord.CheckboxGroupOption(label="X", value="x"),
                discord.CheckboxGroupOption(label="Y", value="y"),
            ],
        ),
    )
    agree = ui.Label(text="Agree", component=ui.Checkbox(custom_id="agree"))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        c = self
        await interaction.response.send_message(
            f"{c.name.component.value}|{c.pick.component.values}|{c.radio.component.value}|"
            f"{c.boxes.component.values}|{c.agree.component.value}"
        )


def build(fake: FakeDiscord, guild_id: str, log: list) -> discord.ext.commands.Bot:
    bot = make_bot()
    g = discord.Object(int(guild_id))
    setup = app_commands.Group(name="setup", description="Set up", guild_ids=[int(guild_id)])

    @setup.command(name="chapter", description="Configure the chapter")
    async def chapter(
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        committee_role: discord.Role,
        timezone: str,
        contact: discord.Member | None = None,
    ) -> None:
        await interaction.response.send_message(
            f"{channel.name}|{committee_role.name}|{timezone}|"
            f"{contact.name if contact else None}|{interaction.app_permissions.send_messages}",
            ephemeral=True,
        )

    bot.tree.add_command(setup)

    @bot.tree.command(name="vote", description="Post a vote", guild=g)
    async def vote(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "Vote here",
            view=VoteView(),
            embed=discord.Embed(title="Ballot").add_field(name="Race", value="Assembly 12"),
        )

    @bot.tree.context_menu(name="Vouch", guild=g)
    async def vouch(interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.send_message(f"vouched for {member.name}", ephemeral=True)

    @bot.tree.command(name="upload", description="Attach a file", guild=g)
    async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
        data = await file.read()
        await interaction.response.send_message(f"{file.filename}:{data.decode()}")

    @bot.tree.command(name="purge", description="Committee only", guild=g)
    @app_commands.default_permissions(manage_guild=True)
    async def purge(interaction: discord.Interaction) -> None:
        meta = interaction.message
        await interaction.response.send_message(f"purged {meta}")

    @bot.tree.context_menu(name="Quote", guild=g)
    async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"> {message.content}", ephemeral=True)

    @bot.tree.command(name="form", description="Button opening a modal", guild=g)
    async def form(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Questionnaire", view=FormView())

    @bot.tree.command(name="ask", description="Row modal", guild=g)
    async def ask(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(RowModal())

    @bot.tree.command(name="ask2", description="Label modal", guild=g)
    async def ask2(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LabelModal())

    @bot.tree.command(name="slow", description="Defer then follow up", guild=g)
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send(
            "done slowly", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), filename="tally.csv")
        )
        await interaction.followup.send("second")

    @bot.tree.command(name="edit", description="Respond then edit", guild=g)
    async def edit(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "first", file=discord.File(io.BytesIO(b"\x89PNG"), "chart.png")
        )
        await interaction.edit_original_response(content="edited")

    async def race_ac(interaction: discord.Interaction, current: str):
        races = ["Assembly 12", "Assembly 50", "Senate 3"]
        return [
            app_commands.Choice(name=r, value=r)
            for r in races
            if r.lower().startswith(current.lower())
        ]

    race = app_commands.Group(name="race", description="Races", guild_ids=[int(guild_id)])

    @race.command(name="show", description="Show a race")
    @app_commands.autocomplete(race=race_ac)
    async def show(interaction: discord.Interaction, race: str) -> None:
        await interaction.response.send_message(race)

    bot.tree.add_command(race)

    @bot.tree.command(name="post", description="Post to a channel", guild=g)
    async def post(interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        try:
            await channel.send("hello")
        except discord.Forbidden as e:
            log.append(e)
            await interaction.response.send_message(f"forbidden {e.code}", ephemeral=True)
            return
        await interaction.response.send_message("posted", ephemeral=True)

    @bot.tree.command(name="dm", description="DM a member", guild=g)
    async def dm(interaction: discord.Interaction, member: discord.Member) -> None:
        try:
            await member.send("psst", file=discord.File(io.BytesIO(b"x"), "x.txt"))
        except discord.Forbidden as e:
            log.append(e)
            await interaction.response.send_message(f"dm failed {e.code}", ephemeral=True)
            return
        await interaction.response.send_message("dm sent", ephemeral=True)

    async def setup_hook() -> None:
        await bot.tree.sync(guild=g)

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    return bot


@pytest.mark.asyncio
async def test_login_to_ready_under_one_second(fake, world):
    bot = make_bot()
    t0 = time.perf_counter()
    async with running(bot, fake):
        elapsed = time.perf_counter() - t0
        assert bot.user is not None and str(bot.user.id) == fake.bot_user.id
        guild = bot.get_guild(int(world.guild.id))
        assert guild is not None and guild.name == "Metro DSA"
        assert {m.name for m in guild.members} >= {"alice", "bob"}
        assert guild.get_channel(int(world.review.id)).overwrites
    assert elapsed < 1.0, elapsed


@pytest.mark.asyncio
async def test_slash_with_role_channel_user_options(fake, world):
    log: list = []
    async with running(build(fake, world.guild.id, log), fake):
        r = await world.alice.slash(
            "setup chapter",
            channel=world.votes,
            committee_role=world.committee,
            timezone="America/New_York",
            contact=world.bob,
        )
        assert r.ephemeral and r.callback_type == 4
        assert r.content == "votes|Electoral Committee|America/New_York|bob|True"
        assert world.votes.messages == []  # ephemeral: not in the channel


@pytest.mark.asyncio
async def test_button_select_and_update(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        r = await world.alice.slash("vote", in_channel=world.votes)
        assert not r.ephemeral
        assert r.embed["fields"][0] == {"name": "Race", "value": "Assembly 12", "inline": True}
        assert "vote:ballot:1" in r.custom_ids
        assert r.component("vote:ballot:1")["label"] == "Open ballot"
        assert world.votes.messages[-1]["id"] == r.message["id"]

        b = await world.bob.click(r, "vote:ballot:1")
        assert b.content == "ballot for bob" and b.ephemeral

        s = await world.alice.select(r, "vote:rank:1", ["3"])
        assert s.content == "ranked ['3']"

        rs = await world.alice.select(r, "vote:role:1", [world.committee])
        assert rs.content == "role Electoral Committee"

        t = await world.alice.click(r, "vote:tally:1")
        assert t.callback_type == 6 and t.deferred
        await t.wait_edit()
        assert t.message["id"] == r.message["id"] and t.content == "tallied"
        assert t.attachments[0]["data"] == b"1,2" and r.attachments[0]["filename"] == "tally.csv"

        c = await world.alice.click(world.votes.messages[0], "vote:close:1")
        assert c.callback_type == 7 and c.content == "closed"
        assert c.component("vote:close:1")["disabled"] is True
        with pytest.raises(ValueError):
            await world.alice.click(c, "vote:close:1")


@pytest.mark.asyncio
async def test_modal_action_rows(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        r = await world.alice.slash("ask")
        assert r.modal["title"] == "Questionnaire"
        assert r.modal["components"][0]["type"] == 1
        done = await world.alice.submit_modal(r.modal, {"answer": "yes please"})
        assert done.content == "got 'yes please' / ''"
        with pytest.raises(ValueError):
            await world.alice.submit_modal(r.modal, {"extra": "no answer"})


@pytest.mark.asyncio
async def test_modal_label_wrapped_inputs(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        r = await world.alice.slash("ask2")
        assert [c["type"] for c in r.modal["components"]] == [18] * 5
        done = await world.alice.submit_modal(
            r, {"name": "Ada", "pick": ["b"], "radio": "yes", "boxes": ["x", "y"], "agree": True}
        )
        assert done.content == "Ada|['b']|yes|['x', 'y']|True"


@pytest.mark.asyncio
async def test_autocomplete(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        choices = await world.alice.autocomplete("race show", "race", "Assem")
        assert [c["name"] for c in choices] == ["Assembly 12", "Assembly 50"]
        r = await world.alice.slash("race show", race="Senate 3")
        assert r.content == "Senate 3"


@pytest.mark.asyncio
async def test_defer_followup_with_attachment(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        r = await world.alice.slash("slow", in_channel=world.votes)
        assert r.deferred
        await r.wait_followups(2)
        assert r.content == "done slowly" and not r.thinking
        assert r.attachments[0]["filename"] == "tally.csv"
        assert r.attachments[0]["data"] == b"a,b\n1,2\n"
        assert [m["content"] for m in r.followups] == ["done slowly", "second"]
        assert [m["content"] for m in world.votes.messages] == ["done slowly", "second"]
        assert world.votes.messages[0]["attachments"][0]["data"] == b"a,b\n1,2\n"


@pytest.mark.asyncio
async def test_edit_original(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        r = await world.alice.slash("edit", in_channel=world.votes)
        await r.wait_edit()
        assert r.content == "edited"
        assert r.attachments[0]["filename"] == "chart.png"
        assert r.attachments[0]["data"] == b"\x89PNG"
        assert r.attachments[0]["content_type"] == "image/png"
        assert world.votes.messages[-1]["content"] == "edited"


@pytest.mark.asyncio
async def test_missing_permission_is_forbidden_50013(fake, world):
    log: list = []
    async with running(build(fake, world.guild.id, log), fake):
        r = await world.alice.slash("post", channel=world.locked)
        assert r.content == "forbidden 50013"
        assert isinstance(log[0], discord.Forbidden) and log[0].code == 50013
        r = await world.alice.slash("post", channel=world.votes)
        assert r.content == "posted" and world.votes.messages[-1]["content"] == "hello"


@pytest.mark.asyncio
async def test_dm_closed_is_50007_and_open_dm_arrives(fake, world):
    log: list = []
    async with running(build(fake, world.guild.id, log), fake):
        r = await world.alice.slash("dm", member=world.bob)
        assert r.content == "dm failed 50007" and log[0].code == 50007
        r = await world.bob.slash("dm", member=world.alice)
        assert r.content == "dm sent"
        dms = fake.dms_to(world.alice)
        assert dms[-1]["content"] == "psst" and dms[-1]["attachments"][0]["data"] == b"x"


@pytest.mark.asyncio
async def test_modal_from_a_button_edits_that_message(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        r = await world.alice.slash("form", in_channel=world.votes)
        opened = await world.alice.click(r, "form:open")
        assert opened.modal["title"] == "Edit" and opened.callback_type == 9
        done = await world.alice.submit_modal(opened, {"answer": "42"})
        assert done.callback_type == 7 and done.message["id"] == r.message["id"]
        assert world.votes.messages[-1]["content"] == "answered: 42"
        assert world.votes.messages[-1]["components"] == []


@pytest.mark.asyncio
async def test_context_menus_and_raw_interactions(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        r = await world.alice.user_command("Vouch", world.bob)
        assert r.content == "vouched for bob"
        posted = world.bob.say(world.votes, "I'm running for treasurer")
        q = await world.alice.message_command("Quote", posted)
        assert q.content == "> I'm running for treasurer"
        with pytest.raises(InteractionTimeout):  # no item listens: "interaction failed"
            await world.alice.interact(
                3, {"custom_id": "nobody:listens", "component_type": 2}, message=q, timeout=0.3
            )


@pytest.mark.asyncio
async def test_default_member_permissions_hide_a_command(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        with pytest.raises(CommandHidden):
            await world.bob.slash("purge")
        world.committee.permissions |= Perm.MANAGE_GUILD
        r = await world.alice.slash("purge", in_channel=world.votes)
        assert r.content == "purged None"
        meta = world.votes.messages[-1]["interaction_metadata"]
        assert meta["name"] == "purge" and meta["user"]["id"] == world.alice.id


@pytest.mark.asyncio
async def test_attachment_option(fake, world):
    async with running(build(fake, world.guild.id, []), fake):
        r = await world.alice.slash("upload", file=("slate.csv", b"ana,ben", "text/csv"))
        assert r.content == "slate.csv:ana,ben"


@pytest.mark.asyncio
async def test_a_button_and_a_modal_in_a_dm_reach_the_bot_without_a_guild(fake, world):
    """Docs "Interaction Object": in the bot's DM an interaction has `user`, no `member`
    and no guild (context 1, BOT_DM); only the DM's recipient can press its buttons."""
    seen: list = []
    bot = build(fake, world.guild.id, [])

    class DmForm(ui.View):
        @ui.button(label="Start", custom_id="dm:start")
        async def start(self, interaction: discord.Interaction, button: ui.Button) -> None:
            seen.append((interaction.guild_id, type(interaction.user).__name__))
            await interaction.response.send_modal(RowModal())

    @bot.tree.command(name="dmform", description="DM a form", guild=discord.Object(world.guild.id))
    async def dmform(interaction: discord.Interaction) -> None:
        await interaction.user.send("Your form", view=DmForm())
        await interaction.response.send_message("sent", ephemeral=True)

    async with running(bot, fake):
        await world.alice.slash("dmform")
        dm = fake.dms_to(world.alice)[-1]
        with pytest.raises(PermissionError):
            await world.bob.click(dm, "dm:start")
        opened = await world.alice.click(dm, "dm:start")
        assert seen == [(None, "User")]
        done = await world.alice.submit_modal(opened, {"answer": "yes"})
        assert done.content == "got 'yes' / ''" and done.ephemeral
