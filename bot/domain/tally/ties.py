"""Breaking ties: one written chain, shared by every counting method.

When candidates tie (for exclusion, or for the order of election or of surplus transfer):

1. **Earlier rounds.** Look back from the most recent earlier round to the first. At the most
   recent round in which the tied candidates did not all have equal votes, keep only those
   with the fewest votes (exclusion) or the most votes (election); if one is left, the tie is
   broken. If several are still level, keep looking further back among them alone. This is
   the rule of the Scottish Order (SSI 2007/42, rule 50) and of the Droop tabulator.
2. **Lot**, if the candidates were equal in every earlier round. Either:
   * `lot` (default): a reproducible draw by the named generator `sha256-lot-v1`. For the
     k-th lot of a count (k = 1, 2, ...) every tied candidate gets the key
     SHA-256("<seed>:<k>:<candidate name>") (UTF-8, hex); the lot falls on the candidate with
     the smallest key. The seed is fixed before the count (for a closed vote, the SHA-256 of
     its frozen BLT export; on the command line, `--seed`) and printed with the result, so
     anyone can redo the draw with `printf '%s' 'seed:1:Name' | sha256sum`.
   * `order`: as the Droop tabulator does, the lot falls on the tied candidate listed first
     in the file (or first in the file's `[tie ...]` order, when it gives one).

The candidate the lot falls on is the one excluded in an exclusion tie and the one elected
(or taken first) in an election tie. Every tie broken is recorded with how it was broken.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Literal

from bot.domain.tally.profile import TieBreak

TieMode = Literal["lot", "order"]
Purpose = Literal["exclude", "elect"]

LOT_GENERATOR = "sha256-lot-v1"

RULES_TEXT = (
    "Ties: first the most recent earlier round in which the tied candidates had unequal votes "
    "(fewest excluded, most elected; if several stay level, earlier rounds among them); if "
    "equal in every round, {how}."
)
_LOT_HOW = (
    "a lot by the generator sha256-lot-v1 seeded with {seed}: the k-th lot of the count falls "
    "on the tied candidate with the smallest SHA-256 of '<seed>:<k>:<name>'"
)
_ORDER_HOW = (
    "the lot falls on the tied candidate listed first in the file (the Droop tabulator's "
    "convention; excluded in an exclusion tie)"
)

Votes = Fraction | int


def lot_key(seed: str, draw: int, name: str) -> str:
    """The hex key of `name` in the `draw`-th lot of a count seeded with `seed`."""
    return hashlib.sha256(f"{seed}:{draw}:{name}".encode()).hexdigest()


class TieBreaker:
    """Breaks the ties of one count, in the order they arise, and remembers each one.

    `candidates` are the profile's names (ties are given as indices into them); `order`, if
    given, is the file's `[tie ...]` order of indices used by mode `order`.
    """

    def __init__(
        self,
        candidates: Sequence[str],
        mode: TieMode = "lot",
        seed: str | None = None,
        order: Sequence[int] | None = None,
    ) -> None:
        if mode not in ("lot", "order"):
            raise ValueError(f"unknown tie-break mode {mode!r} (expected 'lot' or 'order')")
        if mode == "lot" and seed is None:
            raise ValueError("a lot needs a seed fixed before the count")
        self.candidates = tuple(candidates)
        self.mode: TieMode = mode
        self.seed = seed
        self._priority = {c: i for i, c in enumerate(order or range(len(self.candidates)))}
        self._draws = 0
        self.records: list[TieBreak] = []

    def rules_text(self) -> str:
        """The tie rule of this count in one paragraph, to print with the result."""
        how = _LOT_HOW.format(seed=self.seed) if self.mode == "lot" else _ORDER_HOW
        return RULES_TEXT.format(how=how)

    def break_tie(
        self,
        tied: Sequence[int],
        history: Sequence[Mapping[int, Votes]],
        *,
        purpose: Purpose,
        round_number: int,
    ) -> int:
        """Choose one of `tied` (candidate indices) and record how.

        `history` holds the votes of earlier rounds, oldest first, keyed by candidate index
        (a missing candidate counts as 0); it may include the current round, where the tied
        candidates are level anyway. For `exclude` the chosen candidate is the one to exclude;
        for `elect` the one to elect or take first.
        """
        if len(tied) < 2:
            raise ValueError("a tie needs at least two candidates")
        if purpose not in ("exclude", "elect"):
            raise ValueError(f"unknown tie purpose {purpose!r}")
        remaining = sorted(set(tied))
        names = tuple(self.candidates[c] for c in remaining)
        for back, tallies in enumerate(reversed(history)):
            votes = {c: tallies.get(c, 0) for c in remaining}
            if len(set(votes.values())) == 1:
                continue
            pick = min if purpose == "exclude" else max
            target = pick(votes.values())
            remaining = [c for c in remaining if votes[c] == target]
            if len(remaining) == 1:
                earlier = len(history) - back
                return self._record(
                    round_number,
                    purpose,
                    names,
                    remaining[0],
                    "previous-round",
                    f"unequal votes in earlier round {earlier}: "
                    + ", ".join(f"{self.candidates[c]} {_num(votes[c])}" for c in votes),
                )
        return self._lot(remaining, round_number, purpose, names)

    def _lot(self, remaining: list[int], round_number: int, purpose: Purpose, names) -> int:
        if self.mode == "order":
            chosen = min(remaining, key=self._priority.__getitem__)
            detail = "equal in every earlier round; first listed in the file"
            return self._record(round_number, purpose, names, chosen, "order", detail)
        self._draws += 1
        assert self.seed is not None
        keys = {c: lot_key(self.seed, self._draws, self.candidates[c]) for c in remaining}
        chosen = min(remaining, key=keys.__getitem__)
        detail = (
            f"equal in every earlier round; {LOT_GENERATOR} draw {self._draws} with seed "
            f"{self.seed}: smallest key {keys[chosen][:16]}..."
        )
        return self._record(round_number, purpose, names, chosen, "lot", detail)

    def _record(self, round_number, purpose, names, chosen: int, how: str, detail: str) -> int:
        self.records.append(
            TieBreak(
                round=round_number,
                purpose=purpose,
                tied=names,
                chosen=self.candidates[chosen],
                how=how,
                detail=detail,
            )
        )
        return chosen


def _num(value: Votes) -> str:
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.4f}"
