"""The classification against the strategy's rules (docs/domain.md section 1; the seed's "Class
Struggle Elections", "Cadre Elections", "Ballot Line" and "Chapter Strategy" sections).

Each case's id quotes the rule it checks.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.classify import (
    Assessment,
    Category,
    Facts,
    Status,
    classify,
)
from bot.domain.questionnaire import RedLine

NO_GENOCIDE = RedLine(1, "Will you refuse money from real-estate developers?", "yes")
CADRE_ANSWERS = {
    "dsa_member": "yes",
    "identifies_socialist": "yes",
    "seeks_endorsement": "yes",
    "join_sio": "yes",
    "office_kind": "legislative",
    "ballot_line": "party_primary",
    "seat": "open",
    NO_GENOCIDE.key: "yes",
}
ALL_YES = Assessment(
    prominent=True, coheres_labor=True, rooted=True, viable=True, worked_with_chapter=True
)


def facts(answers: dict[str, str] | None = None, **changes: object) -> Facts:
    base = Facts(
        answers=CADRE_ANSWERS if answers is None else answers,
        red_lines=(NO_GENOCIDE,),
        office_kind="legislative",
        incumbent=False,
        previously_endorsed=False,
        assessment=ALL_YES,
        capacity_fits=True,
    )
    return replace(base, **changes)


def answers(**changes: str | None) -> dict[str, str]:
    merged: dict[str, str | None] = {**CADRE_ANSWERS, **changes}
    return {k: v for k, v in merged.items() if v is not None}


CASES = [
    pytest.param(
        facts(),
        Category.CADRE,
        id="cadre: a DSA member rooted in the chapter, accountable to it (SIO), for a "
        "legislative office, with a viable path",
    ),
    pytest.param(
        facts(answers(office_kind="executive")),
        Category.CADRE,
        id="cadre: executive offices are non-symbolic too",
    ),
    pytest.param(
        facts(answers(office_kind="judicial"), assessment=replace(ALL_YES, prominent=False)),
        Category.NEITHER,
        id="cadre: not for symbolic offices (judicial/administrative)",
    ),
    pytest.param(
        facts(assessment=replace(ALL_YES, viable=False, prominent=False)),
        Category.NEITHER,
        id="cadre: needs a viable path to victory (limited resources)",
    ),
    pytest.param(
        facts(capacity_fits=False, assessment=replace(ALL_YES, prominent=False)),
        Category.NEITHER,
        id="cadre: viable path reads the capacity ledger where it exists",
    ),
    pytest.param(
        facts(capacity_fits=True, assessment=replace(ALL_YES, viable=False, prominent=False)),
        Category.NEITHER,
        id="cadre: a winnable district ('an open seat or a weak incumbent') and a win number "
        "the chapter can reach must both hold: the ledger's fit does not outrank the "
        "committee's 'not winnable'",
    ),
    pytest.param(
        facts(capacity_fits=None, assessment=replace(ALL_YES, prominent=False)),
        Category.UNDECIDED,
        id="cadre: 'a win number low enough that the chapter can plausibly directly contact "
        "enough voters': unknown until the capacity ledger knows the race",
    ),
    pytest.param(
        facts(assessment=replace(ALL_YES, viable=None)),
        Category.CADRE,
        id="cadre: 'either an open seat or a weak incumbent': an open seat is winnable without "
        "the committee's say",
    ),
    pytest.param(
        facts(
            answers(seat="challenger"), assessment=replace(ALL_YES, viable=None, prominent=False)
        ),
        Category.UNDECIDED,
        id="cadre: a challenger needs the committee to judge the incumbent weak",
    ),
    pytest.param(
        facts(answers(identifies_socialist="no")),
        Category.NEITHER,
        id="cadre: 'candidates who are not members of DSA or open socialists ... should not be "
        "endorsed', even a rooted member with a viable path",
    ),
    pytest.param(
        facts(assessment=replace(ALL_YES, rooted=False)),
        Category.CLASS_STRUGGLE,
        id="class struggle: a candidate not rooted in the chapter can still be a class-struggle "
        "candidate (prominent, coheres labor, solicits, member, open socialist)",
    ),
    pytest.param(
        facts(answers(join_sio="no")),
        Category.CLASS_STRUGGLE,
        id="class struggle: willingness to join SIO is important but not decisive",
    ),
    pytest.param(
        facts(answers(seeks_endorsement="no"), assessment=replace(ALL_YES, rooted=False)),
        Category.NEITHER,
        id="class struggle: should not be endorsed if they did not actively solicit the "
        "endorsement",
    ),
    pytest.param(
        facts(answers(identifies_socialist="no"), assessment=replace(ALL_YES, rooted=False)),
        Category.NEITHER,
        id="neither: not open socialists should not be endorsed",
    ),
    pytest.param(
        facts(answers(dsa_member="no")),
        Category.NEITHER,
        id="neither: non-members should not be endorsed (neither cadre nor class struggle)",
    ),
    pytest.param(
        facts(
            assessment=replace(ALL_YES, coheres_labor=False, rooted=False),
        ),
        Category.NEITHER,
        id="class struggle: good labor policy is not enough, the candidate must cohere labor",
    ),
    pytest.param(
        facts(assessment=replace(ALL_YES, prominent=False, viable=False)),
        Category.NEITHER,
        id="neither: long-shot agitational runs (no viable path, not a prominent race)",
    ),
    pytest.param(
        facts(answers(**{NO_GENOCIDE.key: None})),
        Category.UNDECIDED,
        id="red lines: 'should not cross any of the organization's red lines at the time of "
        "their campaign': one not answered yet (adopted later) leaves no clean verdict",
    ),
    pytest.param(
        facts(answers(**{NO_GENOCIDE.key: "no"})),
        Category.DO_NOT_ENDORSE,
        id="red lines: crossing any red line means do not endorse, whatever else holds",
    ),
    pytest.param(
        facts(
            answers(**{NO_GENOCIDE.key: "no"}, seat="incumbent"),
            incumbent=True,
            previously_endorsed=True,
        ),
        Category.DO_NOT_ENDORSE,
        id="red lines: even a previously endorsed incumbent who crosses one",
    ),
    pytest.param(
        facts(
            answers(dsa_member="no", identifies_socialist="no", seat="incumbent"),
            incumbent=True,
            previously_endorsed=True,
            assessment=replace(ALL_YES, prominent=False),
        ),
        Category.INCUMBENT,
        id="incumbents who worked with the chapter are re-endorsed even without a credible "
        "challenger (the exception to no paper endorsements)",
    ),
    pytest.param(
        facts(
            answers(dsa_member="no", seat="incumbent"),
            incumbent=True,
            previously_endorsed=False,
            assessment=replace(ALL_YES, prominent=False),
        ),
        Category.NEITHER,
        id="incumbent re-endorsement is for previously endorsed incumbents only",
    ),
    pytest.param(
        facts(
            answers(dsa_member="no", seat="incumbent"),
            incumbent=True,
            previously_endorsed=True,
            assessment=replace(ALL_YES, prominent=False, worked_with_chapter=False),
        ),
        Category.NEITHER,
        id="incumbent re-endorsement needs an incumbent who worked with the chapter",
    ),
    pytest.param(
        facts(answers(ballot_line="independent")),
        Category.NEITHER,
        id="ballot line: independents in partisan races are generally not endorsed",
    ),
    pytest.param(
        facts(answers(ballot_line="nonpartisan")),
        Category.CADRE,
        id="ballot line: a non-partisan race is not an independent race",
    ),
    pytest.param(
        facts(assessment=Assessment()),
        Category.UNDECIDED,
        id="the bot advises: a criterion only the committee can judge stays unknown, so no "
        "category is proposed yet",
    ),
]


@pytest.mark.parametrize(("given", "expected"), CASES)
def test_classification_follows_the_strategy(given: Facts, expected: Category) -> None:
    assert classify(given).category is expected


def test_every_criterion_says_where_it_came_from() -> None:
    report = classify(facts(assessment=replace(ALL_YES, rooted=None)))
    cadre = report.checks[0]
    statuses = {c.label: (c.status, c.source) for c in cadre.criteria}
    assert statuses["DSA member"] == (Status.MET, "answered yes: “Are you a DSA member?”")
    rooted = statuses["Rooted in the chapter's internal life"]
    assert rooted[0] is Status.UNKNOWN and "/candidate assess" in rooted[1]
    assert statuses["Non-symbolic office (executive or legislative)"][1] == "answered legislative"


def test_red_lines_crossed_are_named_in_the_reason() -> None:
    """Red lines: the report names the crossed position so the committee sees why."""
    report = classify(facts(answers(**{NO_GENOCIDE.key: "no"})))
    assert report.red_lines_crossed == (NO_GENOCIDE,)
    assert NO_GENOCIDE.question in report.reason


def test_an_unanswered_red_line_is_listed_not_crossed() -> None:
    report = classify(facts(answers(**{NO_GENOCIDE.key: None})))
    assert report.red_lines_crossed == ()
    assert report.red_lines_unanswered == (NO_GENOCIDE,)
    assert report.reason == (
        "Meets every cadre candidate criterion, but a red line is not answered yet: "
        f"“{NO_GENOCIDE.question}”."
    )


def test_office_kind_falls_back_to_the_register_when_not_answered() -> None:
    """Cadre: non-symbolic office, read from the race register when the answer is missing."""
    report = classify(facts(answers(office_kind=None), office_kind="party"))
    [office] = [c for c in report.checks[0].criteria if c.label.startswith("Non-symbolic")]
    assert office.status is Status.NOT_MET and office.source == "race register: party"


def test_neither_reason_lists_what_is_not_met() -> None:
    report = classify(facts(answers(dsa_member="no")))
    assert report.category is Category.NEITHER
    assert "DSA member" in report.reason


def test_the_report_shows_each_half_of_a_viable_path() -> None:
    """ "Identifying a winnable district ..., either an open seat or a weak incumbent, and
    with a win number low enough that the chapter can plausibly directly contact enough
    voters to win." (seed, "Every chapter in DSA has the capacity to elect a socialist
    cadre by 2030"): both halves are listed, each with its source."""
    report = classify(facts(capacity_fits=False, assessment=replace(ALL_YES, viable=True)))
    cadre = {c.label: (c.status, c.source) for c in report.checks[0].criteria}
    assert cadre["Winnable district: open seat or weak incumbent"] == (
        Status.MET,
        "committee's assessment: yes",
    )
    assert cadre["Win number within the chapter's capacity"] == (
        Status.NOT_MET,
        "capacity ledger: the race does not fit the chapter's doors",
    )
    assert cadre["Publicly a democratic socialist"][0] is Status.MET
