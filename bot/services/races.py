"""The race register: add, edit, archive races and their candidates; find them by name.

Every other feature (votes, capacity, questionnaires, plans) reads races and candidates
through `get_race`, `list_races`, `get_candidate` and `list_candidates`, and moves them
along with `set_race_status` / `set_candidate_status` (`race_in` / `move_race_status` inside
a transaction of their own), so the register stays one thing.
Every change is recorded in the audit log with subject `race:{id}`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

import aiosqlite

from bot.db import Database
from bot.domain import discord_limits as limits
from bot.domain.hygiene import tidy
from bot.domain.races import (
    Candidate,
    CandidateDraft,
    CandidateStatus,
    Race,
    RaceDraft,
    RaceStatus,
    local_today,
    name_key,
    validate_candidate,
    validate_race,
)
from bot.errors import InvalidInput, NotFound, UserError
from bot.store import audit
from bot.store import races as store

_RACE_FIELDS = frozenset(f.name for f in fields(RaceDraft))
_CANDIDATE_FIELDS = frozenset(f.name for f in fields(CandidateDraft))


def subject(race_id: int) -> str:
    """The audit-log subject of a race and everything on it."""
    return f"race:{race_id}"


# ------------------------------------------------------------------------- reading


async def get_race(db: Database, guild_id: int, race_id: int) -> Race:
    """The race, or `NotFound` if this chapter has no race with that id."""
    race = await store.get_race(db, guild_id, race_id)
    if race is None:
        raise NotFound("That race does not exist in this chapter (see `/race list`).")
    return race


async def list_races(db: Database, guild_id: int, *, include_archived: bool = False) -> list[Race]:
    """The chapter's races, soonest decisive election first."""
    return await store.list_races(db, guild_id, include_archived=include_archived)


async def get_candidate(db: Database, guild_id: int, candidate_id: int) -> Candidate:
    candidate = await store.get_candidate(db, guild_id, candidate_id)
    if candidate is None:
        raise NotFound("That candidate does not exist in this chapter.")
    return candidate


async def list_candidates(db: Database, guild_id: int, race_id: int) -> list[Candidate]:
    """The race's candidates in the order they were added."""
    return await store.list_candidates(db, guild_id, race_id)


async def race_choices(
    db: Database, guild_id: int, typed: str, *, include_archived: bool = False
) -> list[Race]:
    """Up to 25 of the chapter's races whose name contains `typed`, best matches first."""
    needle = name_key(typed)
    found = [
        race
        for race in await store.list_races(db, guild_id, include_archived=include_archived)
        if needle in name_key(race.label)
    ]
    found.sort(key=lambda race: not name_key(race.office).startswith(needle))
    return found[: limits.CHOICES]


async def resolve_race(db: Database, guild_id: int, typed: str) -> Race:
    """The race a member named: an autocomplete choice (its id) or its office as typed.

    Raises `NotFound` with a clear message when the text matches none of this chapter's
    races, and `InvalidInput` when it matches several.
    """
    text = tidy(typed)
    if not text:
        raise InvalidInput("Name a race: pick one from the list as you type.")
    races = await store.list_races(db, guild_id, include_archived=True)
    key = name_key(text)
    named = [r for r in races if key in (name_key(r.office), name_key(r.label))]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise InvalidInput(
            f"Several races are called “{text}”: pick the one you mean from the list as you type."
        )
    if text.isdigit():
        for race in races:
            if race.id == int(text):
                return race
    raise NotFound(
        f"No race called “{text}” in this chapter. Pick one from the list as you type, "
        "or see `/race list`."
    )


async def candidate_choices(
    db: Database, guild_id: int, race_id: int, typed: str
) -> list[Candidate]:
    needle = name_key(typed)
    found = [
        c for c in await store.list_candidates(db, guild_id, race_id) if needle in name_key(c.name)
    ]
    return found[: limits.CHOICES]


async def resolve_candidate(db: Database, guild_id: int, race: Race, typed: str) -> Candidate:
    """The candidate of `race` a member named (an autocomplete choice or the name typed)."""
    text = tidy(typed)
    candidates = await store.list_candidates(db, guild_id, race.id)
    for candidate in candidates:
        if name_key(candidate.name) == name_key(text):
            return candidate
    if text.isdigit():
        for candidate in candidates:
            if candidate.id == int(text):
                return candidate
    raise NotFound(
        f"**{race.label}** has no candidate called “{text}”. Pick one from the list as you "
        "type, or see `/candidate list`."
    )


# ------------------------------------------------------------------------- races


async def add_race(
    db: Database, *, guild_id: int, actor_id: int, draft: RaceDraft, now: datetime, tz: str
) -> Race:
    """Validate and store a new race; refused with `InvalidInput` (nothing stored)."""
    draft = _checked_race(draft, now=now, tz=tz)
    async with db.transaction() as conn:
        race_id = await store.insert_race(conn, guild_id=guild_id, draft=draft, now=now)
        await _audit(conn, guild_id, actor_id, "race.add", race_id, now, draft.office)
        race = await store.get_race(conn, guild_id, race_id)
    assert race is not None
    return race


