"""Components whose custom_id leads nowhere: one clear answer instead of a silent failure.

Every button and select the bot draws is a `DynamicItem` whose custom_id starts with its
feature's namespace (`vote:`, `qn:`). A click on one whose id no template of that namespace
matches (an older release's layout, a number too large for the database or negative: see
`bot.domain.hygiene.ROW_ID`) would reach no handler, and Discord would show the member
"This interaction failed". `stale_item` makes the catch-all for one namespace: it matches
exactly the ids of that namespace that no live template does, and answers ephemerally that
the button no longer works. Nothing is read or changed, and the id is not logged (a ballot's
id carries the ranking so far).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import discord

from bot.discord_errors import send_ephemeral

log = logging.getLogger("endorsebot.components")

STALE = (
    "This button no longer works: it belongs to an older message or an older version of the "
    "bot, and nothing was changed. Use the newest message, or run the command again."
)

Live = type[discord.ui.DynamicItem[Any]]


def _unnamed(pattern: str) -> str:
    # Several templates name the same groups (`vote`, `draft`); one regex can't repeat a name.
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def stale_template(namespace: str, live: Sequence[Live]) -> str:
    """A regex matching every custom_id under `namespace:` that no template of `live` does."""
    known = "|".join(_unnamed(item.__discord_ui_compiled_template__.pattern) for item in live)
    return rf"(?!(?:{known})$){re.escape(namespace)}:.*"


def stale_item(namespace: str, live: Sequence[Live]) -> Live:
    """The catch-all `DynamicItem` for `namespace`: register it beside the `live` ones."""

    class Stale(
        discord.ui.DynamicItem[discord.ui.Item[Any]], template=stale_template(namespace, live)
    ):
        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction,
            item: discord.ui.Item[Any],
            match: re.Match[str],
            /,
        ) -> Stale:
            return cls(item)

        async def callback(self, interaction: discord.Interaction) -> None:
            log.info("a stale %s: component in guild %s", namespace, interaction.guild_id)
            try:
                await send_ephemeral(interaction, STALE)
            except discord.HTTPException:
                log.warning("could not answer a stale %s: component", namespace)

    Stale.__name__ = Stale.__qualname__ = f"Stale_{namespace}"
    return Stale
