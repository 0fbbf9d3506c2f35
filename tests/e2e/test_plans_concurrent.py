"""Two committee members changing one milestone at once, through the loopback Discord.

Each race is made deterministic by holding one member's command after the cog has read the
milestone (what the member picked) and before the service writes: the other member's
command runs to the end meanwhile, then the held one is let go. Whichever goes first, every
change a member was told about is still in the plan afterwards, the reminders match it,
and nobody is told "something went wrong".
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.domain.races import local_today
from bot.services import plan_milestones
from tests.e2e.plans_helpers import add_race, create_plan, milestone, pending_reminders

pytestmark = pytest.mark.asyncio

WRONG = "something went wrong"


class Held:
    """Holds the first call of `plan_milestones.<name>` (the cog calls it through the
    module) before it runs, until `release()`; later calls run at once. No transaction is
    open while it waits."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.entered = asyncio.Event()
        self._release = asyncio.Event()
        original = getattr(plan_milestones, name)

        async def held(*args, **kwargs):
            if not self.entered.is_set():
                self.entered.set()
                await self._release.wait()
            return await original(*args, **kwargs)

        monkeypatch.setattr(plan_milestones, name, held)

    async def wait_entered(self) -> None:
        await asyncio.wait_for(self.entered.wait(), 5)

    def release(self) -> None:
        self._release.set()


SERVICE = {
    "move": "move_milestone",
    "done": "mark_done",
    "rename": "rename_milestone",
    "remove": "remove_milestone",
}


async def drill_3(world):
    """A race with a plan and a milestone "Drill 3" sixty days out, with its 3 reminders."""
    race = await add_race(world, world.clock().date() + timedelta(days=950))
    await create_plan(world, race)
    on = local_today(world.clock(), "America/New_York") + timedelta(days=60)
    added = await world.organiser.slash(
        "plan milestone add", race=str(race.id), name="Drill 3", on=on.isoformat()
    )
    assert "Added **Drill 3**" in added.text, added.text
    drill = await milestone(world, race, "Drill 3")
    assert len(await pending_reminders(world, drill.id)) == 3
    return race, drill


RENAMED = "Drill three (phone bank)"


def command(race, drill, action: str, moved_to, *, held: bool) -> tuple[str, dict]:
    """The options of one member's command; the held member's differ from the other's (a
    week later, another name, yesterday), so a lost change shows."""
    options: dict = {"race": str(race.id), "milestone": str(drill.id)}
    if action == "move":
        options["on"] = (moved_to + timedelta(days=7 if held else 0)).isoformat()
    if action == "rename":
        options["name"] = "Drill 3 (canvass)" if held else RENAMED
    if action == "done" and held:
        options["on"] = (drill.on - timedelta(days=61)).isoformat()  # yesterday
    return f"plan milestone {action}", options


async def race_two(world, monkeypatch, first: str, second: str, *, race, drill, moved_to):
    """`first` (by the organiser) is held after its read while `second` (by another
    committee member) runs to the end; then `first` finishes. Both replies, in that order."""
    treasurer = world.guild.add_member("treasurer", roles=[world.member_role, world.committee_role])
    # The held interaction stays unanswered while the other command runs: under a loaded
    # machine that can pass Discord's 3 s, which is the hold's doing, not the bot's.
    world.fake.ack_deadline = world.fake.action_timeout = 20.0
    hold = Held(monkeypatch, SERVICE[first])
    name, options = command(race, drill, first, moved_to, held=True)
    held_reply = asyncio.create_task(world.organiser.slash(name, **options))
    await hold.wait_entered()
    name, options = command(race, drill, second, moved_to, held=False)
    other = await treasurer.slash(name, **options)
    hold.release()
    held = await held_reply
    for reply in (held, other):
        assert reply.ephemeral, reply.text
        assert WRONG not in reply.text.lower(), reply.text
    return held, other


