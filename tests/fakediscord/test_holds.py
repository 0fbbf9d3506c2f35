"""Held answers: the fake does a write but keeps its answer back, as when a process dies
(or its connection drops) right after Discord carried out its request."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import make_bot, running


@pytest.mark.asyncio
async def test_a_held_answer_comes_after_release_and_the_write_is_already_done(fake, world):
    bot = make_bot()
    async with running(bot, fake):
        channel = bot.get_channel(int(world.votes.id))
        held = fake.hold_responses("POST", r"/channels/\d+/messages$")
        sending = asyncio.create_task(channel.send("posted, answer held"))
        await asyncio.wait_for(held.reached.wait(), 5)
        assert world.votes.messages[-1]["content"] == "posted, answer held"
        await asyncio.sleep(0)
        assert not sending.done()  # the bot has not heard back
        held.release()
        message = await asyncio.wait_for(sending, 5)
        assert message.content == "posted, answer held"
        assert (await channel.send("next")).content == "next"  # only `times` calls are held
        assert [m["content"] for m in world.votes.messages[-2:]] == ["posted, answer held", "next"]
