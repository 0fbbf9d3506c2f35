"""A vote's method and rules in plain words: what the announcement and the preview say."""

from __future__ import annotations

from fractions import Fraction

from bot.domain.vote_types import VoteMethod
from bot.domain.votes import NO_ENDORSEMENT, share_text


def rules_text(
    *,
    threshold: Fraction,
    quorum: Fraction,
    no_endorsement: bool,
    options: int,
    method: VoteMethod = VoteMethod.IRV,
    seats: int = 1,
    several_pass: str = "all",
    until_two: bool = False,
) -> str:
    """The method and rules in plain words, for the announcement."""
    if method != VoteMethod.IRV:
        return _other_rules_text(threshold, quorum, no_endorsement, method, seats, several_pass)
    parts = [
        "**Instant-runoff.** Rank as many options as you like, first choice first. Each round "
        "the option with the fewest votes is dropped and its ballots go to their next choice, "
        "until one option has more than half of the ballots still in play."
    ]
    if until_two:
        parts.append(
            "**Counted until two remain.** After an option has a majority the count goes on "
            "until two options are left, so you see the final head-to-head; the winner is the "
            "option that first had a majority."
        )
    if no_endorsement:
        parts.append(
            f"**Threshold {share_text(threshold)}.** The winner is endorsed only if at least "
            f"{share_text(threshold)} of the ballots that rank it or *{NO_ENDORSEMENT}* rank it "
            f"above *{NO_ENDORSEMENT}*; otherwise the chapter makes no endorsement."
        )
    if quorum > 0:
        parts.append(
            f"**Quorum {share_text(quorum)} of the roll.** A ballot that ranks nobody is an "
            "abstention and counts toward quorum."
        )
    parts.append(
        "Your ballot is secret and you can change it until the close; only the last one counts."
    )
    return "\n".join(parts)


def _other_rules_text(
    threshold: Fraction,
    quorum: Fraction,
    no_endorsement: bool,
    method: str,
    seats: int,
    several_pass: str,
) -> str:
    share = share_text(threshold)
    if method == VoteMethod.YES_NO:
        parts = [
            "**Yes/no per candidate.** Answer yes, no or abstain for each candidate. A "
            f"candidate is endorsed when at least {share} of the yes + no answers are yes; "
            "abstentions do not count in the share."
        ]
        if several_pass == "highest":
            parts.append(
                f"If more candidates pass than the {seats} seat{'s' if seats > 1 else ''}, "
                "only the highest yes shares are endorsed."
            )
        else:
            parts.append("Every candidate who passes is endorsed (dual endorsement is allowed).")
    elif method in (VoteMethod.STV, VoteMethod.MEEK):
        seat_words = f"{seats} seats" if seats > 1 else "one seat"
        if method == VoteMethod.STV:
            parts = [
                f"**Single transferable vote, {seat_words}.** Rank as many options as you like. "
                "A candidate reaching the quota is elected and their surplus moves on; the "
                "lowest is excluded and their ballots move on, until every seat is filled."
            ]
        else:
            parts = [
                f"**Meek STV, {seat_words}.** Rank as many options as you like. A candidate "
                "reaching the quota is elected and keeps only the part of each ballot they "
                "need; the rest of every ballot moves on to its next choice, even to someone "
                "already elected. The lowest is excluded and their ballots move on, until "
                "every seat is filled."
            ]
        if no_endorsement:
            parts.append(
                f"*{NO_ENDORSEMENT}* elected leaves a seat unendorsed; each elected candidate "
                f"needs {share} of the ballots ranking them or *{NO_ENDORSEMENT}* to rank them "
                "higher."
            )
    else:
        parts = [
            "**Condorcet (Schulze).** Rank as many options as you like. The winner beats every "
            "other option head to head, or is strongest through chains of head-to-head wins."
            if method == VoteMethod.SCHULZE
            else "**Condorcet (ranked pairs).** Rank as many options as you like. Head-to-head "
            "wins are locked in from the largest down, skipping any that would contradict "
            "those already locked; the winner is the option no locked win beats."
        ]
        if no_endorsement:
            parts.append(
                f"**Threshold {share}** of the ballots ranking the winner or "
                f"*{NO_ENDORSEMENT}* must rank the winner higher."
            )
    if quorum > 0:
        parts.append(f"**Quorum {share_text(quorum)} of the roll.** Abstentions count toward it.")
    parts.append("Your ballot is secret and you can change it until the close.")
    return "\n".join(parts)
