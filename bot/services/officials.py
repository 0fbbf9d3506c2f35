"""After the win: enter officials (from a won race or directly), record the chapter's
positions and officials' votes on them, log SIO meetings, and read an official's record.

Each use-case is one transaction; bad input is refused with `InvalidInput` / `NotFound`
before anything is written. Every change is in the audit log with subject `official:{id}`
(positions: `position:{id}`). The weekly notice of votes against the chapter is a chain of
`NOTICE_JOB` rows, one per chapter, scheduled when its first official is entered; each run
schedules the next (`schedule_next_notice`).
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import aiosqlite

from bot.db import Database
from bot.domain import discord_limits as limits
from bot.domain.officials import (
    Cast,
    OfficeRecord,
    OfficeVote,
    Official,
    OfficialDraft,
    Outcome,
    Position,
    PositionDraft,
    SioMeeting,
    SioStatus,
    meetings_in_term,
    name_key,
    next_notice_run,
    validate_meeting,
    validate_official,
    validate_position,
    validate_vote,
)
from bot.domain.races import Candidate, CandidateStatus, Race, RaceStatus
from bot.errors import InvalidInput, NotFound
from bot.scheduler import Scheduler
from bot.services import races as race_service
from bot.store import audit
from bot.store import officials as store
from bot.store import races as race_store

NOTICE_JOB = "officials.notice"


# ----------------------------------------------------------------------------- officials


async def add_official(
    db: Database,
    scheduler: Scheduler,
    *,
    guild_id: int,
    draft: OfficialDraft,
    actor_id: int,
    now: datetime,
    tz: str,
) -> Official:
    """Enter an official directly; refused (nothing stored) with the domain's reason."""
    draft = validate_official(draft)
    async with db.transaction() as conn:
        official = await _insert(conn, scheduler, guild_id, draft, actor_id, now, tz)
    return official


async def _insert(
    conn: aiosqlite.Connection,
    scheduler: Scheduler,
    guild_id: int,
    draft: OfficialDraft,
    actor_id: int,
    now: datetime,
    tz: str,
) -> Official:
    official_id = await store.insert_official(
        conn, guild_id=guild_id, draft=draft, actor_id=actor_id, now=now
    )
    await _audit(conn, guild_id, actor_id, "official.add", f"official:{official_id}", now,
                 f"{draft.office} from {draft.term_start.isoformat()}")  # fmt: skip
    if await store.notice_job_id(conn, guild_id) is None:
        await _schedule_notice(conn, scheduler, guild_id, now=now, tz=tz)
    official = await store.get_official(conn, guild_id, official_id)
    assert official is not None
    return official


async def record_result(
    db: Database,
    scheduler: Scheduler,
    *,
    race: Race,
    outcome: Outcome,
    candidate: Candidate | None,
    term_start: date | None,
    term_end: date | None,
    actor_id: int,
    now: datetime,
    tz: str,
) -> Official | None:
    """Record the election's outcome: the race is won or lost; on a win the chapter's
    endorsed candidate (`candidate`, or the race's only endorsed one) becomes an official,
    their term starting `term_start` (default: election day). Refused with `InvalidInput`
    when a win names no endorsed candidate; nothing is changed then."""
    status = RaceStatus.WON if outcome is Outcome.WON else RaceStatus.LOST
    async with db.transaction() as conn:
        if outcome is Outcome.LOST:
            await race_service.move_race_status(
                conn, guild_id=race.guild_id, race_id=race.id, status=status,
                actor_id=actor_id, now=now, note="election result",
            )  # fmt: skip
            return None
        winner = await _winner(conn, race, candidate)
        if await store.official_for_candidate(conn, race.guild_id, winner.id) is not None:
            raise InvalidInput(f"{winner.name} is already an official (see `/official show`).")
        draft = validate_official(
            OfficialDraft(
                name=winner.name,
                office=race.label,
                term_start=term_start or race.decisive_date,
                term_end=term_end,
                race_id=race.id,
                candidate_id=winner.id,
                member_id=winner.member_id,
            )
        )
        await race_service.move_race_status(
            conn, guild_id=race.guild_id, race_id=race.id, status=status,
            actor_id=actor_id, now=now, note="election result",
        )  # fmt: skip
        return await _insert(conn, scheduler, race.guild_id, draft, actor_id, now, tz)


async def _winner(conn: aiosqlite.Connection, race: Race, candidate: Candidate | None) -> Candidate:
    endorsed = [
        c
        for c in await race_store.list_candidates(conn, race.guild_id, race.id)
        if c.status is CandidateStatus.ENDORSED
    ]
    if candidate is not None:
        if candidate.status is not CandidateStatus.ENDORSED:
            raise InvalidInput(
                f"{candidate.name} was not endorsed by the chapter: a won race makes its "
                "endorsed candidate an official. Enter anyone else with `/official add`."
            )
        return candidate
    if not endorsed:
        raise InvalidInput(
            f"**{race.label}** has no endorsed candidate: a won race makes its endorsed "
            "candidate an official. Enter an official directly with `/official add`."
        )
    if len(endorsed) > 1:
        names = ", ".join(c.name for c in endorsed)
        raise InvalidInput(f"Say which endorsed candidate won ({names}): fill in `candidate`.")
    return endorsed[0]


