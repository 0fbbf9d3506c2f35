"""After a close or a cancel deleted a vote's key and keyed ballots: scrub them out of the
database file and its WAL, and keep a record that it is still to do until it is done.

The record is a `SCRUB_JOB` row written in the same transaction as the deletion, so a crash
before the scrub leaves it pending and the next start runs it; its handler (in
cogs/votes/_cleanup.py) retries until the WAL really is empty.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

import aiosqlite

from bot import faults
from bot.db import Database
from bot.domain.vote_types import Vote
from bot.scheduler import Scheduler
from bot.store import jobs, votes
from bot.store.scrub import scrub

SCRUB_JOB = "vote.scrub"
# What the committee is told about a scrub (pending, then finished): a post on a timer.
NOTICE_JOB = "vote.scrub_notice"


async def note_cleanup(conn: aiosqlite.Connection, vote: Vote, *, now: datetime) -> None:
    """Record, in the transaction that deletes a vote's key and keyed ballots, that the file
    must be scrubbed: a pending `SCRUB_JOB`, due at once, run by the caller or at the next
    start. Not armed here, so the caller decides when (the close: before its post)."""
    job_id = await jobs.insert(
        conn,
        guild_id=vote.guild_id,
        kind=SCRUB_JOB,
        due_at=now,
        payload={"vote_id": vote.id},
        now=now,
    )
    await votes.set_scrub_job(conn, vote, job_id)


async def clean_up(db: Database) -> str | None:
    """Scrub deleted keys and keyed ballots out of the database file and its WAL.

    None when done; otherwise why not (a reader holds the WAL, the disk is full), for the
    committee and the log; nothing is lost by trying again later.
    """
    try:
        if not await scrub(db):
            return (
                "another program holds a read transaction on the database, so its "
                "write-ahead log cannot be emptied"
            )
    except sqlite3.Error as error:
        return f"SQLite refused to rewrite the database file ({error})"
    faults.crash_point("close:after_scrub")
    return None


async def tell_committee(
    db: Database, scheduler: Scheduler, *, guild_id: int, vote_id: int, text: str, now: datetime
) -> None:
    """Tell the committee `text` about vote `vote_id`'s clean-up: a `NOTICE_JOB`, due at
    once, so a Discord error delays the notice instead of losing it."""
    await scheduler.schedule(
        None, guild_id=guild_id, kind=NOTICE_JOB, due_at=now,
        payload={"vote_id": vote_id, "text": text},
    )  # fmt: skip
