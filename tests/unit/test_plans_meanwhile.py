"""What a member is told another committee member changed in a milestone meanwhile."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.domain.plans import Milestone, MilestoneField, changed_since
from cogs.plans._render import meanwhile

NY = "America/New_York"
SEEN = Milestone(
    id=1, plan_id=1, key="custom", name="Drill 3", on=date(2027, 2, 3), until=None, done_on=None
)


def test_changed_since_names_each_field_another_member_changed() -> None:
    assert changed_since(SEEN, SEEN) == frozenset()
    now = replace(SEEN, name="Drill three", until=date(2027, 2, 5), done_on=date(2027, 1, 2))
    assert changed_since(SEEN, now) == {
        MilestoneField.NAME,
        MilestoneField.DATES,
        MilestoneField.DONE,
    }


def test_the_member_is_told_what_changed_but_not_their_own_change() -> None:
    now = replace(SEEN, on=date(2027, 2, 17), done_on=date(2027, 1, 2))
    line = meanwhile(SEEN, now, MilestoneField.DATES, tz=NY)
    assert line is not None
    assert line.startswith("Meanwhile another member marked it done <t:")
    assert "moved" not in line  # the member's own move is not news to them
    assert line.endswith("; that change stays too.")
    assert meanwhile(SEEN, replace(SEEN, on=date(2027, 3, 1)), MilestoneField.DATES, tz=NY) is None


def test_a_rename_and_a_move_meanwhile_are_both_said() -> None:
    now = replace(SEEN, name="Drill three", on=date(2027, 2, 17))
    line = meanwhile(SEEN, now, MilestoneField.DONE, tz=NY)
    assert line is not None
    assert "renamed it from “Drill 3”" in line and "moved it to <t:" in line
    assert line.endswith("; those changes stay too.")
