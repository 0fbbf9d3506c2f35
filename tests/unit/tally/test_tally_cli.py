"""`endorsebot tally` through its standalone parser (no dependency on bot/cli.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot import tally_cli

TENNESSEE = """\
4 1
42 1 2 3 4 0
26 2 3 4 1 0
15 3 4 2 1 0
17 4 3 2 1 0
0
"Memphis"
"Nashville"
"Chattanooga"
"Knoxville"
"Tennessee capital"
"""


@pytest.fixture
def blt(tmp_path: Path) -> Path:
    path = tmp_path / "tennessee.blt"
    path.write_text(TENNESSEE)
    return path


def test_text_output_is_a_round_table(blt: Path, capsys) -> None:
    assert tally_cli.main([str(blt)]) == 0
    out = capsys.readouterr().out
    assert "Round         1   2   3" in out
    assert "Knoxville    17  32  58" in out
    assert "Winner: Knoxville" in out
    assert "Rules:" in out and "overvote" in out


def test_json_is_one_object_with_the_agreed_keys(blt: Path, capsys) -> None:
    assert tally_cli.main([str(blt), "--json", "--seed", "abc"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"method", "seats", "candidates", "winners", "rounds", "tie_breaks"} <= data.keys()
    assert {"endorsement", "ballots"} <= data.keys()
    assert data["method"] == "irv" and data["seats"] == 1
    assert data["candidates"] == ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
    assert data["winners"] == ["Knoxville"]
    first = data["rounds"][0]
    assert first["number"] == 1 and first["exhausted"] == 0 and first["threshold"] == 51
    assert first["tallies"] == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17}
    assert first["eliminated"] == ["Chattanooga"] and first["elected"] == []
    assert data["ballots"] == {"valid": 100, "invalid": 0}
    assert data["endorsement"] is None and data["seed"] == "abc"


def test_endorsement_threshold_in_json(blt: Path, capsys) -> None:
    args = [str(blt), "--json", "--no-endorsement", "Memphis", "--threshold", "58%"]
    assert tally_cli.main(args) == 0
    e = json.loads(capsys.readouterr().out)["endorsement"]
    assert (e["above"], e["considered"], e["met"], e["threshold"]) == (58, 100, True, "29/50")


def test_order_tie_break(tmp_path: Path, capsys) -> None:
    path = tmp_path / "tie.blt"
    path.write_text('2 1\n1 1 0\n1 2 0\n0\n"A"\n"B"\n')
    assert tally_cli.main([str(path), "--json", "--tie-break", "order"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["winners"] == ["B"]
    assert data["tie_breaks"][0]["how"] == "order" and data["tie_breaks"][0]["chosen"] == "A"


def test_csv_input(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ballots.csv"
    path.write_text("rank1,rank2,count\nA,B,3\nB,,3\nC,B,2\n")
    assert tally_cli.main([str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["winners"] == ["B"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--threshold", "2/3"], "go together"),
        (["--no-endorsement", "Nobody", "--threshold", "2/3"], "not a candidate"),
        (["--no-endorsement", "Memphis", "--threshold", "lots"], "not a fraction"),
        (["--seats", "2"], "asks for 2 seats and instant-runoff (the default) fills one"),
        (["--seats", "2", "--method", "irv"], "exactly one seat"),
    ],
)
def test_bad_options_exit_2(blt: Path, capsys, args: list[str], message: str) -> None:
    assert tally_cli.main([str(blt), *args]) == 2
    assert message in capsys.readouterr().err


def test_an_unknown_method_is_refused_with_the_choices(blt: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        tally_cli.main([str(blt), "--method", "borda"])
    assert exit_.value.code == 2
    assert "invalid choice: 'borda' (choose from 'irv', 'meek'" in capsys.readouterr().err


def test_malformed_file_exits_2_naming_the_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.blt"
    path.write_text('2 1\n1 1 0\n1 1 7 0\n0\n"A"\n"B"\n')
    assert tally_cli.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.blt: line 3: candidate 7 is not between 1 and 2" in err


def test_missing_file_exits_2(tmp_path: Path, capsys) -> None:
    assert tally_cli.main([str(tmp_path / "nope.blt")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_add_parser_plugs_into_a_cli(blt: Path, capsys) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="endorsebot")
    sub = parser.add_subparsers(dest="command")
    tally_cli.add_parser(sub)
    args = parser.parse_args(["tally", str(blt), "--json"])
    assert tally_cli.run(args) == 0
    assert json.loads(capsys.readouterr().out)["winners"] == ["Knoxville"]


def test_python_dash_m_runs_standalone(blt: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.tally_cli", str(blt), "--json"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["winners"] == ["Knoxville"]


def test_default_seed_is_the_sha256_of_the_file(tmp_path: Path, capsys) -> None:
    import hashlib

    path = tmp_path / "tie.blt"
    path.write_text('2 1\n1 1 0\n1 2 0\n0\n"A"\n"B"\n')
    assert tally_cli.main([str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["seed"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert data["tie_breaks"][0]["how"] == "lot"
