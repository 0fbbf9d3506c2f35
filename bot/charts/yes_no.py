"""The yes/no chart: one bar per candidate, yes against no, with the chapter's threshold.

The threshold is a share of yes + no (abstentions do not count against anyone), so each bar
is that whole: the yes share in the candidate's colour, the no share white, and the
threshold one line across every bar. Abstentions are written at the end of the bar with
the counts ("11 yes · 5 no · 3 abstain"). Highest yes share first.
"""

from __future__ import annotations

from fractions import Fraction

from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from bot.charts.figure import (
    SMALL_PX,
    end_label,
    name_axis,
    new_chart,
    png_bytes,
    pt,
    reference_line,
    rows_height,
    segments,
    style_axes,
)
from bot.charts.palette import colours
from bot.domain.tally.profile import TallyResult

NO_FILL = "white"


def yes_no_png(result: TallyResult, *, title: str, verdict: str) -> bytes:
    """The yes/no chart of `result` (a "yes-no" count) as PNG bytes (see the module)."""
    return png_bytes(yes_no_figure(result, title=title, verdict=verdict))


def yes_no_figure(result: TallyResult, *, title: str, verdict: str) -> Figure:
    """The yes/no chart as a figure (for `yes_no_png`, and for tests to inspect)."""
    counts: dict[str, dict] = result.extra["yes_no"]  # type: ignore[assignment]
    threshold = Fraction(str(result.extra["threshold"]))
    rows = sorted(counts.items(), key=lambda kv: (-_share(kv[1]), -kv[1]["yes"]))
    figure, body = new_chart(title, verdict, body_px=rows_height(len(rows), extra_px=170))
    axes = body.add_subplot()
    style_axes(axes)
    fills = colours(len(rows))
    name_axis(axes, [name for name, _ in rows], fills)
    shares = [_share(c) for _, c in rows]
    segments(axes, [(y, 0.0, s) for y, s in enumerate(shares)], fills, gid="yes")
    segments(
        axes,
        [(y, s, 1 - s) for y, s in enumerate(shares) if _answered(rows[y][1])],
        [NO_FILL] * sum(_answered(c) for _, c in rows),
        edgecolors="#555555",
        gid="no",
    )
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    reference_line(
        axes,
        float(threshold),
        f"threshold {threshold.numerator}/{threshold.denominator}",
        kind="threshold",
    )
    for y, (_, c) in enumerate(rows):
        mark = "passes" if c["met"] else "does not pass"
        end_label(
            axes,
            0,
            y,
            f"{c['yes']} yes · {c['no']} no · {c['abstain']} abstain: {mark}",
            boxed=True,
        )
    axes.set_xlabel(
        "Yes (in the candidate's colour) as a share of yes + no;\nabstentions count for neither",
        fontsize=pt(SMALL_PX),
    )
    return figure


def _share(c: dict) -> float:
    return float(Fraction(c["share"])) if c["share"] is not None else 0.0


def _answered(c: dict) -> bool:
    return c["yes"] + c["no"] > 0
