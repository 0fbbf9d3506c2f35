"""A vote's close killed (SIGKILL) at each step, or held up by another program, as a process.

Issue 13, items 1 and 2. The bot runs as its own process (`python -m bot`) against the
loopback Discord. ENDORSEBOT_FAULT (bot/faults.py, inert unless set) kills it right after
one step of the close: the freeze, the count, the result post, the scrub. A fresh process
then has to finish the close: one result post, the right count, and neither the vote's key
nor any voter's tag left in the database file or its WAL (read as raw bytes). A reader
holding a read transaction through the close must not leave the link in the WAL either:
the clean-up says it is pending, and finishes once the reader lets go.
"""

from __future__ import annotations

import contextlib
import signal
import sqlite3
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.db import Database, migrate
from bot.services import chapters as chapter_service
from bot.store import votes as vote_store
from tests.e2e.conftest import build_world
from tests.e2e.test_process import BotProcess
from tests.e2e.votes_helpers import (
    cast,
    create_vote,
    make_race,
    open_vote_with_a_ballot,
    recorded,
    result_posts,
    wait_announcement,
    wait_result,
)
from tests.fakediscord import message_text
from tests.fakediscord.actors import InteractionTimeout
from tests.fakediscord.server import FakeDiscord
from tests.jobs import wait_for_job

pytestmark = pytest.mark.asyncio


def raw_database(path: Path) -> bytes:
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


async def serving(fake: FakeDiscord, tmp_path: Path, world, **env: str) -> BotProcess:
    bot = await BotProcess(
        fake, tmp_path, clock=world.clock, DATABASE_PATH=str(world.db_path), **env
    ).start()
    await bot.wait_for_log(f"serving guild Metro DSA ({world.guild.id})")
    return bot


async def open_world(fake: FakeDiscord, tmp_path: Path, **env: str):
    """A chapter set up in a database, and the bot process serving it; the test's own
    connection reads what the bot writes (SQLite allows both)."""
    world = build_world(fake, tmp_path)
    db = await Database.open(world.db_path)
    await migrate(db)
    await chapter_service.configure(db, world.config(), now=world.clock())
    bot = await serving(fake, tmp_path, world, **env)
    return world, db, bot, SimpleNamespace(**vars(world), db=db)


