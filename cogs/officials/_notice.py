"""The Monday notice: each Monday 09:00 chapter time the committee channel hears of every
vote against the chapter's position recorded since the last notice, "so the SIO committee
can talk with the official before members hear it elsewhere" (issue 29).

A chain of `officials.notice` jobs, one pending per chapter (scheduled with its first
official); each run schedules next Monday's first, so a failed post never ends the chain
(the capacity pace post's shape). The votes a run tells of are claimed for its job in one
transaction and posted through the one timer post, `cogs/_posting.post_once` (marker in the
footer, looked for by a recovered or retried run): once, across restarts. A run that may
have posted claims nothing new; a run too late to post gives its votes back to next Monday.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.scheduler import Job, JobContext, JobOutcome
from bot.services import chapters as chapter_service
from bot.services import officials as service
from cogs._posting import post_once
from cogs.officials import _render

if TYPE_CHECKING:
    from bot.client import EndorseBot

# A notice a few days late still helps; one a week late is folded into the next Monday's.
NOTICE_GRACE = timedelta(days=6)


class OfficialNotice:
    bot: EndorseBot

    async def cog_load(self) -> None:
        self.bot.scheduler.register(service.NOTICE_JOB, self.run_notice, grace=NOTICE_GRACE)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(service.NOTICE_JOB)

    async def run_notice(self, job: Job, ctx: JobContext) -> JobOutcome:
        config = await chapter_service.find(self.bot.db, job.guild_id)
        if config is None:
            return JobOutcome.done("the chapter is not set up")
        # Next Monday's run first: a post that fails must not end the weekly chain.
        await service.schedule_next_notice(
            self.bot.db, self.bot.scheduler, guild_id=job.guild_id, after_job_id=job.id,
            now=ctx.now, tz=config.timezone,
        )  # fmt: skip
        may_have_posted = ctx.recovering or ctx.attempt > 0
        if ctx.past_grace and not may_have_posted:
            return JobOutcome.missed(f"{ctx.lateness} late; next Monday's notice tells it")
        votes = await service.claim_notice(
            self.bot.db, job.guild_id, job.id, recovering=may_have_posted
        )
        if not votes:
            return JobOutcome.done("no new vote against the chapter")

        async def too_late() -> JobOutcome:
            await service.release_notice(self.bot.db, job.guild_id, job.id)
            return JobOutcome.missed(f"{ctx.lateness} late; next Monday's notice tells it")

        officials = {o.id: o for o in await service.list_officials(self.bot.db, job.guild_id)}
        embed = _render.notice_embed(votes, officials, job.marker)
        return await post_once(
            self.bot, job, ctx,
            channel_id=config.review_channel_id,
            what="this week's notice of votes against the chapter",
            send=lambda channel: channel.send(embed=embed),
            note=f"{len(votes)} vote(s) against the chapter",
            too_late=too_late,
        )  # fmt: skip
