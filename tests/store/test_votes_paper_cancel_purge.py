"""The votes store past online ballots: paper ballots grouped with no voter and merged at the count,
cancel discarding every ballot with the key, purge keeping the result, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.votes import encode_ranking
from bot.store import vote_admin as admin_store
from bot.store import votes as store
from tests.store.test_votes_store import GUILD, NOW, make_vote, put_ballot

pytestmark = pytest.mark.asyncio


async def opened(db):
    vote = await make_vote(db)
    async with db.transaction() as conn:
        await store.open_vote(conn, vote, [1, 2, 3], now=NOW)
    return await store.get_vote(db, GUILD, vote.id)


async def test_paper_ballots_group_by_ranking_and_merge_at_the_close(db):
    vote = await opened(db)
    async with db.transaction() as conn:
        await put_ballot(conn, vote, 1, encode_ranking([1, 0]))
        assert await admin_store.add_paper(conn, vote, encode_ranking([1, 0]), 2) == 2
        assert await admin_store.add_paper(conn, vote, encode_ranking([0]), 1) == 3
    rows = await db.fetchall("SELECT * FROM vote_paper_ballots WHERE vote_id = ?", (vote.id,))
    assert {(r["ranking"], r["weight"]) for r in rows} == {("10", 2), ("0", 1)}
    assert set(rows[0].keys()) == {"guild_id", "vote_id", "ranking", "weight"}
    async with db.transaction() as conn:
        assert await store.freeze(conn, vote, now=NOW, closed_by=None, late=False) == 1
    closed = await store.get_vote(db, GUILD, vote.id)
    assert (closed.ballots_cast, closed.paper_cast) == (1, 3)
    assert await store.final_ballots(db, vote.id) == [("0", 1), ("10", 3)]


async def test_cancel_discards_ballots_and_key_and_reads_back_cancelled(db):
    vote = await opened(db)
    async with db.transaction() as conn:
        await put_ballot(conn, vote, 1, encode_ranking([0]))
        await admin_store.add_paper(conn, vote, encode_ranking([1]), 1)
        assert await admin_store.cancel(conn, vote, actor_id=7, reason="withdrew", now=NOW)
        assert not await admin_store.cancel(conn, vote, actor_id=7, reason="again", now=NOW)
        assert not await admin_store.extend(conn, vote.id, NOW + timedelta(days=3), seen=vote)
    cancelled = await store.get_vote(db, GUILD, vote.id)
    assert cancelled.state == "cancelled" and cancelled.cancel_reason == "withdrew"
    for table in ("vote_open_ballots", "vote_paper_ballots", "vote_keys", "vote_ballots"):
        rows = await db.fetchall(f"SELECT 1 FROM {table} WHERE vote_id = ?", (vote.id,))  # noqa: S608
        assert rows == [], table
    async with db.transaction() as conn:  # a close after a cancel finds nothing to freeze
        assert await store.freeze(conn, vote, now=NOW, closed_by=None, late=False) is None
        assert not await admin_store.purge(conn, vote.id, actor_id=7, now=NOW)


async def test_purge_keeps_the_result(db):
    vote = await opened(db)
    async with db.transaction() as conn:
        await put_ballot(conn, vote, 1, encode_ranking([0]))
        assert not await admin_store.purge(conn, vote.id, actor_id=7, now=NOW)  # still open
        await store.freeze(conn, vote, now=NOW, closed_by=None, late=False)
        await store.set_result(conn, vote.id, result={"winners": ["Ada"]}, blt_sha256="ab")
        assert await admin_store.purge(conn, vote.id, actor_id=7, now=NOW)
        assert not await admin_store.purge(conn, vote.id, actor_id=7, now=NOW)
    purged = await store.get_vote(db, GUILD, vote.id)
    assert purged.purged_at == NOW and purged.result == {"winners": ["Ada"]}
    assert await store.final_ballots(db, vote.id) == []


async def test_retention_per_guild(db):
    assert await admin_store.retention_days(db, GUILD) is None
    async with db.transaction() as conn:
        await admin_store.set_retention_days(conn, GUILD, 30, actor_id=1, now=NOW)
        await admin_store.set_retention_days(conn, GUILD, 45, actor_id=1, now=NOW)
    assert await admin_store.retention_days(db, GUILD) == 45
    assert await admin_store.retention_days(db, GUILD + 1) is None
