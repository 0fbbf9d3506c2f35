"""Driving a race plan through the loopback Discord, as the committee would."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.races import BallotLine, OfficeKind, RaceDraft
from bot.services import plans as plan_service
from bot.services import races as race_service
from bot.store import jobs
from bot.store import plans as plan_store

NY = ZoneInfo("America/New_York")


async def add_race(world, election: date, office: str = "Assembly 36"):
    return await race_service.add_race(
        world.db,
        guild_id=int(world.guild.id),
        actor_id=int(world.organiser.id),
        draft=RaceDraft(
            office,
            OfficeKind.LEGISLATIVE,
            BallotLine.PARTISAN_PRIMARY,
            general_date=election + timedelta(days=140),
            primary_date=election,
            decided_in_primary=True,
        ),
        now=world.clock(),
        tz="America/New_York",
    )


async def create_plan(world, race, **options):
    reply = await world.organiser.slash("plan create", race=str(race.id), **options)
    assert reply.ephemeral and reply.embed, reply.text
    return reply


async def milestone(world, race, name):
    view = await plan_service.view(world.db, int(world.guild.id), race.id)
    return next(m for m in view.milestones if m.name == name)


async def pending_reminders(world, milestone_id: int) -> list[jobs.Job]:
    links = await plan_store.reminders_of(world.db, int(world.guild.id), milestone_id)
    found = [await jobs.get(world.db, link.job_id) for link in links]
    return [j for j in found if j is not None and j.state == "pending"]


def local(moment: datetime) -> datetime:
    return moment.astimezone(NY)


def reminder_posts(world, marker: str | None = None) -> list[dict]:
    return [
        m
        for m in world.reminders.messages
        if "⏰" in (m.get("content") or "") and (marker is None or marker in m["content"])
    ]


def set_clock(world, moment: datetime) -> None:
    """Move the bot's clock to `moment` (tests move it forward only)."""
    world.clock.advance(moment - world.clock())
