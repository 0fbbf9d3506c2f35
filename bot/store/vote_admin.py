"""The committee's changes to a vote after it is created: extend, cancel, paper ballots,
purge, and the chapter's retention period. Like `bot.store.votes`, nothing here logs and
every write zeroes what it frees (`secure_delete`)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.vote_types import Vote
from bot.store.rows import Source, fetch_all, fetch_one, instant, instant_text
from bot.store.votes import _secure


async def _close_unmoved(conn: aiosqlite.Connection, seen: Vote) -> bool:
    """True if the vote's close is still what the caller read in `seen`. Compared as
    instants, not text: a row written before `bot.store.rows` may spell the same instant
    differently. The caller's transaction holds the write lock, so it cannot move after."""
    row = await fetch_one(conn, "SELECT closes_at FROM votes WHERE id = ?", (seen.id,))
    return row is not None and instant(row["closes_at"]) == seen.closes_at


async def extend(
    conn: aiosqlite.Connection, vote_id: int, closes_at: datetime, *, seen: Vote
) -> bool:
    """Move a scheduled or open vote's close; False if it is closed or cancelled, or its close
    moved since the caller read `seen` (an early close or another extend won the race)."""
    if not await _close_unmoved(conn, seen):
        return False
    cur = await conn.execute(
        "UPDATE votes SET closes_at = ? WHERE id = ? AND state IN ('scheduled', 'open')",
        (instant_text(closes_at), vote_id),
    )
    return cur.rowcount > 0


async def cancel(
    conn: aiosqlite.Connection, vote: Vote, *, actor_id: int, reason: str, now: datetime
) -> bool:
    """Cancel a scheduled or open vote: discard its ballots (online and paper) with its key.

    The roll stays (its turnout flags say nothing about content). False if already closed,
    or if its close moved since the caller read `vote` (an early close won the race).
    """
    await _secure(conn)
    if not await _close_unmoved(conn, vote):
        return False
    cur = await conn.execute(
        "UPDATE votes SET state = 'cancelled', closed_at = ?, cancelled_at = ?,"
        " cancelled_by = ?, cancel_reason = ? WHERE id = ? AND state IN ('scheduled', 'open')",
        (instant_text(now), instant_text(now), actor_id, reason, vote.id),
    )
    if cur.rowcount == 0:
        return False
    for statement in (
        "DELETE FROM vote_open_ballots WHERE vote_id = ?",
        "DELETE FROM vote_paper_ballots WHERE vote_id = ?",
        "DELETE FROM vote_keys WHERE vote_id = ?",
        "DELETE FROM vote_ballots WHERE vote_id = ?",
    ):
        await conn.execute(statement, (vote.id,))
    return True


async def add_paper(conn: aiosqlite.Connection, vote: Vote, ranking: str, copies: int) -> int:
    """Add `copies` identical paper ballots; the vote's paper total after it."""
    await conn.execute(
        "INSERT INTO vote_paper_ballots (guild_id, vote_id, ranking, weight) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (vote_id, ranking) DO UPDATE SET weight = weight + excluded.weight",
        (vote.guild_id, vote.id, ranking, copies),
    )
    return await paper_count(conn, vote.id)


async def paper_count(source: Source, vote_id: int) -> int:
    rows = await fetch_all(
        source,
        "SELECT coalesce(sum(weight), 0) AS n FROM vote_paper_ballots WHERE vote_id = ?",
        (vote_id,),
    )
    return int(rows[0]["n"])


async def purge(conn: aiosqlite.Connection, vote_id: int, *, actor_id: int, now: datetime) -> bool:
    """Delete a closed vote's ballots, keeping its result; False unless closed, counted (its
    result recorded: a close between its freeze and its count still needs them) and
    unpurged."""
    await _secure(conn)
    cur = await conn.execute(
        "UPDATE votes SET purged_at = ?, purged_by = ? WHERE id = ? AND state = 'closed'"
        " AND purged_at IS NULL AND result IS NOT NULL",
        (instant_text(now), actor_id, vote_id),
    )
    if cur.rowcount == 0:
        return False
    await conn.execute("DELETE FROM vote_ballots WHERE vote_id = ?", (vote_id,))
    await conn.execute("DELETE FROM vote_paper_ballots WHERE vote_id = ?", (vote_id,))
    return True


async def retention_days(source: Source, guild_id: int) -> int | None:
    """The chapter's ballot retention in days, or None if it never set one."""
    rows = await fetch_all(
        source, "SELECT days FROM vote_retention WHERE guild_id = ?", (guild_id,)
    )
    return int(rows[0]["days"]) if rows else None


async def set_retention_days(
    conn: aiosqlite.Connection, guild_id: int, days: int, *, actor_id: int, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO vote_retention (guild_id, days, updated_by, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET days = excluded.days,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        (guild_id, days, actor_id, instant_text(now)),
    )