async def edit_official(
    db: Database,
    *,
    guild_id: int,
    official_id: int,
    sio_status: SioStatus | None,
    term_end: date | None,
    clear_term_end: bool = False,
    actor_id: int,
    now: datetime,
) -> Official:
    """Change only what is given (SIO status, term end); what another committee member
    changed at the same time is kept."""
    if sio_status is None and term_end is None and not clear_term_end:
        raise InvalidInput("Say what to change: the SIO status or the term's end.")
    changes: dict[str, SioStatus | date | None] = {}
    if sio_status is not None:
        changes["sio_status"] = sio_status
    if clear_term_end or term_end is not None:
        changes["term_end"] = None if clear_term_end else term_end
    async with db.transaction() as conn:
        current = await _official_in(conn, guild_id, official_id)
        if term_end is not None:
            validate_official(_draft_of(current, term_end))
        await store.update_official(
            conn, guild_id=guild_id, official_id=official_id, changes=changes, now=now
        )
        detail = "; ".join(
            f"{field}: {getattr(value, 'value', value) or 'none'}"
            for field, value in changes.items()
        )
        await _audit(conn, guild_id, actor_id, "official.edit", f"official:{official_id}", now,
                     detail)  # fmt: skip
        return await _official_in(conn, guild_id, official_id)


def _draft_of(official: Official, term_end: date | None) -> OfficialDraft:
    return OfficialDraft(official.name, official.office, official.term_start, term_end)


async def get_official(db: Database, guild_id: int, official_id: int) -> Official:
    official = await store.get_official(db, guild_id, official_id)
    if official is None:
        raise NotFound("That official does not exist in this chapter (see `/official show`).")
    return official


async def _official_in(conn: aiosqlite.Connection, guild_id: int, official_id: int) -> Official:
    official = await store.get_official(conn, guild_id, official_id)
    if official is None:
        raise NotFound("That official does not exist in this chapter (see `/official show`).")
    return official


async def list_officials(db: Database, guild_id: int) -> list[Official]:
    return await store.list_officials(db, guild_id)


async def official_choices(db: Database, guild_id: int, typed: str) -> list[Official]:
    """Up to 25 officials whose name or office contains `typed`."""
    key = name_key(typed)
    found = [o for o in await store.list_officials(db, guild_id) if key in name_key(o.label)]
    return found[: limits.CHOICES]


async def resolve_official(db: Database, guild_id: int, typed: str) -> Official:
    """The official picked (an id) or typed (a name), or `NotFound`."""
    typed = typed.strip()
    if typed.isdigit():
        official = await store.get_official(db, guild_id, int(typed))
        if official is not None:
            return official
    named = await store.officials_named(db, guild_id, typed)
    if named:
        return named[0]
    raise NotFound(f"No official is called “{typed}”. Pick one from the list as you type.")


# ----------------------------------------------------------------------------- positions


async def add_position(
    db: Database, *, guild_id: int, draft: PositionDraft, actor_id: int, now: datetime
) -> Position:
    """Record a position of the chapter; a title the chapter already has is refused."""
    draft = validate_position(draft)
    async with db.transaction() as conn:
        if await store.position_titled(conn, guild_id, draft.title) is not None:
            raise InvalidInput(f"The chapter already has a position titled “{draft.title}”.")
        position_id = await store.insert_position(
            conn, guild_id=guild_id, draft=draft, actor_id=actor_id, now=now
        )
        await _audit(conn, guild_id, actor_id, "position.add", f"position:{position_id}", now,
                     f"{draft.stance.value}: {draft.title}")  # fmt: skip
        position = await store.get_position(conn, guild_id, position_id)
    assert position is not None
    return position


async def position_choices(db: Database, guild_id: int, typed: str) -> list[Position]:
    key = name_key(typed)
    return [p for p in await store.list_positions(db, guild_id) if key in name_key(p.title)][
        : limits.CHOICES
    ]


async def resolve_position(db: Database, guild_id: int, typed: str) -> Position:
    """The position picked (an id) or typed (its title), or `NotFound`."""
    typed = typed.strip()
    if typed.isdigit():
        position = await store.get_position(db, guild_id, int(typed))
        if position is not None:
            return position
    position = await store.position_titled(db, guild_id, typed)
    if position is None:
        raise NotFound(
            f"The chapter has no position titled “{typed}”. Record it first with "
            "`/position add`, or pick one from the list as you type."
        )
    return position


# ----------------------------------------------------------------------------- votes


