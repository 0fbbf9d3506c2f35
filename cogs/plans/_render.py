"""Texts and embeds for race plans and their reminders. No I/O."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import discord

from bot.domain import discord_limits as limits
from bot.domain.plan_reminders import headline
from bot.domain.plans import (
    Milestone,
    MilestoneField,
    MilestoneStatus,
    changed_since,
    cut_short,
)
from bot.domain.races import election_day_end, election_day_noon
from bot.services.plans import MissedReminder, PlanView, ReminderNote
from cogs._text import clip, timestamp

COLOUR = discord.Colour.dark_red()
_ICONS = {
    MilestoneStatus.DONE: "✅",
    MilestoneStatus.DUE: "▶️",
    MilestoneStatus.OVERDUE: "⚠️",
    MilestoneStatus.UPCOMING: "•",
    MilestoneStatus.UNDATED: "❔",
}


def days_before(days: Sequence[int]) -> str:
    """ "1 day before", "7 days before", "14, 7 and 1 days before"."""
    listed = [str(d) for d in days]
    joined = listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"
    return f"{joined} day{'' if list(days) == [1] else 's'} before"


def day(d: date, tz: str) -> str:
    """A calendar day in each member's client (noon local: the same day anywhere near)."""
    return timestamp(election_day_noon(d, tz), "D")


def countdown(d: date, tz: str) -> str:
    return timestamp(election_day_end(d, tz), "R")


def milestone_line(m: Milestone, *, today: date, tz: str) -> str:
    status = m.status(today)
    icon = _ICONS[status]
    if status is MilestoneStatus.DONE:
        assert m.done_on is not None
        return f"{icon} ~~{m.name}~~ — done {day(m.done_on, tz)}"
    if status is MilestoneStatus.UNDATED:
        return f"{icon} **{m.name}** — date to enter (`/plan milestone move`)"
    assert m.on is not None
    span = day(m.on, tz) + (f" to {day(m.until, tz)}" if m.until else "")
    if status is MilestoneStatus.OVERDUE:
        return f"{icon} **{m.name}** — overdue: {span}"
    if status is MilestoneStatus.DUE:
        return f"{icon} **{m.name}** — due now: {span}"
    return f"{icon} {m.name} — {span} ({countdown(m.on, tz)})"


def meanwhile(seen: Milestone, now: Milestone, own: MilestoneField, *, tz: str) -> str | None:
    """What another member changed in the milestone between this member's read and their
    own change (which kept it): a line for the reply, or None."""
    changed = changed_since(seen, now) - {own}
    parts = []
    if MilestoneField.NAME in changed:
        parts.append(f"renamed it from “{seen.name}”")
    if MilestoneField.DATES in changed:
        span = (
            day(now.on, tz) + (f" to {day(now.until, tz)}" if now.until else "") if now.on else None
        )
        parts.append(f"moved it to {span}" if span else "cleared its date")
    if MilestoneField.DONE in changed and now.done_on is not None:
        parts.append(f"marked it done {day(now.done_on, tz)}, so it sends no more reminders")
    if not parts:
        return None
    kept = "that change stays" if len(parts) == 1 else "those changes stay"
    return "Meanwhile another member " + ", and ".join(parts) + f"; {kept} too."


def plan_embed(view: PlanView, *, today: date, tz: str, chart: str | None) -> discord.Embed:
    """The whole plan: every milestone with its date and status, and the chart if attached."""
    plan = view.plan
    head = [f"Counting back from election day, {day(plan.election, tz)}."]
    if view.made_for is not None:
        head.append(
            f"⚠️ The race's election moved from {day(view.made_for, tz)}: move the milestones "
            "that should follow it with `/plan milestone move`."
        )
    if plan.compressed:
        head.append(
            "**Compressed**: made less than two years before the election, so the month-scale "
            "steps are scaled to the time left, in the same order and proportions; the "
            "day-scale ones (get out the vote) keep their length."
        )
    head += [f"⚠️ Too late: {note}" for note in cut_short(plan.starts, plan.election)]
    head.append(
        f"Reminders {days_before(plan.reminder_days)} each milestone at "
        f"{plan.reminder_time:%H:%M} "
        "chapter time, in the reminders channel."
    )
    lines = [milestone_line(m, today=today, tz=tz) for m in view.milestones]
    embed = discord.Embed(
        title=clip(f"Race plan: {view.race.label}", limits.EMBED_TITLE),
        description=clip("\n".join(head) + "\n\n" + "\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=COLOUR,
    )
    if chart:
        embed.set_image(url=f"attachment://{chart}")
    embed.set_footer(text=f"Race #{view.race.id} · plan #{plan.id}")
    return embed


def reminder_text(note: ReminderNote, *, tz: str, progress: str | None, marker: str) -> str:
    """A reminder post: what is coming, when, what is behind, then the job's marker."""
    m = note.milestone
    assert m.on is not None
    lines = [
        f"⏰ **{headline(m.name, note.days_before)}** — {note.race.label}",
        f"{day(m.on, tz)} ({countdown(m.on, tz)})",
    ]
    if progress:
        lines.append(progress)
    if note.behind:
        late = ", ".join(f"{b.name} (due {day(b.last_day, tz)})" for b in note.behind[:5])  # type: ignore[arg-type]
        more = f" and {len(note.behind) - 5} more" if len(note.behind) > 5 else ""
        lines.append(f"Behind: {late}{more}.")
    lines.append(f"-# `/plan show` for the whole plan · plan {note.plan.id} · {marker}")
    return _fit(lines)


def summary_text(missed: Sequence[MissedReminder], *, marker: str) -> str:
    """One message for every reminder that was due while the bot was down."""
    lines = [
        f"⏰ **{len(missed)} plan reminder{'s' if len(missed) != 1 else ''} came due while the "
        "bot was offline** (too late to send on their own):"
    ]
    lines += [
        f"• {headline(m.milestone_name, m.days_before)} — {m.race_label} "
        f"(was due {timestamp(m.due_at, 'f')})"
        for m in missed
    ]
    lines.append(f"-# `/plan show` for where each plan stands · {marker}")
    return _fit(lines)


def _fit(lines: list[str]) -> str:
    """The lines within a message's 2,000 characters, always keeping the last (the marker)."""
    last = lines[-1]
    body: list[str] = []
    room = limits.MESSAGE_CONTENT - len(last) - 1
    for i, line in enumerate(lines[:-1]):
        rest = f"…and {len(lines) - 1 - i} more"
        if sum(len(b) + 1 for b in body) + len(line) + 1 + len(rest) + 1 > room:
            body.append(rest)
            break
        body.append(line)
    return "\n".join([*body, last])


def section_body(view: PlanView, *, today: date, tz: str) -> str:
    """The race page's plan section: what is next, and what is behind."""
    upcoming = [
        m
        for m in view.milestones
        if m.status(today) in (MilestoneStatus.UPCOMING, MilestoneStatus.DUE)
    ]
    late = [m for m in view.milestones if m.status(today) is MilestoneStatus.OVERDUE]
    done = sum(1 for m in view.milestones if m.done_on is not None)
    lines = [milestone_line(m, today=today, tz=tz) for m in upcoming[:2]]
    if late:
        lines.append(f"⚠️ {len(late)} overdue: " + ", ".join(m.name for m in late[:3]))
    lines.append(f"{done} of {len(view.milestones)} milestones done · `/plan show` for all")
    return "\n".join(lines)
