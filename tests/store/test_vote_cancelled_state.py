"""Migration 0011: a vote cancelled before it (stored 'closed' with a cancel time) becomes
'cancelled', every vote and its rows survive the rebuild, and from then on the state alone
tells a cancelled vote from a closed one, for every reader of the store."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.db import Database, migrate
from bot.store import vote_admin
from bot.store import votes as store
from tests.store.test_guild_keys_migration import migrations_up_to

pytestmark = pytest.mark.asyncio

GUILD = 10
T = "2026-11-27T12:00:00+00:00"
LATER = "2026-11-29T12:00:00+00:00"
NOW = datetime(2026, 11, 30, tzinfo=UTC)

FILL = f"""
INSERT INTO races (id, guild_id, office, office_kind, ballot_line, general_date, created_at,
    updated_at) VALUES (1, {GUILD}, 'Council D3', 'legislative', 'general', '2027-11-02',
    '{T}', '{T}');
INSERT INTO votes (id, guild_id, race_id, title, layout, eligible_role_ids, quorum, threshold,
    no_endorsement, opens_at, closes_at, state, channel_id, created_by, created_at, closed_at,
    result, cancelled_at, cancelled_by, cancel_reason) VALUES
    (1, {GUILD}, 1, 'Cancelled while open', 'x', '[5]', '1/4', '3/5', 1, '{T}', '{LATER}',
     'closed', 99, 1, '{T}', '{T}', NULL, '{T}', 7, 'wrong race'),
    (2, {GUILD}, 1, 'Closed and counted', 'x', '[5]', '1/4', '3/5', 1, '{T}', '{T}',
     'closed', 99, 1, '{T}', '{T}', '{{"winners": []}}', NULL, NULL, NULL),
    (3, {GUILD}, 1, 'Open', 'x', '[5]', '1/4', '3/5', 1, '{T}', '{LATER}', 'open', 99, 1,
     '{T}', NULL, NULL, NULL, NULL, NULL),
    (4, {GUILD}, 1, 'Cancelled before it opened', 'x', '[5]', '1/4', '3/5', 1, '{LATER}',
     '{LATER}', 'closed', 99, 1, '{T}', '{T}', NULL, '{T}', 7, 'typo');
INSERT INTO vote_options (guild_id, vote_id, position, name) VALUES
    ({GUILD}, 1, 0, 'Ada'), ({GUILD}, 2, 0, 'Ada'), ({GUILD}, 3, 0, 'Ada'), ({GUILD}, 4, 0, 'Ada');
INSERT INTO vote_roll (guild_id, vote_id, member_id, voted) VALUES
    ({GUILD}, 1, 500, 1), ({GUILD}, 2, 500, 1), ({GUILD}, 3, 500, 0);
INSERT INTO vote_ballots (guild_id, vote_id, ranking, weight) VALUES ({GUILD}, 2, '0', 1);
INSERT INTO vote_keys (guild_id, vote_id, hmac_key) VALUES ({GUILD}, 3, x'00');
"""  # noqa: S608

CHILDREN = ("vote_options", "vote_roll", "vote_ballots", "vote_keys")


def rows(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608


@pytest_asyncio.fixture
async def upgraded(tmp_path: Path):
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await migrate(db, migrations_up_to(tmp_path / "old", 10))
    async with db.reading() as conn:
        await conn.executescript(FILL)
    before = {table: rows(path, table) for table in ("votes", *CHILDREN)}
    await migrate(db, migrations_up_to(tmp_path / "at_11", 11))
    at_11 = {table: rows(path, table) for table in ("votes", *CHILDREN)}
    await migrate(db)  # later migrations may add columns; the rest runs on the newest
    yield db, before, at_11
    await db.close()


async def test_a_cancel_stored_the_old_way_becomes_the_cancelled_state(upgraded) -> None:
    db, before, after = upgraded
    states = {v.id: v.state for v in await store.list_votes(db, GUILD)}
    assert states == {1: "cancelled", 2: "closed", 3: "open", 4: "cancelled"}
    cancelled = await store.get_vote(db, GUILD, 1)
    assert (cancelled.cancelled_by, cancelled.cancel_reason) == (7, "wrong race")
    # Every vote keeps every column but its state, and every child row stays.
    state = 12  # the column's position
    assert [r[:state] + r[state + 1 :] for r in after["votes"]] == [
        r[:state] + r[state + 1 :] for r in before["votes"]
    ]
    for table in CHILDREN:
        assert after[table] == before[table], table


async def test_readers_tell_cancelled_from_closed_by_the_state(upgraded) -> None:
    db, _, _ = upgraded
    assert [v.id for v in await store.running_on_race(db, GUILD, 1)] == [3]
    async with db.transaction() as conn:
        assert not await vote_admin.purge(conn, 1, actor_id=7, now=NOW)  # cancelled
        assert await vote_admin.purge(conn, 2, actor_id=7, now=NOW)  # closed and counted
        open_vote = await store.get_vote(conn, GUILD, 3)
        assert await vote_admin.cancel(conn, open_vote, actor_id=7, reason="x", now=NOW)
    assert (await store.get_vote(db, GUILD, 3)).state == "cancelled"
    assert [v.id for v in await store.running_on_race(db, GUILD, 1)] == []


async def test_a_cancelled_state_without_its_cancel_time_is_refused(upgraded) -> None:
    db, _, _ = upgraded
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        async with db.transaction() as conn:
            await conn.execute("UPDATE votes SET state = 'cancelled' WHERE id = 2")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        async with db.transaction() as conn:
            await conn.execute("UPDATE votes SET state = 'closed' WHERE id = 1")
