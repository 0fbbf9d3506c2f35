from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain.timeparse import (
    TimeInputError,
    format_local,
    parse_when,
    validate_timezone,
)

NOW = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
NY = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("2026-12-05 18:00", NY, utc(2026, 12, 5, 23, 0)),
        ("2026-12-05T18:00", NY, utc(2026, 12, 5, 23, 0)),
        ("  2026-12-05   9:05 ", NY, utc(2026, 12, 5, 14, 5)),
        ("2026-07-01 12:00", NY, utc(2026, 7, 1, 16, 0)),
        ("2026-07-01 12:00", "Europe/London", utc(2026, 7, 1, 11, 0)),
        ("2026-07-01 12:00", "utc", utc(2026, 7, 1, 12, 0)),
        ("2026-07-01 12:00", "Asia/Kathmandu", utc(2026, 7, 1, 6, 15)),
        # A bare date is the end of that day, local time.
        ("2026-12-05", NY, utc(2026, 12, 6, 4, 59)),
        ("2026-7-1", "Europe/Berlin", utc(2026, 7, 1, 21, 59)),
        # Explicit offsets and the zone's own abbreviation.
        ("2027-11-07 01:30 -04:00", NY, utc(2027, 11, 7, 5, 30)),
        ("2027-11-07 01:30 -05:00", NY, utc(2027, 11, 7, 6, 30)),
        ("2027-11-07 01:30 -0500", NY, utc(2027, 11, 7, 6, 30)),
        ("2027-11-07 01:30 EDT", NY, utc(2027, 11, 7, 5, 30)),
        ("2027-11-07 01:30 est", NY, utc(2027, 11, 7, 6, 30)),
        ("2026-12-05 18:00 +01:00", NY, utc(2026, 12, 5, 17, 0)),
        ("2026-12-05 18:00 UTC", NY, utc(2026, 12, 5, 18, 0)),
        ("2026-12-05 18:00Z", NY, utc(2026, 12, 5, 18, 0)),
        ("2026-12-05 18:00 -03", "America/Sao_Paulo", utc(2026, 12, 5, 21, 0)),
        # Relative forms.
        ("now", NY, NOW),
        ("NOW", NY, NOW),
        ("in 3d", NY, NOW + timedelta(days=3)),
        ("72h", NY, NOW + timedelta(hours=72)),
        ("in 90m", NY, NOW + timedelta(minutes=90)),
        ("2w", NY, NOW + timedelta(weeks=2)),
        ("in 1d 12h", NY, NOW + timedelta(days=1, hours=12)),
        ("1d12h", NY, NOW + timedelta(days=1, hours=12)),
        ("in 2 days", NY, NOW + timedelta(days=2)),
        ("In 1 Hour 30 Mins", NY, NOW + timedelta(hours=1, minutes=30)),
        ("in 0m", NY, NOW),
    ],
)
def test_parses(text: str, tz: str, expected: datetime) -> None:
    result = parse_when(text, tz=tz, now=NOW)
    assert result == expected
    assert result.tzinfo is UTC


def test_accepts_a_zoneinfo_and_a_non_utc_now() -> None:
    local_now = NOW.astimezone(ZoneInfo("Asia/Tokyo"))
    result = parse_when("in 1h", tz=ZoneInfo(NY), now=local_now)
    assert result == NOW + timedelta(hours=1)
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "tz", "fragments"),
    [
        ("tomorrow", NY, ["can't read 'tomorrow'", "`2026-12-05 18:00`", "`in 3d`", "`now`"]),
        ("", NY, ["Give a time", "`in 1d 12h`"]),
        ("12/05/2026", NY, ["can't read"]),
        ("2026-02-30", NY, ["2026-02-30 is not a real date"]),
        ("2026-02-29 10:00", NY, ["2026-02-29 10:00 is not a real date"]),
        ("2026-12-05 24:00", NY, ["not a real date and time"]),
        ("2026-12-05 12:60", NY, ["not a real date and time"]),
        ("2026-12-05 6:00 pm", NY, ["24-hour clock", "`2026-12-05 18:00`"]),
        ("in 3 fortnights", NY, ["unit 'fortnights'", "d (days)"]),
        ("in 999999w", NY, ["too far"]),
        ("9999-12-31 23:00 -05:00", NY, ["outside the dates I accept (1900 to 2200)"]),
        ("0001-01-01", NY, ["0001-01-01 is outside the dates I accept", "check the year"]),
        ("in 999999d", NY, ["too far in the future"]),
        ("2026-12-05 18:00 +15:00", NY, ["not a UTC offset"]),
        (
            "2027-03-14 02:30",
            NY,
            [
                "2027-03-14 02:30 does not exist in America/New_York: clocks jump from 02:00 "
                "to 03:00; use 03:30 or 01:30"
            ],
        ),
        (
            "2027-03-28 01:15",
            "Europe/London",
            ["does not exist in Europe/London: clocks jump from 01:00 to 02:00; use 02:15"],
        ),
        (
            "2027-11-07 01:30",
            NY,
            [
                "2027-11-07 01:30 happens twice in America/New_York",
                "`2027-11-07 01:30 -04:00` for the first",
                "`2027-11-07 01:30 -05:00` for the second",
                "pick another time",
            ],
        ),
        ("2027-03-14 02:30 EST", NY, ["does not exist"]),
        ("2026-07-01 12:00 EST", NY, ["EST is not the time in America/New_York", "it is EDT"]),
        ("2026-07-01 12:00 CEST", NY, ["CEST is not the time"]),
    ],
)
def test_rejects_with_a_plain_message(text: str, tz: str, fragments: list[str]) -> None:
    with pytest.raises(TimeInputError) as caught:
        parse_when(text, tz=tz, now=NOW)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_time_input_error_is_a_value_error() -> None:
    assert issubclass(TimeInputError, ValueError)


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("now", tz=NY, now=datetime(2026, 1, 1))


