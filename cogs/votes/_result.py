"""A closed vote's result as members see it: the embed, its chart, the attached report and
ballot file, and how to recount it.

Every text that goes into an embed is clipped to Discord's limits; what does not fit goes
into the attached text report, so a long result always posts.
"""

from __future__ import annotations

import io
from fractions import Fraction

import discord

from bot.domain import discord_limits as limits
from bot.domain import votes as rules
from bot.domain.outcome import Counted
from bot.domain.tally.profile import Round
from bot.domain.tally.report import EXHAUSTED, render_text
from bot.domain.tally.words import drawn_ties, tie_words
from bot.domain.tally.yesno import verdict_lines
from bot.domain.vote_types import Vote, VoteMethod
from bot.fonts import isolate
from cogs._text import clip
from cogs.votes._render import COLOUR, SEE_REPORT

# --- result ------------------------------------------------------------------------------------


def _count(value: Fraction | int) -> str:
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


def rounds_text(counted: Counted) -> str:
    """The count as short lines a phone shows whole ("Round 2: Di Evans out, 2 votes to Cy
    Diaz"); the full table is in the attached report."""
    result = counted.result
    if not result.rounds:
        return "No rounds: no option received a valid ballot."
    first = sorted(result.rounds[0].tallies.items(), key=lambda kv: -kv[1])
    shown = ", ".join(f"{name} {_count(v)}" for name, v in first[:5])
    lines = [f"First choices: {shown}" + (f" and {len(first) - 5} more" if len(first) > 5 else "")]
    if "pairwise" in result.extra:
        lines.append(
            "Decided head to head, not in rounds: the chart shows every pair, the attached "
            "report the pairwise counts."
        )
        return "\n".join(lines)
    for r in result.rounds:
        # A lot is said where it happened; a tie an earlier round broke is in the Ties field.
        lots = {t.chosen: t for t in drawn_ties(result) if t.round == r.number}
        parts = [_elected_words(counted, r, name) for name in r.elected]
        parts += [tie_words(result, lots[n]) if n in lots else f"{n} out" for n in r.eliminated]
        if r.transfers:
            moved = _moved_words(r.transfers)
            if not r.eliminated:
                parts.append(f"surplus: {moved}")
            elif len(f"Round {r.number}: {'; '.join(parts)}, {moved}") <= LINE_MAX or not lots:
                parts.append(f"{parts.pop()}, {moved}")
            else:  # a long tie line: the transfers go on a line of their own
                parts.append(f"{parts.pop()}\n→ {moved}")
        if parts:
            lines.append(f"Round {r.number}: " + "; ".join(parts))
    return "\n".join(lines)


LINE_MAX = 90
"""A round's line that a phone shows whole."""


def _elected_words(counted: Counted, r: Round, name: str) -> str:
    votes = _count(r.tallies.get(name, 0))
    if counted.vote.seats > 1:
        return f"**{name}** elected with {votes} (quota {_count(r.threshold or 0)})"
    return f"**{name}** wins with {votes} of {_count(sum(r.tallies.values()))} votes"


def _moved_words(transfers: dict[str, Fraction]) -> str:
    """ "2 votes to Cy Diaz, 1 to Ada Ruiz, 1 with no choice left" (largest first)."""
    words = []
    for i, (name, amount) in enumerate(sorted(transfers.items(), key=lambda kv: -kv[1])):
        unit = (" vote" if amount == 1 else " votes") if i == 0 else ""
        where = "with no choice left" if name == EXHAUSTED else f"to {name}"
        words.append(f"{_count(amount)}{unit} {where}")
    return ", ".join(words)


def turnout_words(counted: Counted) -> str:
    """ "9 ballots", or with paper "9 ballots (7 online + 2 paper)"."""
    words = f"{counted.ballots_cast} ballots"
    if counted.paper:
        words += f" ({counted.ballots_cast - counted.paper} online + {counted.paper} paper)"
    return words


def verdict(counted: Counted) -> str:
    vote = counted.vote
    quorum = (
        f"Quorum: {turnout_words(counted)} of {vote.roll_size or 0} on the roll; "
        f"{counted.quorum_needed} needed: **{'met' if counted.quorum_met else 'not met'}**."
    )
    if vote.method == VoteMethod.YES_NO or vote.seats > 1:
        return _verdict_several(counted, quorum)
    winner = counted.winner
    lines = []
    if winner is None:
        lines.append("No option received a valid ballot.")
    else:
        method = rules.METHOD_NAMES[vote.method]
        lines.append(f"{method} winner: **{winner}**.")
    if counted.result.endorsement is not None:
        e = counted.result.endorsement
        if winner is not None and winner != e.no_endorsement:
            lines.append(
                f"Threshold {rules.share_text(vote.threshold)}: {e.above} of {e.considered} "
                f"ballots rank {winner} above {e.no_endorsement}: "
                f"**{'met' if e.met else 'not met'}**."
            )
    lines.extend(lot_lines(counted))
    lines.append(quorum)
    if counted.endorsed:
        lines.append(f"## The chapter endorses {counted.endorsed}.")
    else:
        lines.append("## The chapter makes no endorsement in this race.")
    lines.extend(_footnotes(vote))
    return "\n".join(lines)


