"""What capacity looks like in Discord: the ledger embed and chart, a race's estimate with
its numbers filled in, the vote warning, the weekly pace warnings, the CSV export. No I/O."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import discord

from bot.domain import discord_limits as limits
from bot.domain.capacity import DEFAULTS, ChapterCapacity, DoorModel, DoorsEstimate, PaceCheck
from bot.domain.ledger import Line, Priority
from bot.domain.races import Race
from bot.services.capacity import CapacityView, RaceEstimate
from cogs._text import clip

if TYPE_CHECKING:
    from bot.charts.capacity import RaceBar

COLOUR = discord.Colour.dark_orange()
LEDGER_FIELDS_MAX = 15
PACE_WEEKS = int(DEFAULTS["pace_weeks"].value)
PACE_MIN_WEEKS = int(DEFAULTS["pace_min_weeks"].value)


def pct(rate: float) -> str:
    return f"{rate * 100:g}%"


def chapter_line(chapter: ChapterCapacity) -> str:
    return (
        f"{chapter.signups_per_week:,} sign-ups a week × {pct(chapter.show_rate)} show up × "
        f"{chapter.shifts_per_week:g} shift{'' if chapter.shifts_per_week == 1 else 's'} × "
        f"{chapter.doors_per_shift} doors = "
        f"**{chapter.doors_per_week:,.0f} doors a week**"
    )


def pace_line(view: CapacityView) -> str:
    """The estimate, the measured pace when there is one, and which the ledger uses."""
    line = f"Estimate: {chapter_line(view.chapter)}"
    if view.measured_per_week is None:
        return line + " (the ledger uses this: no shifts logged in the last weeks)"
    measured = (
        f"\nMeasured: **{view.measured_per_week:,.0f} doors a week** over the last "
        f"{PACE_WEEKS} weeks, with shifts logged in {view.measured_weeks} of them"
    )
    if view.uses_measured:
        return f"{line}{measured} (the ledger uses this)"
    return (
        f"{line} (the ledger uses this){measured}: too few weeks to replace the estimate "
        f"until {PACE_MIN_WEEKS} of the {PACE_WEEKS} weeks have logs"
    )


def estimate_lines(found: DoorsEstimate) -> list[str]:
    """Both door models with their numbers filled in; the chosen one marked."""
    chosen = "  ← used"
    empirical = (
        f"Doors per vote: {found.win_number:,} × {found.doors_per_vote:g} = "
        f"**{found.empirical:,} doors**"
    )
    if found.model is DoorModel.EMPIRICAL or found.funnel is None:
        empirical += chosen
    if found.funnel is None:
        funnel = "Contact funnel: set a support rate to see it"
    else:
        funnel = (
            f"Contact funnel: (win number − base) ÷ ({pct(found.contact_rate)} answer × "
            f"{pct(found.support_rate or 0)} support) × {found.passes} pass"
            f"{'es' if found.passes != 1 else ''} = **{found.funnel:,} doors**"
        )
        if found.model is DoorModel.FUNNEL:
            funnel += chosen
    return [
        f"Expected turnout {found.expected_turnout:,} → win number **{found.win_number:,}**",
        empirical,
        funnel,
    ]


def race_line(item: RaceEstimate, line: Line | None) -> str:
    parts = [f"{item.remaining:,} doors to knock"]
    if item.knocked:
        parts.append(f"{item.knocked:,} knocked")
    parts.append(f"{item.weeks_left:.0f} weeks left")
    if line is None:
        parts.append(_not_counted(item))
    else:
        if line.demand.priority is not Priority.OTHER:
            parts.append(line.demand.priority.label)
        parts.append("fits" if line.fits else f"⚠️ **{line.over:,} over capacity**")
    return " · ".join(parts)


def _not_counted(item: RaceEstimate) -> str:
    if item.figures.renewable:
        return "mass / renewable capacity: not counted"
    return "very likely to win without the needed doors: not counted"


def verdict(view: CapacityView) -> str:
    """The ledger in one sentence whose numbers add up: over by X means Y needed less Z
    that can be knocked. When an early election is short even though the total fits (or is
    short by more than the total), that is said too, in words."""
    ledger = view.ledger
    if not ledger.lines:
        return (
            "No endorsed race with figures is ahead: nothing counted yet. "
            "`/capacity show exploring:True` counts the races still being explored."
        )
    head = (
        f"{ledger.demand:,} doors needed; {ledger.capacity:,} can be knocked by "
        f"{_day(ledger.horizon)} at {ledger.per_week:,.0f} a week"
    )
    short, day = ledger.shortfall
    in_time = (
        f"by {_day(day)}, the races decided by then need {short:,} more doors than the "
        "chapter can knock by then"
    )
    if short == 0:
        return f"Fits: {head}."
    if ledger.over == short:
        return f"Over capacity by {ledger.over:,} doors: {head}."
    if ledger.over:
        return (
            f"Over capacity by {ledger.over:,} doors: {head}. Date by date it is worse: {in_time}."
        )
    return f"Fits in total but not in time: {head}; but {in_time}."


def _day(day: date | None) -> str:
    return day.isoformat() if day else "-"


def ledger_embed(view: CapacityView) -> discord.Embed:
    embed = discord.Embed(title="Capacity ledger", colour=COLOUR)
    together = ""
    if sum(line.demand.considered for line in view.ledger.lines) > 1:
        together = (
            "\n\nThe races under consideration are counted together here, in priority order; "
            "a vote warning counts its race beside the endorsed races alone, so its figure "
            "can differ."
        )
    embed.description = clip(
        f"{verdict(view)}{together}\n\n{pace_line(view)}", limits.EMBED_DESCRIPTION
    )
    for rank, line in enumerate(view.ledger.lines[:LEDGER_FIELDS_MAX], start=1):
        item = view.races[line.demand.race_id]
        mark = " (under consideration)" if line.demand.considered else ""
        embed.add_field(
            name=clip(f"{rank}. {item.race.label}{mark}", limits.EMBED_FIELD_NAME),
            value=clip(race_line(item, line), limits.EMBED_FIELD_VALUE),
            inline=False,
        )
    hidden = len(view.ledger.lines) - LEDGER_FIELDS_MAX
    if hidden > 0:
        embed.add_field(name="More races", value=f"…and {hidden} more (see `/capacity export`)")
    for name, apart in (
        ("Mass / renewable capacity (not counted)", view.ledger.renewable),
        ("Very likely to win without the needed doors (not counted)", view.ledger.likely_wins),
    ):
        if apart:
            names = [f"{view.races[d.race_id].race.label}: {d.doors:,} doors" for d in apart]
            embed.add_field(
                name=name, value=clip("\n".join(names), limits.EMBED_FIELD_VALUE), inline=False
            )
    if view.unestimated:
        names = [r.label for r in view.unestimated]
        embed.add_field(
            name="No figures yet (`/capacity race`)",
            value=clip(", ".join(names), limits.EMBED_FIELD_VALUE),
            inline=False,
        )
    return embed


def ledger_chart(view: CapacityView) -> bytes:
    from bot.charts.capacity import capacity_png  # matplotlib at the first chart

    return capacity_png(ledger_bars(view), view.ledger.capacity, verdict(view))


def ledger_bars(view: CapacityView) -> list[RaceBar]:
    """One bar per race the ledger counts, in its priority order, each labelled apart."""
    from bot.charts.capacity import RaceBar

    races = [view.races[line.demand.race_id].race for line in view.ledger.lines]
    labels = distinct_labels(races)
    bars: list[RaceBar] = []
    start = 0
    for line, label in zip(view.ledger.lines, labels, strict=True):
        bars.append(RaceBar(label, start, line.demand.doors - line.over, line.over))
        if line.fits:
            start += line.demand.doors
    return bars


def distinct_labels(races: Sequence[Race]) -> list[str]:
    """Each race's label ("Mayor (2027)"), with its jurisdiction where two would read the
    same, and its number where even that does not tell them apart."""
    labels = [r.label for r in races]
    for detail in (_with_jurisdiction, lambda r: f"{r.label} #{r.id}"):
        seen = Counter(labels)
        labels = [
            detail(r) if seen[label] > 1 else label for r, label in zip(races, labels, strict=True)
        ]
    return labels


def _with_jurisdiction(race: Race) -> str:
    if not race.jurisdiction:
        return race.label
    return f"{race.office}, {race.jurisdiction} ({race.decisive_date.year})"


def shortfall(view: CapacityView, race_id: int) -> str | None:
    """Why the race does not fit, with numbers that add up; None when it fits or is not
    counted. The numbers are those of the day the race falls short: the races ahead of it
    decided by then, against the doors the chapter can knock by then (a later race's doors
    are not set against an earlier election)."""
    line = view.ledger.line_for(race_id)
    if line is None or line.fits:
        return None
    item = view.races[race_id]
    day = line.short_on or item.race.decisive_date
    ahead = [o for o in _ahead(view, race_id) if o.demand.decisive <= day]
    used = sum(other.demand.doors for other in ahead)
    available = view.ledger.capacity_by(day)
    order = " · ".join(
        f"{i}. {view.races[o.demand.race_id].race.label} {o.demand.doors:,}"
        for i, o in enumerate(ahead, start=1)
    )
    text = (
        f"This race needs **{item.remaining:,} doors** (win number "
        f"{item.estimate.win_number:,}) by {item.race.decisive_date.isoformat()}. "
    )
    per_week = f"{view.ledger.per_week:,.0f} a week"
    if day != item.race.decisive_date:
        text += (
            f"The doors of every race decided by {day.isoformat()} are due by then, and the "
            f"chapter can knock {available:,} by then ({per_week})"
        )
    else:
        text += f"The chapter can knock {available:,} by then ({per_week})"
    if ahead:
        text += f"; {used:,} go to races ahead of it in priority: {order}"
    return (
        f"{text}. **{line.over:,} doors over capacity** ({used + item.remaining:,} needed − "
        f"{available:,})."
    )


def vote_warning(view: CapacityView, race_id: int) -> str | None:
    """The announcement's warning when the race does not fit (`shortfall`); None when it
    fits or is not counted."""
    text = shortfall(view, race_id)
    if text is None:
        return None
    return clip(
        f"{text} Counted beside the endorsed races only: `/capacity show` also counts the "
        "other races under consideration, so its figure can differ. This warning does not "
        "block the vote: members decide.",
        limits.EMBED_FIELD_VALUE,
    )


def fit_line(view: CapacityView, race_id: int) -> str:
    """Whether the race fits beside the chapter's endorsed races, with the numbers: what
    the committee asks while it decides whether to take the race up."""
    item = view.races[race_id]
    line = view.ledger.line_for(race_id)
    if line is None:
        return f"Beside the endorsed races: {_not_counted(item)}."
    over = shortfall(view, race_id)
    if over is not None:
        return f"Beside the endorsed races it does not fit. {over}"
    day = item.race.decisive_date
    due = sum(o.demand.doors for o in view.ledger.lines if o.fits and o.demand.decisive <= day)
    rank = view.ledger.lines.index(line) + 1
    text = (
        f"Beside the endorsed races it fits: {rank}. of {len(view.ledger.lines)} in "
        f"priority; the races decided by {day.isoformat()}, this one included, need "
        f"{due:,} of the {view.ledger.capacity_by(day):,} doors the chapter can knock by then."
    )
    # A race ahead in priority can push an endorsed one out: say so, or "fits" misleads.
    pushed = [o for o in view.ledger.lines[rank:] if not o.fits]
    if pushed:
        names = "; ".join(
            f"{view.races[o.demand.race_id].race.label} ({o.over:,} over)" for o in pushed
        )
        text += f" With it ahead, these no longer fit: {names}."
    return text


def _ahead(view: CapacityView, race_id: int) -> list[Line]:
    ahead = []
    for line in view.ledger.lines:
        if line.demand.race_id == race_id:
            break
        if line.fits:
            ahead.append(line)
    return ahead


def pace_embed(checks: Sequence[tuple[RaceEstimate, PaceCheck]], marker: str) -> discord.Embed:
    lines = []
    for item, check in checks:
        averaged = f"{check.averaged:,.0f}" if check.averaged is not None else "0"
        lines.append(
            f"**{item.race.label}** needs {check.needed_per_week:,} doors a week; averaged "
            f"{averaged} over the last {PACE_WEEKS} weeks; {check.weeks_left:.0f} weeks left."
        )
    embed = discord.Embed(
        title="Canvass pace: behind plan",
        description=clip("\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=COLOUR,
    )
    embed.set_footer(text=f"Log shifts with /canvass log · {marker}")
    return embed


def _cell(value: object) -> str:
    # A spreadsheet runs a cell that starts like a formula; a race name must stay text.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def ledger_csv(view: CapacityView) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["race", "election", "status", "counted", "priority", "expected_turnout",
         "win_number", "model", "doors_needed", "doors_knocked", "doors_left", "over_capacity"]
    )  # fmt: skip
    for race_id, item in view.races.items():
        line = view.ledger.line_for(race_id)
        writer.writerow(
            [
                _cell(item.race.label), item.race.decisive_date.isoformat(),
                item.race.status.value, "yes" if line else "no",
                line.demand.priority.name.lower() if line else _apart(item),
                item.estimate.expected_turnout, item.estimate.win_number,
                item.estimate.model.value, item.estimate.doors, item.knocked, item.remaining,
                line.over if line else 0,
            ]
        )  # fmt: skip
    return out.getvalue().encode()


def _apart(item: RaceEstimate) -> str:
    return "renewable" if item.figures.renewable else "likely_win"


def canvass_csv(shifts, labels: dict[int, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "race", "doors", "canvassers", "logged_by", "logged_at"])
    for shift in shifts:
        race = labels.get(shift.race_id, "") if shift.race_id else ""
        writer.writerow(
            [shift.day.isoformat(), _cell(race), shift.doors, shift.canvassers,
             shift.member_id, shift.logged_at.isoformat()]
        )  # fmt: skip
    return out.getvalue().encode()
