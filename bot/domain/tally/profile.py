"""The ballot profile every counting method reads, and the result every method returns.

A profile is what a file (BLT, CSV) or a closed vote holds: the candidates in file order and
the ballots as cast, including what an import can carry that a Discord ballot cannot
(skipped ranks, a candidate repeated, two candidates at one rank). Methods decide what such
marks mean through the ballot rules they apply; the profile itself never discards them.

Candidates are referred to by their index into `Profile.candidates` everywhere inside the
engine; names appear only at the edges (files, results).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

Rank = tuple[int, ...]
"""The candidates marked at one rank: () a skipped rank, (c,) one mark, (a, b) an overvote."""


@dataclass(frozen=True, slots=True)
class RankedBallot:
    """One ballot (or `weight` identical ballots) as cast: ranks in order, first choice first."""

    ranks: tuple[Rank, ...]
    weight: int = 1


@dataclass(frozen=True, slots=True)
class Profile:
    """Candidates in file order, the seats to fill and the ballots as cast."""

    candidates: tuple[str, ...]
    ballots: tuple[RankedBallot, ...]
    seats: int = 1
    withdrawn: frozenset[int] = frozenset()
    title: str | None = None
    tie_order: tuple[int, ...] | None = None
    """The file's own tie order (Droop's `[tie ...]`), used by tie-break mode `order`."""

    def index(self, name: str) -> int:
        """The index of the candidate called `name` (exact match); KeyError if absent."""
        try:
            return self.candidates.index(name)
        except ValueError:
            raise KeyError(name) from None


@dataclass(frozen=True, slots=True)
class TieBreak:
    """One tie the count had to break, and how: 'previous-round', 'lot' or 'order'."""

    round: int
    purpose: str  # "exclude" or "elect"
    tied: tuple[str, ...]
    chosen: str
    how: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Round:
    """One round (stage) of a count. Tallies are exact; `float()` them only for display."""

    number: int
    tallies: dict[str, Fraction]
    exhausted: Fraction
    threshold: Fraction | None = None
    elected: tuple[str, ...] = ()
    eliminated: tuple[str, ...] = ()
    transfers: dict[str, Fraction] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True, slots=True)
class Endorsement:
    """Whether the winner clears the chapter's threshold against "No endorsement"."""

    candidate: str
    no_endorsement: str
    threshold: Fraction
    above: int  # ballots ranking the candidate above "No endorsement"
    considered: int  # ballots ranking either of the two
    met: bool
    reason: str


@dataclass(frozen=True, slots=True)
class TallyResult:
    """What a count produced: winners in the order elected, every round, every tie broken."""

    method: str
    seats: int
    candidates: tuple[str, ...]
    winners: tuple[str, ...]
    rounds: tuple[Round, ...]
    tie_breaks: tuple[TieBreak, ...] = ()
    valid_ballots: int = 0
    invalid_ballots: int = 0
    rules: str = ""
    seed: str | None = None
    endorsement: Endorsement | None = None
    extra: dict[str, object] = field(default_factory=dict)  # e.g. "pairwise", "strongest_paths"
