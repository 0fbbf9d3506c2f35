"""Condorcet methods: Schulze and ranked pairs, over the pairwise matrix of a profile.

Pairwise counts read each ballot after the ballot rules (`ballots.grouped_rankings`): a ranked
candidate beats every candidate ranked lower and every candidate left unranked; two unranked
candidates are not compared. `pairwise[a][b]` is the number of ballots preferring a to b.

* **Schulze**: the strength of a defeat is its winning votes (`pairwise[a][b]` when it beats
  `pairwise[b][a]`); a path is as strong as its weakest defeat; a beats b when the strongest
  path from a to b is stronger than the strongest path back. Winners are the candidates no
  one beats; the output includes every strongest path.
* **Ranked pairs** (Tideman): defeats are taken strongest first (winning votes, then the
  larger margin) and locked in unless they would close a cycle with those already locked;
  the winner is the candidate no locked defeat points to.

A Condorcet winner (one who beats every other head to head) wins both. Ties the matrix cannot
settle (equal strongest paths; defeats of equal strength; candidates no locked defeat
separates) go to the tie chain of `ties.py`: there is no earlier round, so straight to the
lot. With more than one seat both methods return the top of their order, not a
proportional result.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from fractions import Fraction
from itertools import compress, groupby

from bot.domain.tally.ballots import grouped_rankings
from bot.domain.tally.methods import CountOptions, register
from bot.domain.tally.profile import Profile, Round, TallyResult
from bot.domain.tally.ties import TieBreaker

Ranking = tuple[int, ...]

# Rankings shorter than this are counted pair by pair; the bit-parallel count below pays off
# only once many long distinct rankings make the pair loop quadratic.
_SHORT = 6


def pairwise_counts(grouped: dict[Ranking, int], n: int) -> list[list[int]]:
    """`d[a][b]`: ballots ranking a above b, a ranked candidate above every unranked one.

    Short rankings use `d[a][b] = ranked[a] - above[b][a]`, where `ranked[a]` is the weight
    of ballots ranking a at all and `above[b][a]` the weight ranking both with b first, so
    only pairs that are both ranked need a loop. Long rankings are counted bit-parallel.
    """
    ranked = [0] * n
    above = [[0] * n for _ in range(n)]
    by_length = sorted(grouped.items(), key=_ranking_length)
    split = len(by_length)
    if n <= _MAX_BITPARALLEL:
        split = bisect_left(by_length, _SHORT, key=_ranking_length)
    for ranking, weight in by_length[:split]:
        for i, a in enumerate(ranking):
            ranked[a] += weight
            row = above[a]
            for b in ranking[i + 1 :]:
                row[b] += weight
    d = [[ranked[a] - above[b][a] if a != b else 0 for b in range(n)] for a in range(n)]
    if split < len(by_length):
        _add_pairwise_bitparallel(by_length[split:], n, d)
    return d


_MAX_BITPARALLEL = 120  # positions and the unranked sentinel must fit in 7 bits


def _ranking_length(item: tuple[Ranking, int]) -> int:
    return len(item[0])


def _add_pairwise_bitparallel(items: list[tuple[Ranking, int]], n: int, d: list[list[int]]) -> None:
    """Add the pairwise counts of `rankings` to `d`, one byte per ranking in a big integer.

    Each candidate's positions form a byte string (unranked = n, past every rank). For a
    pair, byte k of `(pos_b | 0x80) - (pos_a + 1)` keeps bit 7 set exactly when ranking k
    puts a above b (or ranks a and not b); no byte borrows from its neighbour, so one
    big-integer subtraction compares every ranking at once and `bit_count` counts them.
    Weights are split into binary digits, each ranking counted once per set bit.
    """
    rankings = [r for r, _ in items]  # sorted by length
    weights = [w for _, w in items]
    max_weight = max(weights)
    for bit in range(max_weight.bit_length()):
        plane = rankings
        if max_weight > 1:
            plane = list(compress(rankings, [w >> bit & 1 for w in weights]))
        if not plane:
            continue
        parts: list[list[bytes]] = [[] for _ in range(n)]
        for depth, same_length in groupby(plane, len):
            table = b"".join(map(bytes, same_length))
            for a, part in enumerate(_positions(table, depth, n)):
                parts[a].append(part)
        m = len(plane)
        high = int.from_bytes(b"\x80" * m, "little")
        ones = int.from_bytes(b"\x01" * m, "little")
        base = [int.from_bytes(b"".join(p), "little") for p in parts]
        guarded = [p | high for p in base]
        plus_one = [p + ones for p in base]
        scale = 1 << bit
        for a in range(n):
            row = d[a]
            qa = plus_one[a]
            for b in range(n):
                if a != b:
                    row[b] += scale * ((guarded[b] - qa) & high).bit_count()


def _positions(table: bytes, depth: int, n: int) -> list[bytes]:
    """Each candidate's position in every ranking of `table` (rankings of one length, joined).

    Byte k of the result for candidate a is a's position in ranking k, or n if unranked.
    """
    count = len(table) // depth
    columns = [table[i::depth] for i in range(depth)]  # columns[i][k]: rank i of ranking k
    to_position = bytes([n]) + bytes(range(255))  # 1 + position -> position; 0 -> unranked
    result = []
    for a in range(n):
        found = 0  # byte k: 1 + a's position in ranking k, or 0 when a is unranked there
        for i, column in enumerate(columns):
            marks = bytearray(256)
            marks[a] = i + 1
            found |= int.from_bytes(column.translate(marks), "little")
        result.append(found.to_bytes(count, "little").translate(to_position))
    return result


def strongest_paths(d: list[list[int]]) -> list[list[int]]:
    """Schulze's strongest path strengths (winning votes; 0 where no path), Floyd-Warshall."""
    n = len(d)
    p = [[d[a][b] if d[a][b] > d[b][a] else 0 for b in range(n)] for a in range(n)]
    for i in range(n):
        row_i = p[i]
        for j in range(n):
            if j == i or not p[j][i]:
                continue
            row_j = p[j]
            via = row_j[i]
            for k in range(n):
                if k != i and k != j:
                    strength = via if via < row_i[k] else row_i[k]
                    if strength > row_j[k]:
                        row_j[k] = strength
    for a in range(n):
        p[a][a] = 0
    return p


