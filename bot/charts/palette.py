"""Series colours: every candidate (or race, or milestone) its own colour, colour-blind safe.

The colours come from Okabe & Ito's eight (minus black), the set most charts for colour-blind
readers use, then Paul Tol's bright, vibrant, muted, high- and medium-contrast, light, dark
and rainbow schemes. The list was built once by walking those schemes in that order four
times, keeping a colour when it is at least 30, then 22, then 16, then 10 CIELAB units (CIE76)
from every colour already kept, and clearly apart from white and from the greys below (which
mean "out" and "exhausted"). So the first 17 are the most distinct of all: give them to the
series that matter most (the winners, the top of a list). Past `len(PALETTE)` series,
colours repeat and a chart must label its bars directly (`needs_direct_labels`).
"""

from __future__ import annotations

PALETTE: tuple[str, ...] = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#D55E00", "#CC79A7", "#EE6677", "#332288",
    "#999933", "#882255", "#004488", "#225555", "#225522", "#D9CCE3", "#CAE0AB", "#72190E",
    "#684957", "#4477AA", "#228833", "#EE3377", "#DDCC77", "#AA4499", "#EE8866", "#FFAABB",
    "#666633", "#DC050C", "#A5170E", "#42150A", "#B5DDD8", "#9B8AC4", "#CCBB44", "#44AA99",
    "#BB5566", "#997700", "#99DDFF", "#BBCC33", "#222255", "#4EB265", "#90C987", "#FCF7D5",
    "#88A5DD", "#906388", "#FFCCCC", "#66CCEE", "#AA3377", "#EE7733", "#0077BB", "#CC3311",
    "#117733", "#DDAA33", "#EECC66", "#994455", "#44BB99", "#AAAA00", "#663333", "#CAACCB",
    "#BA8DB4", "#994F88", "#882E72", "#1965B0",
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
