"""One aiosqlite connection per process, with the pragmas that make an acknowledged write last.

Every write goes through `Database.transaction()`, which serialises transactions on an
asyncio lock: aiosqlite runs one connection on one thread, so two coroutines interleaving
statements on it would otherwise share a transaction without knowing it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

# WAL lets readers (a backup, `/vote status`) proceed while a ballot is being written.
# synchronous=FULL: in WAL mode NORMAL already survives a killed *process* (the WAL is in the
# OS page cache), but a power cut or kernel panic could lose the last commits, and a ballot
# the bot has answered "recorded" must survive those too. FULL fsyncs the WAL at each commit;
# measured cost is well under a millisecond per ballot on this machine's disk.
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


class DatabaseUnusable(Exception):
    """The database file cannot be used; the message names the file and what to do."""


def _explain(path: Path, exc: Exception) -> str:
    reason = str(exc)
    if isinstance(exc, sqlite3.DatabaseError) and "not a database" in reason:
        return (
            f"{path} is not an SQLite database (or is damaged): point DATABASE_PATH at the "
            "bot's database, or restore a backup there"
        )
    if isinstance(exc, sqlite3.Error):
        return (
            f"cannot write to {path} ({reason}): check that the bot's user owns it and its "
            "folder, and that the disk is not mounted read-only"
        )
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else reason
    return (
        f"cannot create {path} ({detail}): check the path, that the bot's user may write its "
        "folder, and that the disk is not mounted read-only"
    )


def _prepare(path: Path) -> None:
    """Refuse a folder and create the database's folder before aiosqlite starts its thread:
    a failed aiosqlite connect leaves that thread posting to a closed event loop."""
    if path.is_dir():
        raise DatabaseUnusable(
            f"{path} is a folder: set DATABASE_PATH to a file, e.g. {path / 'endorsebot.sqlite3'}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnusable(_explain(path, exc)) from exc


async def _connect(path: Path) -> aiosqlite.Connection:
    """A connection with `PRAGMAS` applied that has taken the write lock once, so a file
    that is not a database or a read-only mount fails here, with its own message."""
    if str(path) != ":memory:":
        _prepare(path)
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a migration's DDL and
        # its user_version bump are one transaction (the sqlite3 module would otherwise
        # commit implicitly before DDL).
        conn = await aiosqlite.connect(str(path), isolation_level=None)
    except sqlite3.Error as exc:
        raise DatabaseUnusable(_explain(path, exc)) from exc
    try:
        for pragma in PRAGMAS:
            await conn.execute(pragma)
        await conn.execute("BEGIN IMMEDIATE")
        await conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        await conn.close()  # its thread would otherwise keep the process alive
        raise DatabaseUnusable(_explain(path, exc)) from exc
    conn.row_factory = sqlite3.Row
    return conn


class Database:
    """The bot's SQLite database. Open with `await Database.open(path)`; close with `close()`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._writes = 0
        self.path = path

    @property
    def writes_in_flight(self) -> int:
        """Write transactions running or waiting for the lock (e.g. ballots being recorded)."""
        return self._writes

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        path = Path(path)
        return cls(await _connect(path), path)

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction (BEGIN IMMEDIATE ... COMMIT); rolled back if the block raises.

        When the block exits normally the COMMIT has returned, so the caller may acknowledge.
        """
        self._writes += 1
        try:
            async with self._lock:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                else:
                    await self._conn.execute("COMMIT")
        finally:
            self._writes -= 1

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for reads, never inside another coroutine's open transaction."""
        async with self._lock:
            yield self._conn

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        async with self.reading() as conn, conn.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        async with self.reading() as conn, conn.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())

    async def backup_to(self, target: str | Path) -> None:
        """A consistent copy of the live database via SQLite's online backup API."""
        target = Path(target)
        async with self.reading() as conn:
            dest = await _connect(target)
            try:
                await conn.backup(dest)
            finally:
                await dest.close()
