"""The candidate's path through a questionnaire: pages, review, submit, and the report the
committee gets in its review channel; also the race page's questionnaire section (order 30)
and the vote announcement's questionnaire note (order 30, cogs/votes/notes.py).

Works in the bot's DM (no guild in the interaction: the questionnaire says which chapter)
and in the server (ephemeral replies), the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import discord
from discord.ext import commands

from bot import faults
from bot.discord_errors import report, send_ephemeral
from bot.domain.questionnaire_sheet import Filled, SheetStatus
from bot.domain.races import Candidate, Race
from bot.domain.vote_types import Vote
from bot.scheduler import Job, JobContext, JobOutcome
from bot.services import chapters as chapter_service
from bot.services import questionnaire_cycle as cycle
from bot.services import questionnaire_posts as posts
from bot.services import questionnaires as service
from bot.services import races as race_service
from cogs._components import STALE
from cogs._posting import post_once
from cogs.questionnaires import _render, _views
from cogs.races.sections import RaceSection, RaceViewer
from cogs.votes.notes import VoteNote, redraw_notes

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.questionnaires")


@runtime_checkable
class RaceWarnings(Protocol):
    """A loaded feature that warns about a decision on a race (the capacity cog)."""

    async def race_warning(self, guild_id: int, race_id: int) -> str | None: ...


class QuestionnaireCog(commands.Cog, name="Questionnaires"):
    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*_views.DYNAMIC_ITEMS)
        self.bot.scheduler.register(service.REPORT_JOB, self.run_report)
        self.bot.scheduler.register(service.PUBLISH_JOB, self.run_publish)
        self.bot.scheduler.register(service.DEADLINE_JOB, self.run_deadline)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*_views.DYNAMIC_ITEMS)
        self.bot.scheduler.unregister(service.REPORT_JOB)
        self.bot.scheduler.unregister(service.PUBLISH_JOB)
        self.bot.scheduler.unregister(service.DEADLINE_JOB)

    async def vote_notes(self, vote: Vote) -> list[VoteNote]:
        """The vote announcement's note on the race's published questionnaires."""
        links = await self.vote_links(vote)
        return [VoteNote("Candidates' questionnaires", links, order=30)] if links else []

    async def vote_links(self, vote: Vote) -> str | None:
        """The vote announcement's line: whose answers members can read before voting, each
        linked to its post in the votes channel once the publish job made it."""
        race = await race_service.get_race(self.bot.db, vote.guild_id, vote.race_id)
        published: list[tuple[str, str | None]] = []
        for f in await service.for_race(self.bot.db, vote.guild_id, vote.race_id):
            if f.sheet.status is not SheetStatus.PUBLISHED:
                continue
            post = posts.published_post(f.sheet)
            url = _render.jump_url(f.sheet.guild_id, *post) if post else None
            published.append(((await self._subject(f))[1].name, url))
        return _render.vote_links(race, published) if published else None

    async def _guard(
        self, interaction: discord.Interaction, what: str, run: Callable[[], Awaitable[None]]
    ) -> None:
        try:
            await run()
        except Exception as error:
            await report(interaction, error, where=f"questionnaire {what}")

    async def _subject(self, filled: Filled) -> tuple[Race, Candidate]:
        sheet = filled.sheet
        race = await race_service.get_race(self.bot.db, sheet.guild_id, sheet.race_id)
        candidate = await race_service.get_candidate(
            self.bot.db, sheet.guild_id, sheet.candidate_id
        )
        return race, candidate

    # --- the candidate's path --------------------------------------------------------------

    async def open_page(
        self, interaction: discord.Interaction, sheet_id: int, page: int, *, resume: bool = False
    ) -> None:
        async def run() -> None:
            filled = await service.for_respondent(self.bot.db, sheet_id, interaction.user.id)
            service.check_can_fill(filled.sheet, interaction.user.id)
            # Before the modal: `/questionnaire status` then tells "opened" from "not opened".
            await cycle.mark_opened(
                self.bot.db, sheet_id=sheet_id, user_id=interaction.user.id, now=self.bot.clock()
            )
            number = _views.resume_page(filled) if resume else page
            number = max(1, min(number, len(filled.form.pages)))
            await interaction.response.send_modal(_views.page_modal(filled, number))

        await self._guard(interaction, "page", run)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        found = _views.parse_modal(custom_id)
        if found is None:
            if custom_id.startswith(_views.MODAL_PREFIX):  # ours, but naming no page we have
                await send_ephemeral(interaction, STALE)
            return
        sheet_id, page = found

        async def run() -> None:
            typed = _views.submitted_values(dict(interaction.data or {}))
            problems = await service.save_page(
                self.bot.db,
                sheet_id=sheet_id,
                user_id=interaction.user.id,
                page=page,
                typed=typed,
                now=self.bot.clock(),
            )
            # Committed above: only now is the page acknowledged.
            filled = await service.for_respondent(self.bot.db, sheet_id, interaction.user.id)
            await interaction.response.send_message(
                _render.page_saved(filled, page, problems),
                view=_views.after_page(filled, page, bool(problems)),
                ephemeral=True,
            )

        await self._guard(interaction, "page submit", run)

    async def show_review(self, interaction: discord.Interaction, sheet_id: int) -> None:
        async def run() -> None:
            filled = await service.for_respondent(self.bot.db, sheet_id, interaction.user.id)
            service.check_can_fill(filled.sheet, interaction.user.id)
            _, candidate = await self._subject(filled)
            await interaction.response.send_message(
                embed=_render.review(filled, candidate),
                view=_views.review_view(filled),
                ephemeral=True,
            )

        await self._guard(interaction, "review", run)

    async def submit(self, interaction: discord.Interaction, sheet_id: int) -> None:
        async def run() -> None:
            await service.submit(
                self.bot.db,
                self.bot.scheduler,
                sheet_id=sheet_id,
                user_id=interaction.user.id,
                now=self.bot.clock(),
            )
            await interaction.response.send_message(
                "Submitted: thank you. Your answers are locked and the chapter's electoral "
                "committee has them. If something must change, ask the committee to reopen it.",
                ephemeral=True,
            )

        await self._guard(interaction, "submit", run)

    # --- the committee's report ------------------------------------------------------------

    async def report_parts(
        self, filled: Filled, *, marker: str | None = None
    ) -> tuple[list[discord.Embed], discord.File]:
        race, candidate = await self._subject(filled)
        criteria = await service.report(
            self.bot.db, race=race, candidate=candidate, now=self.bot.clock()
        )
        warning = await self.capacity_warning(race.guild_id, race.id)
        embeds = [
            _render.summary(filled, race, candidate, criteria, marker=marker),
            _render.criteria(criteria, candidate, capacity_warning=warning),
        ]
        return embeds, _render.answers_file(filled, race, candidate)

    async def run_report(self, job: Job, ctx: JobContext) -> JobOutcome:
        """Post a submitted questionnaire's report to the committee's review channel."""
        filled = await service.filled(self.bot.db, job.guild_id, int(job.payload["sheet_id"]))
        config = await chapter_service.require(self.bot.db, filled.sheet.guild_id)
        _, candidate = await self._subject(filled)

        async def send(channel: discord.abc.Messageable) -> discord.Message:
            embeds, file = await self.report_parts(filled, marker=job.marker)
            return await channel.send(embeds=embeds, file=file)

        outcome = await post_once(
            self.bot, job, ctx,
            channel_id=config.review_channel_id,
            what=f"the questionnaire report of {candidate.name}",
            send=send,
        )  # fmt: skip
        faults.crash_point("questionnaire:after_report")
        return outcome

    async def run_publish(self, job: Job, ctx: JobContext) -> JobOutcome:
        """Post published answers to the votes channel; redraw the race's open votes."""
        filled = await service.filled(self.bot.db, job.guild_id, int(job.payload["sheet_id"]))
        config = await chapter_service.require(self.bot.db, filled.sheet.guild_id)
        race, candidate = await self._subject(filled)
        embed = _render.summary(filled, race, candidate, None, marker=job.marker)

        async def posted(message: discord.Message) -> None:
            # Recorded before the redraw, so the announcements link to this post.
            await posts.record_post(
                self.bot.db,
                guild_id=filled.sheet.guild_id,
                sheet_id=filled.sheet.id,
                channel_id=message.channel.id,
                message_id=message.id,
            )

        outcome = await post_once(
            self.bot, job, ctx,
            channel_id=config.votes_channel_id,
            what=f"the published questionnaire of {candidate.name}",
            send=lambda channel: channel.send(
                embed=embed, file=_render.answers_file(filled, race, candidate)
            ),
            posted=posted,
        )  # fmt: skip
        await self.refresh_votes(race)
        return outcome

    async def run_deadline(self, job: Job, ctx: JobContext) -> JobOutcome:
        """Tell the committee a questionnaire is overdue, unless it was submitted or sent
        again with another deadline (whose own job speaks then)."""
        filled = await service.filled(self.bot.db, job.guild_id, int(job.payload["sheet_id"]))
        sheet = filled.sheet
        if sheet.status is not SheetStatus.OPEN:
            return JobOutcome.done("submitted in time")
        if sheet.deadline_job_id != job.id:  # not `due_at`: a retry moves that
            return JobOutcome.done("the deadline moved")
        config = await chapter_service.require(self.bot.db, sheet.guild_id)
        race, candidate = await self._subject(filled)
        embed = _render.overdue(filled, race, candidate, marker=job.marker)
        return await post_once(
            self.bot, job, ctx,
            channel_id=config.review_channel_id,
            what=f"the notice that {candidate.name}'s questionnaire is overdue",
            send=lambda channel: channel.send(embed=embed),
        )  # fmt: skip

    async def capacity_warning(self, guild_id: int, race_id: int) -> str | None:
        """The capacity feature's warning for a decision on the race, if it is loaded and
        gives one (asked, like every pull between features: nothing registers)."""
        for cog in list(self.bot.cogs.values()):
            if not isinstance(cog, RaceWarnings):
                continue
            try:
                warning = await cog.race_warning(guild_id, race_id)
            except Exception as error:  # a warning is advice: never block the questionnaire
                log.warning("capacity warning for race %s failed: %s", race_id,
                            type(error).__name__)  # fmt: skip
                continue
            if warning:
                return warning
        return None

    async def tell_committee(self, guild_id: int, text: str) -> None:
        config = await chapter_service.require(self.bot.db, guild_id)
        channel = self.bot.get_channel(config.review_channel_id)
        if isinstance(channel, discord.abc.Messageable):
            try:
                await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
            except discord.HTTPException as error:
                log.warning("could not tell the committee of guild %s: %s", guild_id, error.code)

    async def refresh_votes(self, race: Race) -> None:
        """Redraw the race's open vote announcements, so they name newly published answers."""
        await redraw_notes(list(self.bot.cogs.values()), race)

    # --- the race page ---------------------------------------------------------------------

    async def race_sections(self, race: Race, viewer: RaceViewer) -> list[RaceSection]:
        candidates = await race_service.list_candidates(self.bot.db, race.guild_id, race.id)
        categories = (
            await service.proposals_for_race(self.bot.db, race, now=viewer.now)
            if viewer.committee
            else {}
        )
        entries = [
            (c, await service.for_candidate(self.bot.db, race.guild_id, c.id), categories.get(c.id))
            for c in candidates
        ]
        body = _render.section(entries, viewer.committee)
        if not body:
            return []
        return [RaceSection("Questionnaires", body, order=30)]
