"""The one parser for times members type (`/vote open closes:...`, reminders), and how
the bot shows times back.

Pure: no discord, no clock reads; the caller passes `now` and the chapter's timezone.
Errors are `TimeInputError` (a domain `InputError`) with a message a member can act on,
shown to them as it is; a caller that knows what the time is for passes `hint` to say so.

Accepted forms (case-insensitive, surrounding spaces ignored):

- `2026-12-05 18:00` — a local time in the chapter's timezone (`T` instead of the space
  and a one-digit hour are accepted too).
- `2026-12-05 18:00 -05:00` / `+0100` / `-03` / `UTC` / `Z` — an explicit offset: that
  instant, whatever the chapter's timezone. This is how a time that happens twice (when
  clocks go back) is disambiguated.
- `2026-12-05 18:00 EST` — the chapter timezone's own abbreviation in force at that time,
  which is what `format_local` prints, so a time the bot showed can be pasted back.
- `2026-12-05` — a bare date means the END of that day, 23:59 local: an organiser who says
  "voting closes on 5 December" means members can vote all day on the 5th. Whatever was
  meant, the bot must show the resolved time (`format_local`) in its reply.
- `in 3d`, `72h`, `in 90m`, `2w`, `in 1d 12h`, `in 2 days` — relative to `now`
  (`m` is minutes; there are no months).
- `now`.
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.errors import InputError
from bot.domain.hygiene import out_of_range, year_in_range

__all__ = [
    "BARE_DATE_TIME",
    "TimeInputError",
    "format_local",
    "parse_when",
    "validate_timezone",
    "zone",
]

# What a bare date resolves to, local time (see the module docstring for why).
BARE_DATE_TIME = time(23, 59)

ACCEPTED_FORMS = (
    "`2026-12-05 18:00` (in the chapter's timezone), `2026-12-05` (means 23:59 that day), "
    "`in 3d`, `72h`, `in 90m`, `2w`, `in 1d 12h` or `now`"
)

# Files in the zone database that are not places: `localtime` is the server's own zone.
_NOT_CHAPTER_ZONES = frozenset({"localtime", "posixrules", "Factory"})

_ABSOLUTE = re.compile(
    r"""^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})
        (?:[ t]+(?P<hour>\d{1,2}):(?P<minute>\d{2})
           (?:\s*(?P<zone>[+-]\d{2}(?::?\d{2})?|z|utc|[a-z]{2,6}))?
        )?$""",
    re.VERBOSE,
)
_UNIT_SPELLINGS = {
    "weeks": ("w", "wk", "wks", "week", "weeks"),
    "days": ("d", "day", "days"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
    "minutes": ("m", "min", "mins", "minute", "minutes"),
}
_UNITS = {spelling: unit for unit, spellings in _UNIT_SPELLINGS.items() for spelling in spellings}
_RELATIVE_PART = re.compile(r"(\d{1,6})\s*([a-z]+)")
_RELATIVE = re.compile(r"^(?:in\s+)?(?:\d{1,6}\s*[a-z]+\s*)+$")


class TimeInputError(InputError):
    """A time or timezone a member typed cannot be used; `str()` says why and what would."""


def parse_when(
    text: str,
    *,
    tz: str | ZoneInfo,
    now: datetime,
    bare_date_time: time = BARE_DATE_TIME,
    hint: str | None = None,
) -> datetime:
    """The instant `text` names, as an aware UTC datetime.

    `tz` is the chapter's IANA timezone (a name or a ZoneInfo); `now` must be aware.
    Raises `TimeInputError` for anything it cannot resolve to exactly one instant; `hint`
    (what the time is for, e.g. "A deadline is e.g. `2027-03-01`.") ends its message.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    try:
        return _parse_when(text, tz, now, bare_date_time)
    except TimeInputError as error:
        if hint is None:
            raise
        raise TimeInputError(f"{error} {hint}") from None


def _parse_when(text: str, tz: str | ZoneInfo, now: datetime, bare_date_time: time) -> datetime:
    local_zone = zone(tz)
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise TimeInputError(f"Give a time, for example {ACCEPTED_FORMS}.")
    if cleaned == "now":
        return now.astimezone(UTC)
    if _RELATIVE.match(cleaned):
        return _parse_relative(cleaned, text, now)
    match = _ABSOLUTE.match(cleaned)
    if match:
        try:
            return _parse_absolute(match, text, local_zone, bare_date_time)
        except OverflowError:
            raise TimeInputError(f"{text.strip()!r} is outside the calendar I can use.") from None
    raise TimeInputError(f"I can't read {text.strip()!r} as a time. Use {ACCEPTED_FORMS}.")


