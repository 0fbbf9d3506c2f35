"""Scheduled jobs (vote closes, reminders, weekly jobs): the rows the scheduler runs from.

A row moves `pending` -> `running` (claimed, before any post to Discord) -> `done`, `missed`
or `failed`. Every state change is a conditional UPDATE on the state it expects, so two
firings of the same job cannot both claim it. Cancelling a pending job settles it as
`done` with the outcome "cancelled: ..." (the table has no separate state for it).

A feature ties its row to the jobs it made one way: a `<what>_job_id` column on the row
(`votes.close_job_id`, `chapter_capacity.pace_job_id`, `questionnaires.deadline_job_id`), or a
link row where one row has many (`plan_reminders.job_id`), always with
`FOREIGN KEY (guild_id, <what>_job_id) REFERENCES scheduled_jobs (guild_id, id)`, so a row
names only an existing job of its own chapter (migrations 0010, 0012). Job rows are never
deleted, so the key needs no ON DELETE. The job's payload says which row it serves.

`due_at` is stored in `bot.store.rows`' fixed-width form, so comparing the text compares the
instants.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import aiosqlite

from bot.db import Database
from bot.store.rows import Source, fetch_all, fetch_one, instant, instant_text

JobState = Literal["pending", "running", "done", "missed", "failed"]
FinalState = Literal["done", "missed", "failed"]


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    guild_id: int
    kind: str
    due_at: datetime
    payload: Mapping[str, Any] = field(hash=False)
    state: JobState
    outcome: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def marker(self) -> str:
        """The text a job puts in what it posts (footer, nonce) so a retry can find the post."""
        return marker_for(self.id)


def marker_for(job_id: int) -> str:
    return f"job:{job_id}"


def _job(row: sqlite3.Row) -> Job:
    return Job(
        id=row["id"],
        guild_id=row["guild_id"],
        kind=row["kind"],
        due_at=instant(row["due_at"]),
        payload=json.loads(row["payload"]),
        state=row["state"],
        outcome=row["outcome"],
        created_at=instant(row["created_at"]),
        updated_at=instant(row["updated_at"]),
    )


async def insert(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    kind: str,
    due_at: datetime,
    payload: Mapping[str, Any],
    now: datetime,
) -> int:
    """Add a pending job inside the caller's transaction; its id."""
    async with conn.execute(
        "INSERT INTO scheduled_jobs (guild_id, kind, due_at, payload, state, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
        (
            guild_id,
            kind,
            instant_text(due_at),
            json.dumps(dict(payload), sort_keys=True),
            instant_text(now),
            instant_text(now),
        ),
    ) as cur:
        job_id = cur.lastrowid
    assert job_id is not None
    return job_id


async def claim(conn: aiosqlite.Connection, job_id: int, now: datetime) -> Job | None:
    """Mark a pending job that is due `running`; the job, or None if it was not both."""
    async with conn.execute(
        "UPDATE scheduled_jobs SET state = 'running', updated_at = ?"
        " WHERE id = ? AND state = 'pending' AND due_at <= ? RETURNING *",
        (instant_text(now), job_id, instant_text(now)),
    ) as cur:
        row = await cur.fetchone()
    return _job(row) if row is not None else None


async def settle(
    conn: aiosqlite.Connection,
    job_id: int,
    state: FinalState,
    outcome: str | None,
    now: datetime,
    *,
    expect: JobState = "running",
) -> bool:
    """Move a job from `expect` to a final state; False if it was not in `expect`.

    A handler may call this inside its own transaction, so that the job's effect (a vote
    closed, a result stored) and its settling commit together.
    """
    async with conn.execute(
        "UPDATE scheduled_jobs SET state = ?, outcome = ?, updated_at = ?"
        " WHERE id = ? AND state = ?",
        (state, outcome, instant_text(now), job_id, expect),
    ) as cur:
        return cur.rowcount == 1


