"""A yes/no vote through the loopback Discord: 7 candidates on two ballot pages, one passes
the threshold, one fails it, answers on both pages go in one ballot."""

from __future__ import annotations

import hashlib
import logging

import pytest

from bot.domain.votes import decode_ranking
from bot.store import votes as vote_store
from tests.e2e.votes_helpers import create_vote, make_race, open_ballot, recorded, wait_announcement
from tests.fakediscord import custom_ids, message_text, walk_components

pytestmark = pytest.mark.asyncio

SEVEN = [f"Candidate {c}" for c in "ABCDEFG"]
VALUES = {"yes": "1", "no": "2", "abstain": "0"}
EPHEMERAL = 1 << 6


def selects(message: dict) -> list[dict]:
    return [c for c in walk_components(message["components"]) if c["type"] == 3]


async def answer(world, member, announcement, vote_id, answers: dict[str, str]):
    """Open the yes/no ballot, answer `answers` (name -> yes/no/abstain) across its pages,
    submit; the submit's result."""
    opened = await open_ballot(member, announcement, vote_id)
    assert opened.ephemeral, opened.text
    message_id = opened.message["id"]
    for name, word in answers.items():
        for _ in range(3):
            msg = world.fake.message(message_id)
            select = next((s for s in selects(msg) if s["placeholder"] == name), None)
            if select is not None:
                await member.select(msg, select["custom_id"], [VALUES[word]])
                break
            onward = next(
                c["custom_id"]
                for c in walk_components(msg["components"])
                if c["type"] == 2 and c["custom_id"].startswith("vote:y:g:")
            )
            await member.click(msg, onward)
        else:
            raise LookupError(name)
    msg = world.fake.message(message_id)
    submit = next(cid for cid in custom_ids(msg) if cid.startswith("vote:y:s:"))
    return await member.click(msg, submit)


async def wait_yes_no_result(world, vote_id):
    def find():
        for m in world.votes.messages:
            if any((e.get("title") or "").startswith("Result") for e in m["embeds"]) and any(
                a["filename"] == f"vote-{vote_id}.csv" for a in m["attachments"]
            ):
                return m
        return None

    return await world.fake.wait_for(find, 15)


