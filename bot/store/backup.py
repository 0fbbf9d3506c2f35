"""What a backup copy must not carry: anything that links an open vote's ballots to voters.

A backup outlives the vote it was taken during, and several backups may sit side by side
next to the ballots published at the close. Were the per-vote key in a copy, anyone holding
it could recompute HMAC(key, vote:member) and read each member's ballot. Were the open
ballots or the roll's "voted" flags in it, one copy taken when a single member had voted
would show that member's ranking, and two copies would differ by exactly the members and
the rankings cast in between. So for every vote not yet closed the copy keeps the vote and
its roll but none of its key, its online ballots, who had voted, or who was checked in at a
meeting (two copies would differ by those members and the paper rankings entered between);
paper ballots (entered anonymously by tellers) stay. The copy is vacuumed with
secure_delete so no freed page keeps what was removed. A closed vote's ballots are already
grouped by ranking, with no voter.

Restored, such a vote takes ballots again under a new key: members vote again
(bot/services/votes.py). A copy made by an older release may still hold ballots whose key is
gone; their members' "voted" flags stay set, and those members are told their earlier
ballot stands.
"""

from __future__ import annotations

from bot.db import Database
from bot.store.scrub import scrub

_NOT_CLOSED = "SELECT id FROM votes WHERE state IN ('scheduled', 'open')"


async def strip_open_ballots(copy: Database) -> int:
    """Remove from a backup copy every key, every open (keyed) ballot and every unclosed
    vote's "voted" flags, leaving no recoverable trace; return how many votes were open."""
    async with copy.transaction() as conn:
        async with conn.execute("SELECT count(*) FROM votes WHERE state = 'open'") as cursor:
            (open_votes,) = await cursor.fetchone()
        await conn.execute("PRAGMA secure_delete = ON")
        await conn.execute("DELETE FROM vote_keys")
        await conn.execute("DELETE FROM vote_open_ballots")
        await conn.execute(f"UPDATE vote_roll SET voted = 0 WHERE vote_id IN ({_NOT_CLOSED})")  # noqa: S608
        # Check-ins too: two copies would differ by the members checked in and the paper
        # rankings entered in between.
        await conn.execute(f"DELETE FROM vote_checkins WHERE vote_id IN ({_NOT_CLOSED})")  # noqa: S608
    if not await scrub(copy):
        raise RuntimeError("the backup copy is held open by another program; it was not kept")
    async with copy.reading() as conn, conn.execute("PRAGMA journal_mode = DELETE") as cur:
        await cur.fetchall()  # one self-contained file, no -wal beside it
    return int(open_votes)
