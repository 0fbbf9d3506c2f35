"""The test run and the install are the ones the project means: a time limit on every test."""

from __future__ import annotations

import pytest


def test_every_test_has_a_time_limit(pytestconfig: pytest.Config) -> None:
    # A hang (a property test's oracle, a bot that never answers) must fail with a stack.
    assert pytestconfig.pluginmanager.hasplugin("timeout"), "pytest-timeout is not installed"
    assert 0 < float(pytestconfig.getini("timeout")) <= 300
