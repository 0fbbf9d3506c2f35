"""Posting on a timer: every scheduled job that posts goes through `post_once`.

bot/scheduler.py's contract, in one place:
- the post carries the job's marker (embed footer or last line), and a run that may already
  have posted (recovered after a crash, or a retry: Discord can make a post and lose its
  answer, a "ghost" 5xx) looks for the marker before posting;
- a 5xx, a 429 or a network error delays the post, never loses it: the same job (same
  marker) runs again on the scheduler's `backoff`, and survives restarts while it waits;
- only 403 (the bot lacks access or permission) and 404 (the channel is gone) end it,
  because trying again cannot help: the committee is told once in its review channel, and
  the job settles `failed` saying so.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.scheduler import Job, JobContext, JobOutcome, backoff
from bot.services import chapters as chapter_service
from cogs._markers import find_marker

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.posting")

FIRST_RETRY = timedelta(seconds=30)  # then doubling
LONGEST_WAIT = timedelta(minutes=10)

Send = Callable[[discord.abc.Messageable], Awaitable[discord.Message]]
Posted = Callable[[discord.Message], Awaitable[None]]

# What may pass: Discord's 5xx and 429 (discord.py retries some itself first), any other
# refusal but 403/404, a rate limit discord.py would not wait out, and the network.
TRANSIENT = (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, OSError, TimeoutError)


class ChannelGone(Exception):
    """The channel is not in a guild the bot can see: deleted, or the bot was shut out."""


class GuildUnavailable(Exception):
    """Discord says the guild is in an outage: its channels come back with it."""


def _channel(bot: EndorseBot, guild_id: int, channel_id: int) -> discord.abc.Messageable:
    channel = bot.get_channel(channel_id)
    if isinstance(channel, discord.abc.Messageable):
        return channel
    guild = bot.get_guild(guild_id)
    if guild is None or guild.unavailable:
        raise GuildUnavailable(f"guild {guild_id} is unavailable")
    raise ChannelGone(f"channel {channel_id} no longer exists")


def refusal(error: Exception) -> str:
    """What went wrong, for the job's state, the log and the committee (no message text)."""
    if isinstance(error, discord.Forbidden):
        return f"Discord refused it (403: the bot lacks access or permission there: {error.text})"
    if isinstance(error, discord.NotFound):
        return "Discord answered 404: the channel no longer exists"
    if isinstance(error, ChannelGone):
        return "the channel no longer exists, or the bot can no longer see it"
    if isinstance(error, GuildUnavailable):
        return "Discord says the server is in an outage"
    if isinstance(error, discord.HTTPException):
        return f"Discord answered {error.status}"
    if isinstance(error, discord.RateLimited):
        return f"rate limited for {error.retry_after:.0f} s"
    return f"network error ({type(error).__name__})"


async def post_once(
    bot: EndorseBot,
    job: Job,
    ctx: JobContext,
    *,
    channel_id: int,
    what: str,
    send: Send,
    posted: Posted | None = None,
    note: str | None = None,
    too_late: Callable[[], Awaitable[JobOutcome]] | None = None,
) -> JobOutcome:
    """Post `job`'s message once in `channel_id`: `send` makes it (with `job.marker` in it),
    `posted` is told of the post, the one sent or the earlier one found by the marker.
    `what` names the post for the committee ("the result of vote #3"); `note` is the
    job's outcome once posted. `too_late`: what a job past its grace window does instead
    of posting (if it has not posted already)."""
    assert bot.user is not None
    try:
        channel = _channel(bot, job.guild_id, channel_id)
        found = None
        if ctx.recovering or ctx.attempt:
            found = await find_marker(channel, job.marker, author_id=bot.user.id)
        if found is None and too_late is not None and ctx.past_grace:
            return await too_late()
        message = found or await send(channel)
    except (discord.Forbidden, discord.NotFound, ChannelGone) as error:
        return await _give_up(bot, job, ctx, channel_id, what, refusal(error))
    except (GuildUnavailable, *TRANSIENT) as error:
        message = await _ghost(bot, job, channel_id)
        if message is None:
            return _retry(job, ctx, what, error)
        found = message
    if posted is not None:
        await posted(message)
    if found is None:
        return JobOutcome.done(note)
    if ctx.recovering:
        return JobOutcome.done("posted before the restart")
    return JobOutcome.done("already posted (Discord had lost its answer)")


async def _ghost(bot: EndorseBot, job: Job, channel_id: int) -> discord.Message | None:
    """The post a failed send made after all, if Discord made it; None if it cannot tell."""
    assert bot.user is not None
    try:
        channel = _channel(bot, job.guild_id, channel_id)
        return await find_marker(channel, job.marker, author_id=bot.user.id)
    except (GuildUnavailable, ChannelGone, *TRANSIENT):
        return None  # the retry looks again


def _retry(job: Job, ctx: JobContext, what: str, error: Exception) -> JobOutcome:
    wait = backoff(ctx.attempt, first=FIRST_RETRY, cap=LONGEST_WAIT)
    if isinstance(error, discord.RateLimited):
        wait = max(wait, timedelta(seconds=error.retry_after))
    why = refusal(error)
    log.warning(
        "job %d (%s, guild %d): %s not posted: %s; retry %d in %d s",
        job.id, job.kind, job.guild_id, what, why, ctx.attempt + 1, wait.total_seconds(),
    )  # fmt: skip
    return JobOutcome.retry(ctx.now + wait, f"not posted yet: {why}; it is retried")


async def _give_up(
    bot: EndorseBot, job: Job, ctx: JobContext, channel_id: int, what: str, why: str
) -> JobOutcome:
    """Tell the committee, once, that `what` will not be posted; the job's final outcome.
    A notice that cannot go out yet (a 5xx) keeps the job retrying, so it is never lost."""
    notice_marker = f"{job.marker}:gave-up"  # not found by the post's own marker search
    text = (
        f"**{what[:1].upper()}{what[1:]} could not be posted** in <#{channel_id}>: {why}. "
        "The bot has stopped trying. Give it access to that channel, or choose another "
        f"with `/setup chapter`.\n-# {notice_marker}"
    )
    try:
        config = await chapter_service.require(bot.db, job.guild_id)
        review = _channel(bot, job.guild_id, config.review_channel_id)
        assert bot.user is not None
        told = None
        if ctx.recovering or ctx.attempt:
            told = await find_marker(review, notice_marker, author_id=bot.user.id)
        if told is None:
            await review.send(text, allowed_mentions=discord.AllowedMentions.none())
    except (discord.Forbidden, discord.NotFound, ChannelGone) as error:
        return JobOutcome.failed(
            f"gave up: {why}; the committee could not be told either: {refusal(error)}"
        )
    except (GuildUnavailable, *TRANSIENT) as error:
        return _retry(job, ctx, f"the notice that {what} cannot be posted", error)
    return JobOutcome.failed(f"gave up: {why}; the committee was told")
