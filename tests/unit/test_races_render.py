"""The race embeds stay within Discord's limits however much a race holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.races import (
    BallotLine,
    Candidate,
    CandidateStatus,
    OfficeKind,
    Race,
    RaceStatus,
)
from cogs.races._render import lines_within, race_list, race_page
from cogs.races.sections import RaceSection

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def race(i: int = 1, notes: str = "n" * 1000) -> Race:
    return Race(
        id=i,
        guild_id=1,
        office="O" * 80,
        office_kind=OfficeKind.JUDICIAL,
        ballot_line=BallotLine.NONPARTISAN,
        general_date=date(2028, 11, 7),
        primary_date=date(2028, 6, 27),
        decided_in_primary=True,
        jurisdiction="J" * 80,
        seats=3,
        status=RaceStatus.ENDORSEMENT_OPEN,
        notes=notes,
        archived_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )


def candidate(i: int) -> Candidate:
    return Candidate(
        id=i,
        guild_id=1,
        race_id=1,
        name=f"{'C' * 75}{i:05d}",
        member_id=10**17 + i if i % 2 else None,
        incumbent=True,
        previously_endorsed=True,
        status=CandidateStatus.QUESTIONNAIRE_SENT,
        created_at=NOW,
        updated_at=NOW,
    )


def test_lines_within_keeps_whole_lines_and_counts_the_rest() -> None:
    assert lines_within(["a", "b"], 100) == "a\nb"
    text = lines_within([f"line {i:03d}" for i in range(200)], 100)
    assert len(text) <= 100 and text.endswith("more")
    assert len(lines_within(["x" * 5000], 1024)) <= 1024


def test_a_full_race_page_fits_discords_embed_limits() -> None:
    sections = [RaceSection(f"S{i}" * 100, "b" * 2000, order=i) for i in range(40)]
    embed = race_page(
        race(), [candidate(i) for i in range(60)], sections, tz="America/New_York", committee=True
    )
    assert len(embed) <= 6000 and len(embed.fields) <= 25
    assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in embed.fields)
    text = "\n".join(f.value for f in embed.fields)
    assert "decides the race" in text and "more" in text
    assert "(archived)" in embed.title and "(symbolic)" in embed.description


def test_members_never_get_the_notes() -> None:
    embed = race_page(race(notes="secret"), [], [], tz="America/New_York", committee=False)
    assert "secret" not in str(embed.to_dict())


def test_a_long_race_list_fits() -> None:
    embed = race_list([race(i) for i in range(300)], tz="America/New_York", archived_too=True)
    assert len(embed.description) <= 4096 and len(embed) <= 6000
    assert "n" * 10 not in embed.description
