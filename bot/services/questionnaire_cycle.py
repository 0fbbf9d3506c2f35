"""Running a questionnaire cycle: record when a candidate first opens their questionnaire,
and read where every candidate's stands (`/questionnaire status`) and the race's answers
with each criteria report (`/questionnaire export`)."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from bot.domain.classify import CriteriaReport
from bot.domain.questionnaire_cycle import Progress, progress
from bot.domain.questionnaire_sheet import Filled
from bot.domain.races import Candidate, Race
from bot.services import questionnaires as service
from bot.services import races as race_service
from bot.store import questionnaires as store


async def mark_opened(db: Database, *, sheet_id: int, user_id: int, now: datetime) -> None:
    """Record the first time the one who fills the questionnaire opens a page; anyone else's
    press records nothing (it is refused by the caller's own check)."""
    async with db.transaction() as conn:
        sheet = await store.sheet_by_id(conn, sheet_id)
        if sheet is None or sheet.respondent_id != user_id or sheet.opened_at is not None:
            return
        await store.mark_opened(conn, sheet_id, now=now)


async def status(
    db: Database, race: Race, *, now: datetime
) -> list[tuple[Candidate, Progress | None]]:
    """Every candidate of the race, in the order they were added, with their questionnaire's
    progress at `now` (None: never sent)."""
    sent = {f.sheet.candidate_id: f for f in await service.for_race(db, race.guild_id, race.id)}
    return [
        (c, progress(sent[c.id], now=now) if c.id in sent else None)
        for c in await race_service.list_candidates(db, race.guild_id, race.id)
    ]


async def export(
    db: Database, race: Race, *, now: datetime
) -> list[tuple[Candidate, Filled | None, CriteriaReport]]:
    """Every candidate of the race with their questionnaire (None: never sent) and the full
    criteria report, as `/questionnaire read` shows the committee."""
    sent = {f.sheet.candidate_id: f for f in await service.for_race(db, race.guild_id, race.id)}
    return [
        (c, sent.get(c.id), await service.report(db, race=race, candidate=c, now=now))
        for c in await race_service.list_candidates(db, race.guild_id, race.id)
    ]
