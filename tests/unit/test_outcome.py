"""A closed vote's outcome, counted from its frozen ballots without a database."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.domain import outcome
from bot.domain.tally.count import blt_seed
from bot.domain.vote_types import VoteMethod, VoteState
from bot.domain.votes import ballot_options, encode_ranking
from tests.unit.test_votes_render import vote

OPTIONS = ballot_options(["Ada", "Bo"])  # Ada, Bo, No endorsement


def closed(**overrides):
    return vote(state=VoteState.CLOSED, **overrides)


@pytest.mark.parametrize("method", [VoteMethod.IRV, VoteMethod.SCHULZE, VoteMethod.YES_NO])
def test_zero_ballots_meet_no_quorum_even_a_zero_one(method):
    options = ("Ada", "Bo") if method == VoteMethod.YES_NO else OPTIONS
    counted = outcome.count(closed(method=method, quorum=Fraction(0)), options, [])
    assert counted.ballots_cast == 0 and counted.quorum_needed == 0
    assert not counted.quorum_met
    assert counted.endorsed is None and counted.endorsed_all == ()


def test_a_winner_over_the_threshold_is_endorsed_when_quorum_is_met():
    ballots = [(encode_ranking([0]), 40), (encode_ranking([1]), 13)]
    counted = outcome.count(closed(roll_size=212), OPTIONS, ballots)
    assert (counted.ballots_cast, counted.quorum_needed, counted.quorum_met) == (53, 53, True)
    assert counted.endorsed == "Ada" and counted.endorsed_all == ("Ada",)
    assert counted.seed == blt_seed(counted.profile)


def test_one_ballot_short_of_quorum_endorses_nobody():
    ballots = [(encode_ranking([0]), 52)]
    counted = outcome.count(closed(roll_size=212), OPTIONS, ballots)
    assert not counted.quorum_met and counted.endorsed is None
    assert counted.winner == "Ada"  # the count still shows who led
