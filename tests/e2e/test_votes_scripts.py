"""Names in any script through the real bot: a race between a Chinese and an Arabic name is
voted on and closed; the post carries both names whole, and the chart is attached."""

from __future__ import annotations

import pytest

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

CHINESE = "陈伟明"
ARABIC = "محمد (أبو علي)"


async def test_chinese_and_arabic_names_reach_the_post_whole(chapter):
    world = chapter
    members = world.add_members(2)  # 5 on the roll
    race = await make_race(world, [CHINESE, ARABIC])
    vote = await create_vote(world, race, threshold="50%", quorum="20%")
    announcement = await wait_announcement(world, vote.id)
    assert CHINESE in message_text(announcement) and ARABIC in message_text(announcement)
    pattern = [[ARABIC, CHINESE]] * 3 + [[CHINESE]] * 2
    for member, names in zip([world.organiser, world.alice, world.bob, *members], pattern,
                             strict=True):  # fmt: skip
        assert recorded(await cast(world, member, announcement, vote.id, names))
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    posted = await wait_result(world, vote.id)
    text = message_text(posted)
    assert f"Instant-runoff winner: **{ARABIC}**" in text
    assert f"The chapter endorses {ARABIC}." in text
    rounds = next(f for f in posted["embeds"][0]["fields"] if f["name"] == "Rounds")["value"]
    assert f"First choices: {ARABIC} 3, {CHINESE} 2" in rounds
    [png] = [a for a in posted["attachments"] if a["filename"].endswith(".png")]
    assert world.fake.attachments[png["id"]]["data"].startswith(b"\x89PNG")
