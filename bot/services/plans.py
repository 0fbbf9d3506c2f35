"""The cadre race plan: create it, change its milestones, and keep their reminders in step.

Every change is one transaction: the milestone, its reminder jobs (cancelled and made anew
through the scheduler, in the same transaction) and the audit entry commit together, so a
moved milestone never keeps a reminder for its old date. Reminders are `plan.reminder`
jobs (one per milestone and "days before"); a reminder past its grace window is not posted
on its own but listed in one `plan.missed_reminders` summary per chapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import aiosqlite

from bot.db import Database
from bot.domain import plans as rules
from bot.domain.hygiene import tidy
from bot.domain.plan_reminders import behind, reminder_times
from bot.domain.plans import Milestone, MilestoneDraft, Plan
from bot.domain.races import Race, local_today, name_key
from bot.errors import InvalidInput, NotFound, UserError
from bot.scheduler import Scheduler
from bot.services import races as race_service
from bot.store import audit, jobs
from bot.store import plans as store
from bot.store.plans import ReminderLink

REMINDER_JOB = "plan.reminder"
SUMMARY_JOB = "plan.missed_reminders"


@dataclass(frozen=True, slots=True)
class PlanView:
    """A plan as it stands. The race is the truth about election day: when the committee
    has moved the race's decisive election since the plan was made, `plan.election` is the
    race's new date (so milestones may move up to it) and `made_for` the one it was made for."""

    race: Race
    plan: Plan
    milestones: tuple[Milestone, ...]
    made_for: date | None = None


@dataclass(frozen=True, slots=True)
class ReminderNote:
    """What one reminder says: the milestone, how far off, and what is already behind."""

    race: Race
    plan: Plan
    milestone: Milestone
    days_before: int
    behind: tuple[Milestone, ...]


@dataclass(frozen=True, slots=True)
class MissedReminder:
    race_label: str
    milestone_name: str
    days_before: int
    due_at: datetime


class PlanExists(UserError):
    def __init__(self, race: Race) -> None:
        super().__init__(
            f"**{race.label}** already has a plan: see it with `/plan show`, and change its "
            "milestones with `/plan milestone`."
        )


class NoPlan(NotFound):
    def __init__(self, race: Race) -> None:
        super().__init__(
            f"**{race.label}** has no plan yet: the committee makes one with `/plan create`."
        )


# ------------------------------------------------------------------------------- reading


async def view(db: Database, guild_id: int, race_id: int) -> PlanView:
    """The race's plan and milestones; `NoPlan` if the committee has not made one."""
    race = await race_service.get_race(db, guild_id, race_id)
    plan = await store.plan_for_race(db, guild_id, race_id)
    if plan is None:
        raise NoPlan(race)
    milestones = tuple(await store.milestones(db, guild_id, plan.id))
    if plan.election != race.decisive_date:
        moved = replace(plan, election=race.decisive_date)
        return PlanView(race, moved, milestones, made_for=plan.election)
    return PlanView(race, plan, milestones)


async def find_view(db: Database, guild_id: int, race_id: int) -> PlanView | None:
    """The race's plan, or None: for the race page."""
    try:
        return await view(db, guild_id, race_id)
    except NoPlan:
        return None


def resolve_milestone(plan: PlanView, typed: str) -> Milestone:
    """The milestone a member named: an autocomplete choice (its id) or its name."""
    text = tidy(typed)
    for milestone in plan.milestones:
        if text.isdigit() and milestone.id == int(text):
            return milestone
    named = [m for m in plan.milestones if name_key(m.name) == name_key(text)]
    if len(named) == 1:
        return named[0]
    raise NotFound(
        f"The plan for **{plan.race.label}** has no milestone called “{text}”: pick one from "
        "the list as you type."
    )


# ------------------------------------------------------------------------------ changing


