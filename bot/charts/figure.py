"""A phone-readable figure: fixed width, large type, a title with its verdict, reference lines.

Discord shows an attached PNG at the width of the phone (about 360 points), so a chart is
drawn `WIDTH_PX` wide with type no smaller than `SMALL_PX`: after the phone scales it down,
names and numbers are still readable. Height grows with the number of rows instead.
Only matplotlib's object API is used (no pyplot): it is thread-safe, so charts render in a
worker thread, off the bot's event loop.
"""

from __future__ import annotations

import io
import logging
import textwrap
from collections.abc import Sequence

from matplotlib import font_manager, rcParams
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure, SubFigure
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation, blended_transform_factory
from PIL import Image

from bot import fonts
from bot.charts.palette import LINE_COLOUR

DPI = 100
WIDTH_PX = 1000
MAX_WIDTH_PX = 1200
MIN_FONT_PX = 12
"""The floor every text must clear (the rule); the sizes below are well above it."""
TITLE_PX = 32
TEXT_PX = 24
SMALL_PX = 20
VERDICT_LINES = 5
"""A verdict wraps to at most this many lines: the capacity verdict's date-by-date sentence
needs four, and its last words are the point."""
NAME_CHARS = 22
"""Names longer than this are clipped with an ellipsis (a 22-character name fits a bar label)."""
HEAD_MIN = 6
"""A name cut to tell it apart keeps at least this many characters of its start."""
ROW_PX = 56
"""Height of one horizontal bar row, label included."""
BAR_HEIGHT = 0.72
"""A bar's share of its row."""
SWATCH_PX = 22


def use_fallback_fonts() -> list[str]:
    """Register the fonts of `bot.fonts` that are installed (Chinese, Japanese, Korean,
    Arabic) with matplotlib; the families a text falls back through, glyph by glyph."""
    families = [fonts.PRIMARY]
    for font in fonts.FALLBACKS:
        path = fonts.font_file(font)
        if path is not None:
            font_manager.fontManager.addfont(str(path))
            families.append(font.family)
    rcParams["font.family"] = [fonts.PRIMARY]
    # At these sizes unhinted glyphs read the same, and skipping the autohinter draws a
    # 60-name chart about 12% faster (benchmarks/charts.py).
    rcParams["text.hinting"] = "no_hinting"
    # The fallbacks have no bold face: matplotlib says so once per text style, at WARNING.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return families


FAMILIES = use_fallback_fonts()
COVERED = frozenset(
    FT2Font(font_manager.findfont(font_manager.FontProperties(family=fonts.PRIMARY))).get_charmap()
)
"""The characters DejaVu Sans draws itself: a text of only these needs no fallback."""


def fall_back_where_needed(figure: Figure) -> int:
    """Give the texts of `figure` that DejaVu Sans cannot draw whole the fallback fonts.

    Only those: a fallback list on every text costs a 60-name chart a quarter of a second,
    as each text is then laid out against every font of the list. Returns how many.
    """
    if len(FAMILIES) == 1:
        return 0
    changed = 0
    for text in figure.findobj(Text):
        if any(ord(c) not in COVERED for c in text.get_text() if not c.isspace()):
            text.set_fontfamily(FAMILIES)
            changed += 1
    return changed


def pt(px: float) -> float:
    """Matplotlib sizes are points; our sizes are pixels of the PNG."""
    return px * 72 / DPI


def clip_name(name: str, limit: int = NAME_CHARS) -> str:
    """`name` unchanged when it fits in `limit` characters, else cut with an ellipsis; kept
    in its own direction (`bot.fonts.isolate`) when it is written right to left."""
    name = " ".join(name.split())
    return fonts.isolate(name if len(name) <= limit else name[: limit - 1].rstrip() + "…")


def clip_names(names: Sequence[str], limit: int = NAME_CHARS) -> list[str]:
    """Each of `names` clipped to `limit` characters so that names that differ still differ.

    A plain cut (`clip_name`) can make two long names read the same ("Board of Supervisors
    Dist…" twice). Names whose cut would collide keep their start and their end around the
    ellipsis instead ("Board of Superv…trict 1 (2028)"); names that differ only in the middle
    keep the part where they differ. Names equal to begin with stay equal.
    """
    clean = [" ".join(name.split()) for name in names]
    clipped = [_cut(name, limit) for name in clean]
    for _ in range(3):  # each pass settles one kind of collision; names are few
        groups: dict[str, list[int]] = {}
        for i, cut in enumerate(clipped):
            groups.setdefault(cut, []).append(i)
        clashes = [g for g in groups.values() if len({clean[i] for i in g}) > 1]
        if not clashes:
            break
        for group in clashes:
            for i, cut in zip(group, _distinct_cuts([clean[i] for i in group], limit), strict=True):
                clipped[i] = cut
    return [fonts.isolate(cut) for cut in clipped]


