"""The audit log's record of who did what. Never ballot content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The actor the bot records for what it does on its own (opening and closing on schedule).
# No Discord user has the snowflake 0.
BOT_ACTOR_ID = 0


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One committee action (or the bot's own), as `/vote audit` lists it."""

    guild_id: int
    actor_id: int
    action: str
    subject: str
    detail: str
    at: datetime


def is_bot(actor_id: int) -> bool:
    """Whether the bot itself, not a member, did this."""
    return actor_id == BOT_ACTOR_ID
