"""The method registry: a method's name -> function(profile, options) -> TallyResult.

A counting module registers its methods with `@register("name")`; `get_method` imports the
modules listed in `METHOD_MODULES` before looking a name up, so a module only has to be
listed there to be found by the command line and by `count_vote`. A listed module that does
not exist is an error, not a method that quietly goes missing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from bot.domain.tally.ballots import CHAPTER_RULES, BallotRules
from bot.domain.tally.profile import Profile, TallyResult
from bot.domain.tally.round_rules import CHAPTER_ROUNDS, RoundRules

METHOD_MODULES = ("irv", "stv", "meek", "condorcet")


@dataclass(frozen=True, slots=True)
class CountOptions:
    """What a count needs beside the profile. `seats` None means the profile's own."""

    seats: int | None = None
    tie_break: Literal["lot", "order"] = "lot"
    seed: str | None = None
    rules: BallotRules = CHAPTER_RULES
    rounds: RoundRules = CHAPTER_ROUNDS  # the round structure: the chapter's or RCTab's
    extra: dict[str, object] = field(default_factory=dict)  # method-specific settings

    def seats_for(self, profile: Profile) -> int:
        """The number of seats to fill: the option if given, else the profile's."""
        return profile.seats if self.seats is None else self.seats


Method = Callable[[Profile, CountOptions], TallyResult]

_METHODS: dict[str, Method] = {}


def register(name: str) -> Callable[[Method], Method]:
    """Register a counting function under `name` (a decorator)."""

    def add(function: Method) -> Method:
        if _METHODS.get(name, function) is not function:
            raise ValueError(f"counting method {name!r} is already registered")
        _METHODS[name] = function
        return function

    return add


def _load_methods() -> None:
    for module in METHOD_MODULES:
        qualified = f"bot.domain.tally.{module}"
        try:
            importlib.import_module(qualified)
        except ModuleNotFoundError as error:
            if error.name == qualified:
                raise ModuleNotFoundError(
                    f"METHOD_MODULES lists {module!r}, but {qualified} does not exist",
                    name=qualified,
                ) from error
            raise


def get_method(name: str) -> Method:
    """The counting function registered as `name`; KeyError naming the known ones if absent."""
    _load_methods()
    try:
        return _METHODS[name]
    except KeyError:
        known = ", ".join(sorted(_METHODS))
        raise KeyError(f"unknown counting method {name!r} (known: {known})") from None


def method_names() -> tuple[str, ...]:
    """Every registered method name, sorted."""
    _load_methods()
    return tuple(sorted(_METHODS))
