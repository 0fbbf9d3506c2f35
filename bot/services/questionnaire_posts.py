"""Where a published questionnaire was posted in the votes channel: the publish job
(`questionnaires.PUBLISH_JOB`) records its post, and the race's vote announcements link to
it. Until the post is out, members read the answers with `/questionnaire read`.
"""

from __future__ import annotations

from bot.db import Database
from bot.domain.questionnaire_sheet import Sheet, SheetStatus
from bot.store import questionnaires as store


async def record_post(
    db: Database, *, guild_id: int, sheet_id: int, channel_id: int, message_id: int
) -> bool:
    """The publish job's post is out (sent, or found by its marker after a crash): remember
    where, so the race's vote announcements link to it. A questionnaire reopened meanwhile
    keeps no post (False)."""
    async with db.transaction() as conn:
        return await store.set_post(
            conn, guild_id, sheet_id, channel_id=channel_id, message_id=message_id
        )


def published_post(sheet: Sheet) -> tuple[int, int] | None:
    """(channel id, message id) of a published questionnaire's post in the votes channel,
    where members read it; None while it is not published or its post has not gone out yet
    (members then read it with `/questionnaire read`)."""
    if sheet.status is not SheetStatus.PUBLISHED:
        return None
    if sheet.post_channel_id is None or sheet.post_message_id is None:
        return None
    return sheet.post_channel_id, sheet.post_message_id
