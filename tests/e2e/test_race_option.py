"""Every command that takes a race takes the one race option (cogs/races/options.py): the
same suggestions as the member types, and the same clear refusal of a race that does not
exist, before the command does anything."""

from __future__ import annotations

from typing import Any

import pytest
from discord import AppCommandOptionType, app_commands

from tests.e2e.votes_helpers import make_race

pytestmark = pytest.mark.asyncio


def leaves(bot) -> list[app_commands.Command]:
    found: list[app_commands.Command] = []
    todo: list[Any] = list(bot.tree.get_commands())
    while todo:
        command = todo.pop()
        if isinstance(command, app_commands.Group):
            todo.extend(command.commands)
        elif isinstance(command, app_commands.Command):
            found.append(command)
    return sorted(found, key=lambda c: c.qualified_name)


def takes_a_race(command: app_commands.Command) -> bool:
    return any(p.name == "race" for p in command.parameters)


def filler(command: app_commands.Command) -> dict[str, Any]:
    """A plausible value for every other required option, as a member would type it."""
    values: dict[str, Any] = {}
    for p in command.parameters:
        if not p.required or p.name == "race":
            continue
        if p.choices:
            values[p.name] = p.choices[0].value
        elif p.type is AppCommandOptionType.boolean:
            values[p.name] = True
        elif p.type in (AppCommandOptionType.integer, AppCommandOptionType.number):
            values[p.name] = p.min_value if p.min_value is not None else 1
        else:
            values[p.name] = "x" * max(1, p.min_value or 1)
    return values


async def test_every_race_option_suggests_races_and_refuses_an_unknown_one(chapter) -> None:
    race = await make_race(chapter, ["Ada Ruiz"], office="City Council D3")
    commands = [c for c in leaves(chapter.bot) if takes_a_race(c)]
    assert len(commands) >= 20  # votes, races, candidates, plans, capacity, questionnaires
    for command in commands:
        name = command.qualified_name
        choices = await chapter.organiser.autocomplete(name, "race", "council")
        assert [c["value"] for c in choices] == [str(race.id)], name
        # One render everywhere: the label, then the status (cogs/races/options.race_choice).
        assert choices[0]["name"] == "City Council D3 (2027) · Exploring", name

        reply = await chapter.organiser.slash(name, race="Dogcatcher", **filler(command))
        assert reply.ephemeral, name
        assert "No race called “Dogcatcher” in this chapter" in reply.text, (name, reply.text)


async def test_someone_not_a_member_cannot_tell_which_races_exist(chapter) -> None:
    race = await make_race(chapter, ["Ada Ruiz"], office="City Council D3")
    for command in [c for c in leaves(chapter.bot) if takes_a_race(c)]:
        name, others = command.qualified_name, filler(command)
        real = await chapter.outsider.slash(name, race=str(race.id), **others)
        made_up = await chapter.outsider.slash(name, race="Dogcatcher", **others)
        assert "Only members with the **" in real.text and real.ephemeral, (name, real.text)
        assert made_up.text == real.text, name
        assert await chapter.outsider.autocomplete(name, "race", "council") == [], name
