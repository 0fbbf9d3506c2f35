"""`/setup chapter|show|check`: the chapter's roles, channels and timezone."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import available_timezones

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import discord_limits as limits
from bot.domain.chapters import ChapterConfig
from bot.domain.timeparse import validate_timezone
from bot.errors import InvalidInput
from bot.services import chapters as chapter_service
from bot.services import vote_admin
from cogs._common import chapter_of, committee_only
from cogs._text import timestamp
from cogs.setup._check import channel_purposes, check

if TYPE_CHECKING:
    from bot.client import EndorseBot

COMMON_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Europe/London",
    "Europe/Berlin",
    "America/Toronto",
    "America/Vancouver",
)


class SetupCog(commands.Cog):
    help_section = "Setting up the chapter"

    def __init__(self, bot: EndorseBot) -> None:
        self.bot = bot

    group = app_commands.Group(
        name="setup",
        description="Configure this chapter's roles, channels and timezone",
        guild_only=True,
    )

    @committee_only("change the chapter's setup", first_setup=True)
    @group.command(
        name="chapter",
        description="Store the chapter's roles, channels and timezone",
    )
    @app_commands.describe(
        member_role="Members in good standing: they vote and pledge",
        committee_role="The electoral committee: runs votes, races and questionnaires",
        announcements="Where results and announcements are posted",
        committee_review="Private channel where the committee reads questionnaire answers",
        votes="Where votes are announced and members click Vote",
        reminders="Where milestone reminders are posted",
        timezone="The chapter's timezone, e.g. America/New_York",
        candidate_role="Optional: a role given to candidates filling a questionnaire",
        second_member_role="Optional: another role whose holders are members too",
    )
    async def chapter(
        self,
        interaction: discord.Interaction,
        member_role: discord.Role,
        committee_role: discord.Role,
        announcements: discord.TextChannel,
        committee_review: discord.TextChannel,
        votes: discord.TextChannel,
        reminders: discord.TextChannel,
        timezone: str,
        candidate_role: discord.Role | None = None,
        second_member_role: discord.Role | None = None,
    ) -> None:
        zone = validate_timezone(timezone)
        if committee_role.is_default() or member_role.is_default():
            raise InvalidInput(
                "Choose real roles, not @everyone: everyone in the server would "
                "count as a member or as the committee."
            )
        member_roles = tuple(
            dict.fromkeys(r.id for r in (member_role, second_member_role) if r is not None)
        )
        config = ChapterConfig(
            guild_id=interaction.guild_id,
            member_role_ids=member_roles,
            committee_role_id=committee_role.id,
            candidate_role_id=candidate_role.id if candidate_role else None,
            announcements_channel_id=announcements.id,
            review_channel_id=committee_review.id,
            votes_channel_id=votes.id,
            reminders_channel_id=reminders.id,
            timezone=zone.key,
            updated_at=self.bot.clock(),
            updated_by=interaction.user.id,
        )
        config = await chapter_service.configure(self.bot.db, config, now=self.bot.clock())
        embed = _render(interaction.guild, config, title="Chapter set up")
        embed.set_footer(text="Run /setup check to verify the bot's permissions in these channels.")
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @committee_only("see the chapter's setup")
    @group.command(name="show", description="Show this chapter's configuration")
    async def show(self, interaction: discord.Interaction) -> None:
        config = await chapter_of(interaction)
        await interaction.response.send_message(
            embed=_render(interaction.guild, config, title="Chapter setup"), ephemeral=True
        )

    @committee_only("check the chapter's setup")
    @group.command(
        name="check",
        description="Check the bot's permissions in the chapter's channels",
    )
    async def check(self, interaction: discord.Interaction) -> None:
        config = await chapter_of(interaction)
        findings = check(interaction.guild, config)
        problems = [f for f in findings if not f.ok]
        lines = [("✅ " if f.ok else "❌ ") + f.text for f in findings]
        title = "Everything is in order" if not problems else f"{len(problems)} thing(s) to fix"
        embed = discord.Embed(
            title=title,
            description="\n".join(lines)[: limits.EMBED_DESCRIPTION],
            colour=discord.Colour.green() if not problems else discord.Colour.red(),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @committee_only("set how long ballots are kept")
    @group.command(
        name="retention",
        description="How long closed votes' ballots are kept before /vote purge",
    )
    @app_commands.describe(
        days="Days after a vote closes before its ballots may be purged (default 90)"
    )
    async def retention(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 0, 3650]
    ) -> None:
        config = await chapter_of(interaction)
        await vote_admin.set_retention(
            self.bot.db, config.guild_id, days, actor_id=interaction.user.id, now=self.bot.clock()
        )
        await interaction.response.send_message(
            f"Closed votes' ballots are now kept **{days} days** after the close; then "
            "`/vote purge` may delete them. Results and their SHA-256 are kept for good.",
            ephemeral=True,
        )

    @chapter.autocomplete("timezone")
    async def _timezone_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.strip().lower().replace(" ", "_")
        if not needle:
            names = list(COMMON_ZONES)
        else:
            names = sorted(z for z in available_timezones() if needle in z.lower())
        return [app_commands.Choice(name=z, value=z) for z in names[: limits.CHOICES]]


def _render(guild: discord.Guild, config: ChapterConfig, *, title: str) -> discord.Embed:
    embed = discord.Embed(title=title, colour=discord.Colour.red())
    embed.add_field(
        name="Member role(s)",
        value=", ".join(f"<@&{r}>" for r in config.member_role_ids) or "none",
        inline=False,
    )
    embed.add_field(name="Committee role", value=f"<@&{config.committee_role_id}>")
    embed.add_field(
        name="Candidate role",
        value=f"<@&{config.candidate_role_id}>" if config.candidate_role_id else "not set",
    )
    for purpose, channel_id in channel_purposes(config):
        embed.add_field(name=purpose.capitalize(), value=f"<#{channel_id}>")
    embed.add_field(name="Timezone", value=config.timezone)
    embed.add_field(
        name="Last changed",
        value=f"{timestamp(config.updated_at, 'f')} by <@{config.updated_by}>",
    )
    return embed
