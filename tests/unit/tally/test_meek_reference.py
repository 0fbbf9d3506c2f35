"""Meek STV against Droop's PR Foundation Meek reference counts and stv-rs transcripts.

* Droop "meek-prf" (9 decimals, omega 10^-6): winners, quota and every round's tallies to
  the ninth decimal at each election or defeat.
* stv-rs Meek transcripts (9 decimals, omega 10^-6): winners and the order of elections and
  defeats (its transcripts print actions, not tallies).
* Voting Matters 12, the precision-sensitive example: A, B, Y at 9 digits (as the PRF rule
  and Droop print); A, B, X when the arithmetic is precise enough (Droop's exact count).
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

from bot.domain.tally.io.blt import read_blt
from bot.domain.tally.meek import meek_stv
from bot.domain.tally.methods import CountOptions, get_method
from tests.unit.tally.reference_cases import reference_dir

DROOP_MEEK = ("droop_stv4_gpus2005_meek_prf", "droop_stv3_votingmatters12_meek_prf")
STVRS_MEEK = (
    "stvrs_meek2_tie_break_explicit",
    "stvrs_meek2_tie_break_implicit",
    "stvrs_meek4_vegetables_withdrawn",
)


def _case(case_id: str):
    folder = reference_dir()
    data = json.loads((folder / f"{case_id}.json").read_text(encoding="utf-8"))
    return data, read_blt((folder / data["blt_file"]).read_text(encoding="utf-8"))


def _count(profile, **extra):
    return meek_stv(profile, CountOptions(tie_break="order", extra=extra))


@pytest.mark.parametrize("case_id", DROOP_MEEK)
def test_droop_meek_prf_winners_and_every_round(case_id: str) -> None:
    data, profile = _case(case_id)
    result = _count(profile)
    assert set(result.winners) == set(data["expected"]["winners"])

    # Droop's first action in each round (an election or a defeat) shows that round's tallies.
    first_action: dict[int, dict] = {}
    for action in data["expected"]["actions"]:
        if action["round"] > 0 and action["action"] != "New Round":
            first_action.setdefault(action["round"], action)
    assert len(result.rounds) == len(first_action)
    for ours in result.rounds:
        theirs = first_action[ours.number]
        assert ours.threshold == Fraction(theirs["quota"]), f"round {ours.number}"
        for name, votes in ours.tallies.items():
            assert votes == Fraction(theirs["votes"][name]), f"round {ours.number}: {name}"


def test_voting_matters_12_is_precision_sensitive() -> None:
    data, profile = _case("droop_stv3_votingmatters12_meek_prf")
    nine_digits = _count(profile)
    assert nine_digits.winners == ("A", "B", "Y")
    # At 9 digits X, Y and Z lie within the total surplus (0.000000250) of each other: a tie
    # the lot (file order here) settles against X, though Z has the fewest votes.
    (tie,) = [t for t in nine_digits.tie_breaks if t.purpose == "exclude"]
    assert (tie.tied, tie.chosen) == (("X", "Y", "Z"), "X")
    assert "9 decimal places" in nine_digits.rules and "10^-6" in nine_digits.rules
    assert nine_digits.extra["arithmetic"] == {"digits": 9, "omega": "1e-6"}

    high = _count(profile, meek_digits=18, meek_omega=9)
    assert set(high.winners) == set(data["expected"]["winners_meek_high_precision"])
    assert high.winners == ("A", "B", "X")
    assert not [t for t in high.tie_breaks if t.purpose == "exclude"]


def _events(result) -> list[str]:
    events = []
    for r in result.rounds:
        events += [f"elect {name}" for name in r.elected]
        events += [f"defeat {name}" for name in r.eliminated]
    return events


def _transcript_events(actions: list[str]) -> list[str]:
    events = []
    for action in actions:
        if m := re.match(r"(?:Elect|Elect remaining): (.+)$", action):
            events.append(f"elect {m[1]}")
        elif m := re.match(r"Defeat \(.*\): (.+)$", action):
            events.append(f"defeat {m[1]}")
    return events


@pytest.mark.parametrize("case_id", STVRS_MEEK)
def test_stvrs_meek_winners_and_order_of_events(case_id: str) -> None:
    data, profile = _case(case_id)
    result = _count(profile)
    assert list(result.winners) == data["expected"]["winners"]
    assert _events(result) == _transcript_events(data["expected"]["transcript_actions"])
    assert result.extra["quota"] >= 0


def test_stvrs_explicit_tie_order_defeats_cherry_and_file_order_banana() -> None:
    _, explicit = _case("stvrs_meek2_tie_break_explicit")
    _, implicit = _case("stvrs_meek2_tie_break_implicit")
    assert [t.chosen for t in _count(explicit).tie_breaks] == ["Cherry"]
    assert [t.chosen for t in _count(implicit).tie_breaks] == ["Banana"]


def test_meek_is_reached_through_stv_with_the_meek_rule() -> None:
    _, profile = _case("stvrs_meek4_vegetables_withdrawn")
    options = CountOptions(tie_break="order", extra={"stv_rule": "meek"})
    result = get_method("stv")(profile, options)
    assert result.extra["stv_rule"] == "meek"
    assert result.winners == _count(profile).winners
    # Withdrawn candidates (Banana, Fig) never appear in a tally.
    assert all({"Banana", "Fig"}.isdisjoint(r.tallies) for r in result.rounds)
