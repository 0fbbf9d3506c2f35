"""Questionnaires on a real SQLite file: versions, pages stored as typed, submit and the
committee's moves, red lines, the assessment and the criteria report."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from bot.db import Database
from bot.domain.classify import Category
from bot.domain.errors import InputError
from bot.domain.questionnaire_sheet import Reach, SheetStatus
from bot.domain.races import BallotLine, CandidateDraft, CandidateStatus, OfficeKind, RaceDraft
from bot.scheduler import Scheduler
from bot.services import questionnaire_posts as posts
from bot.services import questionnaires as service
from bot.services import races as races
from bot.services import red_lines
from bot.store import jobs
from bot.store import questionnaires as store
from tests.clock import ELECTION, T0

NOW = T0  # the conftest's `now`
GUILD, COMMITTEE, CANDIDATE = 1001, 77, 500
pytestmark = pytest.mark.asyncio

PAGE1 = {
    "dsa_member": "yes",
    "dsa_member_since": "2019-03-01",
    "identifies_socialist": "yes",
    "seeks_endorsement": "yes",
    "join_sio": "yes",
}


async def race_and_candidate(db: Database):
    race = await races.add_race(
        db,
        guild_id=GUILD,
        actor_id=COMMITTEE,
        now=NOW,
        tz="UTC",
        draft=RaceDraft(
            office="Council District 3",
            office_kind=OfficeKind.LEGISLATIVE,
            ballot_line=BallotLine.NONPARTISAN,
            general_date=ELECTION,
        ),
    )
    candidate = await races.add_candidate(
        db,
        guild_id=GUILD,
        race_id=race.id,
        actor_id=COMMITTEE,
        now=NOW,
        draft=CandidateDraft(name="Rosa Ortiz", member_id=CANDIDATE),
    )
    return race, candidate


async def sent(db: Database, scheduler: Scheduler):
    race, candidate = await race_and_candidate(db)
    await red_lines.add(
        db,
        guild_id=GUILD,
        question="Will you refuse police union money?",
        required=True,
        actor_id=COMMITTEE,
        now=NOW,
    )
    filled = await service.send(
        db,
        scheduler,
        race=race,
        candidate=candidate,
        respondent_id=CANDIDATE,
        reach=Reach.DM,
        deadline=NOW + timedelta(days=14),
        actor_id=COMMITTEE,
        now=NOW,
    )
    return race, candidate, filled


async def test_send_prefills_from_the_register_and_moves_the_candidate(
    db: Database, scheduler: Scheduler
) -> None:
    race, candidate, filled = await sent(db, scheduler)
    assert filled.value("office_kind") == "legislative"
    assert filled.value("ballot_line") == "nonpartisan"
    assert len(filled.form.pages) == 4 and filled.form.pages[-1][0].red_line == "yes"
    after = await races.get_candidate(db, GUILD, candidate.id)
    assert after.status is CandidateStatus.QUESTIONNAIRE_SENT


async def test_a_page_is_stored_as_typed_even_when_invalid(
    db: Database, scheduler: Scheduler
) -> None:
    _, _, filled = await sent(db, scheduler)
    problems = await service.save_page(
        db,
        sheet_id=filled.sheet.id,
        user_id=CANDIDATE,
        page=1,
        typed={**PAGE1, "dsa_member_since": "spring 2019"},
        now=NOW,
    )
    assert problems and "YYYY-MM-DD" in problems[0]
    again = await service.filled(db, GUILD, filled.sheet.id)
    assert again.answers["dsa_member_since"].value == "spring 2019"
    assert not again.answers["dsa_member_since"].valid
    assert again.answers["dsa_member"].valid


async def test_only_the_respondent_may_fill_and_submit_locks(
    db: Database, scheduler: Scheduler
) -> None:
    _, candidate, filled = await sent(db, scheduler)
    with pytest.raises(service.NotYours):
        await service.save_page(
            db, sheet_id=filled.sheet.id, user_id=999, page=1, typed=PAGE1, now=NOW
        )
    with pytest.raises(service.Incomplete):
        await service.submit(db, scheduler, sheet_id=filled.sheet.id, user_id=CANDIDATE, now=NOW)
    for page in filled.form.pages:
        typed = {
            q.key: q.option_list[0].value
            if q.option_list
            else "7"
            if q.kind == "number"
            else "2020-01-01"
            if q.kind == "date"
            else "text"
            for q in page
        }
        assert (
            await service.save_page(
                db,
                sheet_id=filled.sheet.id,
                user_id=CANDIDATE,
                page=filled.page_of(page[0].key),
                typed=typed,
                now=NOW,
            )
            == []
        )
    done = await service.submit(db, scheduler, sheet_id=filled.sheet.id, user_id=CANDIDATE, now=NOW)
    assert done.sheet.status is SheetStatus.SUBMITTED
    # The committee's report, written with the submit, beside the deadline's job.
    [job] = [j for j in await jobs.unfinished(db) if j.kind == service.REPORT_JOB]
    assert job.kind == service.REPORT_JOB and job.payload == {"sheet_id": filled.sheet.id}
    with pytest.raises(service.SheetLocked):
        await service.save_page(
            db, sheet_id=filled.sheet.id, user_id=CANDIDATE, page=1, typed=PAGE1, now=NOW
        )
    reopened = await service.reopen(
        db, guild_id=GUILD, candidate=candidate, actor_id=COMMITTEE, now=NOW
    )
    assert reopened.sheet.status is SheetStatus.OPEN


async def test_the_published_post_is_kept_only_while_published(
    db: Database, scheduler: Scheduler
) -> None:
    """Where the publish job posted, for the vote announcement's link (migration 0009)."""
    _, candidate, filled = await sent(db, scheduler)
    sheet_id = filled.sheet.id
    assert not await posts.record_post(
        db, guild_id=GUILD, sheet_id=sheet_id, channel_id=5, message_id=6
    )
    async with db.transaction() as conn:
        await store.set_status(
            conn, GUILD, sheet_id, SheetStatus.PUBLISHED, actor_id=COMMITTEE, now=NOW
        )
    # Published, the post not out yet: no link (the announcement points to the command).
    assert posts.published_post((await service.filled(db, GUILD, sheet_id)).sheet) is None
    assert await posts.record_post(
        db, guild_id=GUILD, sheet_id=sheet_id, channel_id=5, message_id=6
    )
    assert posts.published_post((await service.filled(db, GUILD, sheet_id)).sheet) == (5, 6)
    # Reopened, the answers may change: the old post is no longer what members should read.
    reopened = await service.reopen(
        db, guild_id=GUILD, candidate=candidate, actor_id=COMMITTEE, now=NOW
    )
    assert posts.published_post(reopened.sheet) is None
    assert reopened.sheet.post_message_id is None