async def edit_race(
    db: Database,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    changes: Mapping[str, Any],
    now: datetime,
    tz: str,
) -> Race:
    """Apply `changes` (RaceDraft field -> new value) to the race; the whole edit is refused
    with `InvalidInput` if the result breaks a rule."""
    unknown = set(changes) - _RACE_FIELDS
    if unknown:
        raise ValueError(f"not race fields: {sorted(unknown)}")
    async with db.transaction() as conn:
        current = await _race_in(conn, guild_id, race_id)
        before = current.draft()
        after = _checked_race(replace(before, **changes), now=now, tz=tz, previous=before)
        if after == before:
            return current
        await store.update_race(conn, guild_id=guild_id, race_id=race_id, draft=after, now=now)
        await _audit(conn, guild_id, actor_id, "race.edit", race_id, now, _diff(before, after))
        race = await store.get_race(conn, guild_id, race_id)
    assert race is not None
    return race


async def set_race_status(
    db: Database,
    *,
    guild_id: int,
    race_id: int,
    status: RaceStatus,
    actor_id: int,
    now: datetime,
    only_from: RaceStatus | None = None,
    note: str = "",
) -> Race:
    """Move the race to `status` (the vote feature calls this when a vote opens or closes).
    Dates are not re-checked: a race's election may be behind it by then.

    With `only_from`, the race moves only if its status is still `only_from`; otherwise it
    is left as it is (someone changed it since). `note` is added to the audit entry."""
    async with db.transaction() as conn:
        return await move_race_status(
            conn,
            guild_id=guild_id,
            race_id=race_id,
            status=status,
            actor_id=actor_id,
            now=now,
            only_from=only_from,
            note=note,
        )


async def move_race_status(
    conn: aiosqlite.Connection,
    *,
    guild_id: int,
    race_id: int,
    status: RaceStatus,
    actor_id: int,
    now: datetime,
    only_from: RaceStatus | None = None,
    note: str = "",
) -> Race:
    """`set_race_status` inside the caller's transaction."""
    current = await _race_in(conn, guild_id, race_id)
    if current.status is status or (only_from is not None and current.status is not only_from):
        return current
    draft = replace(current.draft(), status=status)
    await store.update_race(conn, guild_id=guild_id, race_id=race_id, draft=draft, now=now)
    detail = f"status: {current.status.value} -> {status.value}" + (f"; {note}" if note else "")
    await _audit(conn, guild_id, actor_id, "race.status", race_id, now, detail)
    race = await store.get_race(conn, guild_id, race_id)
    assert race is not None
    return race


async def race_in(conn: aiosqlite.Connection, guild_id: int, race_id: int) -> Race:
    """`get_race` inside the caller's transaction."""
    return await _race_in(conn, guild_id, race_id)


async def archive_race(
    db: Database,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    now: datetime,
    restore: bool = False,
) -> Race:
    """Hide the race from lists and autocomplete (or bring it back); nothing is deleted."""
    async with db.transaction() as conn:
        current = await _race_in(conn, guild_id, race_id)
        if current.archived != restore:
            return current
        await store.set_archived(
            conn, guild_id=guild_id, race_id=race_id, archived_at=None if restore else now, now=now
        )
        action = "race.restore" if restore else "race.archive"
        await _audit(conn, guild_id, actor_id, action, race_id, now, current.office)
        race = await store.get_race(conn, guild_id, race_id)
    assert race is not None
    return race


async def delete_race(
    db: Database, *, guild_id: int, race_id: int, actor_id: int, now: datetime
) -> None:
    """Delete a race entered by mistake. Refused (nothing changed) while a vote, plan or
    other record refers to it: those races are archived instead."""
    async with db.transaction() as conn:
        current = await _race_in(conn, guild_id, race_id)
        try:
            await store.delete_race(conn, guild_id=guild_id, race_id=race_id)
        except sqlite3.IntegrityError:
            raise UserError(
                f"**{current.label}** can't be deleted: a vote, plan or questionnaire refers "
                "to it. Archive it instead with `/race archive`."
            ) from None
        await _audit(conn, guild_id, actor_id, "race.delete", race_id, now, current.office)


# ------------------------------------------------------------------------- candidates


