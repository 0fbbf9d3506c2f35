"""A tiny real discord.py bot for the process-mode tests: ``python -m tests.fakediscord.tinybot``.

Reads DISCORD_API_URL (``http://127.0.0.1:PORT``), DISCORD_TOKEN and GUILD_ID from the
environment and points discord.py at that base URL the way the real bot does.
"""

from __future__ import annotations

import os

import discord
import yarl
from discord import app_commands, ui
from discord.ext import commands


class Panel(ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @ui.button(label="Count me", custom_id="panel:count", style=discord.ButtonStyle.success)
    async def count(self, interaction: discord.Interaction, button: ui.Button) -> None:
        await interaction.response.send_message(
            f"counted {interaction.user.name} (pid {os.getpid()})", ephemeral=True
        )


def build(guild_id: int) -> commands.Bot:
    intents = discord.Intents.default()
    intents.members = True
    bot = commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
    g = discord.Object(guild_id)

    @bot.tree.command(name="panel", description="Post the panel", guild=g)
    async def panel(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Panel", view=Panel())

    @bot.tree.command(name="ping", description="Ping", guild=g)
    @app_commands.describe(who="Someone to greet")
    async def ping(interaction: discord.Interaction, who: discord.Member) -> None:
        await interaction.response.send_message(f"pong {who.name}")

    async def setup_hook() -> None:
        bot.add_view(Panel())
        await bot.tree.sync(guild=g)

    async def on_ready() -> None:
        print("ready", flush=True)  # what the process tests wait on

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    bot.add_listener(on_ready)
    return bot


def main() -> None:
    base = os.environ["DISCORD_API_URL"].rstrip("/")
    discord.http.Route.BASE = f"{base}/api/v10"
    ws = "ws" + base.removeprefix("http") + "/"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(ws)
    build(int(os.environ["GUILD_ID"])).run(os.environ["DISCORD_TOKEN"], log_handler=None)


if __name__ == "__main__":
    main()
