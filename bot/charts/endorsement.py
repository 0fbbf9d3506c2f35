"""The threshold panel: did each winner clear the chapter's threshold against "No endorsement"?

Drawn under a round chart or a pairwise heat map: one bar per winner, the share of the
ballots ranking either of the two that put the winner above "No endorsement", and the
chapter's threshold as a line. The quantity differs from the rounds above it, so it has its
own axis rather than a line across the count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from matplotlib.axes import Axes
from matplotlib.figure import SubFigure
from matplotlib.ticker import PercentFormatter

from bot.charts.figure import (
    SMALL_PX,
    end_label,
    name_axis,
    pt,
    reference_line,
    segments,
    style_axes,
)
from bot.charts.palette import PALETTE
from bot.domain.tally.profile import TallyResult


@dataclass(frozen=True, slots=True)
class Verdict:
    """A winner against "No endorsement": `above` of `considered` ballots put them first."""

    candidate: str
    above: int
    considered: int
    met: bool
    threshold: Fraction
    no_endorsement: str = "No endorsement"

    @property
    def share(self) -> float:
        return self.above / self.considered if self.considered else 0.0


def verdicts_of(result: TallyResult, threshold: Fraction | None) -> list[Verdict]:
    """The threshold verdicts of `result`: one for a single winner, one per elected in STV."""
    e = result.endorsement
    if e is not None and e.candidate == e.no_endorsement:
        return []  # "No endorsement" won: there is no winner to hold to the threshold
    if e is not None:
        return [Verdict(e.candidate, e.above, e.considered, e.met, e.threshold, e.no_endorsement)]
    rows = result.extra.get("endorsements") or ()
    if threshold is None:
        return []
    return [
        Verdict(v["candidate"], int(v["above"]), int(v["considered"]), bool(v["met"]), threshold)
        for v in rows  # type: ignore[union-attr]
        if v["considered"]  # an elected "No endorsement" is not held to the threshold
    ]


def split_for_panel(body: SubFigure, main_rows: int, panel_rows: int) -> tuple[Axes, Axes | None]:
    """The main axes and, when there are `panel_rows` verdicts, the panel's axes under it."""
    if not panel_rows:
        return body.add_subplot(), None
    grid = body.add_gridspec(2, 1, height_ratios=(main_rows + 1, panel_rows + 1))
    return body.add_subplot(grid[0]), body.add_subplot(grid[1])


def threshold_panel(axes: Axes, verdicts: Sequence[Verdict], palette: dict[str, str]) -> None:
    """Draw `verdicts` on `axes` as shares with the threshold line (see the module)."""
    style_axes(axes)
    colours = [palette.get(v.candidate, PALETTE[0]) for v in verdicts]
    name_axis(axes, [v.candidate for v in verdicts], colours)
    segments(axes, [(y, 0.0, v.share) for y, v in enumerate(verdicts)], colours)
    segments(
        axes,
        [(y, v.share, 1 - v.share) for y, v in enumerate(verdicts)],
        ["white"] * len(verdicts),
        edgecolors="#555555",
    )
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    threshold = verdicts[0].threshold
    reference_line(
        axes,
        float(threshold),
        f"threshold {threshold.numerator}/{threshold.denominator}",
        kind="threshold",
    )
    for y, v in enumerate(verdicts):
        end_label(
            axes, 0, y, f"{v.above} of {v.considered}: {'met' if v.met else 'not met'}", boxed=True
        )
    axes.set_xlabel(
        f"Share of ballots ranking the winner above {verdicts[0].no_endorsement}",
        fontsize=pt(SMALL_PX),
    )
