"""Series colours: every candidate (or race, or milestone) its own colour, colour-blind safe.

The list starts with Okabe & Ito's eight (minus black), the set most charts for colour-blind
readers use, then Paul Tol's bright, vibrant, muted, high- and medium-contrast, light, dark
and rainbow schemes. It was built once by walking those schemes in that order and keeping a
colour only when it differs from every colour already kept by at least 10 CIELAB units
(CIE76) and is clearly apart from white and from the greys below, which mean "out" and
"exhausted". The first colours are the most distinct: give them to the series that matter
most. Past `len(PALETTE)` series, colours repeat and a chart must label its bars directly
(`needs_direct_labels`).
"""

from __future__ import annotations

PALETTE: tuple[str, ...] = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#EE6677",
    "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#EE7733", "#EE3377", "#CC3311", "#009988",
    "#332288", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#004488",
    "#DDAA33", "#6699CC", "#EECC66", "#994455", "#997700", "#EE99AA", "#EE8866", "#99DDFF",
    "#44BB99", "#BBCC33", "#AAAA00", "#222255", "#225555", "#225522", "#666633", "#663333",
    "#D9CCE3", "#CAACCB", "#BA8DB4", "#AA6F9E", "#994F88", "#882E72", "#1965B0", "#4EB265",
    "#90C987", "#CAE0AB", "#F7CB45", "#F1932D", "#E65518", "#DC050C", "#A5170E", "#72190E",
    "#42150A", "#FCF7D5", "#D0E7CA", "#B5DDD8",
)  # fmt: skip

OUT_GREY = "#BBBBBB"
"""An option that is out of the count (eliminated), or a value that is not anyone's."""
EXHAUSTED_GREY = "#777777"
"""Ballots with no choice left (exhausted), or any "nobody" quantity."""
LINE_COLOUR = "#222222"
"""Reference lines (majority, quota, threshold, target) and their labels."""


def colours(n: int) -> list[str]:
    """`n` series colours in palette order; distinct for n <= len(PALETTE), repeating after."""
    if n < 0:
        raise ValueError("a chart cannot have a negative number of series")
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def needs_direct_labels(n: int) -> bool:
    """True when `n` series outnumber the palette, so colour alone no longer tells them apart."""
    return n > len(PALETTE)