def ranked_pairs_locks(
    d: list[list[int]], pair_order: Callable[[list[int]], list[int]]
) -> list[tuple]:
    """The defeats ranked pairs locks in, in order, as (winner, loser, votes, against).

    Defeats are taken by winning votes, then by fewer votes against. Defeats still equal are
    locked together when every one of them can be; only if one would close a cycle does
    their order matter, and then `pair_order(candidates)` ranks the candidates in them: the
    defeat whose winner ranks higher first, then the one whose loser ranks lower.
    """
    n = len(d)
    defeats = [(a, b) for a in range(n) for b in range(n) if d[a][b] > d[b][a]]

    def strength(pair: tuple[int, int]) -> tuple[int, int]:
        a, b = pair
        return (-d[a][b], d[b][a])

    defeats.sort(key=strength)
    reach: list[set[int]] = [{c} for c in range(n)]  # reach[x]: x and everyone x locks above
    locks = []
    for _, level in groupby(defeats, key=strength):
        group = list(level)
        if len(group) > 1 and not _all_lockable(group, reach):
            involved = sorted({c for pair in group for c in pair})
            place = {c: i for i, c in enumerate(pair_order(involved))}
            group.sort(key=lambda pair: (place[pair[0]], -place[pair[1]]))
        for a, b in group:
            if _lock(a, b, reach):
                locks.append((a, b, d[a][b], d[b][a]))
    return locks


def _lock(a: int, b: int, reach: list[set[int]]) -> bool:
    """Lock a over b unless b already reaches a (a cycle); say whether it was locked."""
    if a in reach[b]:
        return False
    for x in range(len(reach)):
        if a in reach[x]:
            reach[x] |= reach[b]
    return True


def _all_lockable(group: list[tuple[int, int]], reach: list[set[int]]) -> bool:
    trial = [set(r) for r in reach]
    return all(_lock(a, b, trial) for a, b in group)


@register("schulze")
def schulze(profile: Profile, options: CountOptions) -> TallyResult:
    """Count `profile` by the Schulze method (winning votes)."""
    seats, names, groups, breaker = _setup(profile, options)
    d = pairwise_counts(groups, len(names))
    p = strongest_paths(d)
    order = _order(
        names, lambda a, b: p[a][b] > p[b][a], seats, breaker, profile.withdrawn, bool(groups)
    )
    extra = {"pairwise": _matrix(names, d, profile), "strongest_paths": _matrix(names, p, profile)}
    return _result("schulze", profile, options, seats, groups, breaker, order, extra, RULES_SCHULZE)


