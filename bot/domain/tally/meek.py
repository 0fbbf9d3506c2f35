"""Meek STV, as the PR Foundation's Meek reference rule counts it.

Arithmetic (printed with every result): fixed-point decimals with `digits` places (default
9), held as integers scaled by 10^digits, so the count is exact and reproducible; the
iteration stops when the total surplus is below omega = 10^-`omega` (default 10^-6) or
stops falling. Other digits or omega can change a close result: the Voting Matters 12
example elects A, B, Y at 9 digits and A, B, X with exact arithmetic.

* Every hopeful candidate keeps all of a ballot's weight it receives (keep factor 1); an
  elected candidate keeps the share kf of it; a defeated one keeps nothing. Each ballot
  starts with weight 1 and gives each candidate on it, in order, weight x kf (rounded up
  to `digits` places), passing the rest on.
* Quota: the votes of hopeful and elected candidates / (seats + 1), truncated to `digits`
  places, plus 10^-digits; recomputed every iteration.
* Each iteration elects every hopeful candidate at or over the quota (most votes first);
  otherwise elected candidates' keep factors become kf x quota / votes (each step rounded
  up), until the total surplus is below omega or no longer falls.
* Then, if no one was elected, the hopeful candidate with the fewest votes is defeated.
  Candidates within the total surplus of the fewest are tied for defeat (the surplus could
  still move them), and the tie goes to `ties.py`'s chain: the most recent earlier round in
  which they differed, then the lot.
* When hopeful candidates are no more than the seats left, they are elected. With no valid
  ballot at all, no one is elected.

A round is one pass of this loop; its tallies are those of its last iteration.
"""

from __future__ import annotations

from fractions import Fraction

from bot.domain.tally.ballots import grouped_rankings
from bot.domain.tally.methods import CountOptions, register
from bot.domain.tally.profile import Profile, Round, TallyResult
from bot.domain.tally.ties import TieBreaker

DIGITS = 9
OMEGA = 6  # omega = 10**-OMEGA
MAX_ITERATIONS = 100_000  # a guard; convergence stops counts long before


