"""One error path: plain words for what a member can fix, an apology with an id for bugs."""

from __future__ import annotations

import logging
import re

import pytest

from bot.client import EXTENSIONS
from tests.e2e.conftest import build_world, running_bot

pytestmark = pytest.mark.asyncio


async def test_errors_reach_the_member_ephemerally(fake, tmp_path, caplog) -> None:
    world = build_world(fake, tmp_path)
    extensions = (*EXTENSIONS, "tests.e2e.boom_extension")
    caplog.set_level(logging.ERROR, logger="endorsebot")
    async with running_bot(fake, world.db_path, world.clock, extensions=extensions):
        fixable = await world.alice.slash("fussy", value="next tuesday")
        assert fixable.ephemeral
        assert fixable.content == (
            "'next tuesday' is not a date I understand: try 2026-12-05 18:00."
        )

        refused = await world.alice.slash("zone", value="Mars/Olympus")
        assert refused.ephemeral
        assert refused.content.startswith("'Mars/Olympus' is not a timezone I know.")
        assert "error id" not in refused.content

        bug = await world.alice.slash("boom")
        assert bug.ephemeral
        match = re.search(r"error id `([0-9a-f]{8})`", bug.content)
        assert match, bug.content
        assert "secret internal detail" not in bug.content
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None  # the traceback, with the id
    assert not [r for r in caplog.records if "zone" in r.getMessage()]  # a refusal is no bug


async def test_a_component_error_never_logs_the_custom_id(fake, tmp_path, caplog) -> None:
    world = build_world(fake, tmp_path)
    extensions = (*EXTENSIONS, "tests.e2e.boom_extension")
    # As in production at LOG_LEVEL=DEBUG: the bot's loggers at DEBUG, discord.py's at INFO.
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="endorsebot")
    async with running_bot(fake, world.db_path, world.clock, extensions=extensions):
        posted = await world.alice.slash("secret")
        pressed = await world.alice.click(posted, "boom:item:ranked-3-then-1")
        assert pressed.ephemeral and "error id" in pressed.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "error" in logged and "component boom:item" in logged
    assert "ranked-3-then-1" not in logged
