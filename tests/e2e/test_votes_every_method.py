"""Every method the engine counts, through the loopback Discord: a Meek STV vote and a
ranked-pairs vote with their result posts and charts, and a yes/no vote whose export
`endorsebot tally --method yes-no` recounts to the verdicts the bot posted."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

from bot import tally_cli
from bot.store import votes as vote_store
from tests.e2e.test_votes_yes_no import answer, wait_yes_no_result
from tests.e2e.votes_helpers import cast, create_vote, make_race, recorded, wait_announcement
from tests.e2e.votes_helpers import wait_result as wait_ranked_result
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio

PNG = b"\x89PNG\r\n\x1a\n"


def attachment(world, message, suffix) -> bytes:
    entry = next(a for a in message["attachments"] if a["filename"].endswith(suffix))
    return world.fake.attachments[entry["id"]]["data"]


def tally(*argv) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert tally_cli.main([str(a) for a in argv]) == 0
    return out.getvalue()


def posted_command(text: str) -> list[str]:
    """The recount command the result post prints, as arguments after the file name."""
    command = re.search(r"`endorsebot tally (vote-\d+\.\w+)([^`]*)`", text)
    assert command, text
    return command.group(2).split()


async def close_now(world, vote, wait):
    asked = await world.organiser.slash("vote close", vote=str(vote.id))
    await world.organiser.click(asked, f"vote:close:{vote.id}")
    return await wait(world, vote.id)


async def test_meek_stv_two_seats_posts_its_rounds_and_recounts(chapter, tmp_path):
    world = chapter
    members = world.add_members(6)  # 9 on the roll
    race = await make_race(world, ["Ada Ruiz", "Bo Chen", "Cy Diallo", "Di Okafor"])
    vote = await create_vote(world, race, method="meek", seats=2, no_endorsement=False)
    assert (vote.method, vote.seats) == ("meek", 2)
    announcement = await wait_announcement(world, vote.id)
    assert "Meek STV, 2 seats" in message_text(announcement)
    voters = [world.organiser, world.alice, world.bob, *members]
    pattern = (
        [["Ada Ruiz", "Cy Diallo"]] * 4
        + [["Bo Chen", "Cy Diallo"]] * 2
        + [["Cy Diallo", "Bo Chen"]]
        + [["Di Okafor", "Bo Chen"]] * 2
    )
    for member, ranking in zip(voters, pattern, strict=True):
        assert recorded(await cast(world, member, announcement, vote.id, ranking))
    posted = await close_now(world, vote, wait_ranked_result)
    text = message_text(posted)
    # Ada's surplus follows her ballots to Cy Diallo, who is still the lowest and goes out.
    assert "Meek STV, 2 seats: elected Ada Ruiz, Bo Chen." in text
    assert "**Ada Ruiz** elected with 4 (quota 3.00)" in text
    assert "Round 2: Cy Diallo out" in text
    assert "The chapter endorses Ada Ruiz, Bo Chen." in text
    assert attachment(world, posted, "-rounds.png").startswith(PNG)
    report = attachment(world, posted, ".txt").decode()
    assert "Method: Meek STV" in report and "ended by omega" in report

    # The recount printed with the result gives the same rounds from the attached BLT.
    arguments = posted_command(text)
    assert arguments == ["--method", "meek"]
    path = tmp_path / f"vote-{vote.id}.blt"
    path.write_bytes(attachment(world, posted, ".blt"))
    again = json.loads(tally(path, *arguments, "--json"))
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert again["rounds"] == closed.result["rounds"]
    assert again["winners"] == ["Ada Ruiz", "Bo Chen"]


async def test_ranked_pairs_locks_the_strongest_wins_and_draws_the_pairs(chapter, tmp_path):
    world = chapter
    members = world.add_members(6)  # 9 on the roll
    race = await make_race(world, ["Ada Ruiz", "Bo Chen", "Cy Diallo"])
    vote = await create_vote(world, race, method="ranked-pairs", no_endorsement=False)
    announcement = await wait_announcement(world, vote.id)
    assert "Condorcet (ranked pairs)" in message_text(announcement)
    voters = [world.organiser, world.alice, world.bob, *members]
    # A cycle: Ada beats Bo 6-3, Bo beats Cy 7-2, Cy beats Ada 5-4. Ranked pairs locks Bo>Cy
    # and Ada>Bo, then skips Cy>Ada (it would contradict them): Ada wins.
    pattern = (
        [["Ada Ruiz", "Bo Chen", "Cy Diallo"]] * 4
        + [["Bo Chen", "Cy Diallo", "Ada Ruiz"]] * 3
        + [["Cy Diallo", "Ada Ruiz", "Bo Chen"]] * 2
    )
    for member, ranking in zip(voters, pattern, strict=True):
        assert recorded(await cast(world, member, announcement, vote.id, ranking))
    posted = await close_now(world, vote, wait_ranked_result)
    text = message_text(posted)
    assert "Condorcet (ranked pairs) winner: **Ada Ruiz**." in text
    assert "Decided head to head, not in rounds" in text
    assert "The chapter endorses Ada Ruiz." in text
    assert attachment(world, posted, "-rounds.png").startswith(PNG)
    report = attachment(world, posted, ".txt").decode()
    assert "Pairwise: ballots preferring the row to the column" in report
    assert "Locked in, strongest first: 2 defeats" in report
    assert "Cy Diallo over Ada Ruiz" in report  # the skipped defeat, named

    arguments = posted_command(text)
    assert arguments == ["--method", "ranked-pairs"]
    path = tmp_path / f"vote-{vote.id}.blt"
    path.write_bytes(attachment(world, posted, ".blt"))
    assert json.loads(tally(path, *arguments, "--json"))["winners"] == ["Ada Ruiz"]


async def test_yes_no_export_recounts_by_the_cli_to_the_posted_verdicts(chapter, tmp_path):
    world = chapter
    members = world.add_members(5)  # 8 on the roll
    names = ["Ada Ruiz", "Bo Chen", "Cy Diallo"]
    race = await make_race(world, names)
    vote = await create_vote(
        world, race, method="yes-no", threshold="2/3", seats=1, several_pass="highest"
    )
    announcement = await wait_announcement(world, vote.id)
    voters = [world.organiser, world.alice, world.bob, *members]
    # Ada 6 yes 2 no (3/4, passes); Bo 4 yes 2 no 2 abstain (2/3 exactly, passes);
    # Cy 3 yes 5 no (does not pass). One endorsement: the higher share, Ada.
    for i, member in enumerate(voters):
        answers = {
            "Ada Ruiz": "yes" if i < 6 else "no",
            "Bo Chen": "yes" if i < 4 else ("no" if i < 6 else "abstain"),
            "Cy Diallo": "yes" if i < 3 else "no",
        }
        assert recorded(await answer(world, member, announcement, vote.id, answers))
    posted = await close_now(world, vote, wait_yes_no_result)
    text = message_text(posted)
    verdicts = re.findall(r"• \*\*(.+?)\*\*: (.+)", text)
    assert verdicts == [
        ("Ada Ruiz", "6 yes, 2 no, 0 abstain: 75%, passes"),
        ("Bo Chen", "4 yes, 2 no, 2 abstain: 66.7%, passes"),
        ("Cy Diallo", "3 yes, 5 no, 0 abstain: 37.5%, does not pass"),
    ]
    assert "The chapter endorses Ada Ruiz." in text

    exported = await world.organiser.slash("vote export", vote=str(vote.id))
    path = tmp_path / f"vote-{vote.id}.csv"
    path.write_bytes(attachment(world, exported.message, ".csv"))
    # The command the post prints, run on the exported file, prints the same verdicts.
    arguments = posted_command(text)
    assert arguments == [
        "--method", "yes-no", "--threshold", "2/3", "--seats", "1", "--several-pass", "highest"
    ]  # fmt: skip
    printed = tally(path, *arguments)
    assert re.findall(r"^  (.+?): (.+)$", printed, re.MULTILINE) == verdicts
    assert "Endorsed (if quorum was met): Ada Ruiz" in printed
    closed = await vote_store.get_vote(world.db, int(world.guild.id), vote.id)
    assert closed.blt_sha256 in printed  # the seed a tie among the highest would be drawn by
