"""An instant-runoff vote counted until two remain (`/vote create final_two:True`), through
the loopback Discord: the winner is the one who first had a majority, and the post shows the
rounds on to the final head-to-head, recountable with the command it prints."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from bot import tally_cli
from bot.store import votes as vote_store
from tests.e2e.votes_helpers import (
    cast,
    create_vote,
    make_race,
    recorded,
    wait_announcement,
    wait_result,
)
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio


def attachment(world, message, suffix) -> bytes:
    entry = next(a for a in message["attachments"] if a["filename"].endswith(suffix))
    return world.fake.attachments[entry["id"]]["data"]


async def test_a_majority_in_round_one_is_counted_on_to_the_final_two(chapter, tmp_path):
    world = chapter
    members = world.add_members(4)  # 7 on the roll
    names = ["Ada Ruiz", "Bo Chen", "Cy Diallo", "Di Okafor"]
    race = await make_race(world, names)
    vote = await create_vote(world, race, final_two=True, no_endorsement=False)
    assert vote.continue_until_two
    announcement = await wait_announcement(world, vote.id)
    assert "Counted until two remain" in message_text(announcement)
    voters = [world.organiser, world.alice, world.bob, *members]
    pattern = [["Ada Ruiz"]] * 4 + [["Bo Chen"]] * 2 + [["Cy Diallo", "Bo Chen"]]
    for member, ranking in zip(voters, pattern, strict=True):
        assert recorded(await cast(world, member, announcement, vote.id, ranking))
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    posted = await wait_result(world, vote.id)
    text = message_text(posted)
    # Ada has 4 of 7 at once; the count goes on: Di (no votes), then Cy, whose ballot goes
    # to Bo, leaving the final two, Ada 4 and Bo 3.
    assert "Round 1: **Ada Ruiz** wins with 4 of 7 votes" in text
    assert "Round 2: Di Okafor out" in text
    assert "Round 3: Cy Diallo out, 1 vote to Bo Chen" in text
    assert "Instant-runoff winner: **Ada Ruiz**." in text
    assert "The chapter endorses Ada Ruiz." in text
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    last = closed.result["rounds"][-1]
    assert last["tallies"] == {"Ada Ruiz": 4, "Bo Chen": 3}

    assert f"`endorsebot tally vote-{vote.id}.blt --continue-until-two`" in text
    path = tmp_path / f"vote-{vote.id}.blt"
    path.write_bytes(attachment(world, posted, ".blt"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert tally_cli.main([str(path), "--continue-until-two", "--json"]) == 0
    again = json.loads(out.getvalue())
    assert again["rounds"] == closed.result["rounds"] and again["winners"] == ["Ada Ruiz"]


async def test_final_two_is_refused_for_a_method_without_rounds_to_continue(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    modal = await world.organiser.slash(
        "vote create", race=str(race.id), closes="in 2d", method="schulze", final_two=True
    )
    refused = await world.organiser.submit_modal(modal, {"vote:create:names": "Ada Ruiz"})
    assert refused.ephemeral
    assert "Counting until two remain is an instant-runoff option" in refused.text
    assert await vote_store.list_votes(world.db, int(world.guild.id)) == []
