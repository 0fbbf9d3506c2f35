"""The officials feature's embeds, the Monday notice and the CSV export. No I/O.

Members see what the chapter has published: the official, their votes on the chapter's
positions and SIO attendance. The committee's notes on votes show only in the committee's
own (ephemeral) replies and the committee channel's notice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import discord

from bot.domain.officials import Cast, OfficeRecord, OfficeVote, Official, Position
from cogs._text import clip

COLOUR = discord.Colour(0xC2185B)
FIELD_MAX = 1024
LINES_MAX = 12  # votes listed in the embed; the export has them all
_MARK = {Cast.WITH: "✅", Cast.AGAINST: "❌", Cast.ABSTAINED: "➖", Cast.ABSENT: "⬜"}


def term(official: Official) -> str:
    end = official.term_end.isoformat() if official.term_end else "open"
    return f"{official.term_start.isoformat()} to {end}"


def vote_line(vote: OfficeVote, *, committee: bool) -> str:
    line = (
        f"{_MARK[vote.cast]} {vote.day.isoformat()} · “{clip(vote.position.title, 80)}” "
        f"({vote.position.stance.value}): {vote.cast.label.lower()}"
    )
    if committee and vote.note:
        line += f"\n  ↳ note: {clip(vote.note, 150)}"
    return line


def record_embed(record: OfficeRecord, *, committee: bool) -> discord.Embed:
    """`/official show`: the record. `committee` adds the committee's notes."""
    official = record.official
    embed = discord.Embed(
        title=clip(f"{official.name}: {official.office}", 256),
        description=clip(f"Term {term(official)}.\n{record.summary()}.", 4096),
        colour=COLOUR,
    )
    if record.broke_on:
        broke = "\n".join(
            f"❌ “{clip(v.position.title, 80)}” on {v.day.isoformat()}" for v in record.broke_on
        )
        embed.add_field(
            name="Broke with the chapter on", value=clip(broke, FIELD_MAX), inline=False
        )
    lines = [vote_line(v, committee=committee) for v in record.votes[-LINES_MAX:]]
    if len(record.votes) > LINES_MAX:
        lines.insert(0, f"… {len(record.votes) - LINES_MAX} earlier (see `/official export`)")
    embed.add_field(
        name="Votes on the chapter's positions",
        value=clip("\n".join(lines) or "No votes recorded yet.", FIELD_MAX),
        inline=False,
    )
    if record.meetings:
        attended = [m for m in record.meetings if official.id in m.attended]
        embed.add_field(
            name="SIO meetings",
            value=f"Attended {len(attended)} of {len(record.meetings)} held in the term.",
            inline=False,
        )
    if committee:
        embed.set_footer(text="Committee view: notes are not shown to members.")
    return embed


def position_embed(position: Position) -> discord.Embed:
    embed = discord.Embed(
        title=clip(position.title, 256), description=clip(position.body, 4096) or None,
        colour=COLOUR,
    )  # fmt: skip
    embed.add_field(name="Stance", value=position.stance.label)
    if position.decided_by:
        embed.add_field(name="Decided by", value=clip(position.decided_by, FIELD_MAX))
    if position.link:
        embed.add_field(name="Link", value=clip(position.link, FIELD_MAX), inline=False)
    return embed


def notice_embed(
    votes: Sequence[OfficeVote], officials: dict[int, Official], marker: str
) -> discord.Embed:
    """The Monday notice to the committee: each new vote against the chapter's position."""
    lines = []
    for vote in votes:
        who = officials.get(vote.official_id)
        name = who.label if who else f"official #{vote.official_id}"
        title = clip(vote.position.title, 80)
        line = (
            f"❌ **{clip(name, 100)}** voted against the chapter on “{title}”"
            f" ({vote.day.isoformat()}; the chapter's stance: {vote.position.stance.value})"
        )
        if vote.note:
            line += f"\n  ↳ note: {clip(vote.note, 200)}"
        lines.append(line)
    embed = discord.Embed(
        title="Votes against the chapter's positions this week",
        description=clip(
            "\n".join(lines)
            + "\n\nThe SIO committee can talk with them before members hear it elsewhere.",
            4096,
        ),
        colour=COLOUR,
    )
    embed.set_footer(text=marker)
    return embed


def _cell(value: object) -> str:
    # A spreadsheet runs a cell that starts like a formula; a name or title must stay text.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


CSV_HEADER = [
    "official", "office", "term_start", "term_end", "sio_status", "position", "stance",
    "vote", "date", "note", "sio_meetings_attended", "sio_meetings_held",
]  # fmt: skip


def records_csv(records: Sequence[OfficeRecord]) -> bytes:
    """One row per vote (an official with none gets one row without a vote), UTF-8 with a
    byte-order mark so a spreadsheet opens non-Latin names right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for record in records:
        o = record.official
        head = [_cell(o.name), _cell(o.office), o.term_start.isoformat(),
                o.term_end.isoformat() if o.term_end else "", o.sio_status.value]  # fmt: skip
        tail = [record.attended, len(record.meetings)]
        for vote in record.votes or (None,):
            if vote is None:
                writer.writerow([*head, "", "", "", "", "", *tail])
                continue
            writer.writerow(
                [*head, _cell(vote.position.title), vote.position.stance.value, vote.cast.value,
                 vote.day.isoformat(), _cell(vote.note), *tail]
            )  # fmt: skip
    return out.getvalue().encode("utf-8-sig")
