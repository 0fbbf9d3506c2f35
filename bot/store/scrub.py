"""Scrubbing the database file and its WAL, so no page keeps what a close, a cancel or a
backup deleted (a vote's key, its keyed ballots). Whole-file work: it serves every vote.
"""

from __future__ import annotations

import aiosqlite

from bot import faults
from bot.db import Database


async def _pragma(conn: aiosqlite.Connection, statement: str) -> tuple:
    # Each cursor is drained and closed: VACUUM refuses to run beside an open one.
    async with conn.execute(statement) as cur:
        row = await cur.fetchone()
    return tuple(row) if row is not None else ()


async def scrub(db: Database) -> bool:
    """Leave no recoverable copy of deleted keys and ballots in the file or its WAL; True
    when done, False when another connection's read transaction keeps the WAL's old frames
    alive (retry later). Idempotent: scrubbing a clean file changes nothing.

    Outside any transaction (VACUUM cannot run in one). The checkpoint moves every page
    into the main file and truncates the WAL; VACUUM rewrites the file without free pages;
    the last checkpoint empties the WAL VACUUM wrote through. A checkpoint a reader blocks
    reports busy; only a WAL that is really empty afterwards counts as done. The busy
    timeout is short meanwhile, so a reader stalls this attempt, not every ballot.
    """
    async with db.reading() as conn:
        (usual,) = await _pragma(conn, "PRAGMA busy_timeout")
        await _pragma(conn, "PRAGMA busy_timeout = 200")
        try:
            await _pragma(conn, "PRAGMA secure_delete = ON")
            busy, *_ = await _pragma(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
            if busy:
                return False
            faults.fail_point("scrub:disk_full")
            await _pragma(conn, "VACUUM")
            busy, *_ = await _pragma(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            await _pragma(conn, f"PRAGMA busy_timeout = {int(usual)}")
    wal = db.path.with_name(db.path.name + "-wal")
    return not busy and (not wal.exists() or wal.stat().st_size == 0)
