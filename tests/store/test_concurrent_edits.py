"""Two committee members changing the same record at once, on a real SQLite file: each
keeps the change they were told about, and one that can't be made is refused in words
(never "something went wrong"). The milestone races run end to end in
tests/e2e/test_plans_concurrent.py; capacity figures in tests/store/test_capacity_service.py."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from bot.db import Database
from bot.domain.questionnaire_sheet import Reach
from bot.domain.races import BallotLine, CandidateDraft, CandidateStatus, OfficeKind, RaceDraft
from bot.errors import NotFound
from bot.scheduler import Scheduler
from bot.services import questionnaires as service
from bot.services import races, red_lines
from bot.store import questionnaires as store

NOW = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
GUILD, ALICE, BOB = 1001, 77, 78
pytestmark = pytest.mark.asyncio


async def race_and_candidate(db: Database):
    race = await races.add_race(
        db, guild_id=GUILD, actor_id=ALICE, now=NOW, tz="UTC",
        draft=RaceDraft(
            office="Council District 3", office_kind=OfficeKind.LEGISLATIVE,
            ballot_line=BallotLine.NONPARTISAN, general_date=date(2027, 11, 2),
        ),
    )  # fmt: skip
    candidate = await races.add_candidate(
        db, guild_id=GUILD, race_id=race.id, actor_id=ALICE, now=NOW,
        draft=CandidateDraft(name="Rosa Ortiz"),
    )  # fmt: skip
    return race, candidate


async def test_two_assessments_at_once_keep_both_judgements(db: Database) -> None:
    _, candidate = await race_and_candidate(db)

    async def assess(actor: int, **changes: bool):
        return await service.assess(
            db, guild_id=GUILD, candidate=candidate, changes=changes, actor_id=actor, now=NOW
        )

    await asyncio.gather(assess(ALICE, rooted=True), assess(BOB, prominent=False, viable=True))
    stored = await store.assessment(db, GUILD, candidate.id)
    assert (stored.rooted, stored.prominent, stored.viable) == (True, False, True)
    assert stored.coheres_labor is None  # judged by nobody


async def test_assessing_a_candidate_removed_meanwhile_is_refused_in_words(db: Database) -> None:
    """The member picked the candidate, then another member removed them before the save."""
    _, candidate = await race_and_candidate(db)
    await races.remove_candidate(
        db, guild_id=GUILD, candidate_id=candidate.id, actor_id=BOB, now=NOW
    )
    with pytest.raises(NotFound, match="no longer a candidate in this race"):
        await service.assess(
            db, guild_id=GUILD, candidate=candidate, changes={"rooted": True}, actor_id=ALICE,
            now=NOW,
        )  # fmt: skip


async def test_two_edits_of_one_race_at_once_keep_both(db: Database) -> None:
    race, _ = await race_and_candidate(db)

    async def edit(actor: int, **changes):
        return await races.edit_race(
            db, guild_id=GUILD, race_id=race.id, actor_id=actor, changes=changes, now=NOW,
            tz="UTC",
        )  # fmt: skip

    await asyncio.gather(edit(ALICE, seats=3), edit(BOB, notes="Open seat"))
    stored = await races.get_race(db, GUILD, race.id)
    assert (stored.seats, stored.notes) == (3, "Open seat")


async def test_a_red_line_removed_twice_at_once_says_it_is_already_removed(
    db: Database,
) -> None:
    line = await red_lines.add(
        db, guild_id=GUILD, question="Rent control?", required=True, actor_id=ALICE, now=NOW
    )

    async def remove(actor: int):
        await red_lines.remove(db, guild_id=GUILD, line_id=line.id, actor_id=actor, now=NOW)

    outcomes = await asyncio.gather(remove(ALICE), remove(BOB), return_exceptions=True)
    assert outcomes[0] is None
    assert isinstance(outcomes[1], NotFound)
    assert "Red line" in str(outcomes[1]) and "is already removed" in str(outcomes[1])
    assert await red_lines.current(db, GUILD) == []
    with pytest.raises(NotFound, match="No such red line"):
        await red_lines.remove(db, guild_id=GUILD, line_id=line.id + 1, actor_id=BOB, now=NOW)


async def send(db: Database, race, candidate):
    scheduler = Scheduler(db, lambda: NOW)
    for kind in (service.REPORT_JOB, service.PUBLISH_JOB, service.DEADLINE_JOB):
        scheduler.register(kind, lambda job, ctx: None)  # type: ignore[arg-type, return-value]
    return await service.send(
        db, scheduler, race=race, candidate=candidate, respondent_id=500, reach=Reach.DM,
        deadline=None, actor_id=ALICE, now=NOW,
    )  # fmt: skip


async def test_a_questionnaire_sent_to_a_candidate_renamed_meanwhile_keeps_the_name(
    db: Database,
) -> None:
    """Alice picked the candidate for `/questionnaire send`; Bob renamed them before it ran.
    Sending moves the candidate's status and leaves Bob's name alone."""
    race, picked = await race_and_candidate(db)
    await races.edit_candidate(
        db, guild_id=GUILD, candidate_id=picked.id, actor_id=BOB,
        changes={"name": "Rosa M. Ortiz", "incumbent": True}, now=NOW,
    )  # fmt: skip
    await send(db, race, picked)
    now = await races.get_candidate(db, GUILD, picked.id)
    assert (now.name, now.incumbent) == ("Rosa M. Ortiz", True)
    assert now.status is CandidateStatus.QUESTIONNAIRE_SENT


async def test_a_questionnaire_sent_to_a_candidate_removed_meanwhile_is_refused_in_words(
    db: Database,
) -> None:
    race, picked = await race_and_candidate(db)
    await races.remove_candidate(db, guild_id=GUILD, candidate_id=picked.id, actor_id=BOB, now=NOW)
    with pytest.raises(NotFound, match="no longer a candidate in this race"):
        await send(db, race, picked)
