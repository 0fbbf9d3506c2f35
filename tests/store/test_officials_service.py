"""Officials on a real SQLite file: a won race makes its endorsed candidate an official,
votes in office are refused when they cannot be right (nothing stored), a chapter sees only
its own rows, concurrent edits keep each other's change, the weekly notice is chained once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db import Database
from bot.domain.errors import InputError
from bot.domain.officials import Cast, OfficialDraft, Outcome, PositionDraft, SioStatus, Stance
from bot.domain.races import CandidateDraft, CandidateStatus, RaceStatus
from bot.errors import InvalidInput, NotFound
from bot.services import officials as service
from bot.services import races as race_service
from tests.clock import ELECTION
from tests.jobs import jobs_of
from tests.store.conftest import ACTOR, GUILD, TZ

pytestmark = pytest.mark.asyncio
START = ELECTION + timedelta(days=60)


async def won(db, scheduler, make_race, now):
    race = await make_race(
        CandidateDraft("Ada Ruiz", status=CandidateStatus.ENDORSED), "Bo Chen",
        status=RaceStatus.ENDORSED,
    )  # fmt: skip
    official = await service.record_result(
        db, scheduler, race=race, outcome=Outcome.WON, candidate=None, term_start=START,
        term_end=None, actor_id=ACTOR, now=now, tz=TZ,
    )  # fmt: skip
    assert official is not None
    return race, official


async def position(db, now, title="Rent stabilization ordinance", stance=Stance.SUPPORT):
    return await service.add_position(
        db, guild_id=GUILD, draft=PositionDraft(title, stance), actor_id=ACTOR, now=now
    )


async def vote(db, now, official, pos, cast=Cast.WITH, on=START + timedelta(days=10), note=""):
    return await service.record_vote(
        db, guild_id=GUILD, official_id=official.id, position_id=pos.id, cast=cast, on=on,
        note=note, actor_id=ACTOR, now=now,
    )  # fmt: skip


async def count(db: Database, table: str) -> int:
    row = await db.fetchone(f"SELECT count(*) AS n FROM {table}")  # noqa: S608
    return row["n"]


async def test_a_won_race_makes_its_endorsed_candidate_an_official(db, scheduler, make_race, now):
    race, official = await won(db, scheduler, make_race, now)
    assert (official.name, official.office, official.term_start) == (
        "Ada Ruiz", race.label, START,
    )  # fmt: skip
    assert official.sio_status is SioStatus.JOINED
    assert (await race_service.get_race(db, GUILD, race.id)).status is RaceStatus.WON
    with pytest.raises(InvalidInput, match="already an official"):
        await service.record_result(
            db, scheduler, race=race, outcome=Outcome.WON, candidate=None, term_start=START,
            term_end=None, actor_id=ACTOR, now=now, tz=TZ,
        )  # fmt: skip
    [job] = await jobs_of(db, GUILD, service.NOTICE_JOB)
    assert job.due_at.astimezone(ZoneInfo(TZ)).weekday() == 0  # a Monday


async def test_a_win_without_an_endorsed_candidate_is_refused(db, scheduler, make_race, now):
    race = await make_race("Bo Chen", status=RaceStatus.ENDORSED)
    with pytest.raises(InvalidInput, match="no endorsed candidate"):
        await service.record_result(
            db, scheduler, race=race, outcome=Outcome.WON, candidate=None, term_start=None,
            term_end=None, actor_id=ACTOR, now=now, tz=TZ,
        )  # fmt: skip
    assert (await race_service.get_race(db, GUILD, race.id)).status is RaceStatus.ENDORSED
    assert await count(db, "officials") == 0


async def test_a_lost_race_is_lost_and_makes_no_official(db, scheduler, make_race, now):
    race = await make_race(CandidateDraft("Ada", status=CandidateStatus.ENDORSED))
    assert await service.record_result(
        db, scheduler, race=race, outcome=Outcome.LOST, candidate=None, term_start=None,
        term_end=None, actor_id=ACTOR, now=now, tz=TZ,
    ) is None  # fmt: skip
    assert (await race_service.get_race(db, GUILD, race.id)).status is RaceStatus.LOST
    assert await count(db, "officials") == 0


async def test_an_official_with_no_office_is_refused(db, scheduler, now):
    with pytest.raises(InputError, match="needs an office"):
        await service.add_official(
            db, scheduler, guild_id=GUILD, draft=OfficialDraft("Ada", "   ", START),
            actor_id=ACTOR, now=now, tz=TZ,
        )  # fmt: skip
    assert await count(db, "officials") == 0
    assert await jobs_of(db, GUILD, service.NOTICE_JOB) == []


async def test_bad_votes_are_refused_and_nothing_is_stored(db, scheduler, make_race, now):
    _, official = await won(db, scheduler, make_race, now)
    rent = await position(db, now)
    with pytest.raises(NotFound, match="position does not exist"):
        await service.record_vote(
            db, guild_id=GUILD, official_id=official.id, position_id=rent.id + 99,
            cast=Cast.WITH, on=START, note="", actor_id=ACTOR, now=now,
        )  # fmt: skip
    with pytest.raises(InputError, match=f"took office on {START.isoformat()}"):
        await vote(db, now, official, rent, on=START - timedelta(days=1))
    await vote(db, now, official, rent, note="whip pressure")
    with pytest.raises(InvalidInput, match="already recorded"):
        await vote(db, now, official, rent, cast=Cast.AGAINST)
    record = await service.record(db, GUILD, official)
    assert [(v.cast, v.note) for v in record.votes] == [(Cast.WITH, "whip pressure")]
    with pytest.raises(InvalidInput, match="already has a position"):
        await position(db, now, title="  rent STABILIZATION   ordinance ")


async def test_another_chapter_sees_none_of_it(db, scheduler, make_race, now):
    _, official = await won(db, scheduler, make_race, now)
    rent = await position(db, now)
    with pytest.raises(NotFound):
        await service.get_official(db, GUILD + 1, official.id)
    with pytest.raises(NotFound):
        await service.record_vote(
            db, guild_id=GUILD + 1, official_id=official.id, position_id=rent.id,
            cast=Cast.WITH, on=START, note="", actor_id=ACTOR, now=now,
        )  # fmt: skip
    assert await service.official_choices(db, GUILD + 1, "") == []
    assert await service.position_choices(db, GUILD + 1, "") == []


async def test_the_record_and_what_it_says_about_working_with_the_chapter(
    db, scheduler, make_race, now
):
    _, official = await won(db, scheduler, make_race, now)
    rent, cops, fares = (
        await position(db, now, "Rent"), await position(db, now, "Police budget", Stance.OPPOSE),
        await position(db, now, "Free fares"),
    )  # fmt: skip
    await vote(db, now, official, rent)
    await vote(db, now, official, cops, cast=Cast.AGAINST)
    await vote(db, now, official, fares, cast=Cast.ABSENT)
    for days, attended in ((5, [official.id]), (35, []), (-30, [])):  # the last before office
        await service.log_meeting(
            db, guild_id=GUILD, on=START + timedelta(days=days), title="SIO monthly",
            attended=attended, actor_id=ACTOR, now=now,
        )  # fmt: skip
    record = await service.record(db, GUILD, official)
    assert record.summary() == (
        "1 with the chapter, 1 against (1 absent); attended 1 of 2 SIO meetings; SIO: joined"
    )
    assert [v.position.title for v in record.broke_on] == ["Police budget"]


async def test_concurrent_edits_keep_each_others_change(db, scheduler, make_race, now):
    _, official = await won(db, scheduler, make_race, now)
    end = START + timedelta(days=4 * 365)
    await asyncio.gather(
        service.edit_official(db, guild_id=GUILD, official_id=official.id,
                              sio_status=SioStatus.ATTENDS, term_end=None, actor_id=ACTOR,
                              now=now),
        service.edit_official(db, guild_id=GUILD, official_id=official.id, sio_status=None,
                              term_end=end, actor_id=ACTOR + 1, now=now),
    )  # fmt: skip
    after = await service.get_official(db, GUILD, official.id)
    assert (after.sio_status, after.term_end) == (SioStatus.ATTENDS, end)


async def test_the_weekly_notice_claims_each_vote_against_once(db, scheduler, make_race, now):
    _, official = await won(db, scheduler, make_race, now)
    rent, cops = await position(db, now, "Rent"), await position(db, now, "Cops", Stance.OPPOSE)
    await vote(db, now, official, rent)
    await vote(db, now, official, cops, cast=Cast.AGAINST)
    [job] = await jobs_of(db, GUILD, service.NOTICE_JOB)
    first = await service.claim_notice(db, GUILD, job.id, recovering=False)
    assert [v.position.title for v in first] == ["Cops"]
    again = await service.claim_notice(db, GUILD, job.id, recovering=True)
    assert again == first
    await service.schedule_next_notice(
        db, scheduler, guild_id=GUILD, after_job_id=job.id, now=now, tz=TZ
    )
    await service.schedule_next_notice(
        db, scheduler, guild_id=GUILD, after_job_id=job.id, now=now, tz=TZ
    )
    chain = await jobs_of(db, GUILD, service.NOTICE_JOB)
    assert len(chain) == 2
    assert await service.claim_notice(db, GUILD, chain[-1].id, recovering=False) == []
    assert chain[-1].due_at > now
