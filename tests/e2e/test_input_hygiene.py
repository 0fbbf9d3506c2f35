"""Input that shows nothing, dates no chapter means, and buttons that lead nowhere.

Issue 23, input hygiene: each gets a clear ephemeral answer and changes nothing, through the
real client against the loopback Discord.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.services import plans as plan_service
from bot.services import questionnaires as questionnaire_service
from bot.store import votes as vote_store
from cogs._components import STALE
from tests.e2e.plans_helpers import add_race, create_plan
from tests.e2e.questionnaire_helpers import PAGE1, PAGE3, button, race_with
from tests.e2e.votes_helpers import open_vote_with_a_ballot

pytestmark = pytest.mark.asyncio

ZERO_WIDTH = "\u200b"
HUGE = "1" + "0" * 25  # past SQLite's 64-bit integers


async def test_a_zero_width_milestone_name_is_refused(chapter) -> None:
    world = chapter
    race = await add_race(world, world.clock().date() + timedelta(days=950))
    await create_plan(world, race)
    before = await plan_service.view(world.db, race.guild_id, race.id)
    on = (world.clock().date() + timedelta(days=30)).isoformat()
    for name in (ZERO_WIDTH * 2, f" {ZERO_WIDTH}\u2060 ", "\u3164"):
        reply = await world.organiser.slash(
            "plan milestone add", race=str(race.id), name=name, on=on
        )
        assert reply.ephemeral and "Give the milestone a name" in reply.text, reply.text
    assert await plan_service.view(world.db, race.guild_id, race.id) == before


async def _first_page(world):
    """A candidate with the questionnaire in her DMs, at page 1; and her sheet's id."""
    rosa = world.guild.add_member("rosa")
    await race_with(world, "Rosa Ortiz", members={"Rosa Ortiz": rosa})
    await world.organiser.slash(
        "questionnaire send", race="City Council D3", candidate="Rosa Ortiz"
    )
    invite = world.fake.dms_to(rosa)[-1]
    start = button(invite, "Start")
    sheet_id = int(re.fullmatch(r"qn:p:(\d+):1:s", start)[1])
    return rosa, invite, sheet_id


async def test_a_zero_width_answer_does_not_answer_a_required_question(chapter) -> None:
    world = chapter
    rosa, invite, sheet_id = await _first_page(world)
    page = await rosa.click(invite, button(invite, "Start"))
    saved = await rosa.submit_modal(page, PAGE1)
    page = await rosa.click(saved.message, button(saved.message, "Next"))
    saved = await rosa.submit_modal(page, {"seat": "open", "supporters": "The tenants' union."})
    page = await rosa.click(saved.message, button(saved.message, "Next"))
    saved = await rosa.submit_modal(page, {**PAGE3, "fundraising": f"{ZERO_WIDTH} \u2060"})
    assert saved.ephemeral and "needs an answer" in saved.content, saved.content
    filled = await questionnaire_service.filled(world.db, int(world.guild.id), sheet_id)
    assert filled.value("fundraising") is None  # nothing stored, not an invisible answer
    assert "fundraising" not in filled.valid_answers()
    assert PAGE3["priorities"] == filled.value("priorities")  # the rest of the page stands


async def test_a_member_since_date_outside_the_sane_range_is_refused(chapter) -> None:
    world = chapter
    rosa, invite, sheet_id = await _first_page(world)
    page = await rosa.click(invite, button(invite, "Start"))
    saved = await rosa.submit_modal(page, {**PAGE1, "dsa_member_since": "9999-12-31"})
    assert saved.ephemeral and "outside the dates I accept" in saved.content, saved.content
    filled = await questionnaire_service.filled(world.db, int(world.guild.id), sheet_id)
    assert "dsa_member_since" not in filled.valid_answers()


async def test_a_stale_or_forged_button_says_it_no_longer_works(chapter) -> None:
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    turnout_before = await vote_store.turnout(world.db, vote.id)
    vote = await vote_store.get_vote_by_id(world.db, vote.id)
    # Discord only delivers clicks on components a message really has: a message as an
    # older release (or a forger) drew it stands in for what reaches the bot.
    ids = [
        f"vote:ballot:{HUGE}",  # a number no row can have
        "vote:ballot:-1",  # negative
        f"vote:ballot:{vote.id}:v0",  # an older layout of the Vote button
        f"vote:close:{HUGE}",
        f"vote:r:p:{vote.id}:zzzzzz:0:",  # a ballot draft in no layout the bot knows
        f"qn:review:{HUGE}",
        "qn:p:1:1:x",  # a page action that does not exist
    ]
    buttons = [
        {"type": 2, "style": 1, "label": f"B{i}", "custom_id": custom_id}
        for i, custom_id in enumerate(ids)
    ]
    rows = [{"type": 1, "components": buttons[i : i + 5]} for i in range(0, len(buttons), 5)]
    stale = world.fake.create_message(
        world.votes, world.fake.bot_user, {"content": "old", "components": rows}
    )
    for custom_id in ids:
        answer = await world.alice.click(stale, custom_id)
        assert answer.ephemeral and answer.text == STALE, (custom_id, answer.text)
    assert await vote_store.turnout(world.db, vote.id) == turnout_before == 1
    assert await vote_store.get_vote_by_id(world.db, vote.id) == vote
