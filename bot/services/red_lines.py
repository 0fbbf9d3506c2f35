"""The chapter's red lines: positions it decided are non-negotiable, each a yes/no question
with the answer a candidate must give. Every questionnaire sent asks the current ones; a
questionnaire keeps the red lines it asked even after one is removed.

A red line adopted later reaches the questionnaires still open or submitted as an added
question: candidates "should not cross any of the organization's red lines at the time of
their campaign" (seed, "Class Struggle Elections"), not only those adopted before they were
asked. Until it is answered the criteria report proposes no clean category."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from bot.domain.questionnaire import RedLine, check_red_line_text
from bot.domain.questionnaire_sheet import SheetStatus
from bot.errors import NotFound
from bot.store import audit
from bot.store import questionnaires as store


async def current(db: Database, guild_id: int) -> list[RedLine]:
    """The chapter's current red lines; every questionnaire sent from now on asks them."""
    return await store.red_lines(db, guild_id)


async def add(
    db: Database, *, guild_id: int, question: str, required: bool, actor_id: int, now: datetime
) -> RedLine:
    """Add a non-negotiable position: a yes/no question and the answer it requires. It is
    asked by every questionnaire sent from now on, and added to those open or submitted."""
    text = check_red_line_text(question)
    answer = "yes" if required else "no"
    async with db.transaction() as conn:
        line_id = await store.insert_red_line(
            conn, guild_id=guild_id, question=text, required=answer, actor_id=actor_id, now=now
        )
        reached = await store.ask_red_line(
            conn,
            guild_id,
            RedLine(line_id, text, answer),
            (SheetStatus.OPEN, SheetStatus.SUBMITTED),
        )
        await audit.record(
            conn,
            guild_id=guild_id,
            actor_id=actor_id,
            action="redline.add",
            subject="red_lines",
            detail=f"{line_id}; added to {reached} questionnaire(s) already out",
            at=now,
        )
    return RedLine(line_id, text, answer)


async def remove(
    db: Database, *, guild_id: int, line_id: int, actor_id: int, now: datetime
) -> None:
    """Stop asking a red line; questionnaires already sent keep it."""
    async with db.transaction() as conn:
        if not await store.remove_red_line(conn, guild_id=guild_id, line_id=line_id, now=now):
            if await store.red_line_was_removed(conn, guild_id=guild_id, line_id=line_id):
                # e.g. two committee members removing it at once: the first one did
                raise NotFound(
                    f"Red line {line_id} is already removed: questionnaires sent from now on "
                    "don't ask it, and nothing was changed."
                )
            raise NotFound("No such red line in this chapter (see `/questionnaire redline list`).")
        await audit.record(
            conn,
            guild_id=guild_id,
            actor_id=actor_id,
            action="redline.remove",
            subject="red_lines",
            detail=f"{line_id}",
            at=now,
        )
