"""Reading rows, and the stored forms of days and instants: one copy for every repository.

- An instant is stored as UTC ISO 8601 text with microseconds always present
  (`2026-12-05T23:59:00.000000+00:00`): one fixed width, so comparing the text compares the
  instants (`due_at <= ?`, `ORDER BY closes_at`). Rows written before this module by
  `datetime.isoformat()` read back the same; `instant` accepts both.
- A day is an ISO date (`2026-11-03`), a calendar day in the chapter's timezone.

Readers take a `Source`: the `Database`, or the connection of a transaction the caller
holds (`Database.fetchall` would wait on the lock that transaction holds).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, overload

import aiosqlite

from bot.db import Database

Source = Database | aiosqlite.Connection


async def fetch_all(source: Source, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
    """Every row `sql` selects, read through the database or the caller's transaction."""
    if isinstance(source, Database):
        return await source.fetchall(sql, params)
    async with source.execute(sql, tuple(params)) as cur:
        return list(await cur.fetchall())


async def fetch_one(source: Source, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
    """The first row `sql` selects, or None."""
    if isinstance(source, Database):
        return await source.fetchone(sql, params)
    async with source.execute(sql, tuple(params)) as cur:
        return await cur.fetchone()


def instant_text(moment: datetime) -> str:
    """The stored form of an instant: UTC, microseconds always present (fixed width)."""
    if moment.tzinfo is None:
        raise ValueError("stored times must be aware datetimes")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@overload
def instant(text: str) -> datetime: ...
@overload
def instant(text: None) -> None: ...
def instant(text: str | None) -> datetime | None:
    """A stored instant read back (None stays None)."""
    return datetime.fromisoformat(text) if text else None


@overload
def optional_instant_text(moment: datetime) -> str: ...
@overload
def optional_instant_text(moment: None) -> None: ...
def optional_instant_text(moment: datetime | None) -> str | None:
    """`instant_text`, letting None through for a column that may be empty."""
    return instant_text(moment) if moment is not None else None


@overload
def day(text: str) -> date: ...
@overload
def day(text: None) -> None: ...
def day(text: str | None) -> date | None:
    """A stored calendar day read back (None stays None)."""
    return date.fromisoformat(text) if text else None


@overload
def day_text(value: date) -> str: ...
@overload
def day_text(value: None) -> None: ...
def day_text(value: date | None) -> str | None:
    """The stored form of a calendar day (None stays None)."""
    return value.isoformat() if value is not None else None
