"""Ballot files past the counter's limits are refused with one line, before anything big is
allocated (issue 13, item 9: a 27-byte header `99999999 1` took 44 s and 8.6 GB, and a
4,300-digit weight printed a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import tally_cli
from bot.domain.tally.io import BallotFileError
from bot.domain.tally.io.blt import MAX_CANDIDATES, MAX_LINE_CHARS, read_blt


def names(n: int) -> str:
    return "".join(f'"C{i}"\n' for i in range(n))


def test_more_candidates_than_the_limit_are_refused_by_the_header() -> None:
    text = f"{MAX_CANDIDATES + 1} 1\n0\n" + names(MAX_CANDIDATES + 1)
    with pytest.raises(BallotFileError, match=f"at most {MAX_CANDIDATES} candidates"):
        read_blt(text)
    assert len(read_blt(f"{MAX_CANDIDATES} 1\n1 1 0\n0\n" + names(MAX_CANDIDATES)).candidates) == (
        MAX_CANDIDATES
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("99999999 1\n0\n", "at most"),  # the 27-byte file of the report, near enough
        ("9" * 5000 + " 1\n0\n", "at most"),
        ("2 1\n" + "9" * 4300 + ' 1 0\n0\n"A"\n"B"\n', "weight"),
        ("2 1\n1 " + "1=" * MAX_LINE_CHARS + '2 0\n0\n"A"\n"B"\n', "characters"),
    ],
)
def test_the_cli_says_what_is_wrong_in_one_line(
    tmp_path: Path, capsys, text: str, problem: str
) -> None:
    path = tmp_path / "bad.blt"
    path.write_text(text)
    assert tally_cli.main([str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and problem in err and "Traceback" not in err, err


def test_a_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tally_cli, "MAX_FILE_BYTES", 2**20)  # the real limit is 256 MiB
    path = tmp_path / "huge.blt"
    path.write_text("4 1\n" + "1 1 2 3 4 0\n" * 100_000 + "0\n" + names(4))
    assert tally_cli.main([str(path)]) == 2
    assert "larger than 1 MiB" in capsys.readouterr().err
