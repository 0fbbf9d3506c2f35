"""The chapter's endorsement threshold, checked head to head against "No endorsement".

The winner is endorsed only if it is not "No endorsement" and, among the ballots that rank
either of the two, at least the threshold's share rank the winner above "No endorsement" (a
ranked candidate is above an unranked one). Ballots are read under the count's ballot rules.
The arithmetic is exact: 20 of 30 meets two-thirds.
"""

from __future__ import annotations

import re
from fractions import Fraction

from bot.domain.tally.ballots import CHAPTER_RULES, BallotRules, grouped_rankings
from bot.domain.tally.profile import Endorsement, Profile

_NUMBER = r"\d+(?:\.\d*)?|\.\d+"
_THRESHOLD = re.compile(
    rf"\s*(?:(?P<num>\d+)\s*/\s*(?P<den>\d+)|(?P<dec>{_NUMBER})\s*(?P<pct>%)?)\s*"
)


def parse_threshold(text: str) -> Fraction:
    """An exact share from "2/3", "0.6" or "60%"; ValueError unless it lies in (0, 1]."""
    match = _THRESHOLD.fullmatch(text)
    if match is None:
        raise ValueError(f"threshold {text!r} is not a fraction, decimal or percentage")
    if match["num"] is not None:
        if int(match["den"]) == 0:
            raise ValueError(f"threshold {text!r} divides by zero")
        value = Fraction(int(match["num"]), int(match["den"]))
    else:
        value = Fraction(match["dec"])  # Fraction reads decimals exactly: "0.6" is 3/5
        if match["pct"]:
            value /= 100
    if not 0 < value <= 1:
        raise ValueError(f"threshold {text!r} must be above 0 and at most 1 (100%)")
    return value


def check_endorsement(
    profile: Profile,
    winner: str | None,
    no_endorsement: str,
    threshold: Fraction,
    rules: BallotRules = CHAPTER_RULES,
) -> Endorsement:
    """Whether `winner` clears `threshold` head to head against `no_endorsement`."""
    shown = winner if winner is not None else "(no winner)"
    if no_endorsement not in profile.candidates:
        raise KeyError(f"{no_endorsement!r} is not a candidate on this ballot")
    if winner is None or winner == no_endorsement:
        reason = f"not met: {no_endorsement} won" if winner else "not met: no winner"
        return Endorsement(shown, no_endorsement, threshold, 0, 0, False, reason)
    candidate, against = profile.index(winner), profile.index(no_endorsement)
    above = considered = 0
    for ranking, weight in grouped_rankings(profile, rules).items():
        for c in ranking:
            if c == candidate or c == against:
                considered += weight
                above += weight if c == candidate else 0
                break
    met = considered > 0 and Fraction(above, considered) >= threshold
    share = f"{above} of {considered}" if considered else "no ballot ranks either"
    reason = (
        f"{'met' if met else 'not met'}: {share} ballots rank {winner} above "
        f"{no_endorsement}; needed {_share(threshold)}"
    )
    return Endorsement(winner, no_endorsement, threshold, above, considered, met, reason)


def _share(value: Fraction) -> str:
    percent = float(value * 100)
    return f"{value.numerator}/{value.denominator} ({percent:.4g}%)"
