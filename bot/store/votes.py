"""Votes, their roll and their ballots.

Secrecy is built here. While a vote is open its ballots are keyed by
HMAC-SHA256(per-vote key, "vote_id:member_id"), so a member's new ballot replaces the old one,
and turnout is a flag on the roll. `freeze` (in the closing transaction) groups the ballots
into (ranking, weight) rows keyed by the ranking itself and deletes the key and the keyed
rows; `bot.store.scrub` then checkpoints the WAL and VACUUMs so no page keeps them.
Every write here turns `secure_delete` on for the connection, so freed pages are zeroed.
Nothing in this module logs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import secrets
import sqlite3
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

import aiosqlite

from bot.domain.vote_types import NewVote, Vote, VoteMethod, VoteOption, VoteState
from bot.store.rows import Source, fetch_all, instant, instant_text


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _vote(row: sqlite3.Row) -> Vote:
    return Vote(
        id=row["id"],
        guild_id=row["guild_id"],
        race_id=row["race_id"],
        title=row["title"],
        method=VoteMethod(row["method"]),
        layout=row["layout"],
        eligible_role_ids=tuple(json.loads(row["eligible_role_ids"])),
        quorum=Fraction(row["quorum"]),
        threshold=Fraction(row["threshold"]),
        no_endorsement=bool(row["no_endorsement"]),
        opens_at=instant(row["opens_at"]),
        closes_at=instant(row["closes_at"]),
        state=VoteState(row["state"]),
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        roll_size=row["roll_size"],
        ballots_cast=row["ballots_cast"],
        opened_at=instant(row["opened_at"]),
        closed_at=instant(row["closed_at"]),
        closed_late=bool(row["closed_late"]),
        closed_by=row["closed_by"],
        result=None if row["result"] is None else json.loads(row["result"]),
        blt_sha256=row["blt_sha256"],
        result_message_id=row["result_message_id"],
        open_job_id=row["open_job_id"],
        close_job_id=row["close_job_id"],
        created_by=row["created_by"],
        created_at=instant(row["created_at"]),
        seats=row["seats"],
        several_pass=row["several_pass"],
        paper_cast=row["paper_cast"],
        cancelled_at=instant(row["cancelled_at"]),
        cancelled_by=row["cancelled_by"],
        cancel_reason=row["cancel_reason"],
        purged_at=instant(row["purged_at"]),
        race_status_before=row["race_status_before"],
        scrub_job_id=row["scrub_job_id"],
        continue_until_two=bool(row["continue_until_two"]),
    )


_SECURED: weakref.WeakSet[aiosqlite.Connection] = weakref.WeakSet()


async def _secure(conn: aiosqlite.Connection) -> None:
    # Once per connection: pages freed from then on are overwritten with zeros.
    if conn in _SECURED:
        return
    async with conn.execute("PRAGMA secure_delete = ON") as cur:
        await cur.fetchall()
    _SECURED.add(conn)


# --- votes -----------------------------------------------------------------------------------


async def insert_vote(conn: aiosqlite.Connection, new: NewVote, *, now: datetime) -> int:
    cur = await conn.execute(
        "INSERT INTO votes (guild_id, race_id, title, method, layout, eligible_role_ids,"
        " quorum, threshold, no_endorsement, opens_at, closes_at, channel_id, created_by,"
        " created_at, seats, several_pass, race_status_before, continue_until_two)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.guild_id,
            new.race_id,
            new.title,
            new.method,
            new.layout,
            json.dumps(list(new.eligible_role_ids)),
            _fraction(new.quorum),
            _fraction(new.threshold),
            int(new.no_endorsement),
            instant_text(new.opens_at),
            instant_text(new.closes_at),
            new.channel_id,
            new.created_by,
            instant_text(now),
            new.seats,
            new.several_pass,
            new.race_status_before,
            int(new.continue_until_two),
        ),
    )
    vote_id = cur.lastrowid
    await conn.executemany(
        "INSERT INTO vote_options (guild_id, vote_id, position, name, candidate_id)"
        " VALUES (?, ?, ?, ?, ?)",
        [(new.guild_id, vote_id, o.position, o.name, o.candidate_id) for o in new.options],
    )
    return vote_id


async def get_vote(source: Source, guild_id: int, vote_id: int) -> Vote | None:
    rows = await fetch_all(
        source, "SELECT * FROM votes WHERE guild_id = ? AND id = ?", (guild_id, vote_id)
    )
    return _vote(rows[0]) if rows else None


async def get_vote_by_id(source: Source, vote_id: int) -> Vote | None:
    """For scheduler handlers, whose job row already carries the guild."""
    rows = await fetch_all(source, "SELECT * FROM votes WHERE id = ?", (vote_id,))
    return _vote(rows[0]) if rows else None


async def list_votes(source: Source, guild_id: int) -> list[Vote]:
    rows = await fetch_all(
        source, "SELECT * FROM votes WHERE guild_id = ? ORDER BY closes_at DESC, id", (guild_id,)
    )
    return [_vote(r) for r in rows]


async def running_on_race(source: Source, guild_id: int, race_id: int) -> list[Vote]:
    """The race's votes that are scheduled or open (not closed, not cancelled), oldest first."""
    rows = await fetch_all(
        source,
        "SELECT * FROM votes WHERE guild_id = ? AND race_id = ? AND state IN ('scheduled', 'open')"
        " ORDER BY id",
        (guild_id, race_id),
    )
    return [_vote(r) for r in rows]


