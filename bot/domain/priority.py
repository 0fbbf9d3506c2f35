"""Which races the chapter's doors go to first when demand exceeds its capacity.

"Chapters should prioritize cadre candidates and previously-endorsed incumbents." (the
seed's "Chapter Strategy: Discipline, Prioritization, and Capacity")

Priority rests on who the candidate is, never on a verdict that itself reads the capacity
ledger: a cadre candidate's "viable path" asks the ledger whether the race fits, so a
priority read from the proposed category would go round in a circle (an unassessed cadre
candidate would count as undecided, sink to the bottom, fall out of the ledger and then be
"not viable"). So a candidate ranks as cadre on a *cadre profile* (every cadre criterion but
viability met), and as an incumbent on holding the seat after the chapter's endorsement.
Viability then reads the ledger built under this priority.

A candidate ruled out whatever else holds (a crossed red line, an independent in a
partisan race) gives the race no priority.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.classify import Facts, cadre_profile, previously_endorsed_incumbent, ruled_out
from bot.domain.ledger import Priority


def candidate_priority(facts: Facts) -> Priority:
    """The priority one candidate gives their race."""
    if ruled_out(facts):
        return Priority.OTHER
    if previously_endorsed_incumbent(facts):
        return Priority.INCUMBENT
    if cadre_profile(facts).met:
        return Priority.CADRE
    return Priority.OTHER


def race_priority(candidates: Iterable[Facts]) -> Priority:
    """The race's priority: that of its highest-ranked running candidate (the chapter would
    put its doors behind that one)."""
    return min((candidate_priority(c) for c in candidates), default=Priority.OTHER)
