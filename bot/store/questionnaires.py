"""Questionnaire templates, red lines, questionnaires, answers and committee assessments
(`migrations/0008_questionnaires.sql`, `0009_questionnaire_posts.sql`,
`0016_questionnaire_opened.sql`).

Writers take the connection of the caller's transaction; readers take a `Database` or, inside
a service's transaction, that connection.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

import aiosqlite

from bot.domain.classify import Assessment
from bot.domain.questionnaire import RedLine
from bot.domain.questionnaire_sheet import Answer, Reach, Sheet, SheetStatus
from bot.store.rows import Source, fetch_all, instant, instant_text, optional_instant_text

ASSESSMENT_FIELDS = ("prominent", "coheres_labor", "rooted", "viable", "worked_with_chapter")


# ----------------------------------------------------------------------------- templates


async def latest_template(source: Source, guild_id: int) -> tuple[int, int, str] | None:
    """(id, version, TOML source) of the chapter's newest template, if any."""
    rows = await fetch_all(
        source,
        "SELECT id, version, source FROM questionnaire_templates WHERE guild_id = ?"
        " ORDER BY version DESC LIMIT 1",
        (guild_id,),
    )
    return (rows[0]["id"], rows[0]["version"], rows[0]["source"]) if rows else None


async def template_source(source: Source, guild_id: int, template_id: int) -> str:
    rows = await fetch_all(
        source,
        "SELECT source FROM questionnaire_templates WHERE guild_id = ? AND id = ?",
        (guild_id, template_id),
    )
    return str(rows[0]["source"])


async def insert_template(
    conn: aiosqlite.Connection, *, guild_id: int, version: int, source: str, now: datetime
) -> int:
    async with conn.execute(
        "INSERT INTO questionnaire_templates (guild_id, version, source, created_at)"
        " VALUES (?, ?, ?, ?)",
        (guild_id, version, source, instant_text(now)),
    ) as cur:
        return int(cur.lastrowid)


# ----------------------------------------------------------------------------- red lines


async def red_lines(source: Source, guild_id: int) -> list[RedLine]:
    """The chapter's current red lines, oldest first."""
    rows = await fetch_all(
        source,
        "SELECT id, question, required FROM red_lines WHERE guild_id = ? AND removed_at IS NULL"
        " ORDER BY id",
        (guild_id,),
    )
    return [RedLine(r["id"], r["question"], r["required"]) for r in rows]


async def insert_red_line(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    question: str,
    required: str,
    actor_id: int,
    now: datetime,
) -> int:
    async with conn.execute(
        "INSERT INTO red_lines (guild_id, question, required, added_by, added_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (guild_id, question, required, actor_id, instant_text(now)),
    ) as cur:
        return int(cur.lastrowid)


async def remove_red_line(
    conn: aiosqlite.Connection, *, guild_id: int, line_id: int, now: datetime
) -> bool:
    async with conn.execute(
        "UPDATE red_lines SET removed_at = ? WHERE guild_id = ? AND id = ? AND removed_at IS NULL",
        (instant_text(now), guild_id, line_id),
    ) as cur:
        return cur.rowcount == 1


async def red_line_was_removed(conn: aiosqlite.Connection, *, guild_id: int, line_id: int) -> bool:
    """Whether the chapter has red line `line_id` and it is already removed."""
    async with conn.execute(
        "SELECT 1 FROM red_lines WHERE guild_id = ? AND id = ? AND removed_at IS NOT NULL",
        (guild_id, line_id),
    ) as cur:
        return await cur.fetchone() is not None


# ----------------------------------------------------------------------------- sheets

_SHEET = (
    "SELECT q.*, t.version AS template_version FROM questionnaires q"
    " JOIN questionnaire_templates t ON t.id = q.template_id"
)


def _sheet(row: sqlite3.Row) -> Sheet:
    lines = tuple(
        RedLine(d["id"], d["question"], d["required"], bool(d.get("added_later")))
        for d in json.loads(row["red_lines"])
    )
    return Sheet(
        id=row["id"],
        guild_id=row["guild_id"],
        race_id=row["race_id"],
        candidate_id=row["candidate_id"],
        template_id=row["template_id"],
        template_version=row["template_version"],
        red_lines=lines,
        respondent_id=row["respondent_id"],
        reached_via=Reach(row["reached_via"]),
        deadline=instant(row["deadline"]),
        status=SheetStatus(row["status"]),
        sent_by=row["sent_by"],
        sent_at=instant(row["sent_at"]),
        submitted_at=instant(row["submitted_at"]),
        submitted_by=row["submitted_by"],
        published_at=instant(row["published_at"]),
        opened_at=instant(row["opened_at"]),
        post_channel_id=row["post_channel_id"],
        post_message_id=row["post_message_id"],
        deadline_job_id=row["deadline_job_id"],
        report_job_id=row["report_job_id"],
        publish_job_id=row["publish_job_id"],
    )


async def get_sheet(source: Source, guild_id: int, sheet_id: int) -> Sheet | None:
    rows = await fetch_all(
        source, _SHEET + " WHERE q.guild_id = ? AND q.id = ?", (guild_id, sheet_id)
    )
    return _sheet(rows[0]) if rows else None


