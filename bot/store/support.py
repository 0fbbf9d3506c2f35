"""Supporters and targets of the invisible primary (`migrations/0015_support.sql`).

Every query filters by guild. Writers take the caller's transaction; readers a `Source`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

import aiosqlite

from bot.domain.support import (
    Supporter,
    SupporterChange,
    SupportKind,
    SupportStatus,
    name_key,
)
from bot.store.rows import Source, fetch_all, fetch_one, instant_text


def _supporter(row: sqlite3.Row) -> Supporter:
    return Supporter(
        id=row["id"],
        guild_id=row["guild_id"],
        race_id=row["race_id"],
        name=row["name"],
        kind=SupportKind(row["kind"]),
        status=SupportStatus(row["status"]),
        notes=row["notes"],
    )


async def insert(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    race_id: int,
    name: str,
    kind: SupportKind,
    status: SupportStatus,
    notes: str,
    actor_id: int,
    now: datetime,
) -> int:
    at = instant_text(now)
    cur = await conn.execute(
        "INSERT INTO supports (guild_id, race_id, name, name_key, kind, status, notes,"
        " created_by, created_at, updated_by, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (guild_id, race_id, name, name_key(name), kind.value, status.value, notes,
         actor_id, at, actor_id, at),
    )  # fmt: skip
    assert cur.lastrowid is not None
    return cur.lastrowid


async def update(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    supporter_id: int,
    change: SupporterChange,
    actor_id: int,
    now: datetime,
) -> None:
    """Write only the fields the change gives: two committee members changing different
    fields of one supporter both keep their change."""
    sets, params = ["updated_by = ?", "updated_at = ?"], [actor_id, instant_text(now)]
    if change.name is not None:
        sets += ["name = ?", "name_key = ?"]
        params += [change.name, name_key(change.name)]
    if change.kind is not None:
        sets.append("kind = ?")
        params.append(change.kind.value)
    if change.status is not None:
        sets.append("status = ?")
        params.append(change.status.value)
    if change.notes is not None:
        sets.append("notes = ?")
        params.append(change.notes)
    await conn.execute(
        f"UPDATE supports SET {', '.join(sets)} WHERE guild_id = ? AND id = ?",  # noqa: S608
        (*params, guild_id, supporter_id),
    )


async def delete(conn: aiosqlite.Connection, *, guild_id: int, supporter_id: int) -> None:
    await conn.execute(
        "DELETE FROM supports WHERE guild_id = ? AND id = ?", (guild_id, supporter_id)
    )


async def get(source: Source, guild_id: int, supporter_id: int) -> Supporter | None:
    row = await fetch_one(
        source, "SELECT * FROM supports WHERE guild_id = ? AND id = ?", (guild_id, supporter_id)
    )
    return _supporter(row) if row else None


async def of_race(source: Source, guild_id: int, race_id: int) -> list[Supporter]:
    """The race's supporters, by kind then name."""
    rows = await fetch_all(
        source,
        "SELECT * FROM supports WHERE guild_id = ? AND race_id = ? ORDER BY kind, name_key",
        (guild_id, race_id),
    )
    return [_supporter(r) for r in rows]


async def set_target(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    race_id: int,
    kind: SupportKind,
    target: int,
    actor_id: int,
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO support_targets (guild_id, race_id, kind, target, updated_by, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (guild_id, race_id, kind) DO UPDATE SET target = excluded.target,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        (guild_id, race_id, kind.value, target, actor_id, instant_text(now)),
    )


async def targets(source: Source, guild_id: int, race_id: int) -> dict[SupportKind, int]:
    rows = await fetch_all(
        source,
        "SELECT kind, target FROM support_targets WHERE guild_id = ? AND race_id = ?",
        (guild_id, race_id),
    )
    return {SupportKind(r["kind"]): r["target"] for r in rows}
