"""The committee's corrections and records of a vote:
`/vote extend|cancel|paper|checkin|export|purge`.

A mixin of `VotesCog` (the commands join the one `/vote` group); it uses the cog's `bot`
and `turnout`.
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.domain.vote_types import Vote
from bot.services import checkins, vote_admin
from bot.services import votes as service
from cogs._common import chapter_of, committee_only
from cogs._text import timestamp
from cogs.votes import _result
from cogs.votes._group import vote_choices, vote_group, vote_id
from cogs.votes._jobs import votes_channel

if TYPE_CHECKING:
    from bot.client import EndorseBot
    from cogs.votes._turnout import TurnoutUpdater

log = logging.getLogger("endorsebot.votes")


class CommitteeCommands:
    bot: EndorseBot
    turnout: TurnoutUpdater

    @committee_only("extend a vote")
    @vote_group.command(
        name="extend",
        description="Move an open vote's close later",
    )
    @app_commands.autocomplete(vote=vote_choices)
    @app_commands.describe(
        vote="The vote", closes="The new close, e.g. '2026-12-08 18:00' or 'in 2d'"
    )
    async def extend_command(self, interaction: discord.Interaction, vote: str, closes: str):
        config = await chapter_of(interaction)
        chosen = await service.get(self.bot.db, config.guild_id, vote_id(vote))
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

    @committee_only("cancel a vote")
    @vote_group.command(
        name="cancel",
        description="Cancel a vote and discard its ballots",
    )
    @app_commands.autocomplete(vote=vote_choices)
    @app_commands.describe(vote="The vote", reason="Why: posted with the cancellation")
    async def cancel_command(self, interaction: discord.Interaction, vote: str, reason: str):
        config = await chapter_of(interaction)
        chosen = await service.get(self.bot.db, config.guild_id, vote_id(vote))
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

    @committee_only("enter paper ballots")
    @vote_group.command(
        name="paper",
        description="The tellers' paper ballots, entered anonymously into an open vote",
    )
    @app_commands.autocomplete(vote=vote_choices)
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
        config = await chapter_of(interaction)
        chosen = await service.get(self.bot.db, config.guild_id, vote_id(vote))
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
        self.turnout.changed(chosen)

    @committee_only("check members in")
    @vote_group.command(
        name="checkin",
        description="Tellers: check a member in at the meeting (their online ballot is refused)",
    )
    @app_commands.autocomplete(vote=vote_choices)
    @app_commands.describe(vote="The vote", member="The member taking a paper ballot")
    async def checkin_command(
        self, interaction: discord.Interaction, vote: str, member: discord.Member
    ) -> None:
        config = await chapter_of(interaction)
        chosen = await service.get(self.bot.db, config.guild_id, vote_id(vote))
        done = await checkins.check_in(
            self.bot.db,
            chosen,
            member_id=member.id,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        who = f"<@{member.id}>"
        if done.outcome == checkins.CheckIn.VOTED_ONLINE:
            text = (
                f"{who} **already voted online** in vote **#{chosen.id}**: their online "
                "ballot counts. Do not give them a paper ballot. They were not checked in."
            )
        elif done.outcome == checkins.CheckIn.ALREADY:
            text = (
                f"{who} was **already checked in** for vote **#{chosen.id}**: do not give "
                f"them a second paper ballot. {done.checked_in} checked in."
            )
        else:
            text = (
                f"{who} is **checked in** for vote **#{chosen.id}**: give them one paper "
                f"ballot. Their online ballot is refused from now on. "
                f"{done.checked_in} checked in."
            )
        await interaction.response.send_message(
            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
        # Never the member: only that a check-in was asked for and how it ended.
        log.info("vote %s: check-in asked (%s)", chosen.id, done.outcome.name)

    @committee_only("export a vote's ballots")
    @vote_group.command(
        name="export",
        description="The anonymised ballots (BLT, CSV) and the report of a closed vote",
    )
    @app_commands.autocomplete(vote=vote_choices)
    @app_commands.describe(vote="A closed vote")
    async def export_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await chapter_of(interaction)
        chosen = await service.get(self.bot.db, config.guild_id, vote_id(vote))
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

    @committee_only("purge a vote's ballots")
    @vote_group.command(
        name="purge",
        description="Delete a closed vote's ballots after the retention period",
    )
    @app_commands.autocomplete(vote=vote_choices)
    @app_commands.describe(vote="A closed vote")
    async def purge_command(self, interaction: discord.Interaction, vote: str) -> None:
        config = await chapter_of(interaction)
        chosen = await service.get(self.bot.db, config.guild_id, vote_id(vote))
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
            channel = votes_channel(self.bot, vote)
            await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
            await self.turnout.edit_announcement(vote)
        except (discord.HTTPException, RuntimeError) as error:
            log.warning("could not announce a change to vote %s: %s", vote.id, error)
