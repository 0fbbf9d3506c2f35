"""The plan service on a real SQLite file: milestones and their reminder jobs move together."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.db import Database
from bot.domain.errors import InputError
from bot.domain.races import BallotLine
from bot.scheduler import Scheduler
from bot.services import plan_milestones
from bot.services import plans as service
from bot.services import races as race_service
from bot.store import jobs
from tests.jobs import jobs_of
from tests.store.conftest import MakeRace

pytestmark = pytest.mark.asyncio

GUILD = 77
NY = "America/New_York"
NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


# A primary that decides the race, two years after NOW.
ASSEMBLY = dict(
    office="Assembly 36",
    ballot_line=BallotLine.PARTISAN_PRIMARY,
    general_date=date(2028, 11, 7),
    primary_date=date(2028, 6, 27),
    decided_in_primary=True,
)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def guild_id() -> int:
    return GUILD


async def pending(db: Database) -> list[jobs.Job]:
    return [j for j in await jobs_of(db, GUILD, service.REMINDER_JOB) if j.state == "pending"]


async def create(db: Database, scheduler: Scheduler, race_id: int) -> service.PlanView:
    return await service.create(
        db, scheduler, guild_id=GUILD, race_id=race_id, actor_id=1, tz=NY, now=NOW
    )


async def test_a_plan_schedules_three_reminders_for_every_dated_future_milestone(
    db: Database, scheduler: Scheduler, make_race: MakeRace
) -> None:
    made = await create(db, scheduler, (await make_race(**ASSEMBLY)).id)
    reminded = {m.id for m in made.milestones if m.on is not None and m.on > NOW.date()}
    assert len(reminded) == 11  # all but the petitions, which the committee dates
    # the district is chosen 26 days from now: its 30-day reminder would be in the past
    assert len(await pending(db)) == 2 + 3 * 10
    assert {j.payload["milestone_id"] for j in await pending(db)} == reminded
    with pytest.raises(service.PlanExists):
        await create(db, scheduler, made.race.id)


async def test_moving_done_and_remove_keep_reminders_in_step(
    db: Database, scheduler: Scheduler, make_race: MakeRace
) -> None:
    made = await create(db, scheduler, (await make_race(**ASSEMBLY)).id)
    announcement = next(m for m in made.milestones if m.key == "announcement")
    before = {j.id for j in await pending(db)}
    kw = {"guild_id": GUILD, "race_id": made.race.id, "actor_id": 1}
    moved = await plan_milestones.move_milestone(
        db,
        scheduler,
        **kw,
        milestone=announcement,
        on=date(2027, 9, 10),
        until=None,
        tz=NY,
        now=NOW,
    )
    after = await pending(db)
    assert len(after) == len(before)
    new = [j for j in after if j.id not in before]
    assert sorted(j.due_at.date() for j in new) == [
        date(2027, 8, 11),
        date(2027, 9, 3),
        date(2027, 9, 9),
    ]
    assert all(j.payload["milestone_id"] == moved.id for j in new)

    await plan_milestones.mark_done(
        db, scheduler, **kw, milestone=moved, done_on=date(2026, 5, 1), tz=NY, now=NOW
    )
    assert not [j for j in await pending(db) if j.payload["milestone_id"] == moved.id]

    sio = next(m for m in made.milestones if m.key == "sio")
    await plan_milestones.remove_milestone(db, scheduler, **kw, milestone=sio, now=NOW)
    assert not [j for j in await pending(db) if j.payload["milestone_id"] == sio.id]
    assert len(await pending(db)) == len(before) - 6
    shown = await service.view(db, GUILD, made.race.id)
    assert "SIO structure set up" not in [m.name for m in shown.milestones]


async def test_a_refused_date_changes_nothing(
    db: Database, scheduler: Scheduler, make_race: MakeRace
) -> None:
    made = await create(db, scheduler, (await make_race(**ASSEMBLY)).id)
    gotv = next(m for m in made.milestones if m.key == "gotv")
    before = await pending(db)
    with pytest.raises(InputError, match="after the election"):
        await plan_milestones.move_milestone(
            db, scheduler, guild_id=GUILD, race_id=made.race.id, actor_id=1, milestone=gotv,
            on=date(2028, 7, 1), until=None, tz=NY, now=NOW,
        )  # fmt: skip
    assert await pending(db) == before
    assert (await service.view(db, GUILD, made.race.id)).milestones == made.milestones


async def test_missed_reminders_are_listed_once_in_one_summary(
    db: Database, scheduler: Scheduler, make_race: MakeRace
) -> None:
    made = await create(db, scheduler, (await make_race(**ASSEMBLY)).id)
    reminders = await pending(db)
    later = reminders[1].due_at + timedelta(days=3)  # the first two are long overdue
    assert await service.record_missed(
        db, scheduler, reminders[0].id, guild_id=GUILD, now=later, delay=timedelta(seconds=10)
    )
    summaries = await jobs_of(db, GUILD, service.SUMMARY_JOB)
    assert len(summaries) == 1  # one summary pending for the chapter, not one per reminder
    listed = await service.gather_missed(
        db, summaries[0].id, GUILD, now=later, grace=timedelta(hours=6)
    )
    assert [m.due_at for m in listed] == [r.due_at for r in reminders[:2]]
    assert listed[0].race_label == made.race.label
    # the second never ran: it is settled missed, so its own timer finds nothing to do
    assert (await jobs.get(db, reminders[1].id)).state == "missed"
    # a summary recovered after a crash lists the same reminders, and no more
    again = await service.gather_missed(
        db, summaries[0].id, GUILD, now=later + timedelta(days=1), grace=timedelta(hours=6)
    )
    assert again[:2] == listed
    assert not await service.record_missed(
        db, scheduler, reminders[0].id, guild_id=GUILD, now=later, delay=timedelta(seconds=10)
    )


async def test_a_plan_follows_its_race_when_the_election_moves(
    db: Database, scheduler: Scheduler, make_race: MakeRace
) -> None:
    made = await create(db, scheduler, (await make_race(**ASSEMBLY)).id)
    election_day = next(m for m in made.milestones if m.key == "election_day")
    later = date(2028, 8, 1)
    await race_service.edit_race(
        db, guild_id=GUILD, race_id=made.race.id, actor_id=1,
        changes={"primary_date": later}, now=NOW, tz=NY,
    )  # fmt: skip
    shown = await service.view(db, GUILD, made.race.id)
    assert shown.plan.election == later and shown.made_for == date(2028, 6, 27)
    moved = await plan_milestones.move_milestone(
        db, scheduler, guild_id=GUILD, race_id=made.race.id, actor_id=1,
        milestone=election_day, on=later, until=None, tz=NY, now=NOW,
    )  # fmt: skip
    assert moved.on == later  # not refused as "after the election"


async def test_new_reminder_times_while_a_milestone_is_removed_and_another_done(
    db: Database, scheduler: Scheduler, make_race: MakeRace
) -> None:
    """`/plan reminders` read the milestones before its transaction: a milestone removed
    meanwhile failed it (foreign key), and one marked done got its reminders back."""
    import asyncio

    made = await create(db, scheduler, (await make_race(**ASSEMBLY)).id)
    sio = next(m for m in made.milestones if m.key == "sio")
    gotv = next(m for m in made.milestones if m.key == "gotv")
    kw = {"guild_id": GUILD, "race_id": made.race.id, "actor_id": 1}
    await asyncio.gather(
        plan_milestones.remove_milestone(db, scheduler, **kw, milestone=sio, now=NOW),
        plan_milestones.mark_done(
            db, scheduler, **kw, milestone=gotv, done_on=NOW.date(), tz=NY, now=NOW
        ),
        service.set_reminders(db, scheduler, **kw, days=[14, 2], at=None, tz=NY, now=NOW),
    )
    reminded = {j.payload["milestone_id"] for j in await pending(db)}
    assert sio.id not in reminded and gotv.id not in reminded
    shown = await service.view(db, GUILD, made.race.id)
    assert shown.plan.reminder_days == (14, 2)
    assert sio.id not in [m.id for m in shown.milestones]
