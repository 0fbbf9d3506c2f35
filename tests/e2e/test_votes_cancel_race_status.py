"""`/vote cancel` through the loopback Discord puts the race back to the status it had before
the vote, as members see it on `/race show`, and leaves a status the committee set by hand
while the vote ran."""

from __future__ import annotations

import pytest

from bot.services import races as race_service
from bot.store import audit
from tests.e2e.votes_helpers import create_vote, make_race, wait_announcement, wait_result

pytestmark = pytest.mark.asyncio


async def status_shown(world, race) -> str:
    """The status line of the race page a member sees."""
    page = await world.alice.slash("race show", race=str(race.id))
    assert page.ephemeral, page.text
    return page.text.split("Status: **", 1)[1].split("**", 1)[0]


async def test_cancelling_a_re_vote_shows_the_race_not_endorsed_again(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    # A first vote nobody votes in: no endorsement.
    first = await create_vote(world, race)
    await wait_announcement(world, first.id)
    asked = await world.organiser.slash("vote close", vote=str(first.id))
    await world.organiser.click(asked, f"vote:close:{first.id}")
    await wait_result(world, first.id)
    assert await status_shown(world, race) == "Not endorsed"

    # The committee votes again, then cancels the new vote.
    second = await create_vote(world, race)
    await wait_announcement(world, second.id)
    assert await status_shown(world, race) == "Endorsement open"
    done = await world.organiser.slash(
        "vote cancel", vote=str(second.id), reason="Wrong candidates on the ballot"
    )
    assert "cancelled" in done.text, done.text

    assert await status_shown(world, race) == "Not endorsed"  # not "Exploring"
    trail = await audit.for_subject(world.db, race.guild_id, race_service.subject(race.id))
    assert trail[-1].action == "race.status" and trail[-1].actor_id == int(world.organiser.id)
    assert trail[-1].detail.startswith("status: endorsement_open -> not_endorsed")
    assert "restored to not_endorsed" in trail[-1].detail


async def test_cancel_keeps_a_status_the_committee_set_during_the_vote(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race)
    await wait_announcement(world, vote.id)
    edited = await world.organiser.slash("race edit", race=str(race.id), status="withdrawn")
    assert "Race updated" in edited.text, edited.text

    done = await world.organiser.slash("vote cancel", vote=str(vote.id), reason="Race withdrawn")
    assert "cancelled" in done.text, done.text

    assert await status_shown(world, race) == "Withdrawn"
    trail = await audit.for_subject(world.db, race.guild_id, race_service.subject(race.id))
    assert trail[-1].action == "race.edit"  # the committee's change is the last word
