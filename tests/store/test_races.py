"""The race register on a real SQLite file: the store, and the service's rules around it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest

from bot.db import Database
from bot.domain.errors import InputError
from bot.domain.races import (
    BallotLine,
    CandidateDraft,
    CandidateStatus,
    OfficeKind,
    RaceDraft,
    RaceStatus,
)
from bot.errors import NotFound, UserError
from bot.services import races as service
from bot.store import audit
from bot.store import races as store

NOW = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
NY = "America/New_York"
pytestmark = pytest.mark.asyncio

GUILD, OTHER_GUILD, ACTOR = 1001, 2002, 77

AD36 = RaceDraft(
    office="State Assembly District 36",
    office_kind=OfficeKind.LEGISLATIVE,
    ballot_line=BallotLine.PARTISAN_PRIMARY,
    primary_date=date(2028, 6, 27),
    general_date=date(2028, 11, 7),
    notes="Incumbent retiring; talk to the union first.",
)
COUNCIL = RaceDraft(
    office="City Council At-Large",
    office_kind=OfficeKind.LEGISLATIVE,
    ballot_line=BallotLine.NONPARTISAN,
    general_date=date(2027, 11, 2),
    seats=3,
)


async def add(db: Database, draft: RaceDraft = AD36, guild: int = GUILD):
    return await service.add_race(db, guild_id=guild, actor_id=ACTOR, draft=draft, now=NOW, tz=NY)


async def test_a_race_round_trips(db: Database) -> None:
    race = await add(db)
    loaded = await store.get_race(db, GUILD, race.id)
    assert loaded == race
    assert loaded.office == AD36.office
    assert loaded.primary_date == date(2028, 6, 27)
    assert loaded.status is RaceStatus.EXPLORING
    assert loaded.created_at == NOW and loaded.archived_at is None


async def test_races_are_scoped_by_guild(db: Database) -> None:
    race = await add(db)
    await add(db, COUNCIL, guild=OTHER_GUILD)
    assert await store.get_race(db, OTHER_GUILD, race.id) is None
    assert [r.office for r in await store.list_races(db, GUILD)] == [AD36.office]
    with pytest.raises(NotFound):
        await service.get_race(db, OTHER_GUILD, race.id)


async def test_list_is_soonest_decisive_election_first_and_hides_archived(db: Database) -> None:
    ad36 = await add(db)
    council = await add(db, COUNCIL)
    assert [r.id for r in await service.list_races(db, GUILD)] == [council.id, ad36.id]
    await service.archive_race(db, guild_id=GUILD, race_id=council.id, actor_id=ACTOR, now=NOW)
    assert [r.id for r in await service.list_races(db, GUILD)] == [ad36.id]
    every = await service.list_races(db, GUILD, include_archived=True)
    assert {r.id for r in every} == {ad36.id, council.id}
    restored = await service.archive_race(
        db, guild_id=GUILD, race_id=council.id, actor_id=ACTOR, now=NOW, restore=True
    )
    assert not restored.archived


@pytest.mark.parametrize(
    "bad",
    [
        RaceDraft("Mayor", OfficeKind.EXECUTIVE, BallotLine.GENERAL, date(2026, 11, 3)),
        RaceDraft(
            "Mayor",
            OfficeKind.EXECUTIVE,
            BallotLine.NONPARTISAN,
            date(2028, 6, 1),
            primary_date=date(2028, 11, 1),
        ),
        RaceDraft("Mayor", OfficeKind.EXECUTIVE, BallotLine.GENERAL, date(2028, 11, 7), seats=0),
    ],
)
async def test_refused_races_store_nothing(db: Database, bad: RaceDraft) -> None:
    with pytest.raises(InputError):
        await add(db, bad)
    assert await store.list_races(db, GUILD, include_archived=True) == []
    assert await db.fetchall("SELECT * FROM audit_log") == []


async def test_the_schema_itself_refuses_a_primary_after_the_general(db: Database) -> None:
    bad = RaceDraft(
        "Mayor",
        OfficeKind.EXECUTIVE,
        BallotLine.NONPARTISAN,
        date(2028, 6, 1),
        primary_date=date(2028, 11, 1),
    )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await store.insert_race(conn, guild_id=GUILD, draft=bad, now=NOW)


async def test_edit_changes_a_date_and_is_audited(db: Database) -> None:
    race = await add(db)
    edited = await service.edit_race(
        db,
        guild_id=GUILD,
        race_id=race.id,
        actor_id=ACTOR,
        changes={"general_date": date(2028, 11, 14), "notes": "secret"},
        now=NOW,
        tz=NY,
    )
    assert edited.general_date == date(2028, 11, 14)
    entries = await audit.for_subject(db, GUILD, service.subject(race.id))
    assert [e.action for e in entries] == ["race.add", "race.edit"]
    assert "general_date: 2028-11-07 -> 2028-11-14" in entries[1].detail
    assert "secret" not in entries[1].detail


async def test_a_refused_edit_changes_nothing(db: Database) -> None:
    race = await add(db)
    with pytest.raises(InputError, match="must come before"):
        await service.edit_race(
            db,
            guild_id=GUILD,
            race_id=race.id,
            actor_id=ACTOR,
            changes={"primary_date": date(2028, 12, 1)},
            now=NOW,
            tz=NY,
        )
    assert await store.get_race(db, GUILD, race.id) == race


async def test_status_moves_without_rechecking_old_dates(db: Database) -> None:
    race = await add(db)
    after_election = datetime(2029, 1, 5, tzinfo=UTC)
    won = await service.set_race_status(
        db,
        guild_id=GUILD,
        race_id=race.id,
        status=RaceStatus.WON,
        actor_id=ACTOR,
        now=after_election,
    )
    assert won.status is RaceStatus.WON


async def test_candidates_round_trip_and_names_are_unique_per_race(db: Database) -> None:
    race = await add(db)
    council = await add(db, COUNCIL)
    ana = await service.add_candidate(
        db,
        guild_id=GUILD,
        race_id=race.id,
        actor_id=ACTOR,
        draft=CandidateDraft("Ana Ruiz", member_id=555, incumbent=True),
        now=NOW,
    )
    bo = await service.add_candidate(
        db, guild_id=GUILD, race_id=race.id, actor_id=ACTOR, draft=CandidateDraft("Bo Li"), now=NOW
    )
    assert bo.member_id is None and bo.status is CandidateStatus.PROSPECTIVE
    assert await service.list_candidates(db, GUILD, race.id) == [ana, bo]
    with pytest.raises(InputError, match="already a candidate"):
        await service.add_candidate(
            db,
            guild_id=GUILD,
            race_id=race.id,
            actor_id=ACTOR,
            draft=CandidateDraft(" ana  ruiz"),
            now=NOW,
        )
    # The same name on another race is another candidacy.
    await service.add_candidate(
        db,
        guild_id=GUILD,
        race_id=council.id,
        actor_id=ACTOR,
        draft=CandidateDraft("Ana Ruiz"),
        now=NOW,
    )
    assert len(await service.list_candidates(db, GUILD, race.id)) == 2


async def test_the_schema_itself_refuses_a_duplicate_name(db: Database) -> None:
    race = await add(db)
    async with db.transaction() as conn:
        await store.insert_candidate(
            conn, guild_id=GUILD, race_id=race.id, draft=CandidateDraft("Ana Ruiz"), now=NOW
        )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await store.insert_candidate(
                conn, guild_id=GUILD, race_id=race.id, draft=CandidateDraft("ANA RUIZ"), now=NOW
            )


async def test_a_candidate_cannot_sit_on_another_guilds_race(db: Database) -> None:
    race = await add(db)
    with pytest.raises(NotFound):
        await service.add_candidate(
            db,
            guild_id=OTHER_GUILD,
            race_id=race.id,
            actor_id=ACTOR,
            draft=CandidateDraft("Ana Ruiz"),
            now=NOW,
        )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await store.insert_candidate(
                conn, guild_id=OTHER_GUILD, race_id=race.id, draft=CandidateDraft("X"), now=NOW
            )


async def test_edit_and_remove_candidates(db: Database) -> None:
    race = await add(db)
    ana = await service.add_candidate(
        db, guild_id=GUILD, race_id=race.id, actor_id=ACTOR, draft=CandidateDraft("Ana"), now=NOW
    )
    bo = await service.add_candidate(
        db, guild_id=GUILD, race_id=race.id, actor_id=ACTOR, draft=CandidateDraft("Bo"), now=NOW
    )
    with pytest.raises(InputError, match="already a candidate"):
        await service.edit_candidate(
            db, guild_id=GUILD, candidate_id=bo.id, actor_id=ACTOR, changes={"name": "ana"}, now=NOW
        )
    sent = await service.set_candidate_status(
        db,
        guild_id=GUILD,
        candidate_id=ana.id,
        status=CandidateStatus.QUESTIONNAIRE_SENT,
        actor_id=ACTOR,
        now=NOW,
    )
    assert sent.status is CandidateStatus.QUESTIONNAIRE_SENT
    await service.remove_candidate(db, guild_id=GUILD, candidate_id=bo.id, actor_id=ACTOR, now=NOW)
    assert [c.name for c in await service.list_candidates(db, GUILD, race.id)] == ["Ana"]
    actions = [e.action for e in await audit.for_subject(db, GUILD, service.subject(race.id))]
    assert actions == [
        "race.add",
        "candidate.add",
        "candidate.add",
        "candidate.edit",
        "candidate.remove",
    ]


async def test_a_race_a_vote_refers_to_cannot_be_deleted(db: Database) -> None:
    race = await add(db)
    ana = await service.add_candidate(
        db, guild_id=GUILD, race_id=race.id, actor_id=ACTOR, draft=CandidateDraft("Ana"), now=NOW
    )
    # A later feature's table, referencing the register the way 0002_races.sql asks.
    async with db.transaction() as conn:
        await conn.execute(
            "CREATE TABLE votes_probe (id INTEGER PRIMARY KEY, guild_id INTEGER NOT NULL,"
            " race_id INTEGER NOT NULL, candidate_id INTEGER,"
            " FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),"
            " FOREIGN KEY (guild_id, candidate_id) REFERENCES candidates (guild_id, id))"
        )
        await conn.execute(
            "INSERT INTO votes_probe (guild_id, race_id, candidate_id) VALUES (?, ?, ?)",
            (GUILD, race.id, ana.id),
        )
    with pytest.raises(UserError, match="Archive it instead"):
        await service.delete_race(db, guild_id=GUILD, race_id=race.id, actor_id=ACTOR, now=NOW)
    with pytest.raises(UserError, match="withdrawn"):
        await service.remove_candidate(
            db, guild_id=GUILD, candidate_id=ana.id, actor_id=ACTOR, now=NOW
        )
    assert await store.get_race(db, GUILD, race.id) is not None
    assert len(await store.list_candidates(db, GUILD, race.id)) == 1


async def test_an_unreferenced_race_can_be_deleted_with_its_candidates(db: Database) -> None:
    race = await add(db)
    await service.add_candidate(
        db, guild_id=GUILD, race_id=race.id, actor_id=ACTOR, draft=CandidateDraft("Ana"), now=NOW
    )
    await service.delete_race(db, guild_id=GUILD, race_id=race.id, actor_id=ACTOR, now=NOW)
    assert await store.get_race(db, GUILD, race.id) is None
    assert await db.fetchall("SELECT * FROM candidates") == []


async def test_resolve_and_choices_see_only_the_chapters_races(db: Database) -> None:
    ad36 = await add(db)
    await add(db, COUNCIL, guild=OTHER_GUILD)
    assert await service.resolve_race(db, GUILD, str(ad36.id)) == ad36
    assert await service.resolve_race(db, GUILD, "state assembly  district 36") == ad36
    assert await service.resolve_race(db, GUILD, ad36.label) == ad36
    with pytest.raises(NotFound, match="No race called “City Council At-Large”"):
        await service.resolve_race(db, GUILD, "City Council At-Large")
    with pytest.raises(NotFound):
        await service.resolve_race(db, OTHER_GUILD, str(ad36.id))
    assert [r.id for r in await service.race_choices(db, GUILD, "")] == [ad36.id]
    assert await service.race_choices(db, GUILD, "council") == []
    assert [r.office for r in await service.race_choices(db, OTHER_GUILD, "")] == [COUNCIL.office]


async def test_resolve_candidate(db: Database) -> None:
    race = await add(db)
    ana = await service.add_candidate(
        db, guild_id=GUILD, race_id=race.id, actor_id=ACTOR, draft=CandidateDraft("Ana"), now=NOW
    )
    assert await service.resolve_candidate(db, GUILD, race, "ANA") == ana
    assert await service.resolve_candidate(db, GUILD, race, str(ana.id)) == ana
    with pytest.raises(NotFound, match="no candidate called “Zed”"):
        await service.resolve_candidate(db, GUILD, race, "Zed")
