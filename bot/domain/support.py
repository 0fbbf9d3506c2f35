"""The invisible primary: the unions, organisations and people the chapter asks to back its
candidate in a race, the targets it sets per kind, and the progress toward them.

The strategy: "Winning the “invisible primary.” This means securing the support of as many
labor unions, progressive organizations, and organic community leaders as possible, well in
advance of announcing for the election, boxing out non-DSA progressives." So progress counts
commitments against the committee's targets per kind, and those committed to another
candidate are listed apart: they are the race being boxed out.

Pure: no discord, no database, no clock reads. Validation raises `SupportInputError` (a
`ValueError`) with a message a member can act on; the service turns it into `InvalidInput`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import InputError

NAME_MAX = 100
NOTES_MAX = 500
TARGET_MAX = 1000


class SupportInputError(InputError):
    """A supporter or a target the committee described breaks a rule."""


class SupportKind(StrEnum):
    """Who is asked. Unions and progressive organisations are organisations; community
    leaders and elected officials are people."""

    UNION = "union"
    ORGANISATION = "organisation"
    LEADER = "leader"
    OFFICIAL = "official"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self][0]

    @property
    def plural(self) -> str:
        return _KIND_LABELS[self][1]

    @property
    def is_person(self) -> bool:
        return self in (SupportKind.LEADER, SupportKind.OFFICIAL)


_KIND_LABELS = {
    SupportKind.UNION: ("union", "unions"),
    SupportKind.ORGANISATION: ("progressive organisation", "progressive organisations"),
    SupportKind.LEADER: ("community leader", "community leaders"),
    SupportKind.OFFICIAL: ("elected official", "elected officials"),
}


class SupportStatus(StrEnum):
    TO_ASK = "to_ask"
    ASKED = "asked"
    COMMITTED = "committed"
    DECLINED = "declined"
    OTHER = "other"  # committed to another candidate

    @property
    def label(self) -> str:
        return {
            SupportStatus.TO_ASK: "to ask",
            SupportStatus.ASKED: "asked",
            SupportStatus.COMMITTED: "committed",
            SupportStatus.DECLINED: "declined",
            SupportStatus.OTHER: "committed to another candidate",
        }[self]


@dataclass(frozen=True, slots=True)
class Supporter:
    id: int
    guild_id: int
    race_id: int
    name: str
    kind: SupportKind
    status: SupportStatus
    notes: str  # committee only: never shown to members


@dataclass(frozen=True, slots=True)
class SupporterChange:
    """What `/support update` changes: None leaves a field as it is."""

    name: str | None = None
    kind: SupportKind | None = None
    status: SupportStatus | None = None
    notes: str | None = None

    @property
    def empty(self) -> bool:
        return (
            self.name is None and self.kind is None and self.status is None and (self.notes is None)
        )


@dataclass(frozen=True, slots=True)
class KindProgress:
    kind: SupportKind
    committed: int
    target: int | None

    @property
    def line(self) -> str:
        if self.target is None:
            return f"{self.committed} {self._noun(self.committed)} committed"
        return f"{self.committed} of {self.target} target {self.kind.plural} committed"

    def _noun(self, count: int) -> str:
        return self.kind.label if count == 1 else self.kind.plural


@dataclass(frozen=True, slots=True)
class SupportProgress:
    """Commitments against targets, kind by kind, and who is boxing the race out."""

    kinds: tuple[KindProgress, ...]
    boxed_out: tuple[Supporter, ...]

    @property
    def empty(self) -> bool:
        return not self.kinds and not self.boxed_out

    @property
    def headline(self) -> str:
        return "; ".join(k.line for k in self.kinds)


def progress(
    supporters: Iterable[Supporter], targets: Mapping[SupportKind, int]
) -> SupportProgress:
    """Per kind with a target or a supporter: how many committed (against the target)."""
    listed = list(supporters)
    kinds = []
    for kind in SupportKind:
        of_kind = [s for s in listed if s.kind is kind]
        if not of_kind and kind not in targets:
            continue
        committed = sum(s.status is SupportStatus.COMMITTED for s in of_kind)
        kinds.append(KindProgress(kind, committed, targets.get(kind)))
    boxed = tuple(
        sorted(
            (s for s in listed if s.status is SupportStatus.OTHER), key=lambda s: name_key(s.name)
        )
    )
    return SupportProgress(tuple(kinds), boxed)


def tidy(text: str) -> str:
    """What is stored for a name typed: invisible format characters (zero-width spaces,
    joiners, direction marks) removed and whitespace collapsed, so a name made of them is
    empty and two names that look the same are the same."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(visible.split())


def name_key(name: str) -> str:
    """Two supporters' names are the same name when their keys are equal."""
    return unicodedata.normalize("NFKC", tidy(name)).casefold()


def validate_name(name: str, *, other_names: Iterable[str]) -> str:
    """The name tidied, if usable and not already on the race (`other_names`: the race's
    other supporters, not this one's on an edit); else `SupportInputError`."""
    tidied = tidy(name)
    if not tidied:
        raise SupportInputError("Give the organisation's or the person's name.")
    if len(tidied) > NAME_MAX:
        raise SupportInputError(f"A name can be at most {NAME_MAX} characters.")
    key = name_key(tidied)
    if any(name_key(other) == key for other in other_names):
        raise SupportInputError(f"**{tidied}** is already on this race's support list.")
    return tidied


def validate_notes(notes: str) -> str:
    """Contact notes, trimmed, if not too long."""
    notes = notes.strip()
    if len(notes) > NOTES_MAX:
        raise SupportInputError(f"Contact notes can be at most {NOTES_MAX} characters.")
    return notes


def validate_targets(targets: Mapping[SupportKind, int | None]) -> dict[SupportKind, int]:
    """The targets given (None: not given), each a whole number from 1; else
    `SupportInputError`. At least one must be given."""
    given = {kind: n for kind, n in targets.items() if n is not None}
    if not given:
        raise SupportInputError("Give at least one target: unions, organisations or leaders.")
    for kind, n in given.items():
        if not 1 <= n <= TARGET_MAX:
            raise SupportInputError(
                f"A target of {kind.plural} must be a whole number from 1 to {TARGET_MAX} "
                f"(you gave {n})."
            )
    return given
