"""What every cog needs: the chapter of an interaction and the role checks, done server-side
on every call (Discord's default_member_permissions is only a hint to the client)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import discord

from bot.domain.chapters import ChapterConfig
from bot.errors import MissingRole, NotConfigured, UserError
from bot.services import chapters as chapter_service

if TYPE_CHECKING:
    from bot.client import EndorseBot


C = TypeVar("C")


def bot_of(interaction: discord.Interaction) -> EndorseBot:
    return interaction.client  # type: ignore[return-value]


def cog_of(interaction: discord.Interaction, name: str, kind: type[C]) -> C:
    """The loaded cog `name`, checked to be a `kind`: a component clicked while its feature
    is unloaded (or being reloaded) gets a clear refusal, never an AttributeError."""
    cog = bot_of(interaction).get_cog(name)
    if not isinstance(cog, kind):
        raise UserError("This is not available right now; try again in a minute.")
    return cog


def _member(interaction: discord.Interaction) -> discord.Member:
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        raise UserError("This only works inside the chapter's server, not in direct messages.")
    return interaction.user


async def chapter_of(interaction: discord.Interaction) -> ChapterConfig:
    """The chapter's configuration, or a pointer to `/setup chapter` if there is none."""
    _member(interaction)
    try:
        return await chapter_service.require(bot_of(interaction).db, interaction.guild_id)
    except chapter_service.ChapterNotConfigured:
        raise NotConfigured() from None


def role_name(guild: discord.Guild, role_id: int | None, fallback: str) -> str:
    role = guild.get_role(role_id) if role_id else None
    return role.name if role else fallback


async def require_committee(interaction: discord.Interaction, action: str) -> ChapterConfig:
    """The chapter's configuration if the user is on the committee (or can Manage Server)."""
    config = await chapter_of(interaction)
    member = _member(interaction)
    roles = {role.id for role in member.roles}
    if not chapter_service.is_committee(config, roles, member.guild_permissions.manage_guild):
        name = role_name(member.guild, config.committee_role_id, "committee")
        raise MissingRole(name, action)
    return config


async def require_member(interaction: discord.Interaction, action: str) -> ChapterConfig:
    """The chapter's configuration if the user holds a member role (or is on the committee)."""
    config = await chapter_of(interaction)
    member = _member(interaction)
    roles = {role.id for role in member.roles}
    manage = member.guild_permissions.manage_guild
    if chapter_service.is_member(config, roles) or chapter_service.is_committee(
        config, roles, manage
    ):
        return config
    names = " or ".join(role_name(member.guild, r, "member") for r in config.member_role_ids)
    raise MissingRole(names or "member", action)


async def may_autocomplete(interaction: discord.Interaction) -> bool:
    """Whether the command being autocompleted would serve this user: the committee for a
    command marked `extras={"committee": True}`, members for the rest. Choices show titles,
    so someone the command refuses gets none."""
    command = interaction.command
    committee = bool(command is not None and command.extras.get("committee"))
    try:
        if committee:
            await require_committee(interaction, "see these choices")
        else:
            await require_member(interaction, "see these choices")
    except UserError:
        return False
    return True
