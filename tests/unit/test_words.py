"""Words a member or the committee reads: acronyms keep their capitals in the criteria report,
a yes/no result writes every share one way, one day is "1 day", and /help says how to vote."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from bot.domain.classify import Category, classify, in_sentence
from bot.domain.votes import percent_text, threshold_text
from cogs.help._cog import how_to_vote
from cogs.plans._render import days_before
from tests.unit.test_classify import ALL_YES, answers, facts


def test_the_criteria_report_keeps_dsa_and_sio_in_capitals() -> None:
    assert in_sentence("DSA member") == "DSA member"
    assert in_sentence("Accountable: commits to the SIO structure") == (
        "accountable: commits to the SIO structure"
    )
    undecided = classify(facts(answers(dsa_member=None), assessment=ALL_YES))
    assert undecided.category is Category.UNDECIDED
    assert "DSA member" in undecided.reason and "dsa" not in undecided.reason
    neither = classify(
        facts(answers(dsa_member="no", join_sio="no"), assessment=replace(ALL_YES, viable=False))
    )
    assert "DSA member" in neither.reason and "dsa" not in neither.reason
    assert "sio" not in neither.reason


def test_a_yes_no_share_is_always_a_percent_and_a_threshold_says_both() -> None:
    assert [percent_text(Fraction(n, d)) for n, d in [(1, 7), (7, 10), (2, 3), (1, 1)]] == [
        "14.3%", "70%", "66.7%", "100%",
    ]  # fmt: skip
    assert threshold_text(Fraction(2, 3)) == "2/3 (66.7%)"
    assert threshold_text(Fraction(3, 5)) == "60%"


def test_one_day_is_a_day() -> None:
    assert days_before([1]) == "1 day before"
    assert days_before([7]) == "7 days before"
    assert days_before([14, 7, 1]) == "14, 7 and 1 days before"


def test_help_tells_a_member_how_to_vote() -> None:
    words = how_to_vote(123)
    assert "<#123>" in words and "**Vote**" in words and "**Submit ballot**" in words
    assert "only your last ballot counts" in words
