"""The official and position options of the officials commands, in the shape of the race
option (cogs/races/options.py): suggestions as the member types, only to whom the command
serves, and the lookup (an id picked, or a name typed) with the service's clear refusal."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import discord
from discord import app_commands

from bot.db import Database
from bot.domain.discord_limits import CHOICE_NAME
from bot.domain.officials import Official, Position
from bot.services import officials as service
from cogs._common import bot_of, may_autocomplete, require_member
from cogs._text import clip


class _Picker(app_commands.Transformer, ABC):
    """A string option that suggests the chapter's `choices` and turns the pick into a row."""

    action = ""  # what a non-member is refused, e.g. "see the chapter's officials"

    @abstractmethod
    async def suggest(self, db: Database, guild_id: int, typed: str) -> list[Any]:
        """The chapter's rows matching what the member has typed so far."""

    @abstractmethod
    async def lookup(self, db: Database, guild_id: int, typed: str) -> Any:
        """The row picked (an id) or typed (a name), or the service's clear refusal."""

    @staticmethod
    @abstractmethod
    def name_of(row: Any) -> str:
        """The row's name as the suggestion shows it."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not await may_autocomplete(interaction):
            return []
        found = await self.suggest(bot_of(interaction).db, interaction.guild_id, str(value))
        return [
            app_commands.Choice(name=clip(self.name_of(row), CHOICE_NAME), value=str(row.id))
            for row in found
        ]

    async def transform(self, interaction: discord.Interaction, value: str) -> Any:
        config = await require_member(interaction, self.action)
        return await self.lookup(bot_of(interaction).db, config.guild_id, str(value))


class OfficialParam(_Picker):
    action = "see the chapter's officials"

    async def suggest(self, db: Database, guild_id: int, typed: str) -> list[Official]:
        return await service.official_choices(db, guild_id, typed)

    async def lookup(self, db: Database, guild_id: int, typed: str) -> Official:
        return await service.resolve_official(db, guild_id, typed)

    @staticmethod
    def name_of(row: Official) -> str:
        return row.label


class PositionParam(_Picker):
    action = "see the chapter's positions"

    async def suggest(self, db: Database, guild_id: int, typed: str) -> list[Position]:
        return await service.position_choices(db, guild_id, typed)

    async def lookup(self, db: Database, guild_id: int, typed: str) -> Position:
        return await service.resolve_position(db, guild_id, typed)

    @staticmethod
    def name_of(row: Position) -> str:
        return row.title


OfficialOption = app_commands.Transform[Official, OfficialParam]
PositionOption = app_commands.Transform[Position, PositionParam]
