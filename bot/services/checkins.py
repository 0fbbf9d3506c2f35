"""Tellers checking members in at an in-person meeting, so nobody votes twice.

A checked-in member's online ballot is refused from then on (`bot.services.ballots`); a
member who already voted online is reported as such, read from the roll's turnout flag and
never from the ballots, and is not checked in: the chapter's rule is that an online ballot
stands and the member does not take a paper one. Check-ins are stored apart from the paper
rankings (`bot.store.vote_checkins`), and the audit log records the teller and the count,
never the member, so no record ties a member to the paper ranking entered after them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.db import Database
from bot.domain.vote_types import Vote, VoteState
from bot.errors import InvalidInput
from bot.store import audit
from bot.store import vote_checkins as checkin_store
from bot.store import votes as store


class CheckIn(enum.StrEnum):
    CHECKED_IN = "checked in"
    ALREADY = "already checked in"
    VOTED_ONLINE = "already voted online"


@dataclass(frozen=True, slots=True)
class CheckInOutcome:
    outcome: CheckIn
    checked_in: int  # members checked in for the vote, after this one


async def check_in(
    db: Database, vote: Vote, *, member_id: int, actor_id: int, now: datetime
) -> CheckInOutcome:
    """Check `member_id` in for a paper ballot of the open `vote`.

    Raises `InvalidInput` (nothing changed) if the vote is not open or the member is not on
    its roll. A member who voted online is reported and not checked in.
    """
    async with db.transaction() as conn:
        current = await store.get_vote_by_id(conn, vote.id)
        if current is None or current.state == VoteState.CANCELLED:
            raise InvalidInput(f"Vote #{vote.id} was cancelled; nobody can be checked in.")
        if current.state == VoteState.SCHEDULED:
            raise InvalidInput(f"Vote #{vote.id} is not open yet; check members in once it opens.")
        if current.state != VoteState.OPEN or now >= current.closes_at:
            raise InvalidInput(f"Vote #{vote.id} has closed; nobody can be checked in.")
        voted = await checkin_store.roll_entry(conn, vote.id, member_id)
        if voted is None:
            raise InvalidInput(
                f"<@{member_id}> is not on the roll of vote #{vote.id} (frozen when it "
                "opened), so they may not take a ballot. Nobody was checked in."
            )
        if voted:
            outcome = CheckIn.VOTED_ONLINE
        elif await checkin_store.check_in(conn, vote.guild_id, vote.id, member_id):
            outcome = CheckIn.CHECKED_IN
        else:
            outcome = CheckIn.ALREADY
        total = await checkin_store.count(conn, vote.id)
        if outcome == CheckIn.CHECKED_IN:
            await audit.record(
                conn,
                guild_id=vote.guild_id,
                actor_id=actor_id,
                action="vote.checkin",
                subject=vote.subject,
                detail=f"a member checked in; {total} checked in",
                at=now,
            )
    return CheckInOutcome(outcome, total)
