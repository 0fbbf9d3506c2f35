"""Deterministic made-up elections for chart tests: n options, a few hundred ballots."""

from __future__ import annotations

import random
from fractions import Fraction

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.domain.tally.count import count_vote
from bot.domain.tally.profile import Profile, RankedBallot, TallyResult

FIRST = ["Ann Lee", "Bo Diaz", "Cy Evans", "Di Okafor", "Ed Nguyen", "Flo Rossi", "Gus Patel"]
LONG = "Alexandria Maria Ocasio-Cortez-Featherstonehaugh"
NO = "No endorsement"


def names(n: int) -> list[str]:
    out = [
        FIRST[i % len(FIRST)] + (f" {i // len(FIRST)}" if i >= len(FIRST) else "")
        for i in range(n - 1)
    ]
    if n > 3:
        out[2] = LONG
    return [*out, NO]


def profile(n: int, voters: int = 240, seed: int = 1) -> Profile:
    rng = random.Random(seed)
    options = names(n)
    weights = [rng.random() ** 2 + 0.05 for _ in options]
    ballots = []
    for _ in range(voters):
        picks: list[int] = []
        for _ in range(rng.randint(1, min(n, 5))):
            c = rng.choices(range(n), weights)[0]
            if c not in picks:
                picks.append(c)
        ballots.append(RankedBallot(tuple((c,) for c in picks)))
    return Profile(tuple(options), tuple(ballots))


def count(n: int, method: str = "irv", seats: int | None = None, seed: int = 1) -> TallyResult:
    return count_vote(profile(n, seed=seed), method, seats, NO, threshold=Fraction(2, 3), seed="s")


def all_axes(figure: Figure) -> list[Axes]:
    return figure.axes  # those of its subfigures included


def texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]


def yes_no(n: int, voters: int = 40, seed: int = 2) -> TallyResult:
    from bot.domain.tally.yesno import count_yes_no

    rng = random.Random(seed)
    candidates = names(n + 1)[:-1]  # a yes/no vote has no "No endorsement" option
    ballots = [
        {name: rng.choice(("yes", "yes", "no", "abstain")) for name in candidates}
        for _ in range(voters)
    ]
    if n > 1:
        for ballot in ballots:
            ballot[candidates[-1]] = "abstain"  # nobody answered: no share at all
    return count_yes_no(candidates, ballots, Fraction(3, 5))