async def options(source: Source, vote_id: int) -> tuple[VoteOption, ...]:
    rows = await fetch_all(
        source,
        "SELECT position, name, candidate_id FROM vote_options WHERE vote_id = ? ORDER BY position",
        (vote_id,),
    )
    return tuple(VoteOption(r["position"], r["name"], r["candidate_id"]) for r in rows)


async def set_jobs(
    conn: aiosqlite.Connection, vote_id: int, *, open_job_id: int | None, close_job_id: int
) -> None:
    await conn.execute(
        "UPDATE votes SET open_job_id = ?, close_job_id = ? WHERE id = ?",
        (open_job_id, close_job_id, vote_id),
    )


async def set_scrub_job(conn: aiosqlite.Connection, vote: Vote, job_id: int) -> None:
    await conn.execute(
        "UPDATE votes SET scrub_job_id = ? WHERE guild_id = ? AND id = ?",
        (job_id, vote.guild_id, vote.id),
    )


async def set_announcement(
    conn: aiosqlite.Connection, vote_id: int, *, channel_id: int, message_id: int
) -> None:
    await conn.execute(
        "UPDATE votes SET channel_id = ?, message_id = ? WHERE id = ?",
        (channel_id, message_id, vote_id),
    )


async def request_close(
    conn: aiosqlite.Connection, vote_id: int, *, actor_id: int, now: datetime
) -> bool:
    """An early close: the close time becomes `now` (no ballot is admitted from then on) and
    the actor is remembered for the result; False unless the vote is open."""
    cur = await conn.execute(
        "UPDATE votes SET closes_at = ?, closed_by = ? WHERE id = ? AND state = 'open'",
        (instant_text(now), actor_id, vote_id),
    )
    return cur.rowcount > 0


async def set_result_message(conn: aiosqlite.Connection, vote_id: int, message_id: int) -> None:
    await conn.execute("UPDATE votes SET result_message_id = ? WHERE id = ?", (message_id, vote_id))


# --- open: roll and key ----------------------------------------------------------------------


async def open_vote(
    conn: aiosqlite.Connection, vote: Vote, roll: Iterable[int], *, now: datetime
) -> int:
    """Freeze the roll, create the vote's key, mark it open; the roll's size.

    Returns -1 (and changes nothing) if the vote is not `scheduled`: opening is idempotent.
    """
    cur = await conn.execute(
        "UPDATE votes SET state = 'open', opened_at = ? WHERE id = ? AND state = 'scheduled'",
        (instant_text(now), vote.id),
    )
    if cur.rowcount == 0:
        return -1
    members = sorted(set(roll))
    await conn.executemany(
        "INSERT INTO vote_roll (guild_id, vote_id, member_id) VALUES (?, ?, ?)",
        [(vote.guild_id, vote.id, m) for m in members],
    )
    await conn.execute(
        "INSERT INTO vote_keys (guild_id, vote_id, hmac_key) VALUES (?, ?, ?)",
        (vote.guild_id, vote.id, secrets.token_bytes(32)),
    )
    await conn.execute("UPDATE votes SET roll_size = ? WHERE id = ?", (len(members), vote.id))
    return len(members)


async def on_roll(source: Source, vote_id: int, member_id: int) -> bool:
    rows = await fetch_all(
        source,
        "SELECT 1 FROM vote_roll WHERE vote_id = ? AND member_id = ?",
        (vote_id, member_id),
    )
    return bool(rows)


async def turnout(source: Source, vote_id: int) -> int:
    rows = await fetch_all(
        source, "SELECT count(*) AS n FROM vote_roll WHERE vote_id = ? AND voted = 1", (vote_id,)
    )
    return int(rows[0]["n"])


# --- ballots ---------------------------------------------------------------------------------