async def vote_with_three_ballots(fake: FakeDiscord, tmp_path: Path, **env: str):
    """A running bot process, a vote and three ballots; the key and the voters' tags."""
    world, db, bot, members = await open_world(fake, tmp_path, **env)
    race = await make_race(members, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(members, race, closes="in 1h", quorum="10%", threshold="50%")
    announcement = await wait_announcement(members, vote.id)
    voters = [world.alice, world.bob, world.organiser]
    for member, ranking in zip(voters, (["Ada Ruiz"], ["Bo Chen"], ["Ada Ruiz"]), strict=True):
        assert recorded(await cast(members, member, announcement, vote.id, ranking))
    key = (await db.fetchone("SELECT hmac_key FROM vote_keys WHERE vote_id = ?", (vote.id,)))[0]
    tags = [vote_store.voter_tag(key, vote.id, int(m.id)) for m in voters]
    assert key in raw_database(world.db_path)  # the probe sees what the bot wrote
    return world, db, bot, members, vote, [key, *tags]


async def close_now(members, vote) -> None:
    """`/vote close` and its confirmation; the process may die before it answers."""
    asked = await members.organiser.slash("vote close", vote=str(vote.id))
    assert f"vote:close:{vote.id}" in asked.custom_ids, asked.text
    with contextlib.suppress(InteractionTimeout):
        await members.organiser.click(asked, f"vote:close:{vote.id}")


async def jobs_settled(db: Database, vote_id: int) -> None:
    """Until the vote's close job, and the clean-up job it writes, are done (the bot runs
    them)."""
    for kind in ("vote.close", "vote.scrub"):  # the close writes the clean-up: in this order
        rows = await db.fetchall(
            "SELECT id FROM scheduled_jobs"
            " WHERE kind = ? AND json_extract(payload, '$.vote_id') = ?",
            (kind, vote_id),
        )
        assert rows, f"vote {vote_id} has no {kind} job"
        for row in rows:
            job = await wait_for_job(db, row["id"])
            assert job.state == "done", job


@pytest.mark.parametrize(
    "point", ["close:after_freeze", "close:after_count", "close:after_post", "close:after_scrub"]
)
async def test_a_close_killed_at_any_step_finishes_once_after_a_restart(
    fake: FakeDiscord, tmp_path: Path, point: str
) -> None:
    world, db, bot, members, vote, secrets = await vote_with_three_ballots(
        fake, tmp_path, ENDORSEBOT_FAULT=point
    )
    try:
        await close_now(members, vote)
        assert await bot.wait() == -signal.SIGKILL, bot.log  # killed at `point`
        # The test's connection stays open across the restart, as a reader's would.
        again = await serving(fake, tmp_path, world)
        await wait_result(members, vote.id)
        await jobs_settled(db, vote.id)

        assert len(result_posts(members, vote.id)) == 1
        closed = await vote_store.get_vote(db, int(world.guild.id), vote.id)
        assert closed.ballots_cast == 3 and closed.result_message_id is not None
        assert "Ada Ruiz" in message_text(result_posts(members, vote.id)[0])
        raw = raw_database(world.db_path)
        assert not any(secret in raw for secret in secrets)
        again.kill(signal.SIGTERM)
        assert await again.wait() == 0
        assert len(result_posts(members, vote.id)) == 1
    finally:
        await db.close()


async def test_a_reader_holding_the_database_through_the_close_delays_only_the_clean_up(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    world, db, bot, members, vote, secrets = await vote_with_three_ballots(fake, tmp_path)
    reader = sqlite3.connect(world.db_path, isolation_level=None)
    try:
        reader.execute("BEGIN")  # e.g. an `sqlite3` shell left open on a SELECT
        reader.execute("SELECT count(*) FROM vote_open_ballots").fetchall()
        await close_now(members, vote)
        await wait_result(members, vote.id)  # the result does not wait for the reader
        await bot.wait_for_log("clean-up pending")
        assert "ERROR" in next(ln for ln in bot.log.splitlines() if "clean-up pending" in ln)
        told = await fake.wait_for(
            lambda: [m for m in world.review.messages if "is pending" in m["content"]], 5
        )
        assert f"Clean-up after vote #{vote.id} is pending" in told[0]["content"]
        # Honestly pending: the WAL still holds the key while the reader keeps its snapshot.
        assert secrets[0] in raw_database(world.db_path)
        reader.execute("COMMIT")
        reader.close()
        await jobs_settled(db, vote.id)
        raw = raw_database(world.db_path)
        assert not any(secret in raw for secret in secrets)
        await fake.wait_for(
            lambda: [m for m in world.review.messages if "has now finished" in m["content"]], 5
        )
        assert len(result_posts(members, vote.id)) == 1
        bot.kill(signal.SIGTERM)
        assert await bot.wait() == 0
    finally:
        reader.close()
        await db.close()


async def test_a_full_disk_during_the_clean_up_still_posts_the_result_and_retries(
    chapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13, item 8: VACUUM failing for a full disk after the freeze no longer leaves
    the close job running for ever; the result posts, the committee hears the clean-up is
    pending, and a later attempt finishes it."""
    world = chapter
    vote = await open_vote_with_a_ballot(world)
    key = (await world.db.fetchone("SELECT hmac_key FROM vote_keys"))[0]
    monkeypatch.setenv("ENDORSEBOT_FAULT", "scrub:disk_full")
    world.clock.advance(timedelta(hours=2))
    ran = await world.bot.scheduler.run_due()
    assert ran == {vote.close_job_id: "done"}
    await wait_result(world, vote.id)
    told = await world.fake.wait_for(
        lambda: [m for m in world.review.messages if "is pending" in m["content"]], 5
    )
    assert "disk is full" in told[0]["content"]
    again = await world.organiser.slash("vote close", vote=str(vote.id))
    assert again.ephemeral and "Only an open vote can be closed" in again.text, again.text

    monkeypatch.delenv("ENDORSEBOT_FAULT")  # space freed
    world.clock.advance(timedelta(seconds=3))
    assert list((await world.bot.scheduler.run_due()).values()) == ["done"]
    assert key not in raw_database(world.db_path)
    assert len(result_posts(world, vote.id)) == 1
