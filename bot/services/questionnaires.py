"""Candidate questionnaires: send, answer page by page, submit, reopen, publish; red lines;
the committee's assessment; the criteria report.

Every page is committed before the bot answers the candidate (write before you acknowledge).
Answers are stored as typed, with a validity flag, so an invalid page is offered back with
what the candidate wrote. Committee actions are in the audit log under `race:{id}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import datetime
from typing import Literal

import aiosqlite

from bot.db import Database
from bot.domain.classify import Assessment, Category, CriteriaReport, classify
from bot.domain.hygiene import trim
from bot.domain.officials import worked_with_chapter
from bot.domain.questionnaire import (
    AnswerError,
    RedLine,
    Template,
    check_answer,
    default_template_text,
    load_template,
    prefilled,
    with_red_lines,
)
from bot.domain.questionnaire_sheet import Filled, Reach, Sheet, SheetStatus
from bot.domain.races import Candidate, CandidateStatus, Race
from bot.errors import InvalidInput, NotFound
from bot.scheduler import Scheduler
from bot.services import candidate_facts, capacity, officials
from bot.services.questionnaire_errors import CandidateGone, Incomplete, NotYours, SheetLocked
from bot.store import audit
from bot.store import questionnaires as store
from bot.store import races as race_store

# Posts a submitted questionnaire's report to the committee's review channel.
REPORT_JOB = "questionnaire.report"
# Posts a published questionnaire's answers to the votes channel.
PUBLISH_JOB = "questionnaire.publish"
# Tells the committee when a questionnaire's deadline passed without a submit.
DEADLINE_JOB = "questionnaire.deadline"


def _subject(race_id: int) -> str:
    return f"race:{race_id}"


# ----------------------------------------------------------------------------- templates


async def _template_id(conn: aiosqlite.Connection, guild_id: int, now: datetime) -> int:
    """The chapter's current template version: the shipped default, stored as a new version
    whenever its text changed, so earlier answers keep the version they answered."""
    text = default_template_text()
    latest = await store.latest_template(conn, guild_id)
    if latest is not None and latest[2] == text:
        return latest[0]
    version = 1 if latest is None else latest[1] + 1
    return await store.insert_template(
        conn, guild_id=guild_id, version=version, source=text, now=now
    )


def _form(source: str, lines: tuple[RedLine, ...]) -> Template:
    return with_red_lines(load_template(source), lines)


# ----------------------------------------------------------------------------- sending


async def send(
    db: Database,
    scheduler: Scheduler,
    *,
    race: Race,
    candidate: Candidate,
    respondent_id: int,
    reach: Reach,
    deadline: datetime | None,
    actor_id: int,
    now: datetime,
) -> Filled:
    """Open (or re-send) the candidate's questionnaire with the current template and red
    lines, prefilled from the race register; the candidate's status becomes
    `questionnaire_sent`. A submitted questionnaire must be reopened first. A deadline is a
    job (`DEADLINE_JOB`) that tells the committee if it passes before the submit."""
    if deadline is not None and deadline <= now:
        raise InvalidInput("The deadline must be in the future.")
    async with db.transaction() as conn:
        if await race_store.get_candidate(conn, race.guild_id, candidate.id) is None:
            raise CandidateGone(candidate)
        current = await store.sheet_for_candidate(conn, race.guild_id, candidate.id)
        if current is not None and current.status is not SheetStatus.OPEN:
            raise SheetLocked(current.status)
        template_id = await _template_id(conn, race.guild_id, now)
        lines = tuple(await store.red_lines(conn, race.guild_id))
        draft = Sheet(
            id=0,
            guild_id=race.guild_id,
            race_id=race.id,
            candidate_id=candidate.id,
            template_id=template_id,
            template_version=0,
            red_lines=lines,
            respondent_id=respondent_id,
            reached_via=reach,
            deadline=deadline,
            status=SheetStatus.OPEN,
            sent_by=actor_id,
            sent_at=now,
            submitted_at=None,
            submitted_by=None,
            published_at=None,
        )
        sheet_id = await store.upsert_sheet(conn, draft)
        if current is None:
            await _prefill(conn, sheet_id, template_id, race, candidate, actor_id, now)
        await _move_candidate(conn, candidate, CandidateStatus.QUESTIONNAIRE_SENT, now)
        if current is not None and current.deadline_job_id is not None:
            # Sent again: the old deadline no longer holds (False if it already ran).
            await scheduler.cancel(current.deadline_job_id, reason="sent again", conn=conn)
        if deadline is not None:
            job_id = await scheduler.schedule(
                conn,
                guild_id=race.guild_id,
                kind=DEADLINE_JOB,
                due_at=deadline,
                payload={"sheet_id": sheet_id},
            )
            await store.set_job(conn, race.guild_id, sheet_id, "deadline", job_id)
        await audit.record(
            conn,
            guild_id=race.guild_id,
            actor_id=actor_id,
            action="questionnaire.send",
            subject=_subject(race.id),
            detail=f"{candidate.name} ({reach.value})",
            at=now,
        )
    return await filled(db, race.guild_id, sheet_id)


async def _prefill(
    conn: aiosqlite.Connection,
    sheet_id: int,
    template_id: int,
    race: Race,
    candidate: Candidate,
    actor_id: int,
    now: datetime,
) -> None:
    source = await store.template_source(conn, race.guild_id, template_id)
    values = prefilled(
        load_template(source),
        office_kind=race.office_kind.value,
        ballot_line=race.ballot_line.value,
        incumbent=candidate.incumbent,
        previously_endorsed=candidate.previously_endorsed,
    )
    await store.save_answers(
        conn,
        race.guild_id,
        sheet_id,
        {k: (v, True) for k, v in values.items()},
        entered_by=actor_id,
        now=now,
    )


async def _move_candidate(
    conn: aiosqlite.Connection, candidate: Candidate, status: CandidateStatus, now: datetime
) -> None:
    """Only the status: `candidate` may be stale, and an edit made meanwhile must stay."""
    moved = await race_store.set_candidate_status(
        conn, guild_id=candidate.guild_id, candidate_id=candidate.id, status=status, now=now
    )
    if not moved:
        raise CandidateGone(candidate)


async def set_reach(db: Database, guild_id: int, sheet_id: int, reach: Reach) -> None:
    """Record how the candidate was finally reached (a DM refused falls back to the server)."""
    async with db.transaction() as conn:
        await store.set_reach(conn, guild_id, sheet_id, reach)


# ----------------------------------------------------------------------------- reading


async def filled(db: Database, guild_id: int, sheet_id: int) -> Filled:
    """The chapter's questionnaire, its form as sent and its answers; `NotFound` if it is
    gone (or belongs to another chapter)."""
    sheet = await store.get_sheet(db, guild_id, sheet_id)
    if sheet is None:
        raise NotFound("This questionnaire no longer exists.")
    return await _filled(db, sheet)


async def for_respondent(db: Database, sheet_id: int, user_id: int) -> Filled:
    """The questionnaire `user_id` fills, from a candidate's button or modal: found by its id
    alone, since one clicked in a DM carries no chapter, so who fills it is the check
    (`NotYours` for anyone else)."""
    sheet = await store.sheet_by_id(db, sheet_id)
    if sheet is None:
        raise NotFound("This questionnaire no longer exists.")
    if sheet.respondent_id != user_id:
        raise NotYours()
    return await _filled(db, sheet)


async def _filled(db: Database, sheet: Sheet) -> Filled:
    source = await store.template_source(db, sheet.guild_id, sheet.template_id)
    answers = await store.answers(db, sheet.guild_id, sheet.id)
    return Filled(sheet, _form(source, sheet.red_lines), answers)


async def for_candidate(db: Database, guild_id: int, candidate_id: int) -> Filled | None:
    sheet = await store.sheet_for_candidate(db, guild_id, candidate_id)
    return None if sheet is None else await _filled(db, sheet)


async def for_race(db: Database, guild_id: int, race_id: int) -> list[Filled]:
    """Every questionnaire sent for the race, in the order the candidates were added."""
    return [await _filled(db, s) for s in await store.sheets_for_race(db, guild_id, race_id)]


async def answered_by(db: Database, guild_id: int, user_id: int) -> list[Sheet]:
    """The questionnaires this user is the one to fill in (candidates with closed DMs)."""
    return await store.sheets_answered_by(db, guild_id, user_id)


def check_can_fill(sheet: Sheet, user_id: int) -> None:
    """Refused unless `user_id` may fill the questionnaire and it is still open."""
    if sheet.respondent_id != user_id:
        raise NotYours()
    if sheet.status is not SheetStatus.OPEN:
        raise SheetLocked(sheet.status)


# ----------------------------------------------------------------------------- answering


async def save_page(
    db: Database,
    *,
    sheet_id: int,
    user_id: int,
    page: int,
    typed: Mapping[str, str | None],
    now: datetime,
) -> list[str]:
    """Store one page as typed (committed before the caller answers) and return the reason
    for each invalid answer; an empty list means the page is complete."""
    async with db.transaction() as conn:
        # By id alone (a DM has no chapter): the respondent check below is the guard.
        sheet = await store.sheet_by_id(conn, sheet_id)
        if sheet is None:
            raise NotFound("This questionnaire no longer exists.")
        check_can_fill(sheet, user_id)
        source = await store.template_source(conn, sheet.guild_id, sheet.template_id)
        form = _form(source, sheet.red_lines)
        if not 1 <= page <= len(form.pages):
            raise InvalidInput("That page does not exist.")
        values: dict[str, tuple[str | None, bool]] = {}
        problems: list[str] = []
        for question in form.pages[page - 1]:
            raw = typed.get(question.key)
            try:
                values[question.key] = (check_answer(question, raw), True)
            except AnswerError as exc:
                problems.append(str(exc))
                values[question.key] = (trim(raw) or None, False)
        await store.save_answers(
            conn, sheet.guild_id, sheet_id, values, entered_by=user_id, now=now
        )
    return problems


async def submit(
    db: Database, scheduler: Scheduler, *, sheet_id: int, user_id: int, now: datetime
) -> Filled:
    """Lock the answers; refused with `Incomplete` while a required answer is missing. The
    committee's report is a job (`REPORT_JOB`) written in the same transaction, so a crash
    after the candidate is told "submitted" still posts it, once."""
    current = await for_respondent(db, sheet_id, user_id)
    check_can_fill(current.sheet, user_id)
    missing = current.missing()
    if missing:
        raise Incomplete(missing)
    async with db.transaction() as conn:
        sheet = await store.get_sheet(conn, current.sheet.guild_id, sheet_id)
        assert sheet is not None
        check_can_fill(sheet, user_id)
        await store.set_status(
            conn, sheet.guild_id, sheet_id, SheetStatus.SUBMITTED, actor_id=user_id, now=now
        )
        candidate = await race_store.get_candidate(conn, sheet.guild_id, sheet.candidate_id)
        assert candidate is not None
        await _move_candidate(conn, candidate, CandidateStatus.SUBMITTED, now)
        job_id = await scheduler.schedule(
            conn,
            guild_id=sheet.guild_id,
            kind=REPORT_JOB,
            due_at=now,
            payload={"sheet_id": sheet_id},
        )
        await store.set_job(conn, sheet.guild_id, sheet_id, "report", job_id)
        await audit.record(
            conn,
            guild_id=sheet.guild_id,
            actor_id=user_id,
            action="questionnaire.submit",
            subject=_subject(sheet.race_id),
            detail=candidate.name,
            at=now,
        )
    return await filled(db, sheet.guild_id, sheet_id)


async def _committee_move(
    db: Database,
    *,
    guild_id: int,
    candidate: Candidate,
    actor_id: int,
    now: datetime,
    to: SheetStatus,
    allowed: tuple[SheetStatus, ...],
    refusal: str,
    post: tuple[Scheduler, str, Literal["publish"]] | None = None,
) -> Filled:
    async with db.transaction() as conn:
        sheet = await store.sheet_for_candidate(conn, guild_id, candidate.id)
        if sheet is None:
            raise NotFound(f"No questionnaire was sent to **{candidate.name}**.")
        if sheet.status not in allowed:
            raise InvalidInput(refusal)
        await store.set_status(conn, guild_id, sheet.id, to, actor_id=actor_id, now=now)
        if post is not None:
            scheduler, kind, which = post
            job_id = await scheduler.schedule(
                conn, guild_id=guild_id, kind=kind, due_at=now, payload={"sheet_id": sheet.id}
            )
            await store.set_job(conn, guild_id, sheet.id, which, job_id)
        await audit.record(
            conn,
            guild_id=guild_id,
            actor_id=actor_id,
            action=f"questionnaire.{to.value}",
            subject=_subject(sheet.race_id),
            detail=candidate.name,
            at=now,
        )
    return await filled(db, guild_id, sheet.id)


async def reopen(
    db: Database, *, guild_id: int, candidate: Candidate, actor_id: int, now: datetime
) -> Filled:
    """Unlock a submitted (or published) questionnaire so its answers can change."""
    return await _committee_move(
        db,
        guild_id=guild_id,
        candidate=candidate,
        actor_id=actor_id,
        now=now,
        to=SheetStatus.OPEN,
        allowed=(SheetStatus.SUBMITTED, SheetStatus.PUBLISHED),
        refusal="It is not submitted: there is nothing to reopen.",
    )


async def publish(
    db: Database,
    scheduler: Scheduler,
    *,
    guild_id: int,
    candidate: Candidate,
    actor_id: int,
    now: datetime,
) -> Filled:
    """Make a submitted questionnaire readable by members; its post to the votes channel is
    a job (`PUBLISH_JOB`) written in the same transaction."""
    return await _committee_move(
        db,
        guild_id=guild_id,
        candidate=candidate,
        actor_id=actor_id,
        now=now,
        to=SheetStatus.PUBLISHED,
        allowed=(SheetStatus.SUBMITTED,),
        refusal="Only a submitted questionnaire can be published (it is not submitted, or "
        "already published).",
        post=(scheduler, PUBLISH_JOB, "publish"),
    )


# ----------------------------------------------------------------------------- the report


async def assess(
    db: Database,
    *,
    guild_id: int,
    candidate: Candidate,
    changes: Mapping[str, bool],
    actor_id: int,
    now: datetime,
    reason: str = "",
) -> Assessment:
    """Record the committee's judgement of what a candidate cannot answer. Judging "worked
    with the chapter" otherwise than the candidate's record in office says needs `reason`."""
    allowed = {f.name for f in fields(Assessment)} - {"worked_reason"}
    if set(changes) - allowed:
        raise ValueError(f"not assessment fields: {sorted(set(changes) - allowed)}")
    if not changes:
        raise InvalidInput("Say what the committee judges: fill in at least one option.")
    reason = " ".join(reason.split())
    worked = changes.get("worked_with_chapter")
    if reason and worked is None:
        raise InvalidInput("A reason goes with `worked_with_chapter`: fill in both.")
    if worked is not None:
        await _check_override(db, candidate, worked, reason)
    async with db.transaction() as conn:
        if await race_store.get_candidate(conn, guild_id, candidate.id) is None:
            raise CandidateGone(candidate)
        # Merged inside the transaction: two members judging different criteria keep both.
        current = await store.assessment(conn, guild_id, candidate.id)
        updated = replace(current, **changes)
        if worked is not None:
            updated = replace(updated, worked_reason=reason)
        await store.save_assessment(
            conn,
            guild_id=guild_id,
            candidate_id=candidate.id,
            value=updated,
            actor_id=actor_id,
            now=now,
        )
        await audit.record(
            conn,
            guild_id=guild_id,
            actor_id=actor_id,
            action="candidate.assess",
            subject=_subject(candidate.race_id),
            detail=candidate.name,
            at=now,
        )
    return updated