async def cancel(conn: aiosqlite.Connection, job_id: int, now: datetime, reason: str) -> bool:
    """Settle a pending job as cancelled; False if it was no longer pending."""
    return await settle(conn, job_id, "done", f"cancelled: {reason}", now, expect="pending")


async def retry(
    conn: aiosqlite.Connection,
    job_id: int,
    due_at: datetime,
    note: str | None,
    now: datetime,
    *,
    hung: bool = False,
) -> bool:
    """Put a running job back to pending at `due_at`, counting the attempt in its payload
    (and, `hung`, the hang: the run was stopped past its time limit); False if it was not
    running."""
    async with conn.execute(
        "UPDATE scheduled_jobs SET state = 'pending', due_at = ?, outcome = ?, updated_at = ?,"
        " payload = json_set(payload, '$.attempt',"
        " coalesce(json_extract(payload, '$.attempt'), 0) + 1,"
        " '$.hangs', coalesce(json_extract(payload, '$.hangs'), 0) + ?)"
        " WHERE id = ? AND state = 'running'",
        (instant_text(due_at), note, instant_text(now), int(hung), job_id),
    ) as cur:
        return cur.rowcount == 1


async def move(conn: aiosqlite.Connection, job_id: int, due_at: datetime, now: datetime) -> bool:
    """Change a pending job's due time; False if it was no longer pending."""
    async with conn.execute(
        "UPDATE scheduled_jobs SET due_at = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
        (instant_text(due_at), instant_text(now), job_id),
    ) as cur:
        return cur.rowcount == 1


async def get(db: Database, job_id: int) -> Job | None:
    return await get_in(db, job_id)


async def get_in(source: Source, job_id: int) -> Job | None:
    """A job as the caller's transaction sees it: a decision taken on its state (pending,
    running...) holds until the COMMIT, since no claim can interleave."""
    row = await fetch_one(source, "SELECT * FROM scheduled_jobs WHERE id = ?", (job_id,))
    return _job(row) if row is not None else None


async def unfinished(db: Database, *, until: datetime | None = None) -> list[Job]:
    """Every running job and every pending one (due by `until`, if given), earliest first:
    what the scheduler rebuilds from."""
    if until is None:
        rows = await db.fetchall(
            "SELECT * FROM scheduled_jobs WHERE state IN ('pending', 'running') ORDER BY due_at, id"
        )
    else:
        rows = await db.fetchall(
            "SELECT * FROM scheduled_jobs WHERE state = 'running'"
            " OR (state = 'pending' AND due_at <= ?) ORDER BY due_at, id",
            (instant_text(until),),
        )
    return [_job(r) for r in rows]


async def due(db: Database, now: datetime) -> list[Job]:
    """Pending jobs due at or before `now`, earliest first."""
    rows = await db.fetchall(
        "SELECT * FROM scheduled_jobs WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id",
        (instant_text(now),),
    )
    return [_job(r) for r in rows]


async def pending_of_kind(conn: aiosqlite.Connection, guild_id: int, kind: str) -> list[Job]:
    """A chapter's pending jobs of one kind, inside the caller's transaction: for a feature
    that keeps at most one of a kind pending (a debounced summary)."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM scheduled_jobs WHERE guild_id = ? AND kind = ? AND state = 'pending'"
        " ORDER BY due_at, id",
        (guild_id, kind),
    )
    return [_job(r) for r in rows]


async def exists_for(
    conn: aiosqlite.Connection, guild_id: int, kind: str, key: str, value: int
) -> bool:
    """Whether the chapter has a job of `kind`, in any state, whose payload's `key` is
    `value`: for a feature that makes one job per thing (one warning copy per vote)."""
    row = await fetch_one(
        conn,
        "SELECT 1 FROM scheduled_jobs WHERE guild_id = ? AND kind = ?"
        " AND json_extract(payload, '$.' || ?) = ?",
        (guild_id, kind, key, value),
    )
    return row is not None
