"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42, rules 45-52).

Rules, printed with every result:

* Quota (Droop): floor(valid ballots / (seats + 1)) + 1 votes; a candidate whose votes
  reach it is elected (several at one stage: most votes first).
* Surpluses are transferred one at a time, largest first, by the weighted inclusive Gregory
  method: every ballot paper the elected candidate holds moves to its next continuing
  choice at the transfer value surplus x (value of the paper when received) / the
  candidate's votes, calculated to five decimal places, any remainder ignored. The elected
  candidate keeps the quota; the remainders lost to truncation are reported each stage.
* When no surplus is pending, the candidate with the fewest votes is excluded and its papers
  move to their next continuing choice at their current value.
* Papers with no continuing choice left are non-transferable (exhausted).
* When the continuing candidates are no more than the seats left, they are elected and no
  further transfer is made. With no valid ballot at all, no one is elected.

A "stage" is a round: round 1 shows first preferences; each later round shows the tallies
after the previous round's transfer, who reached the quota, and the transfer it makes.

Arithmetic is exact on integers scaled by 10^5 (the Order's five decimal places), so the
count is reproducible to the last digit. Ties for exclusion and for the order of surplus
transfer follow `ties.py`: the most recent earlier stage where the candidates differed
(the Order's rules 49 and 51), then the lot.

An elected "No endorsement" (if the ballot lists it) takes a seat that stays unendorsed;
`endorse_elected` applies the chapter's threshold to every other elected candidate.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from bot.domain.tally.ballots import BallotRules, grouped_rankings
from bot.domain.tally.endorsement import check_endorsement
from bot.domain.tally.irv import EXHAUSTED
from bot.domain.tally.methods import CountOptions, register
from bot.domain.tally.profile import Profile, Round, TallyResult
from bot.domain.tally.ties import TieBreaker

SCALE = 100_000  # five decimal places (rule 48(3))

RULES_TEXT = (
    "Scottish STV (SSI 2007/42 rules 45-52): quota floor(valid/(seats+1))+1; a candidate "
    "reaching the quota is elected; surpluses transferred one at a time, largest first, every "
    "paper at transfer value surplus x value / votes, to 5 decimal places, remainder ignored; "
    "with no surplus pending the candidate with the fewest votes is excluded and its papers "
    "move at their current value; when continuing candidates are no more than the seats "
    "left, they are elected."
)


@dataclasses.dataclass(slots=True)
class _Count:
    """The state of a count between stages; votes are integers scaled by `SCALE`."""

    names: tuple[str, ...]
    rankings: list[tuple[int, ...]]
    weights: list[int]
    quota: int
    seats: int
    breaker: TieBreaker
    votes: list[int]
    piles: list[list[tuple[int, int, int]]]  # per candidate: (group, position, value)
    hopeful: list[bool]
    elected: list[int] = dataclasses.field(default_factory=list)
    pending: list[int] = dataclasses.field(default_factory=list)
    exhausted: int = 0
    history: list[dict[int, Fraction]] = dataclasses.field(default_factory=list)
    rounds: list[Round] = dataclasses.field(default_factory=list)

    def seats_left(self) -> int:
        return self.seats - len(self.elected)

    def continuing(self) -> list[int]:
        return [c for c, h in enumerate(self.hopeful) if h]

    def complete(self) -> bool:
        return self.seats_left() <= 0 or len(self.continuing()) <= self.seats_left()


@register("stv")
def scottish_stv(profile: Profile, options: CountOptions) -> TallyResult:
    """Count `profile` by Scottish STV (or by Meek STV when `options.extra["stv_rule"]` is
    "meek", see `meek.py`; by RCTab's fractional-transfer STV under RCTab's round rules, see
    `rctab_stv.py`)."""
    if options.extra.get("stv_rule", "scottish") == "meek":
        from bot.domain.tally.meek import meek_stv

        return meek_stv(profile, options)
    if options.rounds.name == "rctab":
        from bot.domain.tally.rctab_stv import rctab_stv

        return rctab_stv(profile, options)
    if options.extra.get("stv_rule", "scottish") != "scottish":
        raise ValueError(f"unknown STV rule {options.extra['stv_rule']!r} (scottish, meek)")
    count, valid, invalid = _start(profile, options)
    number = 1
    if not valid:  # nothing to count: as instant-runoff, nobody is elected
        _set_last(count, note="no valid ballots: no one elected")
    else:
        _elect_with_quota(count, number)
        while not count.complete():
            _close_round(count, number)
            number += 1
            _record_start(count, number)
            _elect_with_quota(count, number)
        _finish(count, number)
    return TallyResult(
        method="stv",
        seats=count.seats,
        candidates=count.names,
        winners=tuple(count.names[c] for c in count.elected),
        rounds=tuple(count.rounds),
        tie_breaks=tuple(count.breaker.records),
        valid_ballots=valid,
        invalid_ballots=invalid,
        rules="\n".join((RULES_TEXT, options.rules.describe(), count.breaker.rules_text())),
        seed=options.seed if options.tie_break == "lot" else None,
        extra={"stv_rule": "scottish", "quota": Fraction(count.quota, SCALE), "decimals": 5},
    )


def _start(profile: Profile, options: CountOptions) -> tuple[_Count, int, int]:
    seats = options.seats_for(profile)
    names = profile.candidates
    if seats < 1:
        raise ValueError("STV needs at least one seat")
    groups = grouped_rankings(profile, options.rules)
    rankings = [r for r in groups if r]
    weights = [groups[r] for r in rankings]
    valid = sum(weights)
    invalid = sum(groups.values()) - valid
    votes = [0] * len(names)
    piles: list[list[tuple[int, int, int]]] = [[] for _ in names]
    for g, ranking in enumerate(rankings):
        piles[ranking[0]].append((g, 0, SCALE))
        votes[ranking[0]] += weights[g] * SCALE
    count = _Count(
        names=names,
        rankings=rankings,
        weights=weights,
        quota=(valid // (seats + 1) + 1) * SCALE,
        seats=seats,
        breaker=TieBreaker(names, options.tie_break, options.seed, profile.tie_order),
        votes=votes,
        piles=piles,
        hopeful=[c not in profile.withdrawn for c in range(len(names))],
    )
    _record_start(count, 1)
    return count, valid, invalid


def _record_start(count: _Count, number: int) -> None:
    """Open round `number` with the current tallies (hopeful and elected candidates)."""
    shown = sorted([*count.continuing(), *count.elected])
    tallies = {c: Fraction(count.votes[c], SCALE) for c in shown}
    count.history.append(tallies)
    count.rounds.append(
        Round(
            number=number,
            tallies={count.names[c]: v for c, v in tallies.items()},
            exhausted=Fraction(count.exhausted, SCALE),
            threshold=Fraction(count.quota, SCALE),
        )
    )


def _elect_with_quota(count: _Count, number: int) -> None:
    """Elect every hopeful candidate at or over the quota, most votes first (rule 47)."""
    reached = [c for c in count.continuing() if count.votes[c] >= count.quota]
    while reached:
        top = max(count.votes[c] for c in reached)
        tied = [c for c in reached if count.votes[c] == top]
        chosen = _break(count, tied, "elect", number)
        reached.remove(chosen)
        _elect(count, chosen, number)
        if count.votes[chosen] > count.quota:
            count.pending.append(chosen)


def _elect(count: _Count, candidate: int, number: int, note: str = "") -> None:
    count.hopeful[candidate] = False
    count.elected.append(candidate)
    last = count.rounds[-1]
    count.rounds[-1] = dataclasses.replace(
        last,
        elected=(*last.elected, count.names[candidate]),
        note="; ".join(x for x in (last.note, note) if x),
    )


def _break(count: _Count, tied: list[int], purpose: str, number: int) -> int:
    if len(tied) == 1:
        return tied[0]
    return count.breaker.break_tie(tied, count.history, purpose=purpose, round_number=number)


def _close_round(count: _Count, number: int) -> None:
    """Make round `number`'s transfer: the largest surplus (rules 48-49), else an exclusion
    (rules 50-51)."""
    if count.pending:
        top = max(count.votes[c] for c in count.pending)
        chosen = _break(count, [c for c in count.pending if count.votes[c] == top], "elect", number)
        count.pending.remove(chosen)
        surplus, total = count.votes[chosen] - count.quota, count.votes[chosen]
        moved, arrived = _transfer(count, chosen, lambda value: surplus * value // total)
        count.votes[chosen] = count.quota
        lost = surplus - arrived
        note = (
            f"surplus of {count.names[chosen]} ({_show(surplus)}) transferred; "
            f"{_show(lost)} lost to rounding"
        )
        _set_last(count, transfers=moved, note=note)
    else:
        continuing = count.continuing()
        fewest = min(count.votes[c] for c in continuing)
        tied = [c for c in continuing if count.votes[c] == fewest]
        chosen = _break(count, tied, "exclude", number)
        count.hopeful[chosen] = False
        moved, _ = _transfer(count, chosen, lambda value: value)
        count.votes[chosen] = 0
        _set_last(count, transfers=moved, eliminated=(count.names[chosen],))


def _transfer(count: _Count, source: int, value_of) -> tuple[dict[str, Fraction], int]:
    """Move every paper of `source` to its next continuing choice at `value_of(value)`.

    Returns what each candidate (and the exhausted pile) received, and the total arrived.
    """
    rankings, weights, hopeful = count.rankings, count.weights, count.hopeful
    piles, votes = count.piles, count.votes
    received = [0] * len(count.names)
    exhausted = 0
    for group, position, value in piles[source]:
        weight = weights[group]
        new_value = value_of(value)
        if not new_value:
            continue  # a paper worth nothing changes no tally
        ranking = rankings[group]
        at = position + 1
        while at < len(ranking) and not hopeful[ranking[at]]:
            at += 1
        if at < len(ranking):
            to = ranking[at]
            piles[to].append((group, at, new_value))
            received[to] += weight * new_value
        else:
            exhausted += weight * new_value
    piles[source] = []
    moved: dict[str, Fraction] = {}
    for c, amount in enumerate(received):
        if amount:
            votes[c] += amount
            moved[count.names[c]] = Fraction(amount, SCALE)
    if exhausted:
        moved[EXHAUSTED] = Fraction(exhausted, SCALE)
    count.exhausted += exhausted
    return moved, sum(received) + exhausted


def _set_last(count: _Count, **changes) -> None:
    last = count.rounds[-1]
    if "note" in changes and last.note:
        changes["note"] = f"{last.note}; {changes['note']}"
    count.rounds[-1] = dataclasses.replace(last, **changes)


def _finish(count: _Count, number: int) -> None:
    """Elect the continuing candidates if they are no more than the seats left (rule 52)."""
    left = count.continuing()
    if count.seats_left() > 0 and len(left) <= count.seats_left():
        left.sort(key=lambda c: -count.votes[c])
        while left:
            top = count.votes[left[0]]
            chosen = _break(count, [c for c in left if count.votes[c] == top], "elect", number)
            left.remove(chosen)
            _elect(
                count,
                chosen,
                number,
                note=f"{count.names[chosen]} elected as a remaining candidate",
            )


def _show(scaled: int) -> str:
    return f"{scaled // SCALE}.{scaled % SCALE:05d}"


def endorse_elected(
    profile: Profile,
    result: TallyResult,
    no_endorsement: str,
    threshold: Fraction,
    rules: BallotRules,
) -> TallyResult:
    """Apply the endorsement threshold to every elected candidate of a multi-seat count.

    An elected "No endorsement" fills its seat and leaves it unendorsed; every other elected
    candidate is endorsed only if it clears `threshold` head to head against "No
    endorsement" (`endorsement.check_endorsement`). The verdicts go to
    `extra["endorsements"]`, the names endorsed to `extra["endorsed"]` and the seats left
    unendorsed to `extra["unendorsed_seats"]`.
    """
    verdicts = [
        check_endorsement(profile, winner, no_endorsement, threshold, rules)
        for winner in result.winners
    ]
    endorsed = [v.candidate for v in verdicts if v.met]
    extra = dict(result.extra)
    extra["endorsements"] = [
        {
            "candidate": v.candidate,
            "met": v.met,
            "above": v.above,
            "considered": v.considered,
            "reason": v.reason,
        }
        for v in verdicts
    ]
    extra["endorsed"] = endorsed
    extra["unendorsed_seats"] = result.seats - len(endorsed)
    return dataclasses.replace(result, extra=extra)
