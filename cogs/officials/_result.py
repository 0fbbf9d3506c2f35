"""`/race result`: the election's outcome. It joins the races cog's `/race` group when this
feature loads (as `/candidate assess` joins `/candidate`), so the register's commands grow
without editing the races cog. A won race makes its endorsed candidate an official."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.domain.officials import Outcome
from bot.services import officials as service
from bot.services import races as race_service
from cogs._common import chapter_of, cog_of, committee_only
from cogs.officials import _render
from cogs.officials._cog import OfficialsCog, day_of
from cogs.races.options import RaceOption

if TYPE_CHECKING:
    from bot.client import EndorseBot

OUTCOME_CHOICES = [app_commands.Choice(name=o.value.capitalize(), value=o.value) for o in Outcome]


@app_commands.describe(
    race="The race",
    outcome="Won or lost",
    candidate="The endorsed candidate who won (needed only if the chapter endorsed several)",
    term_start="The day the term starts (default: election day)",
    term_end="The day the term ends, if known",
)
@app_commands.choices(outcome=OUTCOME_CHOICES)
async def race_result(
    interaction: discord.Interaction,
    race: RaceOption,
    outcome: str,
    candidate: str | None = None,
    term_start: str | None = None,
    term_end: str | None = None,
) -> None:
    cog = cog_of(interaction, "OfficialsCog", OfficialsCog)
    config = await chapter_of(interaction)
    now = cog.bot.clock()
    who = (
        await race_service.resolve_candidate(cog.bot.db, race.guild_id, race, candidate)
        if candidate
        else None
    )
    official = await service.record_result(
        cog.bot.db, cog.bot.scheduler, race=race, outcome=Outcome(outcome), candidate=who,
        term_start=day_of(term_start, "A term's start", config, now) if term_start else None,
        term_end=day_of(term_end, "A term's end", config, now) if term_end else None,
        actor_id=interaction.user.id, now=now, tz=config.timezone,
    )  # fmt: skip
    if official is None:
        text = f"**{race.label}**: lost. Recorded."
    else:
        text = (
            f"**{race.label}**: won. **{official.name}** is now an official "
            f"(term {_render.term(official)}); record their votes with `/official vote`."
        )
    await interaction.response.send_message(text, ephemeral=True)


def attach(bot: EndorseBot) -> app_commands.Command | None:
    """Add `result` to the `/race` group, if the races cog is loaded."""
    group = bot.tree.get_command("race")
    if not isinstance(group, app_commands.Group):
        return None
    command = app_commands.Command(
        name="result",
        description="Record an election's outcome: a won race's endorsed candidate takes office",
        callback=race_result,
    )
    committee_only("record election results")(command)
    group.add_command(command, override=True)
    return command
