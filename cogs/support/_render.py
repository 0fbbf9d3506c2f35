"""How the invisible primary reads: the progress line, the boxed-out list and the committee's
full list with contact notes (`/support list` only; never the race page or a reminder)."""

from __future__ import annotations

import discord

from bot.domain import discord_limits as limits
from bot.domain.races import Race
from bot.domain.support import Supporter, SupportKind, SupportProgress
from bot.services.support import RaceSupport
from cogs._text import clip

NAME_SHOWN = 60  # a long name is cut in lists so every line fits


def supporter_line(supporter: Supporter, *, notes: bool) -> str:
    line = f"**{clip(supporter.name, NAME_SHOWN)}** · {supporter.status.label}"
    if notes and supporter.notes:
        line += f"\n  ↳ {clip(supporter.notes, 200)}"
    return line


def boxed_out_line(found: SupportProgress) -> str | None:
    """Those committed to another candidate, named: the race being boxed out."""
    if not found.boxed_out:
        return None
    names = ", ".join(f"{clip(s.name, NAME_SHOWN)} ({s.kind.label})" for s in found.boxed_out)
    return f"Committed to another candidate: {names}"


def progress_lines(found: SupportProgress) -> list[str]:
    lines = [f"{k.line}" for k in found.kinds]
    boxed = boxed_out_line(found)
    if boxed:
        lines.append(f"⚠️ {boxed}")
    return lines


def reminder_line(found: SupportProgress) -> str | None:
    """The plan reminder's line: the progress and who is boxing the race out."""
    if found.empty:
        return None
    line = f"Invisible primary: {found.headline}" if found.kinds else "Invisible primary"
    boxed = boxed_out_line(found)
    return f"{line}. {boxed}" if boxed else line


def list_embed(race: Race, support: RaceSupport) -> discord.Embed:
    embed = discord.Embed(title=clip(f"Invisible primary — {race.label}", limits.EMBED_TITLE))
    lines = progress_lines(support.progress)
    embed.description = clip(
        "\n".join(lines) or "No targets or supporters yet.", limits.EMBED_DESCRIPTION
    )
    for kind in SupportKind:
        of_kind = [s for s in support.supporters if s.kind is kind]
        if not of_kind:
            continue
        body = "\n".join(supporter_line(s, notes=True) for s in of_kind)
        embed.add_field(
            name=kind.plural.capitalize(), value=clip(body, limits.EMBED_FIELD_VALUE), inline=False
        )
    embed.set_footer(text="Contact notes are the committee's: this list is shown only to you.")
    return embed


def committee_section(support: RaceSupport) -> str:
    """The race page's committee-only part: who is still to ask or asked (no notes)."""
    parts = []
    for label, status_values in (("Still to ask", ("to_ask",)), ("Asked", ("asked",))):
        names = [clip(s.name, NAME_SHOWN) for s in support.supporters
                 if s.status.value in status_values]  # fmt: skip
        if names:
            parts.append(f"{label}: {', '.join(names)}")
    return "\n".join(parts) or "Everyone on the list has answered."