def lot_lines(counted: Counted) -> list[str]:
    """The verdict's word on ties drawn by lot: a result decided by lot must not read as a
    clear win. Ties an earlier round broke are in the Ties field only."""
    drawn = drawn_ties(counted.result)
    lines = [
        f"**Round {t.round} was decided by lot**: {tie_words(counted.result, t)}."
        for t in drawn[:LOTS_SHOWN]
    ]
    if len(drawn) > LOTS_SHOWN:
        lines.append(f"…and {len(drawn) - LOTS_SHOWN} more ties drawn by lot (see Ties).")
    return lines


LOTS_SHOWN = 3
"""Lots named in the verdict; the rest are in the Ties field and the report, so a large field
of candidates with no votes cannot push the verdict's last lines out of the embed."""


def _footnotes(vote: Vote) -> list[str]:
    lines = []
    if vote.closed_late:
        lines.append(
            "_This vote closed late: its close could not run at the close time (the bot was "
            "down, or the close failed and was run again). No ballot was accepted after the "
            "close time._"
        )
    if vote.closed_by:
        lines.append(f"_Closed early by <@{vote.closed_by}>._")
    return lines


def _verdict_several(counted: Counted, quorum: str) -> str:
    """Yes/no per candidate, or several seats: who passed or was elected, who is endorsed."""
    vote = counted.vote
    result = counted.result
    lines = []
    if vote.method == VoteMethod.YES_NO:
        rule = "all who pass" if vote.several_pass == "all" else "only the highest shares"
        lines.append(
            f"Yes/no, threshold {rules.threshold_text(vote.threshold)} of yes + no "
            f"({rule} endorsed):"
        )
        lines.extend(yes_no_lines(counted))
    else:
        elected = ", ".join(result.winners) or "nobody"
        lines.append(f"{rules.METHOD_NAMES[vote.method]}, {vote.seats} seats: elected {elected}.")
        for v in result.extra.get("endorsements", ()):
            lines.append(f"• {v['candidate']}: {v['reason']}")
        unendorsed = vote.seats - len(counted.endorsed_all)
        if unendorsed:
            lines.append(f"{unendorsed} seat{'s' if unendorsed != 1 else ''} left unendorsed.")
        lines.extend(lot_lines(counted))
    lines.append(quorum)
    if counted.endorsed_all:
        lines.append(f"## The chapter endorses {', '.join(counted.endorsed_all)}.")
    else:
        lines.append("## The chapter makes no endorsement in this race.")
    lines.extend(_footnotes(vote))
    return "\n".join(lines)


def yes_no_lines(counted: Counted) -> list[str]:
    """One line a candidate, in the words `endorsebot tally --method yes-no` prints."""
    return [f"• **{name}**: {words}" for name, words in verdict_lines(counted.result)]


def result_embed(counted: Counted, *, marker: str | None, chart: bool = True) -> discord.Embed:
    vote = counted.vote
    embed = discord.Embed(
        title=clip(f"Result: {vote.title}", limits.EMBED_TITLE, "…"),
        colour=COLOUR,
        description=clip(verdict(counted), limits.EMBED_DESCRIPTION, "…"),
    )
    if vote.method != VoteMethod.YES_NO:
        embed.add_field(
            name="Rounds",
            value=clip(rounds_text(counted), limits.EMBED_FIELD_VALUE, SEE_REPORT),
            inline=False,
        )
    ties = counted.result.tie_breaks
    embed.add_field(
        name="Ties",
        value=clip(
            "\n".join(f"Round {t.round}: {tie_words(counted.result, t)}." for t in ties)
            or "No tie had to be broken.",
            limits.EMBED_FIELD_VALUE,
            SEE_REPORT,
        ),
        inline=False,
    )
    embed.add_field(
        name="Recount it yourself",
        value=clip(
            f"Lot seed = SHA-256 of the attached {counted.ballot_format.upper()} file: "
            f"`{counted.seed}`\n`{recount_command(counted)}`",
            limits.EMBED_FIELD_VALUE,
            "…",
        ),
        inline=False,
    )
    if marker:
        embed.set_footer(text=f"vote {vote.id} · {marker}")
    if chart:
        embed.set_image(url=f"attachment://vote-{vote.id}-rounds.png")
    return embed


