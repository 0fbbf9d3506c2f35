"""A backup taken during an open vote holds nothing that links ballots to voters: no key,
no open ballot, no "voted" flag; restored, the vote takes ballots again under a new key."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.db import Database
from bot.domain.votes import Draft, encode_ranking
from bot.services import ballots
from bot.services import votes as vote_service
from bot.services.ballots import BallotRefused
from bot.store import vote_checkins as checkin_store
from bot.store import votes as store
from bot.store.backup import strip_open_ballots
from tests.store.test_votes_store import (
    GUILD,
    NOW,
    make_vote,
    put_ballot,
)

pytestmark = pytest.mark.asyncio


async def test_backup_during_an_open_vote_carries_no_ballot_and_no_voter(db, tmp_path: Path):
    vote = await make_vote(db)
    async with db.transaction() as conn:
        await store.open_vote(conn, vote, [101, 102, 103], now=NOW)
        for member, ranking in [(101, (0, 1)), (102, (2,)), (103, (1, 0, 3))]:
            assert await put_ballot(conn, vote, member, encode_ranking(ranking)) is False
        assert await checkin_store.check_in(conn, GUILD, vote.id, 104) is True
    key = (await db.fetchone("SELECT hmac_key FROM vote_keys"))["hmac_key"]
    tags = [store.voter_tag(key, vote.id, m) for m in (101, 102, 103)]

    target = tmp_path / "backup.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "backup",
        str(target),
        env={**env, "DATABASE_PATH": str(db.path)},
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, stderr.decode()
    assert "1 vote(s) were open" in stdout.decode()

    # The live vote is untouched: its key is still there and ballots can still be replaced.
    assert (await db.fetchone("SELECT hmac_key FROM vote_keys"))["hmac_key"] == key
    async with db.transaction() as conn:
        assert await put_ballot(conn, vote, 101, encode_ranking((1,))) is True

    # The copy: the vote and its roll, but no key, no ballot, no "voted" flag, in any table,
    # page or leftover file.
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM vote_keys").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM vote_open_ballots").fetchone() == (0,)
        assert conn.execute("SELECT count(*), sum(voted) FROM vote_roll").fetchone() == (3, 0)
        # Nor who was checked in at a meeting (next to the paper ballots entered after them).
        assert conn.execute("SELECT count(*) FROM vote_checkins").fetchone() == (0,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith("backup.sqlite3")]
    assert leftovers == [target]
    raw = target.read_bytes()
    assert key not in raw and not any(tag in raw for tag in tags)


async def submit(database: Database, vote, member: int, ranking: tuple[int, ...]):
    return await ballots.submit(
        database,
        guild_id=GUILD,
        vote_id=vote.id,
        member_id=member,
        draft=Draft(vote.layout, 0, ranking),
        now=NOW,
    )


async def test_a_vote_restored_from_a_backup_takes_ballots_again_under_a_new_key(
    db,
    tmp_path: Path,
):
    vote = await make_vote(db)
    async with db.transaction() as conn:
        await store.open_vote(conn, vote, [101, 102], now=NOW)
        await put_ballot(conn, vote, 101, encode_ranking((0,)))
    old_key = (await db.fetchone("SELECT hmac_key FROM vote_keys"))["hmac_key"]
    target = tmp_path / "restored.sqlite3"
    await db.backup_to(target)
    restored = await Database.open(target)
    try:
        assert await strip_open_ballots(restored) == 1
        for member in (101, 102):  # one who voted before the backup, one who did not
            assert (await submit(restored, vote, member, (1, 0))).replaced is False
        assert (await submit(restored, vote, 101, (0,))).replaced is True
        new_key = (await restored.fetchone("SELECT hmac_key FROM vote_keys"))["hmac_key"]
        assert new_key != old_key
        now_vote = await vote_service.get(restored, GUILD, vote.id)
        assert await vote_service.turnout(restored, now_vote) == (2, 2)
    finally:
        await restored.close()


async def test_an_older_backup_s_unfindable_ballot_stands_and_its_member_is_told(
    db,
):
    """A copy made before this release kept open ballots and flags but not the key: the
    member whose ballot it kept cannot replace it (it would count twice); others vote."""
    vote = await make_vote(db)
    async with db.transaction() as conn:
        await store.open_vote(conn, vote, [101, 102], now=NOW)
        await put_ballot(conn, vote, 101, encode_ranking((0,)))
        await conn.execute("DELETE FROM vote_keys")  # what the older backup did
    with pytest.raises(BallotRefused, match="still counts"):
        await submit(db, vote, 101, (1,))
    assert (await submit(db, vote, 102, (1,))).replaced is False
    assert (await db.fetchone("SELECT count(*) FROM vote_open_ballots"))[0] == 2
