"""`/race add|edit|show|list|archive` and `/candidate add|edit|remove|list`.

Race options are the shared `RaceOption` (cogs/races/options.py); candidate options
autocomplete with the chosen race's candidates; a name typed without picking is matched by
name, and a name that matches nothing gets a clear message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import discord_limits as limits
from bot.domain.chapters import ChapterConfig
from bot.domain.races import (
    OFFICE_MAX,
    BallotLine,
    CandidateDraft,
    CandidateStatus,
    OfficeKind,
    Race,
    RaceDraft,
    RaceStatus,
    parse_election_date,
)
from bot.errors import InvalidInput
from bot.services import chapters as chapter_service
from bot.services import races as race_service
from cogs._common import chapter_of, committee_only, may_autocomplete, require_member
from cogs._text import clip
from cogs.races import _render
from cogs.races.options import AnyRaceOption, RaceOption, typed_race
from cogs.races.sections import RaceViewer, collect_sections

if TYPE_CHECKING:
    from bot.client import EndorseBot

KIND_CHOICES = [app_commands.Choice(name=k.label, value=k.value) for k in OfficeKind]
LINE_CHOICES = [app_commands.Choice(name=b.label, value=b.value) for b in BallotLine]
RACE_STATUS_CHOICES = [app_commands.Choice(name=s.label, value=s.value) for s in RaceStatus]
CANDIDATE_STATUS_CHOICES = [
    app_commands.Choice(name=s.label, value=s.value) for s in CandidateStatus
]

RACE_DESCRIPTIONS = {
    "office": "The office, e.g. State Assembly District 36",
    "kind": "Executive, legislative, judicial/administrative, party or other",
    "ballot_line": "How the race appears on the ballot",
    "general": "General election date, e.g. 2028-11-07 (`none` clears it on edit)",
    "primary": "Primary date, if there is one, e.g. 2028-06-27 (`none` clears it on edit)",
    "decided_in_primary": "True if the primary decides the race (e.g. a safe seat)",
    "jurisdiction": "The district or jurisdiction, e.g. Ward 5 (`-` clears it on edit)",
    "seats": "Seats to fill (1 for most races; more for an at-large race)",
    "status": "Where the chapter is with this race",
    "notes": "Committee-only notes, never shown to members (`-` clears them on edit)",
}


def _viewer_is_committee(interaction: discord.Interaction, config: ChapterConfig) -> bool:
    member = interaction.user
    assert isinstance(member, discord.Member)  # require_member checked it
    roles = {role.id for role in member.roles}
    return chapter_service.is_committee(config, roles, member.guild_permissions.manage_guild)


def _election_date(text: str | None, config: ChapterConfig, now: datetime) -> date | None:
    return parse_election_date(text or "", tz=config.timezone, now=now)


def _cleared(text: str) -> str:
    """Discord can't send an empty option, so `-` is how an edit clears a text."""
    return "" if text.strip() == "-" else text


class _RaceAware(commands.Cog):
    """What both cogs share: the bot and the race's page."""

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    async def _page(
        self, interaction: discord.Interaction, race: Race, config: ChapterConfig, committee: bool
    ) -> discord.Embed:
        candidates = await race_service.list_candidates(self.bot.db, race.guild_id, race.id)
        viewer = RaceViewer(
            guild_id=race.guild_id,
            user_id=interaction.user.id,
            committee=committee,
            timezone=config.timezone,
            now=self.bot.clock(),
        )
        sections = await collect_sections(self.bot.cogs.values(), race, viewer)
        return _render.race_page(
            race, candidates, sections, tz=config.timezone, committee=committee
        )


