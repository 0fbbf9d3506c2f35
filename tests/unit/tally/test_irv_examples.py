"""The repo's own small reference set: worked examples typed in from public sources, and
hand-made elections that pin each ballot rule and each step of the tie-break chain."""

from __future__ import annotations

import hashlib
from fractions import Fraction

import pytest

from bot.domain.tally.irv import instant_runoff
from bot.domain.tally.methods import CountOptions
from bot.domain.tally.profile import Profile, RankedBallot


def profile(candidates: str, *lines: tuple[int, str]) -> Profile:
    """Candidates as letters ("ABCD"); ballots as (weight, "A B= C - D"): '-' a skipped rank,
    'B=C' an overvote."""
    names = tuple(candidates)
    ballots = []
    for weight, marks in lines:
        ranks = tuple(
            () if mark == "-" else tuple(names.index(c) for c in mark.split("="))
            for mark in marks.split()
        )
        ballots.append(RankedBallot(ranks, weight))
    return Profile(names, tuple(ballots))


def count(p: Profile, tie_break: str = "order", seed: str | None = None):
    return instant_runoff(p, CountOptions(tie_break=tie_break, seed=seed))


def tallies(result) -> list[dict[str, int]]:
    return [{k: int(v) for k, v in r.tallies.items()} for r in result.rounds]


# Wikipedia, "Instant-runoff voting" (Tennessee capital example; also in "Condorcet method"):
# Memphis 42% M>N>C>K, Nashville 26% N>C>K>M, Chattanooga 15% C>K>N>M, Knoxville 17% K>C>N>M.
# IRV elects Knoxville although Nashville is the Condorcet winner.
TENNESSEE = Profile(
    ("Memphis", "Nashville", "Chattanooga", "Knoxville"),
    (
        RankedBallot(((0,), (1,), (2,), (3,)), 42),
        RankedBallot(((1,), (2,), (3,), (0,)), 26),
        RankedBallot(((2,), (3,), (1,), (0,)), 15),
        RankedBallot(((3,), (2,), (1,), (0,)), 17),
    ),
    title="Tennessee capital (Wikipedia)",
)


def test_tennessee_capital_elects_knoxville_round_by_round() -> None:
    result = count(TENNESSEE)
    assert result.winners == ("Knoxville",)
    assert tallies(result) == [
        {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17},
        {"Memphis": 42, "Nashville": 26, "Knoxville": 32},
        {"Memphis": 42, "Knoxville": 58},
    ]
    assert [r.eliminated for r in result.rounds] == [("Chattanooga",), ("Nashville",), ()]
    assert result.rounds[-1].threshold == 51
    assert result.tie_breaks == ()


def test_first_round_majority_ends_the_count() -> None:
    result = count(profile("ABC", (4, "A B"), (2, "B"), (1, "C")))
    assert result.winners == ("A",)
    assert len(result.rounds) == 1 and result.rounds[0].elected == ("A",)


def test_exhausted_ballots_leave_the_majority_base() -> None:
    # 5 of 12 is no majority; C's 3 ballots rank nobody else, so 9 continue and 5 is one.
    result = count(profile("ABC", (5, "A"), (4, "B"), (3, "C")))
    assert tallies(result) == [{"A": 5, "B": 4, "C": 3}, {"A": 5, "B": 4}]
    assert [r.exhausted for r in result.rounds] == [0, 3]
    assert result.rounds[1].threshold == 5
    assert result.winners == ("A",)


def test_skipped_rank_is_passed_over() -> None:
    result = count(profile("ABC", (4, "A"), (3, "B"), (2, "C - B")))
    assert tallies(result)[1] == {"A": 4, "B": 5}
    assert result.winners == ("B",)


def test_repeated_candidate_is_ignored_after_its_first_mark() -> None:
    result = count(profile("ABC", (4, "A"), (3, "B"), (2, "C C B")))
    assert tallies(result)[1] == {"A": 4, "B": 5}


def test_overvote_exhausts_the_ballot_at_that_rank() -> None:
    result = count(profile("ABC", (4, "A"), (3, "B"), (2, "C A=B B")))
    assert tallies(result)[1] == {"A": 4, "B": 3}
    assert result.rounds[1].exhausted == 2
    assert result.winners == ("A",)


def test_overvote_at_first_rank_makes_an_invalid_ballot() -> None:
    result = count(profile("AB", (3, "A"), (1, "B"), (2, "A=B"), (1, "-"), (1, "")))
    assert (result.valid_ballots, result.invalid_ballots) == (4, 4)
    assert result.rounds[0].exhausted == 0


