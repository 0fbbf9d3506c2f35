"""A race plan as an iCalendar file (RFC 5545) that calendar apps import, via `icalendar`.

Every dated milestone is an all-day event (a window spans its days); its UID is stable, so
importing a newer export updates the events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from bot.domain.plans import Milestone, Plan

PRODID = "-//endorsebot//race plan//EN"


def plan_ics(
    plan: Plan, milestones: Sequence[Milestone], *, race_label: str, now: datetime
) -> bytes:
    """The plan's dated milestones as an .ics file; `now` (aware) stamps every event."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Race plan: {race_label}")
    for m in milestones:
        if m.on is None:
            continue
        event = Event()
        event.add("uid", f"plan-{plan.id}-milestone-{m.id}@endorsebot")
        event.add("dtstamp", now)
        event.add("summary", f"{m.name} ({race_label})")
        event.add("dtstart", m.on)
        event.add("dtend", (m.until or m.on) + timedelta(days=1))  # DTEND is exclusive
        if m.done_on is not None:
            event.add("description", f"Done on {m.done_on.isoformat()}.")
        calendar.add_component(event)
    return calendar.to_ical()
