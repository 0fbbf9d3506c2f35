"""The migration runner on real SQLite files: fresh, re-run, a broken migration, the future."""

from __future__ import annotations

import shutil
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from bot.db import Database, DatabaseTooNew, MigrationError, migrate
from bot.db.migrate import load_migrations

pytestmark = pytest.mark.asyncio


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


async def test_fresh_database_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "bot.sqlite3"  # the folder is created too
    db = await Database.open(path)
    applied = await migrate(db)
    await db.close()
    shipped = load_migrations()
    assert applied == [m.name for m in shipped]
    assert user_version(path) == shipped[-1].version
    assert {"guild_config", "scheduled_jobs", "audit_log"} <= tables(path)


async def test_every_table_carries_guild_id(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await migrate(db)
    await db.close()
    with sqlite3.connect(tmp_path / "bot.sqlite3") as conn:
        for table in tables(tmp_path / "bot.sqlite3"):
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            assert "guild_id" in columns, table


async def test_rerun_is_a_no_op(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await migrate(db)
    version = user_version(tmp_path / "bot.sqlite3")
    assert await migrate(db) == []
    await db.close()
    assert user_version(tmp_path / "bot.sqlite3") == version


def copy_shipped(folder: Path) -> int:
    for entry in resources.files("migrations").iterdir():
        if entry.name.endswith(".sql"):
            shutil.copy(Path(str(entry)), folder / entry.name)
    return len(load_migrations(folder))


async def test_broken_migration_rolls_back_and_keeps_the_version(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    newest = copy_shipped(folder)
    # Creates a table, then fails: the table must not survive and the version must not move.
    (folder / f"{newest + 1:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (guild_id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    )
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    with pytest.raises(MigrationError, match="broken.*rolled back.*version " + str(newest)):
        await migrate(db, folder)
    # The connection is still usable after the failure.
    assert (await db.fetchone("SELECT count(*) FROM guild_config"))[0] == 0
    await db.close()
    assert user_version(path) == newest
    assert "half_done" not in tables(path)


async def test_database_from_the_future_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    db = await Database.open(path)
    with pytest.raises(DatabaseTooNew, match="schema version 999.*Upgrade endorsebot"):
        await migrate(db)
    await db.close()
    assert user_version(path) == 999
    assert tables(path) == set()


async def test_pragmas_make_writes_durable(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA synchronous"))[0] == 2  # FULL
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000
    await db.close()
