"""Officials, positions, votes in office and SIO meetings (`migrations/0013_officials.sql`).

Every query filters by guild. Writers take the caller's transaction; readers a `Source`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date, datetime

import aiosqlite

from bot.domain.officials import (
    Cast,
    OfficeVote,
    Official,
    OfficialDraft,
    Position,
    PositionDraft,
    SioMeeting,
    SioStatus,
    Stance,
    name_key,
)
from bot.store.rows import Source, day, day_text, fetch_all, fetch_one, instant_text


def _official(row: sqlite3.Row) -> Official:
    return Official(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        office=row["office"],
        term_start=day(row["term_start"]),
        term_end=day(row["term_end"]),
        sio_status=SioStatus(row["sio_status"]),
        race_id=row["race_id"],
        candidate_id=row["candidate_id"],
        member_id=row["member_id"],
    )


def _position(row: sqlite3.Row, prefix: str = "") -> Position:
    return Position(
        id=row[f"{prefix}id"],
        guild_id=row["guild_id"],
        title=row[f"{prefix}title"],
        stance=Stance(row[f"{prefix}stance"]),
        body=row[f"{prefix}body"],
        link=row[f"{prefix}link"],
        decided_by=row[f"{prefix}decided_by"],
    )


# ----------------------------------------------------------------------------- officials


async def insert_official(
    conn: aiosqlite.Connection, *, guild_id: int, draft: OfficialDraft, actor_id: int, now: datetime
) -> int:
    cur = await conn.execute(
        "INSERT INTO officials (guild_id, name, name_key, office, term_start, term_end,"
        " sio_status, race_id, candidate_id, member_id, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id, draft.name, name_key(draft.name), draft.office,
            day_text(draft.term_start), day_text(draft.term_end), draft.sio_status.value,
            draft.race_id, draft.candidate_id, draft.member_id, actor_id,
            instant_text(now), instant_text(now),
        ),
    )  # fmt: skip
    assert cur.lastrowid is not None
    return cur.lastrowid


_EDITABLE = frozenset({"sio_status", "term_end"})


async def update_official(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    official_id: int,
    changes: Mapping[str, SioStatus | date | None],
    now: datetime,
) -> None:
    """Write only the fields in `changes` (`sio_status`, `term_end`): two committee members
    editing different fields of one official at once both keep their change."""
    if not changes or set(changes) - _EDITABLE:
        raise ValueError(f"not editable: {sorted(set(changes) - _EDITABLE) or 'nothing'}")
    columns = sorted(changes)
    values = [_stored(changes[c]) for c in columns]
    sets = ", ".join(f"{c} = ?" for c in columns)  # names from _EDITABLE only
    await conn.execute(
        f"UPDATE officials SET {sets}, updated_at = ? WHERE guild_id = ? AND id = ?",  # noqa: S608
        (*values, instant_text(now), guild_id, official_id),
    )


def _stored(value: SioStatus | date | None) -> str | None:
    if isinstance(value, SioStatus):
        return value.value
    return day_text(value)


async def get_official(source: Source, guild_id: int, official_id: int) -> Official | None:
    row = await fetch_one(
        source, "SELECT * FROM officials WHERE guild_id = ? AND id = ?", (guild_id, official_id)
    )
    return _official(row) if row else None


async def official_for_candidate(
    source: Source, guild_id: int, candidate_id: int
) -> Official | None:
    row = await fetch_one(
        source,
        "SELECT * FROM officials WHERE guild_id = ? AND candidate_id = ?",
        (guild_id, candidate_id),
    )
    return _official(row) if row else None


async def officials_named(source: Source, guild_id: int, name: str) -> list[Official]:
    """Officials whose name matches `name` (casefolded), most recent term first."""
    rows = await fetch_all(
        source,
        "SELECT * FROM officials WHERE guild_id = ? AND name_key = ?"
        " ORDER BY term_start DESC, id DESC",
        (guild_id, name_key(name)),
    )
    return [_official(r) for r in rows]


async def list_officials(source: Source, guild_id: int) -> list[Official]:
    rows = await fetch_all(
        source, "SELECT * FROM officials WHERE guild_id = ? ORDER BY name_key, id", (guild_id,)
    )
    return [_official(r) for r in rows]


# ----------------------------------------------------------------------------- positions


async def insert_position(
    conn: aiosqlite.Connection, *, guild_id: int, draft: PositionDraft, actor_id: int, now: datetime
) -> int:
    cur = await conn.execute(
        "INSERT INTO positions (guild_id, title, title_key, stance, body, link, decided_by,"
        " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id, draft.title, name_key(draft.title), draft.stance.value, draft.body,
            draft.link, draft.decided_by, actor_id, instant_text(now),
        ),
    )  # fmt: skip
    assert cur.lastrowid is not None
    return cur.lastrowid


async def get_position(source: Source, guild_id: int, position_id: int) -> Position | None:
    row = await fetch_one(
        source, "SELECT * FROM positions WHERE guild_id = ? AND id = ?", (guild_id, position_id)
    )
    return _position(row) if row else None


async def position_titled(source: Source, guild_id: int, title: str) -> Position | None:
    row = await fetch_one(
        source,
        "SELECT * FROM positions WHERE guild_id = ? AND title_key = ?",
        (guild_id, name_key(title)),
    )
    return _position(row) if row else None


async def list_positions(source: Source, guild_id: int) -> list[Position]:
    rows = await fetch_all(
        source, "SELECT * FROM positions WHERE guild_id = ? ORDER BY id DESC", (guild_id,)
    )
    return [_position(r) for r in rows]


# ----------------------------------------------------------------------------- votes

_VOTES = (
    "SELECT v.id, v.guild_id, v.official_id, v.cast_as, v.voted_on, v.note,"
    " p.id AS p_id, p.title AS p_title, p.stance AS p_stance, p.body AS p_body,"
    " p.link AS p_link, p.decided_by AS p_decided_by"
    " FROM office_votes v JOIN positions p ON p.guild_id = v.guild_id AND p.id = v.position_id"
)


def _vote(row: sqlite3.Row) -> OfficeVote:
    return OfficeVote(
        id=row["id"],
        guild_id=row["guild_id"],
        official_id=row["official_id"],
        position=_position(row, "p_"),
        cast=Cast(row["cast_as"]),
        day=day(row["voted_on"]),
        note=row["note"],
    )


async def insert_vote(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    official_id: int,
    position_id: int,
    cast: Cast,
    on: date,
    note: str,
    actor_id: int,
    now: datetime,
) -> int:
    """Raises `sqlite3.IntegrityError` if the official's vote on the position is recorded."""
    cur = await conn.execute(
        "INSERT INTO office_votes (guild_id, official_id, position_id, cast_as, voted_on, note,"
        " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id, official_id, position_id, cast.value, day_text(on),
            note, actor_id, instant_text(now),
        ),
    )  # fmt: skip
    assert cur.lastrowid is not None
    return cur.lastrowid


