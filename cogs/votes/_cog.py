"""`/vote create|close|status|list|audit|extend|cancel|paper|export|purge`, the ballot flow
(ranked, or yes/no per candidate), and the open/close jobs.

The scheduler runs "vote.open" (freeze the roll, post the announcement) and "vote.close"
(freeze the ballots, count, post the result). Both posts carry the job's marker in the
embed footer; a job recovered after a crash looks for its marker before posting again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import faults
from bot.discord_errors import report, word_as
from bot.domain import votes as rules
from bot.domain.vote_types import Vote, VoteMethod, VoteState
from bot.domain.votes import Draft
from bot.errors import UserError
from bot.scheduler import Job, JobContext, JobOutcome
from bot.services import races as race_service
from bot.services import vote_admin
from bot.services import votes as service
from cogs._common import require_committee, require_member
from cogs._text import clip, timestamp
from cogs.votes import _render, _result
from cogs.votes._cleanup import CleanupJob
from cogs.votes._views import (
    DYNAMIC_ITEMS,
    announcement_view,
    ballot_view,
    close_view,
    yes_no_view,
)

if TYPE_CHECKING:
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.votes")

CapacityProvider = Callable[[Vote], Awaitable[str | None]]
PREVIEW_TTL = timedelta(minutes=15)


class CandidatesModal(discord.ui.Modal, title="Candidates on the ballot"):
    def __init__(self, cog: VotesCog, request: service.VoteRequest, registered: list[str]) -> None:
        super().__init__(timeout=900)
        self.cog = cog
        self.request = request
        self.names: discord.ui.TextInput = discord.ui.TextInput(
            label="One name per line (new names join the race)",
            style=discord.TextStyle.paragraph,
            default="\n".join(registered)[:4000] or None,
            required=False,
            max_length=4000,
            custom_id="vote:create:names",
        )
        self.add_item(self.names)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        lines = tuple(line for line in str(self.names.value).splitlines() if line.strip())
        await self.cog.preview(interaction, self.request, lines)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report(interaction, error)


class PreviewView(discord.ui.View):
    """The preview's Create/Cancel. Short-lived on purpose: after a restart, run the
    command again (nothing was stored yet)."""

    def __init__(self, cog: VotesCog, plan: service.VotePlan) -> None:
        super().__init__(timeout=PREVIEW_TTL.total_seconds())
        self.cog = cog
        self.plan = plan

    @discord.ui.button(label="Create the vote", style=discord.ButtonStyle.success)
    async def create(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await self.cog.create(interaction, self.plan)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(
            content="Cancelled; nothing was created.", view=None, embed=None
        )

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item
    ) -> None:
        await report(interaction, error)


class VotesCog(commands.Cog, name="Votes"):
    help_section = "Endorsement votes"
    turnout_debounce = 3.0  # seconds between edits of an announcement's turnout line

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot
        self.capacity_provider: CapacityProvider | None = None
        self._turnout_tasks: dict[int, asyncio.Task[None]] = {}
        self.ballot_box = service.BallotBox(bot.db)

    async def cog_load(self) -> None:
        word_as(service.NotOnRoll, _render.not_on_roll)
        word_as(vote_admin.PurgeTooEarly, _render.purge_too_early)
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.scheduler.register(service.OPEN_JOB, self.run_open)
        self.bot.scheduler.register(service.CLOSE_JOB, self.run_close)
        self.bot.scheduler.register(service.SCRUB_JOB, CleanupJob(self.bot))

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.scheduler.unregister(service.OPEN_JOB)
        self.bot.scheduler.unregister(service.CLOSE_JOB)
        self.bot.scheduler.unregister(service.SCRUB_JOB)
        for task in self._turnout_tasks.values():
            task.cancel()

    def set_capacity_provider(self, provider: CapacityProvider | None) -> None:
        """The capacity feature fills the announcement's capacity warning through this."""
        self.capacity_provider = provider

    # --- commands ------------------------------------------------------------------------------

    group = app_commands.Group(
        name="vote", description="Endorsement votes: create, close, status", guild_only=True
    )

    @group.command(
        name="create",
        description="Set up an endorsement vote on a race (committee)",
        extras={"committee": True},
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
        method="irv: ranked, one seat; yes-no: per candidate; stv: several seats; schulze",
        seats="Seats to fill (stv), or endorsements the chapter can carry (yes-no)",
        several_pass="yes-no: when more pass than seats, endorse all or only the highest",
    )
    async def create_command(
        self,
        interaction: discord.Interaction,
        race: str,
        closes: str,
        opens: str = "now",
        quorum: str | None = None,
        threshold: str | None = None,
        role: discord.Role | None = None,
        second_role: discord.Role | None = None,
        no_endorsement: bool = True,
        method: Literal["irv", "yes-no", "stv", "schulze"] = "irv",
        seats: app_commands.Range[int, 1, 25] = 1,
        several_pass: Literal["all", "highest"] = "all",
    ) -> None:
        config = await require_committee(interaction, "create a vote")
        chosen = await race_service.resolve_race(self.bot.db, config.guild_id, race)
        roles = tuple(r.id for r in (role, second_role) if r is not None)
        request = service.VoteRequest(
            guild_id=config.guild_id,
            race_id=chosen.id,
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
        )
        registered = [
            c.name
            for c in await race_service.list_candidates(self.bot.db, config.guild_id, chosen.id)
        ]
        await interaction.response.send_modal(CandidatesModal(self, request, registered))

    @create_command.autocomplete("race")
    async def _race_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        races = await race_service.race_choices(self.bot.db, interaction.guild_id, current)
        return [app_commands.Choice(name=r.label[:100], value=str(r.id)) for r in races[:25]]

    async def preview(
        self, interaction: discord.Interaction, request: service.VoteRequest, names: tuple[str, ...]
    ) -> None:
        request = dataclasses.replace(request, extra_candidates=names)
        plan = await service.plan(self.bot.db, request, now=self.bot.clock())
        embed = discord.Embed(title=f"Preview: endorsement vote on {plan.title}"[:256])
        embed.description = clip(
            rules.rules_text(
                threshold=plan.threshold,
                quorum=plan.quorum,
                no_endorsement=plan.request.no_endorsement,
                options=len(plan.options),
                method=request.method,
                seats=request.seats,
                several_pass=request.several_pass,
            ),
            4096,
            "…",
        )
        embed.add_field(
            name=f"Ballot ({len(plan.options)} options)",
            value=clip("\n".join(f"• {n}" for n in plan.options), 1024, "\n…"),
            inline=False,
        )
        if plan.new_candidates:
            embed.add_field(
                name="Added to the race",
                value=clip(", ".join(plan.new_candidates), 1024, "…"),
                inline=False,
            )
        embed.add_field(name="Who votes", value=_render.roles_text(request.eligible_role_ids))
        embed.add_field(name="Opens", value=timestamp(plan.opens_at))
        embed.add_field(name="Closes", value=timestamp(plan.closes_at))
        await interaction.response.send_message(
            "Check the vote, then create it. The announcement is posted in "
            f"<#{request.channel_id}> when it opens.",
            embed=embed,
            view=PreviewView(self, plan),
            ephemeral=True,
        )

    async def create(self, interaction: discord.Interaction, plan: service.VotePlan) -> None:
        await require_committee(interaction, "create a vote")
        now = self.bot.clock()
        if plan.opens_at < now:  # the preview sat for a while: "now" means now
            plan = dataclasses.replace(plan, opens_at=now)
        await interaction.response.defer(ephemeral=True, thinking=True)
        vote = await service.create(self.bot.db, self.bot.scheduler, plan, now=now)
        await interaction.edit_original_response(
            content=(
                f"Vote **#{vote.id}** on **{vote.title}** is set: it opens "
                f"{timestamp(vote.opens_at)} and closes {timestamp(vote.closes_at)}. "
                f"The announcement goes to <#{vote.channel_id}> at the open."
            ),
            embed=None,
            view=None,
        )

    @group.command(
        name="close", description="Close an open vote now (committee)", extras={"committee": True}
    )
    @app_commands.describe(vote="The vote to close")
    async def close_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await require_committee(interaction, "close a vote")
        chosen = await service.get(self.bot.db, config.guild_id, _vote_id(vote))
        close = await service.check_close(self.bot.db, chosen, now=self.bot.clock())
        voted, roll = await service.turnout(self.bot.db, chosen)
        turnout = rules.turnout_line(voted, roll, chosen.quorum)
        if close.early:
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
        if close.early:
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

    @group.command(name="status", description="Where a vote stands: times and turnout")
    @app_commands.describe(vote="The vote")
    async def status_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await require_member(interaction, "see a vote")
        chosen = await service.get(self.bot.db, config.guild_id, _vote_id(vote))
        voted, _ = await service.turnout(self.bot.db, chosen)
        lines = [_render.vote_line(chosen, voted)]
        if chosen.state == VoteState.CANCELLED:
            lines.append(f"Cancelled by <@{chosen.cancelled_by}>: {chosen.cancel_reason}")
        elif chosen.purged_at is not None:
            lines.append("The ballots were purged; the result posted at the close stands.")
        elif chosen.state == VoteState.CLOSED and chosen.result is not None:
            counted = await service.count(self.bot.db, chosen.id)
            lines.append(_result.verdict(counted))
        await interaction.response.send_message(clip("\n".join(lines), 2000, "…"), ephemeral=True)

    @group.command(name="list", description="Open, scheduled and closed votes")
    async def list_command(self, interaction: discord.Interaction) -> None:
        config = await require_member(interaction, "list votes")
        found = await service.list_votes(self.bot.db, config.guild_id)
        sections = []
        for state in (VoteState.OPEN, VoteState.SCHEDULED, VoteState.CLOSED, VoteState.CANCELLED):
            these = [v for v in found if v.state == state]
            if these:
                body = []
                for v in these[:15]:
                    voted = (
                        (await service.turnout(self.bot.db, v))[0]
                        if state in (VoteState.OPEN, VoteState.CLOSED)
                        else None
                    )
                    body.append(_render.vote_line(v, voted))
                sections.append(f"**{state.label}**\n" + "\n".join(body))
        text = (
            "\n\n".join(sections) or "No votes yet. The committee starts one with `/vote create`."
        )
        await interaction.response.send_message(clip(text, 2000, "…"), ephemeral=True)

    @group.command(
        name="audit",
        description="Every committee action on a vote (committee)",
        extras={"committee": True},
    )
    @app_commands.describe(vote="The vote")
    async def audit_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await require_committee(interaction, "read a vote's audit trail")
        chosen = await service.get(self.bot.db, config.guild_id, _vote_id(vote))
        entries = await service.audit_trail(self.bot.db, chosen)
        lines = [
            f"{timestamp(e.at, 'f')} · {_render.actor(e.actor_id)} · `{e.action}` {e.detail}"
            for e in entries
        ]
        await interaction.response.send_message(
            clip(f"**Audit: vote #{chosen.id} {chosen.title}**\n" + "\n".join(lines), 2000, "…"),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    # --- part 2: extend, cancel, paper ballots, export, purge -----------------------------------

    @group.command(
        name="extend",
        description="Move an open vote's close later (committee)",
        extras={"committee": True},
    )
    @app_commands.describe(
        vote="The vote", closes="The new close, e.g. '2026-12-08 18:00' or 'in 2d'"
    )
    async def extend_command(self, interaction: discord.Interaction, vote: str, closes: str):
        config = await require_committee(interaction, "extend a vote")
        chosen = await service.get(self.bot.db, config.guild_id, _vote_id(vote))
        was = chosen.closes_at
        extended = await vote_admin.extend(
            self.bot.db,
            self.bot.scheduler,
            chosen,
            closes=closes,
            timezone=config.timezone,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.response.send_message(
            f"Vote **#{extended.id}** now closes {timestamp(extended.closes_at)}.",
            ephemeral=True,
        )
        await self._announce(
            extended,
            f"**The vote on {extended.title} is extended** by <@{interaction.user.id}>: it now "
            f"closes {timestamp(extended.closes_at)} ({timestamp(extended.closes_at, 'R')}), "
            f"not {timestamp(was)}. Ballots already cast still count.",
        )

    @group.command(
        name="cancel",
        description="Cancel a vote and discard its ballots (committee)",
        extras={"committee": True},
    )
    @app_commands.describe(vote="The vote", reason="Why: posted with the cancellation")
    async def cancel_command(self, interaction: discord.Interaction, vote: str, reason: str):
        config = await require_committee(interaction, "cancel a vote")
        chosen = await service.get(self.bot.db, config.guild_id, _vote_id(vote))
        await interaction.response.defer(ephemeral=True, thinking=True)
        cancelled = await vote_admin.cancel(
            self.bot.db,
            self.bot.scheduler,
            chosen,
            reason=reason,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.edit_original_response(
            content=f"Vote **#{cancelled.id}** is cancelled; its ballots were discarded."
        )
        await self._announce(
            cancelled,
            f"**The vote on {cancelled.title} is cancelled** by <@{interaction.user.id}>: "
            f"{cancelled.cancel_reason}. Every ballot was discarded; no result will be posted.",
        )

    @group.command(
        name="paper",
        description="Enter paper ballots, anonymously, into an open vote (committee: tellers)",
        extras={"committee": True},
    )
    @app_commands.describe(
        vote="The vote",
        ranking="Choices in order, e.g. 'Ada Ruiz, Bo Chen'; yes/no: 'Ada Ruiz: yes, Bo Chen: no'",
        copies="How many identical paper ballots this entry stands for (default 1)",
    )
    async def paper_command(
        self,
        interaction: discord.Interaction,
        vote: str,
        ranking: str,
        copies: app_commands.Range[int, 1, 1000] = 1,
    ) -> None:
        config = await require_committee(interaction, "enter paper ballots")
        chosen = await service.get(self.bot.db, config.guild_id, _vote_id(vote))
        total = await vote_admin.add_paper(
            self.bot.db,
            chosen,
            ranking=ranking,
            copies=copies,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.response.send_message(
            f"Recorded {copies} paper ballot{'s' if copies != 1 else ''} for vote "
            f"**#{chosen.id}**; {total} paper in all. The ranking is not kept with your name.",
            ephemeral=True,
        )
        # Never the ranking: only that the paper count moved.
        log.info("vote %s: %s paper ballot(s) entered", chosen.id, copies)
        self._turnout_changed(chosen)

    @group.command(
        name="export",
        description="The anonymised ballots (BLT, CSV) and the report of a closed vote (committee)",
        extras={"committee": True},
    )
    @app_commands.describe(vote="A closed vote")
    async def export_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await require_committee(interaction, "export a vote's ballots")
        chosen = await service.get(self.bot.db, config.guild_id, _vote_id(vote))
        bundle = await vote_admin.export(
            self.bot.db, chosen, actor_id=interaction.user.id, now=self.bot.clock()
        )
        counted = bundle.counted
        name = f"vote-{chosen.id}"
        files = [
            discord.File(io.BytesIO(bundle.csv.encode()), filename=f"{name}.csv"),
            discord.File(io.BytesIO(_result.report_text(counted).encode()), filename=f"{name}.txt"),
        ]
        if bundle.blt is not None:
            files.insert(0, discord.File(io.BytesIO(bundle.blt.encode()), filename=f"{name}.blt"))
        source = "BLT" if bundle.blt is not None else "CSV"
        await interaction.response.send_message(
            f"**Ballots of vote #{chosen.id} {chosen.title}**: {_result.turnout_words(counted)}, "
            f"no voter named, in no order of casting.\nSHA-256 of the {source} (the lot seed "
            f"printed with the result): `{bundle.sha256}`\nRecount: "
            f"`{_result.recount_command(counted)}`",
            files=files,
            ephemeral=True,
        )

    @group.command(
        name="purge",
        description="Delete a closed vote's ballots after the retention period (committee)",
        extras={"committee": True},
    )
    @app_commands.describe(vote="A closed vote")
    async def purge_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await require_committee(interaction, "purge a vote's ballots")
        chosen = await service.get(self.bot.db, config.guild_id, _vote_id(vote))
        await interaction.response.defer(ephemeral=True, thinking=True)
        purged = await vote_admin.purge(
            self.bot.db, chosen, actor_id=interaction.user.id, now=self.bot.clock()
        )
        await interaction.edit_original_response(
            content=f"Vote **#{purged.id}**'s ballots are deleted. Its published result and "
            f"the SHA-256 `{purged.blt_sha256}` stay."
        )

    async def _announce(self, vote: Vote, text: str) -> None:
        """Say in the votes channel what changed, and refresh the announcement."""
        try:
            channel = self._channel(vote)
            await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
            await self._edit_announcement(vote)
        except (discord.HTTPException, RuntimeError) as error:
            log.warning("could not announce a change to vote %s: %s", vote.id, error)

    @close_command.autocomplete("vote")
    @status_command.autocomplete("vote")
    @audit_command.autocomplete("vote")
    @extend_command.autocomplete("vote")
    @cancel_command.autocomplete("vote")
    @paper_command.autocomplete("vote")
    @export_command.autocomplete("vote")
    @purge_command.autocomplete("vote")
    async def _vote_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        found = await service.list_votes(self.bot.db, interaction.guild_id)
        needle = current.strip().lower().lstrip("#")
        hits = [v for v in found if needle in v.title.lower() or needle == str(v.id)]
        return [
            app_commands.Choice(name=f"#{v.id} {v.title} ({v.state})"[:100], value=str(v.id))
            for v in hits[:25]
        ]

    # --- the ballot ----------------------------------------------------------------------------

    async def start_ballot(self, interaction: discord.Interaction, vote_id: int) -> None:
        vote = await service.get(self.bot.db, interaction.guild_id, vote_id)
        await service.check_can_vote(self.bot.db, vote, interaction.user.id, self.bot.clock())
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
        vote, options = await service.draft_on(
            self.bot.db, interaction.guild_id, vote_id, draft, now=self.bot.clock()
        )
        await interaction.response.edit_message(
            content=_render.ballot_text(vote, options, draft.ranking),
            view=ballot_view(vote.id, options, draft),
        )

    async def show_yes_no(
        self, interaction: discord.Interaction, vote_id: int, draft: Draft
    ) -> None:
        vote, options = await service.draft_on(
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
        self._turnout_changed(vote)

    # --- turnout line ----------------------------------------------------------------------------

    def _turnout_changed(self, vote: Vote) -> None:
        if vote.id in self._turnout_tasks or vote.message_id is None:
            return
        task = asyncio.get_running_loop().create_task(self._update_turnout(vote.id))
        self._turnout_tasks[vote.id] = task

    async def _update_turnout(self, vote_id: int) -> None:
        try:
            await asyncio.sleep(self.turnout_debounce)
            vote = await service.get_by_id(self.bot.db, vote_id)
            if vote.state == VoteState.OPEN:
                await self._edit_announcement(vote)
        except Exception as error:  # a turnout line is cosmetic: never crash on it
            log.warning(
                "could not update the turnout of vote %s: %s", vote_id, type(error).__name__
            )
        finally:
            self._turnout_tasks.pop(vote_id, None)

    async def _edit_announcement(self, vote: Vote, marker: str | None = None) -> None:
        if vote.message_id is None:
            return
        channel = self.bot.get_channel(vote.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return
        options = await service.option_names(self.bot.db, vote.id)
        voted, _ = await service.turnout(self.bot.db, vote)
        embed = _render.announcement(
            vote,
            options,
            voted=voted,
            paper=await vote_admin.paper_count(self.bot.db, vote),
            marker=marker or (f"job:{vote.open_job_id}" if vote.open_job_id else None),
            capacity_warning=await self._capacity_warning(vote),
        )
        closed = vote.state in (VoteState.CLOSED, VoteState.CANCELLED)
        await channel.get_partial_message(vote.message_id).edit(
            embed=embed, view=announcement_view(vote.id, closed=closed)
        )

    async def _capacity_warning(self, vote: Vote) -> str | None:
        if self.capacity_provider is None:
            return None
        try:
            return await self.capacity_provider(vote)
        except Exception as error:
            log.warning("capacity warning for vote %s failed: %s", vote.id, type(error).__name__)
            return None

    # --- scheduled jobs --------------------------------------------------------------------------

    async def _find_marker(
        self, channel: discord.abc.Messageable, marker: str
    ) -> discord.Message | None:
        async for message in channel.history(limit=100):
            if message.author.id != self.bot.user.id:  # type: ignore[union-attr]
                continue
            if message.content.endswith(marker) or any(
                e.footer and e.footer.text and e.footer.text.endswith(marker)
                for e in message.embeds
            ):
                return message
        return None

    def _channel(self, vote: Vote) -> discord.TextChannel:
        channel = self.bot.get_channel(vote.channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise RuntimeError(f"votes channel {vote.channel_id} of vote {vote.id} is gone")
        return channel

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
        channel = self._channel(vote)
        found = await self._find_marker(channel, job.marker) if ctx.recovering else None
        if found is None:
            options = await service.option_names(self.bot.db, vote.id)
            found = await channel.send(
                embed=_render.announcement(
                    vote,
                    options,
                    voted=0,
                    marker=job.marker,
                    capacity_warning=await self._capacity_warning(vote),
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
        await self.bot.scheduler.run_kind_now(service.SCRUB_JOB, ctx.now)  # key gone first
        vote = counted.vote
        if vote.result_message_id is not None:
            return JobOutcome.done("result already posted")
        channel = self._channel(vote)
        found = await self._find_marker(channel, job.marker) if ctx.recovering else None
        if found is None:
            found = await self._post_result(channel, counted, job.marker)
        faults.crash_point("close:after_post")
        await service.record_result_message(self.bot.db, vote, found.id)
        log.info("vote %s closed with %s ballots; result posted", vote.id, counted.ballots_cast)
        try:
            await self._edit_announcement(vote)
        except discord.HTTPException as error:
            log.warning("could not mark vote %s's announcement closed: %s", vote.id, error.status)
        return JobOutcome.done(f"{counted.ballots_cast} ballots" + (" (late)" if ctx.late else ""))

    async def _post_result(
        self, channel: discord.TextChannel, counted: service.Counted, marker: str
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
            # A result must always post: fall back to plain text and the attachments.
            log.warning(
                "result embed of vote %s refused (%s); posting plain", counted.vote.id, error.status
            )
            text = clip(
                f"**Result: {counted.vote.title}**\n{_result.verdict(counted)}\n-# vote "
                f"{counted.vote.id} · {marker}",
                2000,
                "…",
            )
            return await channel.send(text, files=_result.result_files(counted, chart))


def _vote_id(text: str) -> int:
    try:
        return int(text.strip().lstrip("#"))
    except ValueError:
        raise UserError("Pick a vote from the list (or type its number, e.g. 12).") from None