def test_bare_date_in_a_fold_is_the_later_instant() -> None:
    # America/Santiago: on 2026-04-04 clocks go back at midnight, so 23:00-23:59 happens twice.
    assert parse_when("2026-04-04", tz="America/Santiago", now=NOW) == utc(2026, 4, 5, 3, 59)


def test_bare_date_can_be_moved_to_another_time_of_day() -> None:
    got = parse_when("2026-12-05", tz=NY, now=NOW, bare_date_time=time(0, 0))
    assert got == utc(2026, 12, 5, 5, 0)


def test_bare_date_in_a_gap_moves_past_the_gap() -> None:
    # Asking for 02:30 on the spring-forward day without saying so: past the jump, 03:00.
    got = parse_when("2027-03-14", tz=NY, now=NOW, bare_date_time=time(2, 30))
    assert got == utc(2027, 3, 14, 7, 0)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("America/New_York", "America/New_York"),
        ("america/new_york", "America/New_York"),
        (" Europe/London ", "Europe/London"),
        ("UTC", "UTC"),
    ],
)
def test_validate_timezone(name: str, canonical: str) -> None:
    assert validate_timezone(name).key == canonical


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("America/NewYork", "`America/New_York`"),
        ("Europe/Londn", "`Europe/London`"),
        ("new york", "`America/New_York`"),
        ("Chicago", "`America/Chicago`"),
    ],
)
def test_unknown_timezone_suggests_close_names(name: str, suggestion: str) -> None:
    with pytest.raises(TimeInputError, match="is not a timezone I know") as caught:
        validate_timezone(name)
    assert "Did you mean" in str(caught.value)
    assert suggestion in str(caught.value)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "../../etc/passwd", "localtime"])
def test_unknown_timezone_without_a_guess_still_explains(name: str) -> None:
    with pytest.raises(TimeInputError, match="IANA name such as `America/New_York`"):
        validate_timezone(name)


def test_unknown_timezone_in_parse_when() -> None:
    with pytest.raises(TimeInputError, match="not a timezone"):
        parse_when("now", tz="Nowhere/Special", now=NOW)


@pytest.mark.parametrize(
    ("dt", "tz", "expected"),
    [
        (utc(2026, 12, 6, 4, 59), NY, "2026-12-05 23:59 EST"),
        (utc(2026, 7, 1, 16, 0), NY, "2026-07-01 12:00 EDT"),
        (utc(2026, 7, 1, 11, 0), "Europe/London", "2026-07-01 12:00 BST"),
        (utc(2026, 7, 1, 6, 15), "Asia/Kathmandu", "2026-07-01 12:00 +0545"),
    ],
)
def test_format_local(dt: datetime, tz: str, expected: str) -> None:
    assert format_local(dt, tz) == expected


ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "America/Santiago",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "UTC",
]


@settings(max_examples=300, deadline=None)
@given(
    minutes=st.integers(min_value=0, max_value=60 * 24 * 366 * 20),
    zone=st.sampled_from(ZONES),
)
def test_format_local_round_trips(minutes: int, zone: str) -> None:
    instant = utc(2020, 1, 1) + timedelta(minutes=minutes)
    wall = instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    ambiguous = (
        wall.replace(tzinfo=ZoneInfo(zone), fold=1).utcoffset()
        != wall.replace(tzinfo=ZoneInfo(zone), fold=0).utcoffset()
    )
    assume(not ambiguous)
    assert parse_when(format_local(instant, zone), tz=zone, now=NOW) == instant


@settings(max_examples=200, deadline=None)
@given(minutes=st.integers(min_value=0, max_value=60 * 24 * 366 * 20))
def test_format_local_round_trips_even_in_a_fold_when_abbreviations_differ(minutes: int) -> None:
    # New York's EDT/EST name the two halves of the fold, so the shown text is unambiguous.
    instant = utc(2020, 1, 1) + timedelta(minutes=minutes)
    assert parse_when(format_local(instant, NY), tz=NY, now=NOW) == instant
