"""The invisible primary: the committee adds, changes and removes a race's supporters and
sets its targets; the race page and the plan's reminders read the progress.

Each use-case is one transaction; bad input is refused with `InvalidInput` / `NotFound`
before anything is written. Every change is in the audit log with subject `race:{id}`;
contact notes never go into the audit detail (they are the committee's only).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from bot.db import Database
from bot.domain import discord_limits as limits
from bot.domain.support import (
    Supporter,
    SupporterChange,
    SupportKind,
    SupportProgress,
    SupportStatus,
    name_key,
    progress,
    validate_name,
    validate_notes,
    validate_targets,
)
from bot.errors import InvalidInput, NotFound
from bot.store import audit
from bot.store import support as store
from bot.store.rows import Source


@dataclass(frozen=True, slots=True)
class RaceSupport:
    """A race's supporters and its progress toward the targets."""

    supporters: tuple[Supporter, ...]
    targets: Mapping[SupportKind, int]
    progress: SupportProgress


async def race_support(source: Source, guild_id: int, race_id: int) -> RaceSupport:
    """Everything `/support list`, the race page and the reminders show of a race."""
    supporters = await store.of_race(source, guild_id, race_id)
    targets = await store.targets(source, guild_id, race_id)
    return RaceSupport(tuple(supporters), targets, progress(supporters, targets))


async def add_supporter(
    db: Database,
    *,
    guild_id: int,
    race_id: int,
    name: str,
    kind: SupportKind,
    status: SupportStatus,
    notes: str,
    actor_id: int,
    now: datetime,
) -> Supporter:
    """Add an organisation or a person to the race's list; refused with `InvalidInput`
    (a blank or duplicate name, notes too long), nothing stored."""
    async with db.transaction() as conn:
        others = [s.name for s in await store.of_race(conn, guild_id, race_id)]
        name = validate_name(name, other_names=others)
        notes = validate_notes(notes)
        try:
            supporter_id = await store.insert(
                conn, guild_id=guild_id, race_id=race_id, name=name, kind=kind, status=status,
                notes=notes, actor_id=actor_id, now=now,
            )  # fmt: skip
        except sqlite3.IntegrityError:  # added by another member meanwhile
            raise InvalidInput(f"**{name}** is already on this race's support list.") from None
        await audit.record(conn, guild_id=guild_id, actor_id=actor_id, action="support.add",
                           subject=f"race:{race_id}", at=now,
                           detail=f"{name} ({kind.label}, {status.label})")  # fmt: skip
        added = await store.get(conn, guild_id, supporter_id)
    assert added is not None
    return added


async def update_supporter(
    db: Database,
    *,
    guild_id: int,
    race_id: int,
    supporter_id: int,
    change: SupporterChange,
    actor_id: int,
    now: datetime,
) -> tuple[Supporter, Supporter]:
    """Change only the fields given (before, after); refused with `InvalidInput` when
    nothing is given or a new name is blank or taken, `NotFound` if removed meanwhile."""
    if change.empty:
        raise InvalidInput("Say what to change: a name, kind, status or contact notes.")
    async with db.transaction() as conn:
        before = await _require(conn, guild_id, race_id, supporter_id)
        if change.name is not None:
            others = [s.name for s in await store.of_race(conn, guild_id, race_id)
                      if s.id != supporter_id]  # fmt: skip
            change = replace(change, name=validate_name(change.name, other_names=others))
        if change.notes is not None:
            change = replace(change, notes=validate_notes(change.notes))
        try:
            await store.update(conn, guild_id=guild_id, supporter_id=supporter_id,
                               change=change, actor_id=actor_id, now=now)  # fmt: skip
        except sqlite3.IntegrityError:
            raise InvalidInput(
                f"**{change.name}** is already on this race's support list."
            ) from None
        after = await _require(conn, guild_id, race_id, supporter_id)
        detail = f"{after.name} ({after.kind.label}, {after.status.label})"
        await audit.record(conn, guild_id=guild_id, actor_id=actor_id, action="support.update",
                           subject=f"race:{race_id}", at=now, detail=detail)  # fmt: skip
    return before, after


async def remove_supporter(
    db: Database, *, guild_id: int, race_id: int, supporter_id: int, actor_id: int, now: datetime
) -> Supporter:
    """Take a supporter off the race's list; `NotFound` if already gone."""
    async with db.transaction() as conn:
        gone = await _require(conn, guild_id, race_id, supporter_id)
        await store.delete(conn, guild_id=guild_id, supporter_id=supporter_id)
        await audit.record(conn, guild_id=guild_id, actor_id=actor_id, action="support.remove",
                           subject=f"race:{race_id}", at=now, detail=gone.name)  # fmt: skip
    return gone


async def set_targets(
    db: Database,
    *,
    guild_id: int,
    race_id: int,
    targets: Mapping[SupportKind, int | None],
    actor_id: int,
    now: datetime,
) -> RaceSupport:
    """Set the targets given (others kept); refused with `InvalidInput` when none is given
    or one is below 1, nothing stored."""
    given = validate_targets(targets)
    async with db.transaction() as conn:
        for kind, target in given.items():
            await store.set_target(conn, guild_id=guild_id, race_id=race_id, kind=kind,
                                   target=target, actor_id=actor_id, now=now)  # fmt: skip
        detail = ", ".join(f"{n} {kind.plural}" for kind, n in given.items())
        await audit.record(conn, guild_id=guild_id, actor_id=actor_id, action="support.target",
                           subject=f"race:{race_id}", at=now, detail=detail)  # fmt: skip
        return await race_support(conn, guild_id, race_id)


async def find_supporter(db: Database, guild_id: int, race_id: int, typed: str) -> Supporter:
    """The supporter a member picked (its id) or typed (its name) on the race."""
    supporters = await store.of_race(db, guild_id, race_id)
    text = typed.strip()
    if text.isdigit():
        found = next((s for s in supporters if s.id == int(text)), None)
        if found is not None:
            return found
    key = name_key(text)
    found = next((s for s in supporters if name_key(s.name) == key), None)
    if found is None:
        raise NotFound(f"No one called **{text[:100]}** is on this race's support list.")
    return found


async def supporter_choices(
    db: Database, guild_id: int, race_id: int, typed: str
) -> list[Supporter]:
    """The race's supporters whose name contains `typed`, for autocomplete."""
    key = name_key(typed)
    found = [s for s in await store.of_race(db, guild_id, race_id) if key in name_key(s.name)]
    return found[: limits.CHOICES]


async def _require(conn: Source, guild_id: int, race_id: int, supporter_id: int) -> Supporter:
    found = await store.get(conn, guild_id, supporter_id)
    if found is None or found.race_id != race_id:
        raise NotFound("That supporter is no longer on this race's list (removed meanwhile?).")
    return found
