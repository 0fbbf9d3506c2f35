"""The extension point of `/race show`, the race's home page.

Any loaded cog that defines a `race_sections` coroutine method adds sections to every race's
page; nothing needs registering, and unloading the cog removes them:

    class PlansCog(commands.Cog):
        async def race_sections(self, race: Race, viewer: RaceViewer) -> list[RaceSection]:
            view = await plan_service.find_view(self.bot.db, race.guild_id, race.id)
            if view is None:
                return []
            return [RaceSection("Race plan", render.section_body(view), order=40)]

The votes cog (`cogs/votes/_cog.py`) and the plans cog are real providers.

Sections are shown after the dates and candidates, in `order` (then title). By convention:
vote 10, capacity 20, questionnaires 30, race plan 40; anything else 100. A section with
`committee_only=True` is left out when a member who is not on the committee views the race.
A provider that raises is logged and skipped: one broken feature must not hide the page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.domain import discord_limits as limits
from bot.domain.races import Race

log = logging.getLogger("endorsebot.races")

# Discord's embed field value limit; longer bodies are cut with an ellipsis.
SECTION_BODY_MAX = limits.EMBED_FIELD_VALUE  # a section is one field of the race page
SECTION_TITLE_MAX = limits.EMBED_FIELD_NAME


@dataclass(frozen=True, slots=True)
class RaceSection:
    title: str
    body: str
    order: int = 100
    committee_only: bool = False


@dataclass(frozen=True, slots=True)
class RaceViewer:
    """Who is looking at the race page, and when: providers decide what to show from it."""

    guild_id: int
    user_id: int
    committee: bool
    timezone: str
    now: datetime


@runtime_checkable
class RaceSectionProvider(Protocol):
    async def race_sections(self, race: Race, viewer: RaceViewer) -> Sequence[RaceSection]: ...


async def collect_sections(
    providers: Iterable[object], race: Race, viewer: RaceViewer
) -> list[RaceSection]:
    """Every section the loaded cogs offer for `race`, filtered for `viewer`, in order."""
    found: list[RaceSection] = []
    for provider in providers:
        if not isinstance(provider, RaceSectionProvider):
            continue
        try:
            sections = await provider.race_sections(race, viewer)
        except Exception:
            log.exception("race section provider %s failed for race %s", provider, race.id)
            continue
        found.extend(s for s in sections if viewer.committee or not s.committee_only)
    found.sort(key=lambda s: (s.order, s.title))
    return found
