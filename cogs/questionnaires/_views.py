"""The candidate's components. Buttons are `DynamicItem`s whose custom_id carries the
questionnaire and page, so a Resume pressed days later, after restarts, still works:

    qn:p:{sheet}:{page}:{s|n|b|r|f|e}   Start, Next, Back, Resume, Fix, Edit page
    qn:review:{sheet}                   Review every answer
    qn:submit:{sheet}                   Submit (locks the answers)
    qn:modal:{sheet}:{page}             a page's modal

A page is a modal of at most five Labels, each holding a text input (free text, number,
date) or a radio group (yes/no, single choice). discord.py routes a modal submit only to a
Modal object it holds in memory, which a restart loses; so pages are sent already stopped
(never stored) and every submit is routed by `QuestionnaireCog.on_interaction` on the
`qn:modal:` custom_id instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import discord

from bot.domain import discord_limits as limits
from bot.domain.hygiene import ROW_ID
from bot.domain.questionnaire import Question, QuestionKind
from bot.domain.questionnaire_sheet import Filled
from cogs._common import cog_of
from cogs._components import stale_item
from cogs._text import clip

if TYPE_CHECKING:
    from cogs.questionnaires._flow import QuestionnaireCog

MODAL_PREFIX = "qn:modal:"
_MODAL = re.compile(rf"qn:modal:(?P<sheet>{ROW_ID}):(?P<page>\d{{1,2}})")
_LABELS = {"s": "Start", "n": "Next", "b": "Back", "r": "Resume", "f": "Fix page", "e": "Page"}
_STYLES = {"s": discord.ButtonStyle.primary, "n": discord.ButtonStyle.primary}
_PLACEHOLDER = {QuestionKind.DATE: "YYYY-MM-DD, e.g. 2019-03-01"}
SHORT_MAX = 100


def _cog(interaction: discord.Interaction) -> QuestionnaireCog:
    from cogs.questionnaires._flow import QuestionnaireCog  # _flow imports this module

    return cog_of(interaction, "Questionnaires", QuestionnaireCog)


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"qn:p:(?P<sheet>{ROW_ID}):(?P<page>\d{{1,2}}):(?P<kind>[snbrfe])",
):
    def __init__(self, sheet_id: int, page: int, kind: str) -> None:
        label = _LABELS[kind] + (f" {page}" if kind in "fe" else "")
        super().__init__(
            discord.ui.Button(
                label=label,
                style=_STYLES.get(kind, discord.ButtonStyle.secondary),
                custom_id=f"qn:p:{sheet_id}:{page}:{kind}",
            )
        )
        self.sheet_id, self.page, self.kind = sheet_id, page, kind

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> PageButton:
        return cls(int(match["sheet"]), int(match["page"]), match["kind"])

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = _cog(interaction)
        await cog.open_page(interaction, self.sheet_id, self.page, resume=self.kind == "r")


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"qn:review:(?P<sheet>{ROW_ID})"
):
    def __init__(self, sheet_id: int) -> None:
        super().__init__(discord.ui.Button(label="Review", custom_id=f"qn:review:{sheet_id}"))
        self.sheet_id = sheet_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> ReviewButton:
        return cls(int(match["sheet"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).show_review(interaction, self.sheet_id)


class SubmitButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"qn:submit:(?P<sheet>{ROW_ID})"
):
    def __init__(self, sheet_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Submit", style=discord.ButtonStyle.success, custom_id=f"qn:submit:{sheet_id}"
            )
        )
        self.sheet_id = sheet_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> SubmitButton:
        return cls(int(match["sheet"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).submit(interaction, self.sheet_id)


LIVE_ITEMS = (PageButton, ReviewButton, SubmitButton)
DYNAMIC_ITEMS = (*LIVE_ITEMS, stale_item("qn", LIVE_ITEMS))


def buttons(*items: discord.ui.Item[Any]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view


def start_view(sheet_id: int) -> discord.ui.View:
    return buttons(PageButton(sheet_id, 1, "s"), PageButton(sheet_id, 1, "r"))


def after_page(filled: Filled, page: int, problems: bool) -> discord.ui.View:
    sheet_id, total = filled.sheet.id, len(filled.form.pages)
    items: list[discord.ui.Item[Any]] = []
    if problems:
        items.append(PageButton(sheet_id, page, "f"))
    if page > 1:
        items.append(PageButton(sheet_id, page - 1, "b"))
    if page < total and not problems:
        items.append(PageButton(sheet_id, page + 1, "n"))
    items.append(ReviewButton(sheet_id))
    return buttons(*items)


def review_view(filled: Filled) -> discord.ui.View:
    sheet_id = filled.sheet.id
    pages = [PageButton(sheet_id, n, "e") for n in range(1, len(filled.form.pages) + 1)]
    return buttons(*pages[:20], SubmitButton(sheet_id))


def resume_page(filled: Filled) -> int:
    """The first page with a required question still unanswered (or invalid), else 1."""
    for number, page in enumerate(filled.form.pages, start=1):
        for question in page:
            answer = filled.answers.get(question.key)
            if (question.required and answer is None) or (answer and not answer.valid):
                return number
    return 1


def _input(question: Question, saved: str | None) -> discord.ui.Item[Any]:
    if question.option_list:
        return discord.ui.RadioGroup(
            custom_id=question.key,
            required=question.required,
            options=[
                discord.RadioGroupOption(label=o.label, value=o.value, default=o.value == saved)
                for o in question.option_list
            ],
        )
    limit = question.max_length if question.kind is QuestionKind.TEXT else SHORT_MAX
    long = question.kind is QuestionKind.TEXT and limit > SHORT_MAX
    placeholder = _PLACEHOLDER.get(question.kind)
    if question.kind is QuestionKind.NUMBER:
        placeholder = f"A whole number from {question.minimum:,} to {question.maximum:,}"
    return discord.ui.TextInput(
        custom_id=question.key,
        style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        required=question.required,
        max_length=limit,
        default=clip(saved, limit) if saved else None,
        placeholder=placeholder,
    )


def page_modal(filled: Filled, page: int) -> discord.ui.Modal:
    total = len(filled.form.pages)
    modal = discord.ui.Modal(
        title=clip(f"Page {page} of {total}: {filled.form.name}", limits.MODAL_TITLE),
        custom_id=f"qn:modal:{filled.sheet.id}:{page}",
        timeout=None,
    )
    for question in filled.form.pages[page - 1]:
        modal.add_item(
            discord.ui.Label(
                text=question.label,
                description=question.description or None,
                component=_input(question, filled.value(question.key)),
            )
        )
    modal.stop()  # never stored by discord.py: the cog routes its submit (see above)
    return modal


def parse_modal(custom_id: str) -> tuple[int, int] | None:
    match = _MODAL.fullmatch(custom_id)
    return (int(match["sheet"]), int(match["page"])) if match else None


def _leaves(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        if isinstance(component.get("component"), dict):
            yield component["component"]
        yield from _leaves(component.get("components") or [])
        if "custom_id" in component:
            yield component


def submitted_values(data: dict[str, Any]) -> dict[str, str | None]:
    """custom_id -> what was typed or picked, from a modal submit's raw components."""
    values: dict[str, str | None] = {}
    for leaf in _leaves(data.get("components") or []):
        if "values" in leaf:
            values[leaf["custom_id"]] = (leaf["values"] or [None])[0]
        else:
            values[leaf["custom_id"]] = leaf.get("value")
    return values