def recount_command(counted: Counted) -> str:
    """The command line that recounts the attached BLT to the same rounds."""
    vote = counted.vote
    if vote.method == VoteMethod.YES_NO:
        command = (
            f"endorsebot tally vote-{vote.id}.csv --method yes-no --threshold "
            f"{vote.threshold.numerator}/{vote.threshold.denominator}"
        )
        if vote.several_pass == "highest":
            command += f" --seats {vote.seats} --several-pass highest"
        return command
    command = f"endorsebot tally vote-{vote.id}.blt"
    if vote.method != VoteMethod.IRV:
        command += f" --method {vote.method}"
    if vote.continue_until_two:
        command += " --continue-until-two"
    if vote.no_endorsement:
        no_endorsement = next(
            (o for o in counted.options if o.casefold() == rules.NO_ENDORSEMENT.casefold()),
            rules.NO_ENDORSEMENT,
        )
        command += (
            f' --no-endorsement "{no_endorsement}" --threshold '
            f"{vote.threshold.numerator}/{vote.threshold.denominator}"
        )
    return command


def report_text(counted: Counted) -> str:
    """The full result as a text file: verdict, the round table, rules, seed."""
    vote = counted.vote
    head = [
        f"Endorsement vote {vote.id}: {vote.title}",
        f"Opened {vote.opened_at.isoformat() if vote.opened_at else '-'}; "
        f"closed {vote.closed_at.isoformat() if vote.closed_at else '-'}"
        + (" (late)" if vote.closed_late else ""),
        f"Roll: {vote.roll_size}; ballots: {turnout_words(counted)}; quorum needed "
        f"{counted.quorum_needed} ({'met' if counted.quorum_met else 'not met'})",
        f"Threshold: {rules.share_text(vote.threshold)}",
        f"Endorsed: {', '.join(counted.endorsed_all) or 'nobody (no endorsement)'}",
        f"{counted.ballot_format.upper()} SHA-256 (lot seed): {counted.seed}",
        f"Recount: {recount_command(counted)}",
        "",
    ]
    if vote.method == VoteMethod.YES_NO:
        head.extend(line.replace("**", "") for line in yes_no_lines(counted))
        head.append("")
    return "\n".join(head) + render_text(counted.result)


def chart_png(counted: Counted) -> bytes:
    """The result chart for the method counted (bot.charts; no pyplot, so thread-safe)."""
    from bot.charts import votes as charts  # matplotlib loads at the first close, not at start

    vote = counted.vote
    return charts.result_png(
        counted.result,
        title=vote.title,
        verdict=chart_verdict(counted),
        threshold=vote.threshold if vote.no_endorsement else None,
    )


def chart_verdict(counted: Counted) -> str:
    """The chart's one-line verdict: who won, and whom the chapter endorses."""
    vote, result = counted.vote, counted.result
    # Names isolated: an Arabic name must not pull the English around it into its direction.
    if vote.method == VoteMethod.YES_NO:
        head = (
            f"{len(result.winners)} of {len(result.candidates)} pass the "
            f"{rules.share_text(vote.threshold)} threshold"
        )
    elif vote.seats > 1:
        head = f"{vote.seats} seats: elected {_names(result.winners) or 'nobody'}"
    elif counted.winner is None:
        head = "No option received a valid ballot"
    else:
        won = next((r.number for r in result.rounds if counted.winner in r.elected), None)
        rounds = f" in round {won}" if vote.method == VoteMethod.IRV and won else ""
        head = f"{isolate(counted.winner)} wins{rounds}"
    endorsed = _names(counted.endorsed_all) or (counted.endorsed and isolate(counted.endorsed))
    tail = f"the chapter endorses {endorsed}." if endorsed else "no endorsement."
    drawn = sorted({t.round for t in drawn_ties(result)})
    lot = ""
    if drawn:
        some = len(drawn) > 1
        lot = (
            f" {'Ties' if some else 'A tie'} in round{'s' if some else ''} "
            f"{', '.join(map(str, drawn))} {'were' if some else 'was'} drawn by lot."
        )
    return f"{head}; {tail}{lot}" + ("" if counted.quorum_met else " Quorum not met.")


def _names(names) -> str:
    return ", ".join(isolate(name) for name in names)


def result_files(counted: Counted, chart: bytes | None) -> list[discord.File]:
    vote_id = counted.vote.id
    files = [
        discord.File(io.BytesIO(report_text(counted).encode()), filename=f"vote-{vote_id}.txt"),
        discord.File(
            io.BytesIO(counted.blt.encode()), filename=f"vote-{vote_id}.{counted.ballot_format}"
        ),
    ]
    if chart is not None:
        files.insert(0, discord.File(io.BytesIO(chart), filename=f"vote-{vote_id}-rounds.png"))
    return files
