"""Ballot rules: what the marks of an imported ballot mean, applied once before any count.

A Discord ballot is always a clean ranking. An imported one (BLT, CSV, another tabulator's
data) can carry marks a clean ranking cannot; the chapter's rules read them so:

* a **skipped rank** is passed over: the next marked rank counts;
* a **repeated candidate** is ignored after its first mark;
* an **overvote** (two or more candidates at one rank, only possible in imports) exhausts the
  ballot at that rank: the ranks before it still count, none after it;
* a **withdrawn** candidate's mark is passed over on every ballot.

`BallotRules` also carries the variants other tabulators use (a limit on consecutive skipped
ranks, exhausting at a repeat, passing over an overvote), so their published test elections
can be recounted under their own rules; the chapter's default is `CHAPTER_RULES`.

Every method counts the *clean ranking* of each ballot: the distinct candidates it ranks, in
order, as `grouped_rankings` reads them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Literal

from bot.domain.tally.profile import Profile, Rank

RULES_TEXT = (
    "Ballots: a skipped rank is passed over; a repeated candidate is ignored after its first "
    "mark; an overvote (two candidates at one rank) exhausts the ballot at that rank; a "
    "withdrawn candidate is passed over."
)

CleanRanking = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class BallotRules:
    """How to read skipped ranks, repeated candidates and overvotes.

    `max_skipped`: None passes over any number of skipped ranks; k > 0 exhausts the ballot
    where more than k consecutive ranks are skipped (RCTab `maxSkippedRanksAllowed`; a
    ballot's leading blanks count too). `duplicate`: "ignore" the repeat or "exhaust" the
    ballot there. `overvote`: "exhaust" the ballot at that rank or "skip" the rank (an
    overvoted rank is a marked rank, not a skipped one, for `max_skipped`), or RCTab's
    "exhaust_if_multiple_continuing": when a count reaches the rank, the ballot exhausts if two
    or more of its candidates are continuing and counts for the one if only one is. That last
    reading depends on the count, so only instant-runoff supports it (it asks
    `grouped_rankings` to keep overvotes); every other reader is refused.
    """

    max_skipped: int | None = None
    duplicate: Literal["ignore", "exhaust"] = "ignore"
    overvote: Literal["exhaust", "skip", "exhaust_if_multiple_continuing"] = "exhaust"

    @property
    def static(self) -> bool:
        """Whether a ballot reads the same whoever is continuing (every rule but RCTab's)."""
        return self.overvote != "exhaust_if_multiple_continuing"

    def describe(self) -> str:
        """The rules in one paragraph, to print with a result."""
        if self == CHAPTER_RULES:
            return RULES_TEXT
        skipped = (
            "a skipped rank is passed over"
            if self.max_skipped is None
            else f"more than {self.max_skipped} consecutive skipped ranks exhaust the ballot"
        )
        duplicate = (
            "a repeated candidate is ignored after its first mark"
            if self.duplicate == "ignore"
            else "a repeated candidate exhausts the ballot"
        )
        overvote = {
            "exhaust": "an overvote exhausts the ballot at that rank",
            "skip": "an overvoted rank is passed over",
            "exhaust_if_multiple_continuing": "an overvote exhausts the ballot if two or more "
            "of its candidates are continuing and counts for the one if only one is",
        }[self.overvote]
        return f"Ballots: {skipped}; {duplicate}; {overvote}; a withdrawn candidate is passed over."


CHAPTER_RULES = BallotRules()


def _read(
    ranks: Iterable[Rank], rules: BallotRules, withdrawn: frozenset[int]
) -> tuple[int | tuple[int, ...], ...]:
    ranking: list[int | tuple[int, ...]] = []
    seen: set[int] = set()
    skipped = 0
    for rank in ranks:
        marks = [c for c in rank if c not in withdrawn]
        if not rank:
            skipped += 1
            continue
        if rules.max_skipped is not None and skipped > rules.max_skipped:
            break
        skipped = 0
        if not marks:  # only withdrawn candidates marked here
            continue
        if len(set(marks)) > 1:
            if rules.overvote == "exhaust":
                break
            if rules.overvote == "exhaust_if_multiple_continuing":
                ranking.append(tuple(dict.fromkeys(marks)))
            continue
        candidate = marks[0]
        if candidate in seen:
            if rules.duplicate == "exhaust":
                break
            continue
        seen.add(candidate)
        ranking.append(candidate)
    return tuple(ranking)


def grouped_rankings(
    profile: Profile, rules: BallotRules = CHAPTER_RULES, *, keep_overvotes: bool = False
) -> dict[CleanRanking, int]:
    """Every distinct clean ranking of the profile with the number of ballots behind it.

    Cost is linear in ballots: ballots with equal marks are cleaned once. The order of first
    appearance is kept, though no method may depend on it. Under a rule that depends on the
    count (`BallotRules.static` false) the rankings hold overvotes as tuples, and only a
    method that reads them may ask: pass `keep_overvotes=True`.
    """
    if not rules.static and not keep_overvotes:
        raise ValueError(f"overvote rule {rules.overvote!r} depends on the count; see BallotRules")
    ballots = profile.ballots
    # C-speed passes over every ballot: group by marks, then fold in any weights above 1.
    by_marks: dict[tuple[Rank, ...], int] = Counter(map(attrgetter("ranks"), ballots))
    if not set(map(attrgetter("weight"), ballots)) <= {1}:
        by_marks = {}
        for (ranks, weight), times in Counter(map(attrgetter("ranks", "weight"), ballots)).items():
            by_marks[ranks] = by_marks.get(ranks, 0) + weight * times
    groups: dict[CleanRanking, int] = {}
    withdrawn = profile.withdrawn
    for ranks, weight in by_marks.items():
        # Fast path: no skipped rank, one mark a rank (no rank empty and as many marks as
        # ranks), no repeat, nothing withdrawn: the ballot reads as it stands under any rules.
        flat = tuple(chain.from_iterable(ranks))
        if (
            len(flat) == len(ranks)
            and () not in ranks
            and len(set(flat)) == len(flat)
            and (not withdrawn or withdrawn.isdisjoint(flat))
        ):
            ranking = flat
        else:
            ranking = _read(ranks, rules, withdrawn)  # type: ignore[assignment]
        groups[ranking] = groups.get(ranking, 0) + weight
    return groups
