"""`endorsebot tally --rules rctab` against every round RCTab published, read in place.

Each RCTab case of ../shared/reference/elections that publishes its rounds is written as a
BLT file and recounted by the command line, with the case's own rules as options (ballot
rules, continue until two remain, batch elimination, the STV threshold, one winner a round).
Every round must match RCTab's table within 0.0001 votes: each candidate's tally, the
threshold, who was elected or eliminated, and the inactive ballots (exhausted + invalid, less
the ballots with no marks at all, which RCTab leaves out).
The folder missing is a failure, not a skip: the comparison is the point of the option.
"""

from __future__ import annotations

import contextlib
import io
import json
from fractions import Fraction

import pytest

from bot import tally_cli
from bot.domain.tally.io.blt import write_blt
from tests.unit.tally.reference_cases import REFERENCE_DIR, load_case

TOLERANCE = Fraction(1, 10_000)
CASES = sorted(
    path
    for path in REFERENCE_DIR.glob("rctab_*.json")
    if json.loads(path.read_text(encoding="utf-8"))["expected"].get("rounds")
) or [None]  # None: the folder is missing, and the parametrized test fails (never skips)


def test_the_published_round_tables_are_there() -> None:
    assert REFERENCE_DIR.is_dir(), f"{REFERENCE_DIR} is missing: the reference cases live there"
    assert len([c for c in CASES if c]) == 20  # 14 instant-runoff, 6 multi-winner RCTab cases


def options_of(block: dict, method: str) -> list[str]:
    """The command line options that say the case's RCTab rules."""
    args = ["--rules", "rctab", "--tie-break", "order"]
    skipped = str(block.get("maxSkippedRanksAllowed", "unlimited")).strip().lower()
    if skipped not in ("", "unlimited", "max"):
        args += ["--max-skipped", skipped]
    args += [
        "--overvote",
        {
            "exhaustImmediately": "exhaust",
            "alwaysSkipToNextRank": "skip",
            "exhaustIfMultipleContinuing": "exhaust-if-multiple",
        }[block["overvoteRule"]],
    ]
    if block.get("exhaustOnDuplicateCandidate"):
        args += ["--duplicate", "exhaust"]
    if block.get("continueUntilTwoCandidatesRemain"):
        args.append("--continue-until-two")
    if block.get("batchElimination"):
        args.append("--batch-elimination")
    if method == "stv":
        args += ["--method", "stv", "--decimals", str(block["decimalPlacesForVoteArithmetic"])]
        if block.get("hareQuota"):
            args += ["--quota", "hare"]
        elif block.get("nonIntegerWinningThreshold"):
            args += ["--quota", "droop-fractional"]
        if block.get("winnerElectionMode") == "multiWinnerAllowOnlyOneWinnerPerRound":
            args.append("--one-winner-per-round")
    return args


def close(got, want) -> bool:
    return abs(Fraction(str(got)) - Fraction(str(want))) <= TOLERANCE


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem if p else "reference-missing")
def test_every_round_matches_rctab(path, tmp_path) -> None:
    assert path is not None, f"no RCTab round tables in {REFERENCE_DIR}"
    case = load_case(path)
    expected = case.data["expected"]
    blt = tmp_path / f"{case.id}.blt"
    blt.write_text(write_blt(case.profile))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = tally_cli.main(
            [str(blt), "--json", *options_of(case.source_rules, case.data["method"])]
        )
    assert code == 0
    result = json.loads(out.getvalue())
    # RCTab leaves ballots with no marks at all out of its inactive count.
    invalid = result["ballots"]["invalid"] - expected.get("undervotes_no_rankings", 0)
    drawn_by_rng = expected.get("deterministic") is False  # RCTab's Java RNG, not a rule
    assert len(result["rounds"]) == len(expected["rounds"])
    for got, want in zip(result["rounds"], expected["rounds"], strict=True):
        where = f"{case.id} round {want['round']}"
        assert set(got["tallies"]) == set(want["tally"]), where
        for name, votes in want["tally"].items():
            assert close(got["tallies"][name], votes), f"{where}: {name}"
        assert close(got["threshold"], want["threshold"]), f"{where}: threshold"
        inactive = sum(Fraction(str(v)) for v in want["inactive"].values())
        assert close(Fraction(str(got["exhausted"])) + invalid, inactive), f"{where}: inactive"
        if drawn_by_rng and want is expected["rounds"][-1]:
            assert len(got["elected"]) == 1  # elected by our lot, in the same round
            continue
        assert set(got["elected"]) == set(want.get("elected", [])), where
        assert set(got["eliminated"]) == set(want.get("eliminated", [])), where
    if not drawn_by_rng:
        assert sorted(result["winners"]) == sorted(expected["winners"])