@pytest.mark.parametrize("held_first", ["move", "done"])
async def test_done_and_move_at_once_keep_both(chapter, monkeypatch, held_first) -> None:
    world = chapter
    race, drill = await drill_3(world)
    moved_to = drill.on + timedelta(days=14)
    other = "done" if held_first == "move" else "move"
    held, second = await race_two(
        world, monkeypatch, held_first, other, race=race, drill=drill, moved_to=moved_to
    )
    replies = {held_first: held, other: second}
    assert "Marked **Drill 3** done" in replies["done"].text
    assert "Moved **Drill 3**" in replies["move"].text

    now = await milestone(world, race, "Drill 3")
    today = local_today(world.clock(), "America/New_York")
    assert now.done_on == (today - timedelta(days=1) if held_first == "done" else today)
    assert now.on == moved_to + timedelta(days=7 if held_first == "move" else 0)
    assert await pending_reminders(world, drill.id) == []  # done: no reminders come back
    shown = await world.alice.slash("plan show", race=str(race.id))
    assert "~~Drill 3~~ — done" in shown.embed["description"]
    if held_first == "move":  # the mover is told it was marked done under them
        assert "Meanwhile another member marked it done" in held.text


@pytest.mark.parametrize("held_first", ["move", "rename"])
async def test_rename_and_move_at_once_keep_both(chapter, monkeypatch, held_first) -> None:
    world = chapter
    race, drill = await drill_3(world)
    moved_to = drill.on + timedelta(days=14)
    other = "rename" if held_first == "move" else "move"
    held, second = await race_two(
        world, monkeypatch, held_first, other, race=race, drill=drill, moved_to=moved_to
    )
    replies = {held_first: held, other: second}
    assert "Renamed to **" in replies["rename"].text
    assert "Moved **" in replies["move"].text

    now = await milestone(world, race, RENAMED if held_first == "move" else "Drill 3 (canvass)")
    moved_to += timedelta(days=7 if held_first == "move" else 0)
    assert now.on == moved_to
    reminders = await pending_reminders(world, drill.id)
    assert sorted(j.due_at.date() for j in reminders) == [
        moved_to - timedelta(days=30),
        moved_to - timedelta(days=7),
        moved_to - timedelta(days=1),
    ]
    assert "Meanwhile another member" in held.text  # told what changed under them


async def test_a_move_of_a_milestone_removed_meanwhile_is_told_so(chapter, monkeypatch) -> None:
    world = chapter
    race, drill = await drill_3(world)
    moved_to = drill.on + timedelta(days=14)
    held, removed = await race_two(
        world, monkeypatch, "move", "remove", race=race, drill=drill, moved_to=moved_to
    )
    assert "Removed **Drill 3**" in removed.text
    assert "**Drill 3** is no longer in the plan" in held.text
    assert "another member removed it" in held.text
    view = await plan_milestones.view(world.db, int(world.guild.id), race.id)
    assert "Drill 3" not in [m.name for m in view.milestones]
    assert await pending_reminders(world, drill.id) == []  # the move made none


async def test_a_remove_after_a_move_removes_it_and_its_new_reminders(chapter, monkeypatch) -> None:
    world = chapter
    race, drill = await drill_3(world)
    moved_to = drill.on + timedelta(days=14)
    held, moved = await race_two(
        world, monkeypatch, "remove", "move", race=race, drill=drill, moved_to=moved_to
    )
    assert "Moved **Drill 3**" in moved.text
    assert "Removed **Drill 3**" in held.text
    view = await plan_milestones.view(world.db, int(world.guild.id), race.id)
    assert "Drill 3" not in [m.name for m in view.milestones]
    assert await pending_reminders(world, drill.id) == []


@pytest.mark.parametrize(
    ("action", "told"),
    [
        ("move", "Another member moved **Drill 3** just now"),
        ("rename", "Another member renamed **Drill 3** to **Drill three (phone bank)**"),
        ("done", "Another member marked **Drill 3** done just now"),
    ],
)
async def test_the_same_change_twice_at_once_is_not_overwritten(
    chapter, monkeypatch, action, told
) -> None:
    """Two members changing the same thing: the second is refused with what the first did,
    rather than silently undoing an acknowledged change."""
    world = chapter
    race, drill = await drill_3(world)
    moved_to = drill.on + timedelta(days=14)
    held, first = await race_two(
        world, monkeypatch, action, action, race=race, drill=drill, moved_to=moved_to
    )
    assert "Another member" not in first.text
    assert told in held.text
    assert "not made" in held.text or "nothing was changed" in held.text
