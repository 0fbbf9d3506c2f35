"""What every cog needs: the chapter of an interaction and the role checks, done server-side
on every call (Discord's default_member_permissions is only a hint to the client).

`@committee_only(action)` is the one source of who may run a committee command: it refuses
everyone else before the command runs, marks the command "(committee)" (Discord's command
list and `/help` show the description), and `may_autocomplete` reads it; `/help` hides the
command from members by it. A component (a button) checks again with `require_committee`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.discord_errors import Refused
from bot.domain import discord_limits as limits
from bot.domain.chapters import ChapterConfig
from bot.errors import MissingRole, NotConfigured, UserError
from bot.services import chapters as chapter_service

if TYPE_CHECKING:
    from bot.client import EndorseBot


C = TypeVar("C")
_CHECKED = "endorsebot:chapter"  # the chapter's config, once read in this interaction


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
    checked = interaction.extras.get(_CHECKED)
    if isinstance(checked, ChapterConfig):  # read once per interaction (a check, an option)
        return checked
    try:
        config = await chapter_service.require(bot_of(interaction).db, interaction.guild_id)
    except chapter_service.ChapterNotConfigured:
        raise NotConfigured() from None
    interaction.extras[_CHECKED] = config
    return config


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


COMMITTEE_MARK = "(committee)"


async def require_setup_rights(
    interaction: discord.Interaction, action: str
) -> ChapterConfig | None:
    """The committee (or Manage Server); before the chapter's first setup, Manage Server."""
    member = _member(interaction)
    config = await chapter_service.find(bot_of(interaction).db, member.guild.id)
    roles = {role.id for role in member.roles}
    if chapter_service.is_committee(config, roles, member.guild_permissions.manage_guild):
        return config
    if config is None:
        raise UserError(
            "Only someone with the **Manage Server** permission can set up the "
            "chapter for the first time."
        )
    raise MissingRole(role_name(member.guild, config.committee_role_id, "committee"), action)


CommandT = TypeVar("CommandT", bound=app_commands.Command[Any, ..., Any])


class CommitteeCheck:
    """The check `@committee_only` adds to a command; /help and autocomplete look for it."""

    def __init__(self, action: str, *, first_setup: bool) -> None:
        self.action = action
        self.first_setup = first_setup

    async def __call__(self, interaction: discord.Interaction) -> bool:
        try:
            if self.first_setup:
                config = await require_setup_rights(interaction, self.action)
            else:
                config = await require_committee(interaction, self.action)
        except UserError as error:
            raise Refused(error) from None
        if config is not None:  # the command's chapter_of reads it again
            interaction.extras[_CHECKED] = config
        return True


def committee_only(action: str, *, first_setup: bool = False) -> Callable[[CommandT], CommandT]:
    """Make a command the committee's: put it above `@group.command(...)`. `action` says
    what a refused member cannot do ("create a vote"). `first_setup`: before the chapter is
    set up, someone with Manage Server may run it (`/setup chapter`)."""

    def decorate(command: CommandT) -> CommandT:
        if not isinstance(command, app_commands.Command):
            raise TypeError("@committee_only goes above the @...command(...) decorator")
        command.checks.append(CommitteeCheck(action, first_setup=first_setup))
        if not command.description.endswith(COMMITTEE_MARK):
            command.description = f"{command.description} {COMMITTEE_MARK}"
        if len(command.description) > limits.COMMAND_DESCRIPTION:
            raise ValueError(
                f"/{command.qualified_name}: description over {limits.COMMAND_DESCRIPTION}"
            )
        return command

    return decorate


def is_committee_command(command: object) -> bool:
    """Whether `@committee_only` guards `command` (what /help and autocomplete read)."""
    return any(isinstance(check, CommitteeCheck) for check in getattr(command, "checks", ()))


async def may_autocomplete(interaction: discord.Interaction) -> bool:
    """Whether the command being autocompleted would serve this user: the committee for a
    `@committee_only` command, members for the rest. Choices show titles, so someone the
    command refuses gets none."""
    committee = is_committee_command(interaction.command)
    try:
        if committee:
            await require_committee(interaction, "see these choices")
        else:
            await require_member(interaction, "see these choices")
    except UserError:
        return False
    return True
