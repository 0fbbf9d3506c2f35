"""A database the bot cannot use stops every command with one line and a non-zero exit.

Before, a pragma failing on a file that is not a database left aiosqlite's thread running,
and the process never exited; a supervisor saw neither a restart nor an alert.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def endorsebot(*args: str, cwd: Path, database: Path, prefix: tuple[str, ...] = ()):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    # A token, so `run` gets as far as opening the database (it never reaches Discord).
    env.update(DATABASE_PATH=str(database), DISCORD_TOKEN="not-a-real-token")
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,  # the old behaviour: it never returned
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("args", [("migrate",), ("run",), ("backup", "copy.sqlite3")])
def test_a_file_that_is_not_a_database(tmp_path: Path, args: tuple[str, ...]) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"these are somebody's meeting notes, not a database\n" * 200)
    line = one_line(endorsebot(*args, cwd=tmp_path, database=garbage))
    assert line == (
        f"endorsebot: {garbage} is not an SQLite database (or is damaged): point DATABASE_PATH "
        "at the bot's database, or restore a backup there"
    )
    assert not (tmp_path / "copy.sqlite3").exists()


def test_a_folder_as_the_database(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    line = one_line(endorsebot("migrate", cwd=tmp_path, database=folder))
    assert line == (
        f"endorsebot: {folder} is a folder: set DATABASE_PATH to a file, "
        f"e.g. {folder / 'endorsebot.sqlite3'}"
    )


def read_only(folder: Path) -> tuple[str, ...]:
    """A command prefix under which `folder` is read-only, as on a read-only mount."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        for child in folder.iterdir():
            child.chmod(0o444)
        return ()
    # Root writes through permission bits: bind-mount the folder read-only in a private
    # mount namespace instead (util-linux's unshare; the test machine runs as root).
    script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
    return ("unshare", "--map-root-user", "--mount", "sh", "-c", script, "sh", str(folder))


def test_a_database_on_a_read_only_mount(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "bot.sqlite3"
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    line = one_line(endorsebot("run", cwd=tmp_path, database=database, prefix=read_only(folder)))
    assert line.startswith(f"endorsebot: cannot write to {database} (")
    assert line.endswith(
        "check that the bot's user owns it and its folder, and that the disk is not mounted "
        "read-only"
    )
