"""Public tabulators' test elections, read in place from ../shared/reference/elections.

The data stay outside the repository (see that folder's README); tests FAIL when it is absent:
a skipped reference test would let a checkout without the data pass without comparing anything.
`load_case` turns one case into a profile plus the ballot rules of the tabulator that printed
its results, so a count can be compared under the same reading of the ballots.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.domain.tally.ballots import BallotRules
from bot.domain.tally.profile import Profile, RankedBallot

REPO_ROOT = Path(__file__).resolve().parents[3]
REFERENCE_DIR = REPO_ROOT / ".." / "shared" / "reference" / "elections"
MISSING = "../shared/reference/elections missing: put shared/ beside the clone (CI does)"
UWI = "Undeclared Write-ins"


def reference_dir() -> Path:
    """The reference folder, or fail the calling test with the agreed message."""
    if not REFERENCE_DIR.is_dir():
        pytest.fail(MISSING)
    return REFERENCE_DIR


def case_paths(prefix: str) -> list[Path]:
    """The JSON cases whose file name starts with `prefix` (empty when the folder is absent)."""
    if not REFERENCE_DIR.is_dir():
        return []
    return sorted(REFERENCE_DIR.glob(f"{prefix}*.json"))


@dataclass(frozen=True)
class ReferenceCase:
    id: str
    data: dict
    profile: Profile
    rules: BallotRules | None  # None: the source's ballot rules are not expressible
    unsupported_rule: str = ""

    @property
    def source_rules(self) -> dict:
        return self.data["rules"].get("source_rules_block", {})


def load_case(path: Path) -> ReferenceCase:
    """Read one case: its profile (file order kept) and its tabulator's ballot rules."""
    data = json.loads(path.read_text(encoding="utf-8"))
    names = list(data["candidates"])
    if any(_mentions(b["ranking"], "#uwi") for b in data["ballots"]) and UWI not in names:
        names.append(UWI)
    index = {name: i for i, name in enumerate(names)}
    everyone = tuple(range(len(names)))

    def rank(mark):
        if mark is None:
            return ()
        if mark == "#overvote":  # unnamed: any two marks read the same under a static rule
            return everyone
        if mark == "#uwi":
            return (index[UWI],)
        if isinstance(mark, list):
            return tuple(index[m] for m in mark)
        return (index[mark],)

    ballots = tuple(
        RankedBallot(tuple(rank(m) for m in b["ranking"]), int(b["count"])) for b in data["ballots"]
    )
    profile = Profile(
        candidates=tuple(names), ballots=ballots, seats=int(data["seats"]), title=data["id"]
    )
    rules, unsupported = _rules(data["rules"].get("source_rules_block", {}))
    return ReferenceCase(data["id"], data, profile, rules, unsupported)


def _mentions(ranking: list, label: str) -> bool:
    return any(m == label or (isinstance(m, list) and label in m) for m in ranking)


def _rules(block: dict) -> tuple[BallotRules | None, str]:
    """RCTab's ballot rules as BallotRules; None and a reason when they cannot be."""
    if not block:
        return BallotRules(), ""
    skipped = str(block.get("maxSkippedRanksAllowed", "unlimited")).strip().lower()
    max_skipped = None if skipped in ("", "unlimited", "max") else int(skipped)
    duplicate = "exhaust" if block.get("exhaustOnDuplicateCandidate") else "ignore"
    overvote_rule = block.get("overvoteRule", "exhaustImmediately")
    overvote = {
        "exhaustImmediately": "exhaust",
        "alwaysSkipToNextRank": "skip",
        "exhaustIfMultipleContinuing": "exhaust_if_multiple_continuing",
    }.get(overvote_rule)
    if overvote is None:
        return None, f"overvoteRule={overvote_rule}"
    return BallotRules(max_skipped=max_skipped, duplicate=duplicate, overvote=overvote), ""
