"""`endorsebot tally` says what a reader checks: a tie drawn by lot in words, the majority
or quota by its own name (not the chapter's "threshold"), one precision per table, and ranked
pairs' locks summarised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import tally_cli

# Ada and Bo are level in round 1 (55 each) and again after Cy's ballots split (60 each):
# equal in every earlier round, so the lot decides who goes out.
LOT = """\
3 1
55 1 0
55 2 0
5 3 1 0
5 3 2 0
0
"Ada Ruiz"
"Bo Chen"
"Cy Diaz"
"Tie"
"""
CYCLE = """\
3 1
40 1 2 3 0
35 2 3 1 0
25 3 1 2 0
0
"Ada"
"Bo"
"Cy"
"A cycle"
"""
STV = """\
4 2
60 1 2 0
37 2 3 0
20 3 4 0
13 4 0
0
"Ada"
"Bo"
"Cy"
"Di"
"Two seats"
"""


def tally(tmp_path: Path, capsys, text: str, *args: str) -> str:
    path = tmp_path / "ballots.blt"
    path.write_text(text)
    assert tally_cli.main([str(path), "--seed", "s", *args]) == 0
    return capsys.readouterr().out


def test_a_lot_is_said_in_the_round_the_winner_and_the_ties(tmp_path: Path, capsys) -> None:
    out = tally(tmp_path, capsys, LOT)
    tie = "Ada Ruiz and Bo Chen tied at 60; drawn by lot:"
    [drawn] = re.findall(r"drawn by lot: (\w+ \w+) out", out)[:1]
    assert f"Round 2: {tie} {drawn} out" in out
    winner = "Bo Chen" if drawn == "Ada Ruiz" else "Ada Ruiz"
    assert f"Winner: {winner} (decided by lot: a tie drawn in round 2)" in out
    assert f"  round 2: {tie} {drawn} out (equal in every earlier round" in out


def test_a_tie_broken_by_an_earlier_round_is_not_called_a_lot(tmp_path: Path, capsys) -> None:
    earlier = LOT.replace("55 1 0", "56 1 0").replace("5 3 1 0", "4 3 1 0")  # 56 > 55, then 60
    out = tally(tmp_path, capsys, earlier)
    assert "tied at 60; broken by an earlier round: Bo Chen out" in out
    assert "by lot" not in out and "Details" not in out
    assert "Winner: Ada Ruiz\n" in out


def test_the_majority_is_called_majority_and_the_quota_quota(tmp_path: Path, capsys) -> None:
    irv = tally(tmp_path, capsys, LOT)
    assert re.search(r"^Majority\s+61\s+61\s+31$", irv, re.M)
    assert not re.search(r"^Threshold", irv, re.M)
    stv = tally(tmp_path, capsys, STV, "--method", "stv")
    assert re.search(r"^Quota\s", stv, re.M) and not re.search(r"^Threshold", stv, re.M)


def test_an_stv_table_uses_one_precision(tmp_path: Path, capsys) -> None:
    out = tally(tmp_path, capsys, STV, "--method", "stv")
    table = out.split("\n\n")[1].splitlines()[1:]  # below the "Round" header
    cells = [cell for line in table for cell in re.findall(r"\s(\d+(?:\.\d+)?)(?=\s|$)", line)]
    assert cells and {len(c.partition(".")[2]) for c in cells} == {5}  # 5 decimals, all
    assert "Ada        60.00000  44.00000" in out  # whole numbers written like the rest


@pytest.mark.parametrize("n", [13])
def test_ranked_pairs_summarises_its_locks(tmp_path: Path, capsys, n: int) -> None:
    names = [f"Candidate {i}" for i in range(n)]
    ballots = "".join(f"{3 + i} {' '.join(str((i + k) % n + 1) for k in range(n))} 0\n"
                      for i in range(n))  # fmt: skip
    text = f"{n} 1\n{ballots}0\n" + "".join(f'"{x}"\n' for x in names) + '"Many"\n'
    out = tally(tmp_path, capsys, text, "--method", "ranked-pairs")
    [head] = [line for line in out.splitlines() if line.startswith("Locked in")]
    assert re.match(r"Locked in, strongest first: \d+ defeats", head)
    locks = out.split(head)[1].split("Skipped:")[0].split("\n\n")[0]
    shown = [line for line in locks.splitlines() if re.match(r"  Candidate \d+ over ", line)]
    assert len(shown) == 5  # the strongest five, not all of them
    assert re.search(r"  … and \d+ more \(every one in --json\)", out)


def test_ranked_pairs_names_the_defeat_a_cycle_skipped(tmp_path: Path, capsys) -> None:
    out = tally(tmp_path, capsys, CYCLE, "--method", "ranked-pairs")
    assert "Locked in, strongest first: 2 defeats; 1 skipped because it would close a cycle." in out
    assert "Skipped:\n  Cy over Ada (60 to 40)" in out