def _parse_relative(cleaned: str, original: str, now: datetime) -> datetime:
    amounts: dict[str, int] = {}
    for number, unit in _RELATIVE_PART.findall(cleaned.removeprefix("in ")):
        name = _UNITS.get(unit)
        if name is None:
            raise TimeInputError(
                f"I don't know the unit {unit!r} in {original.strip()!r}: use w (weeks), "
                "d (days), h (hours) or m (minutes), e.g. `in 1d 12h`."
            )
        amounts[name] = amounts.get(name, 0) + int(number)
    try:
        moment = now.astimezone(UTC) + timedelta(**amounts)
    except OverflowError:
        raise TimeInputError(f"{original.strip()!r} is too far in the future.") from None
    if not year_in_range(moment.year):
        raise TimeInputError(f"{original.strip()!r} is too far in the future.")
    return moment


def _parse_absolute(
    match: re.Match[str], original: str, zone: ZoneInfo, bare_date_time: time
) -> datetime:
    year, month, day = (int(match[k]) for k in ("year", "month", "day"))
    if not year_in_range(year):
        raise TimeInputError(out_of_range(original.strip()))
    has_time = match["hour"] is not None
    hour, minute = (
        (int(match["hour"]), int(match["minute"]))
        if has_time
        else (bare_date_time.hour, bare_date_time.minute)
    )
    try:
        wall = datetime(year, month, day, hour, minute)
    except ValueError:
        shown = f"{year:04d}-{month:02d}-{day:02d}"
        if has_time:
            shown += f" {hour:02d}:{minute:02d}"
        raise TimeInputError(
            f"{shown} is not a real date and time (check the day of the month and that the "
            "time is between 00:00 and 23:59)."
        ) from None

    zone_text = match["zone"]
    if zone_text in ("am", "pm"):
        raise TimeInputError(
            f"Use the 24-hour clock, e.g. `{wall:%Y-%m-%d} 18:00` for 6 pm; I can't read "
            f"{original.strip()!r}."
        )
    if zone_text is not None:
        offset = _parse_offset(zone_text)
        if offset is not None:
            return (wall - offset).replace(tzinfo=UTC)
        return _resolve_abbreviation(wall, zone, zone_text.upper())

    candidates = _local_candidates(wall, zone)
    if len(candidates) == 1:
        return candidates[0]
    if not has_time:
        # The member gave no time, so a DST edge at the end of the day is ours to settle:
        # the later instant is "the end of that day".
        return candidates[-1] if candidates else _after_gap(wall, zone)
    if not candidates:
        raise TimeInputError(_gap_message(wall, zone))
    raise TimeInputError(_fold_message(wall, zone, candidates))


def _parse_offset(text: str) -> timedelta | None:
    if text in ("z", "utc"):
        return timedelta(0)
    if text[0] not in "+-":
        return None
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise TimeInputError(f"{text} is not a UTC offset; offsets run from -12:00 to +14:00.")
    size = timedelta(hours=hours, minutes=minutes)
    return -size if text[0] == "-" else size


def _local_candidates(wall: datetime, zone: tzinfo) -> list[datetime]:
    """The UTC instants whose local time in `zone` is `wall`: none (gap), one, or two (fold)."""
    found: list[datetime] = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall and instant not in found:
            found.append(instant)
    return sorted(found)


def _resolve_abbreviation(wall: datetime, zone: ZoneInfo, abbreviation: str) -> datetime:
    candidates = _local_candidates(wall, zone)
    names = [c.astimezone(zone).tzname() or "" for c in candidates]
    matching = [c for c, name in zip(candidates, names, strict=True) if name == abbreviation]
    if len(matching) == 1:
        return matching[0]
    shown = wall.strftime("%Y-%m-%d %H:%M")
    if not candidates:
        raise TimeInputError(_gap_message(wall, zone))
    if not matching:
        in_force = " or ".join(dict.fromkeys(names))
        raise TimeInputError(
            f"{abbreviation} is not the time in {zone.key} at {shown} (it is {in_force}). "
            "Leave it off, or give a UTC offset like `-05:00`."
        )
    raise TimeInputError(_fold_message(wall, zone, candidates))


