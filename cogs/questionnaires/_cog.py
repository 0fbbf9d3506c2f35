"""`/questionnaire send|enter|answer|read|compare|publish|reopen` and
`/questionnaire redline add|list|remove`; `/candidate assess` is added to the races cog's
`/candidate` group when this cog loads (cogs/questionnaires/_assess.py).

Reaching the candidate: a DM with the Start button. When their DMs are closed (Discord
answers 403, code 50007) the candidate answers in the server instead, from
`/questionnaire answer` (ephemeral, so still private), and the committee is told in its
review channel to let them know.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import discord_limits as limits
from bot.domain.chapters import ChapterConfig
from bot.domain.questionnaire_sheet import Reach, SheetStatus
from bot.domain.races import Candidate, Race
from bot.domain.timeparse import parse_when
from bot.errors import InvalidInput, NotFound
from bot.services import chapters as chapter_service
from bot.services import questionnaires as service
from bot.services import races as race_service
from bot.services import red_lines
from cogs._common import chapter_of, committee_only, may_autocomplete, require_member
from cogs._text import clip
from cogs.questionnaires import _render, _views
from cogs.questionnaires._flow import QuestionnaireCog
from cogs.races.options import RaceOption, typed_race

if TYPE_CHECKING:
    from bot.client import EndorseBot


def _committee(interaction: discord.Interaction, config: ChapterConfig) -> bool:
    member = interaction.user
    assert isinstance(member, discord.Member)
    roles = {role.id for role in member.roles}
    return chapter_service.is_committee(config, roles, member.guild_permissions.manage_guild)


class QuestionnaireCommands(commands.Cog):
    help_section = "Questionnaires"

    def __init__(self, bot: EndorseBot, flow: QuestionnaireCog) -> None:
        self.bot = bot
        self.flow = flow

    group = app_commands.Group(
        name="questionnaire", description="Candidate questionnaires", guild_only=True
    )
    redline = app_commands.Group(
        name="redline",
        description="The chapter's red lines",
        parent=group,
    )

    async def _pick(
        self, interaction: discord.Interaction, race: Race, candidate: str
    ) -> tuple[Race, Candidate]:
        who = await race_service.resolve_candidate(self.bot.db, race.guild_id, race, candidate)
        return race, who

    def _deadline(self, text: str | None, config: ChapterConfig) -> datetime | None:
        if not text:
            return None
        return parse_when(
            text,
            tz=config.timezone,
            now=self.bot.clock(),
            hint="A deadline is e.g. `2027-03-01` or `in 14d`.",
        )

    @committee_only("send questionnaires")
    @group.command(
        name="send",
        description="Send a candidate the questionnaire",
    )
    @app_commands.describe(
        race="The race",
        candidate="The candidate (must be in this server)",
        deadline="When answers are due, e.g. 2027-03-01 or in 14d",
    )
    async def send(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        candidate: str,
        deadline: str | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        found, who = await self._pick(interaction, race, candidate)
        if who.member_id is None:
            raise InvalidInput(
                f"**{who.name}** is not linked to a Discord account in this server. Link them "
                "with `/candidate edit member:`, or enter their answers for them with "
                "`/questionnaire enter`."
            )
        filled = await service.send(
            self.bot.db,
            self.bot.scheduler,
            race=found,
            candidate=who,
            respondent_id=who.member_id,
            reach=Reach.DM,
            deadline=self._deadline(deadline, config),
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = _render.invitation(found, filled, interaction.guild.name)  # type: ignore[union-attr]
        try:
            user = await self.bot.fetch_user(who.member_id)
            await user.send(text, view=_views.start_view(filled.sheet.id))
        except discord.Forbidden:
            await service.set_reach(self.bot.db, found.guild_id, filled.sheet.id, Reach.SERVER)
            note = (
                f"**{who.name}** does not accept DMs from the bot, so the questionnaire for "
                f"**{found.label}** waits for them in the server: ask them to run "
                "`/questionnaire answer` in any channel here (only they see it)."
            )
            await self.flow.tell_committee(found.guild_id, note)
        else:
            note = (
                f"Sent to **{who.name}** by DM, {_render.when(filled.sheet.deadline)}. You will "
                "get their answers and the criteria report in the review channel."
            )
        warning = await self.flow.capacity_warning(found.guild_id, found.id)
        if warning:
            note += f"\n⚠️ Capacity: {warning}"
        await interaction.followup.send(clip(note, limits.MESSAGE_CONTENT), ephemeral=True)

    @committee_only("enter questionnaire answers")
    @group.command(
        name="enter",
        description="Enter answers for a candidate not on Discord",
    )
    @app_commands.describe(race="The race", candidate="The candidate you type answers for")
    async def enter(
        self, interaction: discord.Interaction, race: RaceOption, candidate: str
    ) -> None:
        found, who = await self._pick(interaction, race, candidate)
        filled = await service.send(
            self.bot.db,
            self.bot.scheduler,
            race=found,
            candidate=who,
            respondent_id=interaction.user.id,
            reach=Reach.COMMITTEE,
            deadline=None,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.response.send_message(
            f"Type **{who.name}**'s answers page by page; the record shows you entered them.",
            view=_views.start_view(filled.sheet.id),
            ephemeral=True,
        )

    @group.command(name="answer", description="Answer a questionnaire the chapter sent you")
    async def answer(self, interaction: discord.Interaction) -> None:
        await chapter_of(interaction)
        sheets = await service.answered_by(self.bot.db, interaction.guild_id, interaction.user.id)
        open_ = [s for s in sheets if s.status is SheetStatus.OPEN]
        if not open_:
            raise NotFound("You have no questionnaire waiting for answers in this server.")
        filled = await service.filled(self.bot.db, open_[0].guild_id, open_[0].id)
        race = await race_service.get_race(self.bot.db, filled.sheet.guild_id, filled.sheet.race_id)
        await interaction.response.send_message(
            _render.invitation(race, filled, interaction.guild.name),  # type: ignore[union-attr]
            view=_views.start_view(filled.sheet.id),
            ephemeral=True,
        )

    @group.command(name="read", description="Read a candidate's answers (members: published)")
    @app_commands.describe(race="The race", candidate="The candidate")
    async def read(
        self, interaction: discord.Interaction, race: RaceOption, candidate: str
    ) -> None:
        config = await chapter_of(interaction)
        found, who = await self._pick(interaction, race, candidate)
        filled = await service.for_candidate(self.bot.db, found.guild_id, who.id)
        committee = _committee(interaction, config)
        own = filled is not None and filled.sheet.respondent_id == interaction.user.id
        if not committee and not own:
            await require_member(interaction, "read published questionnaires")
        if filled is None or not (committee or own or filled.sheet.status is SheetStatus.PUBLISHED):
            raise NotFound(
                f"**{who.name}**'s questionnaire is not published. Members read answers once "
                "the committee publishes them."
            )
        if committee:
            embeds, file = await self.flow.report_parts(filled)
        else:  # the criteria report is the committee's advice; members get the answers
            embeds = [_render.summary(filled, found, who, None)]
            file = _render.answers_file(filled, found, who)
        await interaction.response.send_message(embeds=embeds, file=file, ephemeral=True)

    @committee_only("compare questionnaires")
    @group.command(
        name="compare",
        description="Every candidate's answers side by side",
    )
    @app_commands.describe(race="The race")
    async def compare(self, interaction: discord.Interaction, race: RaceOption) -> None:
        entries = [
            (await race_service.get_candidate(self.bot.db, race.guild_id, f.sheet.candidate_id), f)
            for f in await service.for_race(self.bot.db, race.guild_id, race.id)
        ]
        if not entries:
            raise NotFound(f"No questionnaire was sent for **{race.label}** yet.")
        await interaction.response.send_message(
            f"**{race.label}**: {len(entries)} questionnaire(s) side by side, as a Markdown "
            "table and a CSV for a spreadsheet.",
            files=_render.compare_files(race, entries),
            ephemeral=True,
        )

    @committee_only("publish questionnaires")
    @group.command(
        name="publish",
        description="Make a submitted questionnaire readable by members",
    )
    @app_commands.describe(race="The race", candidate="The candidate")
    async def publish(
        self, interaction: discord.Interaction, race: RaceOption, candidate: str
    ) -> None:
        config = await chapter_of(interaction)
        found, who = await self._pick(interaction, race, candidate)
        await service.publish(
            self.bot.db,
            self.bot.scheduler,
            guild_id=found.guild_id,
            candidate=who,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.response.send_message(
            f"**{who.name}**'s answers are published: members can read them now, and they "
            f"are being posted in <#{config.votes_channel_id}>.",
            ephemeral=True,
        )

    @committee_only("reopen questionnaires")
    @group.command(
        name="reopen",
        description="Unlock submitted answers",
    )
    @app_commands.describe(race="The race", candidate="The candidate")
    async def reopen(
        self, interaction: discord.Interaction, race: RaceOption, candidate: str
    ) -> None:
        found, who = await self._pick(interaction, race, candidate)
        await service.reopen(
            self.bot.db,
            guild_id=found.guild_id,
            candidate=who,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.response.send_message(
            f"**{who.name}**'s questionnaire is open again: they can change answers and submit.",
            ephemeral=True,
        )

    @committee_only("change red lines")
    @redline.command(
        name="add",
        description="Add a red line: a yes/no question and the required answer",
    )
    @app_commands.describe(
        question="A yes/no question, up to 100 characters",
        required_answer="The answer a candidate must give",
    )
    async def redline_add(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 200],
        required_answer: bool,
    ) -> None:
        line = await red_lines.add(
            self.bot.db,
            guild_id=interaction.guild_id,
            question=question,
            required=required_answer,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.response.send_message(
            f"Red line {line.id} added: “{line.question}” (required answer: {line.required}). "
            "Every questionnaire sent from now on asks it, and it is added to those still open "
            "or submitted (reopen a submitted one so the candidate can answer it).",
            ephemeral=True,
        )

    @committee_only("see red lines")
    @redline.command(name="list", description="The chapter's red lines")
    async def redline_list(self, interaction: discord.Interaction) -> None:
        lines = await red_lines.current(self.bot.db, interaction.guild_id)
        text = "\n".join(f"{r.id}. {r.question} (required: {r.required})" for r in lines)
        await interaction.response.send_message(
            clip(text or "No red lines yet: `/questionnaire redline add`.", limits.MESSAGE_CONTENT),
            ephemeral=True,
        )

    @committee_only("change red lines")
    @redline.command(name="remove", description="Stop asking a red line")
    @app_commands.describe(number="The red line's number in `/questionnaire redline list`")
    async def redline_remove(self, interaction: discord.Interaction, number: int) -> None:
        await red_lines.remove(
            self.bot.db,
            guild_id=interaction.guild_id,
            line_id=number,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.response.send_message(
            f"Red line {number} removed; questionnaires already sent keep it.", ephemeral=True
        )

    # --- autocomplete -----------------------------------------------------------------------

    @send.autocomplete("candidate")
    @enter.autocomplete("candidate")
    @read.autocomplete("candidate")
    @publish.autocomplete("candidate")
    @reopen.autocomplete("candidate")
    async def _candidates(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await candidate_choices(self.bot, interaction, current)


async def candidate_choices(
    bot: EndorseBot, interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    race = await typed_race(interaction)
    if race is None or not await may_autocomplete(interaction):
        return []
    found = await race_service.candidate_choices(bot.db, race.guild_id, race.id, current)
    return [
        app_commands.Choice(name=clip(c.name, limits.CHOICE_NAME), value=str(c.id)) for c in found
    ]
