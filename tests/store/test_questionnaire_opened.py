"""When a questionnaire was first opened (migration 0016): only the one who fills it
records it, the first time, and sending it again or reopening keeps it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db import Database
from bot.scheduler import Scheduler
from bot.services import questionnaire_cycle as cycle
from bot.services import questionnaires as service
from tests.store.test_questionnaires import CANDIDATE, COMMITTEE, GUILD, NOW, sent

pytestmark = pytest.mark.asyncio


async def test_the_first_opening_is_kept(db: Database, scheduler: Scheduler) -> None:
    race, candidate, filled = await sent(db, scheduler)
    sheet_id = filled.sheet.id
    assert filled.sheet.opened_at is None
    # Someone else pressing the candidate's button records nothing.
    await cycle.mark_opened(db, sheet_id=sheet_id, user_id=COMMITTEE, now=NOW)
    assert (await service.filled(db, GUILD, sheet_id)).sheet.opened_at is None
    first = NOW + timedelta(hours=1)
    await cycle.mark_opened(db, sheet_id=sheet_id, user_id=CANDIDATE, now=first)
    await cycle.mark_opened(db, sheet_id=sheet_id, user_id=CANDIDATE, now=first + timedelta(1))
    again = await service.send(
        db,
        scheduler,
        race=race,
        candidate=candidate,
        respondent_id=CANDIDATE,
        reach=filled.sheet.reached_via,
        deadline=NOW + timedelta(days=20),
        actor_id=COMMITTEE,
        now=NOW + timedelta(days=2),
    )
    assert again.sheet.opened_at == first
    [(_, progress)] = await cycle.status(db, race, now=NOW + timedelta(days=2))
    assert progress is not None and progress.opened_at == first
