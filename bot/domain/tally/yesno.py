"""Yes / no / abstain, one question per candidate.

Each candidate's share is yes / (yes + no); the candidate is endorsed when the share reaches
the threshold (exactly: 20 yes and 10 no meets two-thirds). Abstentions are counted and shown
apart and never enter the share. A candidate with no yes or no vote is not endorsed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from bot.domain.tally.profile import Round, TallyResult

Answer = Literal["yes", "no", "abstain"]

RULES_TEXT = (
    "Yes/no: each candidate's share is yes / (yes + no), endorsed when it reaches the "
    "threshold; abstentions are counted apart and do not enter the share."
)


@dataclass(frozen=True, slots=True)
class YesNoCount:
    """One candidate's answers and whether the share meets the threshold."""

    candidate: str
    yes: int
    no: int
    abstain: int
    share: Fraction | None  # None when nobody answered yes or no
    met: bool


def count_yes_no(
    candidates: Sequence[str],
    ballots: Iterable[Mapping[str, Answer]],
    threshold: Fraction,
) -> TallyResult:
    """Count yes/no/abstain ballots (candidate name -> answer; a missing name abstains)."""
    totals = {name: {"yes": 0, "no": 0, "abstain": 0} for name in candidates}
    voters = 0
    for ballot in ballots:
        voters += 1
        for name, answer in ballot.items():
            if name not in totals:
                raise KeyError(f"{name!r} is not a candidate in this vote")
            if answer not in ("yes", "no", "abstain"):
                raise ValueError(f"answer must be yes, no or abstain, got {answer!r}")
        for name in candidates:
            totals[name][ballot.get(name, "abstain")] += 1
    counts = []
    for name in candidates:
        yes, no, abstain = totals[name]["yes"], totals[name]["no"], totals[name]["abstain"]
        share = Fraction(yes, yes + no) if yes + no else None
        counts.append(
            YesNoCount(name, yes, no, abstain, share, share is not None and share >= threshold)
        )
    only_round = Round(
        number=1,
        tallies={c.candidate: Fraction(c.yes) for c in counts},
        exhausted=Fraction(0),
        threshold=threshold,
        elected=tuple(c.candidate for c in counts if c.met),
    )
    return TallyResult(
        method="yes-no",
        seats=len(candidates),
        candidates=tuple(candidates),
        winners=only_round.elected,
        rounds=(only_round,),
        valid_ballots=voters,
        rules=RULES_TEXT,
        extra={
            "yes_no": {
                c.candidate: {
                    "yes": c.yes,
                    "no": c.no,
                    "abstain": c.abstain,
                    "share": None if c.share is None else str(c.share),
                    "met": c.met,
                }
                for c in counts
            },
            "threshold": str(threshold),
        },
    )


def share_words(value: Fraction) -> str:
    """A share as members read it: thirds, sixths, sevenths and ninths as a fraction ("2/3"),
    anything else as a percentage ("60%")."""
    if value.denominator in (3, 6, 7, 9):
        return f"{value.numerator}/{value.denominator}"
    return f"{float(value * 100):.4g}%"


def percent_words(value: Fraction) -> str:
    """A measured share, always a percent to one decimal at most: "70%", "66.7%"."""
    return f"{float(value * 100):.1f}".removesuffix(".0") + "%"


def verdict_lines(result: TallyResult) -> list[tuple[str, str]]:
    """Each candidate's verdict as (name, words), the words the result post and `endorsebot
    tally --method yes-no` both print: "7 yes, 3 no, 0 abstain: 70%, passes"."""
    lines = []
    for name, c in result.extra["yes_no"].items():
        share = (
            "no yes or no answers" if c["share"] is None else percent_words(Fraction(c["share"]))
        )
        mark = "passes" if c["met"] else "does not pass"
        lines.append(
            (name, f"{c['yes']} yes, {c['no']} no, {c['abstain']} abstain: {share}, {mark}")
        )
    return lines


def endorsed_of(
    result: TallyResult, *, seats: int, several_pass: str, seed: str
) -> tuple[str, ...]:
    """Who is endorsed, in ballot order: every candidate who passes, or with `several_pass`
    "highest" and more passing than `seats`, only the best `seats` shares (ties by yes count,
    then a lot seeded by `seed`, the SHA-256 of the ballot file)."""
    passed = list(result.winners)
    if several_pass == "highest" and len(passed) > seats:
        shares = result.extra["yes_no"]

        def rank_key(name: str) -> tuple:
            lot = hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()
            return (-Fraction(shares[name]["share"]), -shares[name]["yes"], lot)

        passed = sorted(passed, key=rank_key)[:seats]
    return tuple(n for n in result.candidates if n in passed)
