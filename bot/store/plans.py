"""Race plans, their milestones and their reminder jobs (`migrations/0006_plans.sql`).

Writers take the connection of the caller's transaction; readers take the `Database` or, to
read inside a transaction, its connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import aiosqlite

from bot.domain.plans import Milestone, MilestoneDraft, Plan, PlanDraft
from bot.store.rows import Source, day, day_text, fetch_all, instant, instant_text


@dataclass(frozen=True, slots=True)
class ReminderLink:
    """A reminder job and what it reminds of."""

    job_id: int
    guild_id: int
    milestone_id: int
    days_before: int
    due_at: datetime
    state: str
    summarised_by: int | None


def _plan(row: sqlite3.Row) -> Plan:
    return Plan(
        id=row["id"],
        guild_id=row["guild_id"],
        race_id=row["race_id"],
        starts=day(row["starts"]),
        election=day(row["election"]),
        compressed=bool(row["compressed"]),
        reminder_days=tuple(int(d) for d in row["reminder_days"].split(",") if d),
        reminder_time=time.fromisoformat(row["reminder_time"]),
        created_at=instant(row["created_at"]),
    )


def _milestone(row: sqlite3.Row) -> Milestone:
    return Milestone(
        id=row["id"],
        plan_id=row["plan_id"],
        key=row["key"],
        name=row["name"],
        on=day(row["on_day"]),
        until=day(row["until_day"]),
        done_on=day(row["done_on"]),
    )


def _link(row: sqlite3.Row) -> ReminderLink:
    return ReminderLink(
        job_id=row["job_id"],
        guild_id=row["guild_id"],
        milestone_id=row["milestone_id"],
        days_before=row["days_before"],
        due_at=instant(row["due_at"]),
        state=row["state"],
        summarised_by=row["summarised_by"],
    )


async def insert_plan(
    conn: aiosqlite.Connection, *, guild_id: int, race_id: int, draft: PlanDraft, now: datetime
) -> int:
    async with conn.execute(
        "INSERT INTO plans (guild_id, race_id, starts, election, compressed, reminder_days,"
        " reminder_time, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            race_id,
            day_text(draft.starts),
            day_text(draft.election),
            int(draft.compressed),
            ",".join(str(d) for d in draft.reminder_days),
            draft.reminder_time.strftime("%H:%M"),
            instant_text(now),
            instant_text(now),
        ),
    ) as cur:
        plan_id = cur.lastrowid
    assert plan_id is not None
    return plan_id


async def plan_for_race(source: Source, guild_id: int, race_id: int) -> Plan | None:
    rows = await fetch_all(
        source, "SELECT * FROM plans WHERE guild_id = ? AND race_id = ?", (guild_id, race_id)
    )
    return _plan(rows[0]) if rows else None


async def get_plan(source: Source, guild_id: int, plan_id: int) -> Plan | None:
    rows = await fetch_all(
        source, "SELECT * FROM plans WHERE guild_id = ? AND id = ?", (guild_id, plan_id)
    )
    return _plan(rows[0]) if rows else None


async def set_reminders(
    conn: aiosqlite.Connection, plan: Plan, days: Sequence[int], at: time, *, now: datetime
) -> None:
    await conn.execute(
        "UPDATE plans SET reminder_days = ?, reminder_time = ?, updated_at = ?"
        " WHERE guild_id = ? AND id = ?",
        (
            ",".join(str(d) for d in days),
            at.strftime("%H:%M"),
            instant_text(now),
            plan.guild_id,
            plan.id,
        ),
    )


async def insert_milestone(
    conn: aiosqlite.Connection, *, guild_id: int, plan_id: int, draft: MilestoneDraft, now: datetime
) -> int:
    async with conn.execute(
        "INSERT INTO plan_milestones (guild_id, plan_id, key, name, on_day, until_day,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            plan_id,
            draft.key,
            draft.name,
            day_text(draft.on),
            day_text(draft.until),
            instant_text(now),
            instant_text(now),
        ),
    ) as cur:
        milestone_id = cur.lastrowid
    assert milestone_id is not None
    return milestone_id


async def milestones(source: Source, guild_id: int, plan_id: int) -> list[Milestone]:
    """The plan's milestones by date (undated last), then in the order they were added."""
    rows = await fetch_all(
        source,
        "SELECT * FROM plan_milestones WHERE guild_id = ? AND plan_id = ?"
        " ORDER BY on_day IS NULL, on_day, id",
        (guild_id, plan_id),
    )
    return [_milestone(r) for r in rows]


async def get_milestone(source: Source, guild_id: int, milestone_id: int) -> Milestone | None:
    rows = await fetch_all(
        source,
        "SELECT * FROM plan_milestones WHERE guild_id = ? AND id = ?",
        (guild_id, milestone_id),
    )
    return _milestone(rows[0]) if rows else None