async def test_a_changed_template_is_a_new_version_and_old_answers_keep_theirs(
    db: Database, monkeypatch: pytest.MonkeyPatch, scheduler: Scheduler
) -> None:
    _, _, first = await sent(db, scheduler)
    changed = service.default_template_text().replace(
        "Your fundraising plan", "How will you raise money?"
    )
    monkeypatch.setattr(service, "default_template_text", lambda: changed)
    race2 = await races.add_race(
        db,
        guild_id=GUILD,
        actor_id=COMMITTEE,
        now=NOW,
        tz="UTC",
        draft=RaceDraft(
            office="Mayor",
            office_kind=OfficeKind.EXECUTIVE,
            ballot_line=BallotLine.NONPARTISAN,
            general_date=ELECTION,
        ),
    )
    candidate2 = await races.add_candidate(
        db,
        guild_id=GUILD,
        race_id=race2.id,
        actor_id=COMMITTEE,
        now=NOW,
        draft=CandidateDraft(name="Ana"),
    )
    second = await service.send(
        db,
        scheduler,
        race=race2,
        candidate=candidate2,
        respondent_id=COMMITTEE,
        reach=Reach.COMMITTEE,
        deadline=None,
        actor_id=COMMITTEE,
        now=NOW,
    )
    assert (first.sheet.template_version, second.sheet.template_version) == (1, 2)
    again = await service.filled(db, GUILD, first.sheet.id)
    assert again.form.question("fundraising").label == "Your fundraising plan"  # type: ignore[union-attr]


