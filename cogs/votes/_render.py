"""What members see of a vote: the announcement, the ballot, lists and refusals (the result
and its chart are in `_result.py`).

Every text that goes into an embed is clipped to Discord's limits; what does not fit goes
into the attached text report, so a long result always posts.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain import discord_limits as limits
from bot.domain import votes as rules
from bot.domain.audit import AuditEntry, is_bot
from bot.domain.vote_rules import rules_text
from bot.domain.vote_types import Vote, VoteState
from bot.services.ballots import NotOnRoll
from bot.services.vote_admin import CloseOverdue, PurgeTooEarly
from bot.services.vote_create import VotePlan
from cogs._common import role_name
from cogs._text import clip, timestamp
from cogs.votes.notes import VoteNote

COLOUR = discord.Colour(0xEC1F27)


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


def close_overdue(error: CloseOverdue, interaction: discord.Interaction) -> str:
    return (
        f"Vote #{error.vote_id} stopped taking ballots at its close time "
        f"({timestamp(error.closes_at, 'f')}) but has not been counted yet: its close has not "
        f"finished, and the bot retries it on its own. It can no longer be {error.done}. Run "
        "`/vote close` to count it and post the result now."
    )


# --- announcement ------------------------------------------------------------------------------


def announcement(
    vote: Vote,
    options: Sequence[str],
    *,
    voted: int,
    marker: str | None,
    paper: int = 0,
    notes: Sequence[VoteNote] = (),
) -> discord.Embed:
    """The public announcement: what is decided, the rules, the close, the turnout, and
    the notes other features give (cogs/votes/notes.py), already in order."""
    closed = vote.state in (VoteState.CLOSED, VoteState.CANCELLED)
    embed = discord.Embed(
        title=clip(f"Endorsement vote: {vote.title}", limits.EMBED_TITLE, "…"),
        colour=COLOUR,
        description=clip(
            f"Should the chapter endorse a candidate for **{vote.title}**, and whom?\n\n"
            + rules_text(
                threshold=vote.threshold,
                quorum=vote.quorum,
                no_endorsement=vote.no_endorsement,
                options=len(options),
                method=vote.method,
                seats=vote.seats,
                several_pass=vote.several_pass,
                until_two=vote.continue_until_two,
            ),
            limits.EMBED_DESCRIPTION,
            "…",
        ),
    )
    embed.add_field(
        name="On the ballot",
        value=clip("\n".join(f"• {name}" for name in options), limits.EMBED_FIELD_VALUE, "\n…"),
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
                limits.EMBED_FIELD_VALUE,
                "…",
            ),
            inline=False,
        )
    for note in notes:
        embed.add_field(
            name=clip(note.title, limits.EMBED_FIELD_NAME, "…"),
            value=clip(note.body, limits.EMBED_FIELD_VALUE, "…"),
            inline=False,
        )
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
    return clip("\n".join(x for x in (head, body, tail) if x), limits.MESSAGE_CONTENT, "\n…")


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
    return clip("\n".join(lines), limits.MESSAGE_CONTENT, "\n…")


# --- create ------------------------------------------------------------------------------------


def preview(plan: VotePlan) -> discord.Embed:
    """The vote `/vote create` is about to make, for the committee to check."""
    request = plan.request
    embed = discord.Embed(title=f"Preview: endorsement vote on {plan.title}"[: limits.EMBED_TITLE])
    embed.description = clip(
        rules_text(
            threshold=plan.threshold,
            quorum=plan.quorum,
            no_endorsement=request.no_endorsement,
            options=len(plan.options),
            method=request.method,
            seats=request.seats,
            several_pass=request.several_pass,
            until_two=request.continue_until_two,
        ),
        limits.EMBED_DESCRIPTION,
        "…",
    )
    embed.add_field(
        name=f"Ballot ({len(plan.options)} options)",
        value=clip("\n".join(f"• {n}" for n in plan.options), limits.EMBED_FIELD_VALUE, "\n…"),
        inline=False,
    )
    if plan.new_candidates:
        embed.add_field(
            name="Added to the race",
            value=clip(", ".join(plan.new_candidates), limits.EMBED_FIELD_VALUE, "…"),
            inline=False,
        )
    embed.add_field(name="Who votes", value=roles_text(request.eligible_role_ids))
    embed.add_field(name="Opens", value=timestamp(plan.opens_at))
    embed.add_field(name="Closes", value=timestamp(plan.closes_at))
    return embed


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


LIST_ORDER = (VoteState.OPEN, VoteState.SCHEDULED, VoteState.CLOSED, VoteState.CANCELLED)
LIST_MAX = 15  # votes shown under each state


def listed(votes: Sequence[Vote]) -> dict[VoteState, list[Vote]]:
    """The votes `/vote list` shows, by state."""
    return {state: [v for v in votes if v.state == state][:LIST_MAX] for state in LIST_ORDER}


def vote_list(listed: dict[VoteState, list[Vote]], turnouts: dict[int, int]) -> str:
    """`/vote list`: each state's votes, with turnout where `turnouts` has it."""
    sections = [
        f"**{state.label}**\n" + "\n".join(vote_line(v, turnouts.get(v.id)) for v in these)
        for state, these in listed.items()
        if these
    ]
    text = "\n\n".join(sections) or "No votes yet. The committee starts one with `/vote create`."
    return clip(text, limits.MESSAGE_CONTENT, "…")


def audit_text(vote: Vote, entries: Sequence[AuditEntry]) -> str:
    """`/vote audit`: every recorded action on the vote, oldest first."""
    lines = [
        f"{timestamp(e.at, 'f')} · {actor(e.actor_id)} · `{e.action}` {e.detail}" for e in entries
    ]
    return clip(
        f"**Audit: vote #{vote.id} {vote.title}**\n" + "\n".join(lines), limits.MESSAGE_CONTENT, "…"
    )


# --- the race page (/race show) ----------------------------------------------------------------

RACE_SECTION = "Endorsement vote"
NO_VOTE_YET = "No endorsement vote on this race yet: `/vote create` opens one."
RACE_PAGE_VOTES = 3  # the latest votes shown on a race's page


def race_section(guild_id: int, votes: Sequence[Vote], turnouts: dict[int, int]) -> str:
    """The race page's lines for its latest votes, each with a link to its post."""
    lines = []
    for vote in votes[:RACE_PAGE_VOTES]:
        line = vote_line(vote, turnouts.get(vote.id))
        if vote.result_message_id is not None:
            line += f" · [result]({_jump(guild_id, vote.channel_id, vote.result_message_id)})"
        elif vote.message_id is not None:
            line += f" · [announcement]({_jump(guild_id, vote.channel_id, vote.message_id)})"
        lines.append(line)
    if len(votes) > RACE_PAGE_VOTES:
        lines.append(f"… and {len(votes) - RACE_PAGE_VOTES} earlier: `/vote list`.")
    return "\n".join(lines)


def _jump(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"
