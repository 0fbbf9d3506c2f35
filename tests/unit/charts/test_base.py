"""The shared chart rules: distinct colours, phone-sized PNGs, clipped names, labelled lines."""

from __future__ import annotations

import itertools
import math
import struct

import pytest
from matplotlib.text import Text

from bot.charts import (
    EXHAUSTED_GREY,
    MAX_WIDTH_PX,
    MIN_FONT_PX,
    OUT_GREY,
    PALETTE,
    WIDTH_PX,
    clip_name,
    colours,
    needs_direct_labels,
    new_chart,
    png_bytes,
    reference_kinds,
    reference_line,
    rows_height,
    smallest_font_px,
    style_axes,
)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def lab(colour: str) -> tuple[float, float, float]:
    """sRGB hex to CIELAB (D65), enough to measure how far apart two colours look."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    fx, fy, fz = (v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_sixty_colours_all_visibly_different_and_none_a_grey() -> None:
    assert len(PALETTE) == 60
    for a, b in itertools.combinations([*PALETTE, OUT_GREY, EXHAUSTED_GREY, "#FFFFFF"], 2):
        if {a, b} <= {OUT_GREY, EXHAUSTED_GREY, "#FFFFFF"}:
            continue
        assert math.dist(lab(a), lab(b)) >= 10, (a, b)


def test_the_first_seventeen_are_the_most_distinct() -> None:
    for a, b in itertools.combinations(PALETTE[:17], 2):
        assert math.dist(lab(a), lab(b)) >= 30, (a, b)


@pytest.mark.parametrize("n", [2, 5, 12, 60])
def test_every_series_its_own_colour_up_to_sixty(n: int) -> None:
    assert len(set(colours(n))) == n
    assert not needs_direct_labels(n)


def test_past_the_palette_colours_repeat_and_bars_need_labels() -> None:
    assert len(colours(61)) == 61 and colours(61)[60] == colours(61)[0]
    assert needs_direct_labels(61)


def test_clip_name_keeps_short_names_and_ellipsises_long_ones() -> None:
    assert clip_name("Di Evans") == "Di Evans"
    clipped = clip_name("Alexandria Ocasio-Cortez of the Bronx", 20)
    assert len(clipped) == 20 and clipped.endswith("…") and clipped.startswith("Alexandria")
    assert clip_name("Cy\n  Diaz") == "Cy Diaz"


def _chart(rows: int) -> tuple:
    figure, body = new_chart(
        "A race for the county commission with a long title that will not fit one line",
        "Cy Diaz wins in round 3 with 11 of 20 ballots, over the majority of 10.5.",
        body_px=rows_height(rows),
    )
    axes = body.add_subplot()
    style_axes(axes)
    axes.barh([clip_name(f"Candidate {i} " * 3) for i in range(rows)], range(1, rows + 1))
    axes.set_xlim(0, rows + 1)
    return figure, axes


@pytest.mark.parametrize("rows", [2, 60])
def test_chart_is_phone_width_with_no_small_type(rows: int) -> None:
    figure, _ = _chart(rows)
    width, height = png_size(png_bytes(figure))
    assert width == WIDTH_PX <= MAX_WIDTH_PX
    assert height == round(figure.get_figheight() * 100) > rows_height(rows)  # + the header
    assert smallest_font_px(figure) >= MIN_FONT_PX
    texts = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert any(t.endswith("…") and t.startswith("A race for the county") for t in texts)
    assert any(t.startswith("Cy Diaz wins in round 3") for t in texts)


def test_a_chart_wider_than_the_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="1200"):
        new_chart("t", "v", body_px=400, width_px=1300)


def test_reference_lines_are_recorded_and_their_labels_do_not_overlap() -> None:
    figure, axes = _chart(5)
    reference_line(axes, 3, "majority 3", kind="majority")
    reference_line(axes, 3.2, "threshold 3.2", kind="threshold")
    assert reference_kinds(axes) == ["majority", "threshold"]
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    labels = [t for t in axes.texts if t.get_text().strip().startswith(("majority", "threshold"))]
    a, b = (t.get_window_extent(renderer) for t in labels)
    assert not a.overlaps(b)
    assert [x for x in axes.lines if x.get_gid() == "ref:majority"][0].get_xdata()[0] == 3


def test_a_four_line_verdict_is_drawn_whole() -> None:
    verdict = (
        "Over capacity by 21,369 doors: 48,330 doors needed; 26,961 can be knocked by "
        "2029-11-03 at 135 a week. Date by date it is worse: by 2028-11-03, the races decided "
        "by then need 25,705 more doors than the chapter can knock by then."
    )
    figure, _ = new_chart("Doors needed vs capacity", verdict, body_px=rows_height(3))
    (drawn,) = [t for t in figure.findobj(Text) if t.get_gid() == "verdict"]
    assert drawn.get_text().replace("\n", " ").endswith("can knock by then.")
