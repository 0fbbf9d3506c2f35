"""Names in any script: Chinese and Arabic names are drawn, not boxes; an Arabic name keeps
its brackets and its neighbours in place; a missing font is said once at start."""

from __future__ import annotations

import logging
import re
import warnings
from fractions import Fraction

import pytest
from matplotlib import font_manager, ft2font

from bot import fonts
from bot.charts.figure import FAMILIES, png_bytes
from bot.charts.rounds import rounds_figure
from bot.domain.tally.count import count_vote
from bot.domain.tally.profile import Profile, RankedBallot

CHINESE = "陈伟明"
ARABIC = "محمد (أبو علي)"
NAMES = (CHINESE, ARABIC, "Ng Thị Ánh Tuyết", "Ελένη Παπαδοπούλου", "No endorsement")


def result():
    ballots = [((0,), (1,)), ((1,), (0,)), ((0,),), ((2,), (1,)), ((3,), (0,)), ((1,),)]
    profile = Profile(NAMES, tuple(RankedBallot(b, 3) for b in ballots))
    return count_vote(profile, "irv", None, "No endorsement", threshold=Fraction(2, 3), seed="s")


def test_the_project_installs_a_font_for_chinese_and_arabic_names() -> None:
    assert fonts.missing() == []  # the pinned dependencies bring them
    for font in fonts.FALLBACKS:
        assert font.family in FAMILIES
        path = fonts.font_file(font)
        assert path is not None
        entry = font_manager.findfont(font_manager.FontProperties(family=font.family))
        assert ft2font.FT2Font(entry).get_char_index(ord(font.sample)) != 0, font.family


def test_a_chart_of_chinese_and_arabic_names_misses_no_glyph() -> None:
    figure = rounds_figure(result(), title=f"{CHINESE} wins", verdict=f"{ARABIC} is out")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png_bytes(figure)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []


def test_an_arabic_name_is_isolated_so_brackets_and_numbers_stay_put() -> None:
    assert fonts.isolate(ARABIC) == f"\u2068{ARABIC}\u2069"
    assert fonts.isolate(CHINESE) == CHINESE and fonts.isolate("Ada Ruiz") == "Ada Ruiz"
    figure = rounds_figure(result(), title="t", verdict="v")
    drawn = {t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))}
    assert f"\u2068{ARABIC}\u2069" in drawn and CHINESE in drawn


def test_a_missing_font_is_warned_once(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    monkeypatch.setattr(fonts, "_warned", False)
    monkeypatch.setattr(fonts, "font_file", lambda font: None)
    log = logging.getLogger("endorsebot.test")
    with caplog.at_level(logging.WARNING, logger="endorsebot.test"):
        assert fonts.warn_missing(log) is True
        assert fonts.warn_missing(log) is False  # once per process
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == len(fonts.FALLBACKS)
    assert "Chinese, Japanese and Korean names" in said[0] and "text posts" in said[0]
    assert "Arabic names" in said[1]


def test_nothing_is_warned_when_the_fonts_are_there(monkeypatch, caplog) -> None:
    monkeypatch.setattr(fonts, "_warned", False)
    with caplog.at_level(logging.WARNING):
        assert fonts.warn_missing(logging.getLogger("endorsebot.test")) is False
    assert caplog.records == []


def test_the_head_to_head_chart_numbers_names_without_turning_them_round() -> None:
    from bot.charts.pairwise import pairwise_figure

    long = "Alexandria Maria Ocasio-Cortez-Featherstonehaugh"
    names = (ARABIC, f"{long} Jr", f"{long} Sr", "No endorsement")
    ballots = [((0,), (1,)), ((1,), (2,)), ((2,), (0,)), ((3,),)]
    profile = Profile(names, tuple(RankedBallot(b, 2) for b in ballots))
    result = count_vote(profile, "schulze", None, None, seed="s")
    drawn = [t.get_text() for t in pairwise_figure(result, title="t", verdict="v").axes[0].texts]
    rows = [t for t in drawn if t[:1].isdigit() and ". " in t]
    (arabic,) = [t for t in rows if ARABIC in t]
    assert re.match(r"\d\. \u2068", arabic)  # isolated after its number: the number leads
    cut = sorted(t.split(". ", 1)[1] for t in rows if "Alexandria" in t)
    assert cut[0].endswith("Jr") and cut[1].endswith("Sr")  # cut, yet told apart
    assert all(len(t) <= 22 for t in rows if "Alexandria" in t)
