"""The votes service on a real database: create -> open -> ballots -> close -> count, the
refusals, and a recount of the frozen BLT that matches the stored result."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from fractions import Fraction

import pytest

from bot.domain.errors import InputError
from bot.domain.races import RaceStatus
from bot.domain.tally.count import count_vote
from bot.domain.tally.io.blt import read_blt
from bot.domain.tally.report import result_to_json
from bot.domain.votes import BallotRejected, Draft
from bot.errors import InvalidInput
from bot.services import ballots, vote_create
from bot.services import races as race_service
from bot.services import votes as service
from bot.store import jobs
from tests.clock import T0

pytestmark = pytest.mark.asyncio

NOW = T0  # the conftest's `now`
GUILD = 10
ROLE = 5
TZ = "America/New_York"


CANDIDATES = ("Ada", "Bo", "Cy")


def request(race, **overrides):
    values = dict(
        guild_id=GUILD,
        race_id=race.id,
        actor_id=1,
        channel_id=99,
        timezone=TZ,
        eligible_role_ids=(ROLE,),
        quorum="25%",
        threshold="60%",
        opens="now",
        closes="in 2d",
    )
    values.update(overrides)
    return vote_create.VoteRequest(**values)


async def open_vote(db, scheduler, race, roll, **overrides):
    plan = await vote_create.plan(db, request(race, **overrides), now=NOW)
    vote = await vote_create.create(db, scheduler, plan, now=NOW)
    return await service.open_vote(db, vote.id, roll, now=NOW)


async def ballot(db, vote, member, ranking, when=NOW):
    return await ballots.submit(
        db,
        guild_id=GUILD,
        vote_id=vote.id,
        member_id=member,
        draft=Draft(vote.layout, 0, tuple(ranking)),
        now=when,
    )


async def test_plan_adds_new_candidates_and_no_endorsement(db, make_race):
    race = await make_race(*CANDIDATES)
    plan = await vote_create.plan(db, request(race, extra_candidates=("Di", "ada", "")), now=NOW)
    assert plan.options == ("Ada", "Bo", "Cy", "Di", "No endorsement")
    assert plan.new_candidates == ("Di",)
    assert plan.threshold == Fraction(3, 5) and plan.quorum == Fraction(1, 4)
    assert plan.opens_at == NOW and plan.closes_at == NOW + timedelta(days=2)


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({"closes": "yesterday"}, InputError),
        ({"threshold": "120%"}, InputError),
        ({"quorum": "x"}, InputError),
        ({"eligible_role_ids": ()}, InvalidInput),
    ],
)
async def test_plan_refuses_bad_rules(db, overrides, refusal, make_race):
    race = await make_race(*CANDIDATES)
    with pytest.raises(refusal):
        await vote_create.plan(db, request(race, **overrides), now=NOW)


async def test_create_schedules_open_and_close_and_marks_the_race(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    plan = await vote_create.plan(db, request(race, extra_candidates=("Di",)), now=NOW)
    vote = await vote_create.create(db, scheduler, plan, now=NOW)
    due = {j.kind: j.due_at for j in await jobs.unfinished(db)}
    assert due == {"vote.open": NOW, "vote.close": NOW + timedelta(days=2)}
    assert (await race_service.get_race(db, GUILD, race.id)).status is RaceStatus.ENDORSEMENT_OPEN
    assert len(await race_service.list_candidates(db, GUILD, race.id)) == 4
    trail = await service.audit_trail(db, vote)
    assert [e.action for e in trail] == ["vote.create"]


async def test_ballots_replace_and_refusals_record_nothing(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    vote = await open_vote(db, scheduler, race, [1, 2, 3])
    assert (await ballot(db, vote, 1, [0, 1])).replaced is False
    assert (await ballot(db, vote, 1, [2])).replaced is True
    with pytest.raises(ballots.NotOnRoll, match="not on the roll"):
        await ballot(db, vote, 4, [0])
    with pytest.raises(BallotRejected, match="twice"):
        await ballot(db, vote, 2, [0, 0])
    with pytest.raises(BallotRejected, match="changed"):
        await ballots.submit(
            db,
            guild_id=GUILD,
            vote_id=vote.id,
            member_id=2,
            draft=Draft("ffffff", 0, (0,)),
            now=NOW,
        )
    with pytest.raises(BallotRejected, match="closed"):
        await ballot(db, vote, 2, [0], when=vote.closes_at)
    assert await service.turnout(db, vote) == (1, 3)


async def test_close_counts_and_a_recount_of_the_blt_matches(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    roll = list(range(1, 11))
    vote = await open_vote(db, scheduler, race, roll, threshold="60%", quorum="50%")
    # Ada 5 firsts, Bo 3 (-> Ada), Cy 1 (-> Bo), abstention 1.
    rankings = [[0, 3]] * 5 + [[1, 0]] * 3 + [[2, 1]] + [[]]
    for member, ranking in zip(roll, rankings, strict=True):
        await ballot(db, vote, member, ranking)
    counted = await service.close_vote(db, vote.id, now=vote.closes_at, late=False)
    assert counted.ballots_cast == 10 and counted.quorum_needed == 5 and counted.quorum_met
    assert counted.winner == "Ada"
    assert counted.endorsed == "Ada"  # 8 of 9 rank Ada above No endorsement
    recount = count_vote(
        read_blt(counted.blt),
        "irv",
        no_endorsement="No endorsement",
        threshold=Fraction(3, 5),
        seed=counted.seed,
    )
    assert result_to_json(recount) == counted.vote.result
    race_now = await race_service.get_race(db, GUILD, race.id)
    assert race_now.status is RaceStatus.ENDORSED
    again = await service.close_vote(db, vote.id, now=vote.closes_at, late=True)
    assert again.vote.result == counted.vote.result and not again.vote.closed_late


async def test_threshold_missed_and_quorum_missed(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    vote = await open_vote(db, scheduler, race, list(range(1, 11)), threshold="2/3", quorum="0")
    # Ada wins the runoff but only 3 of 5 rank her above No endorsement.
    for member, ranking in zip(range(1, 6), [[0], [0], [0, 3], [3, 0], [3, 0]], strict=True):
        await ballot(db, vote, member, ranking)
    counted = await service.close_vote(db, vote.id, now=vote.closes_at, late=False)
    assert counted.winner == "Ada" and counted.endorsed is None
    assert counted.result.endorsement is not None and not counted.result.endorsement.met

    race2 = await make_race("Eve", "Fay")
    vote2 = await open_vote(db, scheduler, race2, list(range(1, 11)), quorum="50%")
    for member in range(1, 5):
        await ballot(db, vote2, member, [0])
    counted2 = await service.close_vote(db, vote2.id, now=vote2.closes_at, late=False)
    assert counted2.winner == "Eve" and not counted2.quorum_met and counted2.endorsed is None
    status = (await race_service.get_race(db, GUILD, race2.id)).status
    assert status is RaceStatus.NOT_ENDORSED


async def test_early_close_stops_ballots_at_once(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    vote = await open_vote(db, scheduler, race, [1, 2])
    await service.request_close(db, scheduler, vote, actor_id=7, now=NOW + timedelta(hours=1))
    with pytest.raises(BallotRejected, match="closed"):
        await ballot(db, vote, 1, [0], when=NOW + timedelta(hours=1))
    counted = await service.close_vote(db, vote.id, now=NOW + timedelta(hours=1), late=False)
    assert counted.vote.closed_by == 7
    actions = [e.action for e in await service.audit_trail(db, counted.vote)]
    assert actions == ["vote.create", "vote.open", "vote.close_early", "vote.close"]
    with pytest.raises(InvalidInput):
        await service.request_close(db, scheduler, counted.vote, actor_id=7, now=NOW)


async def test_ballot_box_commits_a_batch_and_refuses_only_the_bad_ballot(db, scheduler, make_race):
    race = await make_race(*CANDIDATES)
    roll = list(range(1, 41))
    vote = await open_vote(db, scheduler, race, roll)
    box = ballots.BallotBox(db)

    def ballot_of(member):
        ranking = (0, 0) if member == 7 else (member % 4,)  # member 7 ranks Ada twice
        return box.submit(
            guild_id=GUILD,
            vote_id=vote.id,
            member_id=member,
            draft=Draft(vote.layout, 0, ranking),
            now=NOW,
        )

    outcomes = await asyncio.gather(*(ballot_of(m) for m in [*roll, 99]), return_exceptions=True)
    refused = {m for m, o in zip([*roll, 99], outcomes, strict=True) if isinstance(o, Exception)}
    assert refused == {7, 99}
    assert isinstance(outcomes[6], BallotRejected)
    assert isinstance(outcomes[-1], ballots.NotOnRoll)
    assert await service.turnout(db, vote) == (39, 40)
