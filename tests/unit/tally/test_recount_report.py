"""`endorsebot tally` as a committee member runs it: each item of the recount report, as a
process (`python -m bot.cli tally ...`), reading what it prints."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SLATE = '5 2\n4 1 2 3 0\n3 2 1 0\n2 3 4 0\n2 4 5 0\n1 5 0\n1 4 3 0\n0\n"Ada"\n"Bo"\n"Cy"\n"Di"\n"Ed"\n"Spring slate 2027"\n'  # noqa: E501
SURPLUS = '3 2\n4 1 2 0\n3 1 3 0\n2 2 0\n1 3 0\n0\n"Ada"\n"Bo"\n"Cy"\n"Surplus"\n'
MAYOR = '3 1\n4 1 2 3 0\n3 2 3 1 0\n2 3 1 2 0\n0\n"Ada"\n"Bo"\n"Cy"\n"Mayor"\n'
TIE = '2 1\n1 1 0\n1 2 0\n0\n"A"\n"B"\n'


def endorsebot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


def ballots(tmp_path: Path, text: str, name: str = "ballots.blt") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("text", "args", "name"),
    [
        (MAYOR, [], "Instant-runoff"),
        (SLATE, ["--method", "stv"], "Scottish STV"),
        (SLATE, ["--method", "stv", "--stv-rule", "meek"], "Meek STV"),
        (MAYOR, ["--method", "schulze"], "Schulze"),
    ],
)
def test_plain_method_names_and_the_files_title(tmp_path, text, args, name) -> None:
    done = endorsebot("tally", ballots(tmp_path, text), *args)
    assert done.returncode == 0, done.stderr
    title = text.strip().splitlines()[-1].strip('"')
    assert done.stdout.splitlines()[:2] == [title, f"Method: {name}   seats: {text[2]}"]
    data = json.loads(endorsebot("tally", ballots(tmp_path, text), *args, "--json").stdout)
    assert data["title"] == title and data["method_name"] == name


def test_details_with_seed_and_tie_rule_only_when_a_lot_was_drawn(tmp_path) -> None:
    lot = endorsebot("tally", ballots(tmp_path, TIE)).stdout
    details = lot[lot.index("\nDetails\n") :]
    assert "Lot seed: " in details and "Ties: first the most recent" in details
    plain = endorsebot("tally", ballots(tmp_path, MAYOR)).stdout
    assert "Details" not in plain and "Lot seed" not in plain and "sha256-lot" not in plain


def test_the_table_and_the_notes_use_the_same_decimals(tmp_path) -> None:
    out = endorsebot("tally", ballots(tmp_path, SURPLUS), "--method", "stv").stdout
    counted = out[: out.index("\nRules:")]
    places = {len(d) for d in re.findall(r"\d+\.(\d+)", counted)}
    assert places == {5}, counted
    assert "2.28571 exhausted (no further choice)" in counted


def test_schulze_prints_its_matrix_and_strongest_paths_not_rounds(tmp_path) -> None:
    out = endorsebot("tally", ballots(tmp_path, MAYOR), "--method", "schulze").stdout
    assert "Pairwise: ballots preferring the row to the column" in out
    assert " 1. Ada   - 6 4" in out  # Ada over Bo: 4 + 2 ballots; over Cy: 4
    assert "Strongest paths" in out
    assert "Round" not in out and "Exhausted" not in out


def test_help_lists_the_methods() -> None:
    done = endorsebot("tally", "--help")
    assert done.returncode == 0
    assert "{irv,meek,ranked-pairs,schulze,stv,yes-no}" in done.stdout


def test_a_two_seat_file_without_a_method_says_which_methods_fill_it(tmp_path) -> None:
    done = endorsebot("tally", ballots(tmp_path, SLATE))
    assert done.returncode == 2 and not done.stdout
    assert "has 2 seats" in done.stderr and "--method stv" in done.stderr
    assert "--seats 1" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("method", ["irv", "schulze"])
def test_stv_rule_with_a_method_that_ignores_it_is_an_error(tmp_path, method) -> None:
    done = endorsebot("tally", ballots(tmp_path, MAYOR), "--method", method, "--stv-rule", "meek")
    assert done.returncode == 2
    assert f"--stv-rule applies only to --method stv, not {method}" in done.stderr


def test_dash_reads_standard_input() -> None:
    done = endorsebot("tally", "-", "--json", stdin=MAYOR)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["winners"] == ["Ada"]


def test_an_empty_file_says_so(tmp_path) -> None:
    done = endorsebot("tally", ballots(tmp_path, "\n \n"))
    assert done.returncode == 2
    assert done.stderr.strip().endswith("ballots.blt: the file is empty")


def test_piped_into_head_it_ends_quietly(tmp_path) -> None:
    # 150 candidates and a round each: far more text than a pipe holds before head quits.
    names = [f'"Candidate {i}"' for i in range(150)]
    lines = [f"1 {i + 1} 0" for i in range(150)]
    path = ballots(tmp_path, "150 1\n" + "\n".join([*lines, "0", *names]) + "\n")
    pipeline = subprocess.run(
        f'"{sys.executable}" -m bot.cli tally "{path}" --tie-break order | head -n 1',
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert pipeline.stdout == "Method: Instant-runoff   seats: 1\n"
    assert pipeline.stderr == ""


def test_every_subcommand_has_a_description_and_every_argument_help() -> None:
    from bot.cli import build_parser

    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    for name, command in sub.choices.items():
        assert command.description, f"{name} has no description"
        for action in command._actions:
            assert action.help, f"{name} {action.dest} has no help"
        shown = endorsebot(name, "--help")
        assert shown.returncode == 0 and command.description.split(".")[0][:40] in " ".join(
            shown.stdout.split()
        )
