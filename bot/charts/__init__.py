"""Charts the bot attaches to its posts: one look, readable on a phone, safe for colour-blindness.

No discord here: a chart is PNG bytes. How a new chart (capacity, race plan...) uses it:

    from bot.charts import (colours, new_chart, png_bytes, reference_line, rows_height,
                            style_axes, clip_name)

    def capacity_png(races: list[RaceDoors], capacity: int, verdict: str) -> bytes:
        figure, body = new_chart("Doors needed", verdict, body_px=rows_height(len(races)))
        axes = body.add_subplot()
        style_axes(axes)
        axes.barh([clip_name(r.name) for r in races], [r.doors for r in races],
                  color=colours(len(races)))
        axes.set_xlim(0, max(capacity, *(r.doors for r in races)) * 1.1)  # before the lines
        reference_line(axes, capacity, f"capacity {capacity:,}", kind="capacity")
        return png_bytes(figure)

Rules every chart follows (tests/unit/charts check them with `smallest_font_px`,
`reference_kinds` and the PNG's size):
- one colour per series from `colours(n)`, in the order of importance; greys (`OUT_GREY`,
  `EXHAUSTED_GREY`) only for "out" and "nobody's"; past `len(PALETTE)` series
  (`needs_direct_labels`), label the bars with their names, colour no longer tells them apart;
- sizes from `TITLE_PX`, `TEXT_PX`, `SMALL_PX` via `pt()`: nothing under `MIN_FONT_PX`;
- names through `clip_names` (cut names stay distinct) or `clip_name`; the width stays
  `WIDTH_PX` (at most `MAX_WIDTH_PX`), the height
  grows with the rows (`rows_height`);
- every line a reader compares against (majority, quota, threshold, capacity, target) through
  `reference_line(..., kind=...)`;
- for one bar per row: `name_axis` writes the names with a colour square as each row's key
  (no legend needed), `segments` draws many bar pieces as one fast collection, `end_label`
  writes a bar's value past its end, and `room_for_labels` picks an x limit that fits them;
- build charts with the object API only (no pyplot), so they render in a worker thread
  (`asyncio.to_thread`) and never on the event loop.
"""

from bot.charts.figure import (
    DPI,
    MAX_WIDTH_PX,
    MIN_FONT_PX,
    NAME_CHARS,
    ROW_PX,
    SMALL_PX,
    TEXT_PX,
    TITLE_PX,
    WIDTH_PX,
    clip_name,
    clip_names,
    end_label,
    name_axis,
    new_chart,
    png_bytes,
    pt,
    reference_kinds,
    reference_line,
    room_for_labels,
    rows_height,
    segments,
    smallest_font_px,
    style_axes,
)
from bot.charts.palette import (
    EXHAUSTED_GREY,
    LINE_COLOUR,
    OUT_GREY,
    PALETTE,
    colours,
    needs_direct_labels,
)

__all__ = [
    "DPI",
    "EXHAUSTED_GREY",
    "LINE_COLOUR",
    "MAX_WIDTH_PX",
    "MIN_FONT_PX",
    "NAME_CHARS",
    "OUT_GREY",
    "PALETTE",
    "ROW_PX",
    "SMALL_PX",
    "TEXT_PX",
    "TITLE_PX",
    "WIDTH_PX",
    "clip_name",
    "clip_names",
    "colours",
    "end_label",
    "name_axis",
    "needs_direct_labels",
    "new_chart",
    "png_bytes",
    "pt",
    "reference_kinds",
    "reference_line",
    "room_for_labels",
    "rows_height",
    "segments",
    "smallest_font_px",
    "style_axes",
]
