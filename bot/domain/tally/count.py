"""The one call the vote feature makes when a vote closes: count it, check the threshold."""

from __future__ import annotations

import dataclasses
import hashlib
from fractions import Fraction
from typing import Literal

from bot.domain.tally.ballots import CHAPTER_RULES, BallotRules
from bot.domain.tally.endorsement import check_endorsement, parse_threshold
from bot.domain.tally.io.blt import write_blt
from bot.domain.tally.methods import CountOptions, get_method
from bot.domain.tally.profile import Profile, TallyResult
from bot.domain.tally.round_rules import CHAPTER_ROUNDS, RoundRules
from bot.domain.tally.stv import endorse_elected


def blt_seed(profile: Profile) -> str:
    """The lot seed of a closed vote: the SHA-256 (hex) of its frozen BLT export."""
    return hashlib.sha256(write_blt(profile).encode()).hexdigest()


def count_vote(
    profile: Profile,
    method: str = "irv",
    seats: int | None = None,
    no_endorsement: str | None = None,
    threshold: Fraction | str | None = None,
    seed: str | None = None,
    *,
    tie_break: Literal["lot", "order"] = "lot",
    rules: BallotRules = CHAPTER_RULES,
    rounds: RoundRules = CHAPTER_ROUNDS,
) -> TallyResult:
    """Count `profile` with the registered `method` and check the endorsement threshold.

    `seed` None seeds any lot with `blt_seed(profile)`. The threshold is checked only when
    both `no_endorsement` and `threshold` are given: for a single winner in
    `result.endorsement`, for several seats per elected candidate (`stv.endorse_elected`).
    """
    if seed is None and tie_break == "lot":
        seed = blt_seed(profile)
    options = CountOptions(seats=seats, tie_break=tie_break, seed=seed, rules=rules, rounds=rounds)
    result = get_method(method)(profile, options)
    if (no_endorsement is None) != (threshold is None):
        raise ValueError("the endorsement threshold needs both 'No endorsement' and a threshold")
    if no_endorsement is None or threshold is None:
        return result
    if isinstance(threshold, str):
        threshold = parse_threshold(threshold)
    if result.seats != 1:
        return endorse_elected(profile, result, no_endorsement, threshold, rules)
    winner = result.winners[0] if result.winners else None
    endorsement = check_endorsement(profile, winner, no_endorsement, threshold, rules)
    return dataclasses.replace(result, endorsement=endorsement)
