"""`/official add|vote|edit|show|export`, `/position add`, `/sio meeting`, and `/race result`
(joined to the races cog's `/race` group when this feature loads, as `/candidate assess` is).

Every command but `/official show` is the committee's (`@committee_only`). Replies are
ephemeral; a refusal is a `UserError` the tree's reporter words, and nothing is stored.
"""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.chapters import ChapterConfig
from bot.domain.officials import (
    NAME_MAX,
    OFFICE_MAX,
    Cast,
    OfficialDraft,
    PositionDraft,
    SioStatus,
    Stance,
)
from bot.domain.races import Race, local_today, parse_election_date
from bot.domain.timeparse import TimeInputError
from bot.errors import InvalidInput
from bot.services import chapters as chapter_service
from bot.services import officials as service
from bot.services import races as race_service
from bot.services.plans import ReminderNote
from cogs._common import chapter_of, committee_only, require_member
from cogs.officials import _render
from cogs.officials._notice import OfficialNotice
from cogs.officials._options import OfficialOption, PositionOption
from cogs.races.sections import RaceSection, RaceViewer

if TYPE_CHECKING:
    from bot.client import EndorseBot

SIO_CHOICES = [app_commands.Choice(name=s.label, value=s.value) for s in SioStatus]
CAST_CHOICES = [app_commands.Choice(name=c.label, value=c.value) for c in Cast]
STANCE_CHOICES = [app_commands.Choice(name=s.label, value=s.value) for s in Stance]


def day_of(text: str, what: str, config: ChapterConfig, now: datetime) -> date:
    try:
        day = parse_election_date(text, tz=config.timezone, now=now)
    except TimeInputError as error:
        raise InvalidInput(f"{error} {what} is a day, e.g. `2027-01-04`.") from None
    if day is None:
        raise InvalidInput(f"{what} is a day, e.g. `2027-01-04`.")
    return day


def _is_committee(interaction: discord.Interaction, config: ChapterConfig) -> bool:
    member = interaction.user
    assert isinstance(member, discord.Member)  # require_member checked it
    roles = {role.id for role in member.roles}
    return chapter_service.is_committee(config, roles, member.guild_permissions.manage_guild)


