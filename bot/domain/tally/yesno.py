"""Yes / no / abstain, one question per candidate.

Each candidate's share is yes / (yes + no); the candidate is endorsed when the share reaches
the threshold (exactly: 20 yes and 10 no meets two-thirds). Abstentions are counted and shown
apart and never enter the share. A candidate with no yes or no vote is not endorsed.
"""

from __future__ import annotations

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
