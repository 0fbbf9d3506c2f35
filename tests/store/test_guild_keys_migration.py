"""Migration 0010 on a database filled at version 9: questionnaires, their answers and plan
reminders are rebuilt with (guild_id, id) foreign keys, every row survives unchanged, and
from then on the database refuses a row that points into another chapter."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
import pytest_asyncio

from bot.db import Database, MigrationError, migrate
from bot.store import plans as plan_store
from bot.store import questionnaires as store

pytestmark = pytest.mark.asyncio

A, B = 1001, 2002  # two chapters
NOW = "2026-11-27T12:00:00+00:00"
LATER = datetime(2026, 11, 28, tzinfo=UTC)
REBUILT = ("questionnaires", "questionnaire_answers", "plan_reminders")


def migrations_up_to(folder: Path, version: int) -> Path:
    folder.mkdir()
    for entry in resources.files("migrations").iterdir():
        if entry.name.endswith(".sql") and int(entry.name[:4]) <= version:
            shutil.copy(Path(str(entry)), folder / entry.name)
    return folder


FILL = f"""
INSERT INTO races (id, guild_id, office, office_kind, ballot_line, general_date, created_at,
    updated_at) VALUES (1, {A}, 'Council D3', 'legislative', 'general', '2027-11-02', '{NOW}',
    '{NOW}'), (2, {B}, 'Mayor', 'executive', 'general', '2027-11-02', '{NOW}', '{NOW}');
INSERT INTO candidates (id, guild_id, race_id, name, name_key, created_at, updated_at) VALUES
    (10, {A}, 1, 'Ada', 'ada', '{NOW}', '{NOW}'), (11, {A}, 1, 'Bo', 'bo', '{NOW}', '{NOW}'),
    (20, {B}, 2, 'Cy', 'cy', '{NOW}', '{NOW}'),
    (21, {B}, 2, 'Di', 'di', '{NOW}', '{NOW}');
INSERT INTO questionnaire_templates (id, guild_id, version, source, created_at) VALUES
    (1, {A}, 1, 'a', '{NOW}'), (2, {B}, 1, 'b', '{NOW}');
INSERT INTO questionnaires (id, guild_id, race_id, candidate_id, template_id, red_lines,
    respondent_id, reached_via, deadline, status, sent_by, sent_at, submitted_at, submitted_by,
    published_at, published_by, post_channel_id, post_message_id) VALUES
    (1, {A}, 1, 10, 1, '[]', 500, 'dm', '{NOW}', 'published', 7, '{NOW}', '{NOW}', 500, '{NOW}',
     7, 55, 66),
    (2, {A}, 1, 11, 1, '[]', 501, 'server', NULL, 'open', 7, '{NOW}', NULL, NULL, NULL, NULL,
     NULL, NULL),
    (3, {B}, 2, 20, 2, '[]', 502, 'committee', NULL, 'submitted', 8, '{NOW}', '{NOW}', 8, NULL,
     NULL, NULL, NULL);
INSERT INTO questionnaire_answers (guild_id, questionnaire_id, key, value, valid, entered_by,
    updated_at) VALUES ({A}, 1, 'union', 'yes', 1, 500, '{NOW}'),
    ({A}, 1, 'rent', 'maybe', 0, 500, '{NOW}'), ({A}, 2, 'union', 'no', 1, 501, '{NOW}'),
    ({B}, 3, 'union', 'yes', 1, 8, '{NOW}');
INSERT INTO plans (id, guild_id, race_id, starts, election, compressed, reminder_days,
    reminder_time, created_at, updated_at) VALUES
    (1, {A}, 1, '2026-12-01', '2027-11-02', 0, '7,1', '10:00', '{NOW}', '{NOW}'),
    (2, {B}, 2, '2026-12-01', '2027-11-02', 0, '7', '09:00', '{NOW}', '{NOW}');
INSERT INTO plan_milestones (id, guild_id, plan_id, key, name, on_day, created_at, updated_at)
    VALUES (1, {A}, 1, 'announcement', 'Announce', '2027-01-10', '{NOW}', '{NOW}'),
    (2, {B}, 2, 'custom', 'Drill 3', '2027-02-01', '{NOW}', '{NOW}');
INSERT INTO scheduled_jobs (id, guild_id, kind, due_at, state, created_at, updated_at) VALUES
    (1, {A}, 'plan.reminder', '2027-01-03T15:00:00.000000+00:00', 'missed', '{NOW}', '{NOW}'),
    (2, {A}, 'plan.reminder', '2027-01-09T15:00:00.000000+00:00', 'pending', '{NOW}', '{NOW}'),
    (3, {A}, 'plan.summary', '2027-01-04T15:00:00.000000+00:00', 'done', '{NOW}', '{NOW}'),
    (4, {B}, 'plan.reminder', '2027-01-25T14:00:00.000000+00:00', 'pending', '{NOW}', '{NOW}'),
    (5, {B}, 'plan.reminder', '2027-01-26T14:00:00.000000+00:00', 'pending', '{NOW}', '{NOW}'),
    (6, {A}, 'plan.reminder', '2027-01-26T14:00:00.000000+00:00', 'pending', '{NOW}', '{NOW}');