def _cut(name: str, limit: int) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _distinct_cuts(names: list[str], limit: int) -> list[str]:
    """Cuts of `names` (all longer than `limit`, all sharing their first `limit - 1`
    characters) that tell them apart: start…end (the end in whole words when that does it),
    or start…middle… where they differ."""
    for tail in _tails(limit):
        cuts = [_head_tail(name, limit, tail) for name in names]
        if len(set(cuts)) == len(set(names)):
            return cuts
    # They differ only in the middle: show the start, then from where they differ.
    differ = len(_common_prefix(names))
    head = max(4, limit // 3)
    span = limit - head - 2
    start = max(differ - span // 2, head)
    return [
        name[:head].rstrip() + "…" + name[start : start + span].strip()
        + ("…" if start + span < len(name) else "")
        for name in names
    ]  # fmt: skip


def _tails(limit: int) -> list[int | str]:
    """Ways to keep a name's end, best first: whole words (longest first), then characters."""
    return ["words", *range(limit // 2, min(5, limit // 2) - 1, -1)]


def _head_tail(name: str, limit: int, tail: int | str) -> str:
    room = limit - 1 - HEAD_MIN
    if tail == "words":
        words = name.split(" ")
        end = ""
        for i in range(1, len(words)):
            candidate = " ".join(words[-i:])
            if len(candidate) > room:
                break
            end = candidate
        if not end:
            return _cut(name, limit)
    else:
        end = name[-int(tail) :].lstrip()
    return name[: limit - 1 - len(end)].rstrip() + "…" + end


def _common_prefix(names: Sequence[str]) -> str:
    first, last = min(names), max(names)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


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
        " ".join(verdict.split()),
        int(width_px / (TEXT_PX * 0.55)),
        max_lines=VERDICT_LINES,
        placeholder=" …",
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


def name_axis(
    axes: Axes, names: Sequence[str], colours: Sequence[str], *, clip: bool = True
) -> None:
    """One row per name, top to bottom, each name clipped and keyed by a square of its colour.

    The square is the series' key: a segment in that colour anywhere in the chart belongs to
    that name, so no legend is needed however many names there are. `clip=False` takes names
    already cut (`clip_names`), for a caller that adds to them, like a number.
    """
    # Texts, not tick labels: a tick is five artists, and 60 of them cost more than the chart.
    rows = range(len(names))
    axes.set_yticks([])
    axes.set_ylim(len(names) - 0.5, -0.5)
    key = blended_transform_factory(axes.transAxes, axes.transData)
    scale = axes.figure.dpi_scale_trans
    for row, name in zip(rows, clip_names(names) if clip else names, strict=True):
        axes.text(
            0, row, name, ha="right", va="center", fontsize=pt(TEXT_PX),
            transform=key + ScaledTranslation(-SWATCH_PX * 1.8 / DPI, 0, scale),
        )  # fmt: skip
    axes.scatter(
        [0] * len(names),
        list(rows),
        s=pt(SWATCH_PX) ** 2,
        marker="s",
        c=list(colours),
        edgecolors=LINE_COLOUR,
        linewidths=0.8,
        transform=key + ScaledTranslation(-SWATCH_PX * 0.8 / DPI, 0, scale),
        clip_on=False,
        zorder=3,
        gid="swatches",
    )


def room_for_labels(ends: Sequence[float], labels: Sequence[str], *also: float) -> float:
    """An x limit that leaves room right of every bar (ending at `ends`) for its label.

    Estimates: the plot is about `WIDTH_PX - 400` px wide (names take the rest) and a
    character of `SMALL_PX` type about 0.6 of its size.
    """
    limit = max([1.0, *also]) * 1.05
    for end, label in zip(ends, labels, strict=True):
        limit = max(limit, end / (1 - label_width(label)))
    return limit


def label_width(label: str) -> float:
    """About how much of the plot's width an `end_label` of `label` takes (at most 0.8)."""
    return min(0.8, (len(label) * SMALL_PX * 0.6 + 24) / (WIDTH_PX - 400))


def end_label(axes: Axes, value: float, row: float, text: str, *, boxed: bool = False) -> Text:
    """`text` just right of the end of the bar in `row` that ends at `value`.

    `boxed` puts it on a white box, for a label printed over a bar (it costs drawing time).
    """
    shift = ScaledTranslation(10 / DPI, 0, axes.figure.dpi_scale_trans)
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1} if boxed else None
    label = axes.text(
        value, row, text, va="center", fontsize=pt(SMALL_PX), transform=axes.transData + shift,
        bbox=box,
    )  # fmt: skip
    # Inside the plot (`room_for_labels` made the room): the layout need not measure it.
    label.set_in_layout(False)
    return label


def segments(
    axes: Axes, bars: Sequence[tuple[float, float, float]], colours: Sequence[str], **style
) -> PolyCollection:
    """Horizontal bar segments (row, left, width) drawn as one collection: fast at 1,000s."""
    half = BAR_HEIGHT / 2
    polygons = [
        ((left, row - half), (left + width, row - half), (left + width, row + half),
         (left, row + half))
        for row, left, width in bars
    ]  # fmt: skip
    style = {"edgecolors": "white", "linewidths": 1, **style}
    collection = PolyCollection(polygons, facecolors=list(colours), **style)
    axes.add_collection(collection)
    return collection


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
    fall_back_where_needed(figure)
    figure.canvas.draw()
    sizes = [
        t.get_fontsize() * DPI / 72
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return min(sizes, default=float("inf"))


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes, at exactly its pixel size.

    One draw, then the pixels straight to PNG: `savefig` would lay out and draw twice.
    """
    fall_back_where_needed(figure)
    canvas = figure.canvas
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    out = io.BytesIO()
    image.convert("RGB").save(out, format="png", compress_level=1)  # level 6: same size, slower
    return out.getvalue()
