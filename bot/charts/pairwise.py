"""The pairwise heat map of a Schulze or ranked-pairs count (a round chart does not apply).

Row a, column b: how many ballots rank a above b. Orange where the row wins the pair,
purple where it loses, white for a tie (a colour-blind-safe diverging scale); the numbers
are written in the cells while they fit (up to 15 options). The winner's row comes first,
then the others by pairs won, so the top rows read as the order of finish. Columns are
numbered as the rows are.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from bot.charts.endorsement import Verdict, split_for_panel, threshold_panel
from bot.charts.figure import (
    NAME_CHARS,
    SMALL_PX,
    TEXT_PX,
    clip_names,
    name_axis,
    new_chart,
    png_bytes,
    pt,
    rows_height,
    style_axes,
)
from bot.charts.palette import colours
from bot.domain.tally.profile import TallyResult

CELL_NUMBERS_UP_TO = 15
COLOUR_SCALE = "PuOr_r"  # purple (loses) to orange (wins), readable with any colour vision


def pairwise_png(
    result: TallyResult, *, title: str, verdict: str, endorsement: Sequence[Verdict] = ()
) -> bytes:
    """The heat map of `result.extra["pairwise"]` as PNG bytes (see the module)."""
    return png_bytes(pairwise_figure(result, title=title, verdict=verdict, endorsement=endorsement))


def pairwise_figure(
    result: TallyResult, *, title: str, verdict: str, endorsement: Sequence[Verdict] = ()
) -> Figure:
    """The heat map as a figure (for `pairwise_png`, and for tests to inspect)."""
    pairwise: dict[str, dict[str, int]] = result.extra["pairwise"]  # type: ignore[assignment]
    names = finish_order(pairwise, result.winners)
    n = len(names)
    wins = np.array([[pairwise[a].get(b, 0) for b in names] for a in names], dtype=float)
    total = wins + wins.T
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, wins / total, 0.5)
    np.fill_diagonal(share, np.nan)
    panel_rows = len(endorsement) + 2 if endorsement else 0
    figure, body = new_chart(title, verdict, body_px=rows_height(n + panel_rows, extra_px=230))
    axes, panel = split_for_panel(body, n, len(endorsement))
    style_axes(axes)
    axes.imshow(share, cmap=COLOUR_SCALE, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    palette = dict(zip(names, colours(n), strict=True))
    # Cut first, then numbered: the number must not make two cut names look different.
    cut = clip_names(names, NAME_CHARS - len(f"{n}. "))
    numbered = [f"{i}. {name}" for i, name in enumerate(cut, 1)]
    name_axis(axes, numbered, list(palette.values()), clip=False)
    step = 1 if n <= CELL_NUMBERS_UP_TO else 5
    ticks = [i for i in range(n) if i == 0 or (i + 1) % step == 0]
    axes.set_xticks(ticks, [str(i + 1) for i in ticks])
    axes.xaxis.tick_top()
    if n <= CELL_NUMBERS_UP_TO:
        _numbers(axes, wins, share)
    axes.set_xlabel(
        "Ballots ranking the row above the column:\n"
        "orange where the row wins the pair, purple where it loses",
        fontsize=pt(SMALL_PX),
    )
    if panel is not None:
        threshold_panel(panel, endorsement, palette)
    return figure


def finish_order(pairwise: dict[str, dict[str, int]], winners: Sequence[str]) -> list[str]:
    """Winners first, then by pairs won, then by total margin; ties keep the file's order."""
    names = list(pairwise)

    def won(a: str) -> tuple[int, int]:
        beats = sum(pairwise[a].get(b, 0) > pairwise[b].get(a, 0) for b in names if b != a)
        margin = sum(pairwise[a].get(b, 0) - pairwise[b].get(a, 0) for b in names if b != a)
        return beats, margin

    rest = sorted((a for a in names if a not in winners), key=won, reverse=True)
    return [*(w for w in winners if w in pairwise), *rest]


def _numbers(axes, wins: np.ndarray, share: np.ndarray) -> None:
    size = pt(TEXT_PX if len(wins) <= 8 else SMALL_PX)
    for (row, col), value in np.ndenumerate(wins):
        if row == col:
            continue
        dark = abs(share[row, col] - 0.5) > 0.3
        axes.text(
            col, row, f"{value:.0f}", ha="center", va="center", fontsize=size,
            color="white" if dark else "black",
        )  # fmt: skip
