"""Tally benchmarks: `python benchmarks/tally.py [--quick]`.

Each section is a function returning table rows; `main()` runs every section in `SECTIONS`
and prints one table. A section times parsing and counting separately and, where the oracle
library (pref_voting, test-only) is installed, the same profile through it for a ratio.

IRV: 10 candidates; ballots drawn from a pool of 70,000 distinct rankings of 3 to 10
candidates with a skewed popularity, so the 100k and 1M profiles hold at least 50,000
distinct rankings. Targets: count 1M ballots < 0.5 s; parse + count a 1M-line BLT < 3 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.tally.ballots import grouped_rankings  # noqa: E402
from bot.domain.tally.io.blt import read_blt, write_blt  # noqa: E402
from bot.domain.tally.irv import instant_runoff  # noqa: E402
from bot.domain.tally.methods import CountOptions  # noqa: E402
from bot.domain.tally.profile import Profile, RankedBallot  # noqa: E402

ORACLE_TIMEOUT_S = 60.0
POOL = 70_000  # distinct rankings to draw from
Row = dict[str, object]


def ranking_pool(candidates: int, size: int, rng: random.Random) -> list[tuple[int, ...]]:
    """`size` distinct rankings of 3..`candidates` candidates, most popular first."""
    pool: dict[tuple[int, ...], None] = {}
    people = list(range(candidates))
    # A few candidates are more popular first choices, so the count takes several rounds.
    first_weights = [candidates - i for i in range(candidates)]
    while len(pool) < size:
        first = rng.choices(people, first_weights)[0]
        rest = [c for c in people if c != first]
        rng.shuffle(rest)
        length = rng.randint(3, candidates)
        pool[(first, *rest[: length - 1])] = None
    return list(pool)


def irv_profile(ballots: int, pool: list[tuple[int, ...]], seed: int) -> Profile:
    """`ballots` single ballots drawn from `pool`; separate objects, as a vote would store."""
    rng = random.Random(seed)
    # Popularity falls off with the pool index: index = size * u**1.5.
    size = len(pool)
    picks = [pool[int(size * rng.random() ** 1.5)] for _ in range(ballots)]
    names = tuple(f"Candidate {i + 1}" for i in range(10))
    return Profile(
        names, tuple(RankedBallot(tuple((c,) for c in r)) for r in picks), title="benchmark"
    )


def _oracle_child(groups: list[tuple[tuple[int, ...], int]], candidates: int, out) -> None:
    from pref_voting.iterative_methods import instant_runoff_for_truncated_linear_orders
    from pref_voting.profiles_with_ties import ProfileWithTies

    started = time.perf_counter()
    profile = ProfileWithTies(
        [{c: i + 1 for i, c in enumerate(r)} for r, _ in groups],
        rcounts=[w for _, w in groups],
        candidates=list(range(candidates)),
    )
    winners = instant_runoff_for_truncated_linear_orders(profile)
    out.put((time.perf_counter() - started, winners))


def oracle_irv(profile: Profile) -> tuple[float | None, list[int] | None, str]:
    """pref_voting's IRV on the same (grouped) profile, in a child killed after a minute."""
    try:
        import pref_voting  # noqa: F401
    except ImportError:
        return None, None, "pref_voting not installed"
    groups = [(r, w) for r, w in grouped_rankings(profile).items() if r]
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    child = context.Process(target=_oracle_child, args=(groups, len(profile.candidates), out))
    child.start()
    child.join(ORACLE_TIMEOUT_S)
    if child.is_alive():
        child.terminate()
        child.join()
        return None, None, f"skipped: over {ORACLE_TIMEOUT_S:.0f} s"
    seconds, winners = out.get()
    return seconds, winners, ""


def best_of(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    """The fastest of `runs` timings of `work`, and its last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def irv_section(sizes: tuple[int, ...], tmp: Path) -> list[Row]:
    """IRV: parse a BLT file (merging identical lines) and count it, as the command line
    does; parse it keeping every line (`parse_unmerged_s`); count the same ballots held one
    object each, as a closed vote holds them (`count_unmerged_s`); the oracle on the same
    profile (grouped rankings with counts, its native form)."""
    pool = ranking_pool(10, POOL, random.Random(2026))
    options = CountOptions(tie_break="lot", seed="benchmark")
    rows: list[Row] = []
    for ballots in sizes:
        in_memory = irv_profile(ballots, pool, seed=ballots)
        path = tmp / f"irv-{ballots}.blt"
        path.write_text(write_blt(in_memory))
        # The command line's path: read the file, merge identical lines, count.
        parse_s, parsed = best_of(3, lambda path=path: read_blt(path.read_text(), merge=True))
        count_s, result = best_of(3, lambda parsed=parsed: instant_runoff(parsed, options))
        as_cast_s, _ = best_of(1, lambda path=path: read_blt(path.read_text()))
        # The same ballots one object each, as cast (a closed vote's profile).
        memory_s, again = best_of(3, lambda p=in_memory: instant_runoff(p, options))
        assert again.winners == result.winners and again.rounds == result.rounds
        distinct = len(grouped_rankings(parsed))
        oracle_s, oracle_winners, note = oracle_irv(parsed)
        if oracle_winners is not None:
            agree = [parsed.candidates[w] for w in oracle_winners] == list(result.winners)
            note = "winner agrees" if agree else f"WINNER DIFFERS: {oracle_winners}"
        rows.append(
            {
                "section": "irv",
                "ballots": ballots,
                "distinct": distinct,
                "rounds": len(result.rounds),
                "parse_s": parse_s,
                "count_s": count_s,
                "parse+count_s": parse_s + count_s,
                "parse_unmerged_s": as_cast_s,
                "count_unmerged_s": memory_s,
                "oracle_s": oracle_s,
                "oracle/ours": None if oracle_s is None else oracle_s / count_s,
                "note": note,
            }
        )
    return rows


SECTIONS: list[tuple[str, Callable[[tuple[int, ...], Path], list[Row]]]] = [
    ("irv", irv_section),
]


def print_table(rows: list[Row]) -> None:
    """Rows as an aligned text table; seconds to 3 decimals."""
    columns = list(dict.fromkeys(key for row in rows for key in row))

    def cell(value: object) -> str:
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:.3f}"
        return str(value)

    table = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for r in table:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    """Run every section and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k ballots only")
    parser.add_argument("--section", action="append", help="run only these sections")
    args = parser.parse_args(argv)
    sizes = (10_000, 100_000) if args.quick else (10_000, 100_000, 1_000_000)
    import tempfile

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, section in SECTIONS:
            if args.section and name not in args.section:
                continue
            rows.extend(section(sizes, Path(tmp)))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
