"""Every post the bot makes on a timer, through the loopback Discord failing it.

Issue 23: each scheduler handler that posts does it through `cogs/_posting.post_once`. For
each one: Discord answering 503 three times delays the post, and a "ghost" 503 after them
(the post made, the answer lost) leaves it posted once, not twice. A channel the bot may not
use (403) ends the job with one notice in the committee's review channel. A deleted channel does
the same or, when it is the review channel itself, leaves a job state saying nobody could be
told; a dropped connection and a rate limit discord.py gives up on are retried like a 503.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from bot.domain.questionnaire_sheet import Reach
from bot.services import capacity as capacity_service
from bot.services import officials as officials_service
from bot.services import plans as plan_service
from bot.services import questionnaires as questionnaire_service
from bot.services import races as race_service
from bot.services import vote_cleanup, vote_create
from bot.store import jobs
from tests.e2e.plans_helpers import add_race, pending_reminders
from tests.e2e.questionnaire_helpers import race_with
from tests.e2e.test_capacity import set_figures
from tests.e2e.test_capacity_pace import setup_behind_plan
from tests.fakediscord import message_text
from tests.fakediscord.state import Channel, Perm, overwrite
from tests.jobs import wait_for_job

pytestmark = pytest.mark.asyncio

Fire = Callable[[], Awaitable[int]]  # makes the job due; its id


async def settled(world, job_id: int) -> jobs.Job:
    """Run the job (and its retries, moving the clock by the backoff) until it settles."""

    async def nudge() -> None:
        job = await jobs.get(world.db, job_id)
        if job is not None and job.state == "pending" and job.due_at > world.clock():
            world.clock.advance(job.due_at - world.clock() + timedelta(seconds=1))
        await world.bot.scheduler.run_due()

    return await wait_for_job(world.db, job_id, nudge=nudge)


def move_due(world, job_id: int) -> Fire:
    async def fire() -> int:
        async with world.db.transaction() as conn:
            await jobs.move(conn, job_id, world.clock() - timedelta(minutes=1), world.clock())
        return job_id

    return fire


def advance_to(world, job_id: int) -> Fire:
    async def fire() -> int:
        job = await jobs.get(world.db, job_id)
        world.clock.advance(job.due_at - world.clock() + timedelta(seconds=1))
        return job_id

    return fire


async def job_of_kind(world, kind: str) -> int:
    """The one job of `kind`, whatever its state (its own timer may have run it already)."""
    [row] = await world.db.fetchall("SELECT id FROM scheduled_jobs WHERE kind = ?", (kind,))
    return row["id"]


# --- one scenario per handler: (the channel it posts in, what makes its job due) ---------------


async def a_vote(world, *, opens: str):
    race = await race_with(world, "Ada Ruiz", "Bo Chen")
    request = vote_create.VoteRequest(
        guild_id=race.guild_id, race_id=race.id, actor_id=int(world.organiser.id),
        channel_id=int(world.votes.id), timezone="America/New_York",
        eligible_role_ids=(int(world.member_role.id),), opens=opens, closes="in 3h",
    )  # fmt: skip
    plan = await vote_create.plan(world.db, request, now=world.clock())
    return await vote_create.create(world.db, world.bot.scheduler, plan, now=world.clock())


async def vote_open(world) -> tuple[Channel, Fire]:
    vote = await a_vote(world, opens="in 1h")
    return world.votes, advance_to(world, vote.open_job_id)


async def vote_close(world) -> tuple[Channel, Fire]:
    vote = await a_vote(world, opens="in 1h")
    await advance_to(world, vote.open_job_id)()
    assert (await settled(world, vote.open_job_id)).state == "done"
    return world.votes, advance_to(world, vote.close_job_id)


async def a_questionnaire(world, *, deadline: timedelta | None = None):
    rosa = world.guild.add_member("rosa")
    race = await race_with(world, "Rosa Ortiz", members={"Rosa Ortiz": rosa})
    [candidate] = await race_service.list_candidates(world.db, race.guild_id, race.id)
    filled = await questionnaire_service.send(
        world.db, world.bot.scheduler, race=race, candidate=candidate, respondent_id=int(rosa.id),
        reach=Reach.DM, deadline=world.clock() + deadline if deadline else None,
        actor_id=int(world.organiser.id), now=world.clock(),
    )  # fmt: skip
    return filled, candidate, int(rosa.id)


async def answered(world, filled, respondent: int) -> None:
    for page in filled.form.pages:
        typed = {
            q.key: q.option_list[0].value if q.option_list
            else {"number": "7", "date": "2020-01-01"}.get(q.kind, "text")
            for q in page
        }  # fmt: skip
        assert not await questionnaire_service.save_page(
            world.db, sheet_id=filled.sheet.id, user_id=respondent,
            page=filled.page_of(page[0].key), typed=typed, now=world.clock(),
        )  # fmt: skip


async def questionnaire_report(world) -> tuple[Channel, Fire]:
    filled, _, respondent = await a_questionnaire(world)
    await answered(world, filled, respondent)

    async def fire() -> int:
        await questionnaire_service.submit(
            world.db, world.bot.scheduler, sheet_id=filled.sheet.id, user_id=respondent,
            now=world.clock(),
        )  # fmt: skip
        return await job_of_kind(world, questionnaire_service.REPORT_JOB)

    return world.review, fire


async def questionnaire_publish(world) -> tuple[Channel, Fire]:
    filled, candidate, respondent = await a_questionnaire(world)
    await answered(world, filled, respondent)
    await questionnaire_service.submit(
        world.db, world.bot.scheduler, sheet_id=filled.sheet.id, user_id=respondent,
        now=world.clock(),
    )  # fmt: skip
    assert (await settled(world, await job_of_kind(world, "questionnaire.report"))).state == "done"

    async def fire() -> int:
        await questionnaire_service.publish(
            world.db, world.bot.scheduler, guild_id=candidate.guild_id, candidate=candidate,
            actor_id=int(world.organiser.id), now=world.clock(),
        )  # fmt: skip
        return await job_of_kind(world, questionnaire_service.PUBLISH_JOB)

    return world.votes, fire


async def questionnaire_deadline(world) -> tuple[Channel, Fire]:
    await a_questionnaire(world, deadline=timedelta(days=3))
    return world.review, advance_to(
        world, await job_of_kind(world, questionnaire_service.DEADLINE_JOB)
    )


async def a_plan(world):
    race = await add_race(world, world.clock().date() + timedelta(days=950))
    made = await plan_service.create(
        world.db, world.bot.scheduler, guild_id=race.guild_id, race_id=race.id,
        actor_id=int(world.organiser.id), tz="America/New_York", now=world.clock(),
    )  # fmt: skip
    announcement = next(m for m in made.milestones if m.key == "announcement")
    return (await pending_reminders(world, announcement.id))[0].id


async def plan_reminder(world) -> tuple[Channel, Fire]:
    return world.reminders, move_due(world, await a_plan(world))


async def plan_summary(world) -> tuple[Channel, Fire]:
    reminder = await a_plan(world)
    async with world.db.transaction() as conn:  # due while the bot was down for a day
        await jobs.move(conn, reminder, world.clock() - timedelta(days=1), world.clock())
    assert (await settled(world, reminder)).state == "missed"
    return world.reminders, advance_to(world, await job_of_kind(world, plan_service.SUMMARY_JOB))


async def capacity_pace(world) -> tuple[Channel, Fire]:
    _, job = await setup_behind_plan(world)
    return world.review, advance_to(world, job.id)


async def capacity_vote_warning(world) -> tuple[Channel, Fire]:
    """A vote on a race needing far more doors than the chapter knocks: the announcement
    carries the warning, and the committee gets its copy from a job of its own."""
    reply = await world.organiser.slash("capacity chapter", signups=20, shifts=1)
    assert reply.ephemeral, reply.text
    vote = await a_vote(world, opens="in 1h")
    await set_figures(world, await race_service.get_race(world.db, vote.guild_id, vote.race_id),
                      turnout=40000)  # fmt: skip

    async def fire() -> int:
        await advance_to(world, vote.open_job_id)()
        assert (await settled(world, vote.open_job_id)).state == "done"
        return await job_of_kind(world, capacity_service.VOTE_WARNING_JOB)

    return world.review, fire


async def scrub_notice(world) -> tuple[Channel, Fire]:
    """A closed vote whose clean-up cannot finish (the test fills the disk, FAULT_ENV): the
    committee is told so by a job of its own."""
    vote = await a_vote(world, opens="in 1h")
    await advance_to(world, vote.open_job_id)()
    assert (await settled(world, vote.open_job_id)).state == "done"

    async def fire() -> int:
        await advance_to(world, vote.close_job_id)()
        assert (await settled(world, vote.close_job_id)).state == "done"
        return await job_of_kind(world, vote_cleanup.NOTICE_JOB)

    return world.review, fire


async def officials_notice(world) -> tuple[Channel, Fire]:
    """An official's vote against the chapter: Monday's notice tells the committee."""
    org = world.organiser
    start = (world.clock() - timedelta(days=30)).date().isoformat()
    added = await org.slash("official add", name="Ada Ruiz", office="City Council D3",
                            term_start=start)  # fmt: skip
    assert "Added" in added.text, added.text
    await org.slash("position add", title="Police budget increase", stance="oppose")
    voted = await org.slash(
        "official vote", official="Ada Ruiz", position="Police budget increase", vote="against",
        date=start,
    )  # fmt: skip
    assert "Recorded" in voted.text, voted.text
    return world.review, advance_to(world, await job_of_kind(world, officials_service.NOTICE_JOB))


SCENARIOS = {
    "vote.open": vote_open,
    "vote.close": vote_close,
    "questionnaire.report": questionnaire_report,
    "questionnaire.publish": questionnaire_publish,
    "questionnaire.deadline": questionnaire_deadline,
    "plan.reminder": plan_reminder,
    "plan.missed_reminders": plan_summary,
    "capacity.pace": capacity_pace,
    "capacity.vote_warning": capacity_vote_warning,
    "vote.scrub_notice": scrub_notice,
    "officials.notice": officials_notice,
}
FAULT_ENV = {"vote.scrub_notice": "scrub:disk_full"}  # bot/faults.py, read by the bot


async def test_every_handler_that_posts_has_a_scenario(chapter) -> None:
    """A new job kind that posts must join the table above (the scrub job only cleans)."""
    kinds = set(chapter.bot.scheduler._handlers) - {"vote.scrub"}
    assert kinds == set(SCENARIOS)


def marked(channel: Channel, marker: str) -> list[dict]:
    """The channel's posts carrying `marker` (job:1, not job:12)."""
    return [m for m in channel.messages if re.search(rf"{marker}(?![\d:])", message_text(m))]


