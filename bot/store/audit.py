"""The audit log: every committee action, by whom and when. Never ballot content."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.db import Database
from bot.domain.audit import AuditEntry
from bot.store.rows import instant, instant_text


async def record(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    actor_id: int,
    action: str,
    at: datetime,
    subject: str = "",
    detail: str = "",
) -> None:
    await conn.execute(
        "INSERT INTO audit_log (guild_id, actor_id, action, subject, detail, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (guild_id, actor_id, action, subject, detail, instant_text(at)),
    )


async def for_subject(db: Database, guild_id: int, subject: str) -> list[AuditEntry]:
    rows = await db.fetchall(
        "SELECT * FROM audit_log WHERE guild_id = ? AND subject = ? ORDER BY at, id",
        (guild_id, subject),
    )
    return [
        AuditEntry(
            r["guild_id"],
            r["actor_id"],
            r["action"],
            r["subject"],
            r["detail"],
            instant(r["at"]),
        )
        for r in rows
    ]
