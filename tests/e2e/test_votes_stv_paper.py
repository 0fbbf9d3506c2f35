"""A 3-seat STV vote, paper ballots added to an online vote, and an export anyone can
recount to the posted rounds."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json

import pytest

from bot import tally_cli
from bot.domain.tally.io.csv import read_csv
from bot.store import audit
from bot.store import vote_admin as admin_store
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


def attachment(world, message, suffix):
    entry = next(a for a in message["attachments"] if a["filename"].endswith(suffix))
    return world.fake.attachments[entry["id"]]["data"]


async def close_now(world, vote):
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    return await wait_result(world, vote.id)


def recount(path, *args) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert tally_cli.main([str(path), "--json", *args]) == 0
    return json.loads(out.getvalue())


async def test_three_seat_stv_then_export_recounts_the_same_rounds(chapter, tmp_path):
    world = chapter
    members = world.add_members(7)  # 10 on the roll
    names = ["Ada Ruiz", "Bo Chen", "Cy Diallo", "Di Okafor"]
    race = await make_race(world, names)
    vote = await create_vote(world, race, method="stv", seats=3, threshold="50%")
    assert (vote.method, vote.seats) == ("stv", 3)
    announcement = await wait_announcement(world, vote.id)
    assert "Single transferable vote, 3 seats" in message_text(announcement)
    voters = [world.organiser, world.alice, world.bob, *members]
    # Quota 3 (Droop, 10 ballots, 3 seats): Ada, Bo and No endorsement reach it.
    pattern = (
        [["Ada Ruiz", "Cy Diallo"]] * 3
        + [["Bo Chen", "Di Okafor"]] * 3
        + [["No endorsement"]] * 3
        + [["Cy Diallo", "Ada Ruiz"]]
    )
    for member, ranking in zip(voters, pattern, strict=True):
        assert recorded(await cast(world, member, announcement, vote.id, ranking))
    posted = await close_now(world, vote)
    text = message_text(posted)
    assert "Single transferable vote, 3 seats: elected" in text
    assert "1 seat left unendorsed" in text
    assert "The chapter endorses Ada Ruiz, Bo Chen." in text
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert set(closed.result["winners"]) == {"Ada Ruiz", "Bo Chen", "No endorsement"}

    # A member may not export; the committee may.
    refused = await world.alice.slash("vote export", vote=str(vote.id))
    assert refused.ephemeral and "Electoral Committee" in refused.text and not refused.attachments
    exported = await world.organiser.slash("vote export", vote=str(vote.id))
    assert exported.ephemeral
    assert {a["filename"] for a in exported.attachments} == {
        f"vote-{vote.id}.blt",
        f"vote-{vote.id}.csv",
        f"vote-{vote.id}.txt",
    }
    blt = attachment(world, exported.message, ".blt")
    digest = hashlib.sha256(blt).hexdigest()
    assert digest == closed.blt_sha256 and digest in exported.text and digest in text
    assert blt == attachment(world, posted, ".blt")  # the same file the result posted
    # Anyone can recount: the command printed with the result gives the posted rounds.
    path = tmp_path / f"vote-{vote.id}.blt"
    path.write_bytes(blt)
    again = recount(
        path, "--method", "stv", "--no-endorsement", "No endorsement", "--threshold", "1/2"
    )
    assert again["rounds"] == closed.result["rounds"]
    assert again["winners"] == closed.result["winners"]
    assert set(again["endorsed"]) == {"Ada Ruiz", "Bo Chen"}
    # The CSV holds the same ballots, with nothing but rankings and counts.
    table = attachment(world, exported.message, ".csv").decode()
    assert table.splitlines()[0] == "count,rank1,rank2"
    profile = read_csv(table)
    assert sum(b.weight for b in profile.ballots) == 10
    report = attachment(world, exported.message, ".txt").decode()
    assert "Round" in report and digest in report
    for member in voters:  # no voter is named anywhere in the export
        assert member.name not in table and member.name not in report
    trail = await audit.for_subject(world.db, vote.guild_id, vote.subject)
    assert trail[-1].action == "vote.export" and trail[-1].actor_id == int(world.organiser.id)


async def test_schulze_reports_the_pairwise_matrix(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, method="schulze", no_endorsement=False)
    announcement = await wait_announcement(world, vote.id)
    for member in (world.alice, world.bob):
        assert recorded(await cast(world, member, announcement, vote.id, ["Bo Chen", "Ada Ruiz"]))
    posted = await close_now(world, vote)
    assert "Condorcet (Schulze) winner: **Bo Chen**" in message_text(posted)
    report = attachment(world, posted, ".txt").decode()
    assert "Pairwise: ballots preferring the row to the column" in report


async def test_paper_ballots_count_with_online_and_show_apart(chapter):
    world = chapter
    world.bot.get_cog("Votes").turnout.debounce = 0.1
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, threshold="50%")
    announcement = await wait_announcement(world, vote.id)
    for member in (world.alice, world.bob):
        assert recorded(await cast(world, member, announcement, vote.id, ["Ada Ruiz"]))

    # Bad entries change nothing and say why.
    for ranking, why in (
        ("Bo Chen, bo chen", "ranked twice"),
        ("Bo Chen, Zed Unknown", "'Zed Unknown' is not on this ballot"),
    ):
        bad = await world.organiser.slash("vote paper", vote=str(vote.id), ranking=ranking)
        assert bad.ephemeral and why in bad.text and "Nothing was recorded" in bad.text
    member_try = await world.alice.slash("vote paper", vote=str(vote.id), ranking="Ada Ruiz")
    assert member_try.ephemeral and "Electoral Committee" in member_try.text
    assert await admin_store.paper_count(world.db, vote.id) == 0

    entered = await world.organiser.slash(
        "vote paper", vote=str(vote.id), ranking="Bo Chen > Ada Ruiz", copies=3
    )
    assert entered.ephemeral and "Recorded 3 paper ballots" in entered.text
    await world.organiser.slash("vote paper", vote=str(vote.id), ranking="bo chen")

    def turnout_shows_paper():
        msg = world.fake.message(announcement["id"])
        return "2 online + 4 paper ballots" in message_text(msg) or None

    await world.fake.wait_for(turnout_shows_paper, 5)
    posted = await close_now(world, vote)
    text = message_text(posted)
    assert "6 ballots (2 online + 4 paper)" in text
    assert "winner: **Bo Chen**" in text
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert (closed.ballots_cast, closed.paper_cast) == (2, 4)

    trail = await audit.for_subject(world.db, vote.guild_id, vote.subject)
    paper = [e for e in trail if e.action == "vote.paper"]
    assert [e.detail for e in paper] == [
        "3 paper ballots entered; 3 paper in all",
        "1 paper ballot entered; 4 paper in all",
    ]
    assert all(e.actor_id == int(world.organiser.id) for e in paper)
    assert not any(
        "Chen" in e.detail or "Ruiz" in e.detail for e in trail if e.action == "vote.paper"
    )

    late = await world.organiser.slash("vote paper", vote=str(vote.id), ranking="Ada Ruiz")
    assert late.ephemeral and "has closed" in late.text
