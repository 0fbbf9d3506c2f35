"""The method registry loads every module it lists, and says so when one is missing."""

from __future__ import annotations

import pytest

from bot.domain.tally import methods


def test_every_listed_module_registers_a_method() -> None:
    names = methods.method_names()
    assert {"irv", "stv", "meek", "schulze", "ranked-pairs"} <= set(names)


def test_a_listed_module_that_does_not_exist_fails_loudly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(methods, "METHOD_MODULES", (*methods.METHOD_MODULES, "borda"))
    with pytest.raises(ModuleNotFoundError, match="METHOD_MODULES lists 'borda'"):
        methods.get_method("irv")
    with pytest.raises(ModuleNotFoundError, match="bot.domain.tally.borda does not exist"):
        methods.method_names()
