from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.races import (
    NO_ENDORSEMENT,
    BallotLine,
    CandidateDraft,
    OfficeKind,
    Race,
    RaceDraft,
    RaceInputError,
    RaceStatus,
    election_day_end,
    local_today,
    name_key,
    parse_election_date,
    validate_candidate,
    validate_race,
)
from bot.domain.timeparse import TimeInputError

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
NY = "America/New_York"


def draft(**changes: object) -> RaceDraft:
    base = RaceDraft(
        office="State Assembly District 36",
        office_kind=OfficeKind.LEGISLATIVE,
        ballot_line=BallotLine.PARTISAN_PRIMARY,
        primary_date=date(2028, 6, 27),
        general_date=date(2028, 11, 7),
    )
    return replace(base, **changes)


def test_a_valid_race_is_tidied() -> None:
    checked = validate_race(
        draft(office="  State  Assembly\tDistrict 36 ", notes=" n "), today=TODAY
    )
    assert checked.office == "State Assembly District 36"
    assert checked.notes == "n"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"office": "   "}, "Give the office"),
        ({"office": "x" * 81}, "at most 80"),
        ({"seats": 0}, "Seats must be between 1"),
        ({"seats": -2}, "Seats must be between 1"),
        ({"seats": 51}, "Seats must be between 1"),
        ({"general_date": date(2026, 11, 26)}, "general election date 2026-11-26 is in the past"),
        ({"primary_date": date(2025, 6, 1)}, "primary date 2025-06-01 is in the past"),
        ({"primary_date": date(2028, 12, 1)}, "must come before the general"),
        ({"primary_date": date(2028, 11, 7)}, "must come before the general"),
        ({"ballot_line": BallotLine.PARTISAN_PRIMARY, "primary_date": None}, "partisan-primary"),
        (
            {
                "ballot_line": BallotLine.NONPARTISAN,
                "primary_date": None,
                "decided_in_primary": True,
            },
            "decided in the primary needs its primary date",
        ),
        ({"general_date": None}, "Give the general election date"),
        ({"notes": "n" * 1001}, "Notes can be at most"),
    ],
)
def test_refused_races(changes: dict[str, object], message: str) -> None:
    with pytest.raises(RaceInputError, match=message):
        validate_race(draft(**changes), today=TODAY)


def test_an_election_today_is_not_in_the_past() -> None:
    validate_race(
        draft(ballot_line=BallotLine.GENERAL, primary_date=None, general_date=TODAY), today=TODAY
    )


def test_a_race_decided_in_the_primary_needs_no_general() -> None:
    validate_race(draft(general_date=None, decided_in_primary=True), today=TODAY)


def test_unchanged_past_dates_survive_an_edit() -> None:
    old = draft(primary_date=date(2026, 6, 2), general_date=date(2026, 11, 3))
    later = date(2026, 12, 1)
    edited = validate_race(replace(old, status=RaceStatus.WON), today=later, previous=old)
    assert edited.status is RaceStatus.WON
    with pytest.raises(RaceInputError, match="in the past"):
        validate_race(replace(old, general_date=date(2026, 11, 4)), today=later, previous=old)


def test_decisive_date_follows_the_primary_only_when_the_race_says_so() -> None:
    race = Race(
        id=1,
        guild_id=1,
        office="City Council District 3",
        office_kind=OfficeKind.LEGISLATIVE,
        ballot_line=BallotLine.PARTISAN_PRIMARY,
        general_date=date(2028, 11, 7),
        primary_date=date(2028, 6, 27),
        decided_in_primary=False,
        jurisdiction="",
        seats=1,
        status=RaceStatus.EXPLORING,
        notes="",
        archived_at=None,
        created_at=NOW,
        updated_at=NOW,
    )
    assert race.decisive_date == date(2028, 11, 7)
    assert replace(race, decided_in_primary=True).decisive_date == date(2028, 6, 27)
    assert race.label == "City Council District 3 (2028)"


@pytest.mark.parametrize(
    ("kind", "symbolic"),
    [
        (OfficeKind.EXECUTIVE, False),
        (OfficeKind.LEGISLATIVE, False),
        (OfficeKind.JUDICIAL, True),
        (OfficeKind.PARTY, True),
        (OfficeKind.OTHER, True),
    ],
)
def test_symbolic_offices(kind: OfficeKind, symbolic: bool) -> None:
    assert kind.symbolic is symbolic


def test_candidate_names_are_unique_per_race_whatever_the_case_and_spacing() -> None:
    assert validate_candidate(CandidateDraft(" Ana  Ruiz "), other_names=[]).name == "Ana Ruiz"
    with pytest.raises(RaceInputError, match="already a candidate"):
        validate_candidate(CandidateDraft("ana   RUIZ"), other_names=["Ana Ruiz", "Bo"])


@pytest.mark.parametrize(
    ("name", "message"),
    [("  ", "Give the candidate's name"), ("x" * 81, "at most 80"), (NO_ENDORSEMENT, "can't be")],
)
def test_refused_candidate_names(name: str, message: str) -> None:
    with pytest.raises(RaceInputError, match=message):
        validate_candidate(CandidateDraft(name), other_names=[])


@given(st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), max_size=4))
def test_name_key_ignores_spacing_and_is_idempotent(words: list[str]) -> None:
    name = " ".join(words)
    assert name_key(name) == name_key("  " + "\t ".join(words) + " ")
    assert name_key(name_key(name)) == name_key(name)


def test_parse_election_date_is_the_local_calendar_day() -> None:
    assert parse_election_date("2028-11-07", tz=NY, now=NOW) == date(2028, 11, 7)
    # 05:00 UTC is 00:00 on the 27th in New York; thirty days later is the 27th again.
    assert parse_election_date("in 30d", tz=NY, now=NOW) == date(2026, 12, 27)
    assert parse_election_date("none", tz=NY, now=NOW) is None
    with pytest.raises(TimeInputError):
        parse_election_date("next tuesday", tz=NY, now=NOW)


def test_local_today_and_election_day_end_use_the_chapter_timezone() -> None:
    assert local_today(datetime(2026, 11, 27, 3, 0, tzinfo=UTC), NY) == date(2026, 11, 26)
    end = election_day_end(date(2028, 11, 7), NY)
    assert end.astimezone(UTC) == datetime(2028, 11, 8, 4, 59, tzinfo=UTC)


@given(
    primary=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2032, 12, 31))),
    general=st.dates(date(2020, 1, 1), date(2032, 12, 31)),
)
def test_dates_are_accepted_exactly_when_future_and_in_order(
    primary: date | None, general: date
) -> None:
    candidate = draft(
        ballot_line=BallotLine.NONPARTISAN, primary_date=primary, general_date=general
    )
    ok = general >= TODAY and (primary is None or TODAY <= primary < general)
    try:
        validate_race(candidate, today=TODAY)
    except RaceInputError:
        assert not ok
    else:
        assert ok
