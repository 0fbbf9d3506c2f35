"""A questionnaire page open in the candidate's Discord while the bot process is killed
(SIGKILL): the page submitted to the restarted process is stored, and the candidate resumes
and submits. discord.py only routes modals it holds in memory; the bot routes its own.
Then the process is killed right after posting the committee's report, before its job is
settled: the next one posts nothing more."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

import pytest

from bot.db import Database, migrate
from bot.services import chapters as chapter_service
from bot.services import red_lines
from tests.e2e.conftest import build_world
from tests.e2e.questionnaire_helpers import (
    PAGE1,
    PAGE3,
    button,
    race_with,
    red_line_key,
    report_post,
)
from tests.e2e.test_process import BotProcess
from tests.fakediscord import message_text
from tests.fakediscord.server import FakeDiscord

pytestmark = pytest.mark.asyncio


async def report_job_state(path: Path, timeout: float = 20) -> str:
    """The report job's state once the bot settled it (read from the database file)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        with sqlite3.connect(path) as conn:
            row = conn.execute(
                "SELECT state FROM scheduled_jobs WHERE kind = 'questionnaire.report'"
            ).fetchone()
        if row and row[0] not in ("pending", "running"):
            return str(row[0])
        if loop.time() > end:
            raise AssertionError(f"the report job never settled: {row}")
        await asyncio.sleep(0.05)


class _Setup:
    """What race_with needs of a world: a database, a guild, an organiser and a clock."""

    def __init__(self, world, db: Database) -> None:
        self.db, self.guild, self.organiser, self.clock = (
            db,
            world.guild,
            world.organiser,
            world.clock,
        )


async def serving(fake: FakeDiscord, tmp_path: Path, world, **env: str) -> BotProcess:
    bot = await BotProcess(
        fake, tmp_path, clock=world.clock, DATABASE_PATH=str(world.db_path), **env
    ).start()
    await bot.wait_for_log(f"serving guild Metro DSA ({world.guild.id})")
    return bot


async def test_a_page_submitted_across_a_sigkill_is_kept(fake: FakeDiscord, tmp_path: Path) -> None:
    world = build_world(fake, tmp_path)
    rosa = world.guild.add_member("rosa")
    db = await Database.open(world.db_path)
    await migrate(db)
    await chapter_service.configure(db, world.config(), now=world.clock())
    race = await race_with(_Setup(world, db), "Rosa Ortiz", members={"Rosa Ortiz": rosa})
    await red_lines.add(
        db,
        guild_id=int(world.guild.id),
        question="Rent control now?",
        required=True,
        actor_id=int(world.organiser.id),
        now=world.clock(),
    )
    await db.close()

    bot = await serving(fake, tmp_path, world)
    try:
        await world.organiser.slash("questionnaire send", race=race.office, candidate="Rosa Ortiz")
        invite = fake.dms_to(rosa)[-1]
        page = await rosa.click(invite, button(invite, "Start"))
        saved = await rosa.submit_modal(page, PAGE1)
        open_page = await rosa.click(saved.message, button(saved.message, "Next"))
        bot.kill(signal.SIGKILL)
        assert await bot.wait() == -signal.SIGKILL
        # This process dies right after posting the committee's report (below).
        bot = await serving(fake, tmp_path, world, ENDORSEBOT_FAULT="questionnaire:after_report")

        kept = await rosa.submit_modal(open_page, {"seat": "open", "supporters": "SEIU 1199"})
        assert kept.content == "Page 2 of 4 saved."
        page = await rosa.click(invite, button(invite, "Resume"))
        assert page.modal["title"].startswith("Page 3 of 4")
        saved = await rosa.submit_modal(page, PAGE3)
        page = await rosa.click(saved.message, button(saved.message, "Next"))
        saved = await rosa.submit_modal(page, {red_line_key(page.modal): "yes"})
        review = await rosa.click(saved.message, button(saved.message, "Review"))
        assert "SEIU 1199" in review.embed["description"]
        done = await rosa.click(review.message, button(review.message, "Submit"))
        assert done.content.startswith("Submitted")
        post = await report_post(world, "Rosa Ortiz")
        assert b"SEIU 1199" in post["attachments"][0]["data"]
        # Killed between the post and settling its job: the next process finds the post's
        # marker and settles the job without posting again.
        assert await bot.wait() == -signal.SIGKILL
        bot = await serving(fake, tmp_path, world)
        assert await report_job_state(world.db_path) == "done"
        reports = [m for m in world.review.messages if "Criteria report" in message_text(m)]
        assert len(reports) == 1
    finally:
        bot.kill(signal.SIGTERM)
        await bot.wait()
