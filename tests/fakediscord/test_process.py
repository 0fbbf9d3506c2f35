"""Process mode: the fake as a subprocess, a bot as a subprocess killed and restarted, and
the in-process analogue of a restart with a persistent view."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import discord
import pytest
from discord import ui

from tests.fakediscord import ControlClient

from .conftest import make_bot, running

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = {
    "token": "tiny-token",
    "application_id": "1100000000000000001",
    "bot_name": "tinybot",
    "guilds": [
        {
            "name": "Metro DSA",
            "id": "1200000000000000001",
            "roles": [{"name": "Member"}],
            "members": [{"name": "alice", "roles": ["Member"]}, {"name": "bob"}],
            "channels": [
                {"name": "votes"},
                {
                    "name": "private",
                    "overwrites": [{"role": "@everyone", "deny": ["VIEW_CHANNEL"]}],
                },
            ],
        }
    ],
}


class Persistent(ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @ui.button(label="Join", custom_id="persist:join")
    async def join(self, interaction: discord.Interaction, button: ui.Button) -> None:
        await interaction.response.send_message(f"joined {interaction.user.name}", ephemeral=True)


class Ballot(ui.DynamicItem[ui.Button], template=r"vote:ballot:(?P<vote_id>[0-9]+)"):
    def __init__(self, vote_id: int) -> None:
        super().__init__(ui.Button(label="Ballot", custom_id=f"vote:ballot:{vote_id}"))
        self.vote_id = vote_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match) -> Ballot:
        return cls(int(match["vote_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"ballot {self.vote_id}", ephemeral=True)


@pytest.mark.asyncio
async def test_persistent_view_survives_a_new_bot_instance(fake, world):
    def new_bot() -> discord.ext.commands.Bot:
        bot = make_bot()

        async def setup_hook() -> None:
            bot.add_view(Persistent())
            bot.add_dynamic_items(Ballot)

        bot.setup_hook = setup_hook  # type: ignore[method-assign]
        return bot

    first = new_bot()
    async with running(first, fake):
        msg = await first.get_channel(int(world.votes.id)).send("Join the slate", view=Persistent())
        r = await world.alice.click(world.votes.messages[-1], "persist:join")
        assert r.content == "joined alice"
        view = ui.View(timeout=None)
        view.add_item(Ballot(17))
        await first.get_channel(int(world.votes.id)).send("Vote 17", view=view)
    assert first.is_closed() and fake.identify_count == 1

    async with running(new_bot(), fake):
        r = await world.bob.click(world.votes.messages[0], "persist:join")
        assert r.content == "joined bob" and world.votes.messages[0]["id"] == str(msg.id)
        r = await world.bob.click(world.votes.messages[1], "vote:ballot:17")
        assert r.content == "ballot 17"
    assert fake.identify_count == 2


async def _ready(bot: asyncio.subprocess.Process) -> None:
    """Until the tinybot's on_ready (it prints "ready"), not a guess at how long that takes."""
    line = await asyncio.wait_for(bot.stdout.readline(), 15)
    assert line == b"ready\n", line


async def _spawn(*args: str, env: dict | None = None) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.asyncio
async def test_process_mode_with_a_bot_killed_and_restarted(tmp_path):
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO))
    server = await _spawn("-m", "tests.fakediscord", "--port", "0", "--scenario", str(scenario))
    bots: list[asyncio.subprocess.Process] = []
    try:
        line = await asyncio.wait_for(server.stdout.readline(), 10)
        base_url = line.decode().split()[-1]
        assert base_url.startswith("http://127.0.0.1:")
        env = {
            "DISCORD_API_URL": base_url,
            "DISCORD_TOKEN": "tiny-token",
            "GUILD_ID": "1200000000000000001",
        }
        async with ControlClient(base_url) as ctl:
            ids = await ctl.ids()
            assert ids["channels"]["votes"] and ids["members"]["alice"]

            bots.append(await _spawn("-m", "tests.fakediscord.tinybot", env=env))
            await ctl.wait_ready(timeout=15)
            await _ready(bots[0])
            r = await ctl.slash("alice", "ping", who={"member": "bob"}, in_channel="votes")
            assert r.content == "pong bob"
            panel = await ctl.slash("alice", "panel", in_channel="votes")
            assert panel.custom_ids == ["panel:count"]
            first = await ctl.click("bob", panel, "panel:count")
            assert first.content.startswith("counted bob") and first.ephemeral

            bots[0].send_signal(signal.SIGKILL)  # mid-flow: no clean gateway close
            await bots[0].wait()
            bots.append(await _spawn("-m", "tests.fakediscord.tinybot", env=env))
            state = await ctl.state()
            await _ready(bots[1])
            assert (await ctl.state())["identify_count"] == state["identify_count"] + 1
            again = await ctl.click("alice", panel, "panel:count")
            assert again.content.startswith("counted alice")
            assert again.content != first.content.replace("bob", "alice")  # a new pid answered
            messages = await ctl.messages(ids["channels"]["votes"])
            assert [m["content"] for m in messages] == ["pong bob", "Panel"]
            assert await ctl.unknown_routes() == []
            assert (await ctl.refresh(first)).content == first.content
            await ctl.set_roles("bob", ["Member"])
            assert (await ctl.ids())["members"]["bob"]
            assert (await ctl.configure(ack_deadline=2.5))["ack_deadline"] == 2.5
            await ctl.advance_clock(16 * 60)  # the panel's interaction token has now expired
            assert await ctl.dms("alice") == []
    finally:
        for p in bots:
            if p.returncode is None:
                p.kill()
                await p.wait()
        server.send_signal(signal.SIGTERM)
        await asyncio.wait_for(server.wait(), 10)
    assert server.returncode == 0
