"""Tally benchmarks: `python benchmarks/tally.py [--quick]`.

Each section is a function returning table rows; `main()` runs every section in `SECTIONS`
and prints one table. A section times parsing and counting separately and, where the oracle
library (pref_voting, test-only) is installed, the same profile through it for a ratio.

IRV: 10 candidates; ballots drawn from a pool of 70,000 distinct rankings of 3 to 10
candidates with a skewed popularity, so the 100k and 1M profiles hold at least 50,000
distinct rankings. Targets: count 1M ballots < 0.5 s; parse + count a 1M-line BLT < 3 s.

Scottish STV: 20 candidates, 5 seats, 10k and 100k ballots (over 50,000 distinct rankings
at 100k). Target: 100k < 3 s. Schulze: 20 candidates, 1M ballots. Target: the pairwise
count < 3 s.
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


# --- multi-seat and Condorcet: Scottish STV and Schulze (20 candidates) ---

STV_POOL = 120_000  # distinct rankings of 1..20 candidates; 100k draws hold over 60,000
SCHULZE_POOL = 250_000


def wide_ranking_pool(candidates: int, size: int, rng: random.Random) -> list[tuple[int, ...]]:
    """`size` distinct rankings of 1..`candidates` candidates, first choices skewed."""
    pool: dict[tuple[int, ...], None] = {}
    people = list(range(candidates))
    first_weights = [candidates - i for i in range(candidates)]
    while len(pool) < size:
        first = rng.choices(people, first_weights)[0]
        rest = [c for c in people if c != first]
        rng.shuffle(rest)
        pool[(first, *rest[: rng.randint(0, candidates - 1)])] = None
    return list(pool)


def drawn_profile(ballots: int, pool: list[tuple[int, ...]], seed: int, seats: int) -> Profile:
    """`ballots` single ballots of 20 candidates drawn from `pool`, one object each."""
    rng = random.Random(seed)
    size = len(pool)
    picks = [pool[int(size * rng.random() ** 1.5)] for _ in range(ballots)]
    names = tuple(f"Candidate {i + 1}" for i in range(20))
    ranked = tuple(RankedBallot(tuple((c,) for c in r)) for r in picks)
    return Profile(names, ranked, seats=seats, title="benchmark")


def stv_section(sizes: tuple[int, ...], tmp: Path) -> list[Row]:
    """Scottish STV, 20 candidates, 5 seats, 10k and 100k ballots (100k: over 50,000
    distinct rankings). Target: count 100k ballots < 3 s."""
    from bot.domain.tally.stv import scottish_stv

    pool = wide_ranking_pool(20, STV_POOL, random.Random(2027))
    options = CountOptions(tie_break="lot", seed="benchmark")
    rows: list[Row] = []
    for ballots in (s for s in sizes if s <= 100_000):
        in_memory = drawn_profile(ballots, pool, seed=ballots, seats=5)
        path = tmp / f"stv-{ballots}.blt"
        path.write_text(write_blt(in_memory))
        parse_s, parsed = best_of(3, lambda path=path: read_blt(path.read_text(), merge=True))
        count_s, result = best_of(3, lambda p=parsed: scottish_stv(p, options))
        memory_s, again = best_of(3, lambda p=in_memory: scottish_stv(p, options))
        assert again.winners == result.winners
        rows.append(
            {
                "section": "stv-scottish",
                "ballots": ballots,
                "distinct": len(grouped_rankings(parsed)),
                "rounds": len(result.rounds),
                "parse_s": parse_s,
                "count_s": count_s,
                "parse+count_s": parse_s + count_s,
                "count_unmerged_s": memory_s,
                "note": "5 seats",
            }
        )
    return rows


def schulze_section(sizes: tuple[int, ...], tmp: Path) -> list[Row]:
    """Schulze, 20 candidates, at the largest size (1M): the pairwise count alone (target
    < 3 s) on the grouped rankings, the whole count of the merged BLT, and the whole count of
    the ballots one object each; then 1M distinct full rankings, the pairwise worst case."""
    from bot.domain.tally.condorcet import pairwise_counts, schulze

    ballots = max(sizes)
    pool = wide_ranking_pool(20, SCHULZE_POOL, random.Random(2028))
    in_memory = drawn_profile(ballots, pool, seed=ballots, seats=1)
    options = CountOptions(tie_break="lot", seed="benchmark")
    path = tmp / f"schulze-{ballots}.blt"
    path.write_text(write_blt(in_memory))
    parse_s, parsed = best_of(1, lambda: read_blt(path.read_text(), merge=True))
    groups = {r: w for r, w in grouped_rankings(parsed).items() if r}
    pairwise_s, _ = best_of(3, lambda: pairwise_counts(groups, 20))
    count_s, result = best_of(1, lambda: schulze(parsed, options))
    memory_s, again = best_of(1, lambda: schulze(in_memory, options))
    assert again.winners == result.winners
    rng = random.Random(2029)
    worst = {tuple(rng.sample(range(20), 20)): 1 for _ in range(ballots)}
    worst_s, _ = best_of(1, lambda: pairwise_counts(worst, 20))
    return [
        {
            "section": "schulze",
            "ballots": ballots,
            "distinct": len(groups),
            "parse_s": parse_s,
            "pairwise_s": pairwise_s,
            "count_s": count_s,
            "parse+count_s": parse_s + count_s,
            "count_unmerged_s": memory_s,
            "note": "count = ballot rules + grouping + pairwise + paths",
        },
        {
            "section": "schulze-worst",
            "ballots": ballots,
            "distinct": len(worst),
            "pairwise_s": worst_s,
            "note": "every ballot a distinct full ranking; pairwise count only",
        },
    ]


SECTIONS: list[tuple[str, Callable[[tuple[int, ...], Path], list[Row]]]] = [
    ("irv", irv_section),
    ("stv", stv_section),
    ("schulze", schulze_section),
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
