"""What the endorsement criteria read about a candidate, gathered from the questionnaire,
the race register and the committee's assessment (no capacity ledger here).

Both the questionnaire report and the capacity ledger read these facts: the ledger for its
priority (`race_priority`, which never asks the ledger), the report for the category (with
the ledger's fit passed in). Keeping them here, below both services, is what lets the
capacity service build its ledger without importing the questionnaire service.
"""

from __future__ import annotations

from bot.db import Database
from bot.domain import priority as priority_rules
from bot.domain.classify import Facts
from bot.domain.ledger import Priority
from bot.domain.races import Candidate, CandidateStatus, Race
from bot.services import officials
from bot.store import questionnaires as store
from bot.store import races as race_store


async def facts(
    db: Database, race: Race, candidate: Candidate, *, capacity_fits: bool | None
) -> Facts:
    """The candidate's valid answers, the red lines their questionnaire asks, the register's
    facts and the committee's assessment; `capacity_fits` is the ledger's verdict, if known."""
    sheet = await store.sheet_for_candidate(db, race.guild_id, candidate.id)
    answers = await store.answers(db, sheet.guild_id, sheet.id) if sheet else {}
    return Facts(
        answers={key: answer.value for key, answer in answers.items() if answer.valid},
        red_lines=sheet.red_lines if sheet else (),
        office_kind=race.office_kind.value,
        incumbent=candidate.incumbent,
        previously_endorsed=candidate.previously_endorsed,
        assessment=await store.assessment(db, race.guild_id, candidate.id),
        capacity_fits=capacity_fits,
        office_record=await officials.record_for_candidate(db, candidate),
    )


async def race_priority(db: Database, race: Race) -> Priority:
    """The race's claim on the chapter's doors, from its running candidates' profiles and
    incumbency (`bot.domain.priority`)."""
    running = [
        candidate
        for candidate in await race_store.list_candidates(db, race.guild_id, race.id)
        if candidate.status is not CandidateStatus.WITHDRAWN
    ]
    return priority_rules.race_priority(
        [await facts(db, race, candidate, capacity_fits=None) for candidate in running]
    )
