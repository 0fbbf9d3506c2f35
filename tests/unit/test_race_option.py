"""The race option's choice names: Discord refuses a choice name over 100 characters (and
with it every choice offered), so a long office is cut; the status after it never is."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.discord_limits import CHOICE_NAME
from bot.domain.races import OFFICE_MAX, BallotLine, OfficeKind, Race, RaceStatus
from cogs.races.options import race_choice

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def race(office: str, *, archived: bool = False) -> Race:
    return Race(
        id=7,
        guild_id=1,
        office=office,
        office_kind=OfficeKind.LEGISLATIVE,
        ballot_line=BallotLine.GENERAL,
        general_date=date(2028, 11, 7),
        primary_date=None,
        decided_in_primary=False,
        jurisdiction="",
        seats=1,
        status=RaceStatus.ENDORSEMENT_OPEN,
        notes="",
        archived_at=NOW if archived else None,
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_short_race_is_named_whole_with_its_status() -> None:
    choice = race_choice(race("City Council D3"))
    assert choice.name == "City Council D3 (2028) · Endorsement open"
    assert choice.value == "7"


@pytest.mark.parametrize("letter", ["O", "市", "ع", "🗳"])
@pytest.mark.parametrize("archived", [False, True])
def test_the_longest_office_is_cut_and_keeps_its_status(letter: str, archived: bool) -> None:
    choice = race_choice(race(letter * OFFICE_MAX, archived=archived))
    assert len(choice.name) == CHOICE_NAME
    tail = " · Endorsement open" + (" · archived" if archived else "")
    assert choice.name.endswith("…" + tail)
    assert choice.name.startswith(letter * 60)


def test_a_name_that_just_fits_is_not_cut() -> None:
    tail = " (2028) · Endorsement open"
    office = "O" * (CHOICE_NAME - len(tail))
    assert len(office) <= OFFICE_MAX
    choice = race_choice(race(office))
    assert choice.name == office + tail and "…" not in choice.name
