"""A count's events said in words, the same in the result post, its chart and `endorsebot
tally`: a tie and how it was broken ("Ada Ruiz and Bo Chen tied at 60; drawn by lot: Ada Ruiz
out"), and the name of the line a candidate must reach (majority or quota, never the
chapter's threshold)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from bot.domain.tally.profile import TallyResult, TieBreak

DRAWN = {"lot": "drawn by lot", "order": "drawn by file order"}
"""How a tie equal in every earlier round was broken: both are a draw, not a count."""


def drawn(tie: TieBreak) -> bool:
    """Whether `tie` was decided by a draw (the lot, or the file order standing in for it),
    not by the votes of an earlier round."""
    return tie.how in DRAWN


def drawn_ties(result: TallyResult) -> list[TieBreak]:
    """The ties of `result` decided by a draw, in the order they arose."""
    return [t for t in result.tie_breaks if drawn(t)]


def and_list(names: Sequence[str]) -> str:
    """ "Ada", "Ada and Bo", "Ada, Bo and Cy"."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def tie_level(result: TallyResult, tie: TieBreak) -> Fraction | None:
    """The votes every tied candidate had in the round of `tie`, when the round says so."""
    r = next((r for r in result.rounds if r.number == tie.round), None)
    if r is None or any(name not in r.tallies for name in tie.tied):
        return None
    levels = {r.tallies[name] for name in tie.tied}
    return levels.pop() if len(levels) == 1 else None


def tie_words(result: TallyResult, tie: TieBreak, *, places: int = 2) -> str:
    """ "Ada Ruiz and Bo Chen tied at 60; drawn by lot: Ada Ruiz out" (or "…: Bo Chen
    elected", "…; broken by an earlier round: Ada Ruiz out")."""
    level = tie_level(result, tie)
    at = "" if level is None else f" at {figure(level, places)}"
    how = DRAWN.get(tie.how, "broken by an earlier round")
    return f"{and_list(tie.tied)} tied{at}; {how}: {tie.chosen} {_outcome(result, tie)}"


def _outcome(result: TallyResult, tie: TieBreak) -> str:
    if tie.purpose == "exclude":
        return "out"
    r = next((r for r in result.rounds if r.number == tie.round), None)
    return "elected" if r is not None and tie.chosen in r.elected else "goes first"


def figure(value: Fraction | int, places: int = 2) -> str:
    """A tally for people: whole numbers plain, others to `places` decimals."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.{places}f}"


def line_name(result: TallyResult) -> str:
    """What the round line a candidate must reach is called: "Quota" for STV, "Majority"
    for instant-runoff. Never "Threshold": that is the chapter's endorsement threshold."""
    stv = result.seats > 1 or result.method in ("stv", "meek")
    return "Quota" if stv else "Majority"
