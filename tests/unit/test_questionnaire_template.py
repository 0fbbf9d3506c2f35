"""Questionnaire templates against Discord's modal limits, red lines, and answer checks."""

from __future__ import annotations

import pytest

from bot.domain.questionnaire import (
    AnswerError,
    QuestionKind,
    RedLine,
    TemplateError,
    check_answer,
    check_red_line_text,
    default_template,
    load_template,
    prefilled,
    with_red_lines,
)


def toml(question: str, *, extra: str = "") -> str:
    return f'name = "T"\n{extra}\n[[questions]]\n{question}\n'


def test_the_default_template_loads_and_asks_what_the_criteria_need() -> None:
    template = default_template()
    keys = {q.key for q in template.questions}
    assert {
        "dsa_member",
        "dsa_member_since",
        "identifies_socialist",
        "seeks_endorsement",
        "join_sio",
        "office_kind",
        "ballot_line",
        "seat",
        "previously_endorsed",
        "supporters",
        "fundraising",
        "priorities",
    } <= keys
    assert {q.kind for q in template.questions} == set(QuestionKind)
    assert all(len(page) <= 5 for page in template.pages)


OVER_LIMIT = [
    pytest.param('key = "a"\nkind = "text"\nlabel = "' + "x" * 46 + '"', "45", id="label 46"),
    pytest.param(
        'key = "a"\nkind = "text"\nlabel = "ok"\ndescription = "' + "d" * 101 + '"',
        "description",
        id="description 101",
    ),
    pytest.param(
        'key = "a"\nkind = "text"\nlabel = "ok"\nmax_length = 4001', "4000", id="text 4001"
    ),
    pytest.param(
        'key = "a"\nkind = "choice"\nlabel = "ok"\noptions = ['
        + ", ".join(f'{{value = "v{i}", label = "L{i}"}}' for i in range(11))
        + "]",
        "2 to 10 options",
        id="11 radio options",
    ),
    pytest.param(
        'key = "a"\nkind = "choice"\nlabel = "ok"\noptions = [{value = "v", label = "L"}]',
        "2 to 10 options",
        id="1 radio option",
    ),
    pytest.param('key = "a"\nkind = "essay"\nlabel = "ok"', "kind", id="unknown kind"),
    pytest.param('key = "a"\nkind = "number"\nlabel = "ok"\nmin = 5\nmax = 1', "min", id="range"),
]


@pytest.mark.parametrize(("question", "message"), OVER_LIMIT)
def test_the_validator_refuses_each_over_limit_case_naming_the_question(
    question: str, message: str
) -> None:
    with pytest.raises(TemplateError, match=message) as caught:
        load_template(toml(question))
    assert "“" in str(caught.value)  # names the question


def test_a_page_of_six_questions_is_refused_naming_the_sixth() -> None:
    six = "\n".join(
        f'[[questions]]\nkey = "q{i}"\nkind = "text"\nlabel = "Question {i}"' for i in range(6)
    )
    with pytest.raises(TemplateError, match="Page 1 has 6 questions.*Question 5"):
        load_template('name = "T"\n' + six)


def test_red_lines_become_yes_no_pages_with_long_wording_in_the_description() -> None:
    long = "Will you vote against every budget that increases police funding in the city?"
    lines = [RedLine(i, long if i == 1 else f"Red line {i}?", "yes") for i in range(1, 7)]
    template = with_red_lines(default_template(), lines)
    asked = [q for q in template.questions if q.red_line]
    assert len(asked) == 6 and all(q.kind is QuestionKind.YES_NO for q in asked)
    assert len(asked[0].label) <= 45 and asked[0].description == long
    assert [len(p) for p in template.pages[-2:]] == [5, 1]


def test_a_red_line_over_100_characters_is_refused() -> None:
    with pytest.raises(TemplateError, match="at most 100"):
        check_red_line_text("x" * 101)


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("volunteers", "lots", "not a whole number"),
        ("volunteers", "100001", "from 0 to 100,000"),
        ("dsa_member_since", "March 2019", "YYYY-MM-DD"),
        ("priorities", "p" * 1501, "at most 1500"),
        ("fundraising", "  ", "needs an answer"),
    ],
)
def test_invalid_answers_say_why(key: str, typed: str, message: str) -> None:
    question = default_template().question(key)
    assert question is not None
    with pytest.raises(AnswerError, match=message):
        check_answer(question, typed)


def test_valid_answers_are_normalised() -> None:
    template = default_template()
    assert check_answer(template.question("volunteers"), "1,200") == "1200"  # type: ignore[arg-type]
    assert check_answer(template.question("dsa_member_since"), "2019-03-01") == "2019-03-01"  # type: ignore[arg-type]
    assert check_answer(template.question("accountability"), "") is None  # type: ignore[arg-type]


def test_register_facts_prefill_the_race_questions() -> None:
    found = prefilled(
        default_template(),
        office_kind="legislative",
        ballot_line="partisan_primary",
        incumbent=True,
        previously_endorsed=False,
    )
    assert found == {
        "office_kind": "legislative",
        "ballot_line": "party_primary",
        "seat": "incumbent",
        "previously_endorsed": "no",
    }
