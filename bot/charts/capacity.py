"""The capacity chart: the doors each race needs, stacked in the ledger's priority order,
against the doors the chapter can knock. The part of a race over capacity is hatched, not
coloured.

One row per race, in the order the ledger admits them, labelled so that two races for the
same office (another district, another year) read apart. A race's bar starts where the
races admitted before it end, so the rows read as one stack top to bottom and the capacity
line shows where the chapter runs out. Each bar carries its figures: the doors it needs and,
when it does not fit, how many of them are over.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure

from bot.charts.figure import (
    SMALL_PX,
    clip_names,
    end_label,
    label_width,
    new_chart,
    png_bytes,
    pt,
    reference_line,
    room_for_labels,
    rows_height,
    segments,
    style_axes,
)
from bot.charts.palette import OUT_GREY, colours

LABEL_CHARS = 30
"""A race's label ("Board of Supervisors District 1 (2028)") gets more room than a name:
the chart has no second column of names."""


@dataclass(frozen=True, slots=True)
class RaceBar:
    label: str  # tells the race apart from every other row: office, district, year
    start: int  # doors of the races admitted before this one
    fits: int  # doors of this race within capacity
    over: int  # doors of this race beyond capacity

    @property
    def doors(self) -> int:
        return self.fits + self.over


def capacity_png(bars: list[RaceBar], capacity: int, verdict: str) -> bytes:
    """A PNG of `bars` (in priority order, first on top) against `capacity`, with `verdict`
    under the title."""
    return png_bytes(capacity_figure(bars, capacity, verdict))


def capacity_figure(bars: list[RaceBar], capacity: int, verdict: str) -> Figure:
    """The capacity chart as a figure (for `capacity_png`, and for tests to inspect)."""
    figure, body = new_chart(
        "Doors needed vs capacity", verdict, body_px=rows_height(len(bars), extra_px=240)
    )
    axes = body.add_subplot()
    style_axes(axes)
    rows = range(len(bars))
    axes.set_yticks(list(rows), clip_names([b.label for b in bars], LABEL_CHARS))
    axes.set_ylim(max(len(bars), 2) - 0.5, -0.5)  # first in priority on top
    fits = [(y, b.start, b.fits) for y, b in zip(rows, bars, strict=True) if b.fits]
    segments(axes, fits, [c for c, b in zip(colours(len(bars)), bars, strict=True) if b.fits],
             gid="fits")  # fmt: skip
    over = [(y, b.start + b.fits, b.over) for y, b in zip(rows, bars, strict=True) if b.over]
    if over:
        segments(axes, over, ["white"] * len(over), edgecolors=OUT_GREY, hatch="//",
                 linewidths=2, gid="over", label="over capacity")  # fmt: skip
    labels = [figures(b) for b in bars]
    ends = [b.start + b.doors for b in bars]
    limit = room_for_labels(ends, labels, capacity)
    axes.set_xlim(0, limit)
    for y, (end, label) in enumerate(zip(ends, labels, strict=True)):
        end_label(axes, end, y, label, boxed=end <= capacity <= end + label_width(label) * limit)
    axes.xaxis.set_major_formatter(lambda value, _: _short(value))
    axes.set_xlabel("Doors, races stacked in priority order", fontsize=pt(SMALL_PX))
    reference_line(axes, capacity, f"capacity {capacity:,}", kind="capacity")
    if over:
        body.legend(loc="outside lower center", fontsize=pt(SMALL_PX), frameon=False)
    return figure


def figures(bar: RaceBar) -> str:
    """The figures printed at the end of a race's bar: "3,000" or "4,000 · 1,500 over"."""
    if bar.over:
        return f"{bar.doors:,} · {bar.over:,} over"
    return f"{bar.doors:,}"


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1_000:
        return f"{value / 1_000:g}k"
    return f"{value:g}"
