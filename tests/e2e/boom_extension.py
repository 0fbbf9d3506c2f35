"""A test-only extension with a command that fails the way a bug would."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_errors import report
from bot.domain.timeparse import validate_timezone
from bot.errors import InvalidInput


class SecretButton(discord.ui.DynamicItem[discord.ui.Button], template=r"boom:item:(?P<state>.+)"):
    """A button whose custom_id carries member state, as a half-made ballot's does."""

    def __init__(self, state: str) -> None:
        super().__init__(discord.ui.Button(label="Go", custom_id=f"boom:item:{state}"))

    @classmethod
    async def from_custom_id(cls, interaction, item, match):  # noqa: ANN001, ANN206
        return cls(match["state"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            raise RuntimeError(f"failed with {self.custom_id}")
        except RuntimeError as error:
            await report(interaction, error, traceback=False)


class Boom(commands.Cog):
    @app_commands.command(name="boom", description="Fails like a bug")
    async def boom(self, interaction: discord.Interaction) -> None:
        raise RuntimeError("secret internal detail")

    @app_commands.command(name="fussy", description="Refuses its input")
    async def fussy(self, interaction: discord.Interaction, value: str) -> None:
        raise InvalidInput(f"{value!r} is not a date I understand: try 2026-12-05 18:00.")

    @app_commands.command(name="zone", description="A domain rule refuses its input")
    async def zone(self, interaction: discord.Interaction, value: str) -> None:
        # No try/except here: the domain's refusal travels up as it is.
        validate_timezone(value)
        await interaction.response.send_message("fine", ephemeral=True)

    @app_commands.command(name="secret", description="Posts a button carrying state")
    async def secret(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(SecretButton("ranked-3-then-1"))
        await interaction.response.send_message("Press it", view=view, ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(SecretButton)
    await bot.add_cog(Boom())