class OfficialsCog(OfficialNotice, commands.Cog):
    help_section = "Officials"

    official = app_commands.Group(
        name="official", description="Socialists in office and their record", guild_only=True
    )
    position = app_commands.Group(
        name="position", description="The chapter's positions on bills and motions",
        guild_only=True,
    )  # fmt: skip
    sio = app_commands.Group(
        name="sio", description="The Socialists-in-Office committee", guild_only=True
    )

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    async def race_sections(self, race: Race, viewer: RaceViewer) -> list[RaceSection]:
        """The race page's "Record in office" (cogs/races/sections.py): each candidate who
        has been the chapter's official, with their record in one line."""
        lines = await self._records(race)
        return [RaceSection("Record in office", "\n".join(lines), order=35)] if lines else []

    async def reminder_progress(self, note: ReminderNote) -> str | None:
        """A re-election race's plan reminders start from the record (cogs/plans/_reminders.py
        asks every loaded cog, as the race page does)."""
        lines = await self._records(note.race)
        return "Record in office: " + " ".join(lines) if lines else None

    async def _records(self, race: Race) -> list[str]:
        lines = []
        for candidate in await race_service.list_candidates(self.bot.db, race.guild_id, race.id):
            record = await service.record_for_candidate(self.bot.db, candidate)
            if record is not None:
                lines.append(f"**{candidate.name}**: {record.summary()}.")
        return lines

    @committee_only("enter officials")
    @official.command(name="add", description="Enter an official directly")
    @app_commands.describe(
        name="Their name",
        office="The office they hold, e.g. City Council D3",
        term_start="The day they took office, e.g. 2027-01-04",
        term_end="The day the term ends, if known",
        sio_status="Where they stand with the SIO committee",
        member="Their Discord account, if they are in the server",
    )
    @app_commands.choices(sio_status=SIO_CHOICES)
    async def add(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, NAME_MAX],
        office: app_commands.Range[str, 1, OFFICE_MAX],
        term_start: str,
        term_end: str | None = None,
        sio_status: str = SioStatus.JOINED.value,
        member: discord.Member | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        now = self.bot.clock()
        draft = OfficialDraft(
            name=name,
            office=office,
            term_start=day_of(term_start, "A term's start", config, now),
            term_end=day_of(term_end, "A term's end", config, now) if term_end else None,
            sio_status=SioStatus(sio_status),
            member_id=member.id if member else None,
        )
        official = await service.add_official(
            self.bot.db, self.bot.scheduler, guild_id=config.guild_id, draft=draft,
            actor_id=interaction.user.id, now=now, tz=config.timezone,
        )  # fmt: skip
        await interaction.response.send_message(
            f"Added **{official.name}**, {official.office} (term {_render.term(official)}).",
            ephemeral=True,
        )

    @committee_only("record officials' votes")
    @official.command(name="vote", description="Record how an official voted on a position")
    @app_commands.describe(
        official="The official",
        position="The chapter's position (see /position add)",
        vote="How they voted, seen from the chapter's position",
        date="The day of the vote, e.g. 2027-03-02",
        note="Committee-only note, never shown to members",
    )
    @app_commands.choices(vote=CAST_CHOICES)
    async def vote(
        self,
        interaction: discord.Interaction,
        official: OfficialOption,
        position: PositionOption,
        vote: str,
        date: str,
        note: app_commands.Range[str, 0, 500] = "",
    ) -> None:
        config = await chapter_of(interaction)
        now = self.bot.clock()
        recorded = await service.record_vote(
            self.bot.db, guild_id=config.guild_id, official_id=official.id,
            position_id=position.id, cast=Cast(vote), on=day_of(date, "A vote's date", config, now),
            note=note, actor_id=interaction.user.id, now=now,
        )  # fmt: skip
        tail = (
            " The committee channel hears of it on Monday." if recorded.cast is Cast.AGAINST else ""
        )
        await interaction.response.send_message(
            f"Recorded: {_render.vote_line(recorded, committee=True)}{tail}", ephemeral=True
        )

    @committee_only("edit officials")
    @official.command(name="edit", description="Change an official's SIO status or term end")
    @app_commands.describe(
        official="The official",
        sio_status="Where they stand with the SIO committee",
        term_end="The day the term ends (`none` clears it)",
    )
    @app_commands.choices(sio_status=SIO_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction,
        official: OfficialOption,
        sio_status: str | None = None,
        term_end: str | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        now = self.bot.clock()
        clear = term_end is not None and term_end.strip().lower() in ("none", "-", "clear")
        edited = await service.edit_official(
            self.bot.db, guild_id=config.guild_id, official_id=official.id,
            sio_status=SioStatus(sio_status) if sio_status else None,
            term_end=day_of(term_end, "A term's end", config, now) if term_end and not clear
            else None,
            clear_term_end=clear, actor_id=interaction.user.id, now=now,
        )  # fmt: skip
        await interaction.response.send_message(
            f"**{edited.name}**: {edited.sio_status.label}; term {_render.term(edited)}.",
            ephemeral=True,
        )

    @official.command(name="show", description="An official's record in office")
    @app_commands.describe(official="The official")
    async def show(self, interaction: discord.Interaction, official: OfficialOption) -> None:
        config = await require_member(interaction, "see officials' records")
        committee = _is_committee(interaction, config)
        record = await service.record(self.bot.db, config.guild_id, official)
        await interaction.response.defer(ephemeral=True, thinking=True)
        today = local_today(self.bot.clock(), config.timezone)
        # Imported here: matplotlib loads on the first chart, not at start-up.
        from bot.charts.officials import record_png

        png = await asyncio.to_thread(record_png, record, today=today)
        embed = _render.record_embed(record, committee=committee)
        embed.set_image(url="attachment://record.png")
        await interaction.edit_original_response(
            embed=embed, attachments=[discord.File(io.BytesIO(png), filename="record.png")]
        )

    @committee_only("export officials' records")
    @official.command(name="export", description="Every official's record as CSV")
    async def export(self, interaction: discord.Interaction) -> None:
        config = await chapter_of(interaction)
        records = await service.all_records(self.bot.db, config.guild_id)
        votes = sum(len(r.votes) for r in records)
        await interaction.response.send_message(
            f"{len(records)} officials, {votes} votes recorded.",
            file=discord.File(io.BytesIO(_render.records_csv(records)), filename="officials.csv"),
            ephemeral=True,
        )

    @committee_only("record the chapter's positions")
    @position.command(name="add", description="Record a position the chapter takes")
    @app_commands.describe(
        title="The bill, ordinance or resolution, e.g. Ordinance 24-117: rent cap",
        stance="The chapter's stance",
        body="What it does and why the chapter takes this stance",
        link="A link to the text",
        decided_by="The chapter vote or meeting that decided it, e.g. GBM 2027-02-10",
    )
    @app_commands.choices(stance=STANCE_CHOICES)
    async def position_add(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 120],
        stance: str,
        body: app_commands.Range[str, 0, 1500] = "",
        link: app_commands.Range[str, 0, 400] = "",
        decided_by: app_commands.Range[str, 0, 200] = "",
    ) -> None:
        config = await chapter_of(interaction)
        position = await service.add_position(
            self.bot.db, guild_id=config.guild_id,
            draft=PositionDraft(title, Stance(stance), body, link, decided_by),
            actor_id=interaction.user.id, now=self.bot.clock(),
        )  # fmt: skip
        await interaction.response.send_message(
            "Position recorded.", embed=_render.position_embed(position), ephemeral=True
        )

    @committee_only("log SIO meetings")
    @sio.command(name="meeting", description="Log an SIO meeting and who attended")
    @app_commands.describe(
        date="The day of the meeting, e.g. 2027-03-05",
        attended="The officials who attended, by name, separated by commas (or `none`)",
        title="What the meeting was, e.g. SIO monthly",
    )
    async def meeting(
        self,
        interaction: discord.Interaction,
        date: str,
        attended: str,
        title: app_commands.Range[str, 1, 100] = "SIO meeting",
    ) -> None:
        config = await chapter_of(interaction)
        now = self.bot.clock()
        day = day_of(date, "A meeting's date", config, now)
        names = [n for n in (p.strip() for p in attended.split(",")) if n]
        if [n.lower() for n in names] == ["none"]:
            names = []
        who = [await service.resolve_official(self.bot.db, config.guild_id, n) for n in names]
        meeting = await service.log_meeting(
            self.bot.db, guild_id=config.guild_id, on=day, title=title,
            attended=[o.id for o in who], actor_id=interaction.user.id, now=now,
        )  # fmt: skip
        listed = ", ".join(o.name for o in who) or "nobody"
        await interaction.response.send_message(
            f"Logged **{meeting.title}** on {meeting.day.isoformat()}: {listed} attended.",
            ephemeral=True,
        )
