"""Capacity warnings where decisions are made, and the weekly pace job.

- A vote's announcement asks the loaded cogs for their `vote_notes` (cogs/votes/notes.py) each
  time it is drawn; the first time (the announcement itself) the same warning goes to the
  committee channel, once per vote, as a "capacity.vote_warning" job. A warning never blocks
  a vote.
- "capacity.pace" runs Monday 10:00 chapter time through the scheduler: it posts the races
  behind plan to the committee channel, having first scheduled the next Monday's run.

Both post through `cogs/_posting.post_once` (the job's marker in the footer, retried until
Discord takes it).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot.domain import discord_limits as limits
from bot.domain.vote_types import Vote
from bot.scheduler import Job, JobContext, JobOutcome
from bot.services import capacity as service
from bot.services import chapters as chapter_service
from cogs._posting import post_once
from cogs.capacity import _render
from cogs.votes.notes import VoteNote

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.capacity")

# A weekly warning a few days late still helps; one older than a week is replaced by the next.
PACE_GRACE = timedelta(days=6)


class CapacityWarnings:
    bot: EndorseBot

    async def cog_load(self) -> None:
        self.bot.scheduler.register(service.PACE_JOB, self.run_pace, grace=PACE_GRACE)
        self.bot.scheduler.register(service.VOTE_WARNING_JOB, self.run_vote_warning)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(service.PACE_JOB)
        self.bot.scheduler.unregister(service.VOTE_WARNING_JOB)

    async def race_warning(self, guild_id: int, race_id: int) -> str | None:
        """The capacity warning for a decision on `race_id` (a vote, a questionnaire sent),
        or None when it fits, capacity is not set, or the race has no figures."""
        config = await chapter_service.find(self.bot.db, guild_id)
        if config is None:
            return None
        view = await service.view(
            self.bot.db, guild_id, tz=config.timezone, now=self.bot.clock(),
            considering=(race_id,),
        )  # fmt: skip
        return _render.vote_warning(view, race_id) if view else None

    async def vote_notes(self, vote: Vote) -> list[VoteNote]:
        """The vote announcement's capacity warning (cogs/votes/notes.py); the first time
        (the announcement itself) it also goes to the committee channel."""
        warning = await self.race_warning(vote.guild_id, vote.race_id)
        if not warning:
            return []
        if vote.message_id is None:
            await service.copy_vote_warning(
                self.bot.db, self.bot.scheduler, guild_id=vote.guild_id, vote_id=vote.id,
                title=vote.title, warning=warning, now=self.bot.clock(),
            )  # fmt: skip
        return [VoteNote("⚠️ Capacity", warning, order=50)]

    async def run_vote_warning(self, job: Job, ctx: JobContext) -> JobOutcome:
        config = await chapter_service.find(self.bot.db, job.guild_id)
        if config is None:
            return JobOutcome.done("the chapter is not set up")
        vote_id = job.payload["vote_id"]
        embed = discord.Embed(
            title=f"Capacity warning: vote #{vote_id}, {job.payload['title']}"[
                : limits.EMBED_TITLE
            ],
            description=job.payload["warning"],
            colour=_render.COLOUR,
        )
        embed.set_footer(text=job.marker)
        return await post_once(
            self.bot, job, ctx,
            channel_id=config.review_channel_id,
            what=f"the capacity warning for vote #{vote_id}",
            send=lambda channel: channel.send(embed=embed),
        )  # fmt: skip

    async def run_pace(self, job: Job, ctx: JobContext) -> JobOutcome:
        config = await chapter_service.find(self.bot.db, job.guild_id)
        if config is None:
            return JobOutcome.done("the chapter is not set up")
        # Next Monday's run first: a post that fails must not end the weekly chain.
        await service.schedule_next_pace(
            self.bot.db, self.bot.scheduler, guild_id=job.guild_id, after_job_id=job.id,
            now=ctx.now, tz=config.timezone,
        )  # fmt: skip
        return await self._post_pace(job, ctx, config.timezone, config.review_channel_id)

    async def _post_pace(self, job: Job, ctx: JobContext, tz: str, channel_id: int) -> JobOutcome:
        async def too_late() -> JobOutcome:
            return JobOutcome.missed(f"{ctx.lateness} late; next week's run replaces it")

        checks = await service.pace_checks(self.bot.db, job.guild_id, tz=tz, now=ctx.now)
        behind = [(item, check) for item, check in checks if check.behind]
        if not behind:
            return JobOutcome.done("no race behind plan")
        embed = _render.pace_embed(behind, job.marker)
        return await post_once(
            self.bot, job, ctx,
            channel_id=channel_id,
            what="this week's canvass pace warning",
            send=lambda channel: channel.send(embed=embed),
            note=f"{len(behind)} race(s) behind plan",
            too_late=too_late,
        )  # fmt: skip
