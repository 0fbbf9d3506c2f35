"""The vote's components. All are `DynamicItem`s whose custom_id carries everything needed,
so a ballot half-ranked before a restart still works after it.

    vote:ballot:{vote}             the announcement's Vote button
    vote:close:{vote}              the committee's "yes, close it now" confirmation
    vote:r:p:{vote}:{draft}        the select that picks the next choice
    vote:r:{u|c|s|g}:{vote}:{draft}  Undo, Clear, Submit, Go to page (draft.page)
    vote:y:c:{vote}:{candidate}:{draft}  yes/no: one candidate's Yes / No / Abstain select
    vote:y:{s|g}:{vote}:{draft}          yes/no: Submit, Go to page (draft.page)

A yes/no ballot is a page of up to 4 full-width selects, one per candidate (the candidate's
name is the placeholder; once answered, the closed select reads "✅ Yes: Ada Ruiz"), and one
row of buttons: the page arrows and "Submit all answers". The message above lists every
candidate's answer so far, so a member on page 2 still sees page 1. Selects, not 3 buttons
per candidate: a phone wraps a row of 3 labelled buttons under a name it cannot show beside
them, while a select keeps the name and the answer on one line and opens a native picker.

`draft` is `domain.votes.Draft.encode()`: layout, page and the ranking so far (for a yes/no
ballot, one answer digit per candidate: 0 abstain, 1 yes, 2 no).

The items reach the cog through `BallotFlow`, the methods it promises, so this module does
not import the cog. Errors: a `UserError` goes through `bot.discord_errors.report`.
Anything else is logged here without the custom_id (which holds a ranking) and the member
gets the usual apology.

Also here: the create flow's modal and preview buttons, which are short-lived on purpose
(nothing is stored until Create, so after a restart the committee runs the command again).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable

import discord

from bot.discord_errors import report
from bot.domain import discord_limits as limits
from bot.domain import votes as rules
from bot.domain.hygiene import ROW_ID
from bot.domain.votes import Draft
from bot.errors import UserError
from cogs._common import cog_of
from cogs._components import stale_item


@runtime_checkable
class BallotFlow(Protocol):
    """What the items ask of the votes cog."""

    async def start_ballot(self, interaction: discord.Interaction, vote_id: int) -> None: ...

    async def show_ballot(
        self, interaction: discord.Interaction, vote_id: int, draft: Draft
    ) -> None: ...

    async def show_yes_no(
        self, interaction: discord.Interaction, vote_id: int, draft: Draft
    ) -> None: ...

    async def submit_ballot(
        self, interaction: discord.Interaction, vote_id: int, draft: Draft
    ) -> None: ...

    async def confirm_close(self, interaction: discord.Interaction, vote_id: int) -> None: ...


_DRAFT = r"(?P<draft>[0-9a-f]{6}:\d{1,2}:[0-9A-Za-z]{0,62})"


def _cog(interaction: discord.Interaction) -> BallotFlow:
    return cog_of(interaction, "Votes", BallotFlow)


async def guarded(
    interaction: discord.Interaction, what: str, run: Callable[[], Awaitable[None]]
) -> None:
    """Run a component callback; an error reaches the member through the one error path,
    logged as `what` with its type only: a ballot's custom_id and an exception's text can
    quote a ranking."""
    try:
        await run()
    except Exception as error:
        await report(interaction, error, where=what, traceback=False)


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"vote:ballot:(?P<vote>{ROW_ID})"
):
    def __init__(self, vote_id: int, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Vote",
                style=discord.ButtonStyle.primary,
                custom_id=f"vote:ballot:{vote_id}",
                disabled=disabled,
            )
        )
        self.vote_id = vote_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> VoteButton:
        return cls(int(match["vote"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction,
            f"the Vote button of vote {self.vote_id}",
            lambda: _cog(interaction).start_ballot(interaction, self.vote_id),
        )


class CloseConfirm(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"vote:close:(?P<vote>{ROW_ID})"
):
    def __init__(self, vote_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Close the vote now",
                style=discord.ButtonStyle.danger,
                custom_id=f"vote:close:{vote_id}",
            )
        )
        self.vote_id = vote_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> CloseConfirm:
        return cls(int(match["vote"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(
            interaction,
            f"the close confirmation of vote {self.vote_id}",
            lambda: _cog(interaction).confirm_close(interaction, self.vote_id),
        )


class BallotSelect(
    discord.ui.DynamicItem[discord.ui.Select], template=rf"vote:r:p:(?P<vote>{ROW_ID}):{_DRAFT}"
):
    def __init__(self, vote_id: int, draft: Draft, choices: Sequence[tuple[int, str]]) -> None:
        place = rules.ordinal(len(draft.ranking) + 1)
        select: discord.ui.Select = discord.ui.Select(
            custom_id=f"vote:r:p:{vote_id}:{draft.encode()}",
            placeholder=f"Choose your {place} choice",
            options=[
                discord.SelectOption(label=name[: limits.SELECT_OPTION_LABEL], value=str(index))
                for index, name in choices
            ]
            or [discord.SelectOption(label="(nothing left to rank)", value="-")],
            disabled=not choices,
            min_values=1,
            max_values=1,
        )
        super().__init__(select)
        self.vote_id = vote_id
        self.draft = draft

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str], /
    ) -> BallotSelect:
        return cls(int(match["vote"]), Draft.decode(match["draft"]), [])

    async def callback(self, interaction: discord.Interaction) -> None:
        values: list[Any] = (interaction.data or {}).get("values", [])  # type: ignore[assignment]

        async def run() -> None:
            try:
                picked = int(values[0])
            except (IndexError, ValueError):
                raise UserError("Pick an option from the list.") from None
            draft = Draft(self.draft.layout, 0, (*self.draft.ranking, picked))
            await _cog(interaction).show_ballot(interaction, self.vote_id, draft)

        await guarded(interaction, f"a ballot select of vote {self.vote_id}", run)


_LABELS = {"u": "Undo", "c": "Clear", "s": "Submit", "g": "Page"}
_STYLES = {
    "u": discord.ButtonStyle.secondary,
    "c": discord.ButtonStyle.secondary,
    "s": discord.ButtonStyle.success,
    "g": discord.ButtonStyle.secondary,
}


class BallotButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"vote:r:(?P<action>[ucsg]):(?P<vote>{ROW_ID}):{_DRAFT}",
):
    def __init__(
        self,
        action: str,
        vote_id: int,
        draft: Draft,
        *,
        label: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or _LABELS[action],
                style=_STYLES[action],
                custom_id=f"vote:r:{action}:{vote_id}:{draft.encode()}",
                disabled=disabled,
            )
        )
        self.action = action
        self.vote_id = vote_id
        self.draft = draft

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> BallotButton:
        return cls(match["action"], int(match["vote"]), Draft.decode(match["draft"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = _cog(interaction)
        draft = self.draft
        if self.action == "s":
            run = lambda: cog.submit_ballot(interaction, self.vote_id, draft)  # noqa: E731
        else:
            if self.action == "u":
                draft = Draft(draft.layout, 0, draft.ranking[:-1])
            elif self.action == "c":
                draft = Draft(draft.layout, 0, ())
            run = lambda: cog.show_ballot(interaction, self.vote_id, draft)  # noqa: E731
        await guarded(interaction, f"a ballot button of vote {self.vote_id}", run)


def ballot_view(vote_id: int, options: Sequence[str], draft: Draft) -> discord.ui.View:
    """The member's ballot: a select of what is left (paged by 25), then the buttons."""
    view = discord.ui.View(timeout=None)
    remaining = draft.remaining(len(options))
    pages = rules.pages(len(options), len(draft.ranking))
    page = min(draft.page, pages - 1)
    shown = remaining[page * rules.PAGE_SIZE : (page + 1) * rules.PAGE_SIZE]
    here = Draft(draft.layout, page, draft.ranking)
    view.add_item(BallotSelect(vote_id, here, [(i, options[i]) for i in shown]))
    if pages > 1:
        # Two pages: one button flips between them (two would share a custom_id).
        targets = sorted({(page - 1) % pages, (page + 1) % pages} - {page})
        for target in targets:
            arrow = "◀" if target < page else "▶"
            view.add_item(
                BallotButton(
                    "g",
                    vote_id,
                    Draft(draft.layout, target, draft.ranking),
                    label=f"{arrow} Options page {target + 1} of {pages}",
                )
            )
    view.add_item(BallotButton("u", vote_id, here, disabled=not draft.ranking))
    view.add_item(BallotButton("c", vote_id, here, disabled=not draft.ranking))
    submit_label = "Submit ballot" if draft.ranking else "Submit (abstain)"
    view.add_item(BallotButton("s", vote_id, here, label=submit_label))
    return view


