"""Input hygiene: what every feature does to text, dates and ids a member sends, in one place.

- Text that shows nothing is empty. A zero-width space (U+200B) or any other format
  character (Unicode category Cf), a whitespace run, or a Hangul filler renders as nothing
  in Discord, so a lone U+200B is no answer to a required question and two of them are no
  milestone name. `tidy` (names: one line, runs of spaces made one) and `trim` (free text:
  its lines kept) cut such characters from both ends; inside a name they stay, since a
  zero-width joiner is part of an emoji or of a Persian or Indic name.
- Dates the chapter works with lie between `EARLIEST_YEAR` and `LATEST_YEAR`: a member-since
  date of 0001 or an election in 9999 is a typo, refused with a message, not stored.
- A number in a component's custom_id is a row id: at most `ROW_ID_DIGITS` digits, so it
  always fits SQLite's 64-bit integer. A longer or negative number matches no component and
  the member is told the button no longer works.
"""

from __future__ import annotations

import unicodedata
from datetime import date

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
ROW_ID_DIGITS = 18  # 10**18 - 1 < 2**63 - 1, SQLite's largest integer
ROW_ID = rf"\d{{1,{ROW_ID_DIGITS}}}"  # a row id inside a custom_id template

# Letters that Discord draws as blank space although Unicode calls them letters: the Hangul
# fillers and the blank Braille pattern, the usual ways to post an "empty" name.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _invisible(char: str) -> bool:
    return char.isspace() or char in _BLANK_LETTERS or unicodedata.category(char) == "Cf"


def trim(text: str | None) -> str:
    """`text` without the invisible characters at either end (its inner lines kept); ""
    when nothing visible is left. For free text: answers, notes."""
    if text is None:
        return ""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def tidy(text: str | None) -> str:
    """A name as stored: on one line, runs of whitespace made one space, trimmed like
    `trim`; "" when nothing visible is left."""
    return trim(" ".join((text or "").split()))


def is_blank(text: str | None) -> bool:
    """True when `text` would show nothing: empty, spaces, zero-width or format characters."""
    return not trim(text)


def year_in_range(year: int) -> bool:
    """Whether a date in `year` is one the chapter can mean (see `EARLIEST_YEAR`)."""
    return EARLIEST_YEAR <= year <= LATEST_YEAR


def date_in_range(day: date) -> bool:
    """Whether `day` is one the chapter can mean (see `EARLIEST_YEAR`)."""
    return year_in_range(day.year)


def out_of_range(shown: str) -> str:
    """The message for a date outside the range: `shown` is the date as the member typed it."""
    return (
        f"{shown} is outside the dates I accept ({EARLIEST_YEAR} to {LATEST_YEAR}): check the year."
    )