async def create(
    db: Database,
    scheduler: Scheduler,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    tz: str,
    now: datetime,
    reminder_days: Sequence[int] | None = None,
    reminder_time: time | None = None,
) -> PlanView:
    """Build the race's default plan back from its decisive election and schedule its
    reminders. Refused when the race already has a plan or its election has passed."""
    race = await race_service.get_race(db, guild_id, race_id)
    draft = rules.build_default(race.decisive_date, today=local_today(now, tz))
    draft = replace(
        draft,
        reminder_days=tuple(reminder_days or draft.reminder_days),
        reminder_time=reminder_time or draft.reminder_time,
    )
    async with db.transaction() as conn:
        if await store.plan_for_race(conn, guild_id, race_id) is not None:
            raise PlanExists(race)
        plan_id = await store.insert_plan(
            conn, guild_id=guild_id, race_id=race_id, draft=draft, now=now
        )
        plan = await store.get_plan(conn, guild_id, plan_id)
        assert plan is not None
        for m in draft.milestones:
            mid = await store.insert_milestone(
                conn, guild_id=guild_id, plan_id=plan_id, draft=m, now=now
            )
            milestone = await store.get_milestone(conn, guild_id, mid)
            assert milestone is not None
            await schedule_reminders(conn, scheduler, plan, milestone, tz, now)
        detail = "compressed" if draft.compressed else "default timeline"
        await audit_plan(conn, plan, actor_id, "plan.create", detail, now)
    return await view(db, guild_id, race_id)


async def add_milestone(
    db: Database,
    scheduler: Scheduler,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    name: str,
    on: date,
    until: date | None,
    tz: str,
    now: datetime,
) -> Milestone:
    """Add a milestone of the committee's own, with its reminders."""
    current = await view(db, guild_id, race_id)
    name = rules.check_name(name)
    rules.check_dates(current.plan, on, until, today=local_today(now, tz))
    async with db.transaction() as conn:
        # Counted inside the transaction: two members adding at once can't pass the cap.
        if len(await store.milestones(conn, guild_id, current.plan.id)) >= rules.MILESTONES_MAX:
            raise InvalidInput(f"A plan can have at most {rules.MILESTONES_MAX} milestones.")
        mid = await store.insert_milestone(
            conn,
            guild_id=guild_id,
            plan_id=current.plan.id,
            draft=MilestoneDraft("custom", name, on, until),
            now=now,
        )
        milestone = await store.get_milestone(conn, guild_id, mid)
        assert milestone is not None
        await schedule_reminders(conn, scheduler, current.plan, milestone, tz, now)
        await audit_plan(conn, current.plan, actor_id, "plan.milestone.add", f"{name}: {on}", now)
    return milestone


async def set_reminders(
    db: Database,
    scheduler: Scheduler,
    *,
    guild_id: int,
    race_id: int,
    actor_id: int,
    days: Sequence[int] | None,
    at: time | None,
    tz: str,
    now: datetime,
) -> PlanView:
    """Change when the plan reminds (days before each milestone, chapter time); every
    pending reminder is replaced by ones at the new times, in one transaction. What the
    member left out (days or time) keeps its stored value, and the milestones are read
    inside the transaction, so a move, done or removal made meanwhile is kept."""
    current = await view(db, guild_id, race_id)
    async with db.transaction() as conn:
        stored = await store.get_plan(conn, guild_id, current.plan.id)
        if stored is None:
            raise NoPlan(current.race)
        plan = replace(
            current.plan,
            reminder_days=tuple(days or stored.reminder_days),
            reminder_time=at or stored.reminder_time,
        )
        await store.set_reminders(conn, plan, plan.reminder_days, plan.reminder_time, now=now)
        for milestone in await store.milestones(conn, guild_id, plan.id):
            reason = "reminder times changed"
            await cancel_reminders(conn, scheduler, guild_id, milestone.id, reason)
            await schedule_reminders(conn, scheduler, plan, milestone, tz, now)
        detail = f"{','.join(map(str, plan.reminder_days))} days at {plan.reminder_time:%H:%M}"
        await audit_plan(conn, plan, actor_id, "plan.reminders", detail, now)
    return await view(db, guild_id, race_id)


