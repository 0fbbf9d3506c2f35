"""The fonts that draw candidates' names in any script on a chart. No matplotlib here: the
bot checks them at start without loading it.

Matplotlib's own font (DejaVu Sans) has Latin, Greek and Cyrillic, but no Chinese, Japanese
or Korean, and draws those names as empty boxes. The project installs, from its own pinned
dependencies, Noto Sans CJK (`noto-cjk-sans-otc`) and Noto Sans Arabic
(`fontpkg-noto-sans-arabic`); Debian's `fonts-noto-cjk` and `fonts-noto-core` serve too.
`bot.charts` puts them behind DejaVu Sans as per-glyph fallbacks, and matplotlib's text
layout (libraqm) shapes Arabic and orders right-to-left text.

Where a font is missing, the bot warns once at start (`warn_missing`); the charts still
render, with boxes for that script, and the text post still carries every name.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from pathlib import Path

PRIMARY = "DejaVu Sans"
"""Matplotlib's own font: Latin, Greek, Cyrillic, and the bot's symbols (·, →, ⚠)."""


@dataclass(frozen=True, slots=True)
class FallbackFont:
    """A font for scripts the primary font lacks: where the pinned package keeps its file,
    and where Debian's package does."""

    scripts: str  # for people: "Chinese, Japanese and Korean"
    family: str  # the name matplotlib knows it by
    module: str  # the pip package's module
    file: str  # the font file inside that module
    system: tuple[str, ...]  # the same font from Debian's packages
    sample: str  # a character the font must draw (tests check it does)


FALLBACKS = (
    FallbackFont(
        "Chinese, Japanese and Korean",
        "Noto Sans CJK SC",  # simplified Chinese forms; the file has JP, KR, TC, HK too
        "noto_cjk_sans_otc",
        "NotoSansCJK-Regular.ttc",
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
        "陈",
    ),
    FallbackFont(
        "Arabic",
        "Noto Sans Arabic",
        "fontpkg_noto_sans_arabic",
        "files/NotoSansArabic[wdth,wght].ttf",
        ("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",),
        "م",
    ),
)


def font_file(font: FallbackFont) -> Path | None:
    """The file of `font`: the pinned package's, else Debian's; None when neither is there.

    Finding the package's module does not import it.
    """
    try:
        spec = importlib.util.find_spec(font.module)
    except (ImportError, ValueError):
        spec = None
    candidates = []
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) / font.file for p in spec.submodule_search_locations]
    candidates += [Path(p) for p in font.system]
    return next((p for p in candidates if p.is_file()), None)


def missing() -> list[FallbackFont]:
    """The fallback fonts that are not installed."""
    return [font for font in FALLBACKS if font_file(font) is None]


_warned = False


def warn_missing(log: logging.Logger) -> bool:
    """Log, once per process, which scripts charts cannot draw; True if it warned now."""
    global _warned
    gaps = missing()
    if _warned or not gaps:
        return False
    _warned = True
    for font in gaps:
        log.warning(
            "no font for %s names: charts draw them as empty boxes (the text posts still "
            "carry every name). Install the pinned dependencies (pip install -c "
            "requirements/runtime.txt .) or Debian's fonts-noto-cjk and fonts-noto-core to "
            "get %s.",
            font.scripts,
            font.family,
        )
    return True


RTL_RANGES = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))
"""Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms."""


def isolate(name: str) -> str:
    """`name` wrapped in Unicode's first-strong isolate when it has right-to-left letters.

    Without it, an Arabic name in an English line pulls its neighbours into its own direction:
    "Round 3: محمد 60" draws the 60 before the name, and a closing bracket of "محمد (أبو علي)"
    jumps to the other end. Names without such letters are returned unchanged.
    """
    if any(low <= ord(c) <= high for c in name for low, high in RTL_RANGES):
        return f"\u2068{name}\u2069"
    return name
