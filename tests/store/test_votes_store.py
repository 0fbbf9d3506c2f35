"""The votes store on a real SQLite file: roll, replaceable ballots, and a close that leaves
no way back from a ranking to a voter, checked on the file's raw bytes."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from bot.db import Database
from bot.domain.vote_types import NewVote, Vote, VoteOption
from bot.domain.votes import encode_ranking, layout_of
from bot.store import votes as store
from bot.store.scrub import scrub
from tests.clock import ELECTION, T0

pytestmark = pytest.mark.asyncio

NOW = T0
GUILD = 10
NAMES = ("Ada", "Bo", "Cy", "No endorsement")


async def put_ballot(conn, vote: Vote, member_id: int, ranking: str) -> bool | None:
    """Write a ballot the way the vote service does (its checks of state and close time
    aside): True if it replaced one; None, writing nothing, without a key or off the roll."""
    context = await store.ballot_context(conn, vote.guild_id, vote.id, member_id)
    if context is None or not context.has_key or not context.on_roll:
        return None
    return await store.write_ballot(conn, context, member_id, ranking)


async def make_vote(db: Database) -> Vote:
    new = NewVote(
        guild_id=GUILD,
        race_id=1,
        title="Council D3",
        layout=layout_of(NAMES),
        options=tuple(VoteOption(i, n, None) for i, n in enumerate(NAMES)),
        eligible_role_ids=(5,),
        quorum=Fraction(1, 4),
        threshold=Fraction(3, 5),
        no_endorsement=True,
        opens_at=NOW,
        closes_at=NOW + timedelta(days=1),
        channel_id=99,
        created_by=1,
    )
    async with db.transaction() as conn:
        # The race, written as a row: this file checks the votes store, not the race service.
        await conn.execute(
            "INSERT OR IGNORE INTO races (id, guild_id, office, office_kind, ballot_line,"
            " general_date, created_at, updated_at)"
            " VALUES (1, ?, 'Council D3', 'legislative', 'general', ?, ?, ?)",
            (GUILD, ELECTION.isoformat(), NOW.isoformat(), NOW.isoformat()),
        )
        vote_id = await store.insert_vote(conn, new, now=NOW)
    vote = await store.get_vote(db, GUILD, vote_id)
    assert vote is not None
    return vote


async def test_vote_round_trips_with_options(db):
    vote = await make_vote(db)
    assert vote.state == "scheduled"
    assert vote.quorum == Fraction(1, 4) and vote.threshold == Fraction(3, 5)
    assert [o.name for o in await store.options(db, vote.id)] == list(NAMES)
    assert [v.id for v in await store.list_votes(db, GUILD)] == [vote.id]
    assert await store.get_vote(db, GUILD + 1, vote.id) is None


async def test_open_freezes_roll_once(db):
    vote = await make_vote(db)
    async with db.transaction() as conn:
        assert await store.open_vote(conn, vote, [3, 1, 2, 2], now=NOW) == 3
    async with db.transaction() as conn:
        assert await store.open_vote(conn, vote, [4], now=NOW) == -1
    assert await store.on_roll(db, vote.id, 1)
    assert not await store.on_roll(db, vote.id, 4)
    assert (await store.get_vote(db, GUILD, vote.id)).roll_size == 3


async def test_ballot_replaces_and_turnout_counts_members(db):
    vote = await make_vote(db)
    async with db.transaction() as conn:
        await store.open_vote(conn, vote, [1, 2], now=NOW)
        assert await put_ballot(conn, vote, 1, "01") is False
        assert await put_ballot(conn, vote, 1, "2") is True
        assert await put_ballot(conn, vote, 2, "") is False
        assert await put_ballot(conn, vote, 3, "0") is None  # not on the roll
    assert await store.turnout(db, vote.id) == 2
    async with db.transaction() as conn:
        assert await store.freeze(conn, vote, now=NOW, closed_by=None, late=False) == 2
    assert await store.final_ballots(db, vote.id) == [("", 1), ("2", 1)]


async def test_no_ballot_without_key_and_freeze_is_once(db):
    vote = await make_vote(db)
    async with db.transaction() as conn:
        assert await put_ballot(conn, vote, 1, "0") is None  # scheduled: no key
        await store.open_vote(conn, vote, [1], now=NOW)
        await put_ballot(conn, vote, 1, "0")
        assert await store.freeze(conn, vote, now=NOW, closed_by=7, late=True) == 1
        assert await store.freeze(conn, vote, now=NOW, closed_by=7, late=True) is None
        assert await put_ballot(conn, vote, 1, "1") is None
    closed = await store.get_vote(db, GUILD, vote.id)
    assert closed.state == "closed" and closed.closed_late and closed.closed_by == 7
    assert closed.ballots_cast == 1


async def test_closed_vote_leaves_nothing_to_link_voters_to_rankings(db, tmp_path):
    """The raw file and WAL after the close hold neither the key, nor any voter tag, nor
    a row of the keyed ballot table; the ballots are stored in ranking order."""
    vote = await make_vote(db)
    members = list(range(1000, 1060))
    rng = random.Random(4)
    async with db.transaction() as conn:
        await store.open_vote(conn, vote, members, now=NOW)
    key = (await db.fetchone("SELECT hmac_key FROM vote_keys WHERE vote_id = ?", (vote.id,)))[0]
    cast: dict[int, str] = {}
    for member in members:
        for _ in range(2):  # every member changes their ballot once
            ranking = encode_ranking(rng.sample(range(4), rng.randint(0, 4)))
            async with db.transaction() as conn:
                await put_ballot(conn, vote, member, ranking)
            cast[member] = ranking
    tags = [store.voter_tag(key, vote.id, m) for m in members]
    raw_before = _raw(db.path)
    assert key in raw_before and any(tag in raw_before for tag in tags)  # the probe works

    async with db.transaction() as conn:
        await store.freeze(conn, vote, now=NOW, closed_by=None, late=False)
    assert await scrub(db)

    raw = _raw(db.path)
    assert key not in raw
    assert not any(tag in raw for tag in tags)
    assert await db.fetchall("SELECT * FROM vote_open_ballots") == []
    assert await db.fetchall("SELECT * FROM vote_keys") == []
    ballots = await store.final_ballots(db, vote.id)
    assert [r for r, _ in ballots] == sorted(r for r, _ in ballots)
    assert sum(w for _, w in ballots) == len(members)
    # What remains per member is turnout only.
    columns = {r[1] for r in await db.fetchall("PRAGMA table_info(vote_roll)")}
    assert columns == {"guild_id", "vote_id", "member_id", "voted"}
    wal = db.path.with_name(db.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def _raw(path: Path) -> bytes:
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


async def test_scrub_reports_a_reader_holding_the_wal_and_finishes_once_it_lets_go(db):
    """A read transaction of another program (an `sqlite3` shell, a backup tool) keeps the
    WAL's frames, key included: the scrub says it is not done, and a later one is."""
    vote = await make_vote(db)
    async with db.transaction() as conn:
        await store.open_vote(conn, vote, [101, 102], now=NOW)
        await put_ballot(conn, vote, 101, encode_ranking((1, 0)))
    key = (await db.fetchone("SELECT hmac_key FROM vote_keys WHERE vote_id = ?", (vote.id,)))[0]
    reader = sqlite3.connect(db.path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM vote_open_ballots").fetchall()
        async with db.transaction() as conn:
            await store.freeze(conn, vote, now=NOW, closed_by=None, late=False)
        assert await scrub(db) is False
        assert await scrub(db) is False  # and again, changing nothing
        reader.execute("COMMIT")
    finally:
        reader.close()
    assert await scrub(db) is True
    assert key not in _raw(db.path)
    assert await scrub(db) is True  # idempotent
