"""Keeping a vote's announcement current: its turnout line after ballots (debounced, so a
burst of ballots is one edit), its state after a close, extend or cancel, and the notes the
loaded cogs give (cogs/votes/notes.py)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.domain.vote_types import Vote, VoteState
from bot.services import vote_admin
from bot.services import votes as service
from cogs.votes import _render
from cogs.votes._views import announcement_view
from cogs.votes.notes import VoteNote, collect_notes

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.votes")


class TurnoutUpdater:
    """Edits the announcement of a vote; one pending edit per vote at a time."""

    debounce = 3.0  # seconds between edits of an announcement's turnout line

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot
        self._pending: dict[int, asyncio.Task[None]] = {}

    def changed(self, vote: Vote) -> None:
        """A ballot (or paper ballots) arrived: refresh the turnout line soon."""
        if vote.id in self._pending or vote.message_id is None:
            return
        task = asyncio.get_running_loop().create_task(self._update(vote.id))
        self._pending[vote.id] = task

    def stop(self) -> None:
        for task in self._pending.values():
            task.cancel()

    async def _update(self, vote_id: int) -> None:
        try:
            await asyncio.sleep(self.debounce)
            vote = await service.get_by_id(self.bot.db, vote_id)
            if vote.state == VoteState.OPEN:
                await self.edit_announcement(vote)
        except Exception as error:  # a turnout line is cosmetic: never crash on it
            log.warning(
                "could not update the turnout of vote %s: %s", vote_id, type(error).__name__
            )
        finally:
            self._pending.pop(vote_id, None)

    async def edit_announcement(self, vote: Vote, marker: str | None = None) -> None:
        """Redraw the announcement from the vote as it is now."""
        if vote.message_id is None:
            return
        channel = self.bot.get_channel(vote.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return
        options = await service.option_names(self.bot.db, vote.id)
        voted, _ = await service.turnout(self.bot.db, vote)
        embed = _render.announcement(
            vote,
            options,
            voted=voted,
            paper=await vote_admin.paper_count(self.bot.db, vote),
            marker=marker or (f"job:{vote.open_job_id}" if vote.open_job_id else None),
            notes=await self.notes(vote),
        )
        closed = vote.state in (VoteState.CLOSED, VoteState.CANCELLED)
        await channel.get_partial_message(vote.message_id).edit(
            embed=embed, view=announcement_view(vote.id, closed=closed)
        )

    async def notes(self, vote: Vote) -> list[VoteNote]:
        """What the loaded cogs say about the vote's race, asked at every draw."""
        return await collect_notes(list(self.bot.cogs.values()), vote)
