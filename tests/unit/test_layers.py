"""The layers bot/README.md draws, checked on every module so a new feature cannot blur them:
no cog imports the store, the domain imports only itself, and importing any service loads
no discord. Production modules stay under 500 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 500


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def offending(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(package)
        for name in sorted(imported(path))
        if name == "bot.store" or name.startswith(forbidden)
    ]


def test_no_cog_imports_the_store() -> None:
    assert offending("cogs", ("bot.store",)) == []


def test_the_domain_imports_no_store_service_database_or_discord() -> None:
    forbidden = ("bot.store", "bot.services", "bot.db", "bot.scheduler", "discord", "aiosqlite")
    assert offending("bot/domain", forbidden) == []


def test_importing_every_service_and_store_module_loads_no_discord() -> None:
    names = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for package in ("bot/services", "bot/store", "bot/domain")
        for path in modules(package)
        if path.name != "__init__.py"
    ]
    code = f"import sys\nfor n in {names!r}: __import__(n)\nprint('discord' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("package", ["bot", "cogs"])
def test_no_production_module_passes_500_lines(package: str) -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in modules(package)
        if (n := len(p.read_text().splitlines())) > LIMIT
    }
    assert long == {}
