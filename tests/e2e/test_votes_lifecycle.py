"""`/vote extend`, `/vote cancel` and `/vote purge` through the loopback Discord: each
announced and audit-logged, bad input refused with nothing changed, the scheduled close
moving or going with the vote."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import audit, jobs
from bot.store import votes as vote_store
from tests.e2e.votes_helpers import (
    cast,
    create_vote,
    make_race,
    recorded,
    wait_announcement,
    wait_result,
)
from tests.fakediscord import message_text, walk_components

pytestmark = pytest.mark.asyncio


async def current(world, vote):
    return await vote_store.get_vote(world.db, int(world.guild.id), vote.id)


async def posts_containing(world, text):
    """The votes channel's posts holding `text`, once there is one (posted after the reply)."""

    def find():
        return [m for m in world.votes.messages if text in (m.get("content") or "")] or None

    return await world.fake.wait_for(find, 5)


async def test_extend_moves_the_close_and_its_job(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, closes="in 1h")
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await cast(world, world.alice, announcement, vote.id, ["Ada Ruiz"]))

    for closes, why in (
        ("in 30m", "only moves the close later"),
        ("2020-01-01 18:00", "already passed"),
        ("someday", "can't read"),
    ):
        refused = await world.organiser.slash("vote extend", vote=str(vote.id), closes=closes)
        assert refused.ephemeral and why in refused.text, refused.text
    by_member = await world.alice.slash("vote extend", vote=str(vote.id), closes="in 3h")
    assert by_member.ephemeral and "Electoral Committee" in by_member.text
    assert (await current(world, vote)).closes_at == vote.closes_at

    done = await world.organiser.slash("vote extend", vote=str(vote.id), closes="in 3h")
    assert done.ephemeral and "now closes" in done.text
    extended = await current(world, vote)
    assert extended.closes_at > vote.closes_at + timedelta(hours=1, minutes=59)
    job = await jobs.get(world.db, vote.close_job_id)
    assert job.due_at == extended.closes_at  # the scheduled close moved with it
    assert await posts_containing(world, "is extended")
    new_close = f"<t:{int(extended.closes_at.timestamp())}:F>"
    await world.fake.wait_for(
        lambda: new_close in message_text(world.fake.message(announcement["id"])) or None, 5
    )
    trail = await audit.for_subject(world.db, vote.guild_id, vote.subject)
    assert trail[-1].action == "vote.extend" and trail[-1].actor_id == int(world.organiser.id)

    # Past the old close the vote is still open and takes ballots; the close runs later.
    world.clock.advance(timedelta(hours=2))
    await world.bot.scheduler.run_due()
    assert (await current(world, vote)).state == "open"
    assert recorded(await cast(world, world.bob, announcement, vote.id, ["Bo Chen"]))
    world.clock.advance(timedelta(hours=1, minutes=5))
    await world.bot.scheduler.run_due()
    await wait_result(world, vote.id)
    closed = await current(world, vote)
    assert closed.state == "closed" and closed.ballots_cast == 2

    after = await world.organiser.slash("vote extend", vote=str(vote.id), closes="in 5h")
    assert after.ephemeral and "has closed" in after.text
    again = await world.organiser.slash("vote cancel", vote=str(vote.id), reason="too late")
    assert again.ephemeral and "has closed" in again.text
    assert (await current(world, vote)).state == "closed"


async def test_cancel_discards_the_ballots_and_the_close(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, closes="in 1h")
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await cast(world, world.alice, announcement, vote.id, ["Ada Ruiz"]))
    await world.organiser.slash("vote paper", vote=str(vote.id), ranking="Bo Chen")

    blank = await world.organiser.slash("vote cancel", vote=str(vote.id), reason="   ")
    assert blank.ephemeral and "Say why" in blank.text
    by_member = await world.bob.slash("vote cancel", vote=str(vote.id), reason="I lose")
    assert by_member.ephemeral and "Electoral Committee" in by_member.text
    assert (await current(world, vote)).state == "open"

    done = await world.organiser.slash(
        "vote cancel", vote=str(vote.id), reason="Candidate withdrew"
    )
    assert "cancelled" in done.text
    cancelled = await current(world, vote)
    assert cancelled.state == "cancelled" and cancelled.cancel_reason == "Candidate withdrew"
    for table in ("vote_open_ballots", "vote_keys", "vote_paper_ballots", "vote_ballots"):
        rows = await world.db.fetchall(
            f"SELECT count(*) AS n FROM {table} WHERE vote_id = ?",  # noqa: S608
            (vote.id,),
        )
        assert rows[0]["n"] == 0, table
    job = await jobs.get(world.db, vote.close_job_id)
    assert job.state == "done" and job.outcome.startswith("cancelled")
    posts = await posts_containing(world, "is cancelled** by")
    assert "Candidate withdrew" in posts[0]["content"]

    def vote_button_disabled():
        shown = world.fake.message(announcement["id"])
        button = next(c for c in walk_components(shown["components"]) if c["type"] == 2)
        return True if button.get("disabled") else None

    assert await world.fake.wait_for(vote_button_disabled, 5)
    assert "Cancelled" in message_text(world.fake.message(announcement["id"]))
    trail = await audit.for_subject(world.db, vote.guild_id, vote.subject)
    assert trail[-1].action == "vote.cancel" and "Candidate withdrew" in trail[-1].detail

    # Nothing more happens at the old close time; nothing can be done to it.
    world.clock.advance(timedelta(hours=2))
    await world.bot.scheduler.run_due()
    assert not [m for m in world.votes.messages if m["attachments"]]
    for command, options, why in (
        ("vote extend", {"closes": "in 5h"}, "was cancelled"),
        ("vote cancel", {"reason": "again"}, "was cancelled"),
        ("vote export", {}, "was cancelled"),
        ("vote purge", {}, "was cancelled"),
    ):
        reply = await world.organiser.slash(command, vote=str(vote.id), **options)
        assert reply.ephemeral and why in reply.text, (command, reply.text)
    listed = await world.alice.slash("vote list")
    assert "**Cancelled**" in listed.text