async def add_candidate(
    db: Database,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    draft: CandidateDraft,
    now: datetime,
) -> Candidate:
    """Add a candidate to the race; a name already on the race is refused."""
    async with db.transaction() as conn:
        await _race_in(conn, guild_id, race_id)
        others = [c.name for c in await store.list_candidates(conn, guild_id, race_id)]
        draft = _checked_candidate(draft, others)
        try:
            candidate_id = await store.insert_candidate(
                conn, guild_id=guild_id, race_id=race_id, draft=draft, now=now
            )
        except sqlite3.IntegrityError:
            raise InvalidInput(f"**{draft.name}** is already a candidate in this race.") from None
        detail = f"candidate {draft.name}" + (f" (<@{draft.member_id}>)" if draft.member_id else "")
        await _audit(conn, guild_id, actor_id, "candidate.add", race_id, now, detail)
        candidate = await store.get_candidate(conn, guild_id, candidate_id)
    assert candidate is not None
    return candidate


async def edit_candidate(
    db: Database,
    *,
    guild_id: int,
    candidate_id: int,
    actor_id: int,
    changes: Mapping[str, Any],
    now: datetime,
) -> Candidate:
    """Apply `changes` (CandidateDraft field -> new value); refused if the new name is taken."""
    unknown = set(changes) - _CANDIDATE_FIELDS
    if unknown:
        raise ValueError(f"not candidate fields: {sorted(unknown)}")
    async with db.transaction() as conn:
        current = await _candidate_in(conn, guild_id, candidate_id)
        before = current.draft()
        others = [
            c.name
            for c in await store.list_candidates(conn, guild_id, current.race_id)
            if c.id != candidate_id
        ]
        after = _checked_candidate(replace(before, **changes), others)
        if after == before:
            return current
        await store.update_candidate(
            conn, guild_id=guild_id, candidate_id=candidate_id, draft=after, now=now
        )
        detail = f"candidate {current.name}: {_diff(before, after)}"
        await _audit(conn, guild_id, actor_id, "candidate.edit", current.race_id, now, detail)
        candidate = await store.get_candidate(conn, guild_id, candidate_id)
    assert candidate is not None
    return candidate


async def set_candidate_status(
    db: Database,
    *,
    guild_id: int,
    candidate_id: int,
    status: CandidateStatus,
    actor_id: int,
    now: datetime,
) -> Candidate:
    """Move a candidate along (questionnaire sent, submitted, endorsed...)."""
    return await edit_candidate(
        db,
        guild_id=guild_id,
        candidate_id=candidate_id,
        actor_id=actor_id,
        changes={"status": status},
        now=now,
    )


async def remove_candidate(
    db: Database, *, guild_id: int, candidate_id: int, actor_id: int, now: datetime
) -> Candidate:
    """Take a candidate entered by mistake off the race. Refused while a vote or
    questionnaire refers to them: mark them withdrawn instead."""
    async with db.transaction() as conn:
        current = await _candidate_in(conn, guild_id, candidate_id)
        try:
            await store.delete_candidate(conn, guild_id=guild_id, candidate_id=candidate_id)
        except sqlite3.IntegrityError:
            raise UserError(
                f"**{current.name}** can't be removed: a vote or questionnaire refers to them. "
                "Set their status to withdrawn with `/candidate edit` instead."
            ) from None
        detail = f"candidate {current.name}"
        await _audit(conn, guild_id, actor_id, "candidate.remove", current.race_id, now, detail)
    return current


# ------------------------------------------------------------------------- helpers


def _checked_race(
    draft: RaceDraft, *, now: datetime, tz: str, previous: RaceDraft | None = None
) -> RaceDraft:
    return validate_race(draft, today=local_today(now, tz), previous=previous)


def _checked_candidate(draft: CandidateDraft, others: list[str]) -> CandidateDraft:
    return validate_candidate(draft, other_names=others)


async def _race_in(conn: aiosqlite.Connection, guild_id: int, race_id: int) -> Race:
    race = await store.get_race(conn, guild_id, race_id)
    if race is None:
        raise NotFound("That race does not exist in this chapter (see `/race list`).")
    return race


async def _candidate_in(conn: aiosqlite.Connection, guild_id: int, candidate_id: int) -> Candidate:
    candidate = await store.get_candidate(conn, guild_id, candidate_id)
    if candidate is None:
        raise NotFound("That candidate does not exist in this chapter.")
    return candidate


def _diff(before: object, after: object) -> str:
    """`field: old -> new` for each changed field; notes are committee-only, so only noted."""
    parts = []
    for f in fields(before):  # type: ignore[arg-type]
        old, new = getattr(before, f.name), getattr(after, f.name)
        if old == new:
            continue
        if f.name == "notes":
            parts.append("notes changed")
        else:
            parts.append(f"{f.name}: {_shown(old)} -> {_shown(new)}")
    return "; ".join(parts)


def _shown(value: object) -> str:
    if value is None:
        return "none"
    return str(getattr(value, "value", value))


async def _audit(
    conn: aiosqlite.Connection,
    guild_id: int,
    actor_id: int,
    action: str,
    race_id: int,
    now: datetime,
    detail: str,
) -> None:
    await audit.record(
        conn,
        guild_id=guild_id,
        actor_id=actor_id,
        action=action,
        subject=subject(race_id),
        detail=detail,
        at=now,
    )
