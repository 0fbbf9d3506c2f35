"""A candidate answers the questionnaire in Discord; the committee gets the report.

Issue 15's "Done when", through the real client against the loopback Discord (the SIGKILL
with a page open is in test_questionnaires_restart.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.capacity import ChapterCapacity, RaceFigures
from bot.services import capacity
from tests.e2e.questionnaire_helpers import (
    PAGE1,
    PAGE3,
    button,
    modal_inputs,
    race_with,
    red_line_key,
    report_post,
)
from tests.e2e.votes_helpers import create_vote, wait_announcement
from tests.fakediscord import message_text
from tests.jobs import wait_for_job

pytestmark = pytest.mark.asyncio
RACE = "City Council D3"


async def settled_publish_job(world) -> tuple[str, str | None]:
    """(state, outcome) of the publish job once it has finished (on its own timer)."""
    [row] = await world.db.fetchall(
        "SELECT id FROM scheduled_jobs WHERE kind = 'questionnaire.publish'"
    )
    job = await wait_for_job(world.db, row["id"])
    return job.state, job.outcome


async def test_a_candidate_answers_by_dm_and_the_committee_gets_the_report(chapter) -> None:
    rosa = chapter.guild.add_member("rosa")
    race = await race_with(chapter, "Rosa Ortiz", members={"Rosa Ortiz": rosa})
    org = chapter.organiser
    added = await org.slash(
        "questionnaire redline add",
        question="Will you refuse money from police unions?",
        required_answer=True,
    )
    assert "Red line 1 added" in added.content
    sent = await org.slash(
        "questionnaire send", race=RACE, candidate="Rosa Ortiz", deadline="in 14d"
    )
    assert "Sent to **Rosa Ortiz** by DM" in sent.content and sent.ephemeral
    invite = chapter.fake.dms_to(rosa)[-1]
    assert "16 questions on 4 pages" in invite["content"] and "<t:" in invite["content"]

    # Page 1: yes/no radios and a date.
    page = await rosa.click(invite, button(invite, "Start"))
    assert page.modal["title"].startswith("Page 1 of 4")
    assert modal_inputs(page.modal)["dsa_member"]["type"] == 21
    saved = await rosa.submit_modal(page, PAGE1)
    assert saved.content == "Page 1 of 4 saved." and saved.ephemeral
    # Page 2 is prefilled from the race register; the candidate confirms.
    page = await rosa.click(saved.message, button(saved.message, "Next"))
    office = modal_inputs(page.modal)["office_kind"]
    assert [o["value"] for o in office["options"] if o.get("default")] == ["legislative"]
    saved = await rosa.submit_modal(
        page, {"seat": "open", "supporters": "SEIU 1199, the tenants' union."}
    )
    # Page 3: an invalid number is offered back with the reason and what was typed.
    page = await rosa.click(saved.message, button(saved.message, "Next"))
    bad = await rosa.submit_modal(page, {**PAGE3, "volunteers": "lots"})
    assert "is not a whole number" in bad.content
    fix = await rosa.click(bad.message, button(bad.message, "Fix page 3"))
    kept = modal_inputs(fix.modal)
    assert kept["volunteers"]["value"] == "lots" and kept["why_us"]["value"] == "W" * 4000
    fixed = await rosa.submit_modal(fix, {"volunteers": "120"})
    assert fixed.content == "Page 3 of 4 saved."
    # She stops here; later, Resume opens the first unanswered page: the red lines.
    page = await rosa.click(invite, button(invite, "Resume"))
    assert page.modal["title"].startswith("Page 4 of 4")
    last = await rosa.submit_modal(page, {red_line_key(page.modal): "yes"})
    review = await rosa.click(last.message, button(last.message, "Review"))
    assert "Everything is answered" in review.embed["footer"]["text"]
    done = await rosa.click(review.message, button(review.message, "Submit"))
    assert done.content.startswith("Submitted")

    # The committee's review channel: summary, criteria report, full answers attached.
    post = await report_post(chapter, "Rosa Ortiz")
    assert "job:" in post["embeds"][0]["footer"]["text"]  # posted once, by a scheduled job
    text = message_text(post)
    assert "Criteria report: Rosa Ortiz" in text and "Undecided" in text
    assert "Rooted in the chapter's internal life: committee has not assessed it" in text
    attached = post["attachments"][0]
    assert attached["filename"].endswith(".md") and ("W" * 4000).encode() in attached["data"]
    assert b"**Member since (YYYY-MM-DD)**\n\n2019-03-01" in attached["data"]
    assert (
        b"**Will you refuse money from police unions?** (red line: required answer yes)"
        in (attached["data"])
    )
    assessed = await org.slash(
        "candidate assess",
        race=RACE,
        candidate="Rosa Ortiz",
        rooted=True,
        viable=True,
        prominent=False,
        coheres_labor=False,
    )
    # A winnable district is the committee's; the win number waits for the capacity ledger.
    assessed_text = message_text(assessed.message)
    assert "Proposed: Undecided" in assessed_text
    assert "Winnable district: open seat or weak incumbent: committee's assessment: yes" in (
        assessed_text
    )
    assert "Win number within the chapter's capacity: no capacity ledger" in assessed_text

    compared = await org.slash("questionnaire compare", race=RACE)
    files = {a["filename"]: a["data"].decode() for a in compared.attachments}
    assert "| Question | Rosa Ortiz |" in files["compare-race-1.md"]
    assert "Your top three priorities" in files["compare-race-1.csv"]

    # Members read answers only once published; the race's vote announcement names them.
    vote = await create_vote(chapter, race)
    announcement = await wait_announcement(chapter, vote.id)
    assert "published answers" not in message_text(announcement)
    refused = await chapter.alice.slash("questionnaire read", race=RACE, candidate="Rosa Ortiz")
    assert "not published" in refused.content and not refused.attachments
    published = await org.slash("questionnaire publish", race=RACE, candidate="Rosa Ortiz")
    assert "members can read them now" in published.content

    def posts() -> list[dict]:
        return [m for m in chapter.votes.messages if "Questionnaire: Rosa" in message_text(m)]

    def posted_and_redrawn() -> bool:  # the publish job posts, then redraws the vote
        redrawn = message_text(chapter.fake.message(announcement["id"]))
        return len(posts()) == 1 and "Read the published answers of [**Rosa Ortiz**](" in redrawn

    await chapter.fake.wait_for(posted_and_redrawn, 5)
    # The announcement links the very post the publish job made (a Discord jump URL).
    [post] = posts()
    jump = f"https://discord.com/channels/{chapter.guild.id}/{chapter.votes.id}/{post['id']}"
    redrawn = message_text(chapter.fake.message(announcement["id"]))
    assert f"[**Rosa Ortiz**]({jump})" in redrawn
    assert "/questionnaire read" not in redrawn  # the hint is only for a post not yet out

    assert await settled_publish_job(chapter) == ("done", None)
    # The process died after the post, before its job recorded it: meanwhile the
    # announcement falls back to the command; the recovered job finds the post by its marker
    # and links that one, posting nothing more.
    async with chapter.db.transaction() as conn:
        await conn.execute(
            "UPDATE questionnaires SET post_channel_id = NULL, post_message_id = NULL"
        )
        await conn.execute(
            "UPDATE scheduled_jobs SET state = 'running' WHERE kind = 'questionnaire.publish'"
        )
    fallback = await chapter.bot.get_cog("Questionnaires").vote_links(vote)
    assert "**Rosa Ortiz** before you vote: `/questionnaire read race:" in fallback
    await chapter.restart()
    assert await settled_publish_job(chapter) == ("done", "posted before the restart")
    [row] = await chapter.db.fetchall("SELECT post_channel_id, post_message_id FROM questionnaires")
    assert (row[0], row[1]) == (int(chapter.votes.id), int(post["id"]))
    assert [p["id"] for p in posts()] == [post["id"]]
    assert f"[**Rosa Ortiz**]({jump})" in message_text(chapter.fake.message(announcement["id"]))
    read = await chapter.alice.slash("questionnaire read", race=RACE, candidate="Rosa Ortiz")
    assert b"Rent control" in read.attachments[0]["data"]
    assert "Criteria report" not in message_text(read.message)
    page = await chapter.alice.slash("race show", race=RACE)
    assert "Rosa Ortiz**: published" in message_text(page.message)


async def test_red_line_closed_dms_and_committee_entry(chapter) -> None:
    bob = chapter.bob
    bob.dms_open = False
    await race_with(chapter, "Bob Brown", "Cy Offline", members={"Bob Brown": bob})
    org = chapter.organiser
    await org.slash("questionnaire redline add", question="Rent control now?", required_answer=True)

    # Closed DMs: the committee is told, and the candidate answers in the server.
    sent = await org.slash("questionnaire send", race=RACE, candidate="Bob Brown")
    assert "does not accept DMs" in sent.content
    assert "/questionnaire answer" in message_text(chapter.review.messages[-1])
    waiting = await bob.slash("questionnaire answer")
    assert waiting.ephemeral
    page = await bob.click(waiting.message, button(waiting.message, "Start"))
    await bob.submit_modal(page, PAGE1)
    jump = await bob.click(waiting.message, button(waiting.message, "Resume"))
    assert jump.modal["title"].startswith("Page 2")

    # A candidate not on Discord: a committee member types their answers.
    entry = await org.slash("questionnaire enter", race=RACE, candidate="Cy Offline")
    page = await org.click(entry.message, button(entry.message, "Start"))
    saved = await org.submit_modal(page, {**PAGE1, "dsa_member": "no"})
    for number in (2, 3):
        page = await org.click(saved.message, button(saved.message, "Next"))
        values = {"seat": "open", "supporters": "none"} if number == 2 else PAGE3
        saved = await org.submit_modal(page, values)
    page = await org.click(saved.message, button(saved.message, "Next"))
    saved = await org.submit_modal(page, {red_line_key(page.modal): "no"})
    review = await org.click(saved.message, button(saved.message, "Review"))
    await org.click(review.message, button(review.message, "Submit"))
    post = await report_post(chapter, "Cy Offline")
    text = message_text(post)
    assert "Do not endorse: a red line is crossed" in text
    assert f"<@{org.id}> (committee)" in text
    assert f"entered by committee member <@{org.id}>".encode() in post["attachments"][0]["data"]

    # Others cannot press the candidate's buttons, and the locked answers stay locked.
    other = await chapter.alice.click(waiting.message, button(waiting.message, "Start"))
    assert "not yours" in other.content
    again = await org.click(entry.message, button(entry.message, "Start"))
    assert "submitted and locked" in again.content
    shown = await org.slash("race show", race=RACE)
    assert "Cy Offline**: Submitted; proposed: Do not endorse" in message_text(shown.message)
    reopened = await org.slash("questionnaire reopen", race=RACE, candidate="Cy Offline")
    assert "open again" in reopened.content
    again = await org.click(entry.message, button(entry.message, "Start"))
    assert again.modal["title"].startswith("Page 1 of 4")
    listed = await org.slash("questionnaire redline list")
    assert "1. Rent control now? (required: yes)" in listed.content


async def test_bad_input_is_refused_and_changes_nothing(chapter) -> None:
    rosa = chapter.guild.add_member("rosa")
    race = await race_with(chapter, "Rosa Ortiz", "Cy Offline", members={"Rosa Ortiz": rosa})
    org = chapter.organiser
    alice, rosa_only = chapter.alice, {"candidate": "Rosa Ortiz"}
    refusals = [
        (alice, "questionnaire send", rosa_only, "Electoral Committee"),
        (alice, "questionnaire publish", rosa_only, "Electoral Committee"),
        (org, "questionnaire send", {"candidate": "Rosa Ortiz", "deadline": "2020-01-01"},
         "must be in the future"),
        (org, "questionnaire send", {"candidate": "Rosa Ortiz", "deadline": "someday"},
         "A deadline is e.g."),
        (org, "questionnaire send", {"candidate": "Nobody"}, "no candidate called"),
        (org, "questionnaire send", {"candidate": "Cy Offline"}, "/questionnaire enter"),
        (org, "questionnaire publish", {"candidate": "Rosa Ortiz"}, "No questionnaire was sent"),
    ]  # fmt: skip
    for who, command, options, reason in refusals:
        reply = await who.slash(command, race=RACE, **options)
        assert reason in reply.content and reply.ephemeral, (command, options, reply.content)
    long = await org.slash("questionnaire redline add", question="x" * 150, required_answer=True)
    assert "at most 100" in long.content
    assert chapter.fake.dms_to(rosa) == []
    listed = await org.slash("questionnaire redline list")
    assert "No red lines yet" in listed.content
    shown = await org.slash("race show", race=str(race.id))
    assert "Rosa Ortiz**: Not sent" in message_text(shown.message)


async def test_an_overdue_questionnaire_is_reported_to_the_committee_once(chapter) -> None:
    rosa = chapter.guild.add_member("rosa")
    await race_with(chapter, "Rosa Ortiz", members={"Rosa Ortiz": rosa})
    org = chapter.organiser
    await org.slash("questionnaire send", race=RACE, candidate="Rosa Ortiz", deadline="in 2d")
    invite = chapter.fake.dms_to(rosa)[-1]
    page = await rosa.click(invite, button(invite, "Start"))
    await rosa.submit_modal(page, PAGE1)
    # Sent again with a later deadline: the first deadline's job says nothing.
    await org.slash("questionnaire send", race=RACE, candidate="Rosa Ortiz", deadline="in 5d")

    def overdue() -> list[dict]:
        return [m for m in chapter.review.messages if "overdue: Rosa" in message_text(m)]

    chapter.clock.advance(timedelta(days=3))
    await chapter.bot.scheduler.run_due()
    assert overdue() == []
    chapter.clock.advance(timedelta(days=3))
    await chapter.bot.scheduler.run_due()
    await chapter.bot.scheduler.run_due()
    [notice] = overdue()
    assert "8 of 15 questions answered" in message_text(notice)


async def test_a_race_beyond_capacity_is_flagged_on_send_and_in_the_report(chapter) -> None:
    """Capacity warnings go where a decision on the race is made; the report's viable path
    reads the capacity ledger."""
    rosa = chapter.guild.add_member("rosa")
    race = await race_with(chapter, "Rosa Ortiz", members={"Rosa Ortiz": rosa})
    org, guild, tz = chapter.organiser, int(chapter.guild.id), "America/New_York"
    await capacity.set_chapter(
        chapter.db, chapter.bot.scheduler, guild_id=guild, actor_id=int(org.id),
        capacity=ChapterCapacity(2, 1.0), tz=tz, now=chapter.clock(),
    )  # fmt: skip
    await capacity.set_race(
        chapter.db, guild_id=guild, race=race, actor_id=int(org.id),
        figures=RaceFigures(turnout=1_000_000), tz=tz, now=chapter.clock(),
    )  # fmt: skip
    sent = await org.slash("questionnaire send", race=RACE, candidate="Rosa Ortiz")
    assert "⚠️ Capacity: This race needs" in sent.content
    assert "doors over capacity" in sent.content
    read = await org.slash("questionnaire read", race=RACE, candidate="Rosa Ortiz")
    text = message_text(read.message)
    assert "⚠️ Capacity" in text
    assert "Win number within the chapter's capacity: capacity ledger: the race does not fit" in (
        text
    )