async def votes_of(source: Source, guild_id: int, official_id: int) -> list[OfficeVote]:
    rows = await fetch_all(
        source,
        _VOTES + " WHERE v.guild_id = ? AND v.official_id = ? ORDER BY v.voted_on, v.id",
        (guild_id, official_id),
    )
    return [_vote(r) for r in rows]


async def claim_unnoticed_against(conn: aiosqlite.Connection, guild_id: int, job_id: int) -> None:
    """Mark every vote against the chapter not yet in a notice as `job_id`'s."""
    await conn.execute(
        "UPDATE office_votes SET notice_job_id = ?"
        " WHERE guild_id = ? AND cast_as = 'against' AND notice_job_id IS NULL",
        (job_id, guild_id),
    )


async def release_notice(conn: aiosqlite.Connection, guild_id: int, job_id: int) -> None:
    """Give the votes `job_id` claimed back to the next notice (it never posted them)."""
    await conn.execute(
        "UPDATE office_votes SET notice_job_id = NULL WHERE guild_id = ? AND notice_job_id = ?",
        (guild_id, job_id),
    )


async def votes_in_notice(source: Source, guild_id: int, job_id: int) -> list[OfficeVote]:
    rows = await fetch_all(
        source,
        _VOTES + " WHERE v.guild_id = ? AND v.notice_job_id = ? ORDER BY v.voted_on, v.id",
        (guild_id, job_id),
    )
    return [_vote(r) for r in rows]


# ----------------------------------------------------------------------------- SIO meetings


async def insert_meeting(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    on: date,
    title: str,
    attended: list[int],
    actor_id: int,
    now: datetime,
) -> int:
    cur = await conn.execute(
        "INSERT INTO sio_meetings (guild_id, held_on, title, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (guild_id, day_text(on), title, actor_id, instant_text(now)),
    )
    assert cur.lastrowid is not None
    await conn.executemany(
        "INSERT INTO sio_attendance (guild_id, meeting_id, official_id) VALUES (?, ?, ?)",
        [(guild_id, cur.lastrowid, official_id) for official_id in attended],
    )
    return cur.lastrowid


async def meetings(source: Source, guild_id: int) -> list[SioMeeting]:
    rows = await fetch_all(
        source,
        "SELECT m.id, m.guild_id, m.held_on, m.title, group_concat(a.official_id) AS who"
        " FROM sio_meetings m LEFT JOIN sio_attendance a"
        " ON a.guild_id = m.guild_id AND a.meeting_id = m.id"
        " WHERE m.guild_id = ? GROUP BY m.id ORDER BY m.held_on, m.id",
        (guild_id,),
    )
    return [
        SioMeeting(
            id=r["id"],
            guild_id=r["guild_id"],
            day=day(r["held_on"]),
            title=r["title"],
            attended=frozenset(int(x) for x in (r["who"] or "").split(",") if x),
        )
        for r in rows
    ]


# ----------------------------------------------------------------------------- weekly notice


async def notice_job_id(source: Source, guild_id: int) -> int | None:
    row = await fetch_one(
        source, "SELECT job_id FROM official_notices WHERE guild_id = ?", (guild_id,)
    )
    return row["job_id"] if row else None


async def set_notice_job(conn: aiosqlite.Connection, guild_id: int, job_id: int) -> None:
    await conn.execute(
        "INSERT INTO official_notices (guild_id, job_id) VALUES (?, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET job_id = excluded.job_id",
        (guild_id, job_id),
    )
