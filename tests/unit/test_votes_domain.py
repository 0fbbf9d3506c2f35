from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import vote_rules, votes
from bot.domain.votes import BallotRejected, Draft, VoteRuleError

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def test_no_endorsement_is_added_once_and_last():
    assert votes.ballot_options(["Ada", " Bo  ", ""]) == ("Ada", "Bo", "No endorsement")
    assert votes.ballot_options(["no endorsement", "Ada"]) == ("no endorsement", "Ada")
    assert votes.ballot_options(["Ada", "Bo"], no_endorsement=False) == ("Ada", "Bo")


@pytest.mark.parametrize(
    "names",
    [["Ada", "ada"], ["", " "], [f"C{i}" for i in range(60)], ['A "nick" B', "C"], ["x" * 81, "y"]],
)
def test_bad_option_lists_are_refused(names):
    with pytest.raises(VoteRuleError):
        votes.ballot_options(names)


def test_layout_changes_with_names_and_order():
    a = votes.layout_of(["Ada", "Bo", "No endorsement"])
    assert a == votes.layout_of(["Ada", "Bo", "No endorsement"])
    assert a != votes.layout_of(["Bo", "Ada", "No endorsement"])
    assert a != votes.layout_of(["Ada", "Bo", "Cy", "No endorsement"])
    assert len(a) == 6


@given(st.permutations(list(range(60))).flatmap(lambda p: st.integers(0, 60).map(lambda k: p[:k])))
def test_draft_round_trips_and_fits_a_custom_id(ranking):
    draft = Draft("abc123", 2, tuple(ranking))
    text = draft.encode()
    assert Draft.decode(text) == draft
    assert len(f"vote:r:s:9999999:{text}") <= 100  # Discord's custom_id limit


@pytest.mark.parametrize("text", ["", "abc12:0:01", "abc123:0:0_1", "ABC123:0:01", "abc123::01"])
def test_damaged_drafts_are_refused(text):
    with pytest.raises(BallotRejected):
        Draft.decode(text)


def test_remaining_and_pages():
    assert Draft("abc123", 0, (2, 0)).remaining(4) == [1, 3]
    assert votes.pages(31) == 2
    assert votes.pages(31, ranked=6) == 1
    assert votes.pages(0) == 1


def test_validate_ballot():
    ok = votes.validate_ballot((2, 0), option_count=3, layout="aaaaaa", expected_layout="aaaaaa")
    assert ok == (2, 0)
    assert votes.validate_ballot((), option_count=3, layout="a", expected_layout="a") == ()
    with pytest.raises(BallotRejected, match="twice"):
        votes.validate_ballot((1, 1), option_count=3, layout="a", expected_layout="a")
    with pytest.raises(BallotRejected, match="changed"):
        votes.validate_ballot((1,), option_count=3, layout="b", expected_layout="a")
    with pytest.raises(BallotRejected, match="not on it"):
        votes.validate_ballot((3,), option_count=3, layout="a", expected_layout="a")


@pytest.mark.parametrize(
    ("quorum", "roll", "needed"),
    [
        (Fraction(1, 4), 212, 53),
        (Fraction(1, 4), 200, 50),
        (Fraction(1, 3), 10, 4),
        (Fraction(0), 10, 0),
        (Fraction(1), 7, 7),
        (Fraction(1, 2), 0, 0),
    ],
)
def test_quorum_is_the_exact_ceiling(quorum, roll, needed):
    assert votes.quorum_needed(quorum, roll) == needed
    assert votes.quorum_met(max(needed, 1), quorum, roll)
    assert needed <= 1 or not votes.quorum_met(needed - 1, quorum, roll)


@pytest.mark.parametrize(("quorum", "roll"), [(Fraction(0), 10), (Fraction(1, 2), 0)])
def test_zero_ballots_never_meet_a_quorum(quorum, roll):
    assert votes.quorum_needed(quorum, roll) == 0
    assert not votes.quorum_met(0, quorum, roll)


def test_parse_quorum_and_threshold():
    assert votes.parse_quorum("25%") == Fraction(1, 4)
    assert votes.parse_quorum("none") == 0
    assert votes.parse_quorum("") == 0
    assert votes.parse_vote_threshold("2/3") == Fraction(2, 3)
    assert votes.parse_vote_threshold("60%") == Fraction(3, 5)
    assert votes.parse_vote_threshold(None) == Fraction(1, 2)
    with pytest.raises(VoteRuleError):
        votes.parse_quorum("lots")
    with pytest.raises(VoteRuleError):
        votes.parse_vote_threshold("150%")


def test_roll_membership():
    assert votes.on_roll({1, 2}, {2, 3})
    assert not votes.on_roll({1}, {2, 3})


def test_accepting_checks_state_and_the_close_instant():
    close = NOW + timedelta(hours=1)
    votes.accepting("open", close, NOW)
    with pytest.raises(BallotRejected, match="closed"):
        votes.accepting("open", close, close)
    with pytest.raises(BallotRejected, match="not open yet"):
        votes.accepting("scheduled", close, NOW)
    with pytest.raises(BallotRejected, match="closed"):
        votes.accepting("closed", close, NOW)


def test_check_window():
    votes.check_window(NOW, NOW + timedelta(days=1), NOW)
    with pytest.raises(VoteRuleError):
        votes.check_window(NOW, NOW, NOW)
    with pytest.raises(VoteRuleError):
        votes.check_window(NOW - timedelta(days=2), NOW - timedelta(days=1), NOW)


def test_turnout_line():
    assert votes.turnout_line(41, 212, Fraction(1, 4)) == (
        "41 of 212 on the roll have voted; quorum 53"
    )
    assert votes.turnout_line(1, 5, Fraction(0)) == "1 of 5 on the roll has voted"


def test_rules_text_mentions_threshold_and_quorum():
    text = vote_rules.rules_text(
        threshold=Fraction(2, 3), quorum=Fraction(1, 4), no_endorsement=True, options=5
    )
    assert "2/3" in text and "25%" in text and "No endorsement" in text
