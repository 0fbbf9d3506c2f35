"""Capacity: set the chapter's and each race's figures, log canvass shifts, build the ledger.

Other features ask `race_fits` (the questionnaire report's "viable path") and the vote
announcement asks `check_race` through the capacity cog. A race's priority comes from its
candidates' profiles (`candidate_facts.race_priority`), never from the report's category,
which itself reads `race_fits`. A refused figure raises
`InvalidInput` and stores nothing. Changes are recorded in the audit log (`capacity`, or the
race's subject `race:{id}`); logged shifts are rows of their own, not audit entries.

The weekly pace job (`PACE_JOB`, Monday 10:00 chapter time) is scheduled when the chapter
first sets its capacity; each run schedules the next (see `schedule_next_pace`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiosqlite

from bot.db import Database
from bot.domain import ledger as ledger_rules
from bot.domain.capacity import (
    CanvassShift,
    ChapterCapacity,
    DoorsEstimate,
    PaceCheck,
    RaceFigures,
    estimate,
    measured_pace,
    merge_figures,
    next_pace_run,
    pace_check,
    pace_window,
    require_election,
    uses_measured,
    validate_chapter,
    validate_figures,
    validate_shift,
    weeks_logged,
    weeks_until,
)
from bot.domain.ledger import Demand, Ledger
from bot.domain.races import Race, RaceStatus, local_today
from bot.errors import InvalidInput
from bot.scheduler import Scheduler
from bot.services import candidate_facts
from bot.services import races as race_service
from bot.store import audit, jobs
from bot.store import capacity as store
from bot.store import chapters as chapter_store

PACE_JOB = "capacity.pace"
# The committee's copy of a vote's capacity warning, posted when the announcement is drawn.
VOTE_WARNING_JOB = "capacity.vote_warning"
AUDIT_SUBJECT = "capacity"


@dataclass(frozen=True, slots=True)
class RaceEstimate:
    race: Race
    figures: RaceFigures
    estimate: DoorsEstimate
    knocked: int  # doors logged for the race so far
    weeks_left: float

    @property
    def remaining(self) -> int:
        return max(self.estimate.doors - self.knocked, 0)


@dataclass(frozen=True, slots=True)
class CapacityView:
    """Everything the ledger embed, chart, export and warnings show."""

    chapter: ChapterCapacity
    measured_per_week: float | None  # None until shifts are logged in the pace window
    ledger: Ledger
    races: dict[int, RaceEstimate]  # every race in the ledger, renewable ones included
    unestimated: tuple[Race, ...]  # endorsed races with no figures yet
    timezone: str
    measured_weeks: int = 0  # weeks of the pace window with logged shifts

    @property
    def uses_measured(self) -> bool:
        """The ledger counts the measured pace (enough weeks of logs), not the estimate."""
        return self.measured_per_week is not None and uses_measured(self.measured_weeks)


# --------------------------------------------------------------------------- settings


async def chapter_capacity(db: Database, guild_id: int) -> ChapterCapacity | None:
    """The chapter's canvass figures, or None before `/capacity chapter`."""
    return await store.get_chapter(db, guild_id)


async def set_chapter(
    db: Database,
    scheduler: Scheduler,
    *,
    guild_id: int,
    actor_id: int,
    capacity: ChapterCapacity,
    tz: str,
    now: datetime,
) -> ChapterCapacity:
    """Store the chapter's canvass figures and make sure the weekly pace job is pending."""
    capacity = validate_chapter(capacity)
    async with db.transaction() as conn:
        await store.save_chapter(conn, guild_id, capacity, actor_id=actor_id, now=now)
        await audit.record(
            conn,
            guild_id=guild_id,
            actor_id=actor_id,
            action="capacity.chapter",
            subject=AUDIT_SUBJECT,
            detail=f"{capacity.doors_per_week:,.0f} doors a week",
            at=now,
        )
        job_id = await store.pace_job_id(conn, guild_id)
        job = await jobs.get_in(conn, job_id) if job_id is not None else None
        if job is None or job.state not in ("pending", "running"):
            await _schedule_pace(conn, scheduler, guild_id, now=now, tz=tz)
    return capacity


async def race_figures(db: Database, guild_id: int, race_id: int) -> RaceFigures | None:
    """The committee's figures for the race, or None before `/capacity race` set any."""
    return (await store.race_figures(db, guild_id)).get(race_id)


