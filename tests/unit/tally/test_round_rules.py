"""The named round options on small profiles a reader can count by hand."""

from __future__ import annotations

from fractions import Fraction

from bot.domain.tally.count import count_vote
from bot.domain.tally.profile import Profile, RankedBallot
from bot.domain.tally.round_rules import RoundRules, rctab_rounds

NAMES = ("Ada", "Bo", "Cy", "Di")


def profile(*ballots: tuple[int, tuple[str, ...]]) -> Profile:
    return Profile(
        NAMES,
        tuple(RankedBallot(tuple((NAMES.index(n),) for n in names), w) for w, names in ballots),
    )


def shape(result) -> list[tuple]:
    return [(r.number, r.elected, r.eliminated, dict(r.tallies)) for r in result.rounds]


def test_continue_until_two_keeps_the_majority_winner_and_its_threshold() -> None:
    p = profile((5, ("Ada",)), (2, ("Bo",)), (1, ("Cy", "Bo")), (1, ("Di",)))
    plain = count_vote(p, "irv", tie_break="order")
    assert shape(plain) == [(1, ("Ada",), (), {"Ada": 5, "Bo": 2, "Cy": 1, "Di": 1})]
    on = count_vote(p, "irv", tie_break="order", rounds=RoundRules(continue_until_two=True))
    assert on.winners == ("Ada",)
    assert [(n, e, x) for n, e, x, _ in shape(on)] == [
        (1, ("Ada",), ()),
        (2, (), ("Cy",)),  # Cy and Di tie at 1, equal in every round: the file order decides
        (3, (), ("Di",)),
        (4, (), ()),
    ]
    assert on.rounds[-1].tallies == {"Ada": 5, "Bo": 3}
    assert {r.threshold for r in on.rounds} == {Fraction(5)}  # the majority Ada reached


def test_batch_elimination_excludes_everyone_who_together_trails_the_next() -> None:
    p = profile((6, ("Ada",)), (5, ("Bo",)), (2, ("Cy", "Bo")), (1, ("Di", "Bo")))
    batch = count_vote(p, "irv", rounds=RoundRules(batch_elimination=True))
    assert batch.rounds[0].eliminated == ("Di", "Cy")  # 1 + 2 < 5: both go at once
    assert batch.rounds[1].tallies == {"Ada": 6, "Bo": 8}
    single = count_vote(p, "irv")
    assert single.rounds[0].eliminated == ("Di",) and len(single.rounds) == 3


def test_rctab_resolves_a_last_two_tie_within_the_round() -> None:
    p = profile((3, ("Ada",)), (3, ("Bo",)), (1, ("Cy", "Ada")), (1, ("Di", "Bo")))
    chapter = count_vote(p, "irv", tie_break="order")
    assert len(chapter.rounds) == 4 and chapter.rounds[2].eliminated  # an extra round
    rctab = count_vote(p, "irv", tie_break="order", rounds=rctab_rounds())
    assert len(rctab.rounds) == 3
    assert rctab.rounds[2].elected == rctab.winners and rctab.rounds[2].eliminated == ()
    assert rctab.tie_breaks[-1].purpose == "elect"