def announcement_view(vote_id: int, *, closed: bool = False) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(vote_id, disabled=closed))
    return view


def close_view(vote_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CloseConfirm(vote_id))
    return view


# --- yes/no ballot ----------------------------------------------------------------------------

_ANSWER_LABELS = {rules.YES: "Yes", rules.NO: "No", rules.ABSTAIN: "Abstain"}
_ANSWER_EMOJI = {rules.YES: "✅", rules.NO: "❌", rules.ABSTAIN: "➖"}


class YesNoSelect(
    discord.ui.DynamicItem[discord.ui.Select],
    template=rf"vote:y:c:(?P<vote>{ROW_ID}):(?P<candidate>\d{{1,2}}):{_DRAFT}",
):
    """One candidate's question: a full-width select whose closed face shows the answer."""

    def __init__(self, vote_id: int, candidate: int, name: str, draft: Draft) -> None:
        current = draft.ranking[candidate] if candidate < len(draft.ranking) else rules.ABSTAIN
        select: discord.ui.Select = discord.ui.Select(
            custom_id=f"vote:y:c:{vote_id}:{candidate}:{draft.encode()}",
            placeholder=name[:150],
            options=[
                discord.SelectOption(
                    label=f"{_ANSWER_LABELS[a]}: {name}"[: limits.SELECT_OPTION_LABEL],
                    value=str(a),
                    emoji=_ANSWER_EMOJI[a],
                    default=a == current,
                )
                for a in (rules.YES, rules.NO, rules.ABSTAIN)
            ],
            min_values=1,
            max_values=1,
        )
        super().__init__(select)
        self.vote_id = vote_id
        self.candidate = candidate
        self.draft = draft

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str], /
    ) -> YesNoSelect:
        return cls(int(match["vote"]), int(match["candidate"]), "", Draft.decode(match["draft"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        values: list[Any] = (interaction.data or {}).get("values", [])  # type: ignore[assignment]

        async def run() -> None:
            try:
                answer = int(values[0])
            except (IndexError, ValueError):
                raise UserError("Pick Yes, No or Abstain.") from None
            answers = list(self.draft.ranking)
            if not 0 <= self.candidate < len(answers) or answer not in _ANSWER_LABELS:
                raise UserError("This ballot is damaged; press **Vote** again.")
            answers[self.candidate] = answer
            draft = Draft(self.draft.layout, self.draft.page, tuple(answers))
            await _cog(interaction).show_yes_no(interaction, self.vote_id, draft)

        await guarded(interaction, f"a yes/no select of vote {self.vote_id}", run)


class YesNoButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"vote:y:(?P<action>[sg]):(?P<vote>{ROW_ID}):{_DRAFT}",
):
    def __init__(self, action: str, vote_id: int, draft: Draft, *, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=_STYLES[action],
                custom_id=f"vote:y:{action}:{vote_id}:{draft.encode()}",
            )
        )
        self.action = action
        self.vote_id = vote_id
        self.draft = draft

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> YesNoButton:
        return cls(match["action"], int(match["vote"]), Draft.decode(match["draft"]), label="")

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = _cog(interaction)
        if self.action == "s":
            run = lambda: cog.submit_ballot(interaction, self.vote_id, self.draft)  # noqa: E731
        else:
            run = lambda: cog.show_yes_no(interaction, self.vote_id, self.draft)  # noqa: E731
        await guarded(interaction, f"a yes/no button of vote {self.vote_id}", run)


def yes_no_view(vote_id: int, candidates: Sequence[str], draft: Draft) -> discord.ui.View:
    """A page of the yes/no ballot: one select per candidate (4 a page), then one row with
    the page buttons and Submit. Submit records every page's answers at once."""
    view = discord.ui.View(timeout=None)
    pages = rules.yes_no_pages(len(candidates))
    page = min(draft.page, pages - 1)
    here = Draft(draft.layout, page, draft.ranking)
    first = page * rules.YES_NO_PAGE
    for index in range(first, min(first + rules.YES_NO_PAGE, len(candidates))):
        view.add_item(YesNoSelect(vote_id, index, candidates[index], here))
    if page > 0:
        back = Draft(draft.layout, page - 1, draft.ranking)
        view.add_item(YesNoButton("g", vote_id, back, label=f"◀ Page {page} of {pages}"))
    if page < pages - 1:
        onward = Draft(draft.layout, page + 1, draft.ranking)
        view.add_item(YesNoButton("g", vote_id, onward, label=f"Page {page + 2} of {pages} ▶"))
    view.add_item(YesNoButton("s", vote_id, here, label="Submit all answers"))
    return view


LIVE_ITEMS = (VoteButton, CloseConfirm, BallotSelect, BallotButton, YesNoSelect, YesNoButton)
DYNAMIC_ITEMS = (*LIVE_ITEMS, stale_item("vote", LIVE_ITEMS))


# --- the create flow (not persistent) -----------------------------------------------------

PREVIEW_TTL = timedelta(minutes=15)


class CandidatesModal(discord.ui.Modal, title="Candidates on the ballot"):
    """The names on the ballot, one a line; `on_names(interaction, names)` gets them."""

    def __init__(
        self,
        on_names: Callable[[discord.Interaction, tuple[str, ...]], Awaitable[None]],
        registered: list[str],
    ) -> None:
        super().__init__(timeout=900)
        self.on_names = on_names
        self.names: discord.ui.TextInput = discord.ui.TextInput(
            label="One name per line (new names join the race)",
            style=discord.TextStyle.paragraph,
            default="\n".join(registered)[: limits.TEXT_INPUT_VALUE] or None,
            required=False,
            max_length=limits.TEXT_INPUT_VALUE,
            custom_id="vote:create:names",
        )
        self.add_item(self.names)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        lines = tuple(line for line in str(self.names.value).splitlines() if line.strip())
        await self.on_names(interaction, lines)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report(interaction, error)


class PreviewView(discord.ui.View):
    """The preview's Create/Cancel. Short-lived on purpose: after a restart, run the
    command again (nothing was stored yet)."""

    def __init__(self, on_create: Callable[[discord.Interaction], Awaitable[None]]) -> None:
        super().__init__(timeout=PREVIEW_TTL.total_seconds())
        self.on_create = on_create

    @discord.ui.button(label="Create the vote", style=discord.ButtonStyle.success)
    async def create(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await self.on_create(interaction)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(
            content="Cancelled; nothing was created.", view=None, embed=None
        )

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item
    ) -> None:
        await report(interaction, error)
