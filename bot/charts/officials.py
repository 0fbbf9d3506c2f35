"""An official's record over the term: how many votes went with and against the chapter,
counted up over time, the positions they broke on named at the point they broke, and the
SIO meetings of the term on a strip below (filled: attended; hollow: missed).

Cumulative step lines rather than bars per vote: a term has a few dozen recorded votes at
most, and what the committee reads is the trend ("against more often lately") and where the
breaks fell. The office goes in the verdict line, so a long one wraps instead of
being cut.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import accumulate

from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from bot.charts import (
    EXHAUSTED_GREY,
    SMALL_PX,
    TEXT_PX,
    clip_name,
    colours,
    new_chart,
    png_bytes,
    pt,
    style_axes,
)
from bot.domain.officials import Cast, OfficeRecord

WITH_COLOUR, AGAINST_COLOUR = colours(5)[2], colours(5)[4]  # green, vermilion
BROKE_LABELS = 6  # positions named on the chart; the embed lists every one
BODY_PX = 760


def _span(record: OfficeRecord, today: date) -> tuple[date, date]:
    start = record.official.term_start
    days = [v.day for v in record.votes] + [m.day for m in record.meetings]
    end = max([min(today, record.official.term_end or today), *days, start + timedelta(days=30)])
    return start, end


def _steps(record: OfficeRecord, cast: Cast | tuple[Cast, ...], end: date):
    wanted = cast if isinstance(cast, tuple) else (cast,)
    days = [v.day for v in record.votes if v.cast in wanted]
    xs = [record.official.term_start, *days, end]
    ys = [0, *accumulate(1 for _ in days), len(days)]
    return [mdates.date2num(x) for x in xs], ys


def verdict(record: OfficeRecord) -> str:
    """The office, then the record in one line: what the chart shows, in words."""
    meetings = (
        f"; SIO meetings attended {record.attended} of {len(record.meetings)}"
        if record.meetings
        else ""
    )
    if not record.votes:
        return f"{record.official.office}. No votes recorded yet{meetings}."
    with_ = record.count(Cast.WITH)
    return (
        f"{record.official.office}. {with_} vote{'' if with_ == 1 else 's'} with the chapter, "
        f"{record.count(Cast.AGAINST)} against{meetings}."
    )


def record_png(record: OfficeRecord, *, today: date) -> bytes:
    """The chart as PNG bytes."""
    return png_bytes(record_figure(record, today=today))


def record_figure(record: OfficeRecord, *, today: date) -> Figure:
    """The chart, drawn (for `record_png` and for tests that read its texts)."""
    official = record.official
    figure, body = new_chart(clip_name(official.name, 40), verdict(record), body_px=BODY_PX)
    votes_axes, sio_axes = body.subplots(2, 1, height_ratios=(5, 1), sharex=True)
    style_axes(votes_axes)
    style_axes(sio_axes)
    start, end = _span(record, today)
    pad = timedelta(days=max(7, (end - start).days // 25))
    votes_axes.set_xlim(mdates.date2num(start - pad), mdates.date2num(end + pad))
    series = (
        # Widest first: where two counts are equal both lines still show.
        (Cast.WITH, "With the chapter", WITH_COLOUR, "-", 8),
        (Cast.AGAINST, "Against the chapter", AGAINST_COLOUR, "-", 3.5),
        ((Cast.ABSTAINED, Cast.ABSENT), "Abstained or absent", EXHAUSTED_GREY, (0, (2, 2)), 3),
    )
    handles = []
    for cast, label, colour, style, width in series:
        xs, ys = _steps(record, cast, end)
        votes_axes.step(xs, ys, where="post", color=colour, linewidth=width, linestyle=style)
        handles.append(Line2D([], [], color=colour, linewidth=width, linestyle=style, label=label))
    top = max([1, *(record.count(c) for c in Cast)])
    votes_axes.set_ylim(0, top * 1.35 + 0.5)
    votes_axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    votes_axes.set_ylabel("Votes, counted up")
    votes_axes.grid(axis="y", color="#DDDDDD")
    against = 0
    for vote in record.votes:
        if vote.cast is not Cast.AGAINST:
            continue
        against += 1
        x = mdates.date2num(vote.day)
        votes_axes.plot(x, against, marker="X", markersize=pt(30), color=AGAINST_COLOUR,
                        markeredgecolor="#222222", linestyle="none")  # fmt: skip
        if against <= BROKE_LABELS:
            votes_axes.annotate(
                clip_name(vote.position.title), xy=(x, against), xytext=(0, pt(18)),
                textcoords="offset points", ha="center", fontsize=pt(SMALL_PX),
                color="#222222", annotation_clip=False,
            )  # fmt: skip
    for meeting in record.meetings:
        went = official.id in meeting.attended
        sio_axes.plot(mdates.date2num(meeting.day), 0, marker="o", markersize=pt(26),
                      color=WITH_COLOUR if went else "white", markeredgecolor="#222222",
                      markeredgewidth=2, linestyle="none")  # fmt: skip
    sio_axes.set_yticks([0], ["SIO"])
    sio_axes.set_ylim(-1, 1)
    sio_axes.spines["left"].set_visible(False)
    if not record.meetings:
        sio_axes.text(
            0.5, 0, "no SIO meetings logged", transform=sio_axes.get_yaxis_transform(),
            ha="center", va="center", fontsize=pt(SMALL_PX), color=EXHAUSTED_GREY,
        )  # fmt: skip
    locator = mdates.AutoDateLocator(minticks=3, maxticks=5)
    sio_axes.xaxis.set_major_locator(locator)
    # A short term so far reads in days; a longer one in months (no two ticks alike).
    short = (end - start).days < 150
    sio_axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y" if short else "%b %Y"))
    sio_axes.tick_params(axis="x", labelsize=pt(SMALL_PX))
    handles += [
        Line2D([], [], marker="o", linestyle="none", markersize=pt(TEXT_PX), color=WITH_COLOUR,
               markeredgecolor="#222222", label="SIO: attended"),
        Line2D([], [], marker="o", linestyle="none", markersize=pt(TEXT_PX), color="white",
               markeredgecolor="#222222", label="missed"),
    ]  # fmt: skip
    body.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=pt(SMALL_PX),
                frameon=False)  # fmt: skip
    return figure
