"""After the close, nothing the bot kept or said joins a voter to a ranking.

The vote runs with the bot's own loggers at DEBUG (discord.py's stay at INFO, as the bot
configures them). Then the test reads the whole database file and its WAL, every log record,
and every message the fake Discord holds, and looks for each way a voter could be joined to
a ranking: the per-vote key, the voters' HMAC tags, a table holding both a member and a
ranking, an order of ballots that follows the order of voting, a log line or a public
message carrying a ranking or a voter.

What Discord itself necessarily sees is out of scope: a member's own ephemeral ballot shows
that member their ranking (the test checks every such message is ephemeral).
"""

from __future__ import annotations

import json
import logging
import random
from datetime import timedelta

import pytest

from bot.store import votes as vote_store
from tests.e2e.votes_helpers import (
    cast,
    create_vote,
    make_race,
    recorded,
    wait_announcement,
    wait_result,
)
from tests.fakediscord import custom_ids

pytestmark = pytest.mark.asyncio

NAMES = ["Ada Ruiz", "Bo Chen", "Cy Diallo", "Di Okafor"]
EPHEMERAL = 1 << 6


def raw_database(path) -> bytes:
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            data += side.read_bytes()
    return data


async def test_nothing_links_a_voter_to_a_ranking(chapter, caplog):
    world = chapter
    for name in ("endorsebot", "bot", "cogs"):
        caplog.set_level(logging.DEBUG, logger=name)
    caplog.set_level(logging.INFO, logger="discord")
    members = world.add_members(12)
    voters = [world.alice, world.bob, *members]
    race = await make_race(world, NAMES)
    vote = await create_vote(world, race, closes="in 1h", quorum="10%")
    announcement = await wait_announcement(world, vote.id)
    key = (await world.db.fetchone("SELECT hmac_key FROM vote_keys WHERE vote_id = ?", (vote.id,)))[
        0
    ]
    rng = random.Random(7)
    options = [*NAMES, "No endorsement"]
    for member in voters + voters[:4]:  # four members change their ballot
        ranking = rng.sample(options, rng.randint(1, len(options)))
        assert recorded(await cast(world, member, announcement, vote.id, ranking))
    tags = [vote_store.voter_tag(key, vote.id, int(m.id)) for m in voters]
    assert key in raw_database(world.db_path)  # the probe does see what the bot wrote
    assert any(tag in raw_database(world.db_path) for tag in tags)

    world.clock.advance(timedelta(hours=2))
    await world.bot.scheduler.run_due()
    await wait_result(world, vote.id)

    # 1. The file and its WAL: no key, no tag.
    raw = raw_database(world.db_path)
    assert key not in raw
    assert not any(tag in raw for tag in tags)
    # 2. No table holds a member and a ranking; the keyed table is empty.
    tables = [
        r[0] for r in await world.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    for table in tables:
        columns = {r[1] for r in await world.db.fetchall(f"PRAGMA table_info({table})")}
        if "ranking" in columns:
            assert not columns & {"member_id", "actor_id", "voter_tag", "created_at", "at"} or (
                table == "vote_open_ballots"
            ), table
    assert await world.db.fetchall("SELECT * FROM vote_open_ballots") == []
    assert await world.db.fetchall("SELECT * FROM vote_keys") == []
    # 3. The stored order of ballots is the order of rankings, not of voting.
    stored = [
        r[0]
        for r in await world.db.fetchall(
            "SELECT ranking FROM vote_ballots WHERE vote_id = ?", (vote.id,)
        )
    ]
    assert stored == sorted(stored)
    # 4. Jobs and the audit log carry no ranking.
    for row in await world.db.fetchall("SELECT payload, outcome FROM scheduled_jobs"):
        assert set(json.loads(row["payload"])) <= {"vote_id"}
    # 5. Logs: no ranking, no ballot custom_id, no candidate name, at DEBUG.
    assert any(r.name.startswith("endorsebot") for r in caplog.records)
    for record in caplog.records:
        text = record.getMessage()
        assert "vote:r:" not in text, text
        assert not any(name in text for name in NAMES), text
    # 6. Messages: ballots (rankings) only ever in the voter's own ephemeral messages; no
    #    public message names a voter.
    voter_ids = {str(m.id) for m in voters}
    for message in world.fake.messages.values():
        ballot_ui = any(c.startswith("vote:r:") for c in custom_ids(message)) or (
            "Your ranking so far" in (message.get("content") or "")
        )
        if ballot_ui:
            assert message["flags"] & EPHEMERAL, message
        if not message["flags"] & EPHEMERAL:
            blob = json.dumps(message, default=lambda data: data.decode("latin-1"))
            assert not any(voter in blob for voter in voter_ids), message
