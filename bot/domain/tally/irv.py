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

from dataclasses import dataclass, field
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
    piles = _Piles.first_choices(profile, options)
    breaker = TieBreaker(names, options.tie_break, options.seed, profile.tie_order)
    history: list[dict[int, int]] = []
    rounds: list[Round] = []
    winner: int | None = None
    structure = options.rounds
    frozen: Fraction | None = None  # continue-until-two: the threshold the winner reached
    while True:
        alive = [c for c in range(len(names)) if piles.continuing[c]]
        if not alive or not piles.valid:
            if alive:  # nothing to count: one round of zeros, no winner
                zeros = {names[c]: Fraction(0) for c in alive}
                rounds.append(Round(1, zeros, Fraction(0), note="no valid ballots: no winner"))
            break
        number = len(rounds) + 1
        active = piles.valid - piles.exhausted
        tallies = {c: piles.votes[c] for c in alive}
        threshold = frozen if frozen is not None else Fraction(active // 2 + 1)
        if winner is not None and len(alive) <= 2:  # continued until two remain: the last
            rounds.append(_round(number, names, tallies, piles.exhausted, threshold, ()))
            break
        if winner is None:
            winner = _winner(alive, tallies, active, structure.tie_within_round, breaker, history)
            if winner is not None:
                rounds.append(
                    _round(number, names, tallies, piles.exhausted, threshold, (), winner)
                )
                if not structure.continue_until_two or len(alive) <= 2:
                    break
                frozen = threshold
                history.append(tallies)
                continue
        out = _losers(alive, tallies, winner, structure.batch_elimination, breaker, history, number)
        exhausted = piles.exhausted
        moved: dict[str, int] = {}
        for loser in out:  # a batch goes together: no ballot moves to a batch-mate
            piles.continuing[loser] = False
        for loser in out:
            for key, amount in piles.exclude(loser).items():
                moved[key] = moved.get(key, 0) + amount
        rounds.append(_round(number, names, tallies, exhausted, threshold, moved, None, out))
        history.append(tallies)

    return TallyResult(
        method="irv",
        seats=1,
        candidates=names,
        winners=() if winner is None else (names[winner],),
        rounds=tuple(rounds),
        tie_breaks=tuple(breaker.records),
        valid_ballots=piles.valid,
        invalid_ballots=piles.invalid,
        rules="\n".join(
            text
            for text in (
                RULES_TEXT,
                options.rules.describe(),
                structure.describe(),
                breaker.rules_text(),
            )
            if text
        ),
        seed=options.seed if options.tie_break == "lot" else None,
    )


def _winner(alive, tallies, active, tie_within_round, breaker, history) -> int | None:
    """The round's winner: a majority of the continuing ballots, the last one left, or (RCTab)
    the tie-break's choice between the last two when they are level."""
    leader = max(alive, key=tallies.__getitem__)
    if 2 * tallies[leader] > active or len(alive) == 1:
        return leader
    if tie_within_round and len(alive) == 2 and tallies[alive[0]] == tallies[alive[1]]:
        number = len(history) + 1
        return breaker.break_tie(alive, [*history, tallies], purpose="elect", round_number=number)
    return None


def _losers(alive, tallies, winner, batch, breaker, history, number) -> list[int]:
    """Who is excluded this round: the lowest (a tie broken by the chain in ties.py), or
    with batch elimination every candidate of the longest run of lowest whose votes together
    are fewer than the next candidate's."""
    hopeful = sorted((c for c in alive if c != winner), key=tallies.__getitem__)
    if batch:
        run, total = 0, 0
        for i, c in enumerate(hopeful[:-1]):
            total += tallies[c]
            if total < tallies[hopeful[i + 1]]:
                run = i + 1
        if run > 1:
            return hopeful[:run]
    fewest = tallies[hopeful[0]]
    tied = [c for c in hopeful if tallies[c] == fewest]
    if len(tied) == 1:
        return tied
    return [breaker.break_tie(tied, history, purpose="exclude", round_number=number)]


@dataclass
class _Piles:
    """Each candidate's pile of ballot groups, and where in its ranking each group stands.

    A group is one distinct clean ranking with the number of ballots behind it; excluding a
    candidate moves only the groups in its pile.
    """

    names: tuple[str, ...]
    rankings: list[tuple]
    weights: list[int]
    static: bool
    continuing: list[bool]
    position: list[int] = field(default_factory=list)
    piles: list[list[int]] = field(default_factory=list)
    votes: list[int] = field(default_factory=list)
    valid: int = 0
    invalid: int = 0
    exhausted: int = 0

    @classmethod
    def first_choices(cls, profile: Profile, options: CountOptions) -> _Piles:
        """Every ballot group on its first continuing choice (or invalid if none)."""
        static = options.rules.static
        groups = grouped_rankings(profile, options.rules, keep_overvotes=not static)
        n = len(profile.candidates)
        self = cls(
            names=profile.candidates,
            rankings=list(groups),
            weights=list(groups.values()),
            static=static,
            continuing=[c not in profile.withdrawn for c in range(n)],
            position=[0] * len(groups),
            piles=[[] for _ in range(n)],
            votes=[0] * n,
        )
        position, piles, votes, weights = self.position, self.piles, self.votes, self.weights
        valid = 0
        for group, ranking in enumerate(self.rankings):
            if static:
                first = ranking[0] if ranking else None
            else:
                position[group], first = _next_choice(ranking, 0, self.continuing)
            if first is not None:
                piles[first].append(group)
                votes[first] += weights[group]
                valid += weights[group]
        self.valid = valid
        self.invalid = sum(weights) - valid
        return self

    def exclude(self, loser: int) -> dict[str, int]:
        """Exclude `loser` and move its groups on; returns ballots moved, by destination."""
        self.continuing[loser] = False
        continuing, position, piles, votes = self.continuing, self.position, self.piles, self.votes
        rankings, weights, static = self.rankings, self.weights, self.static
        moved: dict[str, int] = {}
        exhausted = 0
        for group in piles[loser]:
            ranking = rankings[group]
            at = position[group] + 1
            if static:
                end = len(ranking)
                while at < end and not continuing[ranking[at]]:
                    at += 1
                to = ranking[at] if at < end else None
            else:
                at, to = _next_choice(ranking, at, continuing)
            if to is None:
                exhausted += weights[group]
            else:
                position[group] = at
                piles[to].append(group)
                votes[to] += weights[group]
                moved[self.names[to]] = moved.get(self.names[to], 0) + weights[group]
        if exhausted:
            moved[EXHAUSTED] = exhausted
            self.exhausted += exhausted
        self.piles[loser] = []
        self.votes[loser] = 0
        return moved


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


def _round(number, names, tallies, exhausted, threshold, moved, elected=None, excluded=()):
    return Round(
        number=number,
        tallies={names[c]: Fraction(v) for c, v in tallies.items()},
        exhausted=Fraction(exhausted),
        threshold=threshold,
        elected=() if elected is None else (names[elected],),
        eliminated=tuple(names[c] for c in excluded),
        transfers={key: Fraction(v) for key, v in dict(moved).items()},
    )
