"""`/questionnaire status [race]` and `/questionnaire export race`: the committee follows a
cycle and takes the answers into its own spreadsheet. Both join the `/questionnaire` group
when the questionnaire cog loads (as `/candidate assess` joins `/candidate`), so the
commands file stays one job.

Status fits Discord's 2,000-character message; a longer one (many candidates) is attached
whole as a Markdown file, with a count in the message. The export is a CSV in UTF-8 with a
BOM (a spreadsheet then reads non-Latin text right), every answer whole and quoted by
Python's `csv` module (commas, quotes, newlines survive). Unpublished answers are the
committee's: every reply is ephemeral.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot.domain import discord_limits as limits
from bot.domain.questionnaire_cycle import REACH_LABEL, Progress, export_table
from bot.domain.races import Candidate, Race
from bot.errors import NotFound
from bot.services import questionnaire_cycle as cycle
from bot.services import races as race_service
from cogs._common import chapter_of, cog_of, committee_only
from cogs._text import timestamp
from cogs.questionnaires._flow import QuestionnaireCog
from cogs.races.options import RaceOption

if TYPE_CHECKING:
    from bot.client import EndorseBot

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: spreadsheets then read it as UTF-8

Rows = Sequence[tuple[Candidate, Progress | None]]


def progress_line(name: str, p: Progress | None, when: Callable[[datetime], str]) -> str:
    """One candidate: how reached, sent, opened, pages, submitted, published, overdue."""
    if p is None:
        return f"**{name}**: not sent"
    parts = [REACH_LABEL[p.reached_via], f"sent {when(p.sent_at)}"]
    parts.append(f"opened {when(p.opened_at)}" if p.opened_at else "not opened yet")
    parts.append(f"{p.pages_answered} of {p.pages} pages answered")
    if p.submitted_at:
        parts.append(f"submitted {when(p.submitted_at)}")
    if p.published_at:
        parts.append(f"published {when(p.published_at)}")
    if p.overdue and p.deadline:
        parts.append(f"⚠️ **overdue** (due {when(p.deadline)})")
    elif p.deadline and not p.submitted_at:
        parts.append(f"due {when(p.deadline)}")
    return f"**{name}**: " + " · ".join(parts)


def status_text(races: Sequence[tuple[Race, Rows]], when: Callable[[datetime], str]) -> str:
    blocks = []
    for race, rows in races:
        lines = [f"__{race.label}__"] + [progress_line(c.name, p, when) for c, p in rows]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def counts(races: Sequence[tuple[Race, Rows]]) -> str:
    every = [p for _, rows in races for _, p in rows]
    sent = [p for p in every if p is not None]
    return (
        f"{len(every)} candidates: {len(sent)} sent, "
        f"{sum(p.opened_at is not None for p in sent)} opened, "
        f"{sum(p.submitted_at is not None for p in sent)} submitted, "
        f"{sum(p.published_at is not None for p in sent)} published, "
        f"{sum(p.overdue for p in sent)} overdue."
    )


def csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(CSV_ENCODING)


@app_commands.describe(race="The race (leave empty: every race with a questionnaire sent)")
async def status(interaction: discord.Interaction, race: RaceOption | None = None) -> None:
    flow = cog_of(interaction, "Questionnaires", QuestionnaireCog)
    db, now = flow.bot.db, flow.bot.clock()
    config = await chapter_of(interaction)
    races = [race] if race else await race_service.list_races(db, interaction.guild_id or 0)
    found: list[tuple[Race, Rows]] = []
    for each in races:
        rows = await cycle.status(db, each, now=now)
        if race is not None or any(p is not None for _, p in rows):
            found.append((each, rows))
    if not found:
        raise NotFound("No questionnaire was sent yet: `/questionnaire send`.")
    text = status_text(found, lambda dt: timestamp(dt, "f"))
    if len(text) <= limits.MESSAGE_CONTENT:
        await interaction.response.send_message(text, ephemeral=True)
        return
    # Too long for one message: the whole list as a file, times in the chapter's zone.
    zone = ZoneInfo(config.timezone)
    whole = status_text(found, lambda dt: dt.astimezone(zone).strftime("%Y-%m-%d %H:%M"))
    await interaction.response.send_message(
        f"{counts(found)} The whole list is attached (times in {config.timezone}).",
        file=discord.File(io.BytesIO(whole.encode()), filename="questionnaire-status.md"),
        ephemeral=True,
    )


@app_commands.describe(race="The race")
async def export(interaction: discord.Interaction, race: RaceOption) -> None:
    flow = cog_of(interaction, "Questionnaires", QuestionnaireCog)
    entries = await cycle.export(flow.bot.db, race, now=flow.bot.clock())
    if not any(filled for _, filled, _ in entries):
        raise NotFound(f"No questionnaire was sent for **{race.label}** yet.")
    rows = export_table([(c.name, filled, report) for c, filled, report in entries])
    await interaction.response.send_message(
        f"**{race.label}**: {len(entries)} candidate(s), one row each, one column per "
        "question and the criteria report's verdicts. Unpublished answers are the "
        "committee's: keep the file among yourselves.",
        file=discord.File(io.BytesIO(csv_bytes(rows)), filename=f"questionnaires-{race.id}.csv"),
        ephemeral=True,
    )


def attach(bot: EndorseBot) -> list[app_commands.Command]:
    """Add `status` and `export` to the `/questionnaire` group, if it is loaded."""
    group = bot.tree.get_command("questionnaire")
    if not isinstance(group, app_commands.Group):
        return []
    made = []
    for name, callback, description, action in (
        ("status", status, "Who was sent, opened, answered, submitted; who is overdue",
         "see questionnaire status"),
        ("export", export, "Every candidate's answers and criteria as a CSV",
         "export questionnaires"),
    ):  # fmt: skip
        command = app_commands.Command(name=name, description=description, callback=callback)
        committee_only(action)(command)
        group.add_command(command, override=True)
        made.append(command)
    return made
