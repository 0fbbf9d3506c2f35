"""The race plan as a Gantt-style chart: one row per dated milestone, coloured by status.

A window (the invisible primary, GOTV) is a bar from its first to its last day; a one-day
milestone is a diamond. Dashed reference lines mark today and election day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib import dates as mdates
from matplotlib.lines import Line2D

from bot.charts import (
    SMALL_PX,
    TEXT_PX,
    clip_names,
    colours,
    new_chart,
    png_bytes,
    pt,
    reference_line,
    rows_height,
    style_axes,
)

# In order of importance: what needs action first gets the first palette colour.
STATUSES = ("overdue", "due", "upcoming", "done")
_COLOURS = dict(zip(STATUSES, colours(len(STATUSES)), strict=True))


@dataclass(frozen=True, slots=True)
class GanttRow:
    name: str
    start: date
    end: date | None  # None: a one-day milestone
    status: str  # one of STATUSES


def plan_png(
    rows: Sequence[GanttRow], *, title: str, verdict: str, today: date, election: date
) -> bytes:
    """The chart as PNG bytes; rows top to bottom in the order given (earliest first)."""
    figure, body = new_chart(title, verdict, body_px=rows_height(len(rows), extra_px=260))
    axes = body.add_subplot()
    style_axes(axes)
    names = clip_names([r.name for r in rows])
    ys = list(range(len(rows)))
    for y, row in zip(ys, rows, strict=True):
        colour = _COLOURS[row.status]
        if row.end is not None and row.end > row.start:
            width = mdates.date2num(row.end) - mdates.date2num(row.start)
            axes.barh(y, width, left=mdates.date2num(row.start), height=0.55, color=colour,
                      edgecolor="#222222", linewidth=1)  # fmt: skip
        else:
            axes.plot(mdates.date2num(row.start), y, marker="D", markersize=pt(26), color=colour,
                      markeredgecolor="#222222", markeredgewidth=1, linestyle="none")  # fmt: skip
    axes.set_yticks(ys, names)
    axes.invert_yaxis()
    first = min([today, *(r.start for r in rows)])
    pad = timedelta(days=max(7, (election - first).days // 30))
    axes.set_xlim(mdates.date2num(first - pad), mdates.date2num(election + pad))
    months = max(1, round((election - first).days / 30.4))
    locator = mdates.MonthLocator(interval=max(1, months // 4))
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    axes.tick_params(axis="x", labelsize=pt(SMALL_PX))
    axes.grid(axis="x", color="#DDDDDD")
    reference_line(axes, mdates.date2num(today), "today", kind="today")
    reference_line(axes, mdates.date2num(election), "election", kind="election")
    present = [s for s in STATUSES if any(r.status == s for r in rows)]
    handles = [
        Line2D([], [], marker="s", linestyle="none", markersize=pt(TEXT_PX), color=_COLOURS[s])
        for s in present
    ]
    body.legend(
        handles,
        present,
        loc="outside lower center",
        ncols=len(present),
        fontsize=pt(SMALL_PX),
        frameon=False,
    )
    return png_bytes(figure)