def rules_text(digits: int, omega: int) -> str:
    """The Meek rule with its arithmetic, to print with a result."""
    return (
        f"Meek STV (PR Foundation reference rule): fixed point, {digits} decimal places "
        f"(products and keep factors rounded up, quota truncated plus 10^-{digits}); "
        f"iteration stops when the total surplus is below omega = 10^-{omega} or stops "
        "falling; quota = votes of hopeful and elected candidates / (seats + 1); the lowest "
        "hopeful candidate is defeated, candidates within the total surplus of it tied."
    )


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@register("meek")
def meek_stv(profile: Profile, options: CountOptions) -> TallyResult:
    """Count `profile` by Meek STV; `options.extra` may set "meek_digits" and "meek_omega"."""
    digits = int(options.extra.get("meek_digits", DIGITS))
    omega_digits = int(options.extra.get("meek_omega", OMEGA))
    if not 1 <= omega_digits <= digits:
        raise ValueError("Meek needs 1 <= omega digits <= fixed-point digits")
    one = 10**digits
    omega = 10 ** (digits - omega_digits)
    seats = options.seats_for(profile)
    if seats < 1:
        raise ValueError("STV needs at least one seat")
    names = profile.candidates
    n = len(names)
    groups = grouped_rankings(profile, options.rules)
    rankings = [r for r in groups if r]
    weights = [groups[r] for r in rankings]
    valid = sum(weights)
    breaker = TieBreaker(names, options.tie_break, options.seed, profile.tie_order)

    state = ["hopeful" if c not in profile.withdrawn else "withdrawn" for c in range(n)]
    keep = [one if s == "hopeful" else 0 for s in state]
    elected: list[int] = []
    rounds: list[Round] = []
    history: list[dict[int, Fraction]] = []

    def hopeful() -> list[int]:
        return [c for c in range(n) if state[c] == "hopeful"]

    def distribute() -> list[int]:
        votes = [0] * n
        for ranking, weight in zip(rankings, weights, strict=True):
            w = one
            for c in ranking:
                kf = keep[c]
                if kf:
                    kept = _ceil_div(w * kf, one)
                    votes[c] += kept * weight
                    w -= kept
                    if w <= 0:
                        break
        return votes

    votes = distribute()
    quota = sum(votes) // (seats + 1) + 1
    while valid and len(hopeful()) > seats - len(elected) > 0:
        number = len(rounds) + 1
        last_surplus = valid * one
        newly: list[int] = []
        iterations = 0
        while True:
            iterations += 1
            if iterations > MAX_ITERATIONS:
                raise RuntimeError("Meek iteration did not converge")
            votes = distribute()
            counted = sum(votes[c] for c in range(n) if state[c] in ("hopeful", "elected"))
            quota = counted // (seats + 1) + 1
            reached = [c for c in hopeful() if votes[c] >= quota]
            while reached:
                top = max(votes[c] for c in reached)
                tied = [c for c in reached if votes[c] == top]
                chosen = (
                    tied[0]
                    if len(tied) == 1
                    else breaker.break_tie(tied, history, purpose="elect", round_number=number)
                )
                reached.remove(chosen)
                state[chosen] = "elected"
                elected.append(chosen)
                newly.append(chosen)
            surplus = max(0, sum(votes[c] - quota for c in elected))
            if newly:
                status = "elected"
                break
            if surplus < omega:
                status = "omega"
                break
            if surplus >= last_surplus:
                status = "stable"
                break
            last_surplus = surplus
            for c in elected:
                keep[c] = _ceil_div(_ceil_div(keep[c] * quota, one) * one, votes[c])
        defeated: tuple[str, ...] = ()
        if status != "elected":
            left = hopeful()
            fewest = min(votes[c] for c in left)
            tied = [c for c in left if votes[c] <= fewest + surplus]
            loser = (
                tied[0]
                if len(tied) == 1
                else breaker.break_tie(tied, history, purpose="exclude", round_number=number)
            )
            state[loser] = "defeated"
            keep[loser] = 0
            defeated = (names[loser],)
        tallies = {
            c: Fraction(votes[c], one)
            for c in range(n)
            if state[c] in ("hopeful", "elected") or names[c] in defeated
        }
        history.append(tallies)
        rounds.append(
            Round(
                number=number,
                tallies={names[c]: v for c, v in tallies.items()},
                exhausted=Fraction(valid * one - sum(votes), one),
                threshold=Fraction(quota, one),
                elected=tuple(names[c] for c in newly),
                eliminated=defeated,
                note=(
                    f"{iterations} iteration{'s' if iterations != 1 else ''}, ended by "
                    f"{status}; total surplus {_show(surplus, digits)}"
                ),
            )
        )

    remaining = hopeful() if valid else []
    if remaining and len(elected) < seats:
        remaining.sort(key=lambda c: (-votes[c], c))
        for c in remaining:
            state[c] = "elected"
            elected.append(c)
        final = Round(
            number=len(rounds) + 1,
            tallies={names[c]: Fraction(votes[c], one) for c in range(n) if state[c] == "elected"},
            exhausted=Fraction(valid * one - sum(votes), one),
            threshold=Fraction(quota, one),
            elected=tuple(names[c] for c in remaining),
            note="hopeful candidates no more than the seats left: elected",
        )
        rounds.append(final)

    arithmetic = {"digits": digits, "omega": f"1e-{omega_digits}"}
    return TallyResult(
        method="stv",
        seats=seats,
        candidates=names,
        winners=tuple(names[c] for c in elected),
        rounds=tuple(rounds),
        tie_breaks=tuple(breaker.records),
        valid_ballots=valid,
        invalid_ballots=sum(groups.values()) - valid,
        rules="\n".join(
            (rules_text(digits, omega_digits), options.rules.describe(), breaker.rules_text())
        ),
        seed=options.seed if options.tie_break == "lot" else None,
        extra={"stv_rule": "meek", "arithmetic": arithmetic, "quota": Fraction(quota, one)},
    )


def _show(scaled: int, digits: int) -> str:
    return f"{scaled // 10**digits}.{scaled % 10**digits:0{digits}d}"