async def test_yes_no_seven_candidates_paged_one_passes_one_fails(chapter, caplog):
    world = chapter
    for logger in ("endorsebot", "bot", "cogs"):
        caplog.set_level(logging.DEBUG, logger=logger)
    members = world.add_members(7)  # + organiser, alice, bob = 10 on the roll
    race = await make_race(world, SEVEN)
    vote = await create_vote(world, race, method="yes-no", threshold="60%", quorum="50%")
    assert vote.method == "yes-no" and not vote.no_endorsement
    announcement = await wait_announcement(world, vote.id)
    assert "Yes/no per candidate" in message_text(announcement)
    assert "No endorsement" not in message_text(announcement)

    # The ballot: 4 candidates a page (4 selects + 1 row of buttons), page 2 holds E-G.
    opened = await open_ballot(world.alice, announcement, vote.id)
    page_one = selects(opened.message)
    assert [s["placeholder"] for s in page_one] == SEVEN[:4]
    assert len(opened.message["components"]) == 5
    assert "Page 1 of 2" in opened.text and "Candidate G: ➖ abstain" in opened.text
    assert all(len(cid) <= 100 for cid in custom_ids(opened.message))

    voters = [world.organiser, world.alice, world.bob, *members]
    # A: 7 yes, 3 no = 70% >= 60%: passes. G (page 2): 5 yes, 5 no = 50%: fails.
    for i, member in enumerate(voters):
        answers = {"Candidate A": "yes" if i < 7 else "no", "Candidate G": "yes" if i < 5 else "no"}
        if i == 0:
            answers["Candidate C"] = "abstain"
        result = await answer(world, member, announcement, vote.id, answers)
        assert recorded(result), result.text
    # Alice changes her mind on G before the close: her new ballot replaces the old one.
    replaced = await answer(
        world, world.alice, announcement, vote.id, {"Candidate A": "yes", "Candidate G": "yes"}
    )
    assert "replaces" in replaced.text

    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    posted = await wait_yes_no_result(world, vote.id)
    text = message_text(posted)
    assert "**Candidate A**: 7 yes, 3 no, 0 abstain: 70%, passes" in text
    assert "**Candidate G**: 5 yes, 5 no, 0 abstain: 50%, does not pass" in text
    assert "The chapter endorses Candidate A." in text
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert closed.ballots_cast == 10
    # Frozen like ranked ballots: grouped by content, no voter, one digit per candidate.
    ballots = await vote_store.final_ballots(world.db, vote.id)
    assert sum(w for _, w in ballots) == 10
    assert all(len(decode_ranking(r)) == 7 for r, _ in ballots)
    rows = await world.db.fetchall(
        "SELECT count(*) AS n FROM vote_keys WHERE vote_id = ?", (vote.id,)
    )
    assert rows[0]["n"] == 0
    # The secrecy rules of ranked ballots hold: answers only in the member's own ephemeral
    # ballot, never in a log line.
    for message in world.fake.messages.values():
        if any(cid.startswith("vote:y:") for cid in custom_ids(message)):
            assert message["flags"] & EPHEMERAL
    for record in caplog.records:
        assert "vote:y:" not in record.getMessage()

    # The export: the yes/no CSV (its SHA-256 is the one posted) and the report; no BLT.
    exported = await world.organiser.slash("vote export", vote=str(vote.id))
    assert {a["filename"] for a in exported.attachments} == {
        f"vote-{vote.id}.csv",
        f"vote-{vote.id}.txt",
    }
    entry = next(a for a in exported.attachments if a["filename"].endswith(".csv"))
    table = world.fake.attachments[entry["id"]]["data"]
    assert hashlib.sha256(table).hexdigest() == closed.blt_sha256
    assert closed.blt_sha256 in text
    lines = table.decode().splitlines()
    assert lines[0] == "count," + ",".join(SEVEN)
    assert sum(int(line.split(",")[0]) for line in lines[1:]) == 10


async def test_yes_no_highest_share_only_when_several_pass(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, method="yes-no", threshold="50%", several_pass="highest")
    announcement = await wait_announcement(world, vote.id)
    votes = {
        world.organiser: {"Ada Ruiz": "yes", "Bo Chen": "yes"},
        world.alice: {"Ada Ruiz": "yes", "Bo Chen": "no"},
        world.bob: {"Ada Ruiz": "yes", "Bo Chen": "yes"},
    }
    for member, answers in votes.items():
        assert recorded(await answer(world, member, announcement, vote.id, answers))
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    text = message_text(await wait_yes_no_result(world, vote.id))
    assert "**Bo Chen**: 2 yes, 1 no, 0 abstain: 66.7%, passes" in text
    assert "The chapter endorses Ada Ruiz." in text  # 100% beats 66.7%: one seat


async def test_yes_no_paper_ballots_count_with_online(chapter):
    world = chapter
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, method="yes-no", threshold="50%")
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await answer(world, world.alice, announcement, vote.id, {"Ada Ruiz": "yes"}))
    for typed, why in (
        ("Ada Ruiz: maybe", "write each answer as"),
        ("Ada Ruiz: yes, ada ruiz: no", "answered twice"),
        ("Zed: yes", "'Zed' is not on this ballot"),
    ):
        bad = await world.organiser.slash("vote paper", vote=str(vote.id), ranking=typed)
        assert bad.ephemeral and why in bad.text, bad.text
    entered = await world.organiser.slash(
        "vote paper", vote=str(vote.id), ranking="Ada Ruiz: no, Bo Chen: yes", copies=2
    )
    assert "Recorded 2 paper ballots" in entered.text
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    text = message_text(await wait_yes_no_result(world, vote.id))
    assert "3 ballots (1 online + 2 paper)" in text
    assert "**Ada Ruiz**: 1 yes, 2 no, 0 abstain: 33.3%, does not pass" in text
    assert "**Bo Chen**: 2 yes, 0 no, 1 abstain: 100%, passes" in text
