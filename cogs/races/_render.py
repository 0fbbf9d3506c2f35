"""Embeds for races: the race's home page and the chapter's list. No I/O."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import discord

from bot.domain import discord_limits as limits
from bot.domain.races import Candidate, Race, election_day_end, election_day_noon
from cogs._text import clip, timestamp
from cogs.races.sections import SECTION_BODY_MAX, SECTION_TITLE_MAX, RaceSection

COLOUR = discord.Colour.red()
# Discord counts every title, description, field and footer toward 6000 per embed.
EMBED_TOTAL_MAX = 6000


def when(day: date, tz: str) -> str:
    """`November 7, 2028 (in 2 years)` in each member's own client."""
    return (
        f"{timestamp(election_day_noon(day, tz), 'D')} "
        f"({timestamp(election_day_end(day, tz), 'R')})"
    )


def lines_within(lines: Sequence[str], limit: int) -> str:
    """As many whole lines as fit in `limit`, then a count of the rest."""
    reserve = 24  # room for "…and 999 more"
    kept: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if used + len(line) <= limit - (0 if last else reserve) or not kept:
            kept.append(clip(line, limit - reserve))
            used += len(kept[-1]) + 1
            continue
        kept.append(f"…and {len(lines) - i} more")
        break
    return clip("\n".join(kept), limit)


def candidate_line(candidate: Candidate) -> str:
    marks = [candidate.status.label]
    if candidate.incumbent:
        marks.append("incumbent")
    if candidate.previously_endorsed:
        marks.append("previously endorsed")
    who = f"**{candidate.name}**"
    if candidate.member_id:
        who += f" (<@{candidate.member_id}>)"
    else:
        who += " (not in the server)"
    return f"{who} — {', '.join(marks)}"


def race_page(
    race: Race,
    candidates: Sequence[Candidate],
    sections: Sequence[RaceSection],
    *,
    tz: str,
    committee: bool,
) -> discord.Embed:
    """The race's home page. Committee notes only when `committee`."""
    facts = [
        f"**{race.office_kind.label}** office"
        + (" (symbolic)" if race.office_kind.symbolic else ""),
        f"Ballot: {race.ballot_line.label}",
        f"Seats: {race.seats}",
        f"Status: **{race.status.label}**",
    ]
    if race.jurisdiction:
        facts.insert(1, f"Jurisdiction: {race.jurisdiction}")
    title = race.office + (" (archived)" if race.archived else "")
    embed = discord.Embed(
        title=clip(title, limits.EMBED_TITLE), description=" · ".join(facts), colour=COLOUR
    )

    dates = []
    if race.primary_date:
        decisive = " — **decides the race**" if race.decided_in_primary else ""
        dates.append(f"Primary: {when(race.primary_date, tz)}{decisive}")
    if race.general_date:
        dates.append(f"General: {when(race.general_date, tz)}")
    embed.add_field(name="Election dates", value="\n".join(dates), inline=False)

    lines = [candidate_line(c) for c in candidates] or ["No candidates yet."]
    embed.add_field(
        name=f"Candidates ({len(candidates)})",
        value=lines_within(lines, limits.EMBED_FIELD_VALUE),
        inline=False,
    )
    if committee and race.notes:
        embed.add_field(
            name="Committee notes (committee only)",
            value=clip(race.notes, limits.EMBED_FIELD_VALUE),
            inline=False,
        )
    for section in sections:
        if len(embed.fields) >= limits.EMBED_FIELDS:
            break
        name = clip(section.title, SECTION_TITLE_MAX)
        value = clip(section.body, SECTION_BODY_MAX) or "—"
        if len(embed) + len(name) + len(value) > EMBED_TOTAL_MAX:
            break
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=f"Race #{race.id}")
    return embed


def race_list(races: Sequence[Race], *, tz: str, archived_too: bool) -> discord.Embed:
    """The chapter's races, soonest first. Never notes: members read this too."""
    title = "The chapter's races" + (" (archived included)" if archived_too else "")
    embed = discord.Embed(title=title, colour=COLOUR)
    if not races:
        embed.description = "No races yet. The committee adds them with `/race add`."
        return embed
    lines = []
    for race in races:
        archived = " · archived" if race.archived else ""
        lines.append(
            f"**{race.label}** — {race.status.label}{archived} · "
            f"{timestamp(election_day_noon(race.decisive_date, tz), 'D')}"
        )
    embed.description = lines_within(lines, limits.EMBED_DESCRIPTION)
    embed.set_footer(text="See one with /race show")
    return embed


def candidate_list(race: Race, candidates: Sequence[Candidate]) -> discord.Embed:
    lines = [candidate_line(c) for c in candidates] or ["No candidates yet: `/candidate add`."]
    return discord.Embed(
        title=clip(f"Candidates: {race.label}", limits.EMBED_TITLE),
        description=lines_within(lines, limits.EMBED_DESCRIPTION),
        colour=COLOUR,
    )
