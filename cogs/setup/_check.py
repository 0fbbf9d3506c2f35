"""`/setup check`: what the bot can do in each configured channel, and what to fix."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.domain.chapters import ChapterConfig

# What the bot does in its channels: post and edit messages with embeds and charts, and read
# recent history to find its own earlier post after a crash (so it never posts twice).
NEEDED = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "read_message_history": "Read Message History",
}


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


def channel_purposes(config: ChapterConfig) -> list[tuple[str, int]]:
    return [
        ("announcements", config.announcements_channel_id),
        ("committee review", config.review_channel_id),
        ("votes", config.votes_channel_id),
        ("reminders", config.reminders_channel_id),
    ]


def check(guild: discord.Guild, config: ChapterConfig) -> list[Finding]:
    findings: list[Finding] = []
    me = guild.me
    for purpose, channel_id in channel_purposes(config):
        channel = guild.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            findings.append(
                Finding(
                    False,
                    f"The {purpose} channel no longer exists: choose a "
                    "new one with `/setup chapter`.",
                )
            )
            continue
        allowed = channel.permissions_for(me)
        missing = [label for perm, label in NEEDED.items() if not getattr(allowed, perm)]
        if missing:
            findings.append(
                Finding(
                    False,
                    (
                        f"In {channel.mention} ({purpose}) the bot lacks "
                        f"**{', '.join(missing)}**. Fix: Edit Channel → Permissions → add "
                        f"the bot's role **{me.top_role.name}** and allow {', '.join(missing)}."
                    ),
                )
            )
        else:
            findings.append(Finding(True, f"{channel.mention} ({purpose}): the bot can post here."))
    findings.extend(_review_is_private(guild, config))
    for role_id, what in [(config.committee_role_id, "committee role")] + [
        (r, "member role") for r in config.member_role_ids
    ]:
        if guild.get_role(role_id) is None:
            findings.append(
                Finding(
                    False, f"The {what} no longer exists: choose it again with `/setup chapter`."
                )
            )
    return findings


def _review_is_private(guild: discord.Guild, config: ChapterConfig) -> list[Finding]:
    channel = guild.get_channel(config.review_channel_id)
    if not isinstance(channel, discord.TextChannel):
        return []
    readers = [guild.default_role] + [
        role for role in (guild.get_role(r) for r in config.member_role_ids) if role is not None
    ]
    leaks = [role for role in readers if channel.permissions_for(role).view_channel]
    if not leaks:
        return [Finding(True, f"{channel.mention} is hidden from @everyone and the member role.")]
    names = ", ".join("@everyone" if r.is_default() else f"**{r.name}**" for r in leaks)
    return [
        Finding(
            False,
            (
                f"{channel.mention} (committee review) can be read by {names}: candidates' "
                "answers and committee notes would be public. Fix: Edit Channel → Permissions "
                f"→ deny View Channel for {names}, and allow it for the committee role."
            ),
        )
    ]
