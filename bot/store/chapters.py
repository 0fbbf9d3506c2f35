"""A chapter's configuration (`/setup chapter`)."""

from __future__ import annotations

import aiosqlite

from bot.db import Database
from bot.domain.chapters import ChapterConfig
from bot.store.rows import instant, instant_text


async def get(db: Database, guild_id: int) -> ChapterConfig | None:
    row = await db.fetchone("SELECT * FROM guild_config WHERE guild_id = ?", (guild_id,))
    if row is None:
        return None
    roles = await db.fetchall(
        "SELECT role_id FROM guild_member_roles WHERE guild_id = ? ORDER BY role_id", (guild_id,)
    )
    return ChapterConfig(
        guild_id=row["guild_id"],
        member_role_ids=tuple(r["role_id"] for r in roles),
        committee_role_id=row["committee_role_id"],
        candidate_role_id=row["candidate_role_id"],
        announcements_channel_id=row["announcements_channel_id"],
        review_channel_id=row["review_channel_id"],
        votes_channel_id=row["votes_channel_id"],
        reminders_channel_id=row["reminders_channel_id"],
        timezone=row["timezone"],
        updated_at=instant(row["updated_at"]),
        updated_by=row["updated_by"],
    )


async def save(conn: aiosqlite.Connection, config: ChapterConfig) -> None:
    """Insert or replace the chapter's configuration (inside the caller's transaction)."""
    await conn.execute(
        """
        INSERT INTO guild_config (guild_id, committee_role_id, candidate_role_id,
            announcements_channel_id, review_channel_id, votes_channel_id,
            reminders_channel_id, timezone, updated_at, updated_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (guild_id) DO UPDATE SET
            committee_role_id = excluded.committee_role_id,
            candidate_role_id = excluded.candidate_role_id,
            announcements_channel_id = excluded.announcements_channel_id,
            review_channel_id = excluded.review_channel_id,
            votes_channel_id = excluded.votes_channel_id,
            reminders_channel_id = excluded.reminders_channel_id,
            timezone = excluded.timezone,
            updated_at = excluded.updated_at,
            updated_by = excluded.updated_by
        """,
        (
            config.guild_id,
            config.committee_role_id,
            config.candidate_role_id,
            config.announcements_channel_id,
            config.review_channel_id,
            config.votes_channel_id,
            config.reminders_channel_id,
            config.timezone,
            instant_text(config.updated_at),
            config.updated_by,
        ),
    )
    await conn.execute("DELETE FROM guild_member_roles WHERE guild_id = ?", (config.guild_id,))
    await conn.executemany(
        "INSERT INTO guild_member_roles (guild_id, role_id) VALUES (?, ?)",
        [(config.guild_id, role_id) for role_id in config.member_role_ids],
    )


async def exists(conn: aiosqlite.Connection, guild_id: int) -> bool:
    async with conn.execute("SELECT 1 FROM guild_config WHERE guild_id = ?", (guild_id,)) as cur:
        return await cur.fetchone() is not None
