"""Finding a post a scheduled job already made, by the job's marker (see bot/scheduler.py):
a job recovered after a crash looks before it posts again."""

from __future__ import annotations

import discord

RECENT = 100  # how far back a recovered job looks


async def find_marker(
    channel: discord.abc.Messageable, marker: str, *, author_id: int
) -> discord.Message | None:
    """`author_id`'s recent message in `channel` whose text or an embed footer ends with
    `marker`, or None."""
    async for message in channel.history(limit=RECENT):
        if message.author.id != author_id:
            continue
        if message.content.endswith(marker) or any(
            e.footer and e.footer.text and e.footer.text.endswith(marker) for e in message.embeds
        ):
            return message
    return None
