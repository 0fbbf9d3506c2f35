"""Instant-runoff voting (single winner).

Rules, printed with every result:

* Each round every ballot counts for its highest-ranked continuing candidate.
* A candidate with more than half of the continuing (non-exhausted) ballots wins. The round's
  threshold is the least whole number of votes that is more than half of them.
* Otherwise the candidate with the fewest votes is excluded and each of its ballots moves to
  its next continuing choice; a ballot with none left is exhausted. Exhausted ballots are
  reported each round.
* When one candidate is left, it wins. With no valid ballot at all, nobody wins.
* Ballots with no usable first choice (blank, or an overvote at the first marked rank) are
  invalid and counted apart.

Ballot validity and ties follow `ballots.RULES_TEXT` and `ties.RULES_TEXT`.

Cost is linear in ballots: identical rankings are counted once as a group, and an exclusion
moves only the excluded candidate's groups.
"""

from __future__ import annotations

from fractions import Fraction

from bot.domain.tally.ballots import grouped_rankings
from bot.domain.tally.methods import CountOptions, register
from bot.domain.tally.profile import Profile, Round, TallyResult
from bot.domain.tally.ties import TieBreaker

EXHAUSTED = "(exhausted)"

RULES_TEXT = (
    "Instant-runoff: each round every ballot counts for its highest-ranked continuing "
    "candidate; a candidate with more than half of the continuing ballots wins; otherwise the "
    "candidate with the fewest votes is excluded and its ballots move to their next "
    "continuing choice or are exhausted. The last candidate left wins."
)


@register("irv")
def instant_runoff(profile: Profile, options: CountOptions) -> TallyResult:
    """Count `profile` by instant-runoff under `options` (rules, tie-break, seed)."""
    if (seats := options.seats_for(profile)) != 1:
        raise ValueError(
            f"instant-runoff fills exactly one seat, not {seats}: use --seats 1, or an STV "
            "method for more"
        )
    names = profile.candidates
    static = options.rules.static
    groups = grouped_rankings(profile, options.rules, keep_overvotes=not static)
    rankings = list(groups)
    weights = list(groups.values())
    position = [0] * len(rankings)
    continuing = [c not in profile.withdrawn for c in range(len(names))]
    piles: list[list[int]] = [[] for _ in names]
    votes = [0] * len(names)
    valid = invalid = 0
    for group, ranking in enumerate(rankings):
        first = ranking[0] if static and ranking else None
        if not static:
            position[group], first = _next_choice(ranking, 0, continuing)
        if first is not None:
            piles[first].append(group)
            votes[first] += weights[group]
            valid += weights[group]
        else:
            invalid += weights[group]

    breaker = TieBreaker(names, options.tie_break, options.seed, profile.tie_order)
    history: list[dict[int, int]] = []
    rounds: list[Round] = []
    exhausted = 0
    winner: int | None = None
    while winner is None:
        alive = [c for c in range(len(names)) if continuing[c]]
        if not alive or not valid:
            if alive:  # nothing to count: one round of zeros, no winner
                zeros = {names[c]: Fraction(0) for c in alive}
                rounds.append(Round(1, zeros, Fraction(0), note="no valid ballots: no winner"))
            break
        number = len(rounds) + 1
        active = valid - exhausted
        tallies = {c: votes[c] for c in alive}
        leader = max(alive, key=votes.__getitem__)
        threshold = Fraction(active // 2 + 1)
        if 2 * votes[leader] > active or len(alive) == 1:
            winner = leader
            rounds.append(_round(number, names, tallies, exhausted, threshold, elected=leader))
            break
        fewest = min(tallies.values())
        tied = [c for c in alive if votes[c] == fewest]
        loser = (
            tied[0]
            if len(tied) == 1
            else breaker.break_tie(tied, history, purpose="exclude", round_number=number)
        )
        continuing[loser] = False
        exhausted_at_count = exhausted
        moved: dict[str, Fraction] = {}
        for group in piles[loser]:
            ranking, weight = rankings[group], weights[group]
            at = position[group] + 1
            if static:
                while at < len(ranking) and not continuing[ranking[at]]:
                    at += 1
                to = ranking[at] if at < len(ranking) else None
            else:
                at, to = _next_choice(ranking, at, continuing)
            if to is not None:
                position[group] = at
                piles[to].append(group)
                votes[to] += weight
                key = names[to]
            else:
                exhausted += weight
                key = EXHAUSTED
            moved[key] = moved.get(key, 0) + weight
        piles[loser] = []
        votes[loser] = 0
        rounds.append(
            Round(
                number=number,
                tallies={names[c]: Fraction(v) for c, v in tallies.items()},
                exhausted=Fraction(exhausted_at_count),
                threshold=threshold,
                eliminated=(names[loser],),
                transfers={key: Fraction(v) for key, v in moved.items()},
            )
        )
        history.append(tallies)

    return TallyResult(
        method="irv",
        seats=1,
        candidates=names,
        winners=() if winner is None else (names[winner],),
        rounds=tuple(rounds),
        tie_breaks=tuple(breaker.records),
        valid_ballots=valid,
        invalid_ballots=invalid,
        rules="\n".join((RULES_TEXT, options.rules.describe(), breaker.rules_text())),
        seed=options.seed if options.tie_break == "lot" else None,
    )


def _next_choice(ranking, at: int, continuing: list[bool]) -> tuple[int, int | None]:
    """From position `at`, where the ballot counts next under RCTab's count-dependent
    overvote rule: (position, candidate), or (position, None) once it is exhausted."""
    while at < len(ranking):
        item = ranking[at]
        if isinstance(item, int):
            if continuing[item]:
                return at, item
        else:
            live = [c for c in item if continuing[c]]
            if len(live) > 1:
                return at, None
            if live:
                return at, live[0]
        at += 1
    return at, None


def _round(number, names, tallies, exhausted, threshold, elected=None) -> Round:
    return Round(
        number=number,
        tallies={names[c]: Fraction(v) for c, v in tallies.items()},
        exhausted=Fraction(exhausted),
        threshold=threshold,
        elected=() if elected is None else (names[elected],),
    )
