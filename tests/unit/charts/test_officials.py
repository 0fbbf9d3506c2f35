"""The record chart: counts with and against the chapter over the term, the positions they
broke on named where they broke, the SIO strip; readable at phone width with long and
non-Latin names."""

from __future__ import annotations

import io
from datetime import date, timedelta

from matplotlib.text import Text
from PIL import Image

from bot.charts import MAX_WIDTH_PX, MIN_FONT_PX, smallest_font_px
from bot.charts.officials import record_figure, record_png, verdict
from bot.domain.officials import (
    Cast,
    OfficeRecord,
    OfficeVote,
    Official,
    Position,
    SioMeeting,
    SioStatus,
    Stance,
)

START = date(2027, 1, 4)
TITLES = [
    "Ordinance 24-117: rent stabilization for every tenant in the city",
    "警察予算の削減に関する決議",
    "قرار الإسكان العام",
    "Free fares",
]
CASTS = [Cast.WITH, Cast.AGAINST, Cast.AGAINST, Cast.ABSENT]


def record(name: str, office: str, *, votes: bool = True) -> OfficeRecord:
    official = Official(1, 9, name, office, START, date(2031, 1, 6), SioStatus.ATTENDS, None,
                        None, None)  # fmt: skip
    cast = tuple(
        OfficeVote(
            i,
            9,
            1,
            Position(i, 9, t, Stance.SUPPORT, "", "", ""),
            c,
            START + timedelta(days=40 + 60 * i),
            "private note",
        )  # fmt: skip
        for i, (t, c) in enumerate(zip(TITLES, CASTS, strict=True))
    )
    meetings = tuple(
        SioMeeting(
            i, 9, START + timedelta(days=30 * i + 10), "SIO", frozenset({1} if i % 3 else ())
        )
        for i in range(6)
    )
    return OfficeRecord(official, cast if votes else (), meetings)


def texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]


def test_the_chart_names_the_breaks_and_says_the_record_in_words() -> None:
    long = record("Alexandria Ocasio-Cortez-Montgomery-Smith", "New York City Council District "
                  "36 (Astoria and Long Island City)")  # fmt: skip
    figure = record_figure(long, today=START + timedelta(days=400))
    shown = texts(figure)
    assert "Alexandria Ocasio-Cortez-Montgomery-Smi…" in shown  # the name cut, not the office
    assert any("Long Island City). 1 vote with the chapter, 2 against; SIO meetings attended 4"
               in t.replace("\n", " ") for t in shown)  # fmt: skip
    assert "警察予算の削減に関する決議" in shown and any("قرار الإسكان العام" in t for t in shown)
    assert not any("private note" in t for t in shown)  # notes stay with the committee
    assert smallest_font_px(figure) >= MIN_FONT_PX


def test_the_png_fits_a_phone_with_non_latin_names_and_an_empty_record() -> None:
    for rec in (record("王小明", "市議会 第三選挙区"), record("Bo", "Mayor", votes=False)):
        png = record_png(rec, today=START + timedelta(days=20))
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width <= MAX_WIDTH_PX
    assert verdict(record("Bo", "Mayor", votes=False)).startswith("Mayor. No votes recorded yet")
