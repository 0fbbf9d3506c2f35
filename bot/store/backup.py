"""What a backup copy must not carry: the keys that link an open vote's ballots to voters.

A backup outlives the vote it was taken during. Were the per-vote HMAC key in it, anyone
holding the file after the close could recompute HMAC(key, vote:member) for each member and
read their ballot. So the copy loses every key, and is vacuumed with secure_delete so no
freed page keeps one. Its open ballots stay (counted at the close), keyed by tags that
nobody can recompute any more.
"""

from __future__ import annotations

from bot.db import Database
from bot.store.votes import scrub


async def strip_ballot_keys(copy: Database) -> int:
    """Delete every per-vote key from a backup copy, leaving no recoverable trace; return
    how many keys were removed (one per vote open when the backup was taken)."""
    async with copy.transaction() as conn:
        cursor = await conn.execute("DELETE FROM vote_keys")
        removed = cursor.rowcount
        await cursor.close()
    await scrub(copy)
    async with copy.reading() as conn, conn.execute("PRAGMA journal_mode = DELETE") as cur:
        await cur.fetchall()  # one self-contained file, no -wal beside it
    return removed