async def record_vote(
    db: Database,
    *,
    guild_id: int,
    official_id: int,
    position_id: int,
    cast: Cast,
    on: date,
    note: str,
    actor_id: int,
    now: datetime,
) -> OfficeVote:
    """Record how an official voted on a position. Refused (nothing stored): an unknown
    position, a date outside their term, a vote on that position already recorded."""
    async with db.transaction() as conn:
        official = await _official_in(conn, guild_id, official_id)
        position = await store.get_position(conn, guild_id, position_id)
        if position is None:
            raise NotFound("That position does not exist in this chapter (see `/position add`).")
        note = validate_vote(official, on, note)
        try:
            vote_id = await store.insert_vote(
                conn, guild_id=guild_id, official_id=official.id, position_id=position.id,
                cast=cast, on=on, note=note, actor_id=actor_id, now=now,
            )  # fmt: skip
        except sqlite3.IntegrityError:
            raise InvalidInput(
                f"{official.name}'s vote on “{position.title}” is already recorded."
            ) from None
        await _audit(conn, guild_id, actor_id, "official.vote", f"official:{official.id}", now,
                     f"position {position.id}: {cast.value} on {on.isoformat()}")  # fmt: skip
        [vote] = [v for v in await store.votes_of(conn, guild_id, official.id) if v.id == vote_id]
    return vote


# ----------------------------------------------------------------------------- SIO meetings


async def log_meeting(
    db: Database,
    *,
    guild_id: int,
    on: date,
    title: str,
    attended: list[int],
    actor_id: int,
    now: datetime,
) -> SioMeeting:
    """Log an SIO meeting and which officials attended it."""
    title = validate_meeting(title)
    async with db.transaction() as conn:
        for official_id in attended:
            await _official_in(conn, guild_id, official_id)
        meeting_id = await store.insert_meeting(
            conn, guild_id=guild_id, on=on, title=title, attended=sorted(set(attended)),
            actor_id=actor_id, now=now,
        )  # fmt: skip
        await _audit(conn, guild_id, actor_id, "sio.meeting", f"sio:{meeting_id}", now,
                     f"{on.isoformat()}: {len(set(attended))} attended")  # fmt: skip
    [meeting] = [m for m in await store.meetings(db, guild_id) if m.id == meeting_id]
    return meeting


# ----------------------------------------------------------------------------- the record


async def record(db: Database, guild_id: int, official: Official) -> OfficeRecord:
    """The official's votes (oldest first) and the SIO meetings held in their term."""
    votes = await store.votes_of(db, guild_id, official.id)
    held = meetings_in_term(official, await store.meetings(db, guild_id))
    return OfficeRecord(official, tuple(votes), held)


async def record_for_candidate(db: Database, candidate: Candidate) -> OfficeRecord | None:
    """The office record of a candidate running again: the official entered from this
    candidate, else the chapter's official of the same name with the latest term."""
    official = await store.official_for_candidate(db, candidate.guild_id, candidate.id)
    if official is None:
        named = await store.officials_named(db, candidate.guild_id, candidate.name)
        if candidate.member_id is not None:
            named = [o for o in named if o.member_id in (None, candidate.member_id)]
        official = named[0] if named else None
    return await record(db, candidate.guild_id, official) if official else None


async def all_records(db: Database, guild_id: int) -> list[OfficeRecord]:
    """Every official's record, for the export."""
    return [await record(db, guild_id, o) for o in await store.list_officials(db, guild_id)]


# ----------------------------------------------------------------------------- weekly notice


async def _schedule_notice(
    conn: aiosqlite.Connection, scheduler: Scheduler, guild_id: int, *, now: datetime, tz: str
) -> None:
    job_id = await scheduler.schedule(
        conn, guild_id=guild_id, kind=NOTICE_JOB, due_at=next_notice_run(now, tz)
    )
    await store.set_notice_job(conn, guild_id, job_id)


async def schedule_next_notice(
    db: Database, scheduler: Scheduler, *, guild_id: int, after_job_id: int, now: datetime, tz: str
) -> None:
    """Schedule next Monday's notice after `after_job_id`, once: a recovered run that
    already did finds the chapter pointing at its successor and does nothing."""
    async with db.transaction() as conn:
        if await store.notice_job_id(conn, guild_id) == after_job_id:
            await _schedule_notice(conn, scheduler, guild_id, now=now, tz=tz)


async def claim_notice(
    db: Database, guild_id: int, job_id: int, *, recovering: bool
) -> list[OfficeVote]:
    """The votes against the chapter that notice `job_id` tells of: those recorded since the
    last notice, claimed for this job in one transaction. A recovered run (it may have
    posted) claims nothing more: it gets what it claimed before, so a vote recorded since
    waits for next Monday instead of being marked told by a post that never said it."""
    async with db.transaction() as conn:
        if not recovering:
            await store.claim_unnoticed_against(conn, guild_id, job_id)
        return await store.votes_in_notice(conn, guild_id, job_id)


async def release_notice(db: Database, guild_id: int, job_id: int) -> None:
    """A notice too late to post gives its votes back: next Monday's tells them."""
    async with db.transaction() as conn:
        await store.release_notice(conn, guild_id, job_id)


async def _audit(
    conn: aiosqlite.Connection,
    guild_id: int,
    actor_id: int,
    action: str,
    subject: str,
    now: datetime,
    detail: str,
) -> None:
    await audit.record(conn, guild_id=guild_id, actor_id=actor_id, action=action,
                       subject=subject, detail=detail, at=now)  # fmt: skip
