"""The `/vote` command group, which the feature's command modules share, and the vote
argument their commands take (its autocomplete and how it is read)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.domain import discord_limits as limits
from bot.errors import UserError
from bot.services import votes as service
from cogs._common import bot_of, may_autocomplete

vote_group = app_commands.Group(
    name="vote", description="Endorsement votes: create, close, status", guild_only=True
)


async def vote_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """The chapter's votes whose title contains `current` (or whose number it is), for
    those the command serves."""
    if not await may_autocomplete(interaction):
        return []
    found = await service.list_votes(bot_of(interaction).db, interaction.guild_id)
    needle = current.strip().lower().lstrip("#")
    hits = [v for v in found if needle in v.title.lower() or needle == str(v.id)]
    return [
        app_commands.Choice(
            name=f"#{v.id} {v.title} ({v.state})"[: limits.CHOICE_NAME], value=str(v.id)
        )
        for v in hits[: limits.CHOICES]
    ]


def vote_id(text: str) -> int:
    """The vote number a member picked or typed ("12" or "#12")."""
    try:
        return int(text.strip().lstrip("#"))
    except ValueError:
        raise UserError("Pick a vote from the list (or type its number, e.g. 12).") from None
