"""`/help`: the commands this member may use, grouped by what they are for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import discord_limits as limits
from bot.services import chapters as chapter_service
from cogs._common import is_committee_command

if TYPE_CHECKING:
    from bot.client import EndorseBot


def _leaves(command: app_commands.Command | app_commands.Group):
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            yield from _leaves(child)
    else:
        yield command


def how_to_vote(votes_channel_id: int) -> str:
    """How a member casts a ballot: there is no command for it, so /help must say."""
    return (
        f"An endorsement vote is announced in <#{votes_channel_id}>. Press **Vote** under it, "
        "pick your candidates in order of preference (first choice first; rank as many as you "
        "like, or *No endorsement*), then **Submit ballot**. A yes/no vote asks yes, no or "
        "abstain for each candidate. Your ballot is secret, and you can vote again until the "
        "close: only your last ballot counts."
    )


class HelpCog(commands.Cog):
    help_section = "Getting help"

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="The commands you can use here")
    async def help(self, interaction: discord.Interaction) -> None:
        member = interaction.user
        config = None
        committee = member_ok = False
        if interaction.guild is not None and isinstance(member, discord.Member):
            config = await chapter_service.find(self.bot.db, interaction.guild.id)
            roles = {role.id for role in member.roles}
            committee = chapter_service.is_committee(
                config, roles, member.guild_permissions.manage_guild
            )
            member_ok = committee or (
                config is not None and chapter_service.is_member(config, roles)
            )
        sections: dict[str, list[str]] = {}
        for cog in self.bot.cogs.values():
            section = getattr(cog, "help_section", cog.qualified_name)
            for top in cog.get_app_commands():
                for command in _leaves(top):
                    # One source: the command's @committee_only check, which also put
                    # "(committee)" at the end of its description.
                    if is_committee_command(command):
                        if not committee:
                            continue
                    elif not member_ok and command.name != "help":
                        continue
                    sections.setdefault(section, []).append(
                        f"`/{command.qualified_name}` — {command.description}"
                    )
        embed = discord.Embed(title="What you can do here", colour=discord.Colour.red())
        if config is None:
            embed.description = (
                "This server is not set up yet: someone with Manage Server runs `/setup chapter`."
            )
        if member_ok and config is not None:
            embed.add_field(name="How to vote", value=how_to_vote(config.votes_channel_id))
        for section, lines in sections.items():
            embed.add_field(
                name=section, value="\n".join(lines)[: limits.EMBED_FIELD_VALUE], inline=False
            )
        await interaction.response.send_message(embed=embed, ephemeral=True)