def _transition(start: datetime, end: datetime, zone: tzinfo) -> datetime:
    """The first UTC instant in (start, end] whose offset in `zone` differs from start's."""
    before = start.astimezone(zone).utcoffset()
    low, high = 0, int((end - start).total_seconds())
    while low < high:
        mid = (low + high) // 2
        if (start + timedelta(seconds=mid)).astimezone(zone).utcoffset() == before:
            low = mid + 1
        else:
            high = mid
    return start + timedelta(seconds=low)


def _gap_bounds(wall: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The local wall times clocks jump from and to around the gap containing `wall`."""
    offsets = sorted(
        wall.replace(tzinfo=zone, fold=fold).utcoffset() or timedelta(0) for fold in (0, 1)
    )
    earliest = (wall - offsets[1]).replace(tzinfo=UTC)
    latest = (wall - offsets[0]).replace(tzinfo=UTC)
    jump = _transition(earliest - timedelta(seconds=1), latest, zone)
    return jump + offsets[0], jump + offsets[1]


def _after_gap(wall: datetime, zone: tzinfo) -> datetime:
    _, to = _gap_bounds(wall, zone)
    return to.replace(tzinfo=None).replace(tzinfo=zone).astimezone(UTC)


def _hhmm(moment: datetime, same_day_as: datetime) -> str:
    if moment.date() == same_day_as.date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def _gap_message(wall: datetime, zone: ZoneInfo) -> str:
    jump_from, jump_to = _gap_bounds(wall, zone)
    size = jump_to - jump_from
    later, earlier = wall + size, wall - size
    return (
        f"{wall:%Y-%m-%d %H:%M} does not exist in {zone.key}: clocks jump from "
        f"{_hhmm(jump_from, wall)} to {_hhmm(jump_to, wall)}; use {_hhmm(later, wall)} or "
        f"{_hhmm(earlier, wall)}."
    )


def _fold_message(wall: datetime, zone: ZoneInfo, candidates: list[datetime]) -> str:
    first, second = (_offset_text(c.astimezone(zone).utcoffset()) for c in candidates)
    shown = f"{wall:%Y-%m-%d %H:%M}"
    return (
        f"{shown} happens twice in {zone.key} (clocks go back that night): add the offset, "
        f"`{shown} {first}` for the first or `{shown} {second}` for the second, "
        "or pick another time."
    )


def _offset_text(offset: timedelta | None) -> str:
    total = int((offset or timedelta(0)).total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def format_local(dt: datetime, tz: str | ZoneInfo) -> str:
    """`dt` as the chapter reads it, e.g. `2026-12-05 23:59 EST`; `parse_when` reads it back."""
    if dt.tzinfo is None:
        raise ValueError("dt must be an aware datetime")
    local = dt.astimezone(zone(tz))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Lower-cased IANA name -> its canonical spelling."""
    return {name.lower(): name for name in available_timezones() if name not in _NOT_CHAPTER_ZONES}


def zone(tz: str | ZoneInfo) -> ZoneInfo:
    """The chapter's timezone as a ZoneInfo, given one or its IANA name: the one place a
    name becomes a zone, so an unknown name always gets `validate_timezone`'s message."""
    return tz if isinstance(tz, ZoneInfo) else validate_timezone(tz)


def validate_timezone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name (case-insensitive), or a `TimeInputError` with guesses."""
    names = _zone_names()
    key = name.strip().replace(" ", "_")
    canonical = names.get(key.lower())
    if canonical is not None:
        return ZoneInfo(canonical)
    by_city = {n.rsplit("/", 1)[-1].lower(): n for n in names.values() if "/" in n}
    guesses = difflib.get_close_matches(key.lower(), list(names), n=3, cutoff=0.6)
    guesses += difflib.get_close_matches(key.lower(), list(by_city), n=3, cutoff=0.75)
    suggestions = list(dict.fromkeys(names.get(g) or by_city[g] for g in guesses))[:3]
    hint = f" Did you mean {' or '.join(f'`{s}`' for s in suggestions)}?" if suggestions else ""
    raise TimeInputError(
        f"{name.strip()!r} is not a timezone I know.{hint} Use an IANA name such as "
        "`America/New_York`, `America/Chicago` or `Europe/London`."
    )
