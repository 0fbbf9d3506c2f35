"""The scheduler's handlers for a vote's "vote.open" and "vote.close" jobs.

Open freezes the roll and posts the announcement; close freezes the ballots, counts and
posts the result. Both post through `cogs/_posting.post_once`: the job's marker in the post
(embed footer or last line), looked for before posting again, and a refused post retried.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot import faults
from bot.domain import discord_limits as limits
from bot.domain import votes as rules
from bot.domain.outcome import Counted
from bot.domain.vote_types import Vote, VoteState
from bot.scheduler import Job, JobContext, JobOutcome
from bot.services import vote_cleanup
from bot.services import votes as service
from cogs._posting import post_once
from cogs._text import clip
from cogs.votes import _render, _result
from cogs.votes._turnout import TurnoutUpdater
from cogs.votes._views import announcement_view

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.votes")


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
        # A result's chart, kept while its post is retried: drawn once, not per attempt.
        self._charts: dict[int, bytes | None] = {}

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

        async def send(channel: discord.abc.Messageable) -> discord.Message:
            options = await service.option_names(self.bot.db, vote.id)
            return await channel.send(
                embed=_render.announcement(
                    vote,
                    options,
                    voted=0,
                    marker=job.marker,
                    notes=await self.turnout.notes(vote),
                ),
                view=announcement_view(vote.id),
            )

        async def posted(message: discord.Message) -> None:
            await service.record_announcement(
                self.bot.db, vote, channel_id=message.channel.id, message_id=message.id
            )

        note = f"opened with {vote.roll_size} on the roll"
        log.info("vote %s %s", vote.id, note)
        return await post_once(
            self.bot, job, ctx,
            channel_id=vote.channel_id,
            what=f"the announcement of vote #{vote.id} ({vote.title})",
            send=send,
            posted=posted,
            note=note + (" (late)" if ctx.late else ""),
        )  # fmt: skip

    async def run_close(self, job: Job, ctx: JobContext) -> JobOutcome:
        vote_id = int(job.payload["vote_id"])
        if (await service.get_by_id(self.bot.db, vote_id)).state == VoteState.CANCELLED:
            return JobOutcome.done("the vote was cancelled")
        counted = await service.close_vote(self.bot.db, vote_id, now=ctx.now, late=ctx.late)
        await self.bot.scheduler.run_kind_now(vote_cleanup.SCRUB_JOB, ctx.now)  # key gone first
        vote = counted.vote
        if vote.result_message_id is not None:
            return JobOutcome.done("result already posted")

        async def posted(message: discord.Message) -> None:
            faults.crash_point("close:after_post")
            await service.record_result_message(self.bot.db, vote, message.id)
            log.info("vote %s closed with %s ballots; result posted", vote.id, counted.ballots_cast)

        outcome = await post_once(
            self.bot, job, ctx,
            channel_id=vote.channel_id,
            what=f"the result of vote #{vote.id} ({vote.title})",
            send=lambda channel: self._post_result(channel, counted, job.marker),
            posted=posted,
            note=f"{counted.ballots_cast} ballots" + (" (late)" if ctx.late else ""),
        )  # fmt: skip
        if outcome.state == "retry":
            return outcome
        self._charts.pop(vote.id, None)
        if outcome.state != "done":
            return outcome
        try:
            await self.turnout.edit_announcement(vote)
        except discord.HTTPException as error:
            log.warning("could not mark vote %s's announcement closed: %s", vote.id, error.status)
        return outcome

    async def _post_result(
        self, channel: discord.abc.Messageable, counted: Counted, marker: str
    ) -> discord.Message:
        if counted.vote.id not in self._charts:
            try:
                self._charts[counted.vote.id] = await asyncio.to_thread(_result.chart_png, counted)
            except Exception as error:  # a result posts without its chart, not never
                log.warning("chart of vote %s failed: %s", counted.vote.id, type(error).__name__)
                self._charts[counted.vote.id] = None
        chart = self._charts[counted.vote.id]
        try:
            return await channel.send(
                embed=_result.result_embed(counted, marker=marker, chart=chart is not None),
                files=_result.result_files(counted, chart),
            )
        except discord.HTTPException as error:
            if error.status != 400:
                raise  # post_once retries or gives up: a plain post would fare no better
            # Discord refused the embed itself: a result must always post, so it goes as
            # plain text with its attachments.
            log.warning(
                "result embed of vote %s refused (%s); posting plain", counted.vote.id, error.status
            )
            text = clip(
                f"**Result: {counted.vote.title}**\n{_result.verdict(counted)}\n-# vote "
                f"{counted.vote.id} · {marker}",
                limits.MESSAGE_CONTENT,
                "…",
            )
            return await channel.send(text, files=_result.result_files(counted, chart))
