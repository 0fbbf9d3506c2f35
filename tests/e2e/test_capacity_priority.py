"""Cadre priority through the loopback Discord (issue 24): a cadre candidate the committee
has not assessed for viability keeps cadre priority in the capacity ledger, fits, and is
reported a cadre candidate.

"Chapters should prioritize cadre candidates and previously-endorsed incumbents." (seed,
"Chapter Strategy: Discipline, Prioritization, and Capacity")
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.races import (
    BallotLine,
    CandidateDraft,
    OfficeKind,
    RaceDraft,
    RaceStatus,
    local_today,
)
from bot.services import questionnaires
from bot.services import races as race_service
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio
TZ = "America/New_York"


async def add_race(world, office, *, status, candidate=None):
    """A legislative race decided ten weeks from the chapter's today."""
    day = local_today(world.clock(), TZ) + timedelta(weeks=10)
    race = await race_service.add_race(
        world.db, guild_id=int(world.guild.id), actor_id=int(world.organiser.id),
        draft=RaceDraft(office, OfficeKind.LEGISLATIVE, BallotLine.NONPARTISAN, day,
                        status=status),
        now=world.clock(), tz=TZ,
    )  # fmt: skip
    if candidate is not None:
        await race_service.add_candidate(
            world.db, guild_id=race.guild_id, race_id=race.id, actor_id=int(world.organiser.id),
            draft=candidate, now=world.clock(),
        )  # fmt: skip
    return race


async def figures(world, race, **options):
    reply = await world.organiser.slash("capacity race", race=str(race.id), **options)
    assert reply.ephemeral and "Figures saved" in reply.text, reply.text


async def test_an_unassessed_cadre_candidate_keeps_priority_fits_and_is_reported_cadre(
    chapter,
) -> None:
    world, org = chapter, chapter.organiser
    # 34 sign-ups x 50% x 1 shift x 50 doors = 850 a week: 8,500 doors in ten weeks.
    reply = await org.slash("capacity chapter", signups=34, shifts=1, doors_per_shift=50)
    assert "850 doors a week" in reply.text, reply.text
    ina = CandidateDraft("Ina Cumbent", incumbent=True, previously_endorsed=True)
    incumbent = await add_race(world, "Council D1", status=RaceStatus.ENDORSED, candidate=ina)
    await figures(world, incumbent, turnout=1998)  # 1,000 to win x 3 = 3,000 doors
    other = await add_race(world, "Council D2", status=RaceStatus.ENDORSED)
    await figures(world, other, turnout=1998, margin=20.0)  # 3,000 doors, 20 points ahead
    kay = world.guild.add_member("kay", roles=[world.member_role])
    cadre = await add_race(
        world, "Council D3", status=RaceStatus.EXPLORING,
        candidate=CandidateDraft("Kay Dre", member_id=int(kay.id)),
    )  # fmt: skip
    await figures(world, cadre, turnout=1998, doors_per_vote=4.0)  # 4,000 doors

    sent = await org.slash("questionnaire send", race=str(cadre.id), candidate="Kay Dre")
    assert "Sent to **Kay Dre**" in sent.text, sent.text
    [candidate] = await race_service.list_candidates(world.db, cadre.guild_id, cadre.id)
    sheet = await questionnaires.for_candidate(world.db, cadre.guild_id, candidate.id)
    assert sheet is not None
    for page, typed in (
        (1, {"dsa_member": "yes", "identifies_socialist": "yes", "seeks_endorsement": "yes",
             "join_sio": "yes"}),
        (2, {"seat": "open"}),
    ):  # fmt: skip
        await questionnaires.save_page(
            world.db, sheet_id=sheet.sheet.id, user_id=int(kay.id), page=page, typed=typed,
            now=world.clock(),
        )  # fmt: skip
    # The committee judges her rooted and says nothing about viability.
    assessed = await org.slash(
        "candidate assess", race=str(cadre.id), candidate="Kay Dre", rooted=True
    )
    assert "Proposed: Cadre candidate" in message_text(assessed.message), assessed.text

    page = await world.alice.slash("race show", race=str(cadre.id))
    assert "cadre candidate · fits" in page.text, page.text
    read = await org.slash("questionnaire read", race=str(cadre.id), candidate="Kay Dre")
    text = message_text(read.message)
    assert "Proposed: Cadre candidate" in text
    assert "Winnable district: open seat or weak incumbent: answered open" in text
    assert "Win number within the chapter's capacity: capacity ledger: the race fits" in text