REASON_MAX = 300


async def _check_override(db: Database, candidate: Candidate, worked: bool, reason: str) -> None:
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"A reason can be at most {REASON_MAX} characters.")
    record = await officials.record_for_candidate(db, candidate)
    says = worked_with_chapter(record) if record is not None else None
    if says is not None and says != worked and not reason:
        raise InvalidInput(
            f"{candidate.name}'s record in office says they "
            f"{'worked' if says else 'did not work'} with the chapter ({record.summary()}). "
            "To judge otherwise, say why: fill in `reason`."
        )


async def report(
    db: Database, *, race: Race, candidate: Candidate, now: datetime
) -> CriteriaReport:
    """The criteria report: answers (valid ones), register facts, the committee's
    assessment and, where the capacity ledger knows the race, whether it fits."""
    fits = await capacity.race_fits(db, race.guild_id, race.id, now=now)
    return classify(await candidate_facts.facts(db, race, candidate, capacity_fits=fits))


async def proposals_for_race(db: Database, race: Race, *, now: datetime) -> dict[int, Category]:
    """Candidate id -> the category each candidate's full criteria report proposes (viable
    path from the capacity ledger where it knows the race): what the race page shows."""
    fits = await capacity.race_fits(db, race.guild_id, race.id, now=now)
    return {
        candidate.id: classify(
            await candidate_facts.facts(db, race, candidate, capacity_fits=fits)
        ).category
        for candidate in await race_store.list_candidates(db, race.guild_id, race.id)
    }
