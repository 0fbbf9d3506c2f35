"""Scottish STV worked examples: transfer values to five decimals, "No endorsement" seats,
the per-seat threshold, ties by lot, withdrawn candidates."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.domain.tally.irv import EXHAUSTED
from bot.domain.tally.meek import meek_stv
from bot.domain.tally.methods import CountOptions, get_method
from bot.domain.tally.profile import Profile, RankedBallot
from bot.domain.tally.stv import endorse_elected, scottish_stv

ORDER = CountOptions(tie_break="order")
NO = "No endorsement"


def profile(names: tuple[str, ...], *lines: tuple[int, str], seats: int = 2, **kw) -> Profile:
    """A profile from (count, "ABC") lines, one letter per candidate's initial."""
    index = {name[0]: i for i, name in enumerate(names)}
    ballots = tuple(RankedBallot(tuple((index[c],) for c in order), n) for n, order in lines)
    return Profile(names, ballots, seats=seats, **kw)


def test_transfer_value_is_truncated_to_five_decimals() -> None:
    # 9 ballots, 2 seats: quota floor(9/3)+1 = 4. Ada has 7: surplus 3, transfer value
    # 3/7 = 0.428571... -> 0.42857 per paper; 4 papers to Bo, 3 to Cy.
    p = profile(("Ada", "Bo", "Cy", "Di"), (4, "AB"), (3, "AC"), (1, "B"), (1, "D"))
    result = scottish_stv(p, ORDER)
    first = result.rounds[0]
    assert result.extra["quota"] == 4
    assert first.elected == ("Ada",)
    assert first.transfers == {"Bo": Fraction(4 * 42857, 10**5), "Cy": Fraction(3 * 42857, 10**5)}
    assert "0.00001 lost to rounding" in first.note  # 3 - 7 x 0.42857
    second = result.rounds[1]
    assert second.tallies["Ada"] == 4
    assert second.tallies["Bo"] == Fraction(1) + Fraction(171428, 10**5)


def test_exclusion_moves_papers_at_their_current_value_and_exhausts_the_rest() -> None:
    p = profile(("Ada", "Bo", "Cy"), (5, "AB"), (2, "C"), (2, "CA"), seats=1)
    result = scottish_stv(p, ORDER)
    assert result.winners == ("Ada",)
    assert result.rounds[0].elected == ("Ada",)  # 5 of 9 >= quota 5


def test_an_elected_no_endorsement_leaves_its_seat_unendorsed() -> None:
    p = profile(
        ("Ada", "Bo", NO, "Cy"),
        (40, "AN"),
        (30, "NB"),
        (25, "BA"),
        (5, "C"),
        seats=2,
    )
    result = scottish_stv(p, ORDER)
    assert set(result.winners) == {"Ada", NO}
    endorsed = endorse_elected(p, result, NO, Fraction(3, 5), ORDER.rules)
    verdicts = {v["candidate"]: v for v in endorsed.extra["endorsements"]}
    assert verdicts[NO]["met"] is False
    assert verdicts[NO]["reason"].startswith("not met: No endorsement won")
    # Ada above No endorsement on 40 + 25 of the 95 ballots ranking either: 68% >= 60%.
    assert (verdicts["Ada"]["above"], verdicts["Ada"]["considered"]) == (65, 95)
    assert verdicts["Ada"]["met"] is True
    assert endorsed.extra["endorsed"] == ["Ada"]
    assert endorsed.extra["unendorsed_seats"] == 1


def test_each_elected_candidate_must_clear_the_threshold() -> None:
    p = profile(("Ada", "Bo", NO), (50, "ABN"), (30, "BNA"), (20, "NBA"), seats=2)
    result = endorse_elected(p, scottish_stv(p, ORDER), NO, Fraction(2, 3), ORDER.rules)
    verdicts = {v["candidate"]: v["met"] for v in result.extra["endorsements"]}
    # Ada above No endorsement: 50 of 100 (fails 2/3); Bo: 80 of 100 (meets).
    assert verdicts == {"Ada": False, "Bo": True}
    assert result.extra["unendorsed_seats"] == 1


def test_ties_at_every_stage_go_to_the_seeded_lot_reproducibly() -> None:
    p = profile(("Ada", "Bo", "Cy", "Di"), (3, "A"), (3, "B"), (3, "C"), (3, "D"), seats=2)
    options = CountOptions(tie_break="lot", seed="chapter-vote-7")
    first, again = scottish_stv(p, options), scottish_stv(p, options)
    assert first.winners == again.winners
    assert first.tie_breaks and {t.how for t in first.tie_breaks} == {"lot"}
    assert first.seed == "chapter-vote-7"
    assert "sha256-lot-v1" in first.rules


def test_withdrawn_candidates_are_passed_over() -> None:
    p = profile(("Ada", "Bo", "Cy"), (4, "BA"), (3, "C"), (2, "A"), seats=1)
    withdrawn = Profile(p.candidates, p.ballots, seats=1, withdrawn=frozenset({1}))
    result = scottish_stv(withdrawn, ORDER)
    assert result.winners == ("Ada",)
    assert all("Bo" not in r.tallies for r in result.rounds)


def test_more_seats_than_candidates_elects_everyone_standing() -> None:
    p = profile(("Ada", "Bo"), (3, "A"), (1, "B"), seats=3)
    assert set(scottish_stv(p, ORDER).winners) == {"Ada", "Bo"}
    assert set(meek_stv(p, ORDER).winners) == {"Ada", "Bo"}


def test_exhausted_papers_are_reported() -> None:
    p = profile(("Ada", "Bo", "Cy"), (6, "A"), (2, "B"), (1, "CB"), (1, "C"), seats=2)
    result = scottish_stv(p, ORDER)
    exhausted = [r.transfers.get(EXHAUSTED, 0) for r in result.rounds]
    assert sum(exhausted) > 0
    assert result.rounds[-1].exhausted == sum(exhausted[:-1])


def test_registry_names_and_unknown_rule() -> None:
    p = profile(("Ada", "Bo", "Cy"), (3, "AB"), (2, "BC"), (1, "C"))
    assert get_method("stv")(p, ORDER).extra["stv_rule"] == "scottish"
    meek = get_method("stv")(p, CountOptions(tie_break="order", extra={"stv_rule": "meek"}))
    assert meek.extra["stv_rule"] == "meek"
    with pytest.raises(ValueError, match="unknown STV rule"):
        get_method("stv")(p, CountOptions(tie_break="order", extra={"stv_rule": "hare"}))


def test_no_valid_ballots_elects_no_one() -> None:
    blank = Profile(("Ada", "Bo", "Cy"), (RankedBallot((), 3), RankedBallot(((0, 1),))), seats=2)
    for count in (scottish_stv, meek_stv):
        result = count(blank, ORDER)
        assert result.winners == ()
        assert (result.valid_ballots, result.invalid_ballots) == (0, 4)
