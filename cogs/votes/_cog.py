"""`/vote create|close|status|list|audit` and the member's ballot (ranked, or yes/no per
candidate). The cog also owns what the feature's other modules do:

- `_committee.py`: `/vote extend|cancel|paper|export|purge` (a mixin: one `/vote` group);
- `_jobs.py`: the scheduler's "vote.open" and "vote.close" handlers;
- `_turnout.py`: keeping the announcement's turnout line and state current;
- `_views.py`: the components, `_render.py` and `_result.py`: what members read.
"""

from __future__ import annotations

import dataclasses
import logging
from functools import partial
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_errors import word_as
from bot.domain import discord_limits as limits
from bot.domain import votes as rules
from bot.domain.races import Race
from bot.domain.vote_types import VoteMethod, VoteState
from bot.domain.votes import Draft
from bot.services import ballots, vote_admin, vote_cleanup, vote_create
from bot.services import races as race_service
from bot.services import votes as service
from cogs._common import chapter_of, committee_only, require_committee, require_member
from cogs._text import clip, timestamp
from cogs.races.options import RaceOption
from cogs.races.sections import RaceSection, RaceViewer
from cogs.votes import _render, _result
from cogs.votes._cleanup import CleanupJob, CleanupNotice
from cogs.votes._committee import CommitteeCommands
from cogs.votes._group import vote_choices, vote_group, vote_id
from cogs.votes._jobs import VoteJobs
from cogs.votes._turnout import TurnoutUpdater
from cogs.votes._views import (
    DYNAMIC_ITEMS,
    CandidatesModal,
    PreviewView,
    ballot_view,
    close_view,
    yes_no_view,
)

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.votes")


