"""RCTab's multi-winner STV (fractional transfer), round by round as RCTab publishes it.

`stv` counts by this rule when the count's round rules are RCTab's (`--rules rctab`):

* The threshold is fixed from round 1's continuing ballots: Droop floor(V/(S+1))+1, or with
  `quota="droop-fractional"` V/(S+1) truncated to `decimals` places plus one unit of the last
  place, or with `quota="hare"` V/S rounded up.
* Each round, every candidate at or over the threshold is elected together (or, with
  `one_winner_per_round`, the one with most votes, a tie broken by the chain in ties.py). If
  nobody is, and the continuing candidates are no more than the seats left, they are all
  elected; otherwise the lowest is eliminated and their ballots move at their current value.
* A winner's surplus moves in the next round by the weighted inclusive Gregory method: the
  surplus fraction (votes - threshold) / votes, truncated to `decimals` places, times each
  ballot's value, truncated again, goes to the ballot's next continuing choice; the winner is
  shown at the threshold from then on, and what truncation loses is the residual surplus.
* When every seat is filled, one last round shows the final surplus moved.

Exhausted ballots (including a final surplus with no continuing choice left) and the
residual surplus are reported apart, so every round adds up to the ballots cast.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from math import ceil, floor

from bot.domain.tally.ballots import grouped_rankings
from bot.domain.tally.irv import EXHAUSTED
from bot.domain.tally.methods import CountOptions
from bot.domain.tally.profile import Profile, Round, TallyResult
from bot.domain.tally.ties import TieBreaker

RESIDUAL = "(residual surplus)"

RULES_TEXT = (
    "RCTab multi-winner STV: threshold fixed from round 1; every candidate at or over it is "
    "elected; a winner's surplus moves in the next round, each ballot at its value times the "
    "surplus fraction (both truncated to {decimals} decimal places), the winner kept at the "
    "threshold; with nobody elected the lowest is eliminated and their ballots move at their "
    "value; a last round shows the final surplus."
)


@dataclass
class _Parcel:
    """Ballots of one clean ranking, at one value, counting for `ranking[at]`."""

    group: int
    at: int
    value: Fraction


@dataclass
class _Count:
    names: tuple[str, ...]
    rankings: list[tuple[int, ...]]
    weights: list[int]
    unit: Fraction
    hopeful: list[bool]
    piles: list[list[_Parcel]]
    elected: list[int] = field(default_factory=list)
    kept: dict[int, Fraction] = field(default_factory=dict)  # a winner's tally from then on
    exhausted: Fraction = Fraction(0)
    residual: Fraction = Fraction(0)

    def trunc(self, value: Fraction) -> Fraction:
        return Fraction(floor(value / self.unit)) * self.unit

    def votes(self, c: int) -> Fraction:
        weights = self.weights
        return sum((p.value * weights[p.group] for p in self.piles[c]), Fraction(0))

    def move(self, parcel: _Parcel, moved: dict[str, Fraction], *, final: bool = False) -> None:
        """Put `parcel` on its next continuing choice, or exhaust it (`final`: the seats are
        filled, so a surplus goes nowhere: RCTab's final-round surplus)."""
        ranking = self.rankings[parcel.group]
        at = parcel.at + 1
        while at < len(ranking) and not self.hopeful[ranking[at]]:
            at += 1
        amount = parcel.value * self.weights[parcel.group]
        if at == len(ranking) or final:
            self.exhausted += amount
            moved[EXHAUSTED] = moved.get(EXHAUSTED, Fraction(0)) + amount
            return
        parcel.at = at
        self.piles[ranking[at]].append(parcel)
        name = self.names[ranking[at]]
        moved[name] = moved.get(name, Fraction(0)) + amount


def rctab_stv(profile: Profile, options: CountOptions) -> TallyResult:
    """Count `profile` by RCTab's multi-winner fractional-transfer STV (see the module)."""
    if not options.rules.static:
        raise ValueError("RCTab STV reads overvotes one way for the whole count (skip or exhaust)")
    seats = options.seats_for(profile)
    structure = options.rounds
    names = profile.candidates
    groups = grouped_rankings(profile, options.rules)
    rankings = [r for r in groups if r]
    weights = [groups[r] for r in rankings]
    valid = sum(weights)
    count = _Count(
        names=names,
        rankings=rankings,
        weights=weights,
        unit=Fraction(1, 10**structure.decimals),
        hopeful=[c not in profile.withdrawn for c in range(len(names))],
        piles=[[] for _ in names],
    )
    for g, ranking in enumerate(rankings):
        count.piles[ranking[0]].append(_Parcel(g, 0, Fraction(1)))
    threshold = _threshold(Fraction(valid), seats, structure.quota, count)
    breaker = TieBreaker(names, options.tie_break, options.seed, profile.tie_order)
    rounds: list[Round] = []
    history: list[dict[int, Fraction]] = []
    surplus: list[int] = []  # elected last round: their surplus moves now
    while valid:
        number = len(rounds) + 1
        final = len(count.elected) >= seats
        surplus_moved = _transfer_surpluses(count, surplus, threshold, final=final)
        if surplus_moved:  # a round shows the transfer it makes: last round's winners' surplus
            rounds[-1] = replace(
                rounds[-1], transfers={k: v for k, v in surplus_moved.items() if v}
            )
        shown = [c for c in range(len(names)) if count.hopeful[c] or c in count.elected]
        tallies = {c: count.kept.get(c) or count.votes(c) for c in shown}
        exhausted = count.exhausted  # as the round is tallied, before its elimination
        if final:  # the final surplus round
            rounds.append(_round(number, count, tallies, exhausted, threshold, {}, (), ()))
            break
        history.append(tallies)
        hopeful = [c for c in shown if count.hopeful[c]]
        newly = _newly_elected(hopeful, tallies, threshold, seats - len(count.elected))
        if newly and structure.one_winner_per_round and len(newly) > 1:
            top = max(tallies[c] for c in newly)
            tied = [c for c in newly if tallies[c] == top]
            newly = [tied[0] if len(tied) == 1 else breaker.break_tie(
                tied, history, purpose="elect", round_number=number
            )]  # fmt: skip
        out: list[int] = []
        moved: dict[str, Fraction] = {}
        if newly:
            for c in newly:  # shown at the threshold, or below it if elected with fewer
                count.hopeful[c] = False
                count.elected.append(c)
                count.kept[c] = min(tallies[c], threshold)
            surplus = [c for c in newly if tallies[c] > threshold]
        else:
            surplus = []
            fewest = min(tallies[c] for c in hopeful)
            tied = [c for c in hopeful if tallies[c] == fewest]
            loser = tied[0] if len(tied) == 1 else breaker.break_tie(
                tied, history[:-1], purpose="exclude", round_number=number
            )  # fmt: skip
            out = [loser]
            count.hopeful[loser] = False
            parcels, count.piles[loser] = count.piles[loser], []
            for parcel in parcels:
                count.move(parcel, moved)
        rounds.append(
            _round(number, count, tallies, exhausted, threshold, moved, tuple(newly), tuple(out))
        )
    return TallyResult(
        method="stv",
        seats=seats,
        candidates=names,
        winners=tuple(names[c] for c in count.elected),
        rounds=tuple(rounds),
        tie_breaks=tuple(breaker.records),
        valid_ballots=valid,
        invalid_ballots=sum(groups.values()) - valid,
        rules="\n".join(
            (
                RULES_TEXT.format(decimals=structure.decimals),
                structure.describe(),
                options.rules.describe(),
                breaker.rules_text(),
            )
        ),
        seed=options.seed if options.tie_break == "lot" else None,
        extra={
            "stv_rule": "rctab",
            "quota": threshold,
            "decimals": structure.decimals,
            "residual_surplus": count.residual,
        },
    )


def _threshold(votes: Fraction, seats: int, quota: str, count: _Count) -> Fraction:
    if quota == "hare":
        return Fraction(ceil(votes / seats))
    if quota == "droop-fractional":
        return count.trunc(votes / (seats + 1)) + count.unit
    return Fraction(floor(votes / (seats + 1)) + 1)


def _newly_elected(hopeful, tallies, threshold, seats_left: int) -> list[int]:
    """Everyone at or over the threshold, most votes first; or, when the continuing
    candidates are no more than the seats left, all of them."""
    by_votes = sorted(hopeful, key=lambda c: -tallies[c])
    if len(hopeful) <= seats_left:
        return by_votes
    return [c for c in by_votes if tallies[c] >= threshold][:seats_left]


def _transfer_surpluses(
    count: _Count, winners: list[int], threshold: Fraction, *, final: bool
) -> dict[str, Fraction]:
    """Move last round's winners' surpluses (simultaneously); what moved where."""
    moved: dict[str, Fraction] = {}
    for c in winners:
        votes = count.votes(c)
        fraction = count.trunc((votes - threshold) / votes)
        parcels, count.piles[c] = count.piles[c], []
        sent = Fraction(0)
        for parcel in parcels:
            value = count.trunc(parcel.value * fraction)
            if value:
                before = dict(moved)
                count.move(_Parcel(parcel.group, parcel.at, value), moved, final=final)
                sent += sum(moved.values()) - sum(before.values())
        count.residual += votes - threshold - sent
        moved[RESIDUAL] = moved.get(RESIDUAL, Fraction(0)) + votes - threshold - sent
    return moved


def _round(number, count: _Count, tallies, exhausted, threshold, moved, elected, out) -> Round:
    names = count.names
    return Round(
        number=number,
        tallies={names[c]: v for c, v in tallies.items()},
        exhausted=exhausted,
        threshold=threshold,
        elected=tuple(names[c] for c in elected),
        eliminated=tuple(names[c] for c in out),
        transfers={k: v for k, v in moved.items() if v},
    )
