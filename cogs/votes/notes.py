"""The extension point of a vote's announcement: what other features say about the race.

Any loaded cog that defines a `vote_notes` coroutine method adds fields to every vote
announcement, each time it is drawn; nothing registers, so load order and reloading an
extension change nothing, and unloading the cog removes its notes (the same pull as the
race page's `race_sections`, cogs/races/sections.py):

    class CapacityCog(commands.Cog):
        async def vote_notes(self, vote: Vote) -> list[VoteNote]:
            warning = await self.race_warning(vote.guild_id, vote.race_id)
            return [VoteNote("⚠️ Capacity", warning, order=50)] if warning else []

`vote.message_id is None` while the announcement itself is being posted (its first draw).

A feature whose notes changed (a questionnaire was published) calls `redraw_notes`: every
loaded cog with a `race_notes_changed` method (the votes cog) redraws what shows notes.

Notes show after the vote's own fields, in `order` (then title). By convention:
questionnaires 30, capacity 50; anything else 100. A provider that raises is logged and
skipped: a note is advice, it never stops an announcement.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.domain.races import Race
from bot.domain.vote_types import Vote

log = logging.getLogger("endorsebot.votes")


@dataclass(frozen=True, slots=True)
class VoteNote:
    title: str
    body: str
    order: int = 100


@runtime_checkable
class VoteNoteProvider(Protocol):
    async def vote_notes(self, vote: Vote) -> Sequence[VoteNote]: ...


@runtime_checkable
class NotesListener(Protocol):
    async def race_notes_changed(self, race: Race) -> None: ...


async def collect_notes(providers: Iterable[object], vote: Vote) -> list[VoteNote]:
    """Every note the loaded cogs offer for `vote`'s announcement, in order."""
    found: list[VoteNote] = []
    for provider in providers:
        if not isinstance(provider, VoteNoteProvider):
            continue
        try:
            found.extend(await provider.vote_notes(vote))
        except Exception as error:
            # The type only: a note's text can quote the race's figures, not a member.
            log.warning("vote notes of %s for vote %s failed: %s",
                        type(provider).__name__, vote.id, type(error).__name__)  # fmt: skip
    found.sort(key=lambda n: (n.order, n.title))
    return found


async def redraw_notes(listeners: Iterable[object], race: Race) -> None:
    """Tell every loaded cog that shows notes that `race`'s notes changed."""
    for listener in listeners:
        if isinstance(listener, NotesListener):
            await listener.race_notes_changed(race)
