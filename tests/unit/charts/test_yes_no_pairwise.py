"""The yes/no chart and the Schulze / ranked-pairs heat map, for 2, 5, 12 and 60 options."""

from __future__ import annotations

import struct
from fractions import Fraction

import pytest
from matplotlib.colors import to_hex

from bot.charts import MAX_WIDTH_PX, MIN_FONT_PX, png_bytes, smallest_font_px
from bot.charts.endorsement import verdicts_of
from bot.charts.figure import reference_kinds
from bot.charts.pairwise import finish_order, pairwise_figure
from bot.charts.votes import result_png
from bot.charts.yes_no import yes_no_figure
from tests.unit.charts.elections import all_axes, count, texts, yes_no


def swatches(axes) -> list[str]:
    (found,) = [c for c in axes.collections if c.get_gid() == "swatches"]
    return [to_hex(c) for c in found.get_facecolors()]


def check_phone_size(figure) -> None:
    width, height = struct.unpack(">II", png_bytes(figure)[16:24])
    assert width <= MAX_WIDTH_PX and height >= 300
    assert smallest_font_px(figure) >= MIN_FONT_PX


@pytest.mark.parametrize("n", [2, 5, 12, 60])
def test_yes_no_chart_one_colour_per_candidate_and_the_threshold(n: int) -> None:
    result = yes_no(n)
    figure = yes_no_figure(result, title="Slate 2027", verdict="3 of 5 pass.")
    check_phone_size(figure)
    (axes,) = all_axes(figure)
    assert len(set(swatches(axes))) == n
    assert reference_kinds(axes) == ["threshold"]
    line = [x for x in axes.lines if x.get_gid() == "ref:threshold"][0]
    assert line.get_xdata()[0] == pytest.approx(0.6)
    words = texts(figure)
    for c in result.extra["yes_no"].values():  # type: ignore[union-attr]
        assert any(
            w.startswith(f"{c['yes']} yes · {c['no']} no · {c['abstain']} abstain") for w in words
        )
    assert sum(w.endswith(": passes") for w in words) == len(result.winners)


@pytest.mark.parametrize("n", [2, 5, 12, 60])
@pytest.mark.parametrize("method", ["schulze", "ranked-pairs"])
def test_pairwise_heat_map_winner_first_with_the_threshold(n: int, method: str) -> None:
    result = count(n, method)
    verdicts = verdicts_of(result, Fraction(2, 3))
    figure = pairwise_figure(result, title="Mayor", verdict="won", endorsement=verdicts)
    check_phone_size(figure)
    main, *panel = all_axes(figure)
    assert len(set(swatches(main))) == n
    assert f"1. {result.winners[0]}" in texts(figure)
    image = main.images[0].get_array()
    assert image.shape == (n, n)
    if verdicts:
        assert reference_kinds(panel[0]) == ["threshold"]
    if n <= 12:  # the counts are written in the cells
        pairwise = result.extra["pairwise"]
        runner_up = finish_order(pairwise, result.winners)[1]
        assert str(pairwise[result.winners[0]][runner_up]) in texts(figure)


def test_each_method_gets_its_chart() -> None:
    for result in (count(5, "irv"), count(5, "stv", 2), count(5, "schulze"), yes_no(5)):
        png = result_png(result, title="t", verdict="v", threshold=Fraction(2, 3))
        assert png.startswith(b"\x89PNG")
