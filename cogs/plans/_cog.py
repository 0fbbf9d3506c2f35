"""`/plan create|show|export` and `/plan milestone add|move|rename|done|remove`, the race
page's plan section (order 40), and the reminder jobs (cogs/plans/_reminders.py)."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import discord_limits as limits
from bot.domain import plans as rules
from bot.domain.chapters import ChapterConfig
from bot.domain.plan_calendar import plan_ics
from bot.domain.plans import Milestone, MilestoneField, MilestoneStatus
from bot.domain.races import Race, local_today, parse_election_date
from bot.errors import InvalidInput, UserError
from bot.services import plan_milestones
from bot.services import plans as service
from bot.services.plans import PlanView
from cogs._common import chapter_of, committee_only, may_autocomplete, require_member
from cogs.plans import _render
from cogs.plans._reminders import PlanReminders
from cogs.races.options import RaceOption, typed_race
from cogs.races.sections import RaceSection, RaceViewer

if TYPE_CHECKING:
    from bot.charts.plan import GanttRow
    from bot.client import EndorseBot

log = logging.getLogger("endorsebot.plans")
T = TypeVar("T")
CHART_FILE = "plan.png"


def _day(text: str, config: ChapterConfig, now: datetime) -> date:
    day = parse_election_date(
        text, tz=config.timezone, now=now, what="A milestone date", example="2027-08-27"
    )
    if day is None:
        raise InvalidInput("Give a date, e.g. `2027-08-27` or `in 30d`.")
    return day


def _parsed(parse: Callable[[str], T], text: str | None) -> T | None:
    if text is None:
        return None
    return parse(text)


def chart_rows(view: PlanView, today: date) -> list[GanttRow]:
    from bot.charts.plan import GanttRow  # matplotlib loads at the first chart, not at start

    rows = []
    for m in view.milestones:
        if m.on is None:
            continue
        status = m.status(today).value
        rows.append(GanttRow(m.name, m.on, m.until, status))
    return rows


def chart_verdict(view: PlanView, today: date) -> str:
    statuses = [m.status(today) for m in view.milestones]
    done = statuses.count(MilestoneStatus.DONE)
    parts = [f"{done} of {len(statuses)} milestones done"]
    if overdue := statuses.count(MilestoneStatus.OVERDUE):
        parts.append(f"{overdue} overdue")
    if undated := statuses.count(MilestoneStatus.UNDATED):
        parts.append(f"{undated} still to date")
    return ", ".join(parts)


class PlansCog(commands.Cog, name="Plans"):
    help_section = "Race plans"

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot
        self.reminders = PlanReminders(bot)

    async def cog_load(self) -> None:
        self.reminders.register()

    async def cog_unload(self) -> None:
        self.reminders.unregister()

    # --- the race page ------------------------------------------------------------------------

    async def race_sections(self, race: Race, viewer: RaceViewer) -> list[RaceSection]:
        view = await service.find_view(self.bot.db, race.guild_id, race.id)
        if view is None:
            hint = "No plan yet: `/plan create` builds one back from election day."
            return [RaceSection("Race plan", hint, order=40, committee_only=True)]
        today = local_today(viewer.now, viewer.timezone)
        body = _render.section_body(view, today=today, tz=viewer.timezone)
        return [RaceSection("Race plan", body, order=40)]

    # --- commands -------------------------------------------------------------------------------

    group = app_commands.Group(
        name="plan", description="A race's plan back from election day", guild_only=True
    )
    milestone = app_commands.Group(
        name="milestone",
        description="Change a plan's milestones",
        parent=group,
    )

    @committee_only("make race plans")
    @group.command(
        name="create",
        description="Build a race's plan back from its election",
    )
    @app_commands.describe(
        race="The race to plan",
        reminder_days="Days before each milestone to remind, e.g. 30, 7, 1 (the default)",
        reminder_time="Chapter time the reminders post at, e.g. 10:00 (the default)",
    )
    async def create_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        reminder_days: str | None = None,
        reminder_time: str | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        days = _parsed(rules.parse_reminder_days, reminder_days)
        at = _parsed(rules.parse_reminder_time, reminder_time)
        now = self.bot.clock()
        view = await service.create(
            self.bot.db,
            self.bot.scheduler,
            guild_id=config.guild_id,
            race_id=race.id,
            actor_id=interaction.user.id,
            tz=config.timezone,
            now=now,
            reminder_days=days,
            reminder_time=at,
        )
        await self._send_plan(interaction, view, config, now, note="The plan is made.")

    @committee_only("change race plans")
    @group.command(
        name="reminders",
        description="Change when a plan reminds: days before, chapter time",
    )
    @app_commands.describe(
        race="The race",
        days="Days before each milestone, e.g. 30, 7, 1",
        time="Chapter time, e.g. 10:00",
    )
    async def reminders_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        days: str | None = None,
        time: str | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        view = await service.set_reminders(
            self.bot.db,
            self.bot.scheduler,
            guild_id=config.guild_id,
            race_id=race.id,
            actor_id=interaction.user.id,
            days=_parsed(rules.parse_reminder_days, days),
            at=_parsed(rules.parse_reminder_time, time),
            tz=config.timezone,
            now=self.bot.clock(),
        )
        every = _render.days_before(view.plan.reminder_days)
        await interaction.response.send_message(
            f"The plan for **{race.label}** now reminds {every} each milestone "
            f"at {view.plan.reminder_time:%H:%M} chapter time; its reminders are rescheduled.",
            ephemeral=True,
        )

    @group.command(name="show", description="A race's plan: milestones, status and chart")
    @app_commands.describe(race="The race")
    async def show_command(self, interaction: discord.Interaction, race: RaceOption) -> None:
        config = await require_member(interaction, "see race plans")
        view = await service.view(self.bot.db, config.guild_id, race.id)
        await self._send_plan(interaction, view, config, self.bot.clock())

    @group.command(name="export", description="A race's plan as a calendar file (.ics)")
    @app_commands.describe(race="The race")
    async def export_command(self, interaction: discord.Interaction, race: RaceOption) -> None:
        config = await require_member(interaction, "export race plans")
        view = await service.view(self.bot.db, config.guild_id, race.id)
        data = plan_ics(view.plan, view.milestones, race_label=race.label, now=self.bot.clock())
        await interaction.response.send_message(
            f"The plan for **{race.label}** as a calendar: import it in your calendar app. "
            "Importing a newer export updates the same events.",
            file=discord.File(io.BytesIO(data), filename=f"plan-{view.plan.id}.ics"),
            ephemeral=True,
        )

    async def _send_plan(
        self,
        interaction: discord.Interaction,
        view: PlanView,
        config: ChapterConfig,
        now: datetime,
        *,
        note: str | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        today = local_today(now, config.timezone)
        rows = chart_rows(view, today)
        from bot.charts.plan import plan_png

        files = []
        if rows:
            try:
                png = await asyncio.to_thread(
                    plan_png,
                    rows,
                    title=f"Race plan: {view.race.label}",
                    verdict=chart_verdict(view, today),
                    today=today,
                    election=view.plan.election,
                )
                files.append(discord.File(io.BytesIO(png), filename=CHART_FILE))
            except Exception as error:  # the plan shows without its chart rather than not at all
                log.warning("plan chart %s failed: %s", view.plan.id, type(error).__name__)
        embed = _render.plan_embed(
            view, today=today, tz=config.timezone, chart=CHART_FILE if files else None
        )
        await interaction.edit_original_response(content=note, embed=embed, attachments=files)

    # --- milestones -----------------------------------------------------------------------------

    async def _target(
        self, interaction: discord.Interaction, race: Race, milestone: str
    ) -> tuple[ChapterConfig, PlanView, Milestone]:
        config = await chapter_of(interaction)
        view = await service.view(self.bot.db, config.guild_id, race.id)
        return config, view, service.resolve_milestone(view, milestone)

    @committee_only("change race plans")
    @milestone.command(name="add", description="Add a milestone of the chapter's own")
    @app_commands.describe(
        race="The race",
        name="What must happen, e.g. Labor council endorsement",
        on="Its day, e.g. 2027-05-01",
        until="For a window: its last day",
    )
    async def add_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        name: str,
        on: str,
        until: str | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        now = self.bot.clock()
        added = await service.add_milestone(
            self.bot.db,
            self.bot.scheduler,
            guild_id=config.guild_id,
            race_id=race.id,
            actor_id=interaction.user.id,
            name=name,
            on=_day(on, config, now),
            until=_day(until, config, now) if until else None,
            tz=config.timezone,
            now=now,
        )
        await self._done(interaction, f"Added **{added.name}**", added, config)

    @committee_only("change race plans")
    @milestone.command(name="move", description="Give a milestone a new date; reminders follow")
    @app_commands.describe(
        race="The race", milestone="The milestone", on="Its new day", until="A window's last day"
    )
    async def move_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        milestone: str,
        on: str,
        until: str | None = None,
    ) -> None:
        config, view, chosen = await self._target(interaction, race, milestone)
        now = self.bot.clock()
        moved = await plan_milestones.move_milestone(
            self.bot.db,
            self.bot.scheduler,
            guild_id=config.guild_id,
            race_id=view.race.id,
            actor_id=interaction.user.id,
            milestone=chosen,
            on=_day(on, config, now),
            until=_day(until, config, now) if until else None,
            tz=config.timezone,
            now=now,
        )
        note = _render.meanwhile(chosen, moved, MilestoneField.DATES, tz=config.timezone)
        await self._done(interaction, f"Moved **{moved.name}**", moved, config, note)

    @committee_only("change race plans")
    @milestone.command(name="rename", description="Rename a milestone")
    @app_commands.describe(race="The race", milestone="The milestone", name="Its new name")
    async def rename_command(
        self, interaction: discord.Interaction, race: RaceOption, milestone: str, name: str
    ) -> None:
        config, view, chosen = await self._target(interaction, race, milestone)
        renamed = await plan_milestones.rename_milestone(
            self.bot.db,
            guild_id=config.guild_id,
            race_id=view.race.id,
            actor_id=interaction.user.id,
            milestone=chosen,
            name=name,
            now=self.bot.clock(),
        )
        note = _render.meanwhile(chosen, renamed, MilestoneField.NAME, tz=config.timezone)
        await self._done(interaction, f"Renamed to **{renamed.name}**", renamed, config, note)

    @committee_only("change race plans")
    @milestone.command(name="done", description="Record a milestone achieved; no more reminders")
    @app_commands.describe(
        race="The race", milestone="The milestone", on="The day it was achieved (default today)"
    )
    async def done_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        milestone: str,
        on: str | None = None,
    ) -> None:
        config, view, chosen = await self._target(interaction, race, milestone)
        now = self.bot.clock()
        done = await plan_milestones.mark_done(
            self.bot.db,
            self.bot.scheduler,
            guild_id=config.guild_id,
            race_id=view.race.id,
            actor_id=interaction.user.id,
            milestone=chosen,
            done_on=_day(on, config, now) if on else local_today(now, config.timezone),
            tz=config.timezone,
            now=now,
        )
        note = _render.meanwhile(chosen, done, MilestoneField.DONE, tz=config.timezone)
        await self._done(interaction, f"Marked **{done.name}** done", done, config, note)

    @committee_only("change race plans")
    @milestone.command(name="remove", description="Remove a milestone and its reminders")
    @app_commands.describe(race="The race", milestone="The milestone")
    async def remove_command(
        self, interaction: discord.Interaction, race: RaceOption, milestone: str
    ) -> None:
        config, view, chosen = await self._target(interaction, race, milestone)
        removed = await plan_milestones.remove_milestone(
            self.bot.db,
            self.bot.scheduler,
            guild_id=config.guild_id,
            race_id=view.race.id,
            actor_id=interaction.user.id,
            milestone=chosen,
            now=self.bot.clock(),
        )
        await interaction.response.send_message(
            f"Removed **{removed.name}** and its reminders from the plan for {view.race.label}."
            + (
                f" (It was called “{chosen.name}” when you picked it.)"
                if removed.name != chosen.name
                else ""
            ),
            ephemeral=True,
        )

    async def _done(
        self,
        interaction: discord.Interaction,
        what: str,
        m: Milestone,
        config: ChapterConfig,
        note: str | None = None,
    ) -> None:
        today = local_today(self.bot.clock(), config.timezone)
        line = _render.milestone_line(m, today=today, tz=config.timezone)
        extra = f"\n{note}" if note else ""
        await interaction.response.send_message(f"{what}.\n{line}{extra}", ephemeral=True)

    # --- autocomplete ---------------------------------------------------------------------------

    @move_command.autocomplete("milestone")
    @rename_command.autocomplete("milestone")
    @done_command.autocomplete("milestone")
    @remove_command.autocomplete("milestone")
    async def _milestone_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        race = await typed_race(interaction)
        if race is None or not await may_autocomplete(interaction):
            return []
        try:
            view = await service.view(self.bot.db, race.guild_id, race.id)
        except UserError:  # the race has no plan yet
            return []
        typed = current.casefold()
        found = [m for m in view.milestones if typed in m.name.casefold()][: limits.CHOICES]
        return [
            app_commands.Choice(
                name=_render.clip(f"{m.name} ({m.on or 'no date'})", limits.CHOICE_NAME),
                value=str(m.id),
            )
            for m in found
        ]
