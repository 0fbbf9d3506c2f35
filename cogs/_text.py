"""Text every cog writes for Discord: clipping to a limit, and timestamps each member's
client shows in their own timezone. One copy of each, shared by all features."""

from __future__ import annotations

from datetime import datetime

_TIMESTAMP_STYLES = frozenset("tTdDfFR")


def clip(text: str, limit: int, more: str = "…") -> str:
    """`text` if it fits in `limit` characters, else its start followed by `more`."""
    if len(text) <= limit:
        return text
    return text[: limit - len(more)] + more


def timestamp(dt: datetime, style: str = "F") -> str:
    """A Discord timestamp tag (`<t:…:F>`), which each member's client shows in their own
    timezone. `style` is one of Discord's: t T d D f F R."""
    if dt.tzinfo is None:
        raise ValueError("dt must be an aware datetime")
    if style not in _TIMESTAMP_STYLES:
        raise ValueError(f"unknown Discord timestamp style {style!r}")
    return f"<t:{int(dt.timestamp())}:{style}>"