async def set_race(
    db: Database,
    *,
    guild_id: int,
    race: Race,
    actor_id: int,
    figures: RaceFigures,
    tz: str,
    now: datetime,
) -> DoorsEstimate:
    """Store a race's figures as given, replacing all of them; the doors they come to.
    Refused for a race whose election is past or unset, or figures the model can't use."""
    return await change_race(
        db, guild_id=guild_id, race=race, actor_id=actor_id,
        given=_fields(figures), replace_all=True, tz=tz, now=now,
    )  # fmt: skip


async def change_race(
    db: Database,
    *,
    guild_id: int,
    race: Race,
    actor_id: int,
    given: Mapping[str, Any],
    reset_rates: bool = False,
    replace_all: bool = False,
    tz: str,
    now: datetime,
) -> DoorsEstimate:
    """Change only the race figures in `given` (field name -> value); the doors they come to.

    The stored figures are read, merged and written in one transaction, so two committee
    members setting different figures of one race at once both keep theirs. Refused (and
    nothing stored) for a race whose election is past or unset, or figures the model can't
    use."""
    require_election(race, local_today(now, tz))
    async with db.transaction() as conn:
        stored = None if replace_all else (await store.race_figures(conn, guild_id)).get(race.id)
        figures = validate_figures(merge_figures(stored, given, reset_rates=reset_rates))
        found = estimate(figures)
        await store.save_figures(conn, guild_id, race.id, figures, actor_id=actor_id, now=now)
        await audit.record(
            conn,
            guild_id=guild_id,
            actor_id=actor_id,
            action="capacity.race",
            subject=race_service.subject(race.id),
            detail=f"win number {found.win_number:,}; {found.doors:,} doors",
            at=now,
        )
    return found


def _fields(figures: RaceFigures) -> dict[str, Any]:
    return {f.name: getattr(figures, f.name) for f in dataclasses.fields(figures)}


async def log_shift(
    db: Database,
    *,
    guild_id: int,
    member_id: int,
    doors: int,
    race: Race | None,
    day: date,
    canvassers: int,
    tz: str,
    now: datetime,
) -> int:
    """Record doors knocked on `day` (the chapter's calendar); the shift's id."""
    today = local_today(now, tz)
    validate_shift(doors, whole_shift=canvassers > 1)
    if day > today:
        raise InvalidInput(
            f"{day.isoformat()} is in the future (today is {today.isoformat()} in the "
            "chapter's timezone): log a shift once it is done."
        )
    if race is not None and race.decisive_date < day:
        raise InvalidInput(f"**{race.office}** was decided on {race.decisive_date.isoformat()}.")
    async with db.transaction() as conn:
        return await store.insert_shift(
            conn,
            guild_id=guild_id,
            race_id=race.id if race else None,
            member_id=member_id,
            canvassers=canvassers,
            doors=doors,
            day=day,
            now=now,
        )


# ----------------------------------------------------------------------------- ledger


async def view(
    db: Database,
    guild_id: int,
    *,
    tz: str,
    now: datetime,
    considering: Collection[int] | None = None,
) -> CapacityView | None:
    """The ledger of the chapter's endorsed races still ahead, plus the races under
    consideration (`considering`: race ids; by default every race whose endorsement vote
    is open). None while the chapter has not set its capacity."""
    chapter = await store.get_chapter(db, guild_id)
    if chapter is None:
        return None
    today = local_today(now, tz)
    figures = await store.race_figures(db, guild_id)
    knocked = await store.doors_by_race(db, guild_id)
    shifts = await store.shifts(db, guild_id, since=pace_window(today)[0])
    measured = measured_pace(((s.day, s.doors) for s in shifts), today)
    logged = weeks_logged(((s.day, s.doors) for s in shifts), today)
    races: dict[int, RaceEstimate] = {}
    demands: list[Demand] = []
    unestimated: list[Race] = []
    for race in await race_service.list_races(db, guild_id):
        if considering is None:
            considered = race.status is RaceStatus.ENDORSEMENT_OPEN
        else:
            considered = race.id in considering
        if not (considered or race.status is RaceStatus.ENDORSED) or race.decisive_date < today:
            continue
        if race.id not in figures:
            unestimated.append(race)
            continue
        item = RaceEstimate(
            race,
            figures[race.id],
            estimate(figures[race.id]),
            knocked.get(race.id, 0),
            weeks_until(race.decisive_date, now=now, tz=tz),
        )
        races[race.id] = item
        demands.append(await _demand(db, item, considered))
    per_week = measured if measured is not None and uses_measured(logged) else None
    ledger = ledger_rules.build(demands, per_week=per_week or chapter.doors_per_week, today=today)
    return CapacityView(chapter, measured, ledger, races, tuple(unestimated), tz, logged)