@register("ranked-pairs")
def ranked_pairs(profile: Profile, options: CountOptions) -> TallyResult:
    """Count `profile` by ranked pairs (Tideman; winning votes, then margins)."""
    seats, names, groups, breaker = _setup(profile, options)
    d = pairwise_counts(groups, len(names))

    def pair_order(involved: list[int]) -> list[int]:
        return _by_lot(involved, breaker)

    locks = ranked_pairs_locks(_without(d, profile.withdrawn), pair_order)
    beaten = {(a, b) for a, b, _, _ in locks}
    order = _order(
        names, lambda a, b: (a, b) in beaten, seats, breaker, profile.withdrawn, bool(groups)
    )
    extra = {
        "pairwise": _matrix(names, d, profile),
        "locked": [
            {"winner": names[a], "loser": names[b], "votes": v, "against": w}
            for a, b, v, w in locks
        ],
    }
    return _result(
        "ranked-pairs", profile, options, seats, groups, breaker, order, extra, RULES_RANKED_PAIRS
    )


RULES_SCHULZE = (
    "Schulze: pairwise counts, a ranked candidate above every unranked one; a defeat's strength "
    "is its winning votes; a beats b when the strongest path from a to b is stronger than the "
    "strongest path from b to a; the winner is beaten by no one."
)
RULES_RANKED_PAIRS = (
    "Ranked pairs: pairwise counts, a ranked candidate above every unranked one; defeats are "
    "locked in strongest first (winning votes, then fewer votes against) unless they close a "
    "cycle; defeats of equal strength that cannot all be locked are taken in an order drawn "
    "from the tie rule; the winner is the candidate no locked defeat points to."
)
_MULTI_SEAT = "With several seats the method's order is cut at the seat count (not proportional)."


def _setup(profile: Profile, options: CountOptions):
    seats = options.seats_for(profile)
    if not 1 <= seats <= len(profile.candidates) - len(profile.withdrawn):
        raise ValueError(f"cannot fill {seats} seats from {len(profile.candidates)} candidates")
    groups = grouped_rankings(profile, options.rules)
    groups.pop((), None)  # ballots with no usable mark (counted as invalid in `_result`)
    breaker = TieBreaker(profile.candidates, options.tie_break, options.seed, profile.tie_order)
    return seats, profile.candidates, groups, breaker


def _order(names, beats, seats, breaker, withdrawn, counted: bool) -> list[int]:
    """The first `seats` of the method's order: each time, the unbeaten among those left.

    With no valid ballot (`counted` false) no one wins, as in instant-runoff.
    """
    left = [c for c in range(len(names)) if c not in withdrawn] if counted else []
    order: list[int] = []
    while left and len(order) < seats:
        unbeaten = [a for a in left if not any(beats(b, a) for b in left if b != a)]
        top = unbeaten or left  # a cycle cannot occur in either method; defensive
        chosen = (
            top[0]
            if len(top) == 1
            else breaker.break_tie(top, [], purpose="elect", round_number=len(order) + 1)
        )
        order.append(chosen)
        left.remove(chosen)
    return order


def _by_lot(candidates: list[int], breaker: TieBreaker) -> list[int]:
    """A full order of `candidates` drawn from the tie chain, one pick at a time."""
    left = list(candidates)
    order = []
    while len(left) > 1:
        chosen = breaker.break_tie(left, [], purpose="elect", round_number=len(order) + 1)
        order.append(chosen)
        left.remove(chosen)
    return order + left


def _without(d: list[list[int]], withdrawn: frozenset[int]) -> list[list[int]]:
    return [
        [0 if a in withdrawn or b in withdrawn else v for b, v in enumerate(row)]
        for a, row in enumerate(d)
    ]


def _matrix(names, m: list[list[int]], profile: Profile) -> dict[str, dict[str, int]]:
    alive = [c for c in range(len(names)) if c not in profile.withdrawn]
    return {names[a]: {names[b]: m[a][b] for b in alive if b != a} for a in alive}


def _result(method, profile, options, seats, groups, breaker, order, extra, rules) -> TallyResult:
    names = profile.candidates
    first = {names[c]: Fraction(0) for c in range(len(names)) if c not in profile.withdrawn}
    for ranking, weight in groups.items():
        first[names[ranking[0]]] += weight
    invalid = sum(b.weight for b in profile.ballots) - sum(groups.values())
    winners = tuple(names[c] for c in order)
    round_ = Round(
        number=1,
        tallies=first,
        exhausted=Fraction(0),
        elected=winners,
        note="first choices shown; the decision is pairwise (see the pairwise matrix)",
    )
    text = [rules, options.rules.describe(), breaker.rules_text()]
    if seats > 1:
        text.insert(1, _MULTI_SEAT)
    return TallyResult(
        method=method,
        seats=seats,
        candidates=names,
        winners=winners,
        rounds=(round_,),
        tie_breaks=tuple(breaker.records),
        valid_ballots=sum(groups.values()),
        invalid_ballots=invalid,
        rules="\n".join(text),
        seed=options.seed if options.tie_break == "lot" else None,
        extra=extra,
    )
