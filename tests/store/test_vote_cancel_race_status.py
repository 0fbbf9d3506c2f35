"""Cancelling a vote puts its race back to the status it had before the vote (not always to
exploring), leaves a status the committee set by hand alone, and keeps the race open while
another vote on it runs. Votes from before migration 0005 get their earlier status from the
audit entry their creation wrote."""

from __future__ import annotations

import shutil
from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest

from bot.db import Database, migrate
from bot.domain.races import RaceStatus
from bot.scheduler import Scheduler
from bot.services import races as race_service
from bot.services import vote_admin, vote_create
from bot.services import votes as service
from bot.store import audit
from bot.store import votes as vote_store
from tests.store.test_votes_service import (
    CANDIDATES,
    GUILD,
    NOW,
    request,
)

pytestmark = pytest.mark.asyncio

ORGANISER = 7


async def status_of(database, race):
    return (await race_service.get_race(database, GUILD, race.id)).status


async def race_trail(database, race):
    return await audit.for_subject(database, GUILD, race_service.subject(race.id))


async def create(database, sched, race):
    plan = await vote_create.plan(database, request(race), now=NOW)
    return await vote_create.create(database, sched, plan, now=NOW)


async def cancel(database, sched, vote):
    return await vote_admin.cancel(
        database, sched, vote, reason="Candidate withdrew", actor_id=ORGANISER, now=NOW
    )


async def set_status(database, race, status):
    await race_service.set_race_status(
        database, guild_id=GUILD, race_id=race.id, status=status, actor_id=1, now=NOW
    )


@pytest.mark.parametrize(
    "before",
    [RaceStatus.EXPLORING, RaceStatus.NOT_ENDORSED, RaceStatus.WITHDRAWN, RaceStatus.ENDORSED],
)
async def test_cancel_restores_the_status_before_the_vote(db, scheduler, before, make_race):
    race = await make_race(*CANDIDATES)
    await set_status(db, race, before)
    vote = await create(db, scheduler, race)
    assert vote.race_status_before == before.value
    assert await status_of(db, race) is RaceStatus.ENDORSEMENT_OPEN

    cancelled = await cancel(db, scheduler, vote)

    assert cancelled.state == "cancelled"
    assert await status_of(db, race) is before
    last = (await race_trail(db, race))[-1]
    assert last.action == "race.status" and last.actor_id == ORGANISER
    assert last.detail.startswith(f"status: endorsement_open -> {before.value}")
    assert f"restored to {before.value}" in last.detail and f"vote {vote.id}" in last.detail


async def test_cancel_after_an_earlier_vote_not_endorsed_is_not_endorsed_again(
    db, scheduler, make_race
):
    race = await make_race(*CANDIDATES)
    first = await service.open_vote(db, (await create(db, scheduler, race)).id, [1, 2], now=NOW)
    await service.close_vote(db, first.id, now=first.closes_at, late=False)  # no ballots
    assert await status_of(db, race) is RaceStatus.NOT_ENDORSED

    second = await create(db, scheduler, race)
    assert await status_of(db, race) is RaceStatus.ENDORSEMENT_OPEN
    await cancel(db, scheduler, second)

    assert await status_of(db, race) is RaceStatus.NOT_ENDORSED


