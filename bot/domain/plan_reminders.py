"""When a plan's reminders are due, and how late one is still worth sending (`DEFAULT_GRACE`).

Pure: `now` is passed in. A reminder is due at the plan's reminder time (default 10:00) in
the chapter's timezone, N days before a milestone's day. Local wall-clock time is what the
chapter sees, so the UTC instant moves with daylight saving and the reminder does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.plans import Milestone
from bot.domain.timeparse import zone

DEFAULT_GRACE = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class ReminderTime:
    days_before: int
    due_at: datetime  # aware


def local_instant(day: date, at: time, tz: str | ZoneInfo) -> datetime:
    """`at` o'clock on `day` in the chapter's timezone, as an aware datetime. In a DST gap
    (a time that does not exist that day) it is the same wall time on the old offset, which
    reads as just after the gap."""
    return datetime.combine(day, at, tzinfo=zone(tz))


def reminder_times(
    milestone: Milestone,
    days: Sequence[int],
    at: time,
    tz: str | ZoneInfo,
    *,
    now: datetime,
) -> list[ReminderTime]:
    """The reminders still to come for `milestone`: none once it is done or while it has no
    date; never one whose time has passed (a plan made late skips its early reminders)."""
    if milestone.done_on is not None or milestone.on is None:
        return []
    found = [
        ReminderTime(n, local_instant(milestone.on - timedelta(days=n), at, tz))
        for n in sorted(set(days), reverse=True)
    ]
    return [r for r in found if r.due_at > now]


def headline(name: str, days_before: int) -> str:
    """`Announcement in 30 days`, `Election day tomorrow`, `GOTV today`."""
    if days_before == 0:
        return f"{name} today"
    if days_before == 1:
        return f"{name} tomorrow"
    return f"{name} in {days_before} days"


def behind(milestones: Iterable[Milestone], today: date) -> list[Milestone]:
    """Milestones whose last day has passed without being marked done, earliest first."""
    late = [m for m in milestones if m.done_on is None and m.last_day and m.last_day < today]
    return sorted(late, key=lambda m: (m.last_day, m.id))
