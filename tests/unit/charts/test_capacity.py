"""The capacity chart: one row per race in the ledger's priority order, labelled apart, with
its figures on the bar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from matplotlib.text import Text

from bot.charts import MIN_FONT_PX, smallest_font_px
from bot.charts.capacity import RaceBar, capacity_figure, capacity_png
from bot.domain import ledger
from bot.domain.capacity import ChapterCapacity, RaceFigures, estimate
from bot.domain.races import BallotLine, OfficeKind, Race, RaceStatus
from bot.services.capacity import CapacityView, RaceEstimate
from cogs.capacity._render import ledger_bars

NOW = datetime(2026, 1, 5, tzinfo=UTC)
TODAY = NOW.date()


def race(race_id: int, office: str, year: int, jurisdiction: str = "") -> Race:
    return Race(
        id=race_id, guild_id=1, office=office, office_kind=OfficeKind.LEGISLATIVE,
        ballot_line=BallotLine.NONPARTISAN, general_date=date(year, 11, 3), primary_date=None,
        decided_in_primary=False, jurisdiction=jurisdiction, seats=1,
        status=RaceStatus.ENDORSED, notes="", archived_at=None, created_at=NOW, updated_at=NOW,
    )  # fmt: skip


# Ten races: two Board of Supervisors districts, the same council seat in two years, two
# school boards in two cities, an incumbent's race that comes first though it was added last.
RACES = [
    (race(1, "Board of Supervisors District 1", 2028), 1000, 5.0, ledger.Priority.OTHER),
    (race(2, "Board of Supervisors District 2", 2028), 1200, 4.0, ledger.Priority.OTHER),
    (race(3, "City Council", 2027), 900, 3.0, ledger.Priority.OTHER),
    (race(4, "City Council", 2029), 900, 2.0, ledger.Priority.OTHER),
    (race(5, "School Board", 2028, "Oakland"), 700, 1.0, ledger.Priority.OTHER),
    (race(6, "School Board", 2028, "Berkeley"), 700, 0.5, ledger.Priority.OTHER),
    (race(7, "Mayor", 2028), 9000, None, ledger.Priority.OTHER),
    (race(8, "Rent Board", 2027), 500, None, ledger.Priority.CADRE),
    (race(9, "Water District Board", 2028), 400, None, ledger.Priority.OTHER),
    (race(10, "County Assessor", 2027), 800, None, ledger.Priority.INCUMBENT),
]


def ten_race_view() -> CapacityView:
    chapter = ChapterCapacity(signups_per_week=10, shifts_per_week=1)  # 200 doors a week
    races, demands = {}, []
    for r, turnout, margin, priority in RACES:
        found = estimate(RaceFigures(turnout=turnout * 2))
        races[r.id] = RaceEstimate(r, RaceFigures(turnout=turnout * 2), found, 0, 100.0)
        demands.append(
            ledger.Demand(r.id, r.label, r.decisive_date, found.doors, priority, margin)
        )  # fmt: skip
    built = ledger.build(demands, per_week=chapter.doors_per_week, today=TODAY)
    return CapacityView(chapter, None, built, races, (), "UTC")


def row_labels(figure) -> list[str]:
    axes = figure.axes[0]
    return [t.get_text() for t in axes.get_yticklabels()]


def test_one_row_per_race_in_the_ledgers_priority_order_each_labelled_apart() -> None:
    view = ten_race_view()
    bars = ledger_bars(view)
    figure = capacity_figure(bars, view.ledger.capacity, "v")
    labels = row_labels(figure)
    assert len(labels) == len(set(labels)) == 10  # no two races share a row
    order = [view.races[line.demand.race_id].race for line in view.ledger.lines]
    assert order[0].office == "County Assessor" and order[1].office == "Rent Board"
    for label, r in zip(labels, order, strict=True):
        assert str(r.decisive_date.year) in label  # the year tells same-office races apart
    assert "City Council (2027)" in labels and "City Council (2029)" in labels
    assert any("District 1" in label for label in labels)
    assert any("District 2" in label for label in labels)
    assert any("Oakland" in label for label in labels)
    assert any("Berkeley" in label for label in labels)
    assert smallest_font_px(figure) >= MIN_FONT_PX


def test_the_figures_are_on_the_bars() -> None:
    view = ten_race_view()
    bars = ledger_bars(view)
    figure = capacity_figure(bars, view.ledger.capacity, "v")
    texts = {t.get_text() for t in figure.axes[0].findobj(Text)}
    for line in view.ledger.lines:
        doors = f"{line.demand.doors:,}"
        if line.fits:
            assert doors in texts
        else:
            assert f"{doors} · {line.over:,} over" in texts
    assert any(not line.fits for line in view.ledger.lines)  # the case is covered


def test_a_png_at_phone_width() -> None:
    png = capacity_png([RaceBar("Mayor (2028)", 0, 100, 50)], 100, "Over capacity by 50")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1000
