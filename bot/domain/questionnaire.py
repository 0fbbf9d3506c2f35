"""Candidate questionnaires: templates, red lines, pages and answers.

Pure: no discord, no database, no clock reads. A template is data (TOML, see
`default_questionnaire.toml`); `load_template` checks it against Discord's modal limits and
raises `TemplateError` naming the question that breaks one. A page is one modal of at most
five questions. Answers are stored as text exactly as typed (so an invalid answer can be
offered back to the candidate unchanged) with a flag saying whether it is valid.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from importlib import resources

from bot.domain import discord_limits as limits
from bot.domain.errors import InputError
from bot.domain.hygiene import date_in_range, is_blank, out_of_range, tidy, trim

# Discord's limits for a modal (docs: Label, Text Input, Radio Group components).
LABEL_MAX = limits.MODAL_LABEL
DESCRIPTION_MAX = limits.MODAL_LABEL_DESCRIPTION
PAGE_MAX = limits.MODAL_COMPONENTS
OPTIONS_MIN, OPTIONS_MAX = 2, 10
OPTION_TEXT_MAX = limits.SELECT_OPTION_LABEL
TEXT_MAX = limits.TEXT_INPUT_VALUE
TITLE_MAX = limits.MODAL_TITLE
KEY_MAX = 40
RED_LINE_MAX = 100
RED_LINE_PAGE = "Red lines"
YES, NO = "yes", "no"


class TemplateError(InputError):
    """A template breaks a rule or a Discord limit; `str()` names the question."""


class AnswerError(InputError):
    """An answer the candidate typed is not acceptable; `str()` says why."""


class QuestionKind(StrEnum):
    TEXT = "text"
    YES_NO = "yes_no"
    CHOICE = "choice"
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    label: str
    kind: QuestionKind
    page: int = 1
    description: str = ""
    required: bool = True
    max_length: int = TEXT_MAX
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    prefill: str = ""
    # The answer a red line requires ("yes" or "no"); empty for ordinary questions.
    red_line: str = ""

    def option_label(self, value: str) -> str:
        for option in self.option_list:
            if option.value == value:
                return option.label
        return value

    @property
    def option_list(self) -> tuple[Option, ...]:
        if self.kind is QuestionKind.YES_NO:
            return (Option(YES, "Yes"), Option(NO, "No"))
        return self.options


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    questions: tuple[Question, ...]
    pages: tuple[tuple[Question, ...], ...] = field(default=())

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


@dataclass(frozen=True, slots=True)
class RedLine:
    """A position the chapter decided is non-negotiable: a yes/no question and the answer
    a candidate must give ("Class Struggle Elections")."""

    id: int
    question: str
    required: str  # "yes" or "no"
    # Adopted after the questionnaire it is on went out, and added to it then: the same red
    # line either way, so not part of equality.
    added_later: bool = field(default=False, compare=False)

    @property
    def key(self) -> str:
        return f"red_line_{self.id}"


def check_red_line_text(text: str) -> str:
    """The red line's question, tidied, or `TemplateError` saying what is wrong."""
    text = tidy(text)
    if not text:
        raise TemplateError("Write the red line as a yes/no question.")
    if len(text) > RED_LINE_MAX:
        raise TemplateError(
            f"A red line can be at most {RED_LINE_MAX} characters (it is {len(text)}): Discord "
            "shows it in a questionnaire page."
        )
    return text


def red_line_question(line: RedLine) -> Question:
    """The red line as a yes/no question: the label is cut to Discord's 45 characters and
    the full wording goes in the description."""
    label = line.question if len(line.question) <= LABEL_MAX else line.question[:44] + "…"
    description = line.question if label != line.question else ""
    return Question(
        key=line.key,
        label=label,
        kind=QuestionKind.YES_NO,
        description=description,
        red_line=line.required,
    )


