"""Forward-only numbered SQL migrations, versioned by `PRAGMA user_version`.

Each `migrations/NNNN_name.sql` runs in one transaction together with the bump of
`user_version` to NNNN, so a migration that fails leaves the database at the previous
version. Running the migrator again is a no-op. A database whose version is higher than the
newest migration this code knows is refused: it was written by a newer release, and an older
one must not guess at its tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.db.connection import Database

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(Exception):
    """A migration could not be applied; the database stays at the version it had."""


class DatabaseTooNew(MigrationError):
    """The database was written by a newer release of the bot."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(folder: Path | None = None) -> list[Migration]:
    """The migrations in `folder` (default: the packaged `migrations/`), in version order."""
    root = folder if folder is not None else resources.files("migrations")
    found: list[Migration] = []
    for entry in root.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migrations must be numbered 0001, 0002, ... with no gap: {versions}")
    return found


async def current_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0])


async def _apply(conn: aiosqlite.Connection, migration: Migration) -> None:
    """Run one migration and bump `user_version`, in one transaction.

    Foreign keys are off while it runs: SQLite changes a table's constraints by rebuilding
    it (create the new table, copy, drop the old, rename), and with them on, dropping a
    parent would delete or orphan its children's rows. The pragma is a no-op inside a
    transaction, so it is set before BEGIN; `foreign_key_check` then proves, before the
    COMMIT, that the migration left every key pointing at a row.
    """
    await conn.execute("PRAGMA foreign_keys = OFF")
    # executescript would COMMIT a pending transaction first, so BEGIN travels inside the
    # script; the check, the version bump and the COMMIT follow on the same transaction.
    await conn.executescript(f"BEGIN IMMEDIATE;\n{migration.sql}\n;")
    async with conn.execute("PRAGMA foreign_key_check") as cur:
        broken = list(await cur.fetchall())
    if broken:
        table, rowid, parent, _ = broken[0]
        raise MigrationError(
            f"{len(broken)} row(s) would point at nothing (first: {table} row {rowid} -> {parent})"
        )
    await conn.execute(f"PRAGMA user_version = {migration.version}")
    await conn.execute("COMMIT")


async def migrate(db: Database, folder: Path | None = None) -> list[str]:
    """Apply every pending migration; return the names applied (empty when up to date)."""
    migrations = load_migrations(folder)
    newest = migrations[-1].version if migrations else 0
    applied: list[str] = []
    async with db.reading() as conn:
        version = await current_version(conn)
        if version > newest:
            raise DatabaseTooNew(
                f"The database {db.path} is at schema version {version}, but this release of "
                f"endorsebot only knows up to {newest}. Upgrade endorsebot (or restore a backup "
                "made by this release); nothing was changed."
            )
        for migration in migrations:
            if migration.version <= version:
                continue
            try:
                await _apply(conn, migration)
            except Exception as exc:
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
                raise MigrationError(
                    f"migration {migration.name} failed and was rolled back "
                    f"(database stays at version {version}): {exc}"
                ) from exc
            finally:
                # After the ROLLBACK above: the pragma is a no-op inside a transaction.
                await conn.execute("PRAGMA foreign_keys = ON")
            version = migration.version
            applied.append(migration.name)
    return applied
