"""Race plans end to end: the committee plans a race, members read it, reminders fire once."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

import pytest
from discord.ext import commands
from icalendar import Calendar
from PIL import Image

from bot.services import plans as plan_service
from bot.store import jobs
from tests.e2e.plans_helpers import (
    add_race,
    create_plan,
    local,
    milestone,
    pending_reminders,
    reminder_posts,
    set_clock,
)
from tests.jobs import jobs_of

pytestmark = pytest.mark.asyncio


def attachment(world, reply, suffix: str) -> bytes:
    entry = next(a for a in reply.attachments if a["filename"].endswith(suffix))
    return world.fake.attachments[entry["id"]]["data"]


def far_election(world) -> date:
    """A decisive primary about 31 months away: a full, uncompressed plan."""
    return world.clock().date() + timedelta(days=950)


async def test_plan_a_race_and_show_it_with_its_chart(chapter) -> None:
    world = chapter
    race = await add_race(world, far_election(world))
    made = await create_plan(world, race)
    assert "The plan is made" in made.text
    text = made.embed["description"]
    for name in ("District chosen", "Announcement", "Get out the vote", "Election day"):
        assert name in text
    assert "Petitions and filing** — date to enter" in text
    assert "Compressed" not in text

    shown = await world.alice.slash("plan show", race=str(race.id))  # members read it too
    assert shown.ephemeral and shown.embed["image"]["url"] == "attachment://plan.png"
    png = Image.open(io.BytesIO(attachment(world, shown, "plan.png")))
    assert png.format == "PNG" and png.width <= 1200

    page = await world.alice.slash("race show", race=str(race.id))
    section = next(f for f in page.embed["fields"] if f["name"] == "Race plan")
    assert "milestones done" in section["value"]

    refused = await world.outsider.slash("plan show", race=str(race.id))  # at the race option
    assert refused.ephemeral and "role can see the chapter's races" in refused.text


async def test_a_plan_under_two_years_out_is_compressed(chapter) -> None:
    world = chapter
    race = await add_race(world, world.clock().date() + timedelta(days=300))
    made = await create_plan(world, race)
    assert "**Compressed**" in made.embed["description"]
    view = await plan_service.view(world.db, race.guild_id, race.id)
    dated = [m.on for m in view.milestones if m.on is not None]
    assert min(dated) >= world.clock().date() - timedelta(days=1)  # nothing in the past


async def test_bad_input_is_refused_and_changes_nothing(chapter) -> None:
    world = chapter
    race = await add_race(world, far_election(world))
    refused = await world.alice.slash("plan create", race=str(race.id))
    assert refused.ephemeral and "Electoral Committee" in refused.text
    await create_plan(world, race)
    again = await world.organiser.slash("plan create", race=str(race.id))
    assert again.ephemeral and "already has a plan" in again.text

    gotv = await milestone(world, race, "Get out the vote")
    before = await plan_service.view(world.db, race.guild_id, race.id)
    after_election = (before.plan.election + timedelta(days=3)).isoformat()
    for options, says in (
        ({"milestone": str(gotv.id), "on": after_election}, "after the election"),
        ({"milestone": str(gotv.id), "on": "2020-01-01"}, "before the plan starts"),
        ({"milestone": str(gotv.id), "on": "someday"}, "A milestone date is a day"),
        ({"milestone": "Victory parade", "on": "in 30d"}, "no milestone called"),
    ):
        reply = await world.organiser.slash("plan milestone move", race=str(race.id), **options)
        assert reply.ephemeral and says in reply.text, reply.text
    bad_days = await world.organiser.slash("plan create", race=str(race.id), reminder_days="soon")
    assert bad_days.ephemeral and "whole numbers of days" in bad_days.text
    assert await plan_service.view(world.db, race.guild_id, race.id) == before


class PledgeDrive(commands.Cog):
    """A stand-in for a later feature that adds its numbers to every plan reminder."""

    async def reminder_progress(self, note) -> str:
        return "3 of 8 target unions committed; pledges from 38% of members"


async def test_moving_a_milestone_moves_its_reminders_and_one_fires(chapter) -> None:
    world = chapter
    race = await add_race(world, far_election(world))
    await create_plan(world, race)
    soon = world.clock().date() + timedelta(days=10)  # before every default milestone
    await world.organiser.slash(
        "plan milestone add", race=str(race.id), name="Labor council vote", on=soon.isoformat()
    )
    council = await milestone(world, race, "Labor council vote")
    old = {j.id for j in await pending_reminders(world, council.id)}
    new_day = soon + timedelta(days=2)

    choices = await world.organiser.autocomplete(
        "plan milestone move", "milestone", "labor", {"race": str(race.id)}
    )
    assert [c["value"] for c in choices] == [str(council.id)]
    moved = await world.organiser.slash(
        "plan milestone move", race=str(race.id), milestone=str(council.id),
        on=new_day.isoformat(),
    )  # fmt: skip
    assert moved.ephemeral and "Moved **Labor council vote**" in moved.text
    reminders = await pending_reminders(world, council.id)
    assert not old & {j.id for j in reminders}
    assert [(local(j.due_at).date(), local(j.due_at).time()) for j in reminders] == [
        (new_day - timedelta(days=n), time(10))
        for n in (7, 1)  # 30 days before is past
    ]
    for j in old:
        assert (await jobs.get(world.db, j)).outcome == "cancelled: milestone moved"

    await world.bot.add_cog(PledgeDrive())  # a feature loaded later adds its numbers
    set_clock(world, reminders[0].due_at + timedelta(seconds=2))  # the injected clock
    assert await world.bot.scheduler.run_due() == {reminders[0].id: "done"}
    [post] = reminder_posts(world)
    assert "**Labor council vote in 7 days** — Assembly 36" in post["content"]
    assert "3 of 8 target unions committed" in post["content"]
    assert post["content"].endswith(f"job:{reminders[0].id}")

    done = await world.organiser.slash(
        "plan milestone done", race=str(race.id), milestone="Labor council vote"
    )
    assert "Marked **Labor council vote** done" in done.text
    assert await pending_reminders(world, council.id) == []
    set_clock(world, reminders[-1].due_at + timedelta(seconds=2))
    await world.bot.scheduler.run_due()
    assert len(reminder_posts(world)) == 1  # a milestone done sends no more reminders


async def test_add_rename_and_remove_a_milestone(chapter) -> None:
    world = chapter
    race = await add_race(world, far_election(world))
    await create_plan(world, race)
    on = (world.clock().date() + timedelta(days=60)).isoformat()
    added = await world.organiser.slash(
        "plan milestone add", race=str(race.id), name="Labor council vote", on=on
    )
    assert "Added **Labor council vote**" in added.text
    vote = await milestone(world, race, "Labor council vote")
    assert len(await pending_reminders(world, vote.id)) == 3
    renamed = await world.organiser.slash(
        "plan milestone rename", race=str(race.id), milestone=str(vote.id), name="CLC endorsement"
    )
    assert "Renamed to **CLC endorsement**" in renamed.text
    removed = await world.organiser.slash(
        "plan milestone remove", race=str(race.id), milestone="CLC endorsement"
    )
    assert "Removed **CLC endorsement**" in removed.text
    assert await pending_reminders(world, vote.id) == []
    shown = await world.organiser.slash("plan show", race=str(race.id))
    assert "CLC endorsement" not in shown.embed["description"]


async def test_the_calendar_export_reads_back_with_the_same_dates(chapter) -> None:
    world = chapter
    race = await add_race(world, far_election(world))
    await create_plan(world, race)
    reply = await world.alice.slash("plan export", race=str(race.id))
    assert reply.ephemeral and "calendar" in reply.text
    calendar = Calendar.from_ical(attachment(world, reply, ".ics"))
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    view = await plan_service.view(world.db, race.guild_id, race.id)
    for m in view.milestones:
        key = f"{m.name} ({race.label})"
        if m.on is None:
            assert key not in events  # petitions and filing: no date yet
            continue
        assert events[key].decoded("dtstart") == m.on
        assert events[key].decoded("dtend") == (m.until or m.on) + timedelta(days=1)


async def test_changing_when_a_plan_reminds_reschedules_its_reminders(chapter) -> None:
    world = chapter
    race = await add_race(world, far_election(world))
    await create_plan(world, race)
    on = world.clock().date() + timedelta(days=40)
    await world.organiser.slash(
        "plan milestone add", race=str(race.id), name="Labor council vote", on=on.isoformat()
    )
    council = await milestone(world, race, "Labor council vote")
    bad = await world.organiser.slash("plan reminders", race=str(race.id), time="25:00")
    assert bad.ephemeral and "HH:MM" in bad.text
    assert len(await pending_reminders(world, council.id)) == 3  # unchanged

    reply = await world.organiser.slash(
        "plan reminders", race=str(race.id), days="14, 2", time="09:30"
    )
    assert "now reminds 14 and 2 days before each milestone at 09:30" in reply.text
    reminders = await pending_reminders(world, council.id)
    assert [(local(j.due_at).date(), local(j.due_at).time()) for j in reminders] == [
        (on - timedelta(days=14), time(9, 30)),
        (on - timedelta(days=2), time(9, 30)),
    ]
    everything = await jobs_of(world.db, race.guild_id, plan_service.REMINDER_JOB)
    assert {local(j.due_at).time() for j in everything if j.state == "pending"} == {time(9, 30)}
    one = await world.organiser.slash("plan reminders", race=str(race.id), days="1", time="09:30")
    assert "now reminds 1 day before each milestone" in one.text  # not "1 days"


async def test_the_race_page_points_the_committee_to_a_plan_it_lacks(chapter) -> None:
    world = chapter
    race = await add_race(world, far_election(world))
    committee = await world.organiser.slash("race show", race=str(race.id))
    hint = next(f for f in committee.embed["fields"] if f["name"] == "Race plan")
    assert "`/plan create`" in hint["value"]
    member = await world.alice.slash("race show", race=str(race.id))
    assert all(f["name"] != "Race plan" for f in member.embed["fields"])
    missing = await world.alice.slash("plan show", race=str(race.id))
    assert missing.ephemeral and "has no plan yet" in missing.text
