"""After the win, through the loopback Discord: a race is won and its endorsed candidate
becomes an official; the committee records two positions and three votes (one against the
chapter); the Monday notice reaches the committee channel once, across a restart and a
crash after its post; `/official show` with its chart, members without the committee's
notes; the CSV export; and the re-election race's criteria report cites the record."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from PIL import Image

from bot.db import Database
from bot.domain.races import (
    BallotLine,
    CandidateDraft,
    CandidateStatus,
    OfficeKind,
    RaceDraft,
    RaceStatus,
)
from bot.services import officials as official_service
from bot.services import races as race_service
from tests.clock import ELECTION, TODAY
from tests.e2e.plans_helpers import NY, milestone, pending_reminders, reminder_posts, set_clock
from tests.fakediscord import message_text
from tests.jobs import jobs_of, wait_for_job

pytestmark = pytest.mark.asyncio
TZ = "America/New_York"
WON_ON = TODAY - timedelta(days=28)  # 2026-11-03: the election behind us
SWORN_IN = TODAY - timedelta(days=14)


def attachment(world, reply, suffix: str) -> bytes:
    entry = next(a for a in reply.attachments if a["filename"].endswith(suffix))
    return world.fake.attachments[entry["id"]]["data"]


def notices(world) -> list[dict]:
    return [
        m for m in world.review.messages
        if "Votes against the chapter's positions" in message_text(m)
    ]  # fmt: skip


async def notice_jobs(world):
    return await jobs_of(world.db, int(world.guild.id), official_service.NOTICE_JOB)


async def won_race(world):
    """A council race the chapter endorsed Ada Ruiz in, added a year ago, decided last month."""
    guild, actor = int(world.guild.id), int(world.organiser.id)
    race = await race_service.add_race(
        world.db, guild_id=guild, actor_id=actor,
        draft=RaceDraft("City Council D3", OfficeKind.LEGISLATIVE, BallotLine.GENERAL, WON_ON,
                        status=RaceStatus.ENDORSED),
        now=world.clock() - timedelta(days=365), tz=TZ,
    )  # fmt: skip
    for name, status in (("Ada Ruiz", CandidateStatus.ENDORSED), ("Bo Chen", None)):
        await race_service.add_candidate(
            world.db, guild_id=guild, race_id=race.id, actor_id=actor,
            draft=CandidateDraft(name, status=status or CandidateStatus.NOT_ENDORSED),
            now=world.clock(),
        )  # fmt: skip
    return race


async def refused(reply, words: str) -> None:
    assert reply.ephemeral and words in reply.text, reply.text


async def count(world, table: str) -> int:
    row = await world.db.fetchone(f"SELECT count(*) AS n FROM {table}")  # noqa: S608
    return row["n"]


async def test_after_the_win_the_record_reaches_the_committee_and_the_re_election(chapter):
    world = chapter
    org = world.organiser
    race = await won_race(world)

    # 1. The race is won; its endorsed candidate becomes an official.
    await refused(await world.alice.slash("race result", race=str(race.id), outcome="won"),
                  "Electoral Committee")  # fmt: skip
    result = await org.slash(
        "race result", race=str(race.id), outcome="won", term_start=SWORN_IN.isoformat()
    )
    assert result.ephemeral and "**Ada Ruiz** is now an official" in result.text, result.text
    assert (await race_service.get_race(world.db, race.guild_id, race.id)).status is RaceStatus.WON
    [ada] = await official_service.list_officials(world.db, race.guild_id)
    assert (ada.name, ada.office, ada.term_start) == ("Ada Ruiz", race.label, SWORN_IN)
    again = await org.slash("race result", race=str(race.id), outcome="won")
    await refused(again, "Ada Ruiz is already an official")
    await refused(await org.slash("official add", name="Cy Dee", office="  ",
                                  term_start=SWORN_IN.isoformat()), "needs an office")  # fmt: skip
    bo = await org.slash("official add", name="Bo Chen", office="City Council D5",
                         term_start=SWORN_IN.isoformat(), sio_status="attends")  # fmt: skip
    assert "Added **Bo Chen**, City Council D5" in bo.text, bo.text

    # 2. Two positions.
    rent = await org.slash(
        "position add", title="Rent stabilization ordinance", stance="support",
        decided_by="GBM 2026-10-14", link="https://council.example/rent",
    )  # fmt: skip
    assert "Position recorded" in rent.text and "GBM 2026-10-14" in rent.text, rent.text
    police = await org.slash("position add", title="Police budget increase", stance="oppose")
    assert "The chapter opposes it" in police.text
    await refused(await org.slash("position add", title="police BUDGET increase",
                                  stance="support"), "already has a position")  # fmt: skip

    # 3. Three votes, one against the chapter; bad ones refused, nothing stored.
    day = (SWORN_IN + timedelta(days=3)).isoformat()
    votes = [
        ("Ada Ruiz", "Rent stabilization ordinance", "with", ""),
        ("Ada Ruiz", "Police budget increase", "against", "said the whip threatened her seat"),
        ("Bo Chen", "Rent stabilization ordinance", "with", ""),
    ]
    for who, what, cast, note in votes:
        reply = await org.slash("official vote", official=who, position=what, vote=cast, date=day,
                                note=note)  # fmt: skip
        assert reply.ephemeral and "Recorded" in reply.text, reply.text
        assert ("hears of it on Monday" in reply.text) == (cast == "against"), reply.text
    for options, words in (
        ({"position": "Zoning reform"}, "no position titled “Zoning reform”"),
        ({"date": (SWORN_IN - timedelta(days=1)).isoformat()}, "took office on"),
        ({"vote": "against"}, "vote on “Rent stabilization ordinance” is already recorded"),
    ):
        bad = {"official": "Ada Ruiz", "position": "Rent stabilization ordinance",
               "vote": "with", "date": day} | options  # fmt: skip
        await refused(await org.slash("official vote", **bad), words)
    await refused(await world.alice.slash("official vote", official="Ada Ruiz",
                  position="Police budget increase", vote="with", date=day),
                  "Electoral Committee")  # fmt: skip
    assert await count(world, "office_votes") == 3
    suggested = await org.autocomplete("official vote", "position", "police")
    assert [c["name"] for c in suggested] == ["Police budget increase"]
    assert await world.alice.autocomplete("official vote", "official", "ada") == []  # committee's
    [ada_choice] = await world.alice.autocomplete("official show", "official", "ada")
    assert ada_choice == {"name": f"Ada Ruiz, {race.label}", "value": str(ada.id)}
    meeting = await org.slash("sio meeting", date=(SWORN_IN + timedelta(days=5)).isoformat(),
                              attended="Ada Ruiz, Bo Chen")  # fmt: skip
    assert "Ada Ruiz, Bo Chen attended" in meeting.text, meeting.text

    # 4. The Monday notice, exactly once across a restart and a crash after its post.
    [job] = await notice_jobs(world)
    world.clock.advance(job.due_at - world.clock() + timedelta(seconds=5))
    assert (await wait_for_job(world.db, job.id, nudge=world.bot.scheduler.run_due)).state == "done"
    [notice] = notices(world)
    text = message_text(notice)
    assert "**Ada Ruiz, City Council D3" in text and "“Police budget increase”" in text
    assert "said the whip threatened her seat" in text  # the committee's channel: notes shown
    assert "Rent stabilization" not in text and "Bo Chen" not in text
    assert text.endswith(job.marker)
    await world.restart()
    await world.bot.scheduler.run_due()
    await world.stop()
    db = await Database.open(world.db_path)  # what a kill between post and bookkeeping leaves
    try:
        async with db.transaction() as conn:
            await conn.execute("UPDATE scheduled_jobs SET state = 'running' WHERE id = ?",
                               (job.id,))  # fmt: skip
    finally:
        await db.close()
    await world.start()
    assert (await wait_for_job(world.db, job.id, nudge=world.bot.scheduler.run_due)).state == "done"
    assert len(notices(world)) == 1
    [following] = [j for j in await notice_jobs(world) if j.state == "pending"]
    world.clock.advance(following.due_at - world.clock() + timedelta(seconds=5))
    await wait_for_job(world.db, following.id, nudge=world.bot.scheduler.run_due)
    assert len(notices(world)) == 1  # nothing new against the chapter: nothing said

    # 5. /official show and its chart: members see the record, not the committee's notes.
    shown = await world.alice.slash("official show", official="Ada Ruiz")
    assert shown.ephemeral and shown.embed["image"]["url"] == "attachment://record.png"
    text = message_text(shown.message)
    assert "1 with the chapter, 1 against; attended 1 of 1 SIO meetings" in text, text
    assert "Broke with the chapter on" in text and "Police budget increase" in text
    assert "whip" not in text
    png = Image.open(io.BytesIO(attachment(world, shown, "record.png")))
    assert png.format == "PNG" and png.width <= 1200
    committee_view = await org.slash("official show", official="Ada Ruiz")
    assert "said the whip threatened her seat" in message_text(committee_view.message)
    await refused(await world.outsider.slash("official show", official="Ada Ruiz"),
                  "role can see")  # fmt: skip
    exported = await org.slash("official export")
    raw = attachment(world, exported, "officials.csv")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["official"], r["position"], r["vote"]) for r in rows] == [
        ("Ada Ruiz", "Rent stabilization ordinance", "with"),
        ("Ada Ruiz", "Police budget increase", "against"),
        ("Bo Chen", "Rent stabilization ordinance", "with"),
    ]
    # 6. Ada runs again: her race's page and the criteria report cite the record.
    rerun = await race_service.add_race(
        world.db, guild_id=race.guild_id, actor_id=int(org.id),
        draft=RaceDraft("City Council D3", OfficeKind.LEGISLATIVE, BallotLine.GENERAL,
                        ELECTION + timedelta(days=365 * 3)),
        now=world.clock(), tz=TZ,
    )  # fmt: skip
    await race_service.add_candidate(
        world.db, guild_id=race.guild_id, race_id=rerun.id, actor_id=int(org.id),
        draft=CandidateDraft("Ada Ruiz", incumbent=True, previously_endorsed=True),
        now=world.clock(),
    )  # fmt: skip
    page = await world.alice.slash("race show", race=str(rerun.id))
    section = next(f for f in page.embed["fields"] if f["name"] == "Record in office")
    assert section["value"].startswith("**Ada Ruiz**: 1 with the chapter, 1 against")
    report = await org.slash("candidate assess", race=str(rerun.id), candidate="Ada Ruiz",
                             rooted=True)  # fmt: skip
    text = message_text(report.message)
    assert (
        "Worked with the chapter in office: record in office: 1 with the chapter, 1 against; "
        "attended 1 of 1 SIO meetings; SIO: joined"
    ) in text, text
    assert "Proposed: Incumbent re-endorsement" in text
    await refused(await org.slash("candidate assess", race=str(rerun.id), candidate="Ada Ruiz",
                                  worked_with_chapter=False), "fill in `reason`")  # fmt: skip
    overridden = await org.slash(
        "candidate assess",
        race=str(rerun.id),
        candidate="Ada Ruiz",
        worked_with_chapter=False,
        reason="broke on the police budget after the SIO asked her not to",
    )
    text = message_text(overridden.message)
    assert (
        "committee's assessment: no (broke on the police budget after the SIO asked her not "
        "to); record in office: 1 with the chapter, 1 against"
    ) in text, text

    # 7. The re-election's plan starts from the record: its reminders carry it.
    made = await org.slash("plan create", race=str(rerun.id))
    assert made.ephemeral and made.embed, made.text
    on = world.clock().astimezone(NY).date() + timedelta(days=10)
    added = await org.slash("plan milestone add", race=str(rerun.id), name="Labor council vote",
                            on=on.isoformat())  # fmt: skip
    assert "Added" in added.text, added.text
    council = await milestone(world, rerun, "Labor council vote")
    due = min(await pending_reminders(world, council.id), key=lambda j: j.due_at)
    set_clock(world, due.due_at + timedelta(seconds=5))
    await wait_for_job(world.db, due.id, nudge=world.bot.scheduler.run_due)
    [reminder] = reminder_posts(world, due.marker)
    assert "Record in office: **Ada Ruiz**: 1 with the chapter, 1 against" in reminder["content"]


async def test_a_monday_the_bot_missed_is_told_the_next_monday(chapter):
    world = chapter
    org = world.organiser
    added = await org.slash("official add", name="Bo Chen", office="City Council D5",
                            term_start=SWORN_IN.isoformat())  # fmt: skip
    assert "Added **Bo Chen**" in added.text, added.text
    edited = await org.slash("official edit", official="Bo Chen", sio_status="left")
    assert "**Bo Chen**: Left the SIO; term " in edited.text, edited.text
    await refused(await org.slash("official edit", official="Bo Chen",
                                  term_end=(SWORN_IN - timedelta(days=1)).isoformat()),
                  "before it starts")  # fmt: skip
    await org.slash("position add", title="Police budget increase", stance="oppose")
    voted = await org.slash("official vote", official="Bo Chen", position="Police budget increase",
                            vote="against", date=SWORN_IN.isoformat())  # fmt: skip
    assert "hears of it on Monday" in voted.text, voted.text
    [missed] = await notice_jobs(world)
    await world.stop()
    world.clock.advance(missed.due_at - world.clock() + timedelta(days=7, hours=1))
    await world.start()  # down all week: this Monday's notice is too late to be news
    assert (await wait_for_job(world.db, missed.id, nudge=world.bot.scheduler.run_due)).state == (
        "missed"
    )
    assert notices(world) == []
    [following] = [j for j in await notice_jobs(world) if j.state == "pending"]
    assert following.due_at - missed.due_at == timedelta(days=14)
    world.clock.advance(following.due_at - world.clock() + timedelta(seconds=5))
    await wait_for_job(world.db, following.id, nudge=world.bot.scheduler.run_due)
    [notice] = notices(world)
    assert "**Bo Chen, City Council D5** voted against the chapter" in message_text(notice)
