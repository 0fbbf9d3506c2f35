"""Setting up a chapter and deciding who may do what in it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from bot.db import Database
from bot.domain.chapters import ChapterConfig
from bot.store import audit, chapters


class ChapterNotConfigured(Exception):
    """The guild has no configuration yet: everything but `/setup` waits for it."""


async def find(db: Database, guild_id: int) -> ChapterConfig | None:
    """The chapter's configuration, or None before `/setup chapter` has run."""
    return await chapters.get(db, guild_id)


async def require(db: Database, guild_id: int) -> ChapterConfig:
    """The chapter's configuration; `ChapterNotConfigured` before `/setup chapter` has run."""
    config = await find(db, guild_id)
    if config is None:
        raise ChapterNotConfigured(guild_id)
    return config


def is_committee(
    config: ChapterConfig | None, role_ids: Collection[int], manage_guild: bool
) -> bool:
    """Committee members hold the committee role; Manage Server always counts, so a server
    admin can repair a configuration that names a deleted role."""
    if manage_guild:
        return True
    return config is not None and config.committee_role_id in role_ids


def is_member(config: ChapterConfig, role_ids: Collection[int]) -> bool:
    return any(role in role_ids for role in config.member_role_ids)


async def configure(db: Database, config: ChapterConfig, *, now: datetime) -> ChapterConfig:
    """Store the chapter's configuration and record who changed it."""
    config = replace(config, updated_at=now)
    async with db.transaction() as conn:
        previous = await chapters.exists(conn, config.guild_id)
        await chapters.save(conn, config)
        await audit.record(
            conn,
            guild_id=config.guild_id,
            actor_id=config.updated_by,
            action="setup.update" if previous else "setup.create",
            subject="chapter",
            at=now,
        )
    return config