async def sheet_by_id(source: Source, sheet_id: int) -> Sheet | None:
    """A questionnaire found by its id alone: only for the candidate's buttons, which may be
    clicked in a DM where no chapter is known. The caller then checks the sheet's
    respondent, and reads on with the sheet's own `guild_id`."""
    rows = await fetch_all(source, _SHEET + " WHERE q.id = ?", (sheet_id,))
    return _sheet(rows[0]) if rows else None


async def sheet_for_candidate(source: Source, guild_id: int, candidate_id: int) -> Sheet | None:
    rows = await fetch_all(
        source, _SHEET + " WHERE q.guild_id = ? AND q.candidate_id = ?", (guild_id, candidate_id)
    )
    return _sheet(rows[0]) if rows else None


async def sheets_for_race(source: Source, guild_id: int, race_id: int) -> list[Sheet]:
    rows = await fetch_all(
        source,
        _SHEET + " WHERE q.guild_id = ? AND q.race_id = ? ORDER BY q.candidate_id",
        (guild_id, race_id),
    )
    return [_sheet(r) for r in rows]


async def sheets_answered_by(source: Source, guild_id: int, user_id: int) -> list[Sheet]:
    rows = await fetch_all(
        source,
        _SHEET + " WHERE q.guild_id = ? AND q.respondent_id = ? ORDER BY q.id",
        (guild_id, user_id),
    )
    return [_sheet(r) for r in rows]


async def upsert_sheet(conn: aiosqlite.Connection, sheet: Sheet) -> int:
    """Insert the candidate's questionnaire, or re-send it (new form, respondent, deadline)."""
    lines = json.dumps(
        [{"id": r.id, "question": r.question, "required": r.required} for r in sheet.red_lines]
    )
    async with conn.execute(
        "INSERT INTO questionnaires (guild_id, race_id, candidate_id, template_id, red_lines,"
        " respondent_id, reached_via, deadline, status, sent_by, sent_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)"
        " ON CONFLICT (guild_id, candidate_id) DO UPDATE SET template_id = excluded.template_id,"
        " red_lines = excluded.red_lines, respondent_id = excluded.respondent_id,"
        " reached_via = excluded.reached_via, deadline = excluded.deadline,"
        " sent_by = excluded.sent_by, sent_at = excluded.sent_at"
        " RETURNING id",
        (
            sheet.guild_id,
            sheet.race_id,
            sheet.candidate_id,
            sheet.template_id,
            lines,
            sheet.respondent_id,
            sheet.reached_via.value,
            optional_instant_text(sheet.deadline),
            sheet.sent_by,
            instant_text(sheet.sent_at),
        ),
    ) as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def set_reach(conn: aiosqlite.Connection, guild_id: int, sheet_id: int, reach: Reach) -> None:
    await conn.execute(
        "UPDATE questionnaires SET reached_via = ? WHERE guild_id = ? AND id = ?",
        (reach.value, guild_id, sheet_id),
    )


async def set_status(
    conn: aiosqlite.Connection,
    guild_id: int,
    sheet_id: int,
    status: SheetStatus,
    *,
    actor_id: int,
    now: datetime,
) -> None:
    """Move the questionnaire; submitting or publishing records who and when, reopening
    clears both and forgets the published post."""
    at = instant_text(now)
    if status is SheetStatus.SUBMITTED:
        sql = (
            "UPDATE questionnaires SET status = ?, submitted_at = ?, submitted_by = ?"
            " WHERE guild_id = ? AND id = ?"
        )
        params: tuple[Any, ...] = (status.value, at, actor_id, guild_id, sheet_id)
    elif status is SheetStatus.PUBLISHED:
        sql = (
            "UPDATE questionnaires SET status = ?, published_at = ?, published_by = ?"
            " WHERE guild_id = ? AND id = ?"
        )
        params = (status.value, at, actor_id, guild_id, sheet_id)
    else:
        sql = (
            "UPDATE questionnaires SET status = ?, submitted_at = NULL, submitted_by = NULL,"
            " published_at = NULL, published_by = NULL, post_channel_id = NULL,"
            " post_message_id = NULL WHERE guild_id = ? AND id = ?"
        )
        params = (status.value, guild_id, sheet_id)
    await conn.execute(sql, params)


async def set_post(
    conn: aiosqlite.Connection, guild_id: int, sheet_id: int, *, channel_id: int, message_id: int
) -> bool:
    """Record where the published questionnaire was posted; False (nothing written) if it is
    no longer published."""
    async with conn.execute(
        "UPDATE questionnaires SET post_channel_id = ?, post_message_id = ?"
        " WHERE guild_id = ? AND id = ? AND status = 'published'",
        (channel_id, message_id, guild_id, sheet_id),
    ) as cur:
        return cur.rowcount == 1


async def mark_opened(conn: aiosqlite.Connection, sheet_id: int, *, now: datetime) -> None:
    """Record the first opening only: a later Start or Resume keeps the first instant."""
    await conn.execute(
        "UPDATE questionnaires SET opened_at = ? WHERE id = ? AND opened_at IS NULL",
        (instant_text(now), sheet_id),
    )


