"""Schulze and ranked pairs: worked examples, the pairwise matrix, and property tests."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.domain.tally.ballots import grouped_rankings
from bot.domain.tally.condorcet import pairwise_counts, ranked_pairs, schulze, strongest_paths
from bot.domain.tally.irv import instant_runoff
from bot.domain.tally.methods import CountOptions, get_method
from bot.domain.tally.profile import Profile, RankedBallot
from bot.domain.tally.report import result_to_json

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORDER = CountOptions(tie_break="order")


def ballots(names: tuple[str, ...], *lines: tuple[int, str]) -> Profile:
    """A profile from (count, "ABC") lines, one letter per candidate's initial."""
    index = {name[0]: i for i, name in enumerate(names)}
    return Profile(
        names,
        tuple(RankedBallot(tuple((index[c],) for c in order), n) for n, order in lines),
    )


TENNESSEE = ballots(
    ("Memphis", "Nashville", "Chattanooga", "Knoxville"),
    (42, "MNCK"),
    (26, "NCKM"),
    (15, "CKNM"),
    (17, "KCNM"),
)


def test_tennessee_condorcet_winner_nashville_irv_winner_knoxville() -> None:
    assert schulze(TENNESSEE, ORDER).winners == ("Nashville",)
    assert ranked_pairs(TENNESSEE, ORDER).winners == ("Nashville",)
    assert instant_runoff(TENNESSEE, ORDER).winners == ("Knoxville",)


def test_tennessee_pairwise_matrix_in_the_json() -> None:
    out = result_to_json(schulze(TENNESSEE, ORDER))
    pairwise = out["extra"]["pairwise"]
    assert pairwise["Nashville"] == {"Memphis": 58, "Chattanooga": 68, "Knoxville": 68}
    assert pairwise["Memphis"] == {"Nashville": 42, "Chattanooga": 42, "Knoxville": 42}
    assert pairwise["Chattanooga"]["Knoxville"] == 83
    assert out["extra"]["strongest_paths"]["Nashville"]["Memphis"] == 58
    assert out["extra"]["strongest_paths"]["Memphis"]["Nashville"] == 0
    locked = result_to_json(ranked_pairs(TENNESSEE, ORDER))["extra"]["locked"]
    assert locked[0] == {"winner": "Chattanooga", "loser": "Knoxville", "votes": 83, "against": 17}


# Schulze's own example (Wikipedia, "Schulze method"): 45 voters, winner E, order E A C B D.
WIKIPEDIA = ballots(
    ("A", "B", "C", "D", "E"),
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
)


def test_schulze_wikipedia_example_strongest_paths_and_order() -> None:
    groups = grouped_rankings(WIKIPEDIA)
    d = pairwise_counts(groups, 5)
    assert d[0][1] == 20 and d[1][0] == 25
    assert strongest_paths(d) == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
    ]
    result = schulze(WIKIPEDIA, CountOptions(seats=5, tie_break="order"))
    assert result.winners == ("E", "A", "C", "B", "D")
    assert "not proportional" in result.rules


def test_unranked_candidates_lose_to_ranked_and_are_not_compared_with_each_other() -> None:
    profile = ballots(("Ada", "Bo", "Cy"), (3, "A"), (1, "BC"))
    d = pairwise_counts(grouped_rankings(profile), 3)
    assert d == [[0, 3, 3], [1, 0, 1], [1, 0, 0]]


def test_a_perfect_cycle_goes_to_the_seeded_lot_and_is_recorded() -> None:
    profile = ballots(("Ada", "Bo", "Cy"), (1, "ABC"), (1, "BCA"), (1, "CAB"))
    options = CountOptions(tie_break="lot", seed="test-seed")
    for method in (schulze, ranked_pairs):
        first, again = method(profile, options), method(profile, options)
        assert first.winners == again.winners
        assert first.tie_breaks and all(t.how == "lot" for t in first.tie_breaks)
        assert first.seed == "test-seed"


def test_methods_are_registered_and_withdrawn_candidates_take_no_place() -> None:
    profile = Profile(TENNESSEE.candidates, TENNESSEE.ballots, withdrawn=frozenset({1}))
    for name in ("schulze", "ranked-pairs"):
        result = get_method(name)(profile, ORDER)
        assert "Nashville" not in result.winners
        assert "Nashville" not in result.extra["pairwise"]
    assert schulze(profile, ORDER).winners == ("Chattanooga",)


def test_blank_ballots_are_invalid_not_counted() -> None:
    profile = Profile(("A", "B"), (RankedBallot(((0,), (1,))), RankedBallot((), 2)))
    result = schulze(profile, ORDER)
    assert (result.valid_ballots, result.invalid_ballots) == (1, 2)


# --- properties ---


@st.composite
def messy_profiles(draw, max_candidates: int = 6) -> Profile:
    n = draw(st.integers(2, max_candidates))
    cand = st.integers(0, n - 1)
    rank = st.one_of(
        cand.map(lambda c: (c,)),
        cand.map(lambda c: (c,)),
        cand.map(lambda c: (c,)),
        st.just(()),
        st.lists(cand, min_size=2, max_size=3).map(tuple),
    )
    ballot = st.builds(RankedBallot, st.lists(rank, max_size=n + 1).map(tuple), st.integers(1, 5))
    return Profile(
        tuple(f"C{i}" for i in range(n)), tuple(draw(st.lists(ballot, min_size=1, max_size=30)))
    )


