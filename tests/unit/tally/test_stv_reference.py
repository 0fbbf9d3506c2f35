"""Scottish STV against other tabulators' published counts, read in place.

* Droop's Scottish STV reports (rule "scotland", SSI 2007/42): winners and every stage
  tally, to the fifth decimal, including four Glasgow 2007 wards. Droop's "lot" takes the
  first candidate in file order, which is our tie-break mode `order`.
* RCTab's multi-seat cases whose rules make the same count up to the first surplus (integer
  Droop threshold, several winners per round): winners, and every round's tallies until the
  first surplus moves (RCTab then truncates transfer values to 4 decimals, not 5).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from bot.domain.tally.io.blt import read_blt
from bot.domain.tally.methods import CountOptions
from bot.domain.tally.stv import scottish_stv
from tests.unit.tally.reference_cases import case_paths, load_case, reference_dir

DROOP_SCOTLAND = (
    "droop_stv2_42_scotland",
    "droop_stv2_weak_defeat_tiebreak_scotland",
    "droop_stv4_weak_surplus_tiebreak_scotland",
    "droop_stv4_gpus2005_scotland",
    "droop_stv3_glasgow2007_calton_real",
    "droop_stv3_glasgow2007_pollokshields_real",
    "droop_stv3_glasgow2007_springburn_real",
    "droop_stv4_glasgow2007_govan_real",
)

# RCTab multi-seat cases counted by the same rule as ours up to the first surplus.
RCTAB_COMPARABLE = (
    "rctab_stv3_whole_threshold",
    "rctab_stv_minneapolis_threshold",
    "rctab_stv3_2013_minneapolis_park_real",
)
# And why the others are not: their threshold or winner rule is not Scottish STV's.
RCTAB_NOT_COMPARABLE = {
    "rctab_stv3_fractional_threshold": "fractional threshold 29/4 + 0.0001, not the integer quota",
    "rctab_stv3_one_winner_per_round": "one winner per round, fractional threshold 2.2501",
    "rctab_stv3_2013_minneapolis_park_hare_real": "Hare quota, not Droop",
}


def _droop_case(case_id: str) -> tuple[dict, object]:
    folder = reference_dir()
    data = json.loads((folder / f"{case_id}.json").read_text(encoding="utf-8"))
    profile = read_blt((folder / data["blt_file"]).read_text(encoding="utf-8"))
    return data, profile


def _droop_stages(actions: list[dict]) -> list[dict[str, Fraction]]:
    """Droop's tallies at the start of each stage: the first count, then after each transfer.

    Droop also "transfers" a surplus of exactly 0 (a candidate at the quota), a stage that
    changes nothing; the Order transfers only a surplus that exceeds the quota, so those
    stages are left out.
    """
    stages = []
    for action in actions:
        kind = action["action"]
        zero_surplus = kind.startswith("Surplus transferred") and kind.endswith("(0.00000)")
        if kind == "Begin Count" or kind.startswith("Transfer defeated"):
            stages.append(action["votes"])
        elif kind.startswith("Surplus transferred") and not zero_surplus:
            stages.append(action["votes"])
    return [{name: Fraction(v) for name, v in votes.items()} for votes in stages]


@pytest.mark.parametrize("case_id", DROOP_SCOTLAND)
def test_droop_scottish_stv_winners_and_every_stage(case_id: str) -> None:
    data, profile = _droop_case(case_id)
    result = scottish_stv(profile, CountOptions(tie_break="order"))

    assert set(result.winners) == set(data["expected"]["winners"])
    assert result.extra["quota"] == Fraction(data["expected"]["quota_reported"])
    expected = _droop_stages(data["expected"]["actions"])
    assert len(result.rounds) == len(expected)
    for stage, (ours, theirs) in enumerate(zip(result.rounds, expected, strict=True), 1):
        # Droop shows excluded candidates at 0; we leave them out of the tally.
        assert {n: ours.tallies.get(n, Fraction(0)) for n in theirs} == theirs, f"stage {stage}"
        assert set(ours.tallies) <= set(theirs)
        # What Droop calls non-transferable is exhausted papers plus rounding remainders.
        valid = Fraction(result.valid_ballots)
        assert valid - sum(ours.tallies.values()) >= ours.exhausted


def test_droop_tie_by_prior_stage_and_by_lot_are_the_orders_rules() -> None:
    _, profile = _droop_case("droop_stv2_weak_defeat_tiebreak_scotland")
    result = scottish_stv(profile, CountOptions(tie_break="order"))
    assert [(t.tied, t.chosen, t.how) for t in result.tie_breaks] == [
        (("B", "C"), "B", "previous-round")
    ]

    _, profile = _droop_case("droop_stv4_weak_surplus_tiebreak_scotland")
    result = scottish_stv(profile, CountOptions(tie_break="order"))
    # B and C both reach the quota exactly: no surplus, so no stage and no tie to break;
    # E and F are level at every stage, so the lot (file order) excludes E, as Droop does.
    assert [(t.purpose, t.chosen, t.how) for t in result.tie_breaks] == [("exclude", "E", "order")]


def test_glasgow_surplus_loses_only_the_truncated_remainder() -> None:
    _, profile = _droop_case("droop_stv3_glasgow2007_calton_real")
    result = scottish_stv(profile, CountOptions(tie_break="order"))
    first = result.rounds[0]
    assert first.elected == ("George Redmond",)
    assert first.tallies["George Redmond"] - result.extra["quota"] == 682
    moved = sum(first.transfers.values())  # to candidates and to the exhausted pile
    # Each of Redmond's papers (value 1) loses less than 0.00001 to truncation.
    assert 0 <= 682 - moved < first.tallies["George Redmond"] / 10**5
    assert "lost to rounding" in first.note


def _rctab(case_id: str):
    return load_case(reference_dir() / f"{case_id}.json")


@pytest.mark.parametrize("case_id", RCTAB_COMPARABLE)
def test_rctab_multi_seat_winners_and_rounds_until_first_surplus(case_id: str) -> None:
    case = _rctab(case_id)
    assert case.rules is not None
    result = scottish_stv(case.profile, CountOptions(tie_break="order", rules=case.rules))
    expected = case.data["expected"]

    assert set(result.winners) == set(expected["winners"])
    assert result.extra["quota"] == Fraction(expected["final_threshold"])
    for theirs in expected["rounds"]:
        ours = result.rounds[theirs["round"] - 1]
        tally = {name: Fraction(v) for name, v in theirs["tally"].items()}
        assert {n: ours.tallies.get(n, Fraction(0)) for n in tally} == tally
        if ours.elected:
            break  # the surplus moves next, at 5 decimals here and 4 in RCTab


def test_every_rctab_multi_seat_case_is_classified() -> None:
    ids = {p.stem for p in case_paths("rctab_stv")}
    if not ids:
        reference_dir()
    assert ids == set(RCTAB_COMPARABLE) | set(RCTAB_NOT_COMPARABLE)


@pytest.mark.parametrize("case_id", sorted(RCTAB_NOT_COMPARABLE))
def test_rctab_cases_under_other_rules_still_count(case_id: str) -> None:
    # Not a comparison (see RCTAB_NOT_COMPARABLE): the count runs and fills every seat.
    case = _rctab(case_id)
    assert case.rules is not None
    result = scottish_stv(case.profile, CountOptions(tie_break="order", rules=case.rules))
    assert len(result.winners) == case.profile.seats


def test_reference_folder_is_read_in_place() -> None:
    folder = reference_dir()
    repo = Path(__file__).resolve().parents[3]
    assert repo not in folder.resolve().parents
