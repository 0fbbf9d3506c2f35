"""What members see of a vote: the announcement, the ballot, the result and its chart.

Every text that goes into an embed is clipped to Discord's limits; what does not fit goes
into the attached text report, so a long result always posts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction

import discord

from bot.domain import votes as rules
from bot.domain.audit import is_bot
from bot.domain.outcome import Counted
from bot.domain.tally.report import render_text
from bot.domain.vote_types import Vote, VoteMethod, VoteState
from bot.services.vote_admin import PurgeTooEarly
from bot.services.votes import NotOnRoll
from cogs._common import role_name
from cogs._text import clip, timestamp

COLOUR = discord.Colour(0xEC1F27)
FIELD_MAX = 1024
DESCRIPTION_MAX = 4096


# What a field clipped in the result embed ends with: the attached report has it all.
SEE_REPORT = "\n… (see the attached report)"


def actor(actor_id: int) -> str:
    """Who did something in the audit trail: a member's mention, or the bot itself."""
    return "the bot" if is_bot(actor_id) else f"<@{actor_id}>"


def roles_text(role_ids: Sequence[int]) -> str:
    return ", ".join(f"<@&{r}>" for r in role_ids) or "nobody"


# --- errors carrying data, worded for the member (bot.discord_errors.word_as) ---------------


def not_on_roll(error: NotOnRoll, interaction: discord.Interaction) -> str:
    guild = interaction.guild
    roles = " or ".join(
        role_name(guild, r, "an eligible role") if guild else "an eligible role"
        for r in error.eligible_role_ids
    )
    recorded = ", so nothing was recorded" if error.submitted else ""
    return (
        f"You are not on this vote's roll{recorded}. The roll was frozen when the vote opened "
        f"({timestamp(error.roll_frozen_at)}): it lists the members who held "
        f"**{roles or 'an eligible role'}** then. Someone who gained the role later votes next "
        "time; if you held it then, ask the committee."
    )


def purge_too_early(error: PurgeTooEarly, interaction: discord.Interaction) -> str:
    return (
        f"The chapter keeps ballots {error.retention_days} days after the close "
        f"(`/setup retention`): vote #{error.vote_id}'s can be purged from "
        f"{timestamp(error.allowed_from, 'f')}."
    )


# --- announcement ------------------------------------------------------------------------------


def announcement(
    vote: Vote,
    options: Sequence[str],
    *,
    voted: int,
    marker: str | None,
    capacity_warning: str | None = None,
    paper: int = 0,
) -> discord.Embed:
    """The public announcement: what is decided, the rules, the close, the turnout."""
    closed = vote.state in (VoteState.CLOSED, VoteState.CANCELLED)
    embed = discord.Embed(
        title=clip(f"Endorsement vote: {vote.title}", 256, "…"),
        colour=COLOUR,
        description=clip(
            f"Should the chapter endorse a candidate for **{vote.title}**, and whom?\n\n"
            + rules.rules_text(
                threshold=vote.threshold,
                quorum=vote.quorum,
                no_endorsement=vote.no_endorsement,
                options=len(options),
                method=vote.method,
                seats=vote.seats,
                several_pass=vote.several_pass,
            ),
            DESCRIPTION_MAX,
            "…",
        ),
    )
    embed.add_field(
        name="On the ballot",
        value=clip("\n".join(f"• {name}" for name in options), FIELD_MAX, "\n…"),
        inline=False,
    )
    embed.add_field(
        name="Who votes",
        value=f"Members holding {roles_text(vote.eligible_role_ids)} when the vote opened "
        f"({timestamp(vote.opened_at or vote.opens_at)}).",
        inline=False,
    )
    when = "Closed" if closed else "Closes"
    embed.add_field(
        name=when,
        value=f"{timestamp(vote.closed_at or vote.closes_at)} ({timestamp(vote.closes_at, 'R')})"
        if not closed
        else timestamp(vote.closed_at or vote.closes_at),
        inline=False,
    )
    embed.add_field(
        name="Turnout",
        value=rules.turnout_line(voted, vote.roll_size or 0, vote.quorum, paper)
        + (". Results are posted below." if closed else ". Results only after the close."),
        inline=False,
    )
    if vote.state == VoteState.CANCELLED:
        embed.add_field(
            name="Cancelled",
            value=clip(
                f"By <@{vote.cancelled_by}>: {vote.cancel_reason}. Every ballot was discarded.",
                FIELD_MAX,
                "…",
            ),
            inline=False,
        )
    if capacity_warning:
        embed.add_field(name="⚠️ Capacity", value=clip(capacity_warning, FIELD_MAX, "…"))
    if marker:
        embed.set_footer(text=f"vote {vote.id} · {marker}")
    return embed


