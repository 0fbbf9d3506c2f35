"""BLT and CSV: what the readers keep, what the writer emits, and errors that name the line."""

from __future__ import annotations

import pytest

from bot.domain.tally.io import BallotFileError
from bot.domain.tally.io.blt import read_blt, write_blt
from bot.domain.tally.io.csv import read_csv
from bot.domain.tally.profile import Profile, RankedBallot
from tests.unit.tally.reference_cases import reference_dir

SAMPLE = """\
4 1
-4
# a comment line
3 1 2 0
2 2=3 1 0
1 - 3 3 0
1 0
0
"Ada Lovelace"
"Bo"
"Cy"
"Di"
"Chapter vote, May"
"""


def test_blt_keeps_every_mark_as_cast() -> None:
    p = read_blt(SAMPLE)
    assert p.candidates == ("Ada Lovelace", "Bo", "Cy", "Di")
    assert p.seats == 1
    assert p.withdrawn == frozenset({3})
    assert p.title == "Chapter vote, May"
    assert p.ballots == (
        RankedBallot(((0,), (1,)), 3),
        RankedBallot(((1, 2), (0,)), 2),
        RankedBallot(((), (2,), (2,)), 1),
        RankedBallot((), 1),
    )


def test_blt_write_then_read_is_the_identity() -> None:
    p = read_blt(SAMPLE)
    assert read_blt(write_blt(p)) == p


def test_blt_spaced_equals_is_an_overvote() -> None:
    p = read_blt('2 1\n1 1 = 2 0\n0\n"A"\n"B"\n')
    assert p.ballots[0].ranks == ((0, 1),)
    assert p.title is None


def test_identical_lines_share_one_ballot_object() -> None:
    p = read_blt('2 1\n1 1 2 0\n1 1 2 0\n0\n"A"\n"B"\n')
    assert p.ballots[0] is p.ballots[1]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("x 1\n", 1, "expected 'candidates seats'"),
        ("2 3\n", 1, "seats must be 1 to 2"),
        ('2 1\n1 1 3 0\n0\n"A"\n"B"\n', 2, "candidate 3 is not between 1 and 2"),
        ('2 1\n1 1 2\n0\n"A"\n"B"\n', 2, "must end with 0"),
        ('2 1\n1 1 0\nx 1 0\n0\n"A"\n"B"\n', 3, "positive whole weight"),
        ('2 1\n1 1 0\n1 2==1 0\n0\n"A"\n"B"\n', 3, "'=' must stand between"),
        ('2 1\n[foo]\n0\n"A"\n"B"\n', 2, "unknown option"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n"extra"\n', 7, "unexpected text after the title"),
    ],
)
def test_blt_errors_name_the_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(BallotFileError) as caught:
        read_blt(text)
    assert caught.value.line == line
    assert problem in str(caught.value)
    assert str(caught.value).startswith(f"line {line}: ")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2 1\n1 1 0\n", "no line '0'"),
        ('2 1\n1 1 0\n0\n"A"\n', "names 1 candidates but its header says 2"),
        ('2 1\n0\n"A"\n"A"\n', "same name"),
    ],
)
def test_blt_whole_file_errors(text: str, problem: str) -> None:
    with pytest.raises(BallotFileError, match=problem):
        read_blt(text)


def test_blt_droop_options_nick_withdrawn_tie() -> None:
    folder = reference_dir()
    veg = read_blt((folder / "stvrs_vegetables.blt").read_text())
    assert veg.seats == 4
    assert {veg.candidates[c] for c in veg.withdrawn} == {"Banana", "Fig"}
    assert veg.ballots[0].ranks == ((0,), (1,))
    tie = read_blt((folder / "stvrs_tie_break_explicit.blt").read_text())
    assert tie.tie_order == (2, 1, 0)
    assert read_blt(write_blt(tie)) == tie


def test_every_reference_blt_reads() -> None:
    folder = reference_dir()
    paths = sorted(folder.glob("*.blt"))
    assert paths, f"no .blt files in {folder}: nothing was read"
    for path in paths:
        p = read_blt(path.read_text())
        assert p.ballots, path.name


def test_write_refuses_a_name_with_a_quote() -> None:
    with pytest.raises(ValueError, match="double quote"):
        write_blt(Profile(('say "hi"',), ()))


def test_csv_rows_with_counts_and_blanks() -> None:
    text = "id,rank1,rank2,rank3,count\n1,Ada,Bo,,3\n2,Bo,,Ada,2\n3,Cy,Cy,,1\n\n"
    p = read_csv(text)
    assert p.candidates == ("Ada", "Bo", "Cy")
    assert p.ballots == (
        RankedBallot(((0,), (1,)), 3),
        RankedBallot(((1,), (), (0,)), 2),
        RankedBallot(((2,), (2,)), 1),
    )


def test_csv_without_count_is_one_ballot_a_row() -> None:
    p = read_csv("rank1,rank2\nA,B\nA,B\n")
    assert [b.weight for b in p.ballots] == [1, 1]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("name,choice\nA,B\n", 1, "no rank1"),
        ("rank1,rank3\nA,B\n", 1, "rank1 to rankN"),
        ("rank1,count\nA,0\n", 2, "count must be a positive whole number"),
        ("rank1,count\nA,2\nB,x\n", 3, "count must be"),
        ("rank1\nA\nB,C\n", 3, "2 cells but the header has 1"),
    ],
)
def test_csv_errors_name_the_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(BallotFileError) as caught:
        read_csv(text)
    assert caught.value.line == line and problem in str(caught.value)


def test_merge_folds_identical_lines_into_one_weighted_ballot() -> None:
    text = '2 1\n1 1 2 0\n# note\n2 2 0\n1 1 2 0\n\n1 1 2 0\n0\n"A"\n"B"\n'
    assert read_blt(text, merge=True).ballots == (
        RankedBallot(((0,), (1,)), 3),
        RankedBallot(((1,),), 2),
    )
    assert len(read_blt(text).ballots) == 4


def test_a_closing_zero_with_spaces_or_comment_still_ends_the_ballots() -> None:
    p = read_blt('2 1\n1 1 0\n 0  # end\n"A"\n"B"\n')
    assert p.ballots == (RankedBallot(((0,),), 1),) and p.candidates == ("A", "B")