def naive_pairwise(profile: Profile) -> list[list[int]]:
    n = len(profile.candidates)
    d = [[0] * n for _ in range(n)]
    for ballot in profile.ballots:
        one = Profile(candidates=profile.candidates, ballots=(RankedBallot(ballot.ranks, 1),))
        [ranking] = grouped_rankings(one)
        position = {c: i for i, c in enumerate(ranking)}
        for a in position:
            for b in range(n):
                if b != a and (b not in position or position[a] < position[b]):
                    d[a][b] += ballot.weight
    return d


@FAST
@given(messy_profiles())
def test_pairwise_count_equals_a_ballot_by_ballot_count(profile: Profile) -> None:
    n = len(profile.candidates)
    assert pairwise_counts(grouped_rankings(profile), n) == naive_pairwise(profile)


@FAST
@given(messy_profiles())
def test_a_condorcet_winner_wins_schulze_and_ranked_pairs(profile: Profile) -> None:
    d = naive_pairwise(profile)
    n = len(d)
    winners = [a for a in range(n) if all(d[a][b] > d[b][a] for b in range(n) if b != a)]
    assume(winners)
    expected = (profile.candidates[winners[0]],)
    assert schulze(profile, ORDER).winners == expected
    assert ranked_pairs(profile, ORDER).winners == expected


@FAST
@given(messy_profiles())
def test_schulze_winner_is_a_pref_voting_beat_path_winner(profile: Profile) -> None:
    pytest.importorskip("pref_voting", reason="pref_voting (test-only oracle) not installed")
    from pref_voting.margin_based_methods import (
        beat_path,
        split_cycle,  # noqa: F401 (import check)
    )
    from pref_voting.profiles_with_ties import ProfileWithTies

    rankings, counts = [], []
    for ranking, weight in grouped_rankings(profile).items():
        if ranking:
            rankings.append({c: i + 1 for i, c in enumerate(ranking)})
            counts.append(weight)
    assume(rankings)
    oracle = ProfileWithTies(
        rankings, rcounts=counts, candidates=list(range(len(profile.candidates)))
    )
    oracle.use_extended_strict_preference()  # ranked above unranked, as ours
    # Winning votes as the strength of a defeat, as ours (pref_voting defaults to margins).
    theirs = {profile.candidates[c] for c in beat_path(oracle, strength_function=oracle.support)}
    ours = schulze(profile, CountOptions(tie_break="lot", seed="s")).winners
    assert ours[0] in theirs


def test_pairwise_count_long_rankings_with_heavy_weights() -> None:
    # The bit-parallel path (rankings of 6 or more) with weights above one.
    rng = random.Random(7)
    n = 9
    ballots_ = tuple(
        RankedBallot(
            tuple((c,) for c in rng.sample(range(n), rng.randint(0, n))), rng.randint(1, 40)
        )
        for _ in range(300)
    )
    profile = Profile(tuple(f"C{i}" for i in range(n)), ballots_)
    assert pairwise_counts(grouped_rankings(profile), n) == naive_pairwise(profile)


def test_no_valid_ballots_no_winner() -> None:
    blank = Profile(("Ada", "Bo"), (RankedBallot((), 2),))
    assert schulze(blank, ORDER).winners == ()
    assert ranked_pairs(blank, ORDER).winners == ()


def test_equal_strength_defeats_that_all_lock_need_no_lot() -> None:
    # Tennessee has equal defeats (68-32 twice, 58-42 three times), none closing a cycle.
    result = ranked_pairs(TENNESSEE, CountOptions(tie_break="lot", seed="s"))
    assert result.tie_breaks == ()


# pref_voting's ranked pairs tries every order of equal-strength edges, and its edges include
# both directions of each tied pair (two never-ranked candidates tie 0-0): 5 candidates and
# 2 ballots can give 18! orders, which never finishes. Profiles over this bound are skipped.
ORACLE_ORDERS = 720


def oracle_tie_break_orders(d: list[list[int]]) -> int:
    """How many edge orders pref_voting's ranked pairs will try for the pairwise matrix `d`."""
    n = len(d)
    if any(all(d[a][b] > d[b][a] for b in range(n) if b != a) for a in range(n)):
        return 1  # it returns a Condorcet winner without ordering edges
    groups = Counter(
        (d[a][b], d[b][a]) for a in range(n) for b in range(n) if a != b and d[a][b] >= d[b][a]
    )
    return math.prod(math.factorial(size) for size in groups.values())


@FAST
@given(messy_profiles())
def test_ranked_pairs_winner_is_a_pref_voting_ranked_pairs_winner(profile: Profile) -> None:
    pytest.importorskip("pref_voting", reason="pref_voting (test-only oracle) not installed")
    from pref_voting.margin_based_methods import ranked_pairs as oracle_ranked_pairs
    from pref_voting.profiles_with_ties import ProfileWithTies

    rankings, counts = [], []
    for ranking, weight in grouped_rankings(profile).items():
        if ranking:
            rankings.append({c: i + 1 for i, c in enumerate(ranking)})
            counts.append(weight)
    assume(rankings)
    n = len(profile.candidates)
    assume(oracle_tie_break_orders(naive_pairwise(profile)) <= ORACLE_ORDERS)
    oracle = ProfileWithTies(rankings, rcounts=counts, candidates=list(range(n)))
    oracle.use_extended_strict_preference()
    # Winning votes, then fewer votes against, as ours.
    theirs = oracle_ranked_pairs(
        oracle, strength_function=lambda a, b: oracle.support(a, b) * 10**6 - oracle.support(b, a)
    )
    ours = ranked_pairs(profile, CountOptions(tie_break="lot", seed="s")).winners
    # Pairwise ties leave several unbeaten; ours takes one of them by lot.
    assert profile.candidates.index(ours[0]) in theirs