async def test_cancel_leaves_a_status_set_by_hand_while_the_vote_ran(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    vote = await create(db, scheduler, race)
    await race_service.edit_race(
        db,
        guild_id=GUILD,
        race_id=race.id,
        actor_id=1,
        changes={"status": RaceStatus.WITHDRAWN},
        now=NOW,
        tz="America/New_York",
    )
    entries = len(await race_trail(db, race))

    await cancel(db, scheduler, vote)

    assert await status_of(db, race) is RaceStatus.WITHDRAWN
    assert len(await race_trail(db, race)) == entries  # nothing moved, nothing logged


async def test_cancel_keeps_the_race_open_while_another_vote_on_it_runs(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    await set_status(db, race, RaceStatus.NOT_ENDORSED)
    first = await create(db, scheduler, race)
    second = await create(db, scheduler, race)  # the race was open already: it inherits
    assert first.race_status_before == second.race_status_before == "not_endorsed"
    assert [v.id for v in await vote_store.running_on_race(db, GUILD, race.id)] == [
        first.id,
        second.id,
    ]

    await cancel(db, scheduler, first)
    assert await status_of(db, race) is RaceStatus.ENDORSEMENT_OPEN
    await cancel(db, scheduler, second)
    assert await status_of(db, race) is RaceStatus.NOT_ENDORSED
    assert await vote_store.running_on_race(db, GUILD, race.id) == []


# --- votes created before migration 0005 ------------------------------------------------------


def shipped_up_to(folder: Path, version: int) -> None:
    folder.mkdir()
    for entry in resources.files("migrations").iterdir():
        if entry.name.endswith(".sql") and int(entry.name[:4]) <= version:
            shutil.copy(Path(str(entry)), folder / entry.name)


async def test_migration_reads_running_votes_earlier_status_from_the_audit_log(tmp_path: Path):
    folder = tmp_path / "migrations"
    shipped_up_to(folder, 4)
    database = await Database.open(tmp_path / "old.sqlite3")
    try:
        await migrate(database, folder)
        stamp, later = NOW.isoformat(), (NOW + timedelta(days=2)).isoformat()
        async with database.transaction() as conn:
            for race_id in (1, 2, 3):
                await conn.execute(
                    "INSERT INTO races (id, guild_id, office, office_kind, ballot_line,"
                    " general_date, status, created_at, updated_at) VALUES (?, ?, ?,"
                    " 'legislative', 'general', '2027-11-02', 'endorsement_open', ?, ?)",
                    (race_id, GUILD, f"Council D{race_id}", stamp, stamp),
                )
            # What 0004's code wrote: the vote, then its race's status entry at the same instant.
            for vote_id, race_id, state, logged in (
                (1, 1, "open", "status: not_endorsed -> endorsement_open"),
                (2, 2, "scheduled", None),  # no entry: the race was open already
                (3, 3, "closed", "status: withdrawn -> endorsement_open"),
            ):
                await conn.execute(
                    "INSERT INTO votes (id, guild_id, race_id, title, layout, eligible_role_ids,"
                    " quorum, threshold, no_endorsement, opens_at, closes_at, state, channel_id,"
                    " created_by, created_at) VALUES (?, ?, ?, 'Council', 'x', '[5]', '1/4',"
                    " '3/5', 1, ?, ?, ?, 99, 1, ?)",
                    (vote_id, GUILD, race_id, stamp, later, state, stamp),
                )
                if logged:
                    await conn.execute(
                        "INSERT INTO audit_log (guild_id, actor_id, action, subject, detail, at)"
                        " VALUES (?, 1, 'race.status', ?, ?, ?)",
                        (GUILD, f"race:{race_id}", logged, stamp),
                    )
        assert (await migrate(database))[0] == "0005_vote_race_status_before.sql"

        befores = {v.id: v.race_status_before for v in await vote_store.list_votes(database, GUILD)}
        assert befores == {1: "not_endorsed", 2: None, 3: None}

        sched = Scheduler(database, lambda: NOW)
        for vote_id in (1, 2):
            vote = await vote_store.get_vote(database, GUILD, vote_id)
            await vote_admin.cancel(
                database, sched, vote, reason="Redo", actor_id=ORGANISER, now=NOW
            )
        races = {r.id: r.status for r in await race_service.list_races(database, GUILD)}
        # Known: restored. Not known: exploring, as before this release.
        assert races[1] is RaceStatus.NOT_ENDORSED and races[2] is RaceStatus.EXPLORING
        trail = await audit.for_subject(database, GUILD, "race:2")
        assert "not recorded" in trail[-1].detail
    finally:
        await database.close()
