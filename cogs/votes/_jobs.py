"""The scheduler's handlers for a vote's "vote.open" and "vote.close" jobs.

Open freezes the roll and posts the announcement; close freezes the ballots, counts and
posts the result. Both posts carry the job's marker (embed footer or last line); a job
recovered after a crash looks for its marker before posting again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot import faults
from bot.domain import votes as rules
from bot.domain.outcome import Counted
from bot.domain.vote_types import Vote, VoteState
from bot.scheduler import Job, JobContext, JobOutcome, backoff
from bot.services import vote_cleanup
from bot.services import votes as service
from cogs._markers import find_marker
from cogs._text import clip
from cogs.votes import _render, _result
from cogs.votes._turnout import TurnoutUpdater
from cogs.votes._views import announcement_view

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.votes")

RESULT_RETRY = timedelta(seconds=30)  # a result post Discord refused: first retry, doubling
RESULT_RETRY_CAP = timedelta(minutes=10)


def votes_channel(bot: EndorseBot, vote: Vote) -> discord.TextChannel:
    """The channel the vote posts in; RuntimeError if it is gone."""
    channel = bot.get_channel(vote.channel_id)
    if not isinstance(channel, discord.TextChannel):
        raise RuntimeError(f"votes channel {vote.channel_id} of vote {vote.id} is gone")
    return channel


class VoteJobs:
    """`run_open` and `run_close`, registered with the scheduler by the cog."""

    def __init__(self, bot: EndorseBot, turnout: TurnoutUpdater) -> None:
        self.bot = bot
        self.turnout = turnout

    async def _find_marker(
        self, channel: discord.abc.Messageable, marker: str
    ) -> discord.Message | None:
        return await find_marker(channel, marker, author_id=self.bot.user.id)  # type: ignore[union-attr]

    async def run_open(self, job: Job, ctx: JobContext) -> JobOutcome:
        vote = await service.get_by_id(self.bot.db, int(job.payload["vote_id"]))
        if vote.state == VoteState.CANCELLED:
            return JobOutcome.done("the vote was cancelled")
        if vote.state == VoteState.SCHEDULED:
            guild = self.bot.get_guild(vote.guild_id)
            if guild is None:
                raise RuntimeError(f"guild {vote.guild_id} is not available")
            eligible = set(vote.eligible_role_ids)
            roll = [
                m.id
                for m in guild.members
                if not m.bot and rules.on_roll([r.id for r in m.roles], eligible)
            ]
            vote = await service.open_vote(self.bot.db, vote.id, roll, now=ctx.now)
        if vote.message_id is not None:
            return JobOutcome.done("announcement already posted")
        channel = votes_channel(self.bot, vote)
        found = await self._find_marker(channel, job.marker) if ctx.recovering else None
        if found is None:
            options = await service.option_names(self.bot.db, vote.id)
            found = await channel.send(
                embed=_render.announcement(
                    vote,
                    options,
                    voted=0,
                    marker=job.marker,
                    notes=await self.turnout.notes(vote),
                ),
                view=announcement_view(vote.id),
            )
        await service.record_announcement(
            self.bot.db, vote, channel_id=channel.id, message_id=found.id
        )
        note = f"opened with {vote.roll_size} on the roll"
        log.info("vote %s %s", vote.id, note)
        return JobOutcome.done(note + (" (late)" if ctx.late else ""))

    async def run_close(self, job: Job, ctx: JobContext) -> JobOutcome:
        vote_id = int(job.payload["vote_id"])
        if (await service.get_by_id(self.bot.db, vote_id)).state == VoteState.CANCELLED:
            return JobOutcome.done("the vote was cancelled")
        counted = await service.close_vote(self.bot.db, vote_id, now=ctx.now, late=ctx.late)
        await self.bot.scheduler.run_kind_now(vote_cleanup.SCRUB_JOB, ctx.now)  # key gone first
        vote = counted.vote
        if vote.result_message_id is not None:
            return JobOutcome.done("result already posted")
        channel = votes_channel(self.bot, vote)
        # A recovered run, or a retry after a refusal, may find its own post already there.
        earlier = ctx.recovering or ctx.attempt > 0
        found = await self._find_marker(channel, job.marker) if earlier else None
        if found is None:
            try:
                found = await self._post_result(channel, counted, job.marker)
            except discord.HTTPException as error:
                return self._retry_result(vote, ctx, error)
        faults.crash_point("close:after_post")
        await service.record_result_message(self.bot.db, vote, found.id)
        log.info("vote %s closed with %s ballots; result posted", vote.id, counted.ballots_cast)
        try:
            await self.turnout.edit_announcement(vote)
        except discord.HTTPException as error:
            log.warning("could not mark vote %s's announcement closed: %s", vote.id, error.status)
        return JobOutcome.done(f"{counted.ballots_cast} ballots" + (" (late)" if ctx.late else ""))

    def _retry_result(
        self, vote: Vote, ctx: JobContext, error: discord.HTTPException
    ) -> JobOutcome:
        """Discord refused the result (and its plain fallback): the same job, same marker,
        runs again later; `/vote close` runs it at once."""
        wait = backoff(ctx.attempt, first=RESULT_RETRY, cap=RESULT_RETRY_CAP)
        log.warning(
            "vote %s: Discord refused the result (%s); retry %d in %d s",
            vote.id,
            error.status,
            ctx.attempt + 1,
            wait.total_seconds(),
        )
        note = f"Discord refused the result post ({error.status}); it is retried"
        return JobOutcome.retry(ctx.now + wait, note)

    async def _post_result(
        self, channel: discord.TextChannel, counted: Counted, marker: str
    ) -> discord.Message:
        try:
            chart: bytes | None = await asyncio.to_thread(_result.chart_png, counted)
        except Exception as error:  # a result posts without its chart rather than not at all
            log.warning("chart of vote %s failed: %s", counted.vote.id, type(error).__name__)
            chart = None
        try:
            return await channel.send(
                embed=_result.result_embed(counted, marker=marker, chart=chart is not None),
                files=_result.result_files(counted, chart),
            )
        except discord.HTTPException as error:
            # A result must always post: fall back to plain text and the attachments, unless
            # Discord did create the embed and only its answer failed (a "ghost" 5xx).
            log.warning(
                "result embed of vote %s refused (%s); posting plain", counted.vote.id, error.status
            )
            ghost = await self._find_marker(channel, marker)
            if ghost is not None:
                return ghost
            text = clip(
                f"**Result: {counted.vote.title}**\n{_result.verdict(counted)}\n-# vote "
                f"{counted.vote.id} · {marker}",
                2000,
                "…",
            )
            return await channel.send(text, files=_result.result_files(counted, chart))
