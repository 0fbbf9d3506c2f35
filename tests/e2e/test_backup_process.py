"""Backups taken by `endorsebot backup` while the bot process runs a vote, set side by side
and next to the ballots published at the close: nothing links a member to a ranking.

Issue 13, item 3. One copy is taken after one member voted, another after a second member
voted; then the vote closes and its BLT is published. Each copy alone holds no key, no
voter tag, no open ballot and no "voted" flag; the two copies are identical, so their
difference says nothing about who voted between them or how; and with neither holding a
ballot, the published BLT has nothing to be subtracted from.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.store import votes as vote_store
from tests.e2e.test_close_faults import close_now, jobs_settled, open_world, raw_database
from tests.e2e.votes_helpers import cast, create_vote, make_race, recorded, wait_announcement
from tests.fakediscord.server import FakeDiscord

pytestmark = pytest.mark.asyncio


async def endorsebot_backup(db_path: Path, target: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "backup",
        str(target),
        env={**env, "DATABASE_PATH": str(db_path)},
        cwd=target.parent,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, stderr.decode()
    return stdout.decode()


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


async def test_two_backups_and_the_published_ballots_link_no_member_to_a_ranking(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    world, db, bot, members = await open_world(fake, tmp_path)
    try:
        race = await make_race(members, ["Ada Ruiz", "Bo Chen"])
        vote = await create_vote(members, race, closes="in 1h", quorum="10%", threshold="50%")
        announcement = await wait_announcement(members, vote.id)
        assert recorded(await cast(members, world.alice, announcement, vote.id, ["Bo Chen"]))
        first = tmp_path / "first.sqlite3"
        assert "1 vote(s) were open" in await endorsebot_backup(world.db_path, first)
        assert recorded(await cast(members, world.bob, announcement, vote.id, ["Ada Ruiz"]))
        second = tmp_path / "second.sqlite3"
        await endorsebot_backup(world.db_path, second)
        key = (await db.fetchone("SELECT hmac_key FROM vote_keys WHERE vote_id = ?", (vote.id,)))[0]
        secrets = [
            key,
            *(vote_store.voter_tag(key, vote.id, int(m.id)) for m in (world.alice, world.bob)),
        ]
        await close_now(members, vote)
        await jobs_settled(db, vote.id)

        for copy in (first, second):
            raw = raw_database(copy)
            assert not any(secret in raw for secret in secrets), copy
            with sqlite3.connect(copy) as conn:
                assert conn.execute("SELECT count(*) FROM vote_open_ballots").fetchone() == (0,)
                assert conn.execute("SELECT count(*) FROM vote_ballots").fetchone() == (0,)
                assert (
                    conn.execute(
                        "SELECT count(*), sum(voted) FROM vote_roll WHERE vote_id = ?", (vote.id,)
                    ).fetchone()[1]
                    == 0
                )
        # Side by side, the copies taken before and after Bob voted are the same database.
        assert dump(first) == dump(second)
        # The live vote counted both ballots; the published ballots are all there is.
        closed = await vote_store.get_vote(db, int(world.guild.id), vote.id)
        assert closed.ballots_cast == 2
        bot.kill(signal.SIGTERM)
        assert await bot.wait() == 0
    finally:
        await db.close()
