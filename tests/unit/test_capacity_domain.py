"""The capacity model on hand-worked examples: win numbers, both door models, chapter
capacity and measured pace, weeks in the chapter's timezone, the ledger's priority order."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain import ledger
from bot.domain.capacity import (
    DEFAULTS,
    CapacityInputError,
    ChapterCapacity,
    DoorModel,
    RaceFigures,
    WinRule,
    doors_empirical,
    doors_funnel,
    estimate,
    measured_pace,
    next_pace_run,
    pace_check,
    parse_rate,
    parse_turnouts,
    require_election,
    uses_measured,
    validate_chapter,
    validate_figures,
    validate_shift,
    weeks_logged,
    weeks_until,
    win_number,
)
from bot.domain.ledger import Demand, Priority


def test_defaults_come_from_the_data_file_with_their_sources():
    assert DEFAULTS["doors_per_vote"].value == 3.0
    assert "24,129" in DEFAULTS["doors_per_vote"].source
    assert DEFAULTS["doors_per_shift"].value == 27
    assert DEFAULTS["contact_rate"].value == 0.25
    assert DEFAULTS["show_rate"].value == 0.5
    assert all(d.source for d in DEFAULTS.values())


@pytest.mark.parametrize(
    ("doors", "votes"),
    [(24_129, 8_185), (1_600_000, 545_000)],  # Milwaukee council 2025; NYC mayoral primary 2025
)
def test_reference_campaigns_knocked_about_three_doors_per_vote(doors, votes):
    assert doors / votes == pytest.approx(DEFAULTS["doors_per_vote"].value, abs=0.1)
    # and the empirical model, given those votes, asks for about those doors
    assert doors_empirical(votes, DEFAULTS["doors_per_vote"].value) == pytest.approx(
        doors,
        rel=0.03,  # "about 1.6M" doors
    )


def test_win_numbers():
    assert win_number(20_000, WinRule.TWO_WAY) == 10_001
    assert win_number(20_001, WinRule.TWO_WAY) == 10_001
    assert win_number(30_000, WinRule.CROWDED, share=0.35) == 10_501
    assert win_number(30_000, WinRule.RANKED) == 15_001
    assert win_number(30_000, WinRule.RANKED, exhausted=0.2) == 12_001  # 24,000 continue
    with pytest.raises(CapacityInputError, match="winning share"):
        win_number(30_000, WinRule.CROWDED)


def test_funnel_worked_example():
    # 10,001 to win, 4,001 already counted on: 6,000 votes to find; 25% answer, 60% support
    # -> 40,000 doors a pass, 2 passes.
    assert doors_funnel(10_001, 4_001, 0.25, 0.6, 2) == 80_000
    assert doors_funnel(100, 500, 0.25, 0.6, 1) == 0


def test_estimate_fills_in_defaults_and_keeps_both_models():
    figures = RaceFigures(
        past_turnouts=(18_000, 20_000, 22_000), base_votes=4_001, support_rate=0.6
    )
    found = estimate(figures)
    assert found.expected_turnout == 20_000 and found.win_number == 10_001
    assert found.empirical == 30_003 and found.doors == 30_003
    assert found.funnel == 40_000 and found.contact_rate == 0.25 and found.passes == 1
    funnel = estimate(
        RaceFigures(turnout=20_000, base_votes=4_001, support_rate=0.6, model=DoorModel.FUNNEL)
    )
    assert funnel.doors == 40_000


def test_chapter_capacity_discounts_signups_only():
    chapter = ChapterCapacity(signups_per_week=20, shifts_per_week=1.5)
    assert chapter.doors_per_week == 20 * 0.5 * 1.5 * 27  # 405


def test_weeks_are_counted_in_the_chapters_timezone():
    election = date(2026, 3, 15)
    # 03:00 UTC on 2 March is still 1 March in New York: 14 days, not 13.
    now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    assert weeks_until(election, now=now, tz="America/New_York") == 2.0
    assert weeks_until(election, now=now, tz="Europe/Berlin") == 13 / 7
    assert weeks_until(date(2026, 2, 1), now=now, tz="UTC") == 0


def test_measured_pace_averages_the_last_four_weeks():
    today = date(2026, 3, 29)
    shifts = [(date(2026, 3, 2), 400), (date(2026, 3, 28), 600), (date(2026, 3, 1), 9_999)]
    assert measured_pace(shifts, today) == 250.0  # 1,000 in the window (2-29 March) / 4
    assert measured_pace([(date(2026, 1, 1), 100)], today) is None


def test_pace_check_says_when_a_race_is_behind():
    check = pace_check(20_000, 4_800, weeks_left=8, averaged=1_250)
    assert check.remaining == 15_200 and check.needed_per_week == 1_900 and check.behind
    assert not pace_check(10_000, 2_000, weeks_left=4, averaged=2_000).behind
    assert not pace_check(1_000, 1_200, weeks_left=4, averaged=None).behind


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        (RaceFigures(), "expected turnout"),
        (RaceFigures(turnout=0), "A turnout"),
        (RaceFigures(turnout=10**12), "A turnout"),
        (RaceFigures(turnout=1000, base_votes=1000), "fewer than the expected turnout"),
        (RaceFigures(turnout=1000, contact_rate=1.5), "at most 100%"),
        (RaceFigures(turnout=1000, support_rate=0.0), "more than 0%"),
        (RaceFigures(turnout=1000, doors_per_vote=-3), "Doors per vote"),
        (RaceFigures(turnout=1000, win_rule=WinRule.CROWDED), "winning share"),
        (RaceFigures(turnout=1000, model=DoorModel.FUNNEL), "support rate"),
        (RaceFigures(past_turnouts=(1, 2, 3, 4)), "at most 3"),
    ],
)
def test_bad_race_figures_are_refused(figures, message):
    with pytest.raises(CapacityInputError, match=message):
        validate_figures(figures)


@pytest.mark.parametrize(
    ("chapter", "message"),
    [
        (ChapterCapacity(0, 1), "Sign-ups"),
        (ChapterCapacity(-5, 1), "Sign-ups"),
        (ChapterCapacity(10, 0), "Shifts"),
        (ChapterCapacity(10, 1, show_rate=1.2), "show rate"),
        (ChapterCapacity(10, 1, doors_per_shift=10**12), "Doors per shift"),
    ],
)
def test_bad_chapter_figures_are_refused(chapter, message):
    with pytest.raises(CapacityInputError, match=message):
        validate_chapter(chapter)


def test_rates_and_turnouts_as_typed():
    assert parse_rate("25%") == parse_rate("25") == parse_rate("0.25") == 0.25
    for bad in ("0", "-10%", "120%", "lots"):
        with pytest.raises(CapacityInputError):
            parse_rate(bad)
    assert parse_turnouts("21000 19,500; 24000") == (21_000, 19_500, 24_000)
    with pytest.raises(CapacityInputError):
        parse_turnouts("1 2 3 4")
    with pytest.raises(CapacityInputError, match="Doors"):
        validate_shift(10**12, whole_shift=True)


# ----------------------------------------------------------------------------------- ledger

TODAY = date(2026, 3, 1)


def demand(race_id, doors, *, weeks=10, **kw):
    return Demand(
        race_id, f"Race {race_id}", date.fromordinal(TODAY.toordinal() + 7 * weeks), doors, **kw
    )


def test_ledger_priority_incumbents_then_cadre_then_margin():
    found = ledger.build(
        [
            demand(1, 100, margin=-5),
            demand(2, 100, margin=8),
            demand(3, 100, priority=Priority.CADRE),
            demand(4, 100, priority=Priority.INCUMBENT),
            demand(5, 50),  # margin unknown: after the known ones
        ],
        per_week=100,
        today=TODAY,
    )
    assert [line.demand.race_id for line in found.lines] == [4, 3, 2, 1, 5]


def test_over_capacity_races_are_marked_lowest_priority_first():
    # 10 weeks x 1,000 = 10,000 doors; 6,000 + 3,000 fit, the third needs 4,000: 3,000 over.
    found = ledger.build(
        [
            demand(1, 6_000, priority=Priority.INCUMBENT),
            demand(2, 3_000, margin=2),
            demand(3, 4_000, margin=1, considered=True),
        ],
        per_week=1_000,
        today=TODAY,
    )
    assert [(line.demand.race_id, line.over) for line in found.lines] == [
        (1, 0),
        (2, 0),
        (3, 3_000),
    ]
    assert found.capacity == 10_000 and found.demand == 13_000 and found.over == 3_000
    assert not found.line_for(3).fits


def test_an_early_election_can_overflow_even_when_the_total_fits():
    # 2 weeks x 1,000 = 2,000 doors before race 2's election; it needs 3,000.
    found = ledger.build(
        [demand(1, 1_000, weeks=20, priority=Priority.INCUMBENT), demand(2, 3_000, weeks=2)],
        per_week=1_000,
        today=TODAY,
    )
    assert found.line_for(1).fits and found.line_for(2).over == 1_000


def test_renewable_races_are_listed_apart_and_not_counted():
    found = ledger.build(
        [demand(1, 9_000), demand(2, 1_000_000, renewable=True)], per_week=1_000, today=TODAY
    )
    assert [line.demand.race_id for line in found.lines] == [1]
    assert [d.race_id for d in found.renewable] == [2]
    assert found.over == 0


def _race(general, primary=None, decided=False):
    from bot.domain.races import BallotLine, OfficeKind, Race, RaceStatus

    moment = datetime(2026, 1, 1, tzinfo=UTC)
    kind, line, status = OfficeKind.LEGISLATIVE, BallotLine.GENERAL, RaceStatus.EXPLORING
    return Race(
        1, 1, "Council D1", kind, line, general, primary, decided, "", 1, status, "", None,
        moment, moment,
    )  # fmt: skip


def test_a_race_needs_an_election_ahead():
    today = date(2026, 3, 1)
    assert require_election(_race(date(2026, 11, 3)), today) == date(2026, 11, 3)
    with pytest.raises(CapacityInputError, match="no election date"):
        require_election(_race(None), today)
    with pytest.raises(CapacityInputError, match="already past"):
        require_election(_race(date(2026, 2, 28)), today)


def test_the_pace_job_runs_monday_ten_chapter_time():
    monday_before = datetime(2026, 3, 2, 14, 59, tzinfo=UTC)  # 09:59 in New York
    assert next_pace_run(monday_before, "America/New_York") == datetime(
        2026, 3, 2, 15, 0, tzinfo=UTC
    )
    at_ten = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert next_pace_run(at_ten, "America/New_York") == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    assert next_pace_run(at_ten, "Europe/Berlin") == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def test_very_likely_wins_are_listed_apart_from_renewable_races_and_not_counted():
    """ "only endorsing candidates who can fit within this number or are very likely to win
    or mobilize large numbers of people without the needed doors" (seed, "Chapter
    Strategy"): a safe incumbent is its own flag, apart from a mass campaign."""
    found = ledger.build(
        [demand(1, 9_000), demand(2, 50_000, likely_win=True), demand(3, 10**6, renewable=True)],
        per_week=1_000,
        today=TODAY,
    )
    assert [line.demand.race_id for line in found.lines] == [1]
    assert [d.race_id for d in found.likely_wins] == [2]
    assert [d.race_id for d in found.renewable] == [3]
    assert found.demand == 9_000 and found.over == 0


