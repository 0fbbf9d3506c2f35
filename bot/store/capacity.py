"""Capacity figures and canvass shifts (`migrations/0007_capacity.sql`).

Writers take the connection of the caller's transaction; readers take the `Database` or,
inside a transaction, its connection.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import aiosqlite

from bot.domain.capacity import CanvassShift, ChapterCapacity, DoorModel, RaceFigures, WinRule
from bot.store.rows import Source, day_text, fetch_all, instant, instant_text
from bot.store.rows import day as shift_day

# ---------------------------------------------------------------------------- the chapter


async def get_chapter(source: Source, guild_id: int) -> ChapterCapacity | None:
    rows = await fetch_all(source, "SELECT * FROM chapter_capacity WHERE guild_id = ?", (guild_id,))
    if not rows:
        return None
    row = rows[0]
    return ChapterCapacity(
        signups_per_week=row["signups_per_week"],
        shifts_per_week=row["shifts_per_week"],
        show_rate=row["show_rate"],
        doors_per_shift=row["doors_per_shift"],
    )


async def save_chapter(
    conn: aiosqlite.Connection,
    guild_id: int,
    capacity: ChapterCapacity,
    *,
    actor_id: int,
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO chapter_capacity (guild_id, signups_per_week, shifts_per_week, show_rate,"
        " doors_per_shift, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET signups_per_week = excluded.signups_per_week,"
        " shifts_per_week = excluded.shifts_per_week, show_rate = excluded.show_rate,"
        " doors_per_shift = excluded.doors_per_shift, updated_at = excluded.updated_at,"
        " updated_by = excluded.updated_by",
        (
            guild_id,
            capacity.signups_per_week,
            capacity.shifts_per_week,
            capacity.show_rate,
            capacity.doors_per_shift,
            instant_text(now),
            actor_id,
        ),
    )


async def pace_job_id(source: Source, guild_id: int) -> int | None:
    rows = await fetch_all(
        source, "SELECT pace_job_id FROM chapter_capacity WHERE guild_id = ?", (guild_id,)
    )
    return rows[0]["pace_job_id"] if rows else None


async def set_pace_job(conn: aiosqlite.Connection, guild_id: int, job_id: int) -> None:
    await conn.execute(
        "UPDATE chapter_capacity SET pace_job_id = ? WHERE guild_id = ?", (job_id, guild_id)
    )


# ------------------------------------------------------------------------------ races


def _figures(row: sqlite3.Row) -> RaceFigures:
    return RaceFigures(
        turnout=row["turnout"],
        past_turnouts=tuple(int(t) for t in row["past_turnouts"].split()),
        win_rule=WinRule(row["win_rule"]),
        winning_share=row["winning_share"],
        base_votes=row["base_votes"],
        model=DoorModel(row["model"]),
        doors_per_vote=row["doors_per_vote"],
        contact_rate=row["contact_rate"],
        support_rate=row["support_rate"],
        passes=row["passes"],
        renewable=bool(row["renewable"]),
        margin=row["margin"],
        likely_win=bool(row["likely_win"]),
    )


async def race_figures(source: Source, guild_id: int) -> dict[int, RaceFigures]:
    """Every race of the chapter that has figures: race id -> figures."""
    rows = await fetch_all(source, "SELECT * FROM race_capacity WHERE guild_id = ?", (guild_id,))
    return {row["race_id"]: _figures(row) for row in rows}


async def save_figures(
    conn: aiosqlite.Connection,
    guild_id: int,
    race_id: int,
    figures: RaceFigures,
    *,
    actor_id: int,
    now: datetime,
) -> None:
    values = (
        figures.turnout,
        " ".join(str(t) for t in figures.past_turnouts),
        figures.win_rule.value,
        figures.winning_share,
        figures.base_votes,
        figures.model.value,
        figures.doors_per_vote,
        figures.contact_rate,
        figures.support_rate,
        figures.passes,
        int(figures.renewable),
        figures.margin,
        int(figures.likely_win),
        instant_text(now),
        actor_id,
    )
    await conn.execute(
        "INSERT OR REPLACE INTO race_capacity (guild_id, race_id, turnout, past_turnouts,"
        " win_rule, winning_share, base_votes, model, doors_per_vote, contact_rate,"
        " support_rate, passes, renewable, margin, likely_win, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (guild_id, race_id, *values),
    )


# ---------------------------------------------------------------------------- shifts


def _shift(row: sqlite3.Row) -> CanvassShift:
    return CanvassShift(
        id=row["id"],
        guild_id=row["guild_id"],
        race_id=row["race_id"],
        member_id=row["member_id"],
        canvassers=row["canvassers"],
        doors=row["doors"],
        day=shift_day(row["shift_date"]),
        logged_at=instant(row["logged_at"]),
    )


async def insert_shift(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    race_id: int | None,
    member_id: int,
    canvassers: int,
    doors: int,
    day: date,
    now: datetime,
) -> int:
    async with conn.execute(
        "INSERT INTO canvass_shifts (guild_id, race_id, member_id, canvassers, doors,"
        " shift_date, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (guild_id, race_id, member_id, canvassers, doors, day_text(day), instant_text(now)),
    ) as cur:
        return int(cur.lastrowid)


async def shifts(source: Source, guild_id: int, *, since: date | None = None) -> list[CanvassShift]:
    """The chapter's logged shifts, oldest day first (from `since`, if given)."""
    rows = await fetch_all(
        source,
        "SELECT * FROM canvass_shifts WHERE guild_id = ? AND shift_date >= ?"
        " ORDER BY shift_date, id",
        (guild_id, day_text(since or date.min)),
    )
    return [_shift(r) for r in rows]


async def doors_by_race(source: Source, guild_id: int) -> dict[int, int]:
    """Doors logged so far for each race that has any."""
    rows = await fetch_all(
        source,
        "SELECT race_id, SUM(doors) AS doors FROM canvass_shifts"
        " WHERE guild_id = ? AND race_id IS NOT NULL GROUP BY race_id",
        (guild_id,),
    )
    return {r["race_id"]: int(r["doors"]) for r in rows}