async def schedule_reminders(
    conn: aiosqlite.Connection,
    scheduler: Scheduler,
    plan: Plan,
    milestone: Milestone,
    tz: str,
    now: datetime,
) -> None:
    for reminder in reminder_times(milestone, plan.reminder_days, plan.reminder_time, tz, now=now):
        job_id = await scheduler.schedule(
            conn,
            guild_id=plan.guild_id,
            kind=REMINDER_JOB,
            due_at=reminder.due_at,
            payload={"milestone_id": milestone.id, "days_before": reminder.days_before},
        )
        await store.link_reminder(
            conn,
            job_id=job_id,
            guild_id=plan.guild_id,
            milestone_id=milestone.id,
            days_before=reminder.days_before,
        )


async def cancel_reminders(
    conn: aiosqlite.Connection, scheduler: Scheduler, guild_id: int, milestone_id: int, reason: str
) -> None:
    for link in await store.reminders_of(conn, guild_id, milestone_id):
        if link.state == "pending":
            await scheduler.cancel(link.job_id, reason=reason, conn=conn)


async def audit_plan(
    conn: aiosqlite.Connection, plan: Plan, actor_id: int, action: str, detail: str, at: datetime
) -> None:
    await audit.record(
        conn,
        guild_id=plan.guild_id,
        actor_id=actor_id,
        action=action,
        at=at,
        subject=race_service.subject(plan.race_id),
        detail=detail,
    )


# ------------------------------------------------------------------------------ reminders


async def reminder_note(
    db: Database, job_id: int, *, guild_id: int, today: date
) -> ReminderNote | None:
    """What reminder job `job_id` should say, or None when there is nothing to remind of
    (the milestone was removed or marked done since the job was made)."""
    link = await store.reminder(db, guild_id, job_id)
    if link is None:
        return None
    milestone = await store.get_milestone(db, link.guild_id, link.milestone_id)
    if milestone is None or milestone.done_on is not None:
        return None
    plan = await store.get_plan(db, link.guild_id, milestone.plan_id)
    assert plan is not None
    race = await race_service.get_race(db, link.guild_id, plan.race_id)
    late = behind(await store.milestones(db, link.guild_id, plan.id), today)
    return ReminderNote(race, plan, milestone, link.days_before, tuple(late))


async def record_missed(
    db: Database,
    scheduler: Scheduler,
    job_id: int,
    *,
    guild_id: int,
    now: datetime,
    delay: timedelta,
) -> bool:
    """A reminder too late to post: make sure one summary job for its chapter is pending,
    due after `delay` (so every reminder missed while the bot was down lands in the same
    summary). False when a summary already listed this reminder."""
    async with db.transaction() as conn:
        link = await store.reminder(conn, guild_id, job_id)
        if link is None or link.summarised_by is not None:
            return False
        if not await jobs.pending_of_kind(conn, link.guild_id, SUMMARY_JOB):
            await scheduler.schedule(
                conn, guild_id=link.guild_id, kind=SUMMARY_JOB, due_at=now + delay
            )
    return True


async def gather_missed(
    db: Database, summary_job_id: int, guild_id: int, *, now: datetime, grace: timedelta
) -> list[MissedReminder]:
    """The reminders summary job `summary_job_id` lists: those it listed before (a summary
    recovered after a crash lists the same ones) and every reminder of the chapter past its
    grace window that no summary has listed, settling those that never ran as missed."""
    async with db.transaction() as conn:
        fresh = await store.unsummarised_missed(conn, guild_id, before=now - grace, also_unrun=True)
        for link in fresh:
            if link.state == "pending":
                await jobs.settle(
                    conn,
                    link.job_id,
                    "missed",
                    f"listed in the summary job:{summary_job_id}",
                    now,
                    expect="pending",
                )
        await store.mark_summarised(conn, guild_id, [link.job_id for link in fresh], summary_job_id)
        links = await store.summarised_by(conn, guild_id, summary_job_id)
    return [await _described(db, link) for link in links]


async def _described(db: Database, link: ReminderLink) -> MissedReminder:
    milestone = await store.get_milestone(db, link.guild_id, link.milestone_id)
    plan = await store.get_plan(db, link.guild_id, milestone.plan_id) if milestone else None
    race = await race_service.get_race(db, link.guild_id, plan.race_id) if plan else None
    return MissedReminder(
        race_label=race.label if race else "a removed plan",
        milestone_name=milestone.name if milestone else "a removed milestone",
        days_before=link.days_before,
        due_at=link.due_at,
    )
