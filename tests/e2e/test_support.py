"""The invisible primary through the loopback Discord: the committee lists a race's unions,
organisations and leaders, sets targets and sees progress; a union committed to another
candidate is shown as boxing the race out on /support list and the race page; members see
the progress but never contact notes, and cannot run the commands; a plan reminder carries
the progress line; bad input is refused and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import support as support_service
from tests.e2e.plans_helpers import (
    add_race,
    create_plan,
    milestone,
    pending_reminders,
    reminder_posts,
    set_clock,
)

pytestmark = pytest.mark.asyncio

SECRET = "Ask Rosa after the Tuesday meeting, 555-0199"


async def add(world, race, name, kind, status="to_ask", **options):
    reply = await world.organiser.slash(
        "support add", race=str(race.id), name=name, kind=kind, status=status, **options
    )
    assert reply.ephemeral and "Added" in reply.text, reply.text
    return reply


async def a_race_with_supporters(world):
    race = await add_race(world, world.clock().date() + timedelta(days=950))
    reply = await world.organiser.slash("support target", race=str(race.id), unions=8, leaders=3)
    assert reply.ephemeral, reply.text
    assert "0 of 8 target unions committed" in reply.text
    assert "0 of 3 target community leaders committed" in reply.text
    for i, name in enumerate(["SEIU 1199", "UAW 2865", "CWA 1180", "NYSNA", "ATU 1056"]):
        await add(world, race, name, "union", "committed" if i < 4 else "asked")
    await add(world, race, "Teamsters Joint Council 16", "union", "other", notes=SECRET)
    await add(world, race, "Make the Road", "organisation", "committed")
    await add(world, race, "Pastor Ada Ruiz", "leader", "to_ask")
    return race


async def test_supports_targets_progress_and_the_race_being_boxed_out(chapter) -> None:
    world = chapter
    race = await a_race_with_supporters(world)
    updated = await world.organiser.slash(
        "support update", race=str(race.id), supporter="ATU 1056", status="committed"
    )
    assert updated.ephemeral and "Updated **ATU 1056**: union, committed" in updated.text
    assert "5 of 8 target unions committed" in updated.text

    listed = await world.organiser.slash("support list", race=str(race.id))
    assert listed.ephemeral
    text = listed.text
    assert "5 of 8 target unions committed" in text
    assert "1 progressive organisation committed" in text
    assert "0 of 3 target community leaders committed" in text
    assert "Committed to another candidate: Teamsters Joint Council 16 (union)" in text
    assert SECRET in text  # the committee's own list carries the contact notes

    page = await world.alice.slash("race show", race=str(race.id))
    assert "5 of 8 target unions committed" in page.text
    assert "Committed to another candidate: Teamsters Joint Council 16 (union)" in page.text
    assert SECRET not in page.text and "Still to ask" not in page.text  # committee only
    committee_page = await world.organiser.slash("race show", race=str(race.id))
    assert "Still to ask: Pastor Ada Ruiz" in committee_page.text
    assert SECRET not in committee_page.text  # notes only in /support list

    removed = await world.organiser.slash(
        "support remove", race=str(race.id), supporter="teamsters joint council 16"
    )
    assert removed.ephemeral and "Removed **Teamsters Joint Council 16**" in removed.text
    page = await world.alice.slash("race show", race=str(race.id))
    assert "Committed to another candidate" not in page.text


async def test_an_update_writes_only_the_fields_it_changes(chapter) -> None:
    world = chapter
    race = await a_race_with_supporters(world)
    notes = await world.organiser.slash(
        "support update", race=str(race.id), supporter="Teamsters Joint Council 16",
        notes="Their president backs our rival; try the shop stewards",
    )  # fmt: skip
    assert notes.ephemeral and "union, committed to another candidate" in notes.text
    [teamsters] = [
        s
        for s in (await support_service.race_support(world.db, int(world.guild.id), race.id))
        .supporters if s.name == "Teamsters Joint Council 16"
    ]  # fmt: skip
    assert teamsters.notes == "Their president backs our rival; try the shop stewards"
    assert teamsters.status.value == "other"  # unchanged by a notes-only update


async def test_members_are_refused_and_never_see_contact_notes(chapter) -> None:
    world = chapter
    race = await a_race_with_supporters(world)
    for command, options in [
        ("support list", {}),
        ("support add", {"name": "DC 37", "kind": "union"}),
        ("support target", {"unions": 2}),
        ("support update", {"supporter": "NYSNA", "status": "declined"}),
        ("support remove", {"supporter": "NYSNA"}),
    ]:
        refused = await world.alice.slash(command, race=str(race.id), **options)
        assert refused.ephemeral, command
        assert "Only members with the" in refused.text, (command, refused.text)
        assert SECRET not in refused.text
    listed = await world.organiser.slash("support list", race=str(race.id))
    assert "DC 37" not in listed.text and "**NYSNA** · committed" in listed.text
    assert "0 of 8 target unions" not in listed.text and "4 of 8 target unions" in listed.text
    choices = await world.alice.autocomplete(
        "support update", "supporter", "team", {"race": str(race.id)}
    )
    assert choices == []  # names are the committee's to look up


@pytest.mark.parametrize(
    ("command", "options", "expected"),
    [
        ("support target", {"unions": 0}, "must be a whole number from 1"),
        ("support target", {"leaders": -3}, "must be a whole number from 1"),
        ("support target", {}, "Give at least one target"),
        ("support add", {"name": "\u200b\u200b ", "kind": "union"}, "Give the organisation's"),
        ("support add", {"name": "  seiu   1199 ", "kind": "union"}, "already on this race"),
        ("support add", {"name": "SEIU\u200b 1199", "kind": "union"}, "already on this race"),
        ("support update", {"supporter": "NYSNA", "name": "uaw 2865"}, "already on this race"),
        ("support update", {"supporter": "NYSNA", "name": "\u200d"}, "Give the organisation's"),
        ("support update", {"supporter": "NYSNA"}, "Say what to change"),
        ("support update", {"supporter": "Nobody", "status": "asked"}, "No one called"),
    ],
)
async def test_bad_input_is_refused_and_stores_nothing(chapter, command, options, expected):
    world = chapter
    race = await a_race_with_supporters(world)
    before = await support_service.race_support(world.db, int(world.guild.id), race.id)
    reply = await world.organiser.slash(command, race=str(race.id), **options)
    assert reply.ephemeral and expected in reply.text, reply.text
    after = await support_service.race_support(world.db, int(world.guild.id), race.id)
    assert after == before


async def test_a_plan_reminder_carries_the_progress_line(chapter) -> None:
    world = chapter
    race = await a_race_with_supporters(world)
    await create_plan(world, race)
    soon = world.clock().date() + timedelta(days=10)
    await world.organiser.slash(
        "plan milestone add", race=str(race.id), name="Labor council vote", on=soon.isoformat()
    )
    council = await milestone(world, race, "Labor council vote")
    [first, *_] = await pending_reminders(world, council.id)
    set_clock(world, first.due_at + timedelta(seconds=2))
    assert await world.bot.scheduler.run_due() == {first.id: "done"}
    [post] = reminder_posts(world)
    assert "**Labor council vote in" in post["content"]
    assert (
        "Invisible primary: 4 of 8 target unions committed; 1 progressive organisation "
        "committed; 0 of 3 target community leaders committed" in post["content"]
    )
    assert "Committed to another candidate: Teamsters Joint Council 16 (union)" in post["content"]
    assert SECRET not in post["content"]
