"""What every store and service test starts from: a migrated database file, a scheduler
that only writes job rows, and a race to hang a feature on.

The services run at the `now` fixture (tests/clock.py's T0); a module whose dates were
chosen around another instant overrides `now` (and `guild_id`) with its own fixture.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.db import Database, migrate
from bot.domain.races import BallotLine, CandidateDraft, OfficeKind, Race, RaceDraft
from bot.scheduler import Job, JobContext, JobOutcome, Scheduler
from bot.services import capacity, officials, plans, questionnaires, vote_cleanup, votes
from bot.services import races as race_service
from tests.clock import ELECTION, T0

GUILD = 10
ACTOR = 1
TZ = "America/New_York"

# Every job kind a service schedules: the store tests check the rows, never run them.
JOB_KINDS = (
    votes.OPEN_JOB,
    votes.CLOSE_JOB,
    vote_cleanup.SCRUB_JOB,
    vote_cleanup.NOTICE_JOB,
    plans.REMINDER_JOB,
    plans.SUMMARY_JOB,
    capacity.PACE_JOB,
    capacity.VOTE_WARNING_JOB,
    questionnaires.REPORT_JOB,
    questionnaires.PUBLISH_JOB,
    questionnaires.DEADLINE_JOB,
    officials.NOTICE_JOB,
)

MakeRace = Callable[..., Awaitable[Race]]


@pytest.fixture
def now() -> datetime:
    """The instant the services run at."""
    return T0


@pytest.fixture
def guild_id() -> int:
    """The guild `make_race` puts races in."""
    return GUILD


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database in a file of the test's own."""
    database = await Database.open(tmp_path / "bot.sqlite3")
    await migrate(database)
    yield database
    await database.close()


async def _nothing(job: Job, ctx: JobContext) -> JobOutcome:
    return JobOutcome.done()


@pytest.fixture
def scheduler(db: Database, now: datetime) -> Scheduler:
    """A scheduler whose clock is stopped at `now` and that is never started, so no timer
    fires: the services write their job rows through it and the test reads them."""
    sched = Scheduler(db, lambda: now)
    for kind in JOB_KINDS:
        sched.register(kind, _nothing)
    return sched


@pytest.fixture
def make_race(db: Database, now: datetime, guild_id: int) -> MakeRace:
    """`await make_race("Ada", "Bo", office="Mayor", general_date=...)`: a race added through
    the race service (a council seat decided at the general election on ELECTION unless
    told otherwise), with these candidates (names or CandidateDrafts)."""

    async def make(*candidates: str | CandidateDraft, **fields: Any) -> Race:
        draft = replace(
            RaceDraft("City Council D3", OfficeKind.LEGISLATIVE, BallotLine.GENERAL, ELECTION),
            **fields,
        )
        race = await race_service.add_race(
            db, guild_id=guild_id, actor_id=ACTOR, draft=draft, now=now, tz=TZ
        )
        for candidate in candidates:
            await race_service.add_candidate(
                db,
                guild_id=guild_id,
                race_id=race.id,
                actor_id=ACTOR,
                draft=CandidateDraft(candidate) if isinstance(candidate, str) else candidate,
                now=now,
            )
        return race

    return make