# --- ballot ------------------------------------------------------------------------------------


def ballot_text(vote: Vote, options: Sequence[str], ranking: Sequence[int]) -> str:
    """The member's ranking so far (shown only to them)."""
    if ranking:
        lines = [f"{i}. {options[c]}" for i, c in enumerate(ranking, 1)]
        head = "**Your ranking so far** (not submitted yet):"
        body = "\n".join(lines)
    else:
        head = "**Nothing ranked yet.** Submitting now records an abstention."
        body = ""
    tail = (
        f"Pick your {rules.ordinal(len(ranking) + 1)} choice below, or **Submit**. "
        f"The vote closes {timestamp(vote.closes_at, 'R')}."
        if len(ranking) < len(options)
        else "Everything is ranked: **Submit** to record it."
    )
    return clip("\n".join(x for x in (head, body, tail) if x), 2000, "\n…")


def yes_no_ballot_text(
    vote: Vote, candidates: Sequence[str], answers: Sequence[int], page: int
) -> str:
    """The member's yes/no answers so far, every page's (shown only to them)."""
    marks = {rules.YES: "✅ yes", rules.NO: "❌ no", rules.ABSTAIN: "➖ abstain"}
    pages = rules.yes_no_pages(len(candidates))
    page = min(page, pages - 1)
    first = page * rules.YES_NO_PAGE + 1
    last = min(first + rules.YES_NO_PAGE - 1, len(candidates))
    lines = [
        f"**Yes / no / abstain for each of {len(candidates)} candidates** (not submitted yet). "
        f"Threshold {rules.share_text(vote.threshold)} of yes + no.",
        *(
            f"{i}. {name}: {marks[a]}"
            for i, (name, a) in enumerate(zip(candidates, answers, strict=True), 1)
        ),
        f"Page {page + 1} of {pages}: candidates {first}–{last} below. Unanswered means "
        f"abstain. **Submit all answers** records every page at once; the vote closes "
        f"{timestamp(vote.closes_at, 'R')}.",
    ]
    return clip("\n".join(lines), 2000, "\n…")


# --- result ------------------------------------------------------------------------------------


def _count(value: Fraction | int) -> str:
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


def rounds_text(counted: Counted) -> str:
    lines = []
    for r in counted.result.rounds:
        tallies = ", ".join(
            f"{name} {_count(v)}" for name, v in sorted(r.tallies.items(), key=lambda kv: -kv[1])
        )
        line = f"**Round {r.number}:** {tallies}; exhausted {_count(r.exhausted)}"
        if r.eliminated:
            moved = ", ".join(f"{_count(v)} to {k}" for k, v in r.transfers.items())
            line += f". {', '.join(r.eliminated)} excluded" + (f" ({moved})" if moved else "")
        if r.elected:
            reached = "reaches the quota" if counted.vote.seats > 1 else "has a majority"
            line += f". **{', '.join(r.elected)}** {reached}"
        lines.append(line)
    return "\n".join(lines)


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
    lines.append(quorum)
    if counted.endorsed:
        lines.append(f"## The chapter endorses {counted.endorsed}.")
    else:
        lines.append("## The chapter makes no endorsement in this race.")
    lines.extend(_footnotes(vote))
    return "\n".join(lines)


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
            f"Yes/no, threshold {rules.share_text(vote.threshold)} of yes + no ({rule} endorsed):"
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
    lines.append(quorum)
    if counted.endorsed_all:
        lines.append(f"## The chapter endorses {', '.join(counted.endorsed_all)}.")
    else:
        lines.append("## The chapter makes no endorsement in this race.")
    lines.extend(_footnotes(vote))
    return "\n".join(lines)


def yes_no_lines(counted: Counted) -> list[str]:
    lines = []
    for name, c in counted.result.extra["yes_no"].items():
        share = (
            "no yes or no answers" if c["share"] is None else rules.share_text(Fraction(c["share"]))
        )
        mark = "passes" if c["met"] else "does not pass"
        lines.append(
            f"• **{name}**: {c['yes']} yes, {c['no']} no, {c['abstain']} abstain: {share}, {mark}"
        )
    return lines


