"""`/capacity chapter|race|show|export` and `/canvass log`.

The committee sets the chapter's canvass figures and each race's; anyone sees the ledger and
logs shifts. Warnings where decisions are made (the vote announcement, the committee
channel) and the weekly pace job live in `_warnings.py`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import discord_limits as limits
from bot.domain.capacity import (
    ChapterCapacity,
    DoorModel,
    WinRule,
    estimate,
    parse_rate,
    parse_turnouts,
)
from bot.domain.races import Race, local_today, parse_election_date
from bot.errors import InvalidInput, UserError
from bot.services import capacity as service
from bot.services import races as race_service
from cogs._common import chapter_of, committee_only, require_committee, require_member
from cogs._text import clip
from cogs.capacity import _render
from cogs.capacity._warnings import CapacityWarnings
from cogs.races.options import RaceOption
from cogs.races.sections import RaceSection, RaceViewer

if TYPE_CHECKING:
    from bot.client import EndorseBot


def _rate(text: str | None) -> float | None:
    if text is None:
        return None
    return parse_rate(text)


class CapacityCog(CapacityWarnings, commands.Cog, name="Capacity"):
    help_section = "Capacity and canvassing"

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    capacity = app_commands.Group(
        name="capacity", description="Doors the chapter can knock vs doors its races need",
        guild_only=True,
    )  # fmt: skip
    canvass = app_commands.Group(
        name="canvass", description="Log the doors you knocked", guild_only=True
    )

    @committee_only("set the chapter's capacity")
    @capacity.command(
        name="chapter",
        description="Set what the chapter's canvass can do",
    )
    @app_commands.describe(
        signups="Canvasser sign-ups a week",
        shifts="Shifts per canvasser a week, e.g. 1.5",
        show_rate="Share of sign-ups who show up (default 50%)",
        doors_per_shift="Doors knocked in a shift (default 27)",
    )
    async def chapter_command(
        self,
        interaction: discord.Interaction,
        signups: int,
        shifts: float,
        show_rate: str | None = None,
        doors_per_shift: int | None = None,
    ) -> None:
        config = await chapter_of(interaction)
        given = ChapterCapacity(signups_per_week=signups, shifts_per_week=shifts)
        if show_rate is not None:
            given = dataclasses.replace(given, show_rate=_rate(show_rate))
        if doors_per_shift is not None:
            given = dataclasses.replace(given, doors_per_shift=doors_per_shift)
        saved = await service.set_chapter(
            self.bot.db, self.bot.scheduler, guild_id=config.guild_id,
            actor_id=interaction.user.id, capacity=given, tz=config.timezone,
            now=self.bot.clock(),
        )  # fmt: skip
        await interaction.response.send_message(
            f"Capacity set: {_render.chapter_line(saved)}.", ephemeral=True
        )

    @committee_only("set a race's capacity figures")
    @capacity.command(
        name="race",
        description="Set a race's turnout and door model",
    )
    @app_commands.describe(
        race="The race",
        turnout="Expected votes cast",
        past_turnouts="Or up to three past turnouts of comparable elections, e.g. 21000 19500",
        win_rule="Two-way, crowded primary or ranked-choice",
        winning_share="Crowded primary: the expected winning share, e.g. 35%",
        base_votes="Votes the candidate can count on already",
        model="Which door model the ledger uses",
        doors_per_vote="Empirical model: doors per vote received (default 3.0)",
        contact_rate="Funnel: share of doors answered (default 25%)",
        support_rate="Funnel: share of answered doors who back the candidate",
        passes="Funnel: passes through the universe (default 1)",
        renewable="A mass campaign whose capacity is renewable: listed apart, not counted",
        likely_win="Very likely to win without the needed doors (a safe incumbent): not counted",
        margin="Expected margin in points (+5, -3): orders races of equal priority",
        reset_rates="Back to the defaults: doors per vote, contact rate, passes; no support rate",
    )
    async def race_command(
        self,
        interaction: discord.Interaction,
        race: RaceOption,
        turnout: int | None = None,
        past_turnouts: str | None = None,
        win_rule: Literal["two_way", "crowded", "ranked"] | None = None,
        winning_share: str | None = None,
        base_votes: int | None = None,
        model: Literal["empirical", "funnel"] | None = None,
        doors_per_vote: float | None = None,
        contact_rate: str | None = None,
        support_rate: str | None = None,
        passes: int | None = None,
        renewable: bool | None = None,
        likely_win: bool | None = None,
        margin: float | None = None,
        reset_rates: bool = False,
    ) -> None:
        config = await chapter_of(interaction)
        chosen = race
        changes: dict[str, Any] = {
            "win_rule": WinRule(win_rule) if win_rule else None,
            "winning_share": _rate(winning_share),
            "base_votes": base_votes,
            "model": DoorModel(model) if model else None,
            "doors_per_vote": doors_per_vote,
            "contact_rate": _rate(contact_rate),
            "support_rate": _rate(support_rate),
            "passes": passes,
            "renewable": renewable,
            "likely_win": likely_win,
            "margin": margin,
        }
        given = {k: v for k, v in changes.items() if v is not None}
        if turnout is not None:  # one way of giving turnout replaces the other
            given |= {"turnout": turnout, "past_turnouts": ()}
        if past_turnouts is not None:
            given |= {"turnout": None, "past_turnouts": parse_turnouts(past_turnouts)}
        found = await service.change_race(
            self.bot.db, guild_id=config.guild_id, race=chosen, actor_id=interaction.user.id,
            given=given, reset_rates=reset_rates, tz=config.timezone, now=self.bot.clock(),
        )  # fmt: skip
        lines = _render.estimate_lines(found)
        view = await service.view(
            self.bot.db, config.guild_id, tz=config.timezone, now=self.bot.clock(),
            considering=(chosen.id,),
        )  # fmt: skip
        if view is None:
            lines.append("Set the chapter's capacity (`/capacity chapter`) to see if it fits.")
        elif chosen.id in view.races:
            lines.append(_render.fit_line(view, chosen.id))
        text = "\n".join(lines)
        await interaction.response.send_message(
            clip(f"Figures saved for **{chosen.label}**.\n{text}", limits.MESSAGE_CONTENT),
            ephemeral=True,
        )

    @capacity.command(name="show", description="The ledger: doors the chapter can knock vs needed")
    @app_commands.describe(
        exploring="Also count the races still being explored, not only those put to a vote"
    )
    async def show_command(self, interaction: discord.Interaction, exploring: bool = False) -> None:
        config = await require_member(interaction, "see the capacity ledger")
        considering = (
            await service.under_consideration(self.bot.db, config.guild_id) if exploring else None
        )
        view = await service.view(
            self.bot.db, config.guild_id, tz=config.timezone, now=self.bot.clock(),
            considering=considering,
        )  # fmt: skip
        if view is None:
            raise UserError(
                "The chapter has not set its capacity yet: the committee runs `/capacity chapter`."
            )
        embed = _render.ledger_embed(view)
        if not view.ledger.lines:  # nothing to draw: the embed says so
            await interaction.response.send_message(embed=embed)
            return
        await interaction.response.defer(thinking=True)
        png = await asyncio.to_thread(_render.ledger_chart, view)
        embed.set_image(url="attachment://capacity.png")
        await interaction.followup.send(
            embed=embed, file=discord.File(_bytes(png), filename="capacity.png")
        )

    @committee_only("export the capacity ledger")
    @capacity.command(
        name="export",
        description="The ledger and the canvass log as CSV",
    )
    async def export_command(self, interaction: discord.Interaction) -> None:
        config = await chapter_of(interaction)
        view = await service.view(
            self.bot.db, config.guild_id, tz=config.timezone, now=self.bot.clock()
        )
        shifts = await service.canvass_log(self.bot.db, config.guild_id)
        races = await race_service.list_races(self.bot.db, config.guild_id, include_archived=True)
        files = [
            discord.File(
                _bytes(_render.canvass_csv(shifts, {r.id: r.label for r in races})),
                filename="canvass-log.csv",
            )
        ]
        if view is not None:
            files.insert(0, discord.File(_bytes(_render.ledger_csv(view)), "capacity-ledger.csv"))
        await interaction.response.send_message(
            f"{len(shifts)} logged shifts" + ("" if view else "; no capacity set yet, no ledger"),
            files=files,
            ephemeral=True,
        )

    @canvass.command(name="log", description="Log the doors you knocked in a shift")
    @app_commands.describe(
        doors="Doors knocked",
        race="The race the shift was for (optional)",
        date="The day of the shift, e.g. 2026-03-07 (default: today)",
        canvassers="Committee: log a whole shift of this many canvassers",
    )
    async def log_command(
        self,
        interaction: discord.Interaction,
        doors: int,
        race: RaceOption | None = None,
        date: str | None = None,
        canvassers: int = 1,
    ) -> None:
        if canvassers != 1:
            config = await require_committee(interaction, "log a whole shift")
        else:
            config = await require_member(interaction, "log canvass shifts")
        if canvassers < 1:
            raise InvalidInput("Canvassers must be at least 1.")
        now = self.bot.clock()
        chosen = race
        day = _day(date, config.timezone, now) if date else local_today(now, config.timezone)
        await service.log_shift(
            self.bot.db, guild_id=config.guild_id, member_id=interaction.user.id, doors=doors,
            race=chosen, day=day, canvassers=canvassers, tz=config.timezone, now=now,
        )  # fmt: skip
        where = f" for **{chosen.label}**" if chosen else ""
        await interaction.response.send_message(
            f"Logged {doors:,} doors{where} on {day.isoformat()}. Thank you!", ephemeral=True
        )

    # --- the race page ---------------------------------------------------------------------

    async def race_sections(self, race: Race, viewer: RaceViewer) -> list[RaceSection]:
        figures = await service.race_figures(self.bot.db, race.guild_id, race.id)
        if figures is None:
            body = "No figures yet: the committee sets them with `/capacity race`."
            return [RaceSection("Capacity", body, order=20, committee_only=True)]
        view = await service.view(
            self.bot.db, race.guild_id, tz=viewer.timezone, now=viewer.now,
            considering=(race.id,),
        )  # fmt: skip
        if view is None or race.id not in view.races:
            body = "\n".join(_render.estimate_lines(estimate(figures)))
            return [RaceSection("Capacity", body, order=20)]
        item = view.races[race.id]
        lines = _render.estimate_lines(item.estimate)
        lines.append(_render.race_line(item, view.ledger.line_for(race.id)))
        return [RaceSection("Capacity", "\n".join(lines), order=20)]


def _bytes(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def _day(text: str, tz: str, now: datetime) -> date:
    day = parse_election_date(text, tz=tz, now=now, what="A shift's date", example="2026-03-07")
    if day is None:
        raise InvalidInput("Give the shift's day, e.g. `2026-03-07`, or leave `date` out.")
    return day
