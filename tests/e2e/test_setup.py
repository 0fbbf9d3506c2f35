"""A chapter sets the bot up, through the real client and the loopback Discord."""

from __future__ import annotations

import pytest

from bot.store import chapters
from tests.fakediscord.state import Perm, overwrite

pytestmark = pytest.mark.asyncio


def setup_options(world, **overrides):
    options = {
        "member_role": world.member_role,
        "committee_role": world.committee_role,
        "announcements": world.announcements,
        "committee_review": world.review,
        "votes": world.votes,
        "reminders": world.reminders,
        "timezone": "America/Chicago",
    }
    options.update(overrides)
    return options


async def test_admin_sets_up_the_chapter_and_sees_it(unconfigured) -> None:
    world = unconfigured
    reply = await world.admin.slash("setup chapter", **setup_options(world))
    assert reply.ephemeral
    assert "Chapter set up" in reply.text
    assert f"<@&{world.member_role.id}>" in reply.text
    assert "America/Chicago" in reply.text

    stored = await chapters.get(world.db, int(world.guild.id))
    assert stored is not None
    assert stored.member_role_ids == (int(world.member_role.id),)
    assert stored.votes_channel_id == int(world.votes.id)
    assert stored.timezone == "America/Chicago"

    shown = await world.organiser.slash("setup show")
    assert shown.ephemeral
    assert f"<#{world.review.id}>" in shown.text and "America/Chicago" in shown.text
    changed = f"<t:{int(stored.updated_at.timestamp())}:f> by <@{world.admin.id}>"
    assert changed in shown.text
    # Nothing of the setup was posted publicly.
    assert world.votes.messages == [] and world.announcements.messages == []


async def test_a_member_cannot_set_up_and_nothing_is_stored(unconfigured) -> None:
    world = unconfigured
    reply = await world.alice.slash("setup chapter", **setup_options(world))
    assert reply.ephemeral
    assert "Manage Server" in reply.content
    assert await chapters.get(world.db, int(world.guild.id)) is None


async def test_a_member_cannot_change_an_existing_setup(chapter) -> None:
    reply = await chapter.alice.slash("setup chapter", **setup_options(chapter, timezone="UTC"))
    assert reply.ephemeral
    assert "Only members with the **Electoral Committee** role" in reply.content
    stored = await chapters.get(chapter.db, int(chapter.guild.id))
    assert stored.timezone == "America/New_York"


async def test_committee_member_can_change_the_setup(chapter) -> None:
    reply = await chapter.organiser.slash(
        "setup chapter", **setup_options(chapter, timezone="Europe/London")
    )
    assert "Chapter set up" in reply.text
    assert (await chapters.get(chapter.db, int(chapter.guild.id))).timezone == "Europe/London"


async def test_unknown_timezone_is_refused_with_a_suggestion(unconfigured) -> None:
    world = unconfigured
    reply = await world.admin.slash(
        "setup chapter", **setup_options(world, timezone="America/New_Yrok")
    )
    assert reply.ephemeral
    assert "America/New_York" in reply.content  # the close match is suggested
    assert await chapters.get(world.db, int(world.guild.id)) is None


async def test_timezone_autocomplete_offers_matches(unconfigured) -> None:
    choices = await unconfigured.admin.autocomplete(
        "setup chapter", "timezone", "chicago", setup_options(unconfigured)
    )
    assert [c["value"] for c in choices] == ["America/Chicago"]


async def test_commands_before_setup_point_to_setup(unconfigured) -> None:
    reply = await unconfigured.organiser.slash("setup show")
    assert reply.ephemeral
    assert "/setup chapter" in reply.content
    assert "went wrong" not in reply.content


async def test_check_passes_on_a_well_configured_chapter(chapter) -> None:
    reply = await chapter.organiser.slash("setup check")
    assert reply.ephemeral
    assert "Everything is in order" in reply.text
    assert "❌" not in reply.text


async def test_check_names_a_missing_permission_and_the_fix(chapter) -> None:
    chapter.votes.set_overwrites([overwrite(chapter.bot_role, deny=Perm.ATTACH_FILES)])
    await chapter.fake.drain()
    reply = await chapter.organiser.slash("setup check")
    assert "1 thing(s) to fix" in reply.text
    assert f"In <#{chapter.votes.id}> (votes) the bot lacks **Attach Files**" in reply.text
    assert "Edit Channel → Permissions" in reply.text


async def test_check_warns_when_the_review_channel_is_public(chapter) -> None:
    chapter.review.set_overwrites([])
    await chapter.fake.drain()
    reply = await chapter.organiser.slash("setup check")
    assert f"<#{chapter.review.id}> (committee review) can be read by @everyone" in reply.text
    assert "deny View Channel" in reply.text


async def test_members_cannot_run_check(chapter) -> None:
    reply = await chapter.bob.slash("setup check")
    assert reply.ephemeral
    assert "Electoral Committee" in reply.content


async def test_help_lists_what_this_member_may_use(chapter) -> None:
    member_help = await chapter.alice.slash("help")
    committee_help = await chapter.organiser.slash("help")
    assert member_help.ephemeral and committee_help.ephemeral
    assert "/setup chapter" not in member_help.text
    assert "/setup chapter" in committee_help.text
    assert "/help" in member_help.text
    # Voting has no command of its own: /help tells a member where and how.
    assert "How to vote" in member_help.text and "Press **Vote**" in member_help.text
    assert f"<#{chapter.votes.id}>" in member_help.text
