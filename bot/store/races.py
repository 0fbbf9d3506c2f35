"""Races and their candidates (`migrations/0002_races.sql`).

Writers take the connection of the caller's transaction. Readers take the `Database`, or,
where a service must read and then write atomically, the transaction's connection (the
`*_in` functions): `Database.fetchone` would wait on the lock the transaction holds.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.races import (
    BallotLine,
    Candidate,
    CandidateDraft,
    CandidateStatus,
    OfficeKind,
    Race,
    RaceDraft,
    RaceStatus,
    name_key,
)
from bot.store.rows import (
    Source,
    day,
    day_text,
    fetch_all,
    instant,
    instant_text,
    optional_instant_text,
)

# Soonest decisive election first; the office breaks ties so the order is stable.
_ALL_RACES = (
    "SELECT * FROM races WHERE guild_id = ?"
    " ORDER BY CASE WHEN decided_in_primary = 1 THEN primary_date ELSE general_date END,"
    " office, id"
)
_OPEN_RACES = (
    "SELECT * FROM races WHERE guild_id = ? AND archived_at IS NULL"
    " ORDER BY CASE WHEN decided_in_primary = 1 THEN primary_date ELSE general_date END,"
    " office, id"
)


def _race(row: sqlite3.Row) -> Race:
    return Race(
        id=row["id"],
        guild_id=row["guild_id"],
        office=row["office"],
        office_kind=OfficeKind(row["office_kind"]),
        ballot_line=BallotLine(row["ballot_line"]),
        general_date=day(row["general_date"]),
        primary_date=day(row["primary_date"]),
        decided_in_primary=bool(row["decided_in_primary"]),
        jurisdiction=row["jurisdiction"],
        seats=row["seats"],
        status=RaceStatus(row["status"]),
        notes=row["notes"],
        archived_at=instant(row["archived_at"]),
        created_at=instant(row["created_at"]),
        updated_at=instant(row["updated_at"]),
    )


def _candidate(row: sqlite3.Row) -> Candidate:
    return Candidate(
        id=row["id"],
        guild_id=row["guild_id"],
        race_id=row["race_id"],
        name=row["name"],
        member_id=row["member_id"],
        incumbent=bool(row["incumbent"]),
        previously_endorsed=bool(row["previously_endorsed"]),
        status=CandidateStatus(row["status"]),
        created_at=instant(row["created_at"]),
        updated_at=instant(row["updated_at"]),
    )


def _race_values(draft: RaceDraft) -> tuple[Any, ...]:
    return (
        draft.office,
        draft.office_kind.value,
        draft.jurisdiction,
        draft.ballot_line.value,
        draft.seats,
        day_text(draft.primary_date),
        day_text(draft.general_date),
        int(draft.decided_in_primary),
        draft.status.value,
        draft.notes,
    )


# ----------------------------------------------------------------------------- races


async def insert_race(
    conn: aiosqlite.Connection, *, guild_id: int, draft: RaceDraft, now: datetime
) -> int:
    async with conn.execute(
        "INSERT INTO races (office, office_kind, jurisdiction, ballot_line, seats, primary_date,"
        " general_date, decided_in_primary, status, notes, guild_id, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*_race_values(draft), guild_id, instant_text(now), instant_text(now)),
    ) as cur:
        return int(cur.lastrowid)


async def update_race(
    conn: aiosqlite.Connection, *, guild_id: int, race_id: int, draft: RaceDraft, now: datetime
) -> None:
    await conn.execute(
        "UPDATE races SET office = ?, office_kind = ?, jurisdiction = ?, ballot_line = ?,"
        " seats = ?, primary_date = ?, general_date = ?, decided_in_primary = ?, status = ?,"
        " notes = ?, updated_at = ? WHERE guild_id = ? AND id = ?",
        (*_race_values(draft), instant_text(now), guild_id, race_id),
    )


async def set_archived(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    race_id: int,
    archived_at: datetime | None,
    now: datetime,
) -> None:
    await conn.execute(
        "UPDATE races SET archived_at = ?, updated_at = ? WHERE guild_id = ? AND id = ?",
        (optional_instant_text(archived_at), instant_text(now), guild_id, race_id),
    )


async def delete_race(conn: aiosqlite.Connection, *, guild_id: int, race_id: int) -> None:
    """Delete a race and its candidates. Raises `sqlite3.IntegrityError` when a vote, plan
    or other row still refers to the race or one of its candidates."""
    await conn.execute("DELETE FROM races WHERE guild_id = ? AND id = ?", (guild_id, race_id))


async def get_race(source: Source, guild_id: int, race_id: int) -> Race | None:
    rows = await fetch_all(
        source, "SELECT * FROM races WHERE guild_id = ? AND id = ?", (guild_id, race_id)
    )
    return _race(rows[0]) if rows else None


async def list_races(
    source: Source, guild_id: int, *, include_archived: bool = False
) -> list[Race]:
    rows = await fetch_all(source, _ALL_RACES if include_archived else _OPEN_RACES, (guild_id,))
    return [_race(r) for r in rows]


# ------------------------------------------------------------------------ candidates


async def insert_candidate(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    race_id: int,
    draft: CandidateDraft,
    now: datetime,
) -> int:
    """Raises `sqlite3.IntegrityError` when the race already has a candidate of that name."""
    async with conn.execute(
        "INSERT INTO candidates (guild_id, race_id, name, name_key, member_id, incumbent,"
        " previously_endorsed, status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            race_id,
            draft.name,
            name_key(draft.name),
            draft.member_id,
            int(draft.incumbent),
            int(draft.previously_endorsed),
            draft.status.value,
            instant_text(now),
            instant_text(now),
        ),
    ) as cur:
        return int(cur.lastrowid)


async def update_candidate(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    candidate_id: int,
    draft: CandidateDraft,
    now: datetime,
) -> None:
    await conn.execute(
        "UPDATE candidates SET name = ?, name_key = ?, member_id = ?, incumbent = ?,"
        " previously_endorsed = ?, status = ?, updated_at = ? WHERE guild_id = ? AND id = ?",
        (
            draft.name,
            name_key(draft.name),
            draft.member_id,
            int(draft.incumbent),
            int(draft.previously_endorsed),
            draft.status.value,
            instant_text(now),
            guild_id,
            candidate_id,
        ),
    )


async def set_candidate_status(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    candidate_id: int,
    status: CandidateStatus,
    now: datetime,
) -> bool:
    """Write the candidate's status and nothing else (an edit made meanwhile stays);
    False when the candidate is gone."""
    async with conn.execute(
        "UPDATE candidates SET status = ?, updated_at = ? WHERE guild_id = ? AND id = ?",
        (status.value, instant_text(now), guild_id, candidate_id),
    ) as cur:
        return cur.rowcount == 1


async def delete_candidate(conn: aiosqlite.Connection, *, guild_id: int, candidate_id: int) -> None:
    """Raises `sqlite3.IntegrityError` when a vote or answer still refers to the candidate."""
    await conn.execute(
        "DELETE FROM candidates WHERE guild_id = ? AND id = ?", (guild_id, candidate_id)
    )


async def get_candidate(source: Source, guild_id: int, candidate_id: int) -> Candidate | None:
    rows = await fetch_all(
        source,
        "SELECT * FROM candidates WHERE guild_id = ? AND id = ?",
        (guild_id, candidate_id),
    )
    return _candidate(rows[0]) if rows else None


async def list_candidates(source: Source, guild_id: int, race_id: int) -> list[Candidate]:
    """The race's candidates in the order they were added."""
    rows = await fetch_all(
        source,
        "SELECT * FROM candidates WHERE guild_id = ? AND race_id = ? ORDER BY id",
        (guild_id, race_id),
    )
    return [_candidate(r) for r in rows]
