"""The instant-runoff and STV round charts, for 2, 5, 12 and 60 options."""

from __future__ import annotations

import struct
from fractions import Fraction

import pytest
from matplotlib.colors import to_hex

from bot.charts import (
    EXHAUSTED_GREY,
    MAX_WIDTH_PX,
    MIN_FONT_PX,
    OUT_GREY,
    png_bytes,
    smallest_font_px,
)
from bot.charts.endorsement import verdicts_of
from bot.charts.figure import reference_kinds
from bot.charts.rounds import EXHAUSTED_KEY, EXHAUSTED_ROW, rounds_figure, standings
from bot.domain.tally.count import count_vote
from bot.domain.tally.profile import Profile, RankedBallot
from tests.unit.charts.elections import all_axes, count, texts


def chart(n: int, method: str = "irv", seats: int | None = None):
    result = count(n, method, seats)
    figure = rounds_figure(
        result,
        title="City Council District 3 (2027)",
        verdict="Bo Diaz wins in round 4.",
        endorsement=verdicts_of(result, Fraction(2, 3)),
    )
    return result, figure


def swatch_colours(axes) -> list[str]:
    (swatches,) = [c for c in axes.collections if c.get_gid() == "swatches"]
    return [to_hex(c) for c in swatches.get_facecolors()]


@pytest.mark.parametrize("n", [2, 5, 12, 60])
@pytest.mark.parametrize(
    ("method", "seats", "line"), [("irv", None, "majority"), ("stv", 2, "quota")]
)
def test_round_chart_reads_on_a_phone(n: int, method: str, seats: int | None, line: str) -> None:
    if seats and n <= seats:
        seats = 1
        line = "majority" if method == "irv" else "quota"
    result, figure = chart(n, method, seats)
    width, height = struct.unpack(">II", png_bytes(figure)[16:24])
    assert width <= MAX_WIDTH_PX and height >= 400
    assert smallest_font_px(figure) >= MIN_FONT_PX
    main, pile, *panel = all_axes(figure)
    assert (main.get_gid(), pile.get_gid()) == ("rounds", "exhausted")
    rows = swatch_colours(main)
    assert len(rows) == n  # every option; the exhausted pile is drawn apart
    assert len(set(rows)) == n, "two options share a colour"
    assert swatch_colours(pile) == [EXHAUSTED_GREY.lower()]
    assert reference_kinds(main) == [line]
    if verdicts_of(result, Fraction(2, 3)):
        assert reference_kinds(panel[0]) == ["threshold"]
    else:
        assert not panel
    words = texts(figure)
    assert EXHAUSTED_ROW in words
    out = [r for r in result.rounds if r.eliminated]
    assert sum("out in round" in w for w in words) == sum(len(r.eliminated) for r in out)


def test_the_winners_bar_shows_transfers_in_the_givers_colour() -> None:
    result, figure = chart(12)
    main = all_axes(figure)[0]
    colours = swatch_colours(main)
    (bars,) = [c for c in main.collections if c.get_gid() == "bars"]
    in_row_0 = [
        to_hex(c)
        for path, c in zip(bars.get_paths(), bars.get_facecolors(), strict=True)
        if abs(path.vertices[:, 1].mean()) < 0.5
    ]
    assert in_row_0[0] == colours[0]  # own first choices first
    assert set(in_row_0[1:]) and set(in_row_0[1:]) <= set(colours[1:])
    greyed = {to_hex(c) for c in bars.get_facecolors()}
    assert OUT_GREY.lower() in greyed
    assert result.winners[0] in " ".join(texts(figure))


def test_an_stv_surplus_is_hatched_and_the_elected_say_their_round() -> None:
    from bot.domain.tally.count import count_vote
    from bot.domain.tally.profile import Profile, RankedBallot

    # Ada has 7 with a quota of 4: her surplus of 3 goes on to Bo and Cy.
    ballots = [((0, 1), 4), ((0, 2), 3), ((1,), 2), ((2,), 1)]
    profile = Profile(
        ("Ada", "Bo", "Cy"),
        tuple(RankedBallot(tuple((c,) for c in r), w) for r, w in ballots),
        seats=2,
    )
    result = count_vote(profile, "stv")
    figure = rounds_figure(result, title="Slate", verdict="Ada and Bo elected.")
    main = all_axes(figure)[0]
    (hatched,) = [c for c in main.collections if c.get_gid() == "surplus"]
    (path,) = hatched.get_paths()
    assert path.vertices[:, 0].min() == pytest.approx(4) and path.vertices[:, 0].max() == 7
    words = texts(figure)
    assert "7 · elected in round 1" in words and "Ada" in words
    assert reference_kinds(main) == ["quota"]


@pytest.mark.parametrize("n", [30, 60])
def test_in_a_large_field_the_candidates_set_the_scale_not_the_exhausted_pile(n: int) -> None:
    result, figure = chart(n)
    main, pile, *_ = all_axes(figure)
    peaks = {s.name: float(s.peak) for s in standings(result)}
    exhausted = peaks.pop(EXHAUSTED_KEY)
    assert exhausted > 1.5 * max(peaks.values())  # the case: more ballots ran out than any won
    low, high = main.get_xlim()
    assert max(peaks.values()) / high >= 0.5  # the winner's bar fills half the plot or more
    assert pile.get_xlim()[1] >= exhausted  # the pile, on its own axis, is drawn whole
    assert any("on its own scale" in t for t in texts(figure))


def test_long_names_that_differ_late_stay_different_on_the_chart() -> None:
    base = "Alexandria Maria Ocasio-Cortez-Featherstonehaugh"
    names = (f"{base} Jr", f"{base} Sr", "Bo Diaz", "No endorsement")
    ballots = [((0,),), ((1,),), ((1,),), ((2,), (0,)), ((0,),)]
    profile = Profile(names, tuple(RankedBallot(b, 2) for b in ballots))
    result = count_vote(profile, "irv", None, None, seed="s")
    figure = rounds_figure(result, title="t", verdict="v")
    shown = [t for t in texts(figure) if t.startswith("Alexandria")]
    assert len(shown) == 2 and shown[0] != shown[1]
    assert all(len(t) <= 22 for t in shown)


def test_a_final_round_tie_drawn_by_lot_shows_the_tie_and_the_lot() -> None:
    # Ada and Bo are level in both rounds: the lot takes one out, the other wins.
    ballots = [((0,),), ((1,),), ((2,), (0,)), ((2,), (1,))]
    profile = Profile(("Ada Ruiz", "Bo Chen", "Cy Diaz"), tuple(
        RankedBallot(b, w) for b, w in zip(ballots, (55, 55, 5, 5), strict=True)
    ))  # fmt: skip
    result = count_vote(profile, "irv", None, None, seed="s")
    (tie,) = result.tie_breaks
    assert tie.how == "lot" and tie.round == 2
    (winner,) = result.winners
    words = texts(rounds_figure(result, title="t", verdict="v"))
    assert "60 · wins by lot" in words  # the winner's bar: level with the loser's, by lot
    assert "60 · out in round 2 by lot" in words
    assert winner != tie.chosen
