"""The capacity chart: the doors each race needs, stacked in priority order, against the
doors the chapter can knock. The part of a race over capacity is hatched, not coloured.

Each race is a row; its bar starts where the races admitted before it end, so the rows read
as one stack top to bottom and the capacity line shows where the chapter runs out.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.charts import (
    OUT_GREY,
    SMALL_PX,
    clip_name,
    colours,
    new_chart,
    png_bytes,
    pt,
    reference_line,
    rows_height,
    style_axes,
)


@dataclass(frozen=True, slots=True)
class RaceBar:
    name: str
    start: int  # doors of the races admitted before this one
    fits: int  # doors of this race within capacity
    over: int  # doors of this race beyond capacity


def capacity_png(bars: list[RaceBar], capacity: int, verdict: str) -> bytes:
    """A PNG of `bars` against `capacity`, with `verdict` under the title."""
    figure, body = new_chart("Doors needed vs capacity", verdict, body_px=rows_height(len(bars)))
    axes = body.add_subplot()
    style_axes(axes)
    names = [clip_name(b.name) for b in bars][::-1]
    ordered = bars[::-1]  # matplotlib draws the first row at the bottom
    fills = colours(len(bars))[::-1]
    axes.barh(names, [b.fits for b in ordered], left=[b.start for b in ordered], color=fills)
    over = [(name, b) for name, b in zip(names, ordered, strict=True) if b.over]
    axes.barh(
        [name for name, _ in over],
        [b.over for _, b in over],
        left=[b.start + b.fits for _, b in over],
        color="white",
        edgecolor=OUT_GREY,
        hatch="//",
        linewidth=2,
        label="over capacity",
    )
    top = max([capacity, *(b.start + b.fits + b.over for b in bars)], default=1)
    axes.set_xlim(0, top * 1.08 or 1)
    axes.xaxis.set_major_formatter(lambda value, _: _short(value))
    reference_line(axes, capacity, f"capacity {capacity:,}", kind="capacity")
    if over:
        body.legend(loc="outside lower center", fontsize=pt(SMALL_PX), frameon=False)
    return png_bytes(figure)


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1_000:
        return f"{value / 1_000:g}k"
    return f"{value:g}"
