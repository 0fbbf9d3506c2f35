"""The operator's side of the bot: starting without a token, migrating, backing up."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.db import Database, migrate


def endorsebot(*args: str, cwd: Path, env: dict[str, str] | None = None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("args", [("run",), ()])
def test_missing_token_is_one_clear_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = endorsebot(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "endorsebot: DISCORD_TOKEN is not set: put DISCORD_TOKEN=<your bot token> in .env "
        "(copy .env.example) or in the environment."
    ]
    assert "Traceback" not in result.stderr


def test_python_dash_m_bot_behaves_like_run(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_token_in_dotenv_counts_as_missing(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DISCORD_TOKEN=\nLOG_LEVEL=INFO\n")
    result = endorsebot("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr


def test_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    result = endorsebot("run", cwd=tmp_path, env={"LOG_LEVEL": "LOUD", "DISCORD_TOKEN": "x"})
    assert result.returncode == 2
    assert result.stderr.strip().startswith("endorsebot: LOG_LEVEL in .env or the environment")
    assert "Traceback" not in result.stderr


def test_migrate_command_creates_the_database(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "bot.sqlite3"
    first = endorsebot("migrate", cwd=tmp_path, env={"DATABASE_PATH": str(db_path)})
    assert first.returncode == 0, first.stderr
    assert "applied 0001_foundation.sql" in first.stdout
    again = endorsebot("migrate", cwd=tmp_path, env={"DATABASE_PATH": str(db_path)})
    assert "already up to date" in again.stdout


def test_database_from_a_newer_release_is_one_line(tmp_path: Path) -> None:
    db_path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA user_version = 999")
    result = endorsebot("migrate", cwd=tmp_path, env={"DATABASE_PATH": str(db_path)})
    assert result.returncode == 2
    assert "schema version 999" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.asyncio
async def test_backup_while_the_bot_holds_the_database_open(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    db = await Database.open(live)
    await migrate(db)
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO audit_log (guild_id, actor_id, action, at) VALUES (1, 2, 'x', 'now')"
        )
    # The bot's connection stays open (its WAL not checkpointed) while the backup runs.
    result = endorsebot(
        "backup", str(tmp_path / "copy.sqlite3"), cwd=tmp_path, env={"DATABASE_PATH": str(live)}
    )
    assert result.returncode == 0, result.stderr
    await db.close()
    with sqlite3.connect(tmp_path / "copy.sqlite3") as conn:
        assert conn.execute("SELECT action FROM audit_log").fetchall() == [("x",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    refused = endorsebot(
        "backup", str(tmp_path / "copy.sqlite3"), cwd=tmp_path, env={"DATABASE_PATH": str(live)}
    )
    assert refused.returncode == 2 and "already exists" in refused.stderr


@pytest.mark.parametrize("url", ["127.0.0.1:46495", "localhost:8080", "ftp://127.0.0.1"])
def test_discord_api_url_without_a_scheme_is_one_clear_line(tmp_path: Path, url: str) -> None:
    result = endorsebot("run", cwd=tmp_path, env={"DISCORD_API_URL": url, "DISCORD_TOKEN": "x"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "endorsebot: DISCORD_API_URL in .env or the environment: must be a base URL with its "
        f"scheme, e.g. http://127.0.0.1:8080, not '{url}'"
    ]
