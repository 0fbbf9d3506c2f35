"""A test-only extension with a command that fails the way a bug would."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import InvalidInput


class Boom(commands.Cog):
    @app_commands.command(name="boom", description="Fails like a bug")
    async def boom(self, interaction: discord.Interaction) -> None:
        raise RuntimeError("secret internal detail")

    @app_commands.command(name="fussy", description="Refuses its input")
    async def fussy(self, interaction: discord.Interaction, value: str) -> None:
        raise InvalidInput(f"{value!r} is not a date I understand: try 2026-12-05 18:00.")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Boom())
