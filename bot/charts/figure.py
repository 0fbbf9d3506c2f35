"""A phone-readable figure: fixed width, large type, a title with its verdict, reference lines.

Discord shows an attached PNG at the width of the phone (about 360 points), so a chart is
drawn `WIDTH_PX` wide with type no smaller than `SMALL_PX`: after the phone scales it down,
names and numbers are still readable. Height grows with the number of rows instead.
Only matplotlib's object API is used (no pyplot): it is thread-safe, so charts render in a
worker thread, off the bot's event loop.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from bot.charts.palette import LINE_COLOUR

DPI = 100
WIDTH_PX = 1000
MAX_WIDTH_PX = 1200
MIN_FONT_PX = 12
"""The floor every text must clear (the rule); the sizes below are well above it."""
TITLE_PX = 32
TEXT_PX = 24
SMALL_PX = 20
NAME_CHARS = 22
"""Names longer than this are clipped with an ellipsis (a 22-character name fits a bar label)."""
ROW_PX = 56
"""Height of one horizontal bar row, label included."""


def pt(px: float) -> float:
    """Matplotlib sizes are points; our sizes are pixels of the PNG."""
    return px * 72 / DPI


def clip_name(name: str, limit: int = NAME_CHARS) -> str:
    """`name` unchanged when it fits in `limit` characters, else cut with an ellipsis."""
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def new_chart(
    title: str, verdict: str, *, body_px: int, width_px: int = WIDTH_PX
) -> tuple[Figure, SubFigure]:
    """A figure with its header drawn: `title` in bold, `verdict` (what happened) below it.

    Draw the chart itself on the returned body (`body.add_subplot()`, `body.legend(...)`);
    `body_px` is the body's height in pixels (see `rows_height`). Layout is automatic, so
    long tick labels and legends push the plot rather than fall off the PNG.
    """
    if width_px > MAX_WIDTH_PX:
        raise ValueError(f"a chart is at most {MAX_WIDTH_PX} px wide, not {width_px}")
    title_line = clip_name(title, int(width_px / (TITLE_PX * 0.62)))
    verdict_lines = textwrap.wrap(
        " ".join(verdict.split()), int(width_px / (TEXT_PX * 0.55)), max_lines=3, placeholder=" …"
    )
    header_px = int(TITLE_PX * 1.6 + len(verdict_lines) * TEXT_PX * 1.35 + 16)
    figure = Figure(
        figsize=(width_px / DPI, (header_px + body_px) / DPI), dpi=DPI, layout="constrained"
    )
    FigureCanvasAgg(figure)
    header, body = figure.subfigures(2, 1, height_ratios=(header_px, body_px))
    header.text(
        0.02,
        1 - 12 / header_px,
        title_line,
        fontsize=pt(TITLE_PX),
        fontweight="bold",
        va="top",
        gid="title",
    )
    header.text(
        0.02,
        1 - (12 + TITLE_PX * 1.5) / header_px,
        "\n".join(verdict_lines),
        fontsize=pt(TEXT_PX),
        va="top",
        linespacing=1.25,
        gid="verdict",
    )
    return figure, body


def rows_height(rows: int, *, extra_px: int = 200) -> int:
    """The body height for `rows` horizontal bars plus axis and legend (`extra_px`)."""
    return max(rows, 2) * ROW_PX + extra_px


def style_axes(axes: Axes) -> None:
    """Large tick labels, no box, grid behind the bars."""
    axes.tick_params(labelsize=pt(TEXT_PX), length=0)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_axisbelow(True)
    axes.margins(y=0.01)  # bars fill the height they were given
    axes.xaxis.label.set_fontsize(pt(TEXT_PX))
    axes.yaxis.label.set_fontsize(pt(TEXT_PX))


def reference_line(axes: Axes, value: float, label: str, *, kind: str) -> Line2D:
    """A dashed vertical line at `value` (majority, quota, threshold...) labelled above the plot.

    `kind` is recorded on the line, so a test finds "the quota line" with `reference_kinds`
    without reading pixels. Several lines on one axes stack their labels, so they never print
    over each other. Set the x limits before drawing lines: labels right of 60% align right.
    """
    stacked = len(reference_kinds(axes))
    line = axes.axvline(
        value, color=LINE_COLOUR, linestyle=(0, (5, 3)), linewidth=2.5, gid=f"ref:{kind}"
    )
    low, high = axes.get_xlim()
    right = high > low and (value - low) / (high - low) > 0.6
    axes.annotate(
        f"{label} " if right else f" {label}",
        xy=(value, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, pt(6 + stacked * SMALL_PX * 1.35)),
        textcoords="offset points",
        ha="right" if right else "left",
        va="bottom",
        fontsize=pt(SMALL_PX),
        color=LINE_COLOUR,
    )
    return line


def reference_kinds(axes: Axes) -> list[str]:
    """The kinds of reference line drawn on `axes`, in drawing order (["majority", ...])."""
    gids = (str(line.get_gid() or "") for line in axes.lines)
    return [gid.removeprefix("ref:") for gid in gids if gid.startswith("ref:")]


def smallest_font_px(figure: Figure) -> float:
    """The size in PNG pixels of the smallest visible text in `figure` (draws it first)."""
    figure.canvas.draw()
    sizes = [
        t.get_fontsize() * DPI / 72
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return min(sizes, default=float("inf"))


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes, at exactly its pixel size."""
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
