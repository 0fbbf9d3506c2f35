"""Capacity through the loopback Discord: the committee sets the chapter's and three races'
figures, members see the ledger and its chart, bad input changes nothing, and a vote on a
race over capacity carries the warning (and one that fits does not)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from matplotlib import image

from bot.domain.races import CandidateDraft, RaceStatus
from bot.services import capacity as capacity_service
from bot.services import races as race_service
from tests.e2e.votes_helpers import create_vote, make_race, wait_announcement
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio


async def endorsed(world, office, *, incumbent=False):
    race = await make_race(world, [], office=office)  # decided on ELECTION, 48 weeks after T0
    if incumbent:
        await race_service.add_candidate(
            world.db, guild_id=race.guild_id, race_id=race.id, actor_id=int(world.organiser.id),
            draft=CandidateDraft("Ina Cumbent", incumbent=True, previously_endorsed=True),
            now=world.clock(),
        )  # fmt: skip
    return await race_service.set_race_status(
        world.db, guild_id=race.guild_id, race_id=race.id, status=RaceStatus.ENDORSED,
        actor_id=int(world.organiser.id), now=world.clock(),
    )  # fmt: skip


async def set_figures(world, race, **options):
    reply = await world.organiser.slash("capacity race", race=str(race.id), **options)
    assert reply.ephemeral and "Figures saved" in reply.text, reply.text
    return reply


async def three_races(world):
    """Capacity 270 doors a week for the 48 weeks to ELECTION; an incumbent's race and
    another endorsed one need 9,006 doors of it; a third, not yet endorsed, needs 60,003 more."""
    reply = await world.organiser.slash("capacity chapter", signups=20, shifts=1)
    assert reply.ephemeral and "270 doors a week" in reply.text, reply.text
    first = await endorsed(world, "City Council D1", incumbent=True)
    await set_figures(world, first, turnout=4000)  # 2,001 to win x 3 = 6,003 doors
    second = await endorsed(world, "City Council D2")
    await set_figures(world, second, past_turnouts="1900 2000 2100")  # 3,003 doors
    third = await make_race(world, ["Ada Ruiz", "Bo Chen"], office="Mayor")
    reply = await set_figures(world, third, turnout=40000, support_rate="60%", base_votes=5000)
    assert "20,001 × 3 = **60,003 doors**" in reply.text  # both models, numbers filled in
    assert "= **100,007 doors**" in reply.text  # (20,001 - 5,000) / (25% x 60%)
    return first, second, third


async def test_the_ledger_and_its_chart(chapter):
    world = chapter
    first, second, third = await three_races(world)
    mass = await endorsed(world, "Governor")
    await set_figures(world, mass, turnout=2_000_000, renewable=True)
    shown = await world.alice.slash("capacity show")
    assert not shown.ephemeral
    text = shown.text
    assert "1. City Council D1 (2027)" in text and "endorsed incumbent" in text
    assert "2. City Council D2 (2027)" in text
    assert "Mayor" not in text  # not endorsed, no vote open: not counted
    assert "Mass / renewable capacity (not counted)" in text and "Governor" in text
    assert "Fits: 9,006 doors needed" in text
    [png] = [a for a in shown.attachments if a["filename"] == "capacity.png"]
    pixels = image.imread(io.BytesIO(world.fake.attachments[png["id"]]["data"]), format="png")
    assert pixels.shape[1] <= 1200  # phone-readable width
    page = await world.alice.slash("race show", race=str(third.id))  # the section, order 20
    assert "Expected turnout 40,000 → win number **20,001**" in page.text
    assert "⚠️ **56,049 over capacity**" in page.text  # were it endorsed beside the others
    # The race under consideration is counted when asked about, and does not fit.
    assert await capacity_service.race_fits(world.db, third.guild_id, third.id,
                                            now=world.clock()) is False  # fmt: skip
    assert await capacity_service.race_fits(world.db, first.guild_id, first.id,
                                            now=world.clock()) is True  # fmt: skip


async def test_a_vote_over_capacity_is_warned_and_one_that_fits_is_not(chapter):
    world = chapter
    first, second, third = await three_races(world)
    over = await create_vote(world, third)
    announcement = await wait_announcement(world, over.id)
    text = message_text(announcement)
    assert "Capacity" in text and "This race needs **60,003 doors**" in text
    assert "1. City Council D1 (2027) 6,003 · 2. City Council D2 (2027) 3,003" in text
    assert "does not block the vote" in text

    def copied() -> list[dict]:  # the committee's copy is a job of its own, due at once
        return [m for m in world.review.messages if f"vote #{over.id}" in message_text(m)]

    [committee] = await world.fake.wait_for(copied, 5)
    assert "60,003 doors" in message_text(committee)
    small = await make_race(world, ["Cy Diaz"], office="School Board")
    await set_figures(world, small, turnout=600)  # 903 doors: fits beside the endorsed two
    fits = await create_vote(world, small)
    quiet = await wait_announcement(world, fits.id)
    assert "Capacity" not in message_text(quiet)
    assert not [m for m in world.review.messages if f"vote #{fits.id}" in message_text(m)]


@pytest.mark.parametrize(
    ("command", "options", "expected"),
    [
        ("capacity chapter", {"signups": 0, "shifts": 1}, "Sign-ups a week must be"),
        ("capacity chapter", {"signups": 20, "shifts": -1}, "Shifts per canvasser"),
        ("capacity chapter", {"signups": 20, "shifts": 1, "show_rate": "150%"}, "at most 100%"),
        ("capacity chapter", {"signups": 20, "shifts": 1, "doors_per_shift": 10**12},
         "Doors per shift"),
        ("capacity race", {"contact_rate": "0%"}, "more than 0%"),
        ("capacity race", {"support_rate": "-20%"}, "more than 0%"),
        ("capacity race", {"base_votes": 5000}, "fewer than the expected turnout"),
        ("capacity race", {"turnout": 10**12}, "A turnout must be"),
        ("canvass log", {"doors": 10**12}, "Doors must be a whole number"),
        ("canvass log", {"doors": 10, "date": "2199-01-01"}, "in the future"),
        ("canvass log", {"doors": 10, "date": "0001-01-01"}, "outside the dates I accept"),
        ("canvass log", {"doors": 10, "date": "2999-01-01"}, "outside the dates I accept"),
    ],
)  # fmt: skip
async def test_bad_input_is_refused_and_changes_nothing(chapter, command, options, expected):
    world = chapter
    race = await endorsed(world, "City Council D1")
    if command == "capacity race":
        options = {"race": str(race.id), "turnout": 1000, **options}
    reply = await world.organiser.slash(command, **options)
    assert reply.ephemeral and expected in reply.text, reply.text
    assert await capacity_service.chapter_capacity(world.db, race.guild_id) is None
    assert await capacity_service.race_figures(world.db, race.guild_id, race.id) is None
    assert await capacity_service.canvass_log(world.db, race.guild_id) == []


async def test_an_election_already_past_is_refused(chapter):
    world = chapter
    race = await endorsed(world, "City Council D1")
    world.clock.advance(timedelta(days=2 * 365))  # ELECTION is behind us now
    reply = await world.organiser.slash("capacity race", race=str(race.id), turnout=1000)
    assert reply.ephemeral and "already past" in reply.text, reply.text
    assert await capacity_service.race_figures(world.db, race.guild_id, race.id) is None


async def test_members_may_not_set_capacity(chapter):
    world = chapter
    reply = await world.alice.slash("capacity chapter", signups=20, shifts=1)
    assert reply.ephemeral and "Electoral Committee" in reply.text
    assert await capacity_service.chapter_capacity(world.db, int(world.guild.id)) is None


async def test_the_committee_exports_the_ledger_and_the_canvass_log(chapter):
    world = chapter
    first, second, third = await three_races(world)
    logged = await world.alice.slash("canvass log", doors=120, race=str(first.id))
    assert logged.ephemeral, logged.text
    refused = await world.alice.slash("capacity export")
    assert refused.ephemeral and "Electoral Committee" in refused.text and not refused.attachments
    export = await world.organiser.slash("capacity export")
    assert export.ephemeral and "1 logged shifts" in export.text
    files = {a["filename"]: world.fake.attachments[a["id"]]["data"].decode()
             for a in export.attachments}  # fmt: skip
    ledger = list(csv.DictReader(io.StringIO(files["capacity-ledger.csv"])))
    assert [(r["race"], r["doors_needed"], r["doors_knocked"]) for r in ledger] == [
        ("City Council D1 (2027)", "6003", "120"),
        ("City Council D2 (2027)", "3003", "0"),
    ]
    [shift] = list(csv.DictReader(io.StringIO(files["canvass-log.csv"])))
    assert (shift["race"], shift["doors"], shift["logged_by"]) == (
        "City Council D1 (2027)", "120", str(world.alice.id),
    )  # fmt: skip


async def test_the_ledger_before_capacity_and_with_nothing_counted(chapter):
    world = chapter
    early = await world.alice.slash("capacity show")
    assert early.ephemeral and "`/capacity chapter`" in early.text
    reply = await world.organiser.slash("capacity chapter", signups=20, shifts=1)
    assert reply.ephemeral, reply.text
    unestimated = await endorsed(world, "City Council D1")
    shown = await world.alice.slash("capacity show")
    assert "nothing counted yet" in shown.text and not shown.attachments  # no empty chart
    assert "`/capacity show exploring:True` counts the races still being explored" in shown.text
    assert "No figures yet (`/capacity race`)" in shown.text and unestimated.label in shown.text


async def test_overrides_and_back_to_the_defaults(chapter):
    world = chapter
    race = await endorsed(world, "City Council D1")
    await set_figures(world, race, turnout=1000)  # 501 to win
    changed = await set_figures(world, race, doors_per_vote=4.5, support_rate="50%", passes=2)
    assert "501 × 4.5 = **2,255 doors**" in changed.text
    assert "× 2 passes = **8,016 doors**" in changed.text  # 501 / (25% x 50%) = 4,008, x 2
    back = await set_figures(world, race, reset_rates=True)
    assert "501 × 3 = **1,503 doors**" in back.text and "set a support rate" in back.text