async def test_red_lines_and_assessment_drive_the_report(
    db: Database, scheduler: Scheduler
) -> None:
    race, candidate, filled = await sent(db, scheduler)
    red = filled.form.pages[-1][0]
    await service.save_page(
        db,
        sheet_id=filled.sheet.id,
        user_id=CANDIDATE,
        page=len(filled.form.pages),
        typed={red.key: "no"},
        now=NOW,
    )
    report = await service.report(db, race=race, candidate=candidate, now=NOW)
    assert report.category is Category.DO_NOT_ENDORSE
    await service.assess(
        db,
        guild_id=GUILD,
        candidate=candidate,
        changes={"rooted": True},
        actor_id=COMMITTEE,
        now=NOW,
    )
    assert (await store.assessment(db, GUILD, candidate.id)).rooted is True
    assert (await service.proposals_for_race(db, race, now=NOW)) == {
        candidate.id: Category.DO_NOT_ENDORSE
    }


async def test_red_line_limits_and_removal(db: Database) -> None:
    with pytest.raises(InputError, match="at most 100"):
        await red_lines.add(
            db, guild_id=GUILD, question="x" * 101, required=True, actor_id=1, now=NOW
        )
    line = await red_lines.add(
        db, guild_id=GUILD, question="Rent control?", required=True, actor_id=1, now=NOW
    )
    await red_lines.remove(db, guild_id=GUILD, line_id=line.id, actor_id=1, now=NOW)
    assert await red_lines.current(db, GUILD) == []


async def test_a_candidate_with_a_questionnaire_cannot_vanish(
    db: Database, scheduler: Scheduler
) -> None:
    _, candidate, _ = await sent(db, scheduler)
    async with db.transaction() as conn:
        with pytest.raises(sqlite3.IntegrityError):
            await conn.execute("DELETE FROM candidates WHERE id = ?", (candidate.id,))


async def test_viable_path_reads_the_capacity_ledger(db: Database, scheduler: Scheduler) -> None:
    """Cadre: "a win number low enough that the chapter can plausibly directly contact
    enough voters to win": unknown until the chapter entered capacity and the race's
    figures, then the ledger's verdict."""
    from bot.domain.capacity import ChapterCapacity, RaceFigures
    from bot.domain.chapters import ChapterConfig
    from bot.domain.classify import Status
    from bot.services import capacity, chapters

    config = ChapterConfig(GUILD, (5,), 6, None, 10, 11, 12, 13, "UTC", NOW, COMMITTEE)
    await chapters.configure(db, config, now=NOW)
    race, candidate = await race_and_candidate(db)
    within = "Win number within the chapter's capacity"
    before = await service.report(db, race=race, candidate=candidate, now=NOW)
    [unknown] = [c for c in before.checks[0].criteria if c.label == within]
    assert unknown.status is Status.UNKNOWN and "/capacity race" in unknown.source
    await capacity.set_chapter(
        db,
        scheduler,
        guild_id=GUILD,
        actor_id=COMMITTEE,
        capacity=ChapterCapacity(2, 1.0),
        tz="UTC",
        now=NOW,
    )
    await capacity.set_race(
        db,
        guild_id=GUILD,
        race=race,
        actor_id=COMMITTEE,
        figures=RaceFigures(turnout=1_000_000),
        tz="UTC",
        now=NOW,
    )
    after = await service.report(db, race=race, candidate=candidate, now=NOW)
    [fit] = [c for c in after.checks[0].criteria if c.label == within]
    assert fit.status is Status.NOT_MET and "capacity ledger" in fit.source


async def test_a_red_line_adopted_later_reaches_an_open_questionnaire(
    db: Database, scheduler: Scheduler
) -> None:
    """ "should not cross any of the organization's red lines at the time of their campaign"
    (seed): a red line adopted after the send is added to the open questionnaire's form."""
    race, candidate, filled = await sent(db, scheduler)
    assert len(filled.sheet.red_lines) == 1
    later = await red_lines.add(
        db, guild_id=GUILD, question="Rent control?", required=True, actor_id=1, now=NOW
    )
    again = await service.filled(db, GUILD, filled.sheet.id)
    assert [line.id for line in again.sheet.red_lines] == [filled.sheet.red_lines[0].id, later.id]
    assert [line.added_later for line in again.sheet.red_lines] == [False, True]
    assert any(q.key == later.key for q in again.form.pages[-1])
    assert "Rent control?" in again.missing()
