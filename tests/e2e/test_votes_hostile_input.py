"""What a hostile or careless member can send besides the buttons the bot drew.

Issue 13, items 10-12: a custom_id naming vote 10^25 gets a clear refusal, not "Sorry,
something went wrong" (since issue 23: "this button no longer works", as any stale one);
autocomplete of the vote commands shows vote and race titles only to those the command
itself would serve; a close `in 20000d` is refused.
"""

from __future__ import annotations

import pytest

from bot.store import votes as vote_store
from cogs._components import STALE
from tests.e2e.votes_helpers import make_race, open_vote_with_a_ballot

pytestmark = pytest.mark.asyncio

HUGE = "1" + "0" * 25


async def test_a_vote_id_too_large_for_the_database_is_refused_clearly(chapter):
    world = chapter
    await open_vote_with_a_ballot(world)
    # Discord only delivers clicks on components a message really has: one the bot drew
    # naming such a vote (a forged or corrupted id) stands in for what the attack sent.
    buttons = [
        {"type": 2, "style": 1, "label": label, "custom_id": f"vote:{kind}:{HUGE}"}
        for label, kind in (("Vote", "ballot"), ("Close", "close"))
    ]
    forged = world.fake.create_message(
        world.votes,
        world.fake.bot_user,
        {"content": "forged", "components": [{"type": 1, "components": buttons}]},
    )
    for button in buttons:
        answer = await world.organiser.click(forged, button["custom_id"])
        assert answer.ephemeral and answer.text == STALE, answer.text
    typed = await world.alice.slash("vote status", vote=f"#{HUGE}")
    assert typed.ephemeral and "does not exist" in typed.text, typed.text
    assert "error id" not in typed.text


async def test_vote_autocomplete_follows_the_role_rules_of_its_command(chapter):
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    title = vote.title

    def titles(choices: list[dict]) -> list[str]:
        return [c["name"] for c in choices]

    # /vote status serves members: the outsider sees nothing, a member sees the vote.
    assert await world.outsider.autocomplete("vote status", "vote", "") == []
    assert any(
        title in t for t in titles(await world.alice.autocomplete("vote status", "vote", ""))
    )
    # /vote close and /vote create serve the committee only.
    assert await world.alice.autocomplete("vote close", "vote", "") == []
    assert any(
        title in t for t in titles(await world.organiser.autocomplete("vote close", "vote", ""))
    )
    assert await world.alice.autocomplete("vote create", "race", "") == []
    assert await world.outsider.autocomplete("vote create", "race", "") == []
    assert titles(await world.organiser.autocomplete("vote create", "race", "")) != []


async def test_a_close_decades_away_is_refused_and_changes_nothing(chapter):
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    refused = await world.organiser.slash("vote extend", vote=str(vote.id), closes="in 20000d")
    assert refused.ephemeral and "within 366 days" in refused.text, refused.text
    after = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert after.closes_at == vote.closes_at

    race = await make_race(world, ["Cy Diallo", "Di Okafor"], office="Mayor")
    modal = await world.organiser.slash("vote create", race=str(race.id), closes="in 20000d")
    preview = await world.organiser.submit_modal(modal, {"vote:create:names": "Cy Diallo"})
    assert preview.ephemeral and "within 366 days" in preview.text, preview.text
    assert [v.race_id for v in await vote_store.list_votes(world.db, int(world.guild.id))] == [
        vote.race_id
    ]
