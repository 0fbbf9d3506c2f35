"""The text helpers every cog shares: clipping to Discord's limits and timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cogs._text import clip, timestamp

NOW = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("style", "expected"), [("F", "<t:1795755600:F>"), ("R", "<t:1795755600:R>")]
)
def test_discord_timestamp(style: str, expected: str) -> None:
    assert timestamp(NOW, style) == expected


def test_discord_timestamp_default_style_and_errors() -> None:
    assert timestamp(NOW) == "<t:1795755600:F>"
    with pytest.raises(ValueError, match="style"):
        timestamp(NOW, "x")
    with pytest.raises(ValueError, match="aware"):
        timestamp(datetime(2026, 1, 1))


def test_clip_keeps_text_that_fits_and_ends_longer_text_with_its_marker() -> None:
    assert clip("abcdef", 6) == "abcdef"
    assert clip("abcdefg", 6) == "abcde…"
    assert clip("abcdefg", 6, "+") == "abcde+"
    clipped = clip("x" * 50, 20, "\n… (more)")
    assert len(clipped) == 20 and clipped.endswith("\n… (more)")