_SET_JOB = {
    "deadline": "UPDATE questionnaires SET deadline_job_id = ? WHERE guild_id = ? AND id = ?",
    "report": "UPDATE questionnaires SET report_job_id = ? WHERE guild_id = ? AND id = ?",
    "publish": "UPDATE questionnaires SET publish_job_id = ? WHERE guild_id = ? AND id = ?",
}


async def set_job(
    conn: aiosqlite.Connection,
    guild_id: int,
    sheet_id: int,
    which: Literal["deadline", "report", "publish"],
    job_id: int,
) -> None:
    """Name the questionnaire's newest job of one kind (its foreign key keeps it in the
    chapter)."""
    await conn.execute(_SET_JOB[which], (job_id, guild_id, sheet_id))


# ----------------------------------------------------------------------------- answers


async def answers(source: Source, guild_id: int, sheet_id: int) -> dict[str, Answer]:
    rows = await fetch_all(
        source,
        "SELECT * FROM questionnaire_answers WHERE guild_id = ? AND questionnaire_id = ?",
        (guild_id, sheet_id),
    )
    return {
        r["key"]: Answer(
            r["key"],
            r["value"],
            bool(r["valid"]),
            r["entered_by"],
            instant(r["updated_at"]),
        )
        for r in rows
    }


async def save_answers(
    conn: aiosqlite.Connection,
    guild_id: int,
    sheet_id: int,
    values: Mapping[str, tuple[str | None, bool]],
    *,
    entered_by: int,
    now: datetime,
) -> None:
    """Store each key's (text, valid); an empty text removes the answer. An answer for
    another chapter's questionnaire is refused by its foreign key (`IntegrityError`)."""
    for key, (text, valid) in values.items():
        if text is None or text == "":
            await conn.execute(
                "DELETE FROM questionnaire_answers"
                " WHERE guild_id = ? AND questionnaire_id = ? AND key = ?",
                (guild_id, sheet_id, key),
            )
            continue
        await conn.execute(
            "INSERT INTO questionnaire_answers (guild_id, questionnaire_id, key, value, valid,"
            " entered_by, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (questionnaire_id, key) DO UPDATE SET value = excluded.value,"
            " valid = excluded.valid, entered_by = excluded.entered_by,"
            " updated_at = excluded.updated_at"
            # Never another chapter's answer, whatever id the caller passed.
            " WHERE questionnaire_answers.guild_id = excluded.guild_id",
            (guild_id, sheet_id, key, text, int(valid), entered_by, instant_text(now)),
        )


# ----------------------------------------------------------------------------- assessments


async def assessment(source: Source, guild_id: int, candidate_id: int) -> Assessment:
    rows = await fetch_all(
        source,
        "SELECT * FROM candidate_assessments WHERE guild_id = ? AND candidate_id = ?",
        (guild_id, candidate_id),
    )
    if not rows:
        return Assessment()
    row = rows[0]
    flags = {f: None if row[f] is None else bool(row[f]) for f in ASSESSMENT_FIELDS}
    return Assessment(**flags, worked_reason=row["worked_reason"])


async def save_assessment(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    candidate_id: int,
    value: Assessment,
    actor_id: int,
    now: datetime,
) -> None:
    values = [None if (v := getattr(value, f)) is None else int(v) for f in ASSESSMENT_FIELDS]
    await conn.execute(
        "INSERT INTO candidate_assessments (guild_id, candidate_id, prominent, coheres_labor,"
        " rooted, viable, worked_with_chapter, worked_reason, updated_by, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (guild_id, candidate_id) DO UPDATE SET prominent = excluded.prominent,"
        " coheres_labor = excluded.coheres_labor, rooted = excluded.rooted,"
        " viable = excluded.viable, worked_with_chapter = excluded.worked_with_chapter,"
        " worked_reason = excluded.worked_reason,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        (guild_id, candidate_id, *values, value.worked_reason, actor_id, instant_text(now)),
    )


async def ask_red_line(
    conn: aiosqlite.Connection, guild_id: int, line: RedLine, statuses: Iterable[SheetStatus]
) -> int:
    """Add `line` to the red lines asked by the guild's questionnaires in `statuses` (a red
    line adopted after they were sent); how many it reached."""
    wanted = {s.value for s in statuses}
    async with conn.execute(
        "SELECT id, status, red_lines FROM questionnaires WHERE guild_id = ?", (guild_id,)
    ) as cur:
        rows = [r for r in await cur.fetchall() if r["status"] in wanted]
    reached = 0
    for row in rows:
        asked = json.loads(row["red_lines"])
        if any(d["id"] == line.id for d in asked):
            continue
        asked.append(
            {"id": line.id, "question": line.question, "required": line.required,
             "added_later": True}
        )  # fmt: skip
        await conn.execute(
            "UPDATE questionnaires SET red_lines = ? WHERE guild_id = ? AND id = ?",
            (json.dumps(asked), guild_id, row["id"]),
        )
        reached += 1
    return reached
