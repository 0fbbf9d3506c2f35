"""`endorsebot tally` with the multi-seat and Condorcet methods: flags and JSON keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.tally_cli import main

TENNESSEE = """4 1
42 1 2 3 4 0
26 2 3 4 1 0
15 3 4 2 1 0
17 4 3 2 1 0
0
"Memphis"
"Nashville"
"Chattanooga"
"Knoxville"
"""

SLATE = """4 2
40 1 3 0
30 3 2 0
25 2 1 0
5 4 0
0
"Ada"
"Bo"
"No endorsement"
"Cy"
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"tennessee": tmp_path / "tn.blt", "slate": tmp_path / "slate.blt"}
    paths["tennessee"].write_text(TENNESSEE)
    paths["slate"].write_text(SLATE)
    return paths


def run_json(capsys, *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_schulze_json_has_the_pairwise_matrix_and_strongest_paths(files, capsys) -> None:
    out = run_json(capsys, str(files["tennessee"]), "--method", "schulze")
    assert out["winners"] == ["Nashville"]
    assert out["pairwise"]["Nashville"] == {"Memphis": 58, "Chattanooga": 68, "Knoxville": 68}
    assert out["strongest_paths"]["Chattanooga"]["Knoxville"] == 83


def test_ranked_pairs_and_irv_differ_on_tennessee(files, capsys) -> None:
    assert run_json(capsys, str(files["tennessee"]), "--method", "ranked-pairs")["winners"] == [
        "Nashville"
    ]
    assert run_json(capsys, str(files["tennessee"]))["winners"] == ["Knoxville"]


def test_stv_threshold_applies_to_each_seat(files, capsys) -> None:
    args = [str(files["slate"]), "--method", "stv", "--no-endorsement", "No endorsement"]
    out = run_json(capsys, *args, "--threshold", "60%")
    assert out["stv_rule"] == "scottish"
    assert out["quota"] == 34
    assert sorted(out["winners"]) == ["Ada", "No endorsement"]
    assert out["endorsed"] == ["Ada"]
    assert out["unendorsed_seats"] == 1
    assert main([*args, "--threshold", "60%"]) == 0
    text = capsys.readouterr().out
    assert "per seat (1 unendorsed)" in text
    assert "No endorsement: not met: No endorsement won" in text


def test_stv_rule_meek_states_its_arithmetic(files, capsys) -> None:
    out = run_json(capsys, str(files["slate"]), "--method", "stv", "--stv-rule", "meek")
    assert out["stv_rule"] == "meek"
    assert out["arithmetic"] == {"digits": 9, "omega": "1e-6"}
    assert "9 decimal places" in out["rules"]


def test_unknown_stv_rule_is_refused(files, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([str(files["slate"]), "--method", "stv", "--stv-rule", "hare"])
    assert exit_.value.code == 2
