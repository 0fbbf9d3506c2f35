"""A chapter's configuration: who is a member, who is the committee, where the bot posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ChapterConfig:
    guild_id: int
    member_role_ids: tuple[int, ...]
    committee_role_id: int
    candidate_role_id: int | None
    announcements_channel_id: int
    review_channel_id: int
    votes_channel_id: int
    reminders_channel_id: int
    timezone: str
    updated_at: datetime
    updated_by: int
