"""The vote rules past ranking one ballot: methods and seats, yes/no answers, paper
rankings, extend and purge dates, and the turnout line with paper ballots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from bot.domain import vote_rules, votes

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
OPTIONS = ("Ada Ruiz", "Bo Chen", "No endorsement")


@pytest.mark.parametrize(
    ("method", "seats", "candidates", "problem"),
    [
        ("irv", 1, 3, None),
        ("stv", 3, 5, None),
        ("yes-no", 2, 7, None),
        ("schulze", 1, 3, None),
        ("approval", 1, 3, "Unknown method"),
        ("irv", 2, 3, "use `method:stv`"),
        ("schulze", 2, 3, "use `method:stv`"),
        ("stv", 3, 3, "need more than 3 options"),
        ("stv", 0, 3, "at least one seat"),
    ],
)
def test_check_method(method, seats, candidates, problem):
    if problem is None:
        votes.check_method(method, seats, candidates)
    else:
        with pytest.raises(votes.VoteRuleError, match=problem):
            votes.check_method(method, seats, candidates)


def test_yes_no_pages_hold_four_candidates():
    assert [votes.yes_no_pages(n) for n in (1, 4, 5, 7, 8, 9)] == [1, 1, 2, 2, 2, 3]


def test_validate_answers():
    assert votes.validate_answers((1, 2, 0), candidates=3, layout="a", expected_layout="a") == (
        1,
        2,
        0,
    )
    with pytest.raises(votes.BallotRejected, match="changed"):
        votes.validate_answers((1, 2, 0), candidates=3, layout="a", expected_layout="b")
    for bad in ((1, 2), (1, 2, 3), (1, 2, 0, 0)):
        with pytest.raises(votes.BallotRejected, match="damaged"):
            votes.validate_answers(bad, candidates=3, layout="a", expected_layout="a")
    assert votes.answers_as_ballot((1, 2), ("Ada", "Bo")) == {"Ada": "yes", "Bo": "no"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Bo Chen, Ada Ruiz", (1, 0)),
        ("  bo   chen > NO ENDORSEMENT ", (1, 2)),
        ("Ada Ruiz\nBo Chen", (0, 1)),
        ("", ()),
    ],
)
def test_parse_paper_ranking(typed, expected):
    assert votes.parse_paper_ranking(typed, OPTIONS) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("Ada Ruiz, ada ruiz", "ranked twice"), ("Ada Ruiz, Zed", "'Zed' is not on this ballot")],
)
def test_parse_paper_ranking_refuses(typed, problem):
    with pytest.raises(votes.VoteRuleError, match=problem):
        votes.parse_paper_ranking(typed, OPTIONS)


def test_check_extension():
    close = NOW + timedelta(hours=1)
    votes.check_extension(close, close + timedelta(minutes=1), NOW)
    with pytest.raises(votes.VoteRuleError, match="only moves the close later"):
        votes.check_extension(close, close, NOW)
    with pytest.raises(votes.VoteRuleError, match="already passed"):
        votes.check_extension(close, NOW - timedelta(minutes=1), NOW)


def test_purge_allowed_from():
    assert votes.purge_allowed_from(NOW, 30) == NOW + timedelta(days=30)


def test_turnout_line_shows_paper_apart():
    assert votes.turnout_line(212, 250, Fraction(1, 4), paper=14) == (
        "212 online + 14 paper ballots; 212 of 250 on the roll voted online; quorum 63"
    )
    assert votes.turnout_line(3, 5, Fraction(0), paper=0) == "3 of 5 on the roll have voted"


def test_rules_text_per_method():
    text = vote_rules.rules_text(
        threshold=Fraction(3, 5),
        quorum=Fraction(0),
        no_endorsement=False,
        options=7,
        method="yes-no",
        several_pass="highest",
    )
    assert "Yes/no per candidate" in text and "only the highest yes shares" in text
    stv = vote_rules.rules_text(
        threshold=Fraction(1, 2),
        quorum=Fraction(0),
        no_endorsement=True,
        options=5,
        method="stv",
        seats=3,
    )
    assert "3 seats" in stv and "leaves a seat unendorsed" in stv


def test_parse_paper_answers():
    names = ("Ada Ruiz", "Bo Chen", "Cy Diallo")
    assert votes.parse_paper_answers("ada ruiz: YES, Cy Diallo: no", names) == (1, 0, 2)
    assert votes.parse_paper_answers("", names) == (0, 0, 0)
    for typed, problem in (
        ("Ada Ruiz yes", "write each answer"),
        ("Ada Ruiz: yes, Ada Ruiz: no", "answered twice"),
        ("Zed: no", "'Zed' is not on this ballot"),
    ):
        with pytest.raises(votes.VoteRuleError, match=problem):
            votes.parse_paper_answers(typed, names)