async def test_purge_only_after_the_retention_period(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, closes="in 1h")
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await cast(world, world.alice, announcement, vote.id, ["Ada Ruiz"]))

    early = await world.organiser.slash("vote purge", vote=str(vote.id))
    assert early.ephemeral and "Only a closed vote" in early.text
    by_member = await world.alice.slash("setup retention", days=1)
    assert by_member.ephemeral and "Electoral Committee" in by_member.text
    set_days = await world.organiser.slash("setup retention", days=30)
    assert set_days.ephemeral and "30 days" in set_days.text

    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    posted = await wait_result(world, vote.id)
    closed = await current(world, vote)

    too_soon = await world.organiser.slash("vote purge", vote=str(vote.id))
    assert too_soon.ephemeral and "keeps ballots 30 days" in too_soon.text
    allowed = closed.closed_at + timedelta(days=30)
    assert f"purged from <t:{int(allowed.timestamp())}:f>" in too_soon.text
    assert await vote_store.final_ballots(world.db, vote.id)

    world.clock.advance(timedelta(days=30, minutes=1))
    refused = await world.alice.slash("vote purge", vote=str(vote.id))
    assert refused.ephemeral and "Electoral Committee" in refused.text
    done = await world.organiser.slash("vote purge", vote=str(vote.id))
    assert "ballots are deleted" in done.text and closed.blt_sha256 in done.text
    assert await vote_store.final_ballots(world.db, vote.id) == []
    purged = await current(world, vote)
    assert purged.purged_at is not None
    assert purged.result == closed.result and purged.blt_sha256 == closed.blt_sha256
    assert world.fake.message(posted["id"])  # the published result stays
    status = await world.alice.slash("vote status", vote=str(vote.id))
    assert "purged" in status.text
    export = await world.organiser.slash("vote export", vote=str(vote.id))
    assert export.ephemeral and "purged" in export.text and not export.attachments
    twice = await world.organiser.slash("vote purge", vote=str(vote.id))
    assert "already purged" in twice.text
    trail = await audit.for_subject(world.db, vote.guild_id, vote.subject)
    assert trail[-1].action == "vote.purge"


async def test_the_race_page_shows_the_race_s_votes_with_links(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    before = await world.organiser.slash("race show", race=str(race.id))
    assert "No endorsement vote on this race yet" in before.text  # a hint for the committee
    assert "Endorsement vote" not in (await world.alice.slash("race show", race=str(race.id))).text

    vote = await create_vote(world, race, closes="in 1h")
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await cast(world, world.alice, announcement, vote.id, ["Ada Ruiz"]))
    gid, channel = int(world.guild.id), announcement["channel_id"]
    page = await world.alice.slash("race show", race=str(race.id))
    assert "Endorsement vote" in page.text and f"**#{vote.id}**" in page.text
    assert "1 of 3 on the roll has voted" in page.text
    assert f"[announcement](https://discord.com/channels/{gid}/{channel}/{announcement['id']})" in (
        page.text
    )

    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    posted = await wait_result(world, vote.id)
    # The close records the result's message, then disables the announcement's Vote button.
    await world.fake.wait_for(
        lambda: any(
            c.get("disabled")
            for c in walk_components(world.fake.message(announcement["id"])["components"])
        ),
        5,
    )
    page = await world.alice.slash("race show", race=str(race.id))
    assert f"[result](https://discord.com/channels/{gid}/{channel}/{posted['id']})" in page.text
    assert "closed" in page.text and "[announcement]" not in page.text
