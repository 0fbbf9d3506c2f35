"""The plan's scheduler handlers: a reminder before each milestone, and one summary of the
reminders missed while the bot was down.

Both post through `cogs/_posting.post_once` (bot/scheduler.py's contract): the post ends with
the job's marker, a job recovered after a crash or retried after a Discord error looks for
it in the reminders channel before posting again, and a refused post is retried.
A reminder found past its grace window (6 h) is not posted on its own: it is recorded as
missed and listed in the chapter's one summary, posted `summary_delay` later, so a bot that
was down for days posts one message, not a flood.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import discord

from bot.domain.plan_reminders import DEFAULT_GRACE
from bot.domain.races import local_today
from bot.scheduler import Job, JobContext, JobOutcome
from bot.services import chapters as chapter_service
from bot.services import plans as service
from bot.services.plans import ReminderNote
from cogs._posting import post_once
from cogs.plans import _render

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.plans")
NO_PINGS = discord.AllowedMentions.none()


@runtime_checkable
class ReminderProgress(Protocol):
    """A loaded cog that adds its numbers to a plan reminder (the support tracker and the
    pledge drive will), e.g. "3 of 8 target unions committed". Asked at each reminder, like
    the race page's `race_sections`: nothing registers. None (or an error) adds nothing."""

    async def reminder_progress(self, note: ReminderNote) -> str | None: ...


class PlanReminders:
    summary_delay = timedelta(seconds=10)  # lets every missed reminder join one summary

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    def register(self) -> None:
        self.bot.scheduler.register(service.REMINDER_JOB, self.run_reminder, grace=DEFAULT_GRACE)
        self.bot.scheduler.register(service.SUMMARY_JOB, self.run_summary)

    def unregister(self) -> None:
        self.bot.scheduler.unregister(service.REMINDER_JOB)
        self.bot.scheduler.unregister(service.SUMMARY_JOB)

    async def run_reminder(self, job: Job, ctx: JobContext) -> JobOutcome:
        config = await chapter_service.require(self.bot.db, job.guild_id)

        async def too_late() -> JobOutcome:
            await service.record_missed(
                self.bot.db,
                self.bot.scheduler,
                job.id,
                guild_id=job.guild_id,
                now=ctx.now,
                delay=self.summary_delay,
            )
            return JobOutcome.missed("too late to post; listed in the missed-reminders summary")

        note = await service.reminder_note(
            self.bot.db, job.id, guild_id=job.guild_id, today=local_today(ctx.now, config.timezone)
        )
        if note is None:
            return JobOutcome.done("the milestone is done or removed")
        text = _render.reminder_text(
            note, tz=config.timezone, progress=await self._progress(note), marker=job.marker
        )
        return await post_once(
            self.bot, job, ctx,
            channel_id=config.reminders_channel_id,
            what=f"the plan reminder for {note.milestone.name}",
            send=lambda channel: channel.send(text, allowed_mentions=NO_PINGS),
            note="posted" + (" (late)" if ctx.late else ""),
            too_late=too_late,
        )  # fmt: skip

    async def run_summary(self, job: Job, ctx: JobContext) -> JobOutcome:
        config = await chapter_service.require(self.bot.db, job.guild_id)
        missed = await service.gather_missed(
            self.bot.db, job.id, job.guild_id, now=ctx.now, grace=DEFAULT_GRACE
        )
        if not missed:
            return JobOutcome.done("nothing was missed")
        text = _render.summary_text(missed, marker=job.marker)
        return await post_once(
            self.bot, job, ctx,
            channel_id=config.reminders_channel_id,
            what="the summary of missed plan reminders",
            send=lambda channel: channel.send(text, allowed_mentions=NO_PINGS),
            note=f"{len(missed)} missed reminders listed",
        )  # fmt: skip

    async def _progress(self, note: ReminderNote) -> str | None:
        lines = []
        for cog in list(self.bot.cogs.values()):
            if not isinstance(cog, ReminderProgress):
                continue
            try:
                line = await cog.reminder_progress(note)
            except Exception as error:  # a reminder posts without the numbers, not never
                log.warning(
                    "reminder progress for plan %s failed: %s", note.plan.id, type(error).__name__
                )
                continue
            if line:
                lines.append(line)
        return "\n".join(lines) or None
