"""Fault injection for tests: NOT a feature. Inert unless ENDORSEBOT_FAULT is set.

`ENDORSEBOT_FAULT=<point>` makes `crash_point(point)` SIGKILL this process right there (what
a power cut or an OOM kill does), and `fail_point(point)` raise the error SQLite gives when
the disk is full. The points sit at the close's step boundaries (close:after_freeze,
close:after_count, close:after_post, close:after_scrub) and in the scrub
(scrub:disk_full), so tests/e2e/test_close_faults.py can check that a close interrupted
anywhere finishes exactly once after a restart; and after a questionnaire's report post
(questionnaire:after_report, tests/e2e/test_questionnaires_restart.py). Nothing sets the
variable in production.

`ENDORSEBOT_CLOCK_START=<ISO 8601 instant>` (with `ENDORSEBOT_CLOCK_SET_AT=<Unix seconds>`,
when the test read it) sets the process's clock to that instant, running at real speed from
there, so tests that run `python -m bot` do not depend on today's date (tests/clock.py).
Unset, `pinned_clock()` is None and the bot reads the real time.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timedelta

ENV = "ENDORSEBOT_FAULT"
CLOCK_ENV = "ENDORSEBOT_CLOCK_START"
CLOCK_SET_ENV = "ENDORSEBOT_CLOCK_SET_AT"


def _armed(point: str) -> bool:
    return os.environ.get(ENV) == point


def crash_point(point: str) -> None:
    """Kill the process with SIGKILL here if the tests asked for `point`."""
    if _armed(point):
        os.kill(os.getpid(), signal.SIGKILL)


def fail_point(point: str) -> None:
    """Raise SQLite's disk-full error here if the tests asked for `point`."""
    if _armed(point):
        raise sqlite3.OperationalError("database or disk is full")


def pinned_clock() -> Callable[[], datetime] | None:
    """A clock that read ENDORSEBOT_CLOCK_START at the machine time ENDORSEBOT_CLOCK_SET_AT
    (Unix seconds; default: now) and runs at real speed from there; None unless set."""
    start = os.environ.get(CLOCK_ENV)
    if not start:
        return None
    origin = datetime.fromisoformat(start)
    if origin.tzinfo is None:
        raise ValueError(f"{CLOCK_ENV} must carry a UTC offset: {start!r}")
    # Counted from the parent's reading, not from here: starting Python takes seconds.
    set_at = float(os.environ.get(CLOCK_SET_ENV) or time.time())
    return lambda: origin + timedelta(seconds=time.time() - set_at)
