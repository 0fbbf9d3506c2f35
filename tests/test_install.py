"""The test run and the install are the ones the project means: a time limit on every test,
and locks that pin every dependency pyproject.toml names, at the version it names."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFRESH = "out of date with pyproject.toml: run `bash requirements/lock.sh` and commit the locks"


def test_every_test_has_a_time_limit(pytestconfig: pytest.Config) -> None:
    # A hang (a property test's oracle, a bot that never answers) must fail with a stack.
    assert pytestconfig.pluginmanager.hasplugin("timeout"), "pytest-timeout is not installed"
    assert 0 < float(pytestconfig.getini("timeout")) <= 300


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(extra: str | None) -> dict[str, str]:
    """name -> version of each dependency pyproject.toml pins (runtime, or one extra's)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["optional-dependencies"][extra] if extra else project["dependencies"]
    pins = {}
    for spec in specs:
        name, sep, version = spec.partition("==")
        if normalized(name).startswith("endorsebot"):
            continue  # the dev extra names the project itself
        assert sep, f"{spec!r} in pyproject.toml is not pinned exactly (name==version)"
        pins[normalized(name)] = version.strip()
    return pins


def locked(lock: str) -> dict[str, set[str]]:
    """name -> versions in a lock (several when a Python version marker splits them)."""
    pins: dict[str, set[str]] = {}
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)", line)
        if match:
            pins.setdefault(normalized(match[1]), set()).add(match[2])
    return pins


@pytest.mark.parametrize(("extra", "lock"), [(None, "runtime.txt"), ("test", "test.txt")])
def test_the_locks_pin_what_pyproject_pins(extra: str | None, lock: str) -> None:
    wanted = declared(None) | (declared(extra) if extra else {})
    pins = locked(lock)
    wrong = {name: pins.get(name) for name, pin in wanted.items() if pins.get(name) != {pin}}
    assert not wrong, f"requirements/{lock} {REFRESH}: {wrong}"


def test_the_runtime_lock_has_the_versions_the_tests_ran_with() -> None:
    runtime, test = locked("runtime.txt"), locked("test.txt")
    differ = {name: versions for name, versions in runtime.items() if test.get(name) != versions}
    assert not differ, f"requirements/runtime.txt {REFRESH}: {differ}"
