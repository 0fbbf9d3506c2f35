"""`/support add|update|remove|list|target`: the invisible primary, the committee's.

The race page (`race_sections`) shows members the progress and who is committed to another
candidate; the committee also sees who is still to ask. Plan reminders carry the progress
line (`reminder_progress`, asked by `cogs/plans/_reminders.py`). Contact notes are shown only
in `/support list`, which is ephemeral and the committee's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import discord_limits as limits
from bot.domain.races import Race
from bot.domain.support import SupporterChange, SupportKind, SupportStatus
from bot.services import support as service
from bot.services.plans import ReminderNote
from cogs._common import chapter_of, committee_only, may_autocomplete
from cogs._text import clip
from cogs.races.options import RaceOption, typed_race
from cogs.races.sections import RaceSection, RaceViewer
from cogs.support import _render

if TYPE_CHECKING:
    from bot.client import EndorseBot

KindChoice = Literal["union", "organisation", "leader", "official"]
StatusChoice = Literal["to_ask", "asked", "committed", "declined", "other"]
SECTION_ORDER = 45  # after the race plan (40): the invisible primary is one of its steps


class SupportCog(commands.Cog, name="Support"):
    help_section = "The invisible primary"

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    support = app_commands.Group(
        name="support", description="Unions, organisations and leaders backing a race",
        guild_only=True,
    )  # fmt: skip

    @committee_only("track the invisible primary")
    @support.command(name="add", description="Add an organisation or a person to a race's list")
    @app_commands.describe(
        race="The race",
        name="The union, organisation or person",
        kind="union, progressive organisation, community leader or elected official",
        status="Where they stand (default: to ask)",
        notes="Contact notes (seen by the committee only)",
    )
    async def add_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        name: str,
        kind: KindChoice,
        status: StatusChoice = "to_ask",
        notes: str = "",
    ) -> None:
        await chapter_of(interaction)
        added = await service.add_supporter(
            self.bot.db, guild_id=race.guild_id, race_id=race.id, name=name,
            kind=SupportKind(kind), status=SupportStatus(status), notes=notes,
            actor_id=interaction.user.id, now=self.bot.clock(),
        )  # fmt: skip
        await self._reply(interaction, race, f"Added **{added.name}** ({added.kind.label}, "
                          f"{added.status.label}) to {race.label}.")  # fmt: skip

    @committee_only("track the invisible primary")
    @support.command(name="update", description="Change a supporter's status, kind, name or notes")
    @app_commands.describe(
        race="The race",
        supporter="Who (start typing their name)",
        status="Where they stand now",
        kind="union, progressive organisation, community leader or elected official",
        name="A corrected name",
        notes="New contact notes (replace the old ones; seen by the committee only)",
    )
    async def update_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        supporter: str,
        status: StatusChoice | None = None,
        kind: KindChoice | None = None,
        name: str | None = None,
        notes: str | None = None,
    ) -> None:
        await chapter_of(interaction)
        found = await service.find_supporter(self.bot.db, race.guild_id, race.id, supporter)
        change = SupporterChange(
            name=name,
            kind=SupportKind(kind) if kind else None,
            status=SupportStatus(status) if status else None,
            notes=notes,
        )
        _, after = await service.update_supporter(
            self.bot.db, guild_id=race.guild_id, race_id=race.id, supporter_id=found.id,
            change=change, actor_id=interaction.user.id, now=self.bot.clock(),
        )  # fmt: skip
        await self._reply(interaction, race, f"Updated **{after.name}**: {after.kind.label}, "
                          f"{after.status.label}.")  # fmt: skip

    @committee_only("track the invisible primary")
    @support.command(name="remove", description="Take a supporter off a race's list")
    @app_commands.describe(race="The race", supporter="Who (start typing their name)")
    async def remove_command(
        self, interaction: discord.Interaction, race: RaceOption, supporter: str
    ) -> None:
        await chapter_of(interaction)
        found = await service.find_supporter(self.bot.db, race.guild_id, race.id, supporter)
        gone = await service.remove_supporter(
            self.bot.db, guild_id=race.guild_id, race_id=race.id, supporter_id=found.id,
            actor_id=interaction.user.id, now=self.bot.clock(),
        )  # fmt: skip
        await self._reply(interaction, race, f"Removed **{gone.name}** from {race.label}.")

    @committee_only("see the invisible primary's contacts")
    @support.command(name="list", description="A race's supporters, progress and contact notes")
    @app_commands.describe(race="The race")
    async def list_command(self, interaction: discord.Interaction, race: RaceOption) -> None:
        await chapter_of(interaction)
        found = await service.race_support(self.bot.db, race.guild_id, race.id)
        await interaction.response.send_message(
            embed=_render.list_embed(race, found), ephemeral=True
        )

    @committee_only("set the invisible primary's targets")
    @support.command(name="target", description="How many unions, organisations, leaders to win")
    @app_commands.describe(
        race="The race",
        unions="Target number of unions committed",
        organisations="Target number of progressive organisations committed",
        leaders="Target number of community leaders committed",
    )
    async def target_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        unions: int | None = None,
        organisations: int | None = None,
        leaders: int | None = None,
    ) -> None:
        await chapter_of(interaction)
        found = await service.set_targets(
            self.bot.db, guild_id=race.guild_id, race_id=race.id,
            targets={SupportKind.UNION: unions, SupportKind.ORGANISATION: organisations,
                     SupportKind.LEADER: leaders},
            actor_id=interaction.user.id, now=self.bot.clock(),
        )  # fmt: skip
        lines = "\n".join(_render.progress_lines(found.progress))
        await interaction.response.send_message(
            f"Targets set for {race.label}.\n{lines}", ephemeral=True
        )

    async def _reply(self, interaction: discord.Interaction, race: Race, what: str) -> None:
        found = await service.race_support(self.bot.db, race.guild_id, race.id)
        lines = "\n".join(_render.progress_lines(found.progress))
        await interaction.response.send_message(
            clip(f"{what}\n{lines}", limits.MESSAGE_CONTENT), ephemeral=True
        )

    @update_command.autocomplete("supporter")
    @remove_command.autocomplete("supporter")
    async def _supporter_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        race = await typed_race(interaction)
        if race is None or not await may_autocomplete(interaction):
            return []
        found = await service.supporter_choices(self.bot.db, race.guild_id, race.id, current)
        return [
            app_commands.Choice(
                name=clip(f"{s.name} ({s.kind.label}, {s.status.label})", limits.CHOICE_NAME),
                value=str(s.id),
            )
            for s in found
        ]

    # --- what other features ask ---------------------------------------------------------------

    async def race_sections(self, race: Race, viewer: RaceViewer) -> list[RaceSection]:
        found = await service.race_support(self.bot.db, race.guild_id, race.id)
        if found.progress.empty:
            body = "No supporters tracked yet: the committee adds them with `/support add`."
            return [RaceSection("Invisible primary", body, SECTION_ORDER, committee_only=True)]
        sections = [
            RaceSection(
                "Invisible primary", "\n".join(_render.progress_lines(found.progress)),
                SECTION_ORDER,
            )
        ]  # fmt: skip
        if found.supporters:
            sections.append(
                RaceSection("Invisible primary: asks (committee)",
                            _render.committee_section(found), SECTION_ORDER, committee_only=True)
            )  # fmt: skip
        return sections

    async def reminder_progress(self, note: ReminderNote) -> str | None:
        found = await service.race_support(self.bot.db, note.race.guild_id, note.race.id)
        return _render.reminder_line(found.progress)
