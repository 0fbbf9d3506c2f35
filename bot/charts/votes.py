"""The chart of a closed vote, whatever its method: rounds, yes/no, or the pairwise heat map."""

from __future__ import annotations

from fractions import Fraction

from bot.charts.endorsement import verdicts_of
from bot.charts.pairwise import pairwise_png
from bot.charts.rounds import rounds_png
from bot.charts.yes_no import yes_no_png
from bot.domain.tally.profile import TallyResult


def result_png(
    result: TallyResult, *, title: str, verdict: str, threshold: Fraction | None = None
) -> bytes:
    """The PNG chart of `result`: `title` and `verdict` head it; `threshold` (the chapter's,
    against "No endorsement") draws the threshold panel where it applies."""
    if result.method == "yes-no":
        return yes_no_png(result, title=title, verdict=verdict)
    endorsement = verdicts_of(result, threshold)
    if "pairwise" in result.extra:
        return pairwise_png(result, title=title, verdict=verdict, endorsement=endorsement)
    return rounds_png(result, title=title, verdict=verdict, endorsement=endorsement)
