"""Capacity on a real SQLite file: figures stored only when valid, the ledger across races,
measured pace replacing the estimate, `race_fits`, the weekly pace job scheduled once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.db import Database, migrate
from bot.domain.capacity import ChapterCapacity, RaceFigures
from bot.domain.races import BallotLine, CandidateDraft, OfficeKind, RaceDraft, RaceStatus
from bot.errors import InvalidInput
from bot.scheduler import JobOutcome, Scheduler
from bot.services import capacity as service
from bot.services import chapters as chapter_service
from bot.services import races as race_service
from bot.store import jobs
from bot.store.chapters import ChapterConfig

# Sunday 1 March 2026, 12:00 in New York.
NOW = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
NY = "America/New_York"
GUILD, ACTOR = 1001, 77
pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "capacity.sqlite3")
    await migrate(database)
    config = ChapterConfig(GUILD, (5,), 6, None, 10, 11, 12, 13, NY, NOW, ACTOR)
    await chapter_service.configure(database, config, now=NOW)
    yield database
    await database.close()


@pytest_asyncio.fixture
async def scheduler(db: Database) -> Scheduler:
    sched = Scheduler(db, lambda: NOW)

    async def noop(job, ctx):
        return JobOutcome.done()

    sched.register(service.PACE_JOB, noop)
    return sched


async def race(db, office, weeks, status=RaceStatus.ENDORSED, incumbent=False):
    added = await race_service.add_race(
        db,
        guild_id=GUILD,
        actor_id=ACTOR,
        draft=RaceDraft(
            office,
            OfficeKind.LEGISLATIVE,
            BallotLine.NONPARTISAN,
            date(2026, 3, 1) + timedelta(weeks=weeks),
            status=status,
        ),
        now=NOW,
        tz=NY,
    )
    if incumbent:
        await race_service.add_candidate(
            db,
            guild_id=GUILD,
            race_id=added.id,
            actor_id=ACTOR,
            draft=CandidateDraft("Ina Cumbent", incumbent=True, previously_endorsed=True),
            now=NOW,
        )
    return added


async def figures(db, target, turnout, **kw):
    return await service.set_race(
        db,
        guild_id=GUILD,
        race=target,
        actor_id=ACTOR,
        figures=RaceFigures(turnout=turnout, **kw),
        tz=NY,
        now=NOW,
    )


async def set_chapter(db, scheduler, signups=20, shifts=1.0):
    return await service.set_chapter(
        db,
        scheduler,
        guild_id=GUILD,
        actor_id=ACTOR,
        capacity=ChapterCapacity(signups, shifts),
        tz=NY,
        now=NOW,
    )


async def test_bad_figures_store_nothing(db, scheduler):
    target = await race(db, "Council D1", 10)
    with pytest.raises(InvalidInput, match="Sign-ups"):
        await set_chapter(db, scheduler, signups=0)
    with pytest.raises(InvalidInput, match="fewer than the expected turnout"):
        await figures(db, target, 1_000, base_votes=2_000)
    with pytest.raises(InvalidInput, match="at most 100%"):
        await figures(db, target, 1_000, contact_rate=1.25)
    assert await service.chapter_capacity(db, GUILD) is None
    assert await service.race_figures(db, GUILD, target.id) is None
    assert await jobs.for_guild(db, GUILD, service.PACE_JOB) == []


async def test_a_past_election_is_refused(db):
    target = await race(db, "Council D1", 1)
    later = NOW + timedelta(weeks=2)
    with pytest.raises(InvalidInput, match="already past"):
        await service.set_race(
            db, guild_id=GUILD, race=target, actor_id=ACTOR,
            figures=RaceFigures(turnout=5_000), tz=NY, now=later,
        )  # fmt: skip
    assert await service.race_figures(db, GUILD, target.id) is None


async def test_ledger_counts_endorsed_races_and_the_one_considered(db, scheduler):
    # 20 sign-ups x 50% x 1 shift x 27 doors = 270 a week; 10 weeks = 2,700 doors.
    await set_chapter(db, scheduler)
    old = await race(db, "Council D1", 10, incumbent=True)
    await figures(db, old, 1_000)  # 501 to win x 3 = 1,503 doors
    new = await race(db, "Council D2", 10, status=RaceStatus.EXPLORING)
    await figures(db, new, 1_000)
    mass = await race(db, "Mayor", 10, status=RaceStatus.EXPLORING)
    await figures(db, mass, 1_000_000, renewable=True)
    assert await service.race_fits(db, GUILD, new.id, now=NOW) is False
    assert await service.race_fits(db, GUILD, mass.id, now=NOW) is True  # not counted
    found = await service.view(db, GUILD, tz=NY, now=NOW, considering=(new.id,))
    assert [line.demand.race_id for line in found.ledger.lines] == [old.id, new.id]
    assert found.ledger.capacity == 2_700 and found.ledger.line_for(new.id).over == 306


async def test_measured_pace_replaces_the_estimate_and_logged_doors_count(db, scheduler):
    await set_chapter(db, scheduler)
    target = await race(db, "Council D1", 10)
    await figures(db, target, 1_000)
    for day in (date(2026, 2, 7), date(2026, 2, 21)):
        await service.log_shift(
            db, guild_id=GUILD, member_id=ACTOR, doors=400, race=target,
            day=day, canvassers=1, tz=NY, now=NOW,
        )  # fmt: skip
    found = await service.view(db, GUILD, tz=NY, now=NOW)
    assert found.estimated_per_week == 270 and found.measured_per_week == 200
    assert found.ledger.per_week == 200
    assert found.races[target.id].remaining == 1_503 - 800
    [(item, pace)] = await service.pace_checks(db, GUILD, tz=NY, now=NOW)
    assert pace.remaining == 703 and pace.needed_per_week == 71 and not pace.behind


async def test_shifts_in_the_future_or_too_big_are_refused(db):
    target = await race(db, "Council D1", 10)
    with pytest.raises(InvalidInput, match="future"):
        await service.log_shift(
            db, guild_id=GUILD, member_id=ACTOR, doors=10, race=target,
            day=date(2026, 3, 2), canvassers=1, tz=NY, now=NOW,
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="Doors"):
        await service.log_shift(
            db, guild_id=GUILD, member_id=ACTOR, doors=10**12, race=None,
            day=date(2026, 3, 1), canvassers=30, tz=NY, now=NOW,
        )  # fmt: skip
    assert await service.canvass_log(db, GUILD) == []


async def test_the_pace_job_is_scheduled_once_for_monday_ten(db, scheduler):
    await set_chapter(db, scheduler)
    await set_chapter(db, scheduler, signups=30)
    [job] = await jobs.for_guild(db, GUILD, service.PACE_JOB)
    assert job.due_at == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 10:00 EST
    for _ in range(2):  # a recovered run asks again: still one successor
        await service.schedule_next_pace(
            db, scheduler, guild_id=GUILD, after_job_id=job.id, now=job.due_at, tz=NY
        )
    pending = [j for j in await jobs.for_guild(db, GUILD, service.PACE_JOB) if j.id != job.id]
    assert [j.due_at for j in pending] == [datetime(2026, 3, 9, 14, 0, tzinfo=UTC)]  # EDT


async def test_figures_round_trip(db):
    target = await race(db, "Council D1", 10)
    given = RaceFigures(past_turnouts=(900, 1_000, 1_100), support_rate=0.6, margin=-2.5)
    await service.set_race(
        db, guild_id=GUILD, race=target, actor_id=ACTOR, figures=given, tz=NY, now=NOW
    )
    assert await service.race_figures(db, GUILD, target.id) == given


async def test_cadre_candidates_come_before_others_by_the_questionnaire_category(
    db, scheduler, monkeypatch
):
    """The wiring to the questionnaire report: whatever category it proposes for a race's
    candidate orders the ledger (the classification itself is tested with questionnaires)."""
    from bot.domain.classify import Category
    from bot.services import questionnaires

    await set_chapter(db, scheduler)
    other = await race(db, "Council D1", 10)
    await figures(db, other, 1_000, margin=20.0)
    cadre = await race(db, "Council D2", 10)
    await figures(db, cadre, 1_000, margin=-5.0)
    member = await race_service.add_candidate(
        db, guild_id=GUILD, race_id=cadre.id, actor_id=ACTOR, draft=CandidateDraft("Kay Dre"),
        now=NOW,
    )  # fmt: skip

    async def categories(db_, guild_id, race_id):
        return {member.id: Category.CADRE} if race_id == cadre.id else {}

    monkeypatch.setattr(questionnaires, "categories_for_race", categories)
    found = await service.view(db, GUILD, tz=NY, now=NOW, considering=(other.id, cadre.id))
    assert [line.demand.race_id for line in found.ledger.lines] == [cadre.id, other.id]
