"""Property tests: IRV against an independent count and against pref_voting, invariance under
reordering, BLT round trips, exact threshold arithmetic."""

from __future__ import annotations

import hashlib
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.tally.endorsement import check_endorsement, parse_threshold
from bot.domain.tally.io.blt import read_blt, write_blt
from bot.domain.tally.irv import instant_runoff
from bot.domain.tally.methods import CountOptions
from bot.domain.tally.profile import Profile, RankedBallot

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def profiles(draw, max_candidates: int = 6, messy: bool = True) -> Profile:
    """Small profiles; `messy` adds skipped ranks, repeats, overvotes and withdrawals."""
    n = draw(st.integers(1, max_candidates))
    names = tuple(
        draw(st.sampled_from(["Ada", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"])) + str(i)
        for i in range(n)
    )
    cand = st.integers(0, n - 1)
    if messy:
        rank = st.one_of(
            cand.map(lambda c: (c,)),
            cand.map(lambda c: (c,)),
            st.just(()),
            st.lists(cand, min_size=2, max_size=3).map(tuple),
        )
    else:
        rank = cand.map(lambda c: (c,))
    ballot = st.builds(RankedBallot, st.lists(rank, max_size=n + 2).map(tuple), st.integers(1, 4))
    ballots = tuple(draw(st.lists(ballot, min_size=0, max_size=25)))
    withdrawn = frozenset(draw(st.sets(cand, max_size=n - 1))) if messy else frozenset()
    return Profile(names, ballots, withdrawn=withdrawn)


# --- an independent count: per ballot, from scratch every round, straight from the rules ---


def naive_first_choice(ranks, continuing: set[int]) -> int | None:
    seen: set[int] = set()
    for rank in ranks:
        marks = set(rank)  # withdrawn marks were removed by the caller
        if not marks:
            continue  # a skipped rank, or only withdrawn marks: passed over
        if len(marks) > 1:
            return None  # an overvote exhausts here
        (c,) = marks
        if c in seen:
            continue
        seen.add(c)
        if c in continuing:
            return c
    return None


def naive_irv(profile: Profile, mode: str, seed: str | None):
    drop = profile.withdrawn
    ballots = [
        (tuple(tuple(c for c in r if c not in drop) for r in b.ranks), b.weight)
        for b in profile.ballots
    ]
    continuing = {c for c in range(len(profile.candidates)) if c not in drop}
    valid = sum(w for ranks, w in ballots if naive_first_choice(ranks, continuing) is not None)
    if not valid:
        return None, [({c: 0 for c in continuing}, 0, None)] if continuing else []
    history: list[dict[int, int]] = []
    rounds = []
    draws = 0
    while continuing:
        votes = {c: 0 for c in continuing}
        for ranks, w in ballots:
            c = naive_first_choice(ranks, continuing)
            if c is not None:
                votes[c] += w
        active = sum(votes.values())
        best = max(votes.values())
        if 2 * best > active or len(continuing) == 1:
            winner = [c for c in votes if votes[c] == best][0]
            rounds.append((votes, valid - active, None))
            return winner, rounds
        low = min(votes.values())
        tied = sorted(c for c in votes if votes[c] == low)
        for earlier in reversed(history):
            if len(tied) == 1:
                break
            lowest = min(earlier[c] for c in tied)
            tied = [c for c in tied if earlier[c] == lowest]
        if len(tied) > 1:
            if mode == "order":
                tied = [min(tied)]
            else:
                draws += 1
                tied = [
                    min(
                        tied,
                        key=lambda c: hashlib.sha256(
                            f"{seed}:{draws}:{profile.candidates[c]}".encode()
                        ).hexdigest(),
                    )
                ]
        rounds.append((votes, valid - active, tied[0]))
        history.append(votes)
        continuing.discard(tied[0])
    return None, rounds


@FAST
@given(profiles(), st.sampled_from(["order", "lot"]))
def test_irv_agrees_with_an_independent_count(profile: Profile, mode: str) -> None:
    result = instant_runoff(profile, CountOptions(tie_break=mode, seed="property-seed"))
    winner, rounds = naive_irv(profile, mode, "property-seed")
    names = profile.candidates
    assert result.winners == (() if winner is None else (names[winner],))
    assert len(result.rounds) == len(rounds)
    for got, (votes, exhausted, excluded) in zip(result.rounds, rounds, strict=True):
        assert got.tallies == {names[c]: Fraction(v) for c, v in votes.items()}
        assert got.exhausted == exhausted
        assert got.eliminated == (() if excluded is None else (names[excluded],))


@FAST
@given(profiles(max_candidates=5))
def test_irv_winner_is_a_pref_voting_irv_winner(profile: Profile) -> None:
    pytest.importorskip("pref_voting", reason="pref_voting (test-only oracle) not installed")
    from pref_voting.iterative_methods import (
        instant_runoff_for_truncated_linear_orders,
        instant_runoff_put,
    )
    from pref_voting.profiles_with_ties import ProfileWithTies

    from bot.domain.tally.ballots import grouped_rankings

    groups = {r: w for r, w in grouped_rankings(profile).items() if r}
    candidates = [c for c in range(len(profile.candidates)) if c not in profile.withdrawn]
    result = instant_runoff(profile, CountOptions(tie_break="lot", seed="s"))
    if not groups:
        return
    oracle = ProfileWithTies(
        [{c: i + 1 for i, c in enumerate(r)} for r in groups],
        rcounts=list(groups.values()),
        candidates=candidates,
    )
    (ours,) = result.winners
    put = instant_runoff_put(oracle)
    assert profile.index(ours) in put
    if not result.tie_breaks:
        assert put == [profile.index(ours)]
        assert instant_runoff_for_truncated_linear_orders(oracle) == [profile.index(ours)]


@FAST
@given(profiles(), st.randoms(use_true_random=False))
def test_reordering_or_splitting_ballots_never_changes_the_result(profile, rnd) -> None:
    options = CountOptions(tie_break="lot", seed="order-free")
    before = instant_runoff(profile, options)
    shuffled = list(profile.ballots)
    rnd.shuffle(shuffled)
    split = [RankedBallot(b.ranks, 1) for b in shuffled for _ in range(b.weight)]
    for ballots in (shuffled, split):
        after = instant_runoff(
            Profile(profile.candidates, tuple(ballots), withdrawn=profile.withdrawn), options
        )
        assert after == before


name_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters='"'),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() == s)


@FAST
@given(profiles(), st.data())
def test_blt_write_then_read_is_the_identity(profile: Profile, data) -> None:
    names = data.draw(
        st.lists(
            name_text,
            min_size=len(profile.candidates),
            max_size=len(profile.candidates),
            unique=True,
        )
    )
    title = data.draw(st.none() | name_text)
    seats = data.draw(st.integers(1, len(names)))
    p = Profile(tuple(names), profile.ballots, seats, profile.withdrawn, title)
    assert read_blt(write_blt(p)) == p


@FAST
@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(1, 1000), st.integers(1, 1000))
def test_threshold_arithmetic_is_exact(above: int, below: int, p: int, q: int) -> None:
    if p > q:
        p, q = q, p
    threshold = parse_threshold(f"{p}/{q}")
    assert threshold == Fraction(p, q)
    profile = Profile(
        ("Ada", "No endorsement"),
        (RankedBallot(((0,), (1,)), above or 1), RankedBallot(((1,),), below or 1)),
    )
    above, below = above or 1, below or 1
    e = check_endorsement(profile, "Ada", "No endorsement", threshold)
    assert (e.above, e.considered) == (above, above + below)
    assert e.met == (above * q >= p * (above + below))


@FAST
@given(st.integers(1, 10_000), st.integers(0, 4))
def test_percent_and_decimal_read_exactly(units: int, places: int) -> None:
    value = Fraction(units, 10**places)
    if value > 100:
        return
    text = f"{units / 10**places:.{places}f}"
    assert parse_threshold(text + "%") == value / 100
    if value <= 1:
        assert parse_threshold(text) == value
