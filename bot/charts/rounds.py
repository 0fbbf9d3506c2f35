"""The round chart of an instant-runoff or STV count, as RCVis and city results pages draw it.

One horizontal bar per candidate, winners on top, then by how long they stayed in. A bar is
the candidate's first choices (their own colour) followed by the ballots each candidate who
went out (or passed on a surplus) gave them, each segment in the giver's colour: the colour
squares beside the names are the key. Candidates who went out are grey, "out in round N".
Ballots with no choice left form the last row, split the same way by where they came from.
The majority (instant-runoff) or the quota (STV) is a labelled line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.charts.endorsement import Verdict, threshold_panel
from bot.charts.figure import (
    SMALL_PX,
    end_label,
    label_width,
    name_axis,
    new_chart,
    png_bytes,
    pt,
    reference_line,
    room_for_labels,
    rows_height,
    segments,
    style_axes,
)
from bot.charts.palette import EXHAUSTED_GREY, LINE_COLOUR, OUT_GREY, colours
from bot.domain.tally.profile import Round, TallyResult
from bot.domain.tally.words import drawn_ties

EXHAUSTED_KEY = "(exhausted)"
EXHAUSTED_ROW = "No choice left"
SEVERAL = "several"  # a round whose transfer came from more than one candidate (Meek STV)


@dataclass
class Standing:
    """One row of the chart: what a candidate (or the exhausted pile) got, and from whom."""

    name: str
    first: Fraction = Fraction(0)
    received: dict[str, Fraction] = field(default_factory=dict)  # giver -> ballots
    out_in: int | None = None
    elected_in: int | None = None
    final: Fraction = Fraction(0)
    by_lot: bool = False  # went out, was elected or won because a tie was drawn by lot

    @property
    def peak(self) -> Fraction:
        return self.first + sum(self.received.values(), Fraction(0))


def standings(result: TallyResult) -> list[Standing]:
    """Rows in chart order: elected in order, then still in by votes, then out, latest first."""
    rounds = result.rounds
    rows = {name: Standing(name, first=v) for name, v in rounds[0].tallies.items()}
    exhausted = Standing(EXHAUSTED_KEY, first=rounds[0].exhausted)
    for i, r in enumerate(rounds):
        giver = _giver(r, rounds[i + 1] if i + 1 < len(rounds) else None)
        for name, amount in r.transfers.items():
            row = exhausted if name == EXHAUSTED_KEY else rows.get(name)
            if row is not None:
                row.received[giver] = row.received.get(giver, Fraction(0)) + amount
        for name in r.eliminated:
            rows[name].out_in = r.number
        for name in r.elected:
            rows[name].elected_in = r.number
        for name, value in r.tallies.items():
            rows[name].final = value
    exhausted.final = exhausted.peak
    for tie in drawn_ties(result):
        decided = {r.number: (*r.elected, *r.eliminated) for r in rounds}.get(tie.round, ())
        rows[tie.chosen].by_lot |= tie.chosen in decided  # not a mere order of transfers
        if tie.purpose == "exclude" and len(tie.tied) == 2:  # the other one survived the lot
            (other,) = set(tie.tied) - {tie.chosen}
            rows[other].by_lot |= other in result.winners and _last_contest(result, tie.round)
    order = {name: i for i, name in enumerate(result.winners)}
    ranked = sorted(
        rows.values(),
        key=lambda s: (
            order.get(s.name, len(order)),
            s.out_in is not None,
            -(s.out_in or 0),
            -s.final,
        ),
    )
    return [*ranked, exhausted]


def _last_contest(result: TallyResult, number: int) -> bool:
    """Whether round `number` is the last in which anyone went out: its tie decided the win."""
    return not any(r.eliminated for r in result.rounds if r.number > number)


def _giver(r: Round, after: Round | None) -> str:
    if len(r.eliminated) == 1:
        return r.eliminated[0]
    if r.eliminated or after is None:
        return SEVERAL
    dropped = [n for n, v in r.tallies.items() if after.tallies.get(n, 0) < v]
    return dropped[0] if len(dropped) == 1 else SEVERAL


def rounds_png(
    result: TallyResult, *, title: str, verdict: str, endorsement: Sequence[Verdict] = ()
) -> bytes:
    """The round chart of an instant-runoff or STV `result` as PNG bytes (see the module)."""
    return png_bytes(rounds_figure(result, title=title, verdict=verdict, endorsement=endorsement))


def rounds_figure(
    result: TallyResult, *, title: str, verdict: str, endorsement: Sequence[Verdict] = ()
) -> Figure:
    """The round chart as a figure (for `rounds_png`, and for tests to inspect).

    Three stacked axes: the candidates (`gid` "rounds"), the ballots with no choice left on
    a scale of their own ("exhausted": in a large field they outnumber any candidate and
    would squeeze the contest into a sliver), and the threshold panel ("threshold").
    """
    rows = standings(result)
    candidates, pile = rows[:-1], rows[-1]
    stv = result.seats > 1 or result.method in ("stv", "meek")
    panel_rows = len(endorsement) + 2 if endorsement else 0
    figure, body = new_chart(
        title, verdict, body_px=rows_height(len(candidates) + 2 + panel_rows, extra_px=260)
    )
    ratios = [len(candidates) + 1, 1.6] + ([len(endorsement) + 1] if endorsement else [])
    grid = body.add_gridspec(len(ratios), 1, height_ratios=ratios)
    axes, apart = (
        body.add_subplot(grid[0], gid="rounds"),
        body.add_subplot(grid[1], gid="exhausted"),
    )
    palette = dict(zip((s.name for s in candidates), colours(len(candidates)), strict=True))
    palette[EXHAUSTED_KEY] = EXHAUSTED_GREY
    line = result.rounds[-1].threshold
    _draw_bars(axes, candidates, palette, stv, float(line or 0))
    if line is not None:
        word = "quota" if stv else "majority"
        reference_line(axes, float(line), f"{word} {number(line)}", kind=word)
    axes.set_xlabel(
        "Ballots: first choices, then those received from each candidate\nwho went out"
        + (" or passed on a surplus (hatched),\n" if stv else ", ")
        + "in that candidate's colour",
        fontsize=pt(SMALL_PX),
    )
    _draw_bars(apart, [pile], palette, stv, 0.0)
    if endorsement:
        threshold_panel(body.add_subplot(grid[2], gid="threshold"), endorsement, palette)
    return figure


def _draw_bars(
    axes: Axes, rows: list[Standing], palette: dict[str, str], stv: bool, line: float
) -> None:
    style_axes(axes)
    name_axis(axes, [_label(s) for s in rows], [palette[s.name] for s in rows])
    bars, fills, several = [], [], []
    for y, s in enumerate(rows):
        left = Fraction(0)
        for giver, amount in [(s.name, s.first), *s.received.items()]:
            if amount <= 0:
                continue
            bar = (y, float(left), float(amount))
            if s.out_in is not None:
                fills.append(OUT_GREY)
            elif giver == SEVERAL:
                several.append(bar)
                fills.append("white")
            else:
                fills.append(palette[giver])
            bars.append(bar)
            left += amount
    segments(axes, bars, fills, gid="bars")
    surpluses = [
        (y, float(s.final), float(s.peak - s.final))
        for y, s in enumerate(rows)
        if s.elected_in is not None and s.peak > s.final
    ]
    if surpluses:
        segments(axes, surpluses, ["none"] * len(surpluses), hatch="///", gid="surplus")
    if several:
        segments(axes, several, ["white"] * len(several), hatch="xx", edgecolors=LINE_COLOUR)
    labels = [_end_label(s, stv) for s in rows]
    limit = room_for_labels([float(s.peak) for s in rows], labels, line)
    axes.set_xlim(0, limit)
    for y, (s, label) in enumerate(zip(rows, labels, strict=True)):
        end = float(s.peak)
        crossed = end <= line <= end + label_width(label) * limit
        end_label(axes, end, y, label, boxed=crossed)  # a box only where the line runs through


def _label(s: Standing) -> str:
    return EXHAUSTED_ROW if s.name == EXHAUSTED_KEY else s.name


def _end_label(s: Standing, stv: bool) -> str:
    if s.name == EXHAUSTED_KEY:
        return f"{number(s.peak)} · on its own scale"
    lot = " by lot" if s.by_lot else ""
    if s.out_in is not None:
        return f"{number(s.peak)} · out in round {s.out_in}{lot}"
    if s.elected_in is not None:
        won = f"elected in round {s.elected_in}" if stv else "wins"
        return f"{number(s.peak)} · {won}{lot}"
    return number(s.final)


def number(value: Fraction | int) -> str:
    """A tally as people write it: whole numbers plain, fractions to two decimals."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"
