"""`endorsebot tally --method yes-no`: a yes/no vote's CSV recounted, and bad files refused
with the line and the problem."""

from __future__ import annotations

import contextlib
import io

import pytest

from bot import tally_cli

CSV = "count,Ada Ruiz,Bo Chen\n3,yes,no\n1,no,abstain\n2,yes,\n"


def run(tmp_path, text: str, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "vote-1.csv"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = tally_cli.main([str(path), "--method", "yes-no", *args])
    return code, out.getvalue(), err.getvalue()


def test_verdicts_per_candidate_and_who_is_endorsed(tmp_path) -> None:
    code, out, _ = run(tmp_path, CSV, "--threshold", "2/3")
    assert code == 0
    assert "  Ada Ruiz: 5 yes, 1 no, 0 abstain: 83.3%, passes" in out
    assert "  Bo Chen: 0 yes, 3 no, 3 abstain: 0%, does not pass" in out
    assert "Ballots: 6" in out and "Endorsed (if quorum was met): Ada Ruiz" in out


def test_only_the_highest_share_when_asked(tmp_path) -> None:
    text = "count,Ada Ruiz,Bo Chen\n3,yes,yes\n1,no,yes\n"
    code, out, _ = run(tmp_path, text, "--threshold", "1/2", "--seats", "1",
                       "--several-pass", "highest")  # fmt: skip
    assert code == 0
    assert "Endorsed (if quorum was met): Bo Chen" in out  # 4/4 beats 3/4


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rank1,rank2\nAda,Bo\n", "header is count, then one column a candidate"),
        ("count,Ada,Bo\n2,yes,maybe\n", "line 2: Bo: answer yes, no or abstain, not 'maybe'"),
        ("count,Ada,Bo\n0,yes,no\n", "line 2: count must be a positive whole number"),
        ("count,Ada,Ada\n1,yes,no\n", "every candidate column needs its own"),
    ],
)
def test_a_bad_file_says_where_and_why(tmp_path, text, problem) -> None:
    code, out, err = run(tmp_path, text)
    assert code == 2 and out == ""
    assert problem in err