class VotesCog(CommitteeCommands, commands.Cog, name="Votes"):
    help_section = "Endorsement votes"
    group = vote_group

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot
        self.turnout = TurnoutUpdater(bot)
        self.jobs = VoteJobs(bot, self.turnout)
        self.ballot_box = ballots.BallotBox(bot.db)

    async def cog_load(self) -> None:
        word_as(ballots.NotOnRoll, _render.not_on_roll)
        word_as(vote_admin.PurgeTooEarly, _render.purge_too_early)
        word_as(vote_admin.CloseOverdue, _render.close_overdue)
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.scheduler.register(service.OPEN_JOB, self.jobs.run_open)
        self.bot.scheduler.register(service.CLOSE_JOB, self.jobs.run_close)
        self.bot.scheduler.register(vote_cleanup.SCRUB_JOB, CleanupJob(self.bot))
        self.bot.scheduler.register(vote_cleanup.NOTICE_JOB, CleanupNotice(self.bot))

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.scheduler.unregister(service.OPEN_JOB)
        self.bot.scheduler.unregister(service.CLOSE_JOB)
        self.bot.scheduler.unregister(vote_cleanup.SCRUB_JOB)
        self.bot.scheduler.unregister(vote_cleanup.NOTICE_JOB)
        self.turnout.stop()

    async def race_notes_changed(self, race: Race) -> None:
        """Another feature's notes on `race` changed (cogs/votes/notes.py): redraw its open
        votes' announcements, so they say what is true now."""
        for vote in await service.votes_on_race(self.bot.db, race.guild_id, race.id):
            if vote.state is VoteState.OPEN:
                try:
                    await self.turnout.edit_announcement(vote)
                except discord.HTTPException as error:
                    log.warning("could not redraw vote %s: %s", vote.id, error.code)

    # --- the race page ------------------------------------------------------------------------

    async def race_sections(self, race: Race, viewer: RaceViewer) -> list[RaceSection]:
        """The race's latest votes on its page (cogs/races/sections.py, order 10)."""
        votes = await service.votes_on_race(self.bot.db, race.guild_id, race.id)
        if not votes:
            return [
                RaceSection(
                    _render.RACE_SECTION, _render.NO_VOTE_YET, order=10, committee_only=True
                )
            ]
        turnouts = {
            v.id: (await service.turnout(self.bot.db, v))[0]
            for v in votes[: _render.RACE_PAGE_VOTES]
            if v.state in (VoteState.OPEN, VoteState.CLOSED)
        }
        body = _render.race_section(race.guild_id, votes, turnouts)
        return [RaceSection(_render.RACE_SECTION, body, order=10)]

    # --- commands ------------------------------------------------------------------------------

    @committee_only("create a vote")
    @vote_group.command(
        name="create",
        description="Set up an endorsement vote on a race",
    )
    @app_commands.describe(
        race="The race the vote decides",
        closes="When voting closes, e.g. '2026-12-05 18:00' or 'in 3d' (chapter's timezone)",
        opens="When voting opens ('now' by default)",
        quorum="Share of the roll that must vote, e.g. 25% (default: no quorum)",
        threshold="Share needed over 'No endorsement', e.g. 60% or 2/3 (default: 50%)",
        role="Who may vote (default: the member role)",
        second_role="Another role whose holders may vote",
        no_endorsement="Put 'No endorsement' on the ballot (default: yes; not for yes-no)",
        method="irv: one seat; yes-no: per candidate; stv, meek: seats; schulze, ranked-pairs",
        seats="Seats to fill (stv, meek), or endorsements the chapter can carry (yes-no)",
        several_pass="yes-no: when more pass than seats, endorse all or only the highest",
        final_two="irv: count on after the majority until two remain, to show the head-to-head",
    )
    async def create_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        closes: str,
        opens: str = "now",
        quorum: str | None = None,
        threshold: str | None = None,
        role: discord.Role | None = None,
        second_role: discord.Role | None = None,
        no_endorsement: bool = True,
        method: Literal["irv", "yes-no", "stv", "meek", "schulze", "ranked-pairs"] = "irv",
        seats: app_commands.Range[int, 1, 25] = 1,
        several_pass: Literal["all", "highest"] = "all",
        final_two: bool = False,
    ) -> None:
        config = await chapter_of(interaction)
        roles = tuple(r.id for r in (role, second_role) if r is not None)
        request = vote_create.VoteRequest(
            guild_id=config.guild_id,
            race_id=race.id,
            actor_id=interaction.user.id,
            channel_id=config.votes_channel_id,
            timezone=config.timezone,
            eligible_role_ids=roles or config.member_role_ids,
            quorum=quorum or "",
            threshold=threshold or "",
            opens=opens,
            closes=closes,
            no_endorsement=no_endorsement,
            method=VoteMethod(method),
            seats=seats,
            several_pass=several_pass,
            continue_until_two=final_two,
        )
        registered = [
            c.name
            for c in await race_service.list_candidates(self.bot.db, config.guild_id, race.id)
        ]
        await interaction.response.send_modal(
            CandidatesModal(partial(self.preview, request=request), registered)
        )

    async def preview(
        self,
        interaction: discord.Interaction,
        names: tuple[str, ...],
        *,
        request: vote_create.VoteRequest,
    ) -> None:
        request = dataclasses.replace(request, extra_candidates=names)
        plan = await vote_create.plan(self.bot.db, request, now=self.bot.clock())
        await interaction.response.send_message(
            "Check the vote, then create it. The announcement is posted in "
            f"<#{request.channel_id}> when it opens.",
            embed=_render.preview(plan),
            view=PreviewView(partial(self.create, plan=plan)),
            ephemeral=True,
        )

    async def create(self, interaction: discord.Interaction, *, plan: vote_create.VotePlan) -> None:
        await require_committee(interaction, "create a vote")
        now = self.bot.clock()
        if plan.opens_at < now:  # the preview sat for a while: "now" means now
            plan = dataclasses.replace(plan, opens_at=now)
        await interaction.response.defer(ephemeral=True, thinking=True)
        vote = await vote_create.create(self.bot.db, self.bot.scheduler, plan, now=now)
        await interaction.edit_original_response(
            content=(
                f"Vote **#{vote.id}** on **{vote.title}** is set: it opens "
                f"{timestamp(vote.opens_at)} and closes {timestamp(vote.closes_at)}. "
                f"The announcement goes to <#{vote.channel_id}> at the open."
            ),
            embed=None,
            view=None,
        )

    @committee_only("close a vote")
    @vote_group.command(name="close", description="Close an open vote now")
    @app_commands.autocomplete(vote=vote_choices)
    @app_commands.describe(vote="The vote to close")
    async def close_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await chapter_of(interaction)
        chosen = await service.get(self.bot.db, config.guild_id, vote_id(vote))
        close = await service.check_close(self.bot.db, chosen, now=self.bot.clock())
        voted, roll = await service.turnout(self.bot.db, chosen)
        turnout = rules.turnout_line(voted, roll, chosen.quorum)
        if close.repost:
            ask = (
                f"**{chosen.title}** is closed and counted, but Discord refused its result "
                "post; the bot retries on its own. Post it now?"
            )
        elif close.early:
            ask = (
                f"Close **{chosen.title}** now, before its close time "
                f"{timestamp(chosen.closes_at)}? {turnout}. No ballot is accepted after this "
                "and the result is posted at once."
            )
        else:
            ask = (
                f"**{chosen.title}** was due to close {timestamp(chosen.closes_at)} and its "
                f"result has not been posted yet. {turnout}; no ballot was accepted after the "
                "close time. Run the close now? The result is posted at once."
            )
        await interaction.response.send_message(ask, view=close_view(chosen.id), ephemeral=True)

    async def confirm_close(self, interaction: discord.Interaction, vote_id: int) -> None:
        config = await require_committee(interaction, "close a vote")
        vote = await service.get(self.bot.db, config.guild_id, vote_id)
        close = await service.request_close(
            self.bot.db,
            self.bot.scheduler,
            vote,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        if close.repost:
            done = f"The result of **{vote.title}** is being posted again in <#{vote.channel_id}>."
        elif close.early:
            done = (
                f"Closed. The result of **{vote.title}** is being posted in <#{vote.channel_id}>."
            )
        else:
            done = (
                f"**{vote.title}** stopped taking ballots at its close time "
                f"{timestamp(vote.closes_at)}; its close runs now and the result is being "
                f"posted in <#{vote.channel_id}>."
            )
        await interaction.response.edit_message(content=done, view=None)

    @vote_group.command(name="status", description="Where a vote stands: times and turnout")
    @app_commands.autocomplete(vote=vote_choices)
    @app_commands.describe(vote="The vote")
    async def status_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await require_member(interaction, "see a vote")
        chosen = await service.get(self.bot.db, config.guild_id, vote_id(vote))
        voted, _ = await service.turnout(self.bot.db, chosen)
        lines = [_render.vote_line(chosen, voted)]
        if chosen.state == VoteState.CANCELLED:
            lines.append(f"Cancelled by <@{chosen.cancelled_by}>: {chosen.cancel_reason}")
        elif chosen.purged_at is not None:
            lines.append("The ballots were purged; the result posted at the close stands.")
        elif chosen.state == VoteState.CLOSED and chosen.result is not None:
            counted = await service.count(self.bot.db, chosen.id)
            lines.append(_result.verdict(counted))
        await interaction.response.send_message(
            clip("\n".join(lines), limits.MESSAGE_CONTENT, "…"), ephemeral=True
        )

    @vote_group.command(name="list", description="Open, scheduled and closed votes")
    async def list_command(self, interaction: discord.Interaction) -> None:
        config = await require_member(interaction, "list votes")
        found = await service.list_votes(self.bot.db, config.guild_id)
        listed = _render.listed(found)
        turnouts = {
            v.id: (await service.turnout(self.bot.db, v))[0]
            for these in listed.values()
            for v in these
            if v.state in (VoteState.OPEN, VoteState.CLOSED)
        }
        await interaction.response.send_message(_render.vote_list(listed, turnouts), ephemeral=True)

    @committee_only("read a vote's audit trail")
    @vote_group.command(
        name="audit",
        description="Every committee action on a vote",
    )
    @app_commands.autocomplete(vote=vote_choices)
    @app_commands.describe(vote="The vote")
    async def audit_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await chapter_of(interaction)
        chosen = await service.get(self.bot.db, config.guild_id, vote_id(vote))
        entries = await service.audit_trail(self.bot.db, chosen)
        await interaction.response.send_message(
            _render.audit_text(chosen, entries),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    # --- the ballot ----------------------------------------------------------------------------

    async def start_ballot(self, interaction: discord.Interaction, vote_id: int) -> None:
        vote = await service.get(self.bot.db, interaction.guild_id, vote_id)
        await ballots.check_can_vote(self.bot.db, vote, interaction.user.id, self.bot.clock())
        options = await service.option_names(self.bot.db, vote.id)
        if vote.method == VoteMethod.YES_NO:
            draft = Draft(vote.layout, 0, (rules.ABSTAIN,) * len(options))
            await interaction.response.send_message(
                _render.yes_no_ballot_text(vote, options, draft.ranking, 0),
                view=yes_no_view(vote.id, options, draft),
                ephemeral=True,
            )
            return
        draft = Draft(vote.layout, 0, ())
        await interaction.response.send_message(
            _render.ballot_text(vote, options, ()),
            view=ballot_view(vote.id, options, draft),
            ephemeral=True,
        )

    async def show_ballot(
        self, interaction: discord.Interaction, vote_id: int, draft: Draft
    ) -> None:
        vote, options = await ballots.draft_on(
            self.bot.db, interaction.guild_id, vote_id, draft, now=self.bot.clock()
        )
        await interaction.response.edit_message(
            content=_render.ballot_text(vote, options, draft.ranking),
            view=ballot_view(vote.id, options, draft),
        )

    async def show_yes_no(
        self, interaction: discord.Interaction, vote_id: int, draft: Draft
    ) -> None:
        vote, options = await ballots.draft_on(
            self.bot.db, interaction.guild_id, vote_id, draft, now=self.bot.clock()
        )
        await interaction.response.edit_message(
            content=_render.yes_no_ballot_text(vote, options, draft.ranking, draft.page),
            view=yes_no_view(vote.id, options, draft),
        )

    async def submit_ballot(
        self, interaction: discord.Interaction, vote_id: int, draft: Draft
    ) -> None:
        recorded = await self.ballot_box.submit(
            guild_id=interaction.guild_id,
            vote_id=vote_id,
            member_id=interaction.user.id,
            draft=draft,
            now=self.bot.clock(),
        )
        vote = recorded.vote
        # Only now, after the COMMIT, does the member hear it is recorded.
        message = "**Your ballot is recorded.**"
        if recorded.replaced:
            message += " Your new ballot replaces the one you cast earlier."
        message += (
            f" You can vote again until the close ({timestamp(vote.closes_at, 'R')}); "
            "only your last ballot counts."
        )
        await interaction.response.edit_message(content=message, view=None)
        # Never the member, never the ranking: only that the count of ballots moved.
        log.debug("vote %s: a ballot was recorded (replacing: %s)", vote.id, recorded.replaced)
        self.turnout.changed(vote)
