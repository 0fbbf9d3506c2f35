"""The one race option every feature's commands take: `race: RaceOption` (`AnyRaceOption`
also suggests archived races). A command receives the `Race` itself:

    @group.command(name="show", description="A race's plan")
    async def show_command(self, interaction: discord.Interaction, race: RaceOption) -> None:

`RaceParam` is a discord.py Transformer: as the member types it suggests the chapter's races
(only to whom the command serves: `may_autocomplete`), each cut to Discord's 100-character
choice name; when the command runs it turns the choice (a race id) or the typed office into
the `Race`, or refuses with the races service's clear `NotFound` or `InvalidInput`; someone
who is not a member is refused before any lookup.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.domain import discord_limits as limits
from bot.domain.races import Race
from bot.errors import UserError
from bot.services import races as race_service
from cogs._common import bot_of, may_autocomplete, require_member
from cogs._text import clip


def race_choice(race: Race) -> app_commands.Choice[str]:
    """A race as an autocomplete choice: its label, status and whether it is archived. A long
    label is cut, never the status after it: two races of one office differ by status."""
    tail = f" · {race.status.label}" + (" · archived" if race.archived else "")
    name = clip(race.label, limits.CHOICE_NAME - len(tail)) + tail
    return app_commands.Choice(name=name, value=str(race.id))


async def resolve(interaction: discord.Interaction, typed: str) -> Race:
    """The race a member picked (its id) or typed (its office), in this chapter."""
    if interaction.guild_id is None:
        raise UserError("This only works inside the chapter's server, not in direct messages.")
    return await race_service.resolve_race(bot_of(interaction).db, interaction.guild_id, typed)


async def typed_race(interaction: discord.Interaction) -> Race | None:
    """The race already given in this command's `race` option, for another option's
    autocomplete (a candidate, a milestone); None if it names none yet."""
    typed = getattr(interaction.namespace, "race", None)
    if not typed:
        return None
    try:
        return await resolve(interaction, str(typed))
    except UserError:
        return None


class RaceParam(app_commands.Transformer):
    """Autocomplete, lookup and the choice-name cut of a race option."""

    def __init__(self, *, include_archived: bool = False) -> None:
        self.include_archived = include_archived

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not await may_autocomplete(interaction):
            return []
        races = await race_service.race_choices(
            bot_of(interaction).db,
            interaction.guild_id,
            str(value),
            include_archived=self.include_archived,
        )
        return [race_choice(r) for r in races]

    async def transform(self, interaction: discord.Interaction, value: str) -> Race:
        # Whether a race exists is for members only: someone else is refused the same way
        # whatever they typed (the command's own checks ran before this).
        await require_member(interaction, "see the chapter's races")
        return await resolve(interaction, str(value))


RaceOption = app_commands.Transform[Race, RaceParam]
AnyRaceOption = app_commands.Transform[Race, RaceParam(include_archived=True)]