def result_embed(counted: Counted, *, marker: str | None, chart: bool = True) -> discord.Embed:
    vote = counted.vote
    embed = discord.Embed(
        title=clip(f"Result: {vote.title}", 256, "…"),
        colour=COLOUR,
        description=clip(verdict(counted), DESCRIPTION_MAX, "…"),
    )
    if vote.method != VoteMethod.YES_NO:
        embed.add_field(
            name="Rounds", value=clip(rounds_text(counted), FIELD_MAX, SEE_REPORT), inline=False
        )
    ties = counted.result.tie_breaks
    embed.add_field(
        name="Ties",
        value=clip(
            "\n".join(
                f"Round {t.round}: {', '.join(t.tied)} tied; {t.chosen} {t.how}" for t in ties
            )
            or "No tie had to be broken.",
            FIELD_MAX,
            SEE_REPORT,
        ),
        inline=False,
    )
    embed.add_field(
        name="Recount it yourself",
        value=clip(
            f"Lot seed = SHA-256 of the attached {counted.ballot_format.upper()} file: "
            f"`{counted.seed}`\n`{recount_command(counted)}`",
            FIELD_MAX,
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
        return f"vote-{vote.id}.csv: count yes / (yes + no) per candidate"
    command = f"endorsebot tally vote-{vote.id}.blt"
    if vote.method != VoteMethod.IRV:
        command += f" --method {vote.method}"
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
        f"Method: {rules.METHOD_NAMES.get(vote.method, vote.method)}; seats: {vote.seats}",
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
    return "\n".join(head) + render_text(counted.result) + _pairwise_text(counted)


def _pairwise_text(counted: Counted) -> str:
    """The Condorcet pairwise matrix (ballots preferring the row to the column)."""
    pairwise = counted.result.extra.get("pairwise")
    if not pairwise:
        return ""
    names = list(pairwise)
    width = max(len(n) for n in names)
    lines = ["", "Pairwise: ballots preferring the row to the column"]
    lines.append(" " * width + "  " + "  ".join(f"{i + 1:>5}" for i in range(len(names))))
    for i, a in enumerate(names):
        cells = "  ".join(f"{'-' if a == b else _count(pairwise[a].get(b, 0)):>5}" for b in names)
        lines.append(f"{a.ljust(width)}  {cells}   ({i + 1})")
    return "\n".join(lines) + "\n"


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
    if vote.method == VoteMethod.YES_NO:
        head = (
            f"{len(result.winners)} of {len(result.candidates)} pass the "
            f"{rules.share_text(vote.threshold)} threshold"
        )
    elif vote.seats > 1:
        head = f"{vote.seats} seats: elected {', '.join(result.winners) or 'nobody'}"
    elif counted.winner is None:
        head = "No option received a valid ballot"
    else:
        rounds = f" in round {len(result.rounds)}" if vote.method == VoteMethod.IRV else ""
        head = f"{counted.winner} wins{rounds}"
    endorsed = ", ".join(counted.endorsed_all) or counted.endorsed
    tail = f"the chapter endorses {endorsed}." if endorsed else "no endorsement."
    return f"{head}; {tail}" + ("" if counted.quorum_met else " Quorum not met.")


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


# --- lists -------------------------------------------------------------------------------------


def vote_line(vote: Vote, voted: int | None = None) -> str:
    if vote.state == VoteState.SCHEDULED:
        when = f"opens {timestamp(vote.opens_at, 'f')}, closes {timestamp(vote.closes_at, 'f')}"
    elif vote.state == VoteState.OPEN:
        when = f"closes {timestamp(vote.closes_at, 'R')}"
    elif vote.state == VoteState.CANCELLED:
        when = f"cancelled {timestamp(vote.cancelled_at or vote.closes_at, 'f')}"
    else:
        when = f"closed {timestamp(vote.closed_at or vote.closes_at, 'f')}"
        if vote.purged_at is not None:
            when += "; ballots purged, result kept"
    line = f"**#{vote.id}** {vote.title}: {when}"
    if voted is not None and vote.state in (VoteState.OPEN, VoteState.CLOSED):
        line += f"; {rules.turnout_line(voted, vote.roll_size or 0, vote.quorum)}"
    return line
