"""Check-ins at an in-person meeting: which members took (or may take) a paper ballot.

A row is (vote, member) and nothing else: no time, no teller, no rowid, so nothing in it
orders the check-ins or ties one to the paper ranking a teller enters next. Turnout (who
voted online) is read from the roll's `voted` flag, never from the ballots. Nothing here logs.
"""

from __future__ import annotations

import aiosqlite

from bot.store.rows import Source, fetch_all


async def checked_in(source: Source, vote_id: int, member_id: int) -> bool:
    rows = await fetch_all(
        source,
        "SELECT 1 FROM vote_checkins WHERE vote_id = ? AND member_id = ?",
        (vote_id, member_id),
    )
    return bool(rows)


async def roll_entry(conn: aiosqlite.Connection, vote_id: int, member_id: int) -> bool | None:
    """Whether the member voted online (the roll's turnout flag); None if not on the roll."""
    rows = await fetch_all(
        conn,
        "SELECT voted FROM vote_roll WHERE vote_id = ? AND member_id = ?",
        (vote_id, member_id),
    )
    return None if not rows else bool(rows[0]["voted"])


async def check_in(conn: aiosqlite.Connection, guild_id: int, vote_id: int, member_id: int) -> bool:
    """Check the member in; False if they already were."""
    cur = await conn.execute(
        "INSERT INTO vote_checkins (guild_id, vote_id, member_id) VALUES (?, ?, ?)"
        " ON CONFLICT (vote_id, member_id) DO NOTHING",
        (guild_id, vote_id, member_id),
    )
    return cur.rowcount == 1


async def count(source: Source, vote_id: int) -> int:
    rows = await fetch_all(
        source, "SELECT count(*) AS n FROM vote_checkins WHERE vote_id = ?", (vote_id,)
    )
    return int(rows[0]["n"])
