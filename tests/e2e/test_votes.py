"""A whole endorsement vote through the real bot and the loopback Discord."""

from __future__ import annotations

import asyncio
import json
import struct
import sys
from fractions import Fraction

import pytest

from bot.domain.races import RaceStatus
from bot.domain.tally.count import count_vote
from bot.domain.tally.io.blt import read_blt
from bot.domain.tally.report import result_to_json
from bot.services import races as race_service
from bot.store import votes as vote_store
from tests.e2e.votes_helpers import (
    cast,
    create_vote,
    make_race,
    open_ballot,
    rank,
    recorded,
    submit,
    wait_announcement,
    wait_result,
)
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio

CANDIDATES = ("Ada Ruiz", "Bo Chen", "Cy Diallo", "Di Okafor")


def fast_turnout(world):
    world.bot.get_cog("Votes").turnout.debounce = 0.1


async def close_now(world, vote):
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    assert asked.ephemeral and "Close" in asked.text
    done = await world.organiser.click(asked, f"vote:close:{vote.id}")
    assert "Closed" in (done.message or {}).get("content", "")


def attachment(world, message, suffix):
    entry = next(a for a in message["attachments"] if a["filename"].endswith(suffix))
    return world.fake.attachments[entry["id"]]["data"]


async def test_full_vote_twenty_members_four_candidates(chapter, tmp_path):
    world = chapter
    fast_turnout(world)
    members = world.add_members(17)  # + organiser, alice, bob = 20 on the roll
    race = await make_race(world, CANDIDATES[:3])
    vote = await create_vote(world, race, extra=CANDIDATES[3], quorum="25%", threshold="60%")
    assert vote.opens_at <= world.clock()
    announcement = await wait_announcement(world, vote.id)
    text = message_text(announcement)
    assert "Instant-runoff" in text and "Threshold 60%" in text
    assert f"<t:{int(vote.closes_at.timestamp())}:F>" in text
    assert "0 of 20 on the roll have voted; quorum 5" in text
    names = await race_service.list_candidates(world.db, race.guild_id, race.id)
    assert [c.name for c in names] == list(CANDIDATES)  # the modal added Di

    late = world.guild.add_member("latecomer", roles=[world.member_role])
    refused = await open_ballot(late, announcement, vote.id)
    assert refused.ephemeral and "not on this vote's roll" in refused.text
    assert "Member" in refused.text

    voters = [world.organiser, world.alice, world.bob, *members]
    pattern = (
        [["Ada Ruiz", "Bo Chen"]] * 8
        + [["Bo Chen", "Ada Ruiz"]] * 5
        + [["Cy Diallo", "Bo Chen", "No endorsement"]] * 3
        + [["Di Okafor", "Cy Diallo"]] * 2
        + [["No endorsement"]]
        + [[]]
    )
    for member, names_ in zip(voters, pattern, strict=True):
        result = await cast(world, member, announcement, vote.id, names_)
        assert recorded(result), result.text
    # alice changes her mind
    again = await cast(world, world.alice, announcement, vote.id, ["Di Okafor", "Ada Ruiz"])
    assert recorded(again) and "replaces the one you cast earlier" in again.message["content"]
    assert await vote_store.turnout(world.db, vote.id) == 20

    await world.fake.wait_for(
        lambda: (
            "20 of 20 on the roll have voted"
            in message_text(world.fake.message(announcement["id"]))
        ),
        5,
    )
    bob_ballot = await open_ballot(world.bob, announcement, vote.id)  # submitted after the close
    await close_now(world, vote)
    posted = await wait_result(world, vote.id)
    assert any(a["filename"].endswith(".png") for a in posted["attachments"])
    png = attachment(world, posted, ".png")
    assert png.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", png[16:24])  # the chart fits a phone, not a strip
    assert width <= 1200 and height > width / 2
    assert posted["embeds"][0]["image"]["url"] == f"attachment://vote-{vote.id}-rounds.png"
    rounds = next(f for f in posted["embeds"][0]["fields"] if f["name"] == "Rounds")["value"]
    lines = rounds.splitlines()  # short lines a phone shows whole; the table is in the report
    assert lines[:2] == [
        "First choices: Ada Ruiz 7, Bo Chen 5, Cy Diallo 3, Di Okafor 3, No endorsement 1",
        "Round 1: No endorsement out, 1 vote with no choice left",
    ]
    assert lines[-1].endswith("**Ada Ruiz** wins with 13 of 13 votes")
    assert all(len(line) <= 90 for line in lines) and "exhausted" not in rounds, lines
    verdict = message_text(posted)
    assert "Quorum: 20 ballots of 20 on the roll; 5 needed: **met**" in verdict
    # Cy and Di are level in every round until one must go: the lot decides, and every place
    # a member reads the count says so in words, not "Di Okafor lot".
    lot = "Cy Diallo and Di Okafor tied at 3; drawn by lot: Di Okafor out"
    assert lines[2:4] == [f"Round 2: {lot}", "→ 2 votes to Cy Diallo, 1 to Ada Ruiz"]
    ties = next(f for f in posted["embeds"][0]["fields"] if f["name"] == "Ties")["value"]
    assert ties.splitlines()[0] == f"Round 2: {lot}."
    assert ties.splitlines()[1] == (
        "Round 3: Bo Chen and Cy Diallo tied at 5; broken by an earlier round: Cy Diallo out."
    )  # not a lot: not in the verdict
    assert f"**Round 2 was decided by lot**: {lot}." in verdict
    assert "Round 3 was decided" not in verdict
    report = attachment(world, posted, ".txt").decode()
    assert f"Round 2: {lot}" in report
    assert "Winner: Ada Ruiz (decided by lot: a tie drawn in round 2)" in report

    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert closed.state == "closed" and closed.closed_by == int(world.organiser.id)
    blt = attachment(world, posted, ".blt").decode()
    path = tmp_path / "recount.blt"
    path.write_text(blt)
    # The recount a member would run: the `endorsebot tally` command on the posted BLT file.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "tally",
        str(path),
        "--json",
        "--no-endorsement",
        "No endorsement",
        "--threshold",
        "60%",
        stdout=asyncio.subprocess.PIPE,
    )
    stdout, _ = await process.communicate()
    assert process.returncode == 0
    recount = json.loads(stdout)
    assert recount["rounds"] == closed.result["rounds"]
    assert recount["winners"] == closed.result["winners"]
    assert recount["seed"] == closed.blt_sha256
    assert (
        result_to_json(
            count_vote(
                read_blt(blt), "irv", no_endorsement="No endorsement", threshold=Fraction(3, 5)
            )
        )
        == closed.result
    )
    # Pinned: the lot is seeded by the ballots' BLT, so the eliminations it decides (Di Okafor
    # in round 2, then Cy Diallo, then Bo Chen) and the winner are the same on every run.
    assert closed.result["winners"] == ["Ada Ruiz"]
    assert "Instant-runoff winner: **Ada Ruiz**" in verdict
    assert "13 of 17 ballots rank Ada Ruiz above No endorsement: **met**" in verdict
    assert "The chapter endorses Ada Ruiz." in verdict
    race_now = await race_service.get_race(world.db, race.guild_id, race.id)
    assert race_now.status is RaceStatus.ENDORSED

    # Ballots after the close are refused; the Vote button is disabled.
    await world.fake.wait_for(
        lambda: any(
            c.get("disabled")
            for c in world.fake.message(announcement["id"])["components"][0]["components"]
        ),
        5,
    )
    late_ballot = await submit(world, world.bob, bob_ballot.message["id"])
    assert "This vote is closed. Nothing was recorded." in late_ballot.text
    assert (await vote_store.get_vote(world.db, int(world.guild.id), vote.id)).ballots_cast == 20
    status = await world.bob.slash("vote status", vote=str(vote.id))
    assert "closed" in status.text
    audit = await world.organiser.slash("vote audit", vote=str(vote.id))
    for action in ("vote.create", "vote.open", "vote.close_early", "vote.close"):
        assert action in audit.text
    listed = await world.alice.slash("vote list")
    assert "Closed" in listed.text and f"#{vote.id}" in listed.text


async def test_a_ballot_being_ranked_when_the_committee_cancels_is_refused(chapter):
    world = chapter
    race = await make_race(world, CANDIDATES[:2])
    vote = await create_vote(world, race)
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await cast(world, world.bob, announcement, vote.id, ["Ada Ruiz"]))
    opened = await open_ballot(world.alice, announcement, vote.id)
    message_id = opened.message["id"]
    await rank(world, world.alice, message_id, ["Bo Chen"])
    # The committee cancels while alice is still ranking: her Submit must not count.
    choices = await world.organiser.autocomplete("vote cancel", "vote", f"#{vote.id}")
    assert choices == [{"name": f"#{vote.id} {vote.title} (open)", "value": str(vote.id)}]
    cancelled = await world.organiser.slash("vote cancel", vote=str(vote.id), reason="wrong race")
    assert "is cancelled" in cancelled.text
    refused = await submit(world, world.alice, message_id)
    assert refused.ephemeral and "This vote is closed. Nothing was recorded." in refused.text
    assert await vote_store.turnout(world.db, vote.id) == 1  # bob's flag stays; alice has none
