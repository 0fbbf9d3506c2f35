"""The "vote.scrub" job: after a close or a cancel deleted a vote's key and keyed ballots,
scrub them out of the database file and its WAL, and keep trying until that is done.

A scrub that cannot finish (another program holds a read transaction, the disk is full)
is logged at ERROR on every attempt, told once to the committee's review channel (a
`NOTICE_JOB` of its own, posted through `post_once`), and retried by the scheduler with a
growing wait; the same row survives restarts.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot.scheduler import Job, JobContext, JobOutcome, backoff
from bot.services import chapters as chapter_service
from bot.services import vote_cleanup
from cogs._posting import post_once

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.votes")
NO_PINGS = discord.AllowedMentions.none()

FIRST_RETRY = timedelta(seconds=2)
LONGEST_WAIT = timedelta(minutes=5)


class CleanupJob:
    """The scheduler's handler for `vote_cleanup.SCRUB_JOB`."""

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    async def __call__(self, job: Job, ctx: JobContext) -> JobOutcome:
        vote_id = job.payload.get("vote_id")
        why = await vote_cleanup.clean_up(self.bot.db)
        if why is None:
            if ctx.attempt:
                log.info("vote %s: clean-up finished after %d retries", vote_id, ctx.attempt)
                await self._tell(job, ctx, f"Clean-up after vote #{vote_id} has now finished.")
            return JobOutcome.done("scrubbed")
        wait = backoff(ctx.attempt, first=FIRST_RETRY, cap=LONGEST_WAIT)
        log.error(
            "vote %s: clean-up pending: %s; retry %d in %d s",
            vote_id,
            why,
            ctx.attempt + 1,
            wait.total_seconds(),
        )
        if ctx.attempt == 0:
            await self._tell(
                job,
                ctx,
                f"**Clean-up after vote #{vote_id} is pending**: {why}. Until it finishes, the "
                "database's write-ahead log may still hold what linked ballots to voters. "
                "The result stands and the bot keeps retrying on its own; close any program "
                "that holds the database open (an `sqlite3` shell, a backup or replication "
                "tool). This channel is told when it is done.",
            )
        return JobOutcome.retry(ctx.now + wait, f"clean-up pending: {why}")

    async def _tell(self, job: Job, ctx: JobContext, text: str) -> None:
        try:
            await vote_cleanup.tell_committee(
                self.bot.db, self.bot.scheduler, guild_id=job.guild_id,
                vote_id=int(job.payload["vote_id"]), text=text, now=ctx.now,
            )  # fmt: skip
        except Exception as error:  # a full disk: the log line above says it; keep retrying
            log.warning("could not tell guild %s's committee: %s", job.guild_id, error)


class CleanupNotice:
    """The scheduler's handler for `vote_cleanup.NOTICE_JOB`: the notice, in the committee's
    review channel, through `post_once`."""

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    async def __call__(self, job: Job, ctx: JobContext) -> JobOutcome:
        config = await chapter_service.require(self.bot.db, job.guild_id)
        text = f"{job.payload['text']}\n-# {job.marker}"
        return await post_once(
            self.bot, job, ctx,
            channel_id=config.review_channel_id,
            what=f"the clean-up notice of vote #{job.payload['vote_id']}",
            send=lambda channel: channel.send(text, allowed_mentions=NO_PINGS),
        )  # fmt: skip
