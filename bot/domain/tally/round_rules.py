"""How a count's rounds are structured: the chapter's rules, or RCTab's named options.

The chapter's instant-runoff stops at the round a candidate has a majority, and a tie for
last place is broken by excluding one candidate (the other wins in the next round). RCTab
(the certified tabulator many US cities use) offers, and its published results show:

* **continue until two remain** (`continueUntilTwoCandidatesRemain`): after the winner has a
  majority the count goes on excluding the lowest until two candidates are left, so members
  see the final head-to-head; the threshold stays the one the winner reached, and the winner
  does not change;
* **batch elimination** (`batchElimination`): every candidate in the longest run of lowest
  candidates whose votes together are fewer than the next candidate's is excluded at once;
* **a tie for last place resolved within the round**: when the last two candidates are
  level, the tie-break elects one of them in that round instead of excluding the other and
  adding a round;
* **multi-winner fractional-transfer STV** (RCTab's weighted inclusive Gregory method, see
  `rctab_stv.py`): a threshold fixed from round 1, every candidate at or over it elected in
  the same round (or one a round), surpluses moving in the next round at values truncated to
  `decimals` places, and one last round showing the final surplus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RoundsName = Literal["chapter", "rctab"]
Quota = Literal["droop", "droop-fractional", "hare"]


@dataclass(frozen=True, slots=True)
class RoundRules:
    """The round structure of a count; `CHAPTER_ROUNDS` unless a named option is chosen."""

    name: RoundsName = "chapter"
    continue_until_two: bool = False
    batch_elimination: bool = False
    tie_within_round: bool = False
    quota: Quota = "droop"
    one_winner_per_round: bool = False
    decimals: int = 4

    def describe(self) -> str:
        """The options chosen, in one line to print with a result ("" for the chapter's)."""
        said = []
        if self.name == "rctab":
            said.append(
                "RCTab's round structure (a tie between the last two resolved within "
                "the round; STV: fractional transfers truncated to "
                f"{self.decimals} decimals, {self.quota} threshold from round 1, "
                f"{'one winner' if self.one_winner_per_round else 'every winner'} "
                "a round, a final surplus round)"
            )
        if self.continue_until_two:
            said.append(
                "the count continues until two candidates remain (the winner is the "
                "one who first had a majority)"
            )
        if self.batch_elimination:
            said.append("batch elimination of candidates who together trail the next one")
        return ("Rounds: " + "; ".join(said) + ".") if said else ""


CHAPTER_ROUNDS = RoundRules()


def rctab_rounds(**options: object) -> RoundRules:
    """RCTab's round structure, with any named option (`continue_until_two=True`, ...)."""
    return RoundRules(name="rctab", tie_within_round=True, **options)  # type: ignore[arg-type]