def notices(world) -> list[dict]:
    return [m for m in world.review.messages if "could not be posted" in message_text(m)]


def shut_out(world, channel: Channel) -> None:
    """403: the bot may not see the channel; in the review channel, it may not embed (so
    a plain notice still reaches the committee, as with a half-set permission)."""
    denied = Perm.EMBED_LINKS if channel is world.review else Perm.VIEW_CHANNEL
    keep = [o for o in channel.overwrites if o["id"] != world.bot_role.id]
    mine = [o for o in channel.overwrites if o["id"] == world.bot_role.id]
    allow = int(mine[0]["allow"]) if mine else 0
    channel.set_overwrites([*keep, overwrite(world.bot_role, allow=allow, deny=denied)])


async def delete(world, channel: Channel) -> None:
    world.guild.delete_channel(channel)
    await world.fake.wait_for(lambda: world.bot.get_channel(int(channel.id)) is None, 5)


# Every handler meets Discord answering 503 three times and then a ghost 503 (one world and
# one job for both: three refused tries must post nothing, the fourth must be found, not
# made again). Giving up, the network and rate limits take one path in `post_once` whatever
# the handler: a 403 is tried once per channel the bot posts in (votes, reminders, review),
# a deleted channel once where a notice can go (the reminders channel) and once where it
# cannot (the review channel itself).
CASES = [
    *((kind, "503x3, ghost") for kind in SCENARIOS),
    ("vote.close", "403"),
    ("plan.reminder", "403"),
    ("questionnaire.report", "403"),
    ("plan.reminder", "deleted"),
    ("capacity.pace", "deleted"),
    ("plan.reminder", "network"),
    ("questionnaire.report", "429x5"),
]
DELAYED = {"503x3, ghost": 3, "network": 1, "429x5": 1}  # retries


