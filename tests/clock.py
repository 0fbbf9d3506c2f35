"""The one instant every test's clock starts from, so no test depends on today's date.

`T0` is fixed. Fixture dates are written relative to it (`ELECTION`), and the bot under
test, in-process (`Clock`) or as a `python -m bot` process (`process_env`), reads its time
from a clock that starts at `T0` and runs at real speed, so scheduler timers still fire.
CI runs the suite again with the machine's clock 400 days ahead (.ci/run) to catch a test
that reads the real date.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from bot.faults import CLOCK_ENV, CLOCK_SET_ENV

T0 = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # a Tuesday, noon in New York
TODAY = date(2026, 12, 1)  # T0's local day in the chapters' zone (America/New_York)
ELECTION = TODAY + timedelta(weeks=48)  # a race's general election: Tuesday 2027-11-02


class Clock:
    """The bot's clock in tests: `T0` plus the real time elapsed since it was made, plus
    whatever the test moved it by (`advance`)."""

    def __init__(self, start: datetime = T0) -> None:
        self._start = start
        self._made = time.monotonic()
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._made) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


def process_env(clock: Clock) -> dict[str, str]:
    """The environment that starts a `python -m bot` process's clock where `clock` is now."""
    return {CLOCK_ENV: clock().isoformat(), CLOCK_SET_ENV: repr(time.time())}