INSERT INTO plan_reminders (job_id, guild_id, milestone_id, days_before, summarised_by) VALUES
    (1, {A}, 1, 7, 3), (2, {A}, 1, 1, NULL), (4, {B}, 2, 7, NULL);
"""  # noqa: S608


def dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608
            for table in (
                *REBUILT,
                "questionnaire_templates",
                "races",
                "candidates",
                "plans",
                "plan_milestones",
                "scheduled_jobs",
            )
        }


@pytest_asyncio.fixture
async def upgraded(tmp_path: Path):
    """A database filled at version 9, then migrated to the newest version."""
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await migrate(db, migrations_up_to(tmp_path / "old", 9))
    async with db.reading() as conn:
        await conn.executescript(FILL)
    filled = dump(path)
    await migrate(db, migrations_up_to(tmp_path / "at_10", 10))
    rebuilt = dump(path)
    await migrate(db)  # later migrations may add columns; the rest runs on the newest
    yield db, path, (filled, rebuilt)
    await db.close()


async def test_every_row_survives_the_rebuild(upgraded) -> None:
    _, _, (filled, rebuilt) = upgraded
    assert rebuilt == filled
    assert sum(len(rows) for rows in filled.values()) == 28


async def test_foreign_keys_are_on_and_hold_after_the_migration(upgraded) -> None:
    db, _, _ = upgraded
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert await db.fetchall("PRAGMA foreign_key_check") == []


CROSS_CHAPTER = {  # each names a row of chapter A from a row of chapter B
    "an answer on another chapter's questionnaire": "INSERT INTO questionnaire_answers"
    " (guild_id, questionnaire_id, key, value, valid, entered_by, updated_at)"
    " VALUES (2002, 2, 'rent', 'yes', 1, 8, '2026-11-27')",
    "a questionnaire on another chapter's template": "INSERT INTO questionnaires (guild_id,"
    " race_id, candidate_id, template_id, red_lines, respondent_id, reached_via, status,"
    " sent_by, sent_at) VALUES (2002, 2, 21, 1, '[]', 1, 'dm', 'open', 1, '2026-11-27')",
    "a reminder for another chapter's milestone": "INSERT INTO plan_reminders"
    " (job_id, guild_id, milestone_id, days_before) VALUES (5, 2002, 1, 7)",
    "a reminder on another chapter's job": "INSERT INTO plan_reminders"
    " (job_id, guild_id, milestone_id, days_before) VALUES (6, 2002, 2, 1)",
}


@pytest.mark.parametrize("sql", CROSS_CHAPTER.values(), ids=CROSS_CHAPTER.keys())
async def test_a_cross_chapter_id_is_refused(upgraded, sql: str) -> None:
    db, path, _ = upgraded
    before = dump(path)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        async with db.transaction() as conn:
            await conn.execute(sql)
    assert dump(path) == before


async def test_the_store_reads_and_writes_only_its_own_chapter(upgraded) -> None:
    db, path, _ = upgraded
    before = dump(path)
    assert await store.get_sheet(db, B, 1) is None
    assert (await store.get_sheet(db, A, 1)).post_message_id == 66
    assert await store.answers(db, B, 1) == {}
    assert await plan_store.reminders_of(db, B, 1) == []
    assert [r.job_id for r in await plan_store.reminders_of(db, A, 1)] == [1, 2]
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        async with db.transaction() as conn:
            await store.save_answers(conn, B, 2, {"rent": ("yes", True)}, entered_by=8, now=LATER)
    async with db.transaction() as conn:  # an existing answer is not overwritten either
        await store.save_answers(conn, B, 1, {"union": ("no", True)}, entered_by=8, now=LATER)
    assert dump(path) == before


async def test_a_migration_leaving_a_dangling_key_is_rolled_back(tmp_path: Path) -> None:
    folder = migrations_up_to(tmp_path / "migrations", 99)
    newest = len(list(folder.iterdir()))
    (folder / f"{newest + 1:04d}_dangling.sql").write_text(
        "INSERT INTO guild_member_roles (guild_id, role_id) VALUES (404, 1);\n"
    )
    db = await Database.open(tmp_path / "bot.sqlite3")
    with pytest.raises(MigrationError, match="dangling.*rolled back.*point at nothing"):
        await migrate(db, folder)
    assert (await db.fetchone("SELECT count(*) FROM guild_member_roles"))[0] == 0
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    await db.close()
