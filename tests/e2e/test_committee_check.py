"""Who may run a command has one source, `@committee_only` (cogs/_common.py): for every
command in the bot's tree, what `/help` says (the "(committee)" mark, and whether a member
sees the command at all) is what happens when a member who is not on the committee runs it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from discord import AppCommandOptionType, app_commands

from tests.e2e.test_race_option import leaves
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio
REFUSED = "Only members with the **Electoral Committee** role can"


def help_lines(text: str) -> dict[str, str]:
    """`/qualified name` -> its description, as /help lists it."""
    return dict(re.findall(r"`/([a-z_ -]+)` — ([^\n]+)", text))


def filler(world, command: app_commands.Command) -> dict[str, Any]:
    """A value for every required option, as a member would give it."""
    values: dict[str, Any] = {}
    for p in command.parameters:
        if not p.required:
            continue
        if p.choices:
            values[p.name] = p.choices[0].value
        elif p.type is AppCommandOptionType.boolean:
            values[p.name] = False
        elif p.type in (AppCommandOptionType.integer, AppCommandOptionType.number):
            values[p.name] = p.min_value if p.min_value is not None else 1
        elif p.type is AppCommandOptionType.role:
            values[p.name] = world.member_role
        elif p.type is AppCommandOptionType.channel:
            values[p.name] = world.votes
        elif p.type in (AppCommandOptionType.user, AppCommandOptionType.mentionable):
            values[p.name] = world.alice
        else:
            values[p.name] = "x"
    return values


async def test_help_marks_exactly_the_commands_a_member_is_refused(chapter) -> None:
    world = chapter
    everything = help_lines(message_text((await world.organiser.slash("help")).message))
    members = help_lines(message_text((await world.alice.slash("help")).message))
    commands = leaves(world.bot)
    assert len(commands) >= 40
    assert sorted(everything) == sorted(c.qualified_name for c in commands)  # none cut off
    marked = []
    for command in commands:
        name = command.qualified_name
        committee = everything[name].endswith("(committee)")
        assert (name in members) is not committee, name  # members see the others only
        reply = await world.alice.slash(name, **filler(world, command))
        refused = REFUSED in reply.text
        assert refused is committee, (name, committee, reply.text)
        if refused:
            assert reply.ephemeral, name
            marked.append(name)
    assert 25 <= len(marked) < len(commands)
    # The commands that disagreed before one decorator decided both.
    for name in ("plan milestone move", "setup show", "setup check", "questionnaire redline list"):
        assert name in marked


async def test_autocomplete_serves_whom_the_command_serves(chapter) -> None:
    """A member typing into a committee command's option gets no choices (they name races,
    votes and candidates the committee works on); the committee does."""
    from tests.e2e.votes_helpers import make_race

    race = await make_race(chapter, ["Ada Ruiz"], office="City Council D3")
    for name in ("plan milestone move", "candidate edit", "race edit", "vote create"):
        assert await chapter.alice.autocomplete(name, "race", "council") == [], name
        assert await chapter.organiser.autocomplete(name, "race", "council") != [], name
    for name in ("plan show", "race show", "questionnaire read"):
        choices = await chapter.alice.autocomplete(name, "race", "council")
        assert [c["value"] for c in choices] == [str(race.id)], name
