"""Chart benchmarks: `python benchmarks/charts.py [--options 60] [--runs 5] [--examples DIR]`.

Renders each vote chart (instant-runoff rounds, STV rounds, yes/no, Schulze and ranked-pairs
heat maps) from a made-up election of `--options` options (tests/unit/charts/elections.py:
a few hundred ballots, one "No endorsement"), the way a close does: the count is done
beforehand, the timer covers figure, drawing and PNG encoding. Importing matplotlib is timed
once, apart; the first render in the process pays for loading fonts, and the table shows it
apart ("first") from the median and worst of the next `--runs`. CPU is the process's own
time, so a busy machine shows in wall - CPU.
Target: under 0.5 s wall for 60 options.

`--examples DIR` also writes a PNG of each kind for 8 options, quantized to 256 colours to
keep the repository small; the README shows chart-instant-runoff.png and chart-stv.png from
docs/img/, copied from such a run.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_started = time.perf_counter()
from bot.charts.votes import result_png  # noqa: E402  (matplotlib loads here, timed)

IMPORT_S = time.perf_counter() - _started
from PIL import Image  # noqa: E402

from bot.domain.tally.profile import TallyResult  # noqa: E402
from bot.domain.tally.words import drawn_ties  # noqa: E402
from tests.unit.charts.elections import count, yes_no  # noqa: E402

THRESHOLD = Fraction(2, 3)


def elections(n: int, seed: int = 1) -> dict[str, TallyResult]:
    return {
        "instant-runoff": count(n, "irv", seed=seed),
        "STV, 3 seats": count(n, "stv", 3, seed=seed),
        "yes/no": yes_no(n, seed=seed),
        "Schulze": count(n, "schulze", seed=seed),
        "ranked pairs": count(n, "ranked-pairs", seed=seed),
    }


def render(result: TallyResult) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    png = result_png(result, title="City Council District 3 (2027)", verdict=_verdict(result),
                     threshold=THRESHOLD)  # fmt: skip
    return time.perf_counter() - wall, time.process_time() - cpu, len(png)


def _verdict(result: TallyResult) -> str:
    """As a result post's chart says it (cogs/votes/_result.chart_verdict), without a vote."""
    if result.method == "yes-no":
        head = f"{len(result.winners)} of {len(result.candidates)} pass the 3/5 threshold"
    elif result.seats > 1:
        head = f"{result.seats} seats: elected {', '.join(result.winners)}"
    else:
        head = f"{result.winners[0]} wins in round {len(result.rounds)}"
    endorsed = result.extra.get("endorsed") or (
        [result.winners[0]] if result.endorsement and result.endorsement.met else []
    )
    if result.method == "yes-no":
        endorsed = list(result.winners)
    tail = f"the chapter endorses {', '.join(endorsed)}." if endorsed else "no endorsement."
    drawn = sorted({t.round for t in drawn_ties(result)})
    lot = f" A tie in round {drawn[0]} was drawn by lot." if len(drawn) == 1 else (
        f" Ties in rounds {', '.join(map(str, drawn))} were drawn by lot." if drawn else ""
    )  # fmt: skip
    return f"{head}; {tail}{lot}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--options", type=int, default=60, help="options on the ballot")
    parser.add_argument("--runs", type=int, default=5, help="timed renders after the first")
    parser.add_argument("--examples", type=Path, help="write an 8-option PNG of each kind here")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"import bot.charts.votes (matplotlib): {IMPORT_S:.3f} s, once per process")
    print(f"{'chart':16} {'options':>7} {'first s':>8} {'median s':>9} {'worst s':>8} "
          f"{'CPU s':>6} {'PNG kB':>7} {'px':>10}")  # fmt: skip
    for kind, result in elections(args.options).items():
        first, _, _ = render(result)
        runs = [render(result) for _ in range(args.runs)]
        walls = [w for w, _, _ in runs]
        cpu = statistics.median(c for _, c, _ in runs)
        size = runs[-1][2]
        png = result_png(result, title="t", verdict="v", threshold=THRESHOLD)
        px = f"{int.from_bytes(png[16:20], 'big')}x{int.from_bytes(png[20:24], 'big')}"
        print(f"{kind:16} {args.options:>7} {first:>8.3f} {statistics.median(walls):>9.3f} "
              f"{max(walls):>8.3f} {cpu:>6.3f} {size / 1000:>7.0f} {px:>10}")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.examples:
        args.examples.mkdir(parents=True, exist_ok=True)
        for kind, result in elections(8, seed=2).items():
            name = kind.split(",")[0].replace(" ", "-").replace("/", "-").lower()
            path = args.examples / f"chart-{name}.png"
            png = result_png(result, title="City Council District 3 (2027)",
                             verdict=_verdict(result), threshold=THRESHOLD)  # fmt: skip
            Image.open(io.BytesIO(png)).quantize(256).save(path, optimize=True)
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
