"""The capacity verdict and the vote warning say numbers that add up (issue 24).

"Chapters should estimate how many doors can be knocked, how many doors are necessary to win
each race ..., and work backward from this overall number" (seed, "Chapter Strategy:
Discipline, Prioritization, and Capacity"): the headline is that overall number, and a
warning sets a race's doors against the doors the chapter can knock before the election
they are due by.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain import ledger
from bot.domain.capacity import ChapterCapacity, RaceFigures, estimate
from bot.domain.ledger import Demand, Priority
from bot.domain.races import BallotLine, OfficeKind, Race, RaceStatus
from bot.services.capacity import CapacityView, RaceEstimate
from cogs.capacity._render import fit_line, verdict, vote_warning

TODAY = date(2026, 3, 1)
MOMENT = datetime(2026, 1, 1, tzinfo=UTC)


def race(race_id: int, weeks: int) -> Race:
    day = TODAY + timedelta(weeks=weeks)
    return Race(
        race_id, 1, f"Council D{race_id}", OfficeKind.LEGISLATIVE, BallotLine.NONPARTISAN,
        day, None, False, "", 1, RaceStatus.ENDORSED, "", None, MOMENT, MOMENT,
    )  # fmt: skip


def view(*races: tuple[int, int, int, Priority], per_week: float = 1_000) -> CapacityView:
    """(race id, weeks to its election, doors, priority) each; 1,000 doors a week."""
    items: dict[int, RaceEstimate] = {}
    demands = []
    for race_id, weeks, doors, priority in races:
        found = race(race_id, weeks)
        figures = RaceFigures(turnout=2 * (doors - 1), doors_per_vote=1.0)  # a door a vote
        items[race_id] = RaceEstimate(found, figures, estimate(figures), 0, weeks)
        assert items[race_id].remaining == doors
        demands.append(Demand(race_id, found.label, found.decisive_date, doors, priority))
    built = ledger.build(demands, per_week=per_week, today=TODAY)
    return CapacityView(ChapterCapacity(20, 1.0), None, built, items, (), "UTC")


def test_the_headline_over_is_doors_needed_less_doors_that_can_be_knocked() -> None:
    """Two races over capacity are each measured against the same 4,000 free doors; the
    headline counts those doors once: 23,000 needed − 10,000 = 13,000 (not 4,000 + 5,000)."""
    found = view((1, 10, 6_000, Priority.INCUMBENT), (2, 10, 8_100, Priority.OTHER),
                 (3, 10, 9_000, Priority.OTHER))  # fmt: skip
    assert [line.over for line in found.ledger.lines] == [0, 4_100, 5_000]
    assert verdict(found).startswith(
        "Over capacity by 13,100 doors: 23,100 doors needed; 10,000 can be knocked by 2026-05-10"
    )


def test_an_early_election_short_while_the_total_fits_is_said_in_words() -> None:
    found = view((1, 20, 1_000, Priority.INCUMBENT), (2, 2, 3_000, Priority.OTHER))
    assert verdict(found) == (
        "Fits in total but not in time: 4,000 doors needed; 20,000 can be knocked by "
        "2026-07-19 at 1,000 a week; but by 2026-03-15, the races decided by then need 1,000 "
        "more doors than the chapter can knock by then."
    )


def test_a_date_by_date_shortfall_worse_than_the_total_says_both() -> None:
    # By week 2: 5,000 due, 2,000 knockable (3,000 short); by week 10: 11,000 vs 10,000.
    found = view((1, 2, 5_000, Priority.INCUMBENT), (2, 10, 6_000, Priority.OTHER))
    text = verdict(found)
    assert text.startswith("Over capacity by 1,000 doors: 11,000 doors needed; 10,000 can")
    assert "Date by date it is worse: by 2026-03-15, the races decided by then need 3,000" in text


def test_a_fitting_ledger_says_fits() -> None:
    found = view((1, 10, 3_000, Priority.CADRE))
    assert verdict(found).startswith("Fits: 3,000 doors needed; 10,000 can be knocked")


def test_a_later_race_ahead_in_priority_is_not_set_against_an_earlier_election() -> None:
    """Race 1 (week 10) needs 12,000 doors, 2,000 more than can be knocked by its election;
    race 2, ahead in priority, is decided at week 20: its doors are due then, not before."""
    found = view((2, 20, 5_000, Priority.INCUMBENT), (1, 10, 12_000, Priority.OTHER))
    text = vote_warning(found, 1)
    assert text is not None
    assert "The chapter can knock 10,000 by then (1,000 a week)." in text
    assert "**2,000 doors over capacity** (12,000 needed − 10,000)" in text
    assert "Council D2" not in text


def test_a_race_short_on_a_later_election_names_that_day_and_the_races_due_by_then() -> None:
    """Race 1 (week 10) fits by its own election, but with race 2 (week 20, ahead of it)
    21,000 doors are due by week 20 and 20,000 can be knocked by then."""
    found = view((2, 20, 15_000, Priority.INCUMBENT), (1, 10, 6_000, Priority.OTHER))
    text = vote_warning(found, 1)
    assert text is not None
    assert text.startswith("This race needs **6,000 doors** (win number 6,000) by 2026-05-10.")
    assert "The doors of every race decided by 2026-07-19 are due by then" in text
    assert "can knock 20,000 by then (1,000 a week); 15,000 go to races ahead of it" in text
    assert "**1,000 doors over capacity** (21,000 needed − 20,000)" in text
    assert "`/capacity show` also counts the other races under consideration" in text


def test_a_race_that_fits_by_pushing_an_endorsed_one_out_says_so() -> None:
    """Race 2 (cadre) comes before endorsed race 1: it fits, and race 1 no longer does."""
    found = view((2, 10, 6_000, Priority.CADRE), (1, 10, 6_000, Priority.OTHER))
    text = fit_line(found, 2)
    assert text.startswith("Beside the endorsed races it fits: 1. of 2 in priority")
    assert text.endswith("With it ahead, these no longer fit: Council D1 (2026) (2,000 over).")
