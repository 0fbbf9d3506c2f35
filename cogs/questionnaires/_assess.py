"""`/candidate assess`: what the committee judges and a candidate cannot answer. It joins the
races cog's `/candidate` group when the questionnaire cog loads (a feature adds to the
register's commands without editing the races cog)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.services import questionnaires as service
from bot.services import races as race_service
from cogs._common import cog_of, committee_only
from cogs.questionnaires import _render
from cogs.questionnaires._flow import QuestionnaireCog
from cogs.races.options import RaceOption

if TYPE_CHECKING:
    from bot.client import EndorseBot

FIELDS = ("prominent", "coheres_labor", "rooted", "viable", "worked_with_chapter")


@app_commands.describe(
    race="The race",
    candidate="The candidate",
    prominent="A prominent race, able to move working-class people",
    coheres_labor="The candidate coheres labor and the progressive movement behind them",
    rooted="Rooted in the chapter's internal political life",
    viable="A winnable district: an open seat or a weak incumbent (capacity is the ledger's)",
    worked_with_chapter="An incumbent who worked with the chapter in office",
    reason="Why the committee judges worked_with_chapter otherwise than the record in office",
)
async def assess(
    interaction: discord.Interaction,
    race: RaceOption,
    candidate: str,
    prominent: bool | None = None,
    coheres_labor: bool | None = None,
    rooted: bool | None = None,
    viable: bool | None = None,
    worked_with_chapter: bool | None = None,
    reason: app_commands.Range[str, 1, 300] | None = None,
) -> None:
    flow = cog_of(interaction, "Questionnaires", QuestionnaireCog)
    db = flow.bot.db
    who = await race_service.resolve_candidate(db, race.guild_id, race, candidate)
    given = dict(
        zip(FIELDS, (prominent, coheres_labor, rooted, viable, worked_with_chapter), strict=True)
    )
    await service.assess(
        db,
        guild_id=race.guild_id,
        candidate=who,
        changes={k: v for k, v in given.items() if v is not None},
        actor_id=interaction.user.id,
        now=flow.bot.clock(),
        reason=reason or "",
    )
    report = await service.report(db, race=race, candidate=who, now=flow.bot.clock())
    await interaction.response.send_message(
        "Assessment saved. The criteria report now reads:",
        embed=_render.criteria(report, who),
        ephemeral=True,
    )


def attach(bot: EndorseBot) -> app_commands.Command | None:
    """Add `assess` to the `/candidate` group, if the races cog is loaded."""
    group = bot.tree.get_command("candidate")
    if not isinstance(group, app_commands.Group):
        return None
    command = app_commands.Command(
        name="assess",
        description="What the committee judges about a candidate",
        callback=assess,
    )
    committee_only("assess candidates")(command)
    command.autocomplete("candidate")(_candidate_choices)
    group.add_command(command, override=True)
    return command


async def _candidate_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    from cogs.questionnaires._cog import candidate_choices

    return await candidate_choices(interaction.client, interaction, current)  # type: ignore[arg-type]
