"""The stored forms of instants and days (`bot.store.rows`), and the one timezone lookup:
every repository writes an instant the same way, and rows written before, spelled by
`datetime.isoformat()`, still read back and still compare as the same instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeparse import TimeInputError, zone
from bot.store import vote_admin
from bot.store import votes as store
from bot.store.rows import day, day_text, instant, instant_text
from tests.store.test_votes_store import GUILD, NOW, make_vote

pytestmark = pytest.mark.asyncio


async def test_an_instant_is_stored_in_utc_at_one_width() -> None:
    whole = datetime(2026, 12, 5, 18, tzinfo=timezone(timedelta(hours=-5)))
    fraction = whole + timedelta(microseconds=5)
    assert instant_text(whole) == "2026-12-05T23:00:00.000000+00:00"
    assert len(instant_text(fraction)) == len(instant_text(whole))
    assert instant(instant_text(fraction)) == fraction
    assert instant(None) is None
    with pytest.raises(ValueError):
        instant_text(datetime(2026, 12, 5, 18))


async def test_a_day_round_trips() -> None:
    assert day_text(date(2026, 11, 3)) == "2026-11-03"
    assert day("2026-11-03") == date(2026, 11, 3)
    assert day(None) is None and day_text(None) is None


async def test_zone_takes_a_name_or_a_zone_and_words_an_unknown_name() -> None:
    new_york = ZoneInfo("America/New_York")
    assert zone(new_york) is new_york
    assert zone("america/new_york") == new_york
    with pytest.raises(TimeInputError, match="not a timezone I know"):
        zone("Nowhere/Special")


async def test_a_close_spelled_the_old_way_can_still_be_extended_and_cancelled(db) -> None:
    vote = await make_vote(db)
    legacy = vote.closes_at.astimezone(UTC).isoformat()  # no microseconds: the old spelling
    assert legacy != instant_text(vote.closes_at)
    async with db.transaction() as conn:
        await conn.execute("UPDATE votes SET closes_at = ? WHERE id = ?", (legacy, vote.id))
    later = vote.closes_at + timedelta(days=1)
    async with db.transaction() as conn:
        assert await vote_admin.extend(conn, vote.id, later, seen=vote)
    assert (await store.get_vote(db, GUILD, vote.id)).closes_at == later
    async with db.transaction() as conn:  # `vote` is stale now: the close moved under it
        assert not await vote_admin.cancel(conn, vote, actor_id=1, reason="x", now=NOW)
    moved = await store.get_vote(db, GUILD, vote.id)
    async with db.transaction() as conn:
        assert await vote_admin.cancel(conn, moved, actor_id=1, reason="x", now=NOW)
    assert (await store.get_vote(db, GUILD, vote.id)).state == "cancelled"
