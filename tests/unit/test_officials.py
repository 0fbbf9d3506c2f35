"""The officials domain: what is refused, what the record says about working with the
chapter, and when the weekly notice runs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.classify import Assessment, Criterion, Facts, Status, incumbent_check
from bot.domain.officials import (
    Cast,
    OfficeRecord,
    OfficeVote,
    Official,
    OfficialDraft,
    OfficialInputError,
    Position,
    PositionDraft,
    SioMeeting,
    SioStatus,
    Stance,
    next_notice_run,
    validate_official,
    validate_position,
    validate_vote,
    worked_with_chapter,
)

START = date(2027, 1, 4)
ADA = Official(1, 9, "Ada Ruiz", "City Council D3", START, date(2031, 1, 1), SioStatus.ATTENDS,
               None, None, None)  # fmt: skip


def votes(*casts: Cast) -> tuple[OfficeVote, ...]:
    return tuple(
        OfficeVote(i, 9, 1, Position(i, 9, f"P{i}", Stance.SUPPORT, "", "", ""), cast, START, "")
        for i, cast in enumerate(casts)
    )


def meetings(*attended: bool) -> tuple[SioMeeting, ...]:
    return tuple(
        SioMeeting(i, 9, START, "SIO", frozenset({1} if went else set()))
        for i, went in enumerate(attended)
    )


def test_an_official_needs_a_name_an_office_and_a_term_that_ends_after_it_starts() -> None:
    with pytest.raises(OfficialInputError, match="needs an office"):
        validate_official(OfficialDraft("Ada", " \t", START))
    with pytest.raises(OfficialInputError, match="needs a name"):
        validate_official(OfficialDraft("  ", "Council", START))
    with pytest.raises(OfficialInputError, match="needs a name"):
        validate_official(OfficialDraft("\u200b\u200b", "Council", START))  # shows nothing
    with pytest.raises(OfficialInputError, match="before it starts"):
        validate_official(OfficialDraft("Ada", "Council", START, START))
    tidy = validate_official(OfficialDraft(" Ada   Ruiz ", " City  Council ", START))
    assert (tidy.name, tidy.office) == ("Ada Ruiz", "City Council")


def test_a_position_needs_a_title_and_a_real_link() -> None:
    with pytest.raises(OfficialInputError, match="needs a title"):
        validate_position(PositionDraft(" ", Stance.SUPPORT))
    with pytest.raises(OfficialInputError, match="needs a title"):
        validate_position(PositionDraft("\u2060 \u200b", Stance.SUPPORT))
    with pytest.raises(OfficialInputError, match="is not a link"):
        validate_position(PositionDraft("Rent", Stance.SUPPORT, link="council.gov/rent"))


def test_a_vote_must_fall_inside_the_term() -> None:
    with pytest.raises(OfficialInputError, match="took office on 2027-01-04"):
        validate_vote(ADA, date(2027, 1, 3), "")
    with pytest.raises(OfficialInputError, match="term ended on 2031-01-01"):
        validate_vote(ADA, date(2031, 1, 2), "")
    assert validate_vote(ADA, START, "  whip  ") == "whip"


@pytest.mark.parametrize(
    ("casts", "attended", "status", "expected"),
    [
        ((), (), SioStatus.ATTENDS, None),  # nothing to go on
        ((Cast.WITH, Cast.WITH, Cast.AGAINST), (True,), SioStatus.ATTENDS, True),
        ((Cast.WITH, Cast.AGAINST, Cast.AGAINST), (True,), SioStatus.ATTENDS, False),
        ((Cast.WITH,), (True, False, False), SioStatus.ATTENDS, False),  # missed most
        ((Cast.WITH,), (True, False), SioStatus.ATTENDS, True),  # half is not most
        ((Cast.WITH,), (), SioStatus.LEFT, False),
    ],
)
def test_worked_with_the_chapter_reads_votes_attendance_and_sio_status(
    casts, attended, status, expected
) -> None:
    official = Official(**{**{f: getattr(ADA, f) for f in ADA.__slots__}, "sio_status": status})
    record = OfficeRecord(official, votes(*casts), meetings(*attended))
    assert worked_with_chapter(record) is expected


def test_the_notice_runs_the_next_monday_at_nine_chapter_time() -> None:
    tuesday = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    run = next_notice_run(tuesday, "America/New_York")
    assert run.isoformat() == "2026-12-07T09:00:00-05:00"
    assert next_notice_run(run, "America/New_York").isoformat() == "2026-12-14T09:00:00-05:00"


def incumbent(record: OfficeRecord | None, **assessed) -> Criterion:
    facts = Facts(
        answers={}, red_lines=(), office_kind="legislative", incumbent=True,
        previously_endorsed=True, assessment=Assessment(**assessed), office_record=record,
    )  # fmt: skip
    return incumbent_check(facts).criteria[-1]


def test_worked_with_the_chapter_cites_the_record_and_the_committees_override() -> None:
    good = OfficeRecord(ADA, votes(Cast.WITH, Cast.WITH, Cast.AGAINST), meetings(True, True))
    cited = "record in office: 2 with the chapter, 1 against; attended 2 of 2 SIO meetings"
    met = incumbent(good)
    assert met.status is Status.MET and met.source.startswith(cited)
    overridden = incumbent(good, worked_with_chapter=False, worked_reason="broke on the budget")
    assert overridden.status is Status.NOT_MET
    assert overridden.source.startswith(
        "committee's assessment: no (broke on the budget); " + cited
    )
    bad = OfficeRecord(ADA, votes(Cast.AGAINST), ())
    assert incumbent(bad).status is Status.NOT_MET
    assert incumbent(OfficeRecord(ADA, (), ())).source.endswith("nothing yet to judge by")
    none = incumbent(None)
    assert none.status is Status.UNKNOWN and "committee has not assessed it" in none.source
