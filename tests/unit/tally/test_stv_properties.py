"""STV property tests: one seat is instant-runoff; pref_voting's Scottish STV agrees; votes
are conserved up to the truncation the Order allows. Meek with one seat is instant-runoff too.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.domain.tally.ballots import grouped_rankings
from bot.domain.tally.irv import instant_runoff
from bot.domain.tally.meek import meek_stv
from bot.domain.tally.methods import CountOptions
from bot.domain.tally.profile import Profile, RankedBallot
from bot.domain.tally.stv import scottish_stv

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORDER = CountOptions(tie_break="order")


@st.composite
def profiles(draw, max_candidates: int = 7, messy: bool = False, seats: int | None = None):
    """Profiles of strict rankings (one candidate per rank); `messy` adds skipped ranks,
    repeats and overvotes, which the ballot rules read before any count."""
    n = draw(st.integers(2, max_candidates))
    cand = st.integers(0, n - 1)
    if messy:
        rank = st.one_of(
            cand.map(lambda c: (c,)),
            cand.map(lambda c: (c,)),
            st.just(()),
            st.lists(cand, min_size=2, max_size=3).map(tuple),
        )
        ranking = st.lists(rank, max_size=n + 1).map(tuple)
    else:
        ranking = st.permutations(range(n)).flatmap(
            lambda p: st.integers(1, n).map(lambda k: tuple((c,) for c in p[:k]))
        )
    ballot = st.builds(RankedBallot, ranking, st.integers(1, 6))
    seat_count = seats if seats is not None else draw(st.integers(1, max(1, n - 1)))
    return Profile(
        tuple(f"C{i}" for i in range(n)),
        tuple(draw(st.lists(ballot, min_size=1, max_size=40))),
        seats=seat_count,
    )


@FAST
@given(profiles(messy=True, seats=1))
def test_one_seat_scottish_stv_elects_the_instant_runoff_winner(profile: Profile) -> None:
    stv = scottish_stv(profile, ORDER)
    irv = instant_runoff(profile, ORDER)
    assume(not stv.tie_breaks and not irv.tie_breaks)
    assert stv.winners == irv.winners


@FAST
@given(profiles(messy=True, seats=1))
def test_one_seat_meek_elects_the_instant_runoff_winner(profile: Profile) -> None:
    meek = meek_stv(profile, ORDER)
    irv = instant_runoff(profile, ORDER)
    assume(not meek.tie_breaks and not irv.tie_breaks)
    assert meek.winners == irv.winners


@FAST
@given(profiles())
def test_scottish_stv_agrees_with_pref_voting_on_untied_counts(profile: Profile) -> None:
    # pref_voting==1.18.2 is the test-only oracle; its stv_scottish is an independent
    # implementation of the same Order (floats truncated to 5 decimals).
    pytest.importorskip("pref_voting", reason="pref_voting (test-only oracle) not installed")
    from pref_voting.profiles_with_ties import ProfileWithTies
    from pref_voting.proportional_methods import stv_scottish

    ours = scottish_stv(profile, ORDER)
    assume(not ours.tie_breaks)  # ties go to each tabulator's own lot
    rankings, counts = [], []
    for ranking, weight in grouped_rankings(profile).items():
        rankings.append({c: i + 1 for i, c in enumerate(ranking)})
        counts.append(weight)
    oracle = ProfileWithTies(
        rankings, rcounts=counts, candidates=list(range(len(profile.candidates)))
    )
    theirs = stv_scottish(oracle, num_seats=profile.seats)
    assert sorted(ours.winners) == sorted(profile.candidates[c] for c in theirs)


@FAST
@given(profiles(messy=True))
def test_votes_are_conserved_up_to_truncation(profile: Profile) -> None:
    result = scottish_stv(profile, ORDER)
    valid = Fraction(result.valid_ballots)
    transfers = 0
    for r in result.rounds:
        held = sum(r.tallies.values()) + r.exhausted
        # each surplus transfer may lose under 0.00001 per ballot to truncation
        assert valid - transfers * valid / 10**5 <= held <= valid
        transfers += "surplus of" in r.note
    standing = min(profile.seats, len(profile.candidates))
    assert len(result.winners) == (standing if result.valid_ballots else 0)
    assert len(set(result.winners)) == len(result.winners)


@FAST
@given(profiles(messy=True))
def test_meek_fills_every_seat_and_keeps_votes_within_the_ballots(profile: Profile) -> None:
    result = meek_stv(profile, ORDER)
    standing = min(profile.seats, len(profile.candidates))
    assert len(result.winners) == (standing if result.valid_ballots else 0)
    for r in result.rounds:
        assert sum(r.tallies.values()) <= result.valid_ballots
        assert r.exhausted >= 0
