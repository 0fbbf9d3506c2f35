"""The cadre race plan: backward scheduling, compression, refused dates, reminder times."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.plan_reminders import behind, headline, reminder_times
from bot.domain.plans import (
    Milestone,
    MilestoneStatus,
    PlanInputError,
    build_default,
    check_dates,
    check_done_date,
    cut_short,
    default_steps,
    months_before,
    parse_reminder_days,
    parse_reminder_time,
)

ELECTION = date(2028, 6, 27)  # a June primary that decides the race
NY = ZoneInfo("America/New_York")


def by_key(draft):
    return {m.key: m for m in draft.milestones}


def test_every_default_step_says_where_it_comes_from() -> None:
    steps = default_steps()
    assert [s.key for s in steps][0] == "district" and steps[-1].key == "election_day"
    assert all(len(s.source) > 20 for s in steps)


def test_two_years_out_the_defaults_count_back_from_election_day() -> None:
    plan = build_default(ELECTION, today=date(2026, 6, 1))
    got = by_key(plan)
    assert not plan.compressed and plan.starts == date(2026, 6, 1)
    assert got["district"].on == date(2026, 6, 27)  # T-24 months
    assert got["candidate"].on == date(2026, 12, 27)  # T-18 months
    assert got["sio"].on == date(2027, 6, 27)
    assert got["pledge_drive"].on == date(2027, 7, 27)
    assert got["announcement"].on == date(2027, 8, 27)  # T-10 months
    assert got["fundraising_launch"].on == got["announcement"].on  # announcement day
    # The invisible primary opens once there is a candidate to win commitments for.
    assert got["invisible_primary"].on == got["candidate"].on
    assert got["invisible_primary"].until == got["announcement"].on
    # "the party selects its candidates": the chapter's vote comes before the announcement.
    assert got["endorsement_vote"].on == date(2027, 7, 27)
    assert got["endorsement_vote"].on < got["announcement"].on
    assert got["petition_filing"].on is None  # jurisdictions differ: the committee enters it
    assert got["canvass_kickoff"].on == date(2027, 12, 27)
    assert got["gotv"].on == date(2028, 6, 13) and got["gotv"].until == ELECTION
    assert got["election_day"].on == ELECTION


def test_month_arithmetic_clamps_to_the_end_of_a_shorter_month() -> None:
    assert months_before(date(2028, 3, 31), 1) == date(2028, 2, 29)
    assert months_before(date(2028, 12, 31), 10) == date(2028, 2, 29)
    assert months_before(date(2028, 1, 15), 24) == date(2026, 1, 15)


def test_a_plan_made_a_year_out_is_compressed_in_order_and_proportion() -> None:
    today = date(2027, 6, 27)  # 366 days before the election; the full plan spans 731
    plan = build_default(ELECTION, today=today)
    got = by_key(plan)
    assert plan.compressed
    assert got["district"].on == today  # the earliest step lands on the plan's first day
    dated = [m.on for m in plan.milestones if m.on is not None and m.key != "invisible_primary"]
    assert dated == sorted(dated) and min(dated) >= today
    # announcement: 305 of 731 days before the election; the month-scale steps share the
    # 366 - 14 days before get-out-the-vote in the same proportion: about 157 days out
    assert (ELECTION - got["announcement"].on).days == 14 + round((305 - 14) * 352 / 717)
    assert got["gotv"].until == ELECTION and got["election_day"].on == ELECTION
    assert got["gotv"].on == ELECTION - timedelta(days=14)  # day-scale: its full length


def test_a_late_plan_keeps_two_weeks_of_gotv_and_compresses_the_months() -> None:
    """ "Planning ahead on a timeline of at least two years" (seed, "Every chapter in DSA has
    the capacity to elect a socialist cadre by 2030"): a plan made later than that keeps
    what cannot be shortened. Issue 24 found a plan made 120 days out with a 2-day
    get-out-the-vote and a 30-day canvass: now the month-scale steps compress and the
    day-scale ones keep their length."""
    today = ELECTION - timedelta(days=120)
    got = by_key(build_default(ELECTION, today=today))
    assert (got["gotv"].until - got["gotv"].on).days == 14
    canvass = (ELECTION - got["canvass_kickoff"].on).days
    assert canvass == 14 + round((184 - 14) * 106 / 717)  # six months scaled: 39 days
    assert got["district"].on == today and cut_short(today, ELECTION) == []


def test_when_even_gotv_does_not_fit_the_plan_says_so() -> None:
    """Campaign practice (cadre_timeline.toml): GOTV is the last two weeks. Nine days out it
    is not shrunk to nine: the plan says it does not fit."""
    today = ELECTION - timedelta(days=9)
    got = by_key(build_default(ELECTION, today=today))
    assert got["gotv"].on == today  # not shrunk to fit: it starts now, and that is said
    assert cut_short(today, ELECTION) == [
        "Get out the vote takes the last 14 days before the election, but the plan began "
        "9 days before it."
    ]


@given(st.integers(min_value=1, max_value=2000))
def test_no_default_milestone_is_ever_in_the_past(days_left: int) -> None:
    today = ELECTION - timedelta(days=days_left)
    plan = build_default(ELECTION, today=today)
    dated = [m.on for m in plan.milestones if m.on is not None]
    assert all(today <= d <= ELECTION for d in dated)
    assert plan.compressed == (days_left < 731)


def test_an_election_today_or_past_has_no_plan() -> None:
    with pytest.raises(PlanInputError, match="not in the future"):
        build_default(ELECTION, today=ELECTION)


@pytest.mark.parametrize(
    ("on", "until", "reason"),
    [
        (date(2028, 7, 1), None, "after the election"),
        (date(2026, 5, 1), None, "before the plan starts"),
        (date(2026, 8, 1), None, "in the past"),
        (date(2027, 3, 1), date(2027, 2, 1), "ends .* before it starts"),
        (date(2028, 6, 1), date(2028, 7, 1), "after the election"),
    ],
)
def test_refused_dates_say_why(on: date, until: date | None, reason: str) -> None:
    plan = build_default(ELECTION, today=date(2026, 6, 1))
    with pytest.raises(PlanInputError, match=reason):
        check_dates(plan, on, until, today=date(2026, 9, 1))


def test_a_milestone_done_in_the_past_may_predate_the_plan_but_not_be_in_the_future() -> None:
    check_done_date(date(2025, 1, 1), today=date(2026, 9, 1))
    with pytest.raises(PlanInputError, match="has not come yet"):
        check_done_date(date(2026, 9, 2), today=date(2026, 9, 1))


def milestone(on: date | None, *, until: date | None = None, done_on: date | None = None):
    return Milestone(1, 1, "announcement", "Announcement", on, until, done_on)


@pytest.mark.parametrize(
    ("m", "status"),
    [
        (milestone(date(2027, 1, 2)), MilestoneStatus.UPCOMING),
        (milestone(date(2027, 1, 1)), MilestoneStatus.DUE),
        (milestone(date(2026, 12, 1), until=date(2027, 1, 5)), MilestoneStatus.DUE),
        (milestone(date(2026, 12, 31)), MilestoneStatus.OVERDUE),
        (milestone(date(2026, 12, 31), done_on=date(2026, 12, 30)), MilestoneStatus.DONE),
        (milestone(None), MilestoneStatus.UNDATED),
    ],
)
def test_status(m: Milestone, status: MilestoneStatus) -> None:
    assert m.status(date(2027, 1, 1)) is status


def test_reminders_30_7_1_days_before_at_ten_local() -> None:
    m = milestone(date(2027, 8, 27))
    now = datetime(2027, 1, 1, tzinfo=UTC)
    got = reminder_times(m, (30, 7, 1), time(10), NY, now=now)
    assert [(r.days_before, r.due_at.astimezone(NY)) for r in got] == [
        (30, datetime(2027, 7, 28, 10, tzinfo=NY)),
        (7, datetime(2027, 8, 20, 10, tzinfo=NY)),
        (1, datetime(2027, 8, 26, 10, tzinfo=NY)),
    ]


def test_a_ten_oclock_reminder_stays_ten_local_across_daylight_saving() -> None:
    # New York springs forward on 2027-03-14: 30 days before 2027-03-20 is still EST,
    # 1 day before is EDT. Both read 10:00 on the chapter's clock; their UTC hours differ.
    m = milestone(date(2027, 3, 20))
    got = reminder_times(m, (30, 1), time(10), NY, now=datetime(2027, 1, 1, tzinfo=UTC))
    utc = [r.due_at.astimezone(UTC) for r in got]
    assert [u.hour for u in utc] == [15, 14]
    assert all(r.due_at.astimezone(NY).time() == time(10) for r in got)
    # and back in November (2027-11-07): EDT before, EST after.
    m = milestone(date(2027, 11, 10))
    got = reminder_times(m, (7, 1), time(10), NY, now=datetime(2027, 1, 1, tzinfo=UTC))
    assert [r.due_at.astimezone(UTC).hour for r in got] == [14, 15]


def test_no_reminders_in_the_past_none_for_done_or_undated_milestones() -> None:
    m = milestone(date(2027, 8, 27))
    now = datetime(2027, 8, 21, tzinfo=UTC)  # after the 7-day reminder
    assert [r.days_before for r in reminder_times(m, (30, 7, 1), time(10), NY, now=now)] == [1]
    done = milestone(date(2027, 8, 27), done_on=date(2027, 8, 1))
    assert reminder_times(done, (30, 7, 1), time(10), NY, now=now) == []
    assert reminder_times(milestone(None), (30, 7, 1), time(10), NY, now=now) == []


def test_headlines_and_what_is_behind() -> None:
    assert headline("Announcement", 30) == "Announcement in 30 days"
    assert headline("Election day", 1) == "Election day tomorrow"
    assert headline("GOTV", 0) == "GOTV today"
    late = Milestone(2, 1, "sio", "SIO", date(2027, 1, 1), None, None)
    done = Milestone(3, 1, "district", "District", date(2026, 12, 1), None, date(2026, 12, 1))
    assert behind([late, done, milestone(date(2027, 9, 1))], date(2027, 2, 1)) == [late]


@pytest.mark.parametrize(("text", "days"), [("30, 7, 1", (30, 7, 1)), ("1 7", (7, 1)), ("0", (0,))])
def test_reminder_days(text: str, days: tuple[int, ...]) -> None:
    assert parse_reminder_days(text) == days


@pytest.mark.parametrize("text", ["", "soon", "-1", "1,2,3,4,5,6", "400"])
def test_bad_reminder_days_are_refused(text: str) -> None:
    with pytest.raises(PlanInputError):
        parse_reminder_days(text)


def test_reminder_time() -> None:
    assert parse_reminder_time("9:30") == time(9, 30)
    with pytest.raises(PlanInputError, match="HH:MM"):
        parse_reminder_time("25:00")
