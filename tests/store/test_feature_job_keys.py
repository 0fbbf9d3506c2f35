"""One way a feature's row names its scheduled jobs (migration 0012): a `<what>_job_id`
column with a (guild_id, job) foreign key. Rows filled at version 11 keep every link (a
questionnaire's found from its jobs' payloads); a job of another chapter, or none, is
refused; a questionnaire records its jobs and a re-send retires the old deadline."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.db import Database, migrate
from bot.domain.questionnaire_sheet import Reach
from bot.scheduler import Scheduler
from bot.services import questionnaires as service
from bot.store import jobs
from bot.store import questionnaires as store
from bot.store import votes as vote_store
from tests.store.test_guild_keys_migration import migrations_up_to
from tests.store.test_questionnaires import CANDIDATE, COMMITTEE, GUILD, NOW, sent

pytestmark = pytest.mark.asyncio

A, B = 1001, 2002
T = "2026-11-27T12:00:00+00:00"

FILL = f"""
INSERT INTO races (id, guild_id, office, office_kind, ballot_line, general_date, created_at,
    updated_at) VALUES (1, {A}, 'Council D3', 'legislative', 'general', '2027-11-02', '{T}',
    '{T}');
INSERT INTO candidates (id, guild_id, race_id, name, name_key, created_at, updated_at) VALUES
    (10, {A}, 1, 'Ada', 'ada', '{T}', '{T}');
INSERT INTO questionnaire_templates (id, guild_id, version, source, created_at) VALUES
    (1, {A}, 1, 'a', '{T}');
INSERT INTO scheduled_jobs (id, guild_id, kind, due_at, payload, state, created_at,
    updated_at) VALUES
    (1, {A}, 'vote.open', '{T}', '{{"vote_id": 1}}', 'done', '{T}', '{T}'),
    (2, {A}, 'vote.close', '{T}', '{{"vote_id": 1}}', 'done', '{T}', '{T}'),
    (3, {A}, 'vote.scrub', '{T}', '{{"vote_id": 1}}', 'done', '{T}', '{T}'),
    (4, {A}, 'capacity.pace', '{T}', '{{}}', 'pending', '{T}', '{T}'),
    (5, {A}, 'questionnaire.deadline', '{T}', '{{"sheet_id": 1}}', 'done', '{T}', '{T}'),
    (6, {A}, 'questionnaire.deadline', '{T}', '{{"sheet_id": 1}}', 'pending', '{T}', '{T}'),
    (7, {A}, 'questionnaire.report', '{T}', '{{"sheet_id": 1}}', 'done', '{T}', '{T}'),
    (8, {B}, 'capacity.pace', '{T}', '{{}}', 'pending', '{T}', '{T}');
INSERT INTO votes (id, guild_id, race_id, title, layout, eligible_role_ids, quorum, threshold,
    no_endorsement, opens_at, closes_at, state, channel_id, created_by, created_at,
    open_job_id, close_job_id) VALUES
    (1, {A}, 1, 'Council', 'x', '[5]', '1/4', '3/5', 1, '{T}', '{T}', 'closed', 99, 1, '{T}',
     1, 2);
INSERT INTO chapter_capacity (guild_id, signups_per_week, shifts_per_week, show_rate,
    doors_per_shift, pace_job_id, updated_at, updated_by) VALUES
    ({A}, 5, 2, 0.5, 40, 4, '{T}', 1);
INSERT INTO questionnaires (id, guild_id, race_id, candidate_id, template_id, red_lines,
    respondent_id, reached_via, status, sent_by, sent_at) VALUES
    (1, {A}, 1, 10, 1, '[]', 500, 'dm', 'submitted', 7, '{T}');
"""  # noqa: S608


def links(path: Path) -> dict[str, tuple]:
    with sqlite3.connect(path) as conn:
        return {
            "vote": conn.execute(
                "SELECT open_job_id, close_job_id, scrub_job_id FROM votes"
            ).fetchone(),
            "pace": conn.execute("SELECT pace_job_id FROM chapter_capacity").fetchone(),
            "sheet": conn.execute(
                "SELECT deadline_job_id, report_job_id, publish_job_id FROM questionnaires"
            ).fetchone(),
        }


@pytest_asyncio.fixture
async def upgraded(tmp_path: Path):
    path = tmp_path / "bot.sqlite3"
    database = await Database.open(path)
    await migrate(database, migrations_up_to(tmp_path / "old", 11))
    async with database.reading() as conn:
        await conn.executescript(FILL)
    await migrate(database)
    yield database, path
    await database.close()


async def test_every_link_survives_and_a_questionnaire_finds_its_jobs(upgraded) -> None:
    database, path = upgraded
    assert links(path) == {"vote": (1, 2, 3), "pace": (4,), "sheet": (6, 7, None)}
    assert (await vote_store.get_vote(database, A, 1)).scrub_job_id == 3
    assert (await store.get_sheet(database, A, 1)).deadline_job_id == 6


REFUSED = {
    "a vote's close on another chapter's job": "UPDATE votes SET close_job_id = 8",
    "a vote's open on a job that does not exist": "UPDATE votes SET open_job_id = 99",
    "the pace job of another chapter": "UPDATE chapter_capacity SET pace_job_id = 8",
    "a questionnaire's deadline on another chapter's job": (
        "UPDATE questionnaires SET deadline_job_id = 8"
    ),
}


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
async def test_a_row_names_only_a_job_of_its_own_chapter(upgraded, sql: str) -> None:
    database, path = upgraded
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        async with database.transaction() as conn:
            await conn.execute(sql)
    assert links(path)["vote"] == (1, 2, 3)


async def test_a_questionnaire_names_its_jobs_and_a_resend_retires_the_old_deadline(
    db: Database, scheduler: Scheduler
) -> None:
    race, candidate, filled = await sent(db, scheduler)
    first = filled.sheet.deadline_job_id
    assert first is not None and (await jobs.get(db, first)).kind == service.DEADLINE_JOB
    again = await service.send(
        db,
        scheduler,
        race=race,
        candidate=candidate,
        respondent_id=CANDIDATE,
        reach=Reach.DM,
        deadline=NOW + timedelta(days=30),
        actor_id=COMMITTEE,
        now=NOW,
    )
    old = await jobs.get(db, first)
    assert (old.state, old.outcome) == ("done", "cancelled: sent again")
    new = await jobs.get(db, again.sheet.deadline_job_id)
    assert new.state == "pending" and new.due_at == NOW + timedelta(days=30)
    assert again.sheet.report_job_id is None and again.sheet.publish_job_id is None
    assert (await store.get_sheet(db, GUILD, filled.sheet.id)).guild_id == GUILD
