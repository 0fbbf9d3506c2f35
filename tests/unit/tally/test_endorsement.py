"""The endorsement threshold against "No endorsement", and yes/no per candidate."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.domain.tally.count import count_vote
from bot.domain.tally.endorsement import check_endorsement, parse_threshold
from bot.domain.tally.profile import Profile, RankedBallot
from bot.domain.tally.yesno import count_yes_no

NE = "No endorsement"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2/3", Fraction(2, 3)),
        ("0.6", Fraction(3, 5)),
        ("60%", Fraction(3, 5)),
        ("66.67%", Fraction(6667, 10000)),
        (" 1/2 ", Fraction(1, 2)),
        ("1", Fraction(1)),
        ("100%", Fraction(1)),
    ],
)
def test_threshold_is_read_exactly(text: str, value: Fraction) -> None:
    assert parse_threshold(text) == value


@pytest.mark.parametrize("text", ["", "two thirds", "0", "3/2", "101%", "1/0", "-0.5"])
def test_bad_threshold_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_threshold(text)


def head_to_head(above: int, below: int, neither: int = 0) -> Profile:
    """Ada vs No endorsement: `above` rank Ada higher, `below` rank NE higher."""
    return Profile(
        ("Ada", NE, "Bo"),
        (
            RankedBallot(((0,), (1,)), above),
            RankedBallot(((1,), (0,)), below),
            RankedBallot(((2,),), neither),
        ),
    )


def test_twenty_of_thirty_meets_two_thirds() -> None:
    e = check_endorsement(head_to_head(20, 10, 5), "Ada", NE, Fraction(2, 3))
    assert (e.above, e.considered, e.met) == (20, 30, True)
    assert "met: 20 of 30" in e.reason


def test_nineteen_of_thirty_does_not() -> None:
    e = check_endorsement(head_to_head(19, 11), "Ada", NE, Fraction(2, 3))
    assert (e.above, e.considered, e.met) == (19, 30, False)
    assert e.reason.startswith("not met")


def test_a_ranked_candidate_is_above_an_unranked_one() -> None:
    p = Profile(
        ("Ada", NE, "Bo"),
        (
            RankedBallot(((0,),), 3),  # Ada only: above NE
            RankedBallot(((2,), (1,)), 1),  # NE only: NE above Ada
            RankedBallot(((2,),), 4),  # neither: not considered
        ),
    )
    e = check_endorsement(p, "Ada", NE, Fraction(3, 4))
    assert (e.above, e.considered, e.met) == (3, 4, True)


def test_no_endorsement_winning_is_never_met() -> None:
    e = check_endorsement(head_to_head(1, 9), NE, NE, Fraction(1, 2))
    assert not e.met and NE in e.reason


def test_count_vote_reports_the_threshold_with_the_winner() -> None:
    result = count_vote(head_to_head(20, 10, 0), "irv", None, NE, "2/3", seed="s")
    assert result.winners == ("Ada",)
    assert result.endorsement is not None and result.endorsement.met
    result = count_vote(head_to_head(20, 11, 0), "irv", None, NE, "2/3", seed="s")
    assert result.endorsement is not None and not result.endorsement.met


def test_count_vote_seeds_a_lot_with_the_blt_export_by_default() -> None:
    tied = Profile(("A", "B"), (RankedBallot(((0,),)), RankedBallot(((1,),))))
    result = count_vote(tied)
    assert result.seed is not None and len(result.seed) == 64
    assert result.tie_breaks[0].how == "lot"
    assert count_vote(tied) == result


def test_yes_no_share_excludes_abstentions_and_is_exact() -> None:
    ballots = (
        [{"Ada": "yes", "Bo": "no"}] * 20
        + [{"Ada": "no", "Bo": "no"}] * 10
        + [{"Ada": "abstain", "Bo": "yes"}] * 7
        + [{}] * 2
    )
    result = count_yes_no(["Ada", "Bo"], ballots, Fraction(2, 3))
    table = result.extra["yes_no"]
    assert table["Ada"] == {"yes": 20, "no": 10, "abstain": 9, "share": "2/3", "met": True}
    assert table["Bo"]["yes"] == 7 and table["Bo"]["no"] == 30 and not table["Bo"]["met"]
    assert result.winners == ("Ada",)
    assert result.valid_ballots == 39


def test_yes_no_with_only_abstentions_is_not_met() -> None:
    result = count_yes_no(["Ada"], [{"Ada": "abstain"}], Fraction(1, 2))
    assert result.extra["yes_no"]["Ada"]["share"] is None and result.winners == ()


def test_count_vote_checks_the_threshold_for_each_seat_of_a_multi_seat_count() -> None:
    # Two seats: Ada is ranked above "No endorsement" by 30 of 30, Bo by 17 of 30 (< 2/3),
    # and "No endorsement" never fills a seat.
    ballots = (
        [RankedBallot(((0,), (1,), (2,)), 9)]
        + [RankedBallot(((0,), (2,), (1,)), 13)]
        + [RankedBallot(((1,), (0,), (2,)), 8)]
    )
    profile = Profile(("Ada", "Bo", NE), tuple(ballots), seats=2)
    result = count_vote(profile, "stv", 2, NE, "2/3", seed="s")
    assert set(result.winners) == {"Ada", "Bo"}
    verdicts = {e["candidate"]: e["met"] for e in result.extra["endorsements"]}
    assert verdicts == {"Ada": True, "Bo": False}
    assert result.extra["endorsed"] == ["Ada"]