def test_the_headline_counts_free_doors_once():
    """Two races over capacity are each measured against the same free doors: the ledger's
    `over` is doors needed less doors that can be knocked, not the sum of the lines."""
    found = ledger.build(
        [demand(1, 6_000, priority=Priority.INCUMBENT), demand(2, 8_000), demand(3, 9_000)],
        per_week=1_000,
        today=TODAY,
    )
    assert [line.over for line in found.lines] == [0, 4_000, 5_000]
    assert found.over == found.demand - found.capacity == 13_000
    assert found.shortfall == (13_000, found.horizon)


def test_the_measured_pace_counts_only_once_enough_weeks_have_logs():
    """ "endorsements should be based on a realistic assessment of capacity" (seed, "Chapter
    Strategy"): one busy week of logs is not the chapter's pace, so the measured pace
    replaces the estimate only once 3 of the last 4 weeks have logs."""
    today = date(2026, 3, 29)
    one_week = [(date(2026, 3, 28), 450), (date(2026, 3, 27), 100)]
    assert weeks_logged(one_week, today) == 1 and not uses_measured(1)
    spread = [(date(2026, 3, 2), 10), (date(2026, 3, 9), 10), (date(2026, 3, 29), 10)]
    assert weeks_logged(spread, today) == 3 and uses_measured(3)
    assert weeks_logged([(date(2026, 3, 1), 10)], today) == 0  # before the window
