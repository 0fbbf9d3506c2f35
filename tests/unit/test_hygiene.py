"""Input hygiene: invisible text is empty, dates outside the chapter's range, component ids."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.domain.hygiene import ROW_ID, date_in_range, is_blank, out_of_range, tidy, trim
from cogs._components import stale_template


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u200b",
        "\u200b\u200b",
        "\u200c\u200d\u2060\ufeff",  # joiners, word joiner, byte-order mark: all category Cf
        " \u200b \t\n\u200b ",
        "\u3164",  # Hangul filler: a letter Discord draws blank
        "\u2800",
        None,
    ],
)
def test_text_that_shows_nothing_is_blank(text: str | None) -> None:
    assert is_blank(text)
    assert tidy(text) == "" and trim(text) == ""


def test_visible_text_is_kept_with_its_inner_format_characters() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, joined by ZWJ
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # a ZWNJ inside a word
    assert tidy(f"\u200b {family}  Ada \u200b") == f"{family} Ada"
    assert tidy(persian) == persian
    assert trim("\u200b line one\n\nline two \u2060") == "line one\n\nline two"
    assert not is_blank("a\u200b")


def test_dates_outside_the_range_are_refused_with_the_range() -> None:
    assert date_in_range(date(1900, 1, 1)) and date_in_range(date(2200, 12, 31))
    assert not date_in_range(date(1899, 12, 31)) and not date_in_range(date(9999, 12, 31))
    assert not date_in_range(date(1, 1, 1))
    assert out_of_range("0001-01-01") == (
        "0001-01-01 is outside the dates I accept (1900 to 2200): check the year."
    )


def test_a_row_id_in_a_custom_id_always_fits_sqlite() -> None:
    pattern = re.compile(ROW_ID)
    assert pattern.fullmatch("9" * 18) and int("9" * 18) < 2**63 - 1
    assert not pattern.fullmatch("9" * 19)
    assert not pattern.fullmatch("-1")


def test_the_stale_catch_all_takes_exactly_what_no_live_template_does() -> None:
    class Live:
        __discord_ui_compiled_template__ = re.compile(rf"vote:ballot:(?P<vote>{ROW_ID})")

    class Other:
        __discord_ui_compiled_template__ = re.compile(rf"vote:close:(?P<vote>{ROW_ID})")

    stale = re.compile(stale_template("vote", [Live, Other]))  # type: ignore[list-item]
    for live in ("vote:ballot:12", "vote:close:3"):
        assert not stale.fullmatch(live)
    for dead in ("vote:ballot:" + "1" * 25, "vote:ballot:-1", "vote:ballot:12:v0", "vote:x"):
        assert stale.fullmatch(dead)
    assert not stale.fullmatch("voter:1") and not stale.fullmatch("qn:review:1")