def test_exclusion_tie_goes_by_the_most_recent_round_where_they_differed() -> None:
    # Round 1: D 1 is out (to C). Round 2: B 3 and C 3 tie; in round 1 C had 2, B 3: C is out.
    p = profile("ABCD", (4, "A"), (3, "B"), (2, "C B"), (1, "D C"), (2, "A"))
    result = count(p)
    assert tallies(result)[1] == {"A": 6, "B": 3, "C": 3}
    (tie,) = result.tie_breaks
    assert (tie.round, tie.purpose, tie.chosen, tie.how) == (2, "exclude", "C", "previous-round")


def test_three_way_tie_narrows_round_by_round() -> None:
    # Round 3: B, C, D tie at 4. Round 2: B 4, C 3, D 3 -> C and D stay; round 1: C 3, D 2 -> D.
    p = profile(
        "ABCDEF",
        (9, "A"),
        (4, "B"),
        (3, "C"),
        (2, "D"),
        (1, "E C"),
        (1, "F D"),
        (1, "D"),
    )
    # Round 1: E 1, F 1 tie (equal in every earlier round: order falls on E, listed first).
    result = count(p)
    ties = result.tie_breaks
    assert (ties[0].chosen, ties[0].how) == ("E", "order")
    assert tallies(result)[2] == {"A": 9, "B": 4, "C": 4, "D": 4}
    assert (ties[1].tied, ties[1].chosen, ties[1].how) == (("B", "C", "D"), "D", "previous-round")


def test_order_tie_break_excludes_the_candidate_listed_first() -> None:
    result = count(profile("ABC", (2, "A"), (2, "B"), (2, "C")), tie_break="order")
    assert result.tie_breaks[0].chosen == "A" and result.rounds[0].eliminated == ("A",)


def test_lot_is_reproducible_from_the_printed_seed() -> None:
    p = profile("ABC", (2, "A"), (2, "B"), (2, "C"))
    first, again = count(p, "lot", "seed-1"), count(p, "lot", "seed-1")
    assert first == again
    assert first.seed == "seed-1"
    tie = first.tie_breaks[0]
    assert tie.how == "lot" and "seed-1" in tie.detail
    # Redo the draw by hand, as the result tells a member to.
    keys = {n: hashlib.sha256(f"seed-1:1:{n}".encode()).hexdigest() for n in "ABC"}
    assert tie.chosen == min(keys, key=keys.__getitem__)


def test_lot_needs_a_seed() -> None:
    with pytest.raises(ValueError, match="seed"):
        count(profile("AB", (1, "A"), (1, "B")), "lot", None)


def test_withdrawn_candidate_is_passed_over() -> None:
    p = profile("ABC", (3, "A"), (2, "B A"), (2, "C"))
    p = Profile(p.candidates, p.ballots, withdrawn=frozenset({1}))
    result = count(p)
    assert tallies(result)[0] == {"A": 5, "C": 2}
    assert result.winners == ("A",)


def test_last_candidate_left_wins_even_with_every_ballot_exhausted() -> None:
    result = count(profile("AB", (1, "A"), (1, "B")), tie_break="order")
    assert result.winners == ("B",)
    assert result.rounds[-1].tallies == {"B": Fraction(1)}


def test_irv_refuses_more_than_one_seat() -> None:
    with pytest.raises(ValueError, match="one seat"):
        instant_runoff(TENNESSEE, CountOptions(seats=2, tie_break="order"))


def test_rctab_overvote_rule_counts_for_the_one_continuing_candidate() -> None:
    from bot.domain.tally.ballots import BallotRules, grouped_rankings

    rules = BallotRules(overvote="exhaust_if_multiple_continuing")
    # Round 1: A=B with both continuing exhausts (invalid); D 1 is out, then C 2 goes, and
    # its "C D=A" ballots count for A, the one of D and A still continuing.
    p = profile("ABCD", (3, "A"), (3, "B"), (2, "C D=A"), (1, "D"), (1, "A=B"))
    result = instant_runoff(p, CountOptions(tie_break="order", rules=rules))
    assert tallies(result) == [
        {"A": 3, "B": 3, "C": 2, "D": 1},
        {"A": 3, "B": 3, "C": 2},
        {"A": 5, "B": 3},
    ]
    assert result.invalid_ballots == 1 and result.winners == ("A",)
    with pytest.raises(ValueError, match="depends on the count"):
        grouped_rankings(p, rules)


def test_no_valid_ballot_elects_nobody() -> None:
    result = count(profile("AB", (2, "-"), (1, "A=B")))
    assert result.winners == () and result.invalid_ballots == 3
    assert len(result.rounds) == 1 and result.rounds[0].note == "no valid ballots: no winner"
