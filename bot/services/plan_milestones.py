"""Changing one milestone of a race plan, when other committee members may be changing it too.

Each command writes only the field it changes (dates, name, done day), inside one
transaction that first reads the milestone as it is now: a rename, done day or move another
member made meanwhile stays. A command that depends on what the member read compares it
with what is stored and, when another member changed that first, changes nothing and says
what they did (`ChangedMeanwhile`); a milestone removed meanwhile is `MilestoneGone`.
Reminders are cancelled and made anew in the same transaction (`bot.services.plans`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import aiosqlite

from bot.db import Database
from bot.domain import plans as rules
from bot.domain.plans import Milestone, MilestoneField, changed_since
from bot.domain.races import Race, local_today
from bot.errors import ChangedMeanwhile, NotFound
from bot.scheduler import Scheduler
from bot.services.plans import (
    PlanView,
    audit_plan,
    cancel_reminders,
    schedule_reminders,
    view,
)
from bot.store import plans as store


class MilestoneGone(NotFound):
    """Another member removed the milestone after this member picked it."""

    def __init__(self, milestone: Milestone, race: Race) -> None:
        self.milestone = milestone
        super().__init__(
            f"**{milestone.name}** is no longer in the plan for **{race.label}**: another "
            "member removed it just now, so nothing was changed."
        )


async def move_milestone(
    db: Database,
    scheduler: Scheduler,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    milestone: Milestone,
    on: date,
    until: date | None,
    tz: str,
    now: datetime,
) -> Milestone:
    """Give the milestone new dates; its pending reminders are replaced by ones for them.

    `milestone` is what the member read. Only the dates are written, so a rename or a done
    day recorded meanwhile by another member stays (a done milestone gets no reminders).
    A move depends on the dates read (a window keeps its length), so it is refused with
    `ChangedMeanwhile` when another member moved the milestone first."""
    current = await view(db, guild_id, race_id)
    today = local_today(now, tz)
    rules.check_dates(current.plan, on, until, today=today)
    if until is None and milestone.until is not None:
        until = on + (milestone.until - (milestone.on or milestone.until))
        rules.check_dates(current.plan, on, until, today=today)
    async with db.transaction() as conn:
        found = await _still_there(conn, current, milestone)
        theirs = (found.on, found.until)
        if MilestoneField.DATES in changed_since(milestone, found) and theirs != (on, until):
            raise ChangedMeanwhile(
                f"Another member moved **{found.name}** just now, to {_span(found)}: your move "
                "was not made. Move it again if it still needs to."
            )
        await store.set_milestone_dates(conn, guild_id, milestone.id, on, until, now=now)
        moved = replace(found, on=on, until=until)
        await cancel_reminders(conn, scheduler, guild_id, milestone.id, "milestone moved")
        await schedule_reminders(conn, scheduler, current.plan, moved, tz, now)
        await audit_plan(
            conn,
            current.plan,
            actor_id,
            "plan.milestone.move",
            f"{found.name}: {found.on} -> {on}",
            now,
        )
    return moved


async def rename_milestone(
    db: Database,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    milestone: Milestone,
    name: str,
    now: datetime,
) -> Milestone:
    """Rename the milestone; its reminders use the new name when they post. Only the name
    is written; a rename another member made first is not overwritten (`ChangedMeanwhile`)."""
    current = await view(db, guild_id, race_id)
    name = rules.check_name(name)
    async with db.transaction() as conn:
        found = await _still_there(conn, current, milestone)
        if MilestoneField.NAME in changed_since(milestone, found) and found.name != name:
            raise ChangedMeanwhile(
                f"Another member renamed **{milestone.name}** to **{found.name}** just now: "
                "your rename was not made. Rename it again if it still needs to."
            )
        await store.set_milestone_name(conn, guild_id, milestone.id, name, now=now)
        await audit_plan(
            conn,
            current.plan,
            actor_id,
            "plan.milestone.rename",
            f"{found.name} -> {name}",
            now,
        )
    return replace(found, name=name)


async def mark_done(
    db: Database,
    scheduler: Scheduler,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    milestone: Milestone,
    done_on: date,
    tz: str,
    now: datetime,
) -> Milestone:
    """Record the milestone achieved on `done_on` (a past day is fine); no more reminders.
    Only the done day is written, so a move or rename made meanwhile stays; a done day
    another member recorded first is not overwritten (`ChangedMeanwhile`)."""
    current = await view(db, guild_id, race_id)
    rules.check_done_date(done_on, today=local_today(now, tz))
    async with db.transaction() as conn:
        found = await _still_there(conn, current, milestone)
        if MilestoneField.DONE in changed_since(milestone, found) and found.done_on != done_on:
            when = f", on {found.done_on.isoformat()}" if found.done_on else ""
            raise ChangedMeanwhile(
                f"Another member marked **{found.name}** done just now{when}: nothing was changed."
            )
        await store.set_milestone_done(conn, guild_id, milestone.id, done_on, now=now)
        await cancel_reminders(conn, scheduler, guild_id, milestone.id, "milestone done")
        await audit_plan(
            conn, current.plan, actor_id, "plan.milestone.done", f"{found.name}: {done_on}", now
        )
    return replace(found, done_on=done_on)


async def remove_milestone(
    db: Database,
    scheduler: Scheduler,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    milestone: Milestone,
    now: datetime,
) -> Milestone:
    """Remove the milestone and its pending reminders; returns it as it stood when removed
    (another member may have renamed or moved it since `milestone` was read)."""
    current = await view(db, guild_id, race_id)
    async with db.transaction() as conn:
        found = await _still_there(conn, current, milestone)
        await cancel_reminders(conn, scheduler, guild_id, milestone.id, "milestone removed")
        await store.delete_milestone(conn, guild_id, milestone.id)
        await audit_plan(conn, current.plan, actor_id, "plan.milestone.remove", found.name, now)
    return found


async def _still_there(
    conn: aiosqlite.Connection, current: PlanView, milestone: Milestone
) -> Milestone:
    """The milestone as stored now, inside the caller's transaction; `MilestoneGone` when
    another member removed it after this member read it."""
    found = await store.get_milestone(conn, current.plan.guild_id, milestone.id)
    if found is None or found.plan_id != current.plan.id:
        raise MilestoneGone(milestone, current.race)
    return found


def _span(m: Milestone) -> str:
    if m.on is None:
        return "no date"
    return m.on.isoformat() + (f" to {m.until.isoformat()}" if m.until else "")
