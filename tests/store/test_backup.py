"""A backup taken during an open vote holds its ballots but nothing that links them to voters."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.db import Database
from bot.domain.votes import Draft, encode_ranking
from bot.services import votes as vote_service
from bot.services.votes import BallotRefused
from bot.store import votes as store
from bot.store.backup import strip_ballot_keys
from tests.store.test_votes_store import GUILD, NOW, db, make_vote  # noqa: F401  (fixture)

pytestmark = pytest.mark.asyncio


async def test_backup_during_an_open_vote_carries_no_ballot_key(db, tmp_path: Path):  # noqa: F811
    vote = await make_vote(db)
    async with db.transaction() as conn:
        await store.open_vote(conn, vote, [101, 102, 103], now=NOW)
        for member, ranking in [(101, (0, 1)), (102, (2,)), (103, (1, 0, 3))]:
            assert await store.put_ballot(conn, vote, member, encode_ranking(ranking)) is False
    key = (await db.fetchone("SELECT hmac_key FROM vote_keys"))["hmac_key"]

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
        assert await store.put_ballot(conn, vote, 101, encode_ranking((1,))) is True

    # The copy: all three ballots, no key in any table, page or leftover file.
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM vote_keys").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM vote_open_ballots").fetchone() == (3,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith("backup.sqlite3")]
    assert leftovers == [target]
    assert key not in target.read_bytes()


async def test_a_vote_restored_from_a_backup_refuses_online_ballots_clearly(
    db,  # noqa: F811
    tmp_path: Path,
):
    vote = await make_vote(db)
    async with db.transaction() as conn:
        await store.open_vote(conn, vote, [101, 102], now=NOW)
        await store.put_ballot(conn, vote, 101, encode_ranking((0,)))
    target = tmp_path / "restored.sqlite3"
    await db.backup_to(target)
    restored = await Database.open(target)
    try:
        assert await strip_ballot_keys(restored) == 1
        draft = Draft(vote.layout, 0, (1, 0))
        for member in (101, 102):  # one who voted before the backup, one who did not
            with pytest.raises(BallotRefused, match="restored from a backup"):
                await vote_service.submit(
                    restored,
                    guild_id=GUILD,
                    vote_id=vote.id,
                    member_id=member,
                    draft=draft,
                    now=NOW,
                )
        assert (await restored.fetchone("SELECT count(*) FROM vote_open_ballots"))[0] == 1
    finally:
        await restored.close()
