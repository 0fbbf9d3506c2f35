"""The capacity ledger: the doors the chapter can knock against the doors its races need.

Pure: no discord, no database, no clock reads. The races counted are the endorsed ones whose
decisive election is still ahead, plus the race under consideration. Each is admitted in
priority order (previously endorsed incumbents, then cadre candidates, then the rest by
expected margin) if the races admitted so far, itself included, can all be knocked before
their own elections: for every election day, the doors of the races decided by then must fit
in the chapter's doors until then. A race that does not fit is marked with the doors over.
Races the committee flags as "mass / renewable capacity" are listed apart and not counted:
what the chapter puts into them can come back to it. So are races the committee flags as
"very likely to win ... without the needed doors" (a safe incumbent): the strategy endorses
them outside the count ("only endorsing candidates who can fit within this number or are
very likely to win or mobilize large numbers of people without the needed doors").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum


class Priority(IntEnum):
    """Lower comes first when demand exceeds capacity ("Chapter Strategy")."""

    INCUMBENT = 0  # a previously endorsed incumbent
    CADRE = 1  # a cadre candidate, as the questionnaire report classified them
    OTHER = 2

    @property
    def label(self) -> str:
        return {
            Priority.INCUMBENT: "endorsed incumbent",
            Priority.CADRE: "cadre candidate",
            Priority.OTHER: "by expected margin",
        }[self]


@dataclass(frozen=True, slots=True)
class Demand:
    """One race's claim on the chapter's doors."""

    race_id: int
    label: str
    decisive: date
    doors: int  # still to knock: doors needed less doors already logged for the race
    priority: Priority = Priority.OTHER
    margin: float | None = None  # expected margin in points; higher first, unknown last
    renewable: bool = False
    likely_win: bool = False  # very likely to win without the needed doors
    considered: bool = False  # the race a decision is being made on

    @property
    def counted(self) -> bool:
        return not (self.renewable or self.likely_win)


@dataclass(frozen=True, slots=True)
class Line:
    """One counted race, in priority order: what the capacity chart draws as a row."""

    demand: Demand
    over: int  # doors of this race beyond capacity; 0 when it fits
    # The election day on which the doors due by then (the races ahead of this one and
    # this one) most exceed what can be knocked by then; None when it fits.
    short_on: date | None = None

    @property
    def fits(self) -> bool:
        return self.over == 0


@dataclass(frozen=True, slots=True)
class Ledger:
    per_week: float  # the capacity used: measured pace when there is one, else the estimate
    today: date
    lines: tuple[Line, ...]  # counted races, in priority order
    renewable: tuple[Demand, ...]  # listed apart, not counted
    likely_wins: tuple[Demand, ...] = ()  # listed apart, not counted

    @property
    def demand(self) -> int:
        return sum(line.demand.doors for line in self.lines)

    @property
    def horizon(self) -> date | None:
        return max((line.demand.decisive for line in self.lines), default=None)

    @property
    def capacity(self) -> int:
        """Doors the chapter can knock until the last counted race's election."""
        return capacity_until(self.per_week, self.today, self.horizon) if self.horizon else 0

    @property
    def over(self) -> int:
        """Doors needed beyond what can be knocked by the last election: `demand - capacity`
        when positive. Not the sum of each line's `over`: two races over capacity are each
        measured against the same free doors, and those would be counted twice."""
        return max(self.demand - self.capacity, 0)

    @property
    def shortfall(self) -> tuple[int, date | None]:
        """Date by date: the largest excess, on any election day, of the doors of every
        counted race decided by then over the doors the chapter can knock by then, and
        that day; (0, None) when everything fits in time. At least `over`: an early
        election can be short while the total fits."""
        return _shortfall([line.demand for line in self.lines], self.per_week, self.today)

    def capacity_by(self, day: date) -> int:
        """Doors the chapter can knock from today until `day`."""
        return capacity_until(self.per_week, self.today, day)

    def line_for(self, race_id: int) -> Line | None:
        return next((line for line in self.lines if line.demand.race_id == race_id), None)


def capacity_until(per_week: float, today: date, day: date) -> int:
    """Doors knocked at `per_week` from `today` until `day`."""
    return int(per_week * max((day - today).days, 0) / 7)


def priority_key(demand: Demand) -> tuple[int, int, float, int, int]:
    """Sort key: priority, then known margins (highest first) before unknown, then fewer
    doors, then the older race."""
    known = 0 if demand.margin is not None else 1
    return (demand.priority, known, -(demand.margin or 0.0), demand.doors, demand.race_id)


def build(demands: Iterable[Demand], *, per_week: float, today: date) -> Ledger:
    """The ledger of `demands` against `per_week` doors a week from `today`."""
    demands = list(demands)
    counted = sorted((d for d in demands if d.counted), key=priority_key)
    renewable = tuple(sorted((d for d in demands if d.renewable), key=priority_key))
    likely = tuple(
        sorted((d for d in demands if d.likely_win and not d.renewable), key=priority_key)
    )
    admitted: list[Demand] = []
    lines: list[Line] = []
    for demand in counted:
        short, day = _shortfall([*admitted, demand], per_week, today)
        over = min(demand.doors, short)
        if over == 0:
            admitted.append(demand)
        lines.append(Line(demand, over, day if over else None))
    return Ledger(
        per_week=per_week, today=today, lines=tuple(lines), renewable=renewable, likely_wins=likely
    )


def _shortfall(demands: Sequence[Demand], per_week: float, today: date) -> tuple[int, date | None]:
    """The largest excess, over every election day, of the doors due by that day over the
    doors the chapter can knock by then, and the (first) day it happens; (0, None) when
    every race fits."""
    worst, worst_day = 0, None
    for day in sorted({d.decisive for d in demands}):
        due = sum(d.doors for d in demands if d.decisive <= day)
        excess = due - capacity_until(per_week, today, day)
        if excess > worst:
            worst, worst_day = excess, day
    return worst, worst_day