class RacesCog(_RaceAware):
    help_section = "Races"

    group = app_commands.Group(
        name="race", description="The chapter's races: offices, dates, candidates", guild_only=True
    )

    @committee_only("add races")
    @group.command(name="add", description="Add a race")
    @app_commands.describe(**RACE_DESCRIPTIONS)
    @app_commands.choices(kind=KIND_CHOICES, ballot_line=LINE_CHOICES, status=RACE_STATUS_CHOICES)
    async def add(
        self,
        interaction: discord.Interaction,
        office: app_commands.Range[str, 1, OFFICE_MAX],
        kind: str,
        ballot_line: str,
        general: str | None = None,
        primary: str | None = None,
        decided_in_primary: bool = False,
        jurisdiction: str | None = None,
        seats: int = 1,
        status: str = RaceStatus.EXPLORING.value,
        notes: str | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        now = self.bot.clock()
        draft = RaceDraft(
            office=office,
            office_kind=OfficeKind(kind),
            ballot_line=BallotLine(ballot_line),
            general_date=_election_date(general, config, now) if general else None,
            primary_date=_election_date(primary, config, now) if primary else None,
            decided_in_primary=decided_in_primary,
            jurisdiction=jurisdiction or "",
            seats=seats,
            status=RaceStatus(status),
            notes=notes or "",
        )
        race = await race_service.add_race(
            self.bot.db,
            guild_id=interaction.guild_id,
            actor_id=interaction.user.id,
            draft=draft,
            now=now,
            tz=config.timezone,
        )
        embed = await self._page(interaction, race, config, committee=True)
        await interaction.response.send_message(
            f"Race added. Add its candidates with `/candidate add race:{race.office}`.",
            embed=embed,
            ephemeral=True,
        )

    @committee_only("change races")
    @group.command(name="edit", description="Change a race")
    @app_commands.describe(race="The race to change", **RACE_DESCRIPTIONS)
    @app_commands.choices(kind=KIND_CHOICES, ballot_line=LINE_CHOICES, status=RACE_STATUS_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        office: app_commands.Range[str, 1, OFFICE_MAX] | None = None,
        kind: str | None = None,
        ballot_line: str | None = None,
        general: str | None = None,
        primary: str | None = None,
        decided_in_primary: bool | None = None,
        jurisdiction: str | None = None,
        seats: int | None = None,
        status: str | None = None,
        notes: str | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        now = self.bot.clock()
        changes: dict[str, Any] = {}
        if office is not None:
            changes["office"] = office
        if kind is not None:
            changes["office_kind"] = OfficeKind(kind)
        if ballot_line is not None:
            changes["ballot_line"] = BallotLine(ballot_line)
        if general is not None:
            changes["general_date"] = _election_date(general, config, now)
        if primary is not None:
            changes["primary_date"] = _election_date(primary, config, now)
        if decided_in_primary is not None:
            changes["decided_in_primary"] = decided_in_primary
        if jurisdiction is not None:
            changes["jurisdiction"] = _cleared(jurisdiction)
        if seats is not None:
            changes["seats"] = seats
        if status is not None:
            changes["status"] = RaceStatus(status)
        if notes is not None:
            changes["notes"] = _cleared(notes)
        if not changes:
            raise InvalidInput("Say what to change: fill in at least one option besides `race`.")
        edited = await race_service.edit_race(
            self.bot.db,
            guild_id=interaction.guild_id,
            race_id=race.id,
            actor_id=interaction.user.id,
            changes=changes,
            now=now,
            tz=config.timezone,
        )
        embed = await self._page(interaction, edited, config, committee=True)
        await interaction.response.send_message("Race updated.", embed=embed, ephemeral=True)

    @group.command(name="show", description="A race's page: dates, candidates, vote and plan")
    @app_commands.describe(race="The race to show")
    async def show(self, interaction: discord.Interaction, race: RaceOption) -> None:
        config = await require_member(interaction, "see the chapter's races")
        committee = _viewer_is_committee(interaction, config)
        embed = await self._page(interaction, race, config, committee)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @group.command(name="list", description="The chapter's races, soonest election first")
    @app_commands.describe(include_archived="Also list archived races")
    async def list_(self, interaction: discord.Interaction, include_archived: bool = False) -> None:
        config = await require_member(interaction, "see the chapter's races")
        races = await race_service.list_races(
            self.bot.db, interaction.guild_id, include_archived=include_archived
        )
        embed = _render.race_list(races, tz=config.timezone, archived_too=include_archived)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @committee_only("archive races")
    @group.command(
        name="archive",
        description="Archive a race (hidden from lists, kept for the record)",
    )
    @app_commands.describe(race="The race to archive", restore="Bring an archived race back")
    async def archive(
        self, interaction: discord.Interaction, race: AnyRaceOption, restore: bool = False
    ) -> None:
        changed = await race_service.archive_race(
            self.bot.db,
            guild_id=interaction.guild_id,
            race_id=race.id,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
            restore=restore,
        )
        if restore:
            message = f"**{changed.label}** is back in the race list."
        else:
            message = (
                f"**{changed.label}** is archived: it left `/race list` and autocomplete, and "
                "everything about it is kept. Undo with `/race archive restore:True`."
            )
        await interaction.response.send_message(message, ephemeral=True)

    @committee_only("delete races")
    @group.command(
        name="delete",
        description="Delete a race entered by mistake (a race with a vote or plan is archived)",
    )
    @app_commands.describe(race="The race to delete", confirm="True: yes, delete it for good")
    async def delete(
        self, interaction: discord.Interaction, race: AnyRaceOption, confirm: bool
    ) -> None:
        if not confirm:
            raise InvalidInput(
                f"Nothing deleted. To delete **{race.label}** and its candidates for good, "
                "run the command again with `confirm:True`; to keep it for the record, "
                "use `/race archive`."
            )
        await race_service.delete_race(
            self.bot.db,
            guild_id=interaction.guild_id,
            race_id=race.id,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        await interaction.response.send_message(
            f"**{race.label}** and its candidates are deleted.", ephemeral=True
        )


class CandidateCog(_RaceAware):
    help_section = "Races"

    group = app_commands.Group(
        name="candidate",
        description="The candidates in a race",
        guild_only=True,
    )

    @committee_only("add candidates")
    @group.command(name="add", description="Add a candidate to a race")
    @app_commands.describe(
        race="The race they run in",
        name="Their name as it appears on the ballot",
        member="Their Discord account, if they are in this server",
        incumbent="They hold this office now",
        previously_endorsed="The chapter endorsed them before",
        status="Where they are in the endorsement process",
    )
    @app_commands.choices(status=CANDIDATE_STATUS_CHOICES)
    async def add(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        name: app_commands.Range[str, 1, 80],
        member: discord.Member | None = None,
        incumbent: bool = False,
        previously_endorsed: bool = False,
        status: str = CandidateStatus.PROSPECTIVE.value,
    ) -> None:
        config = await chapter_of(interaction)
        draft = CandidateDraft(
            name=name,
            member_id=member.id if member else None,
            incumbent=incumbent,
            previously_endorsed=previously_endorsed,
            status=CandidateStatus(status),
        )
        candidate = await race_service.add_candidate(
            self.bot.db,
            guild_id=interaction.guild_id,
            race_id=race.id,
            actor_id=interaction.user.id,
            draft=draft,
            now=self.bot.clock(),
        )
        embed = await self._page(interaction, race, config, committee=True)
        await interaction.response.send_message(
            f"**{candidate.name}** added to **{race.label}**.", embed=embed, ephemeral=True
        )

    @committee_only("change candidates")
    @group.command(name="edit", description="Change a candidate")
    @app_commands.describe(
        race="The race they run in",
        candidate="The candidate to change",
        name="A corrected name",
        member="Their Discord account, if they are in this server",
        not_in_server="True to unlink their Discord account",
        incumbent="They hold this office now",
        previously_endorsed="The chapter endorsed them before",
        status="Where they are in the endorsement process",
    )
    @app_commands.choices(status=CANDIDATE_STATUS_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        candidate: str,
        name: app_commands.Range[str, 1, 80] | None = None,
        member: discord.Member | None = None,
        not_in_server: bool = False,
        incumbent: bool | None = None,
        previously_endorsed: bool | None = None,
        status: str | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        who = await race_service.resolve_candidate(
            self.bot.db, interaction.guild_id, race, candidate
        )
        if member is not None and not_in_server:
            raise InvalidInput("Give `member` or `not_in_server`, not both.")
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if member is not None:
            changes["member_id"] = member.id
        if not_in_server:
            changes["member_id"] = None
        if incumbent is not None:
            changes["incumbent"] = incumbent
        if previously_endorsed is not None:
            changes["previously_endorsed"] = previously_endorsed
        if status is not None:
            changes["status"] = CandidateStatus(status)
        if not changes:
            raise InvalidInput("Say what to change: fill in at least one option.")
        await race_service.edit_candidate(
            self.bot.db,
            guild_id=interaction.guild_id,
            candidate_id=who.id,
            actor_id=interaction.user.id,
            changes=changes,
            now=self.bot.clock(),
        )
        embed = await self._page(interaction, race, config, committee=True)
        await interaction.response.send_message("Candidate updated.", embed=embed, ephemeral=True)

    @committee_only("remove candidates")
    @group.command(
        name="remove",
        description="Take a candidate entered by mistake off a race",
    )
    @app_commands.describe(race="The race they run in", candidate="The candidate to remove")
    async def remove(
        self, interaction: discord.Interaction, race: RaceOption, candidate: str
    ) -> None:
        config = await chapter_of(interaction)
        who = await race_service.resolve_candidate(
            self.bot.db, interaction.guild_id, race, candidate
        )
        await race_service.remove_candidate(
            self.bot.db,
            guild_id=interaction.guild_id,
            candidate_id=who.id,
            actor_id=interaction.user.id,
            now=self.bot.clock(),
        )
        embed = await self._page(interaction, race, config, committee=True)
        await interaction.response.send_message(
            f"**{who.name}** removed from **{race.label}**.", embed=embed, ephemeral=True
        )

    @committee_only("list candidates")
    @group.command(name="list", description="The candidates in a race")
    @app_commands.describe(race="The race")
    async def list_(self, interaction: discord.Interaction, race: RaceOption) -> None:
        candidates = await race_service.list_candidates(self.bot.db, race.guild_id, race.id)
        await interaction.response.send_message(
            embed=_render.candidate_list(race, candidates), ephemeral=True
        )

    @edit.autocomplete("candidate")
    @remove.autocomplete("candidate")
    async def _candidates(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        race = await typed_race(interaction)
        if race is None or not await may_autocomplete(interaction):
            return []
        found = await race_service.candidate_choices(self.bot.db, race.guild_id, race.id, current)
        return [
            app_commands.Choice(
                name=clip(f"{c.name} · {c.status.label}", limits.CHOICE_NAME),
                value=str(c.id),
            )
            for c in found
        ]