def with_red_lines(template: Template, lines: Sequence[RedLine]) -> Template:
    """The template with the chapter's red lines as its last pages, five a page."""
    asked = [red_line_question(line) for line in lines]
    last = max((q.page for q in template.questions), default=0)
    extra = tuple(_on_page(q, last + 1 + i // PAGE_MAX) for i, q in enumerate(asked))
    return build_template(template.name, template.questions + extra)


def _on_page(question: Question, page: int) -> Question:
    return Question(**{**_fields(question), "page": page})


def _fields(question: Question) -> dict[str, object]:
    return {name: getattr(question, name) for name in Question.__slots__}


def build_template(name: str, questions: Sequence[Question]) -> Template:
    """A checked template: every question and page within Discord's limits."""
    seen: set[str] = set()
    for question in questions:
        _check_question(question)
        if question.key in seen:
            raise TemplateError(f"Two questions use the key `{question.key}`.")
        seen.add(question.key)
    numbers = sorted({q.page for q in questions})
    pages = tuple(tuple(q for q in questions if q.page == n) for n in numbers)
    for number, page in zip(numbers, pages, strict=True):
        if len(page) > PAGE_MAX:
            raise TemplateError(
                f"Page {number} has {len(page)} questions; a Discord modal holds at most "
                f"{PAGE_MAX} (move “{page[PAGE_MAX].label}” to another page)."
            )
    return Template(name=name, questions=tuple(questions), pages=pages)


def _check_question(q: Question) -> None:
    where = f"Question “{q.label[:60]}” (`{q.key}`)"
    if not q.key or len(q.key) > KEY_MAX or not q.key.replace("_", "").isalnum():
        raise TemplateError(f"{where}: the key must be 1-{KEY_MAX} letters, digits or _.")
    if is_blank(q.label):
        raise TemplateError(f"{where}: give the question a label.")
    if len(q.label) > LABEL_MAX:
        raise TemplateError(
            f"{where}: the label is {len(q.label)} characters; Discord allows {LABEL_MAX}. "
            "Put the longer wording in `description`."
        )
    if len(q.description) > DESCRIPTION_MAX:
        raise TemplateError(f"{where}: the description is over {DESCRIPTION_MAX} characters.")
    if q.kind is QuestionKind.TEXT and not 1 <= q.max_length <= TEXT_MAX:
        raise TemplateError(f"{where}: a text answer can be at most {TEXT_MAX} characters.")
    if q.kind is QuestionKind.CHOICE:
        _check_options(where, q.options)
    if q.kind is QuestionKind.NUMBER and (
        q.minimum is None or q.maximum is None or q.minimum > q.maximum
    ):
        raise TemplateError(f"{where}: a number question needs `min` <= `max`.")


def _check_options(where: str, options: Sequence[Option]) -> None:
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        raise TemplateError(
            f"{where}: a choice has {OPTIONS_MIN} to {OPTIONS_MAX} options in Discord; it has "
            f"{len(options)}."
        )
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        raise TemplateError(f"{where}: two options have the same value.")
    for option in options:
        if (
            not option.label
            or len(option.label) > OPTION_TEXT_MAX
            or len(option.value) > limits.SELECT_OPTION_VALUE
        ):
            raise TemplateError(
                f"{where}: option “{option.label[:40]}” must be 1-{OPTION_TEXT_MAX} characters."
            )


def load_template(text: str) -> Template:
    """Parse and check a TOML template; `TemplateError` names the offending question."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"The template is not valid TOML: {exc}") from None
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        raise TemplateError("The template has no `[[questions]]`.")
    return build_template(str(data.get("name", "Questionnaire")), [_question(q) for q in raw])


def _question(raw: Mapping[str, object]) -> Question:
    label = str(raw.get("label", ""))
    try:
        kind = QuestionKind(str(raw.get("kind")))
    except ValueError:
        kinds = ", ".join(k.value for k in QuestionKind)
        raise TemplateError(f"Question “{label}”: `kind` must be one of {kinds}.") from None
    options = tuple(
        Option(str(o.get("value", "")), str(o.get("label", "")))
        for o in raw.get("options", []) or []  # type: ignore[union-attr]
    )
    return Question(
        key=str(raw.get("key", "")),
        label=label,
        kind=kind,
        page=int(raw.get("page", 1)),  # type: ignore[call-overload]
        description=str(raw.get("description", "")),
        required=bool(raw.get("required", True)),
        max_length=int(raw.get("max_length", TEXT_MAX)),  # type: ignore[call-overload]
        options=options,
        minimum=raw.get("min"),  # type: ignore[arg-type]
        maximum=raw.get("max"),  # type: ignore[arg-type]
        prefill=str(raw.get("prefill", "")),
    )


def default_template_text() -> str:
    """The TOML of the template that ships with the bot."""
    return resources.files("bot.domain").joinpath("default_questionnaire.toml").read_text("utf-8")


def default_template() -> Template:
    return load_template(default_template_text())


def check_answer(question: Question, raw: str | None) -> str | None:
    """The answer to store for what was typed or picked (None: left empty), or
    `AnswerError` with the reason, in words a candidate can act on."""
    text = trim(raw)
    if not text:
        if question.required:
            raise AnswerError(f"“{question.label}” needs an answer.")
        return None
    if question.kind in (QuestionKind.YES_NO, QuestionKind.CHOICE):
        if text not in {o.value for o in question.option_list}:
            raise AnswerError(f"“{question.label}”: pick one of the options.")
        return text
    if question.kind is QuestionKind.NUMBER:
        return _check_number(question, text)
    if question.kind is QuestionKind.DATE:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise AnswerError(
                f"“{question.label}”: “{text[:40]}” is not a date; write it as YYYY-MM-DD, "
                "e.g. 2019-03-01."
            ) from None
        if not date_in_range(day):
            raise AnswerError(f"“{question.label}”: {out_of_range(day.isoformat())}")
        return day.isoformat()
    if len(text) > question.max_length:
        raise AnswerError(
            f"“{question.label}” can be at most {question.max_length} characters "
            f"({len(text)} given)."
        )
    return text


def _check_number(question: Question, text: str) -> str:
    cleaned = text.replace(",", "").replace("_", "")
    lo, hi = question.minimum, question.maximum
    try:
        number = int(cleaned)
    except ValueError:
        raise AnswerError(f"“{question.label}”: “{text[:40]}” is not a whole number.") from None
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        raise AnswerError(f"“{question.label}”: give a number from {lo:,} to {hi:,}.")
    return str(number)


def display(question: Question, value: str | None) -> str:
    """An answer as a reader sees it: option labels instead of values, `—` when empty."""
    if value is None or value == "":
        return "—"
    if question.option_list:
        return question.option_label(value)
    return value


_LINE_PREFILL = {
    "partisan_primary": "party_primary",
    "nonpartisan": "nonpartisan",
    "general": "party_line",
}


def prefilled(
    template: Template,
    *,
    office_kind: str,
    ballot_line: str,
    incumbent: bool,
    previously_endorsed: bool,
) -> dict[str, str]:
    """Answers filled in from the race register, which the candidate confirms or corrects."""
    known = {
        "race.office_kind": office_kind,
        "race.ballot_line": _LINE_PREFILL.get(ballot_line, ""),
        "candidate.seat": "incumbent" if incumbent else "",
        "candidate.previously_endorsed": YES if previously_endorsed else NO,
    }
    found: dict[str, str] = {}
    for question in template.questions:
        value = known.get(question.prefill, "")
        if value and value in {o.value for o in question.option_list}:
            found[question.key] = value
    return found
