"""The capacity ledger's priority (bot/domain/priority.py) against the strategy:

"Chapters should prioritize cadre candidates and previously-endorsed incumbents." (seed,
"Chapter Strategy: Discipline, Prioritization, and Capacity")

Priority reads the cadre profile (every cadre criterion but viability) and incumbency, never
the ledger's own verdict: each case's id says which part of the rule it checks.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.classify import Assessment, Facts
from bot.domain.ledger import Priority
from bot.domain.priority import candidate_priority, race_priority
from bot.domain.questionnaire import RedLine

LINE = RedLine(1, "Will you refuse developer money?", "yes")
PROFILE = {
    "dsa_member": "yes",
    "identifies_socialist": "yes",
    "join_sio": "yes",
    "office_kind": "legislative",
    "seat": "open",
    LINE.key: "yes",
}


ROOTED = Assessment(rooted=True)


def facts(*, assessment: Assessment = ROOTED, **changes: object) -> Facts:
    answers = {**PROFILE, **changes.pop("answers", {})}  # type: ignore[dict-item]
    base = Facts(
        answers={k: v for k, v in answers.items() if v is not None},
        red_lines=(LINE,),
        office_kind="legislative",
        incumbent=False,
        previously_endorsed=False,
        assessment=assessment,
    )
    return replace(base, **changes)


CASES = [
    pytest.param(
        facts(),
        Priority.CADRE,
        id="'prioritize cadre candidates': a cadre profile with no viability assessment and "
        "no ledger verdict is still cadre",
    ),
    pytest.param(
        facts(capacity_fits=False, assessment=Assessment(rooted=True, viable=False)),
        Priority.CADRE,
        id="priority never reads viability: not fitting, or not winnable, keeps the profile's "
        "rank (viability is then judged under it)",
    ),
    pytest.param(
        facts(assessment=Assessment(rooted=None)),
        Priority.OTHER,
        id="cadre profile: 'deeply rooted in the chapter's internal political life' must be "
        "judged by the committee first",
    ),
    pytest.param(
        facts(answers={"identifies_socialist": "no"}),
        Priority.OTHER,
        id="cadre profile: 'not ... open socialists' are not cadre",
    ),
    pytest.param(
        facts(answers={"office_kind": "judicial"}),
        Priority.OTHER,
        id="cadre profile: 'non-symbolic offices — executive or legislative'",
    ),
    pytest.param(
        facts(
            answers={"dsa_member": "no", "seat": "incumbent"},
            incumbent=True,
            previously_endorsed=True,
            assessment=Assessment(),
        ),
        Priority.INCUMBENT,
        id="'prioritize ... previously-endorsed incumbents': from the register, whatever the "
        "committee has assessed",
    ),
    pytest.param(
        facts(answers={"seat": "incumbent"}, incumbent=True, previously_endorsed=False),
        Priority.CADRE,
        id="an incumbent the chapter never endorsed ranks by profile",
    ),
    pytest.param(
        facts(answers={LINE.key: "no"}, incumbent=True, previously_endorsed=True),
        Priority.OTHER,
        id="red lines: 'should not cross any of the organization's red lines at the time of "
        "their campaign': a candidate who does gives no priority",
    ),
    pytest.param(
        facts(answers={"ballot_line": "independent"}),
        Priority.OTHER,
        id="independents in partisan races 'should generally not be endorsed': no priority",
    ),
]


@pytest.mark.parametrize(("given", "expected"), CASES)
def test_priority_follows_the_strategy(given: Facts, expected: Priority) -> None:
    assert candidate_priority(given) is expected


def test_a_race_ranks_by_its_highest_candidate() -> None:
    incumbent = facts(answers={"seat": "incumbent"}, incumbent=True, previously_endorsed=True)
    outsider = facts(answers={"dsa_member": "no"})
    assert race_priority([outsider, facts()]) is Priority.CADRE
    assert race_priority([facts(), incumbent]) is Priority.INCUMBENT
    assert race_priority([outsider]) is Priority.OTHER
    assert race_priority([]) is Priority.OTHER
