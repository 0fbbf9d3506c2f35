"""A vote announcement asks the loaded features for their notes each time it is drawn
(cogs/votes/notes.py): nothing registers, so reloading an extension keeps every note."""

from __future__ import annotations

import pytest

from bot.domain.capacity import ChapterCapacity, RaceFigures
from bot.services import capacity
from tests.e2e.questionnaire_helpers import PAGE1, PAGE3, button, race_with, red_line_key
from tests.e2e.votes_helpers import create_vote, wait_announcement
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio
RACE = "City Council D3"


async def enter_and_publish(world, name: str) -> None:
    """A committee member types an offline candidate's answers, submits and publishes."""
    org = world.organiser
    await org.slash("questionnaire redline add", question="Rent control now?", required_answer=True)
    entry = await org.slash("questionnaire enter", race=RACE, candidate=name)
    page = await org.click(entry.message, button(entry.message, "Start"))
    saved = await org.submit_modal(page, PAGE1)
    for values in ({"seat": "open", "supporters": "none"}, PAGE3):
        page = await org.click(saved.message, button(saved.message, "Next"))
        saved = await org.submit_modal(page, values)
    page = await org.click(saved.message, button(saved.message, "Next"))
    saved = await org.submit_modal(page, {red_line_key(page.modal): "yes"})
    review = await org.click(saved.message, button(saved.message, "Review"))
    await org.click(review.message, button(review.message, "Submit"))
    published = await org.slash("questionnaire publish", race=RACE, candidate=name)
    assert "members can read them now" in published.content, published.content

    def post() -> list[dict]:
        return [m for m in world.votes.messages if f"Questionnaire: {name}" in message_text(m)]

    await world.fake.wait_for(post, 5)


@pytest.mark.parametrize(
    "reloaded",
    [("cogs.votes",), ("cogs.capacity", "cogs.questionnaires", "cogs.votes")],
)
async def test_a_reloaded_extension_keeps_the_capacity_and_questionnaire_notes(
    chapter, reloaded
) -> None:
    world = chapter
    race = await race_with(world, "Cy Offline")
    guild, org, tz = int(world.guild.id), world.organiser, "America/New_York"
    await capacity.set_chapter(
        world.db, world.bot.scheduler, guild_id=guild, actor_id=int(org.id),
        capacity=ChapterCapacity(2, 1.0), tz=tz, now=world.clock(),
    )  # fmt: skip
    await capacity.set_race(
        world.db, guild_id=guild, race=race, actor_id=int(org.id),
        figures=RaceFigures(turnout=1_000_000), tz=tz, now=world.clock(),
    )  # fmt: skip
    await enter_and_publish(world, "Cy Offline")

    for name in reloaded:  # votes last: the others were loaded after it at start-up
        await world.bot.reload_extension(name)

    vote = await create_vote(world, race)
    text = message_text(await wait_announcement(world, vote.id))
    assert "Candidates' questionnaires" in text
    assert "Read the published answers of [**Cy Offline**](" in text
    assert "⚠️ Capacity" in text and "This race needs" in text
    # The capacity feature still tells the committee, once, at the announcement.
    [warned] = [m for m in world.review.messages if f"vote #{vote.id}" in message_text(m)]
    assert "doors over capacity" in message_text(warned)