def voter_tag(key: bytes, vote_id: int, member_id: int) -> bytes:
    return hmac.new(key, f"{vote_id}:{member_id}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class BallotContext:
    """What taking one member's ballot needs, read in one query inside its transaction."""

    vote: Vote
    option_count: int
    has_key: bool
    on_roll: bool
    voted: bool
    key: bytes = field(repr=False, default=b"")


async def ballot_context(
    conn: aiosqlite.Connection, guild_id: int, vote_id: int, member_id: int
) -> BallotContext | None:
    """The vote, its option count, its key and the member's roll entry; None if no vote."""
    async with conn.execute(
        "SELECT v.*,"
        " (SELECT count(*) FROM vote_options o WHERE o.vote_id = v.id) AS option_count,"
        " (SELECT hmac_key FROM vote_keys k WHERE k.vote_id = v.id) AS hmac_key,"
        " (SELECT voted FROM vote_roll r WHERE r.vote_id = v.id AND r.member_id = ?) AS voted"
        " FROM votes v WHERE v.guild_id = ? AND v.id = ?",
        (member_id, guild_id, vote_id),
    ) as cur:
        row = await cur.fetchone()
    if row is None:
        return None
    return BallotContext(
        vote=_vote(row),
        option_count=row["option_count"],
        has_key=row["hmac_key"] is not None,
        on_roll=row["voted"] is not None,
        voted=bool(row["voted"]),
        key=row["hmac_key"] or b"",
    )


async def new_key(conn: aiosqlite.Connection, context: BallotContext) -> BallotContext:
    """Give an open vote that lost its key (restored from a backup) a new one, in the
    ballot's transaction; the context with it."""
    vote = context.vote
    await conn.execute(
        "INSERT INTO vote_keys (guild_id, vote_id, hmac_key) VALUES (?, ?, ?)"
        " ON CONFLICT (vote_id) DO NOTHING",
        (vote.guild_id, vote.id, secrets.token_bytes(32)),
    )
    async with conn.execute("SELECT hmac_key FROM vote_keys WHERE vote_id = ?", (vote.id,)) as cur:
        (key,) = await cur.fetchone()
    return dataclasses.replace(context, has_key=True, key=key)


async def write_ballot(
    conn: aiosqlite.Connection, context: BallotContext, member_id: int, ranking: str
) -> bool:
    """Record (or replace) the member's ballot; True if it replaced an earlier one.

    The caller has checked `context` (open, key present, on the roll) in this transaction.
    """
    await _secure(conn)
    vote = context.vote
    tag = voter_tag(context.key, vote.id, member_id)
    await conn.execute(
        "INSERT INTO vote_open_ballots (guild_id, vote_id, voter_tag, ranking) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (vote_id, voter_tag) DO UPDATE SET ranking = excluded.ranking",
        (vote.guild_id, vote.id, tag, ranking),
    )
    if not context.voted:
        await conn.execute(
            "UPDATE vote_roll SET voted = 1 WHERE vote_id = ? AND member_id = ?",
            (vote.id, member_id),
        )
    return context.voted


async def freeze(
    conn: aiosqlite.Connection,
    vote: Vote,
    *,
    now: datetime,
    closed_by: int | None,
    late: bool,
) -> int | None:
    """Close the vote: group its ballots by ranking, destroy the key and the keyed rows.

    Returns the number of ballots cast, or None if the vote was not open (idempotent).
    """
    await _secure(conn)
    cur = await conn.execute(
        "UPDATE votes SET state = 'closed', closed_at = ?, closed_by = coalesce(?, closed_by),"
        " closed_late = ?"
        " WHERE id = ? AND state = 'open'",
        (instant_text(now), closed_by, int(late), vote.id),
    )
    if cur.rowcount == 0:
        return None
    async with conn.execute(
        "SELECT ranking FROM vote_open_ballots WHERE vote_id = ?", (vote.id,)
    ) as cur:
        grouped = Counter(row["ranking"] for row in await cur.fetchall())
    await conn.executemany(
        "INSERT INTO vote_ballots (guild_id, vote_id, ranking, weight) VALUES (?, ?, ?, ?)",
        [(vote.guild_id, vote.id, ranking, n) for ranking, n in sorted(grouped.items())],
    )
    await conn.execute("DELETE FROM vote_open_ballots WHERE vote_id = ?", (vote.id,))
    await conn.execute("DELETE FROM vote_keys WHERE vote_id = ?", (vote.id,))
    cast = sum(grouped.values())
    await conn.execute(
        "UPDATE votes SET ballots_cast = ?, paper_cast = (SELECT coalesce(sum(weight), 0)"
        " FROM vote_paper_ballots WHERE vote_id = ?) WHERE id = ?",
        (cast, vote.id, vote.id),
    )
    return cast


async def final_ballots(source: Source, vote_id: int) -> list[tuple[str, int]]:
    """The closed vote's ballots, online and paper together, as (encoded ranking, weight)
    in ranking order."""
    rows = await fetch_all(
        source,
        "SELECT ranking, sum(weight) AS weight FROM ("
        " SELECT ranking, weight FROM vote_ballots WHERE vote_id = ?"
        " UNION ALL SELECT ranking, weight FROM vote_paper_ballots WHERE vote_id = ?"
        ") GROUP BY ranking ORDER BY ranking",
        (vote_id, vote_id),
    )
    return [(r["ranking"], r["weight"]) for r in rows]


async def set_result(
    conn: aiosqlite.Connection, vote_id: int, *, result: dict, blt_sha256: str
) -> None:
    await conn.execute(
        "UPDATE votes SET result = ?, blt_sha256 = ? WHERE id = ?",
        (json.dumps(result, sort_keys=True), blt_sha256, vote_id),
    )