async def set_milestone_dates(
    conn: aiosqlite.Connection,
    guild_id: int,
    milestone_id: int,
    on: date | None,
    until: date | None,
    *,
    now: datetime,
) -> None:
    """Write the milestone's dates and nothing else (a rename or a done day made meanwhile
    by another member stays)."""
    await conn.execute(
        "UPDATE plan_milestones SET on_day = ?, until_day = ?, updated_at = ?"
        " WHERE guild_id = ? AND id = ?",
        (day_text(on), day_text(until), instant_text(now), guild_id, milestone_id),
    )


async def set_milestone_name(
    conn: aiosqlite.Connection, guild_id: int, milestone_id: int, name: str, *, now: datetime
) -> None:
    """Write the milestone's name and nothing else."""
    await conn.execute(
        "UPDATE plan_milestones SET name = ?, updated_at = ? WHERE guild_id = ? AND id = ?",
        (name, instant_text(now), guild_id, milestone_id),
    )


async def set_milestone_done(
    conn: aiosqlite.Connection, guild_id: int, milestone_id: int, done_on: date, *, now: datetime
) -> None:
    """Write the day the milestone was achieved and nothing else."""
    await conn.execute(
        "UPDATE plan_milestones SET done_on = ?, updated_at = ? WHERE guild_id = ? AND id = ?",
        (day_text(done_on), instant_text(now), guild_id, milestone_id),
    )


async def delete_milestone(conn: aiosqlite.Connection, guild_id: int, milestone_id: int) -> None:
    await conn.execute(
        "DELETE FROM plan_milestones WHERE guild_id = ? AND id = ?", (guild_id, milestone_id)
    )


async def link_reminder(
    conn: aiosqlite.Connection, *, job_id: int, guild_id: int, milestone_id: int, days_before: int
) -> None:
    await conn.execute(
        "INSERT INTO plan_reminders (job_id, guild_id, milestone_id, days_before)"
        " VALUES (?, ?, ?, ?)",
        (job_id, guild_id, milestone_id, days_before),
    )


_LINKS = (
    "SELECT r.*, j.due_at, j.state FROM plan_reminders r"
    " JOIN scheduled_jobs j ON j.guild_id = r.guild_id AND j.id = r.job_id"
)


async def reminders_of(source: Source, guild_id: int, milestone_id: int) -> list[ReminderLink]:
    """Every reminder job ever made for the milestone, earliest first."""
    rows = await fetch_all(
        source,
        _LINKS + " WHERE r.guild_id = ? AND r.milestone_id = ? ORDER BY j.due_at, j.id",
        (guild_id, milestone_id),
    )
    return [_link(r) for r in rows]


async def reminder(source: Source, guild_id: int, job_id: int) -> ReminderLink | None:
    rows = await fetch_all(
        source, _LINKS + " WHERE r.guild_id = ? AND r.job_id = ?", (guild_id, job_id)
    )
    return _link(rows[0]) if rows else None


_MISSED = (
    _LINKS + " WHERE r.guild_id = ? AND r.summarised_by IS NULL AND j.due_at < ?"
    " AND j.state = 'missed' ORDER BY j.due_at, j.id"
)
_MISSED_OR_UNRUN = (
    _LINKS + " WHERE r.guild_id = ? AND r.summarised_by IS NULL AND j.due_at < ?"
    " AND j.state IN ('missed', 'pending', 'running') ORDER BY j.due_at, j.id"
)


async def unsummarised_missed(
    source: Source, guild_id: int, *, before: datetime, also_unrun: bool
) -> list[ReminderLink]:
    """The chapter's reminders due before `before` that no summary listed yet: those settled
    `missed`, and (with `also_unrun`) pending or running ones that never got to post."""
    sql = _MISSED_OR_UNRUN if also_unrun else _MISSED
    rows = await fetch_all(source, sql, (guild_id, instant_text(before)))
    return [_link(r) for r in rows]


async def mark_summarised(
    conn: aiosqlite.Connection, guild_id: int, job_ids: Iterable[int], summary_job_id: int
) -> None:
    await conn.executemany(
        "UPDATE plan_reminders SET summarised_by = ? WHERE guild_id = ? AND job_id = ?",
        [(summary_job_id, guild_id, job_id) for job_id in job_ids],
    )


async def summarised_by(source: Source, guild_id: int, summary_job_id: int) -> list[ReminderLink]:
    """The reminders one summary lists, earliest first (for a summary recovered after a crash)."""
    rows = await fetch_all(
        source,
        _LINKS + " WHERE r.guild_id = ? AND r.summarised_by = ? ORDER BY j.due_at, j.id",
        (guild_id, summary_job_id),
    )
    return [_link(r) for r in rows]