async def _demand(db: Database, item: RaceEstimate, considered: bool) -> Demand:
    return Demand(
        race_id=item.race.id,
        label=item.race.label,
        decisive=item.race.decisive_date,
        doors=item.remaining,
        priority=await candidate_facts.race_priority(db, item.race),
        margin=item.figures.margin,
        renewable=item.figures.renewable,
        likely_win=item.figures.likely_win,
        considered=considered,
    )


async def under_consideration(db: Database, guild_id: int) -> tuple[int, ...]:
    """Races a decision is still to be made on: being explored, or put to a vote."""
    considered = (RaceStatus.EXPLORING, RaceStatus.ENDORSEMENT_OPEN)
    return tuple(
        r.id for r in await race_service.list_races(db, guild_id) if r.status in considered
    )


async def race_fits(db: Database, guild_id: int, race_id: int, *, now: datetime) -> bool | None:
    """Whether the race's doors fit in what the chapter can knock beside its endorsed races
    of higher priority. None when the chapter has not set capacity or the race has no
    figures (or no election ahead): unknown, not "no"."""
    config = await chapter_store.get(db, guild_id)
    if config is None:
        return None
    found = await view(db, guild_id, tz=config.timezone, now=now, considering=(race_id,))
    if found is None or race_id not in found.races:
        return None
    line = found.ledger.line_for(race_id)
    return True if line is None else line.fits  # a renewable or likely win is not counted


# ---------------------------------------------------------------------------- pace job


async def _schedule_pace(
    conn: aiosqlite.Connection, scheduler: Scheduler, guild_id: int, *, now: datetime, tz: str
) -> None:
    job_id = await scheduler.schedule(
        conn, guild_id=guild_id, kind=PACE_JOB, due_at=next_pace_run(now, tz)
    )
    await store.set_pace_job(conn, guild_id, job_id)


async def schedule_next_pace(
    db: Database, scheduler: Scheduler, *, guild_id: int, after_job_id: int, now: datetime, tz: str
) -> None:
    """Schedule the pace job after `after_job_id`, once: a recovered run that already did
    finds the chapter pointing at its successor and does nothing."""
    async with db.transaction() as conn:
        if await store.pace_job_id(conn, guild_id) == after_job_id:
            await _schedule_pace(conn, scheduler, guild_id, now=now, tz=tz)


async def pace_checks(
    db: Database, guild_id: int, *, tz: str, now: datetime
) -> list[tuple[RaceEstimate, PaceCheck]]:
    """Each endorsed race still ahead, counted in the ledger, against the pace measured for
    it over the last weeks: what the weekly job warns about when a race is behind."""
    found = await view(db, guild_id, tz=tz, now=now, considering=())
    if found is None:
        return []
    today = local_today(now, tz)
    shifts = await store.shifts(db, guild_id, since=pace_window(today)[0])
    checks = []
    for line in found.ledger.lines:
        item = found.races[line.demand.race_id]
        mine = ((s.day, s.doors) for s in shifts if s.race_id == item.race.id)
        checks.append(
            (
                item,
                pace_check(
                    item.estimate.doors,
                    item.knocked,
                    weeks_left=item.weeks_left,
                    averaged=measured_pace(mine, today),
                ),
            )
        )
    return checks


async def canvass_log(db: Database, guild_id: int) -> list[CanvassShift]:
    """Every logged shift of the chapter, oldest first (for the export)."""
    return await store.shifts(db, guild_id)


async def copy_vote_warning(
    db: Database, scheduler: Scheduler, *, guild_id: int, vote_id: int, title: str,
    warning: str, now: datetime,
) -> bool:  # fmt: skip
    """Schedule the committee's copy of vote `vote_id`'s capacity warning, once per vote (a
    job, so Discord refusing the post delays it; the text is the announcement's); False if
    it was scheduled before."""
    async with db.transaction() as conn:
        if await jobs.exists_for(conn, guild_id, VOTE_WARNING_JOB, "vote_id", vote_id):
            return False
        await scheduler.schedule(
            conn, guild_id=guild_id, kind=VOTE_WARNING_JOB, due_at=now,
            payload={"vote_id": vote_id, "title": title, "warning": warning},
        )  # fmt: skip
    return True
