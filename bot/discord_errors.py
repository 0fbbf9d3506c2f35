"""The one place every app-command and component error reaches the member.

A `bot.errors.UserError` or a domain `bot.domain.errors.InputError` is shown to the member,
ephemerally, as it is or as the cog that registered a wording for its type (`word_as`) words
it: no call site translates one into the other. Anything else is a
bug: it is logged with a traceback and an error id, and the member gets a short apology
quoting the same id. This module sits beside the client because it needs discord.py; the
error classes themselves (`bot.errors`) do not, so services never load discord.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.domain.errors import InputError
from bot.errors import UserError

log = logging.getLogger("endorsebot.errors")

# What a member is told as it is: the service layer's errors and the domain's refusals.
MemberError = UserError | InputError
E = TypeVar("E", bound=UserError | InputError)
Wording = Callable[[Any, discord.Interaction], str]
_wordings: dict[type[Exception], Wording] = {}


def word_as(kind: type[E], wording: Callable[[E, discord.Interaction], str]) -> None:
    """Show errors of `kind` (and its subclasses) to the member as `wording(error,
    interaction)` says: how a cog words an error that carries data (times as `<t:…>`,
    role names from the guild). Other member errors are shown as `str(error)`."""
    _wordings[kind] = wording


def _worded(error: MemberError, interaction: discord.Interaction) -> str:
    for kind in type(error).__mro__:
        wording = _wordings.get(kind)
        if wording is not None:
            return wording(error, interaction)
    return str(error)


class Refused(app_commands.CheckFailure):
    """A command's check refused the member with a `UserError` (`original`): discord.py
    hands only its own errors from a check to the tree's `on_error`."""

    def __init__(self, original: UserError) -> None:
        super().__init__(str(original))
        self.original = original


def unwrap(error: BaseException) -> BaseException:
    """The error a command raised, without discord.py's wrappers (an option's transformer,
    such as the race option's lookup, has its error wrapped in a TransformerError)."""
    if isinstance(error, app_commands.CommandInvokeError | Refused):
        error = error.original
    elif isinstance(error, app_commands.TransformerError) and isinstance(
        error.__cause__, UserError
    ):
        error = error.__cause__
    return error


async def send_ephemeral(interaction: discord.Interaction, message: str) -> None:
    """Answer ephemerally whether or not the interaction was already acknowledged."""
    if interaction.response.is_done():
        await interaction.followup.send(message, ephemeral=True)
    else:
        await interaction.response.send_message(message, ephemeral=True)


def _where(interaction: discord.Interaction) -> str:
    command = getattr(interaction.command, "qualified_name", None)
    if command:
        return f"/{command}"
    # A component's custom_id can carry state (a ballot's ranking so far): log its namespace.
    custom_id = str((interaction.data or {}).get("custom_id", "?"))
    return "component " + ":".join(custom_id.split(":")[:2])


async def report(
    interaction: discord.Interaction,
    error: BaseException,
    *,
    where: str | None = None,
    traceback: bool = True,
) -> None:
    """Turn any error raised while handling `interaction` into an answer the member sees.

    A bug is logged, as happening in `where` (default: the command, or the component's
    namespace), with an error id the member is given. `traceback=False` logs only the
    error's type, for handlers whose exception text could quote what a member chose.
    """
    error = unwrap(error)
    if isinstance(error, UserError | InputError):
        message = _worded(error, interaction)
    elif isinstance(error, app_commands.CommandOnCooldown):
        message = f"Slow down: try again in {error.retry_after:.0f} seconds."
    elif isinstance(error, app_commands.NoPrivateMessage):
        message = "This command only works inside the chapter's server."
    else:
        error_id = secrets.token_hex(4)
        where = where or _where(interaction)
        if traceback:
            log.error(
                "error %s handling %s in guild %s",
                error_id,
                where,
                interaction.guild_id,
                exc_info=error,
            )
        else:
            log.error(
                "error %s handling %s in guild %s: %s",
                error_id,
                where,
                interaction.guild_id,
                type(error).__name__,
            )
        message = (
            "Sorry, something went wrong on our side and nothing was changed. "
            f"Please tell the committee's tech volunteer: error id `{error_id}`."
        )
    try:
        await send_ephemeral(interaction, message)
    except discord.HTTPException:
        log.warning("could not deliver an error message for interaction %s", interaction.id)


class EndorseTree(app_commands.CommandTree):
    """The command tree: every app-command error reaches the member through `report`."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report(interaction, error)