@pytest.mark.parametrize(("kind", "fault"), CASES)
async def test_a_timer_post_is_delayed_by_discord_never_lost_or_doubled(
    chapter, monkeypatch, kind, fault
):
    world = chapter
    if kind in FAULT_ENV:
        monkeypatch.setenv("ENDORSEBOT_FAULT", FAULT_ENV[kind])
    channel, fire = await SCENARIOS[kind](world)
    posts = rf"/channels/{channel.id}/messages$"
    if fault == "503x3, ghost":
        world.fake.server_error("POST", posts, times=3)
        world.fake.server_error("POST", posts, ghost=True)  # the 4th try posts, answers 503
    elif fault == "network":
        world.fake.drop_connection("POST", posts)
    elif fault == "429x5":  # discord.py waits out 4 and gives up on the fifth
        world.fake.rate_limit("POST", posts, retry_after=0.01, times=5)
    elif fault == "403":
        shut_out(world, channel)
    else:
        await delete(world, channel)
    job = await settled(world, await fire())
    assert job.kind == kind
    await world.fake.settle()

    if fault in DELAYED:
        assert len(marked(channel, job.marker)) == 1
        assert job.state == "done", job.outcome
        assert job.payload.get("attempt", 0) == DELAYED[fault]
        assert notices(world) == []
    elif fault == "deleted" and channel is world.review:
        assert job.state == "failed"
        assert "the committee could not be told" in job.outcome, job.outcome
    else:
        assert marked(channel, job.marker) == []
        [notice] = notices(world)
        assert f"<#{channel.id}>" in message_text(notice)
        assert job.state == "failed"
        assert job.outcome.endswith("the committee was told"), job.outcome
