"""Fit before the vote (issue 24), through the loopback Discord: `/capacity race` answers
whether a race fits beside the endorsed ones, `/capacity show exploring:` counts the races
still being explored, and a race the committee flags "very likely to win without the
needed doors" is listed apart and not counted.

"work backward from this overall number, only endorsing candidates who can fit within this
number or are very likely to win or mobilize large numbers of people without the needed
doors" (seed, "Chapter Strategy: Discipline, Prioritization, and Capacity")
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.races import BallotLine, OfficeKind, RaceDraft, RaceStatus, local_today
from bot.services import races as race_service

pytestmark = pytest.mark.asyncio
TZ = "America/New_York"


async def add_race(world, office, status):
    """A legislative race decided ten weeks from the chapter's today."""
    day = local_today(world.clock(), TZ) + timedelta(weeks=10)
    return await race_service.add_race(
        world.db, guild_id=int(world.guild.id), actor_id=int(world.organiser.id),
        draft=RaceDraft(office, OfficeKind.LEGISLATIVE, BallotLine.NONPARTISAN, day,
                        status=status),
        now=world.clock(), tz=TZ,
    )  # fmt: skip


async def test_the_committee_sees_fit_while_it_decides(chapter) -> None:
    world, org = chapter, chapter.organiser
    # 34 sign-ups x 50% x 1 shift x 50 doors = 850 a week: 8,500 doors in ten weeks.
    await org.slash("capacity chapter", signups=34, shifts=1, doors_per_shift=50)
    endorsed = await add_race(world, "Council D1", RaceStatus.ENDORSED)
    small = await add_race(world, "Council D2", RaceStatus.EXPLORING)
    big = await add_race(world, "Council D3", RaceStatus.EXPLORING)
    safe = await add_race(world, "Council D4", RaceStatus.ENDORSED)

    reply = await org.slash("capacity race", race=str(endorsed.id), turnout=3998, margin=10.0)
    assert "Beside the endorsed races it fits: 1. of 1 in priority" in reply.text, reply.text
    assert "need 6,000 of the 8,500 doors the chapter can knock by then" in reply.text
    reply = await org.slash("capacity race", race=str(small.id), turnout=998)  # 1,500
    assert "Beside the endorsed races it fits: 2. of 2" in reply.text, reply.text
    assert "need 7,500 of the 8,500 doors" in reply.text
    reply = await org.slash("capacity race", race=str(big.id), turnout=1998)  # 3,000
    assert "Beside the endorsed races it does not fit." in reply.text, reply.text
    assert "**500 doors over capacity** (9,000 needed − 8,500)" in reply.text
    reply = await org.slash("capacity race", race=str(safe.id), turnout=99998, likely_win=True)
    assert "very likely to win without the needed doors: not counted" in reply.text, reply.text

    shown = await world.alice.slash("capacity show")
    assert "Fits: 6,000 doors needed; 8,500 can be knocked" in shown.text, shown.text
    assert "Council D2" not in shown.text  # explored, not yet put to a vote
    assert "Very likely to win without the needed doors (not counted)" in shown.text
    assert "Council D4" in shown.text and "150,000 doors" in shown.text
    explored = await world.alice.slash("capacity show", exploring=True)
    text = explored.text
    assert "Council D2 (" in text and "Council D3 (" in text and "(under consideration)" in text
    # Counted together, the two explored races share the 2,500 doors left: 2,000 over in all.
    assert "Over capacity by 2,000 doors: 10,500 doors needed; 8,500 can be knocked" in text
    assert "counted together here, in priority order" in text


async def test_one_logged_shift_leaves_the_estimate_in_place_and_says_so(chapter) -> None:
    world, org = chapter, chapter.organiser
    await org.slash("capacity chapter", signups=34, shifts=1, doors_per_shift=50)  # 850 a week
    endorsed = await add_race(world, "Council D1", RaceStatus.ENDORSED)
    await org.slash("capacity race", race=str(endorsed.id), turnout=3998)  # 6,000 doors
    logged = await world.alice.slash("canvass log", doors=450)
    assert logged.ephemeral and "Logged 450 doors" in logged.text, logged.text
    shown = await world.alice.slash("capacity show")
    text = shown.text
    assert "Fits: 6,000 doors needed; 8,500 can be knocked" in text, text
    assert "**850 doors a week** (the ledger uses this)" in text
    assert "Measured: **112 doors a week** over the last 4 weeks, with shifts logged in 1" in text
    assert "too few weeks to replace the estimate until 3 of the 4 weeks have logs" in text
