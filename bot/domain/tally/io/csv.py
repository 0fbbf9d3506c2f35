"""Ranked ballots as CSV: one ballot per row, columns `rank1..rankN` holding candidate names.

An optional `count` column says how many identical ballots the row stands for. An empty cell
is a skipped rank. Other columns (a ballot id, say) are ignored. Candidates are numbered in
the order their names first appear, reading rows top to bottom and ranks left to right.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from bot.domain.tally.io import BallotFileError
from bot.domain.tally.profile import Profile, Rank, RankedBallot

_RANK_COLUMN = re.compile(r"rank(\d+)", re.IGNORECASE)


def read_csv(text: str | Iterable[str], seats: int = 1, title: str | None = None) -> Profile:
    """Parse CSV text (a string or its lines) into a profile."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    reader = csv.reader(lines)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise BallotFileError(
            None, "the file is empty (expected a header rank1,rank2,...)"
        ) from None
    rank_columns = _rank_columns(header)
    count_column = next((i for i, h in enumerate(header) if h.lower() == "count"), None)

    index: dict[str, int] = {}
    ballots: list[RankedBallot] = []
    seen: dict[tuple[str, ...], RankedBallot] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise BallotFileError(line, f"{len(row)} cells but the header has {len(header)}")
        row = row + [""] * (len(header) - len(row))
        weight = 1
        if count_column is not None:
            cell = row[count_column].strip()
            if not cell.isdigit() or int(cell) < 1:
                raise BallotFileError(line, f"count must be a positive whole number, got {cell!r}")
            weight = int(cell)
        marks = tuple(row[i].strip() for i in rank_columns)
        key = (str(weight), *marks)
        ballot = seen.get(key)
        if ballot is None:
            ranks: list[Rank] = []
            for mark in marks:
                if mark:
                    ranks.append((index.setdefault(mark, len(index)),))
                else:
                    ranks.append(())
            while ranks and not ranks[-1]:
                ranks.pop()
            ballot = seen[key] = RankedBallot(tuple(ranks), weight)
        ballots.append(ballot)
    if not index:
        raise BallotFileError(None, "no ballot names a candidate")
    if not 1 <= seats <= len(index):
        raise BallotFileError(None, f"seats must be 1 to {len(index)}, got {seats}")
    return Profile(candidates=tuple(index), ballots=tuple(ballots), seats=seats, title=title)


def _rank_columns(header: list[str]) -> list[int]:
    numbered = {}
    for i, name in enumerate(header):
        match = _RANK_COLUMN.fullmatch(name)
        if match:
            numbered[int(match.group(1))] = i
    if not numbered:
        raise BallotFileError(1, "the header has no rank1, rank2, ... columns")
    if sorted(numbered) != list(range(1, len(numbered) + 1)):
        raise BallotFileError(1, "rank columns must be rank1 to rankN with none missing")
    return [numbered[r] for r in range(1, len(numbered) + 1)]


def write_csv(profile: Profile) -> str:
    """The profile as CSV (`count`, then `rank1..rankN` holding names), one row per distinct
    ballot in profile order; `read_csv` reads it back. Overvotes cannot be written."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    width = max((len(b.ranks) for b in profile.ballots), default=1) or 1
    writer.writerow(["count", *(f"rank{i}" for i in range(1, width + 1))])
    for ballot in profile.ballots:
        if any(len(rank) > 1 for rank in ballot.ranks):
            raise ValueError("a CSV ballot cannot hold two candidates at one rank")
        names = [profile.candidates[rank[0]] if rank else "" for rank in ballot.ranks]
        writer.writerow([ballot.weight, *names, *[""] * (width - len(names))])
    return out.getvalue()


YES_NO_ANSWERS = ("yes", "no", "abstain")


def read_yes_no_csv(text: str | Iterable[str]) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    """A yes/no vote's CSV (what `/vote export` attaches: `count`, then one column a
    candidate holding yes, no or abstain) as the candidates and one answer map per ballot.

    An empty cell abstains. Rows stand for `count` identical ballots; each is repeated so a
    count sees every ballot."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    reader = csv.reader(lines)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise BallotFileError(
            None, "the file is empty (expected a header count,Name,...)"
        ) from None
    if not header or header[0].lower() != "count" or len(header) < 2:
        raise BallotFileError(1, "a yes/no file's header is count, then one column a candidate")
    names = tuple(header[1:])
    if len(set(names)) != len(names) or not all(names):
        raise BallotFileError(1, "every candidate column needs its own, non-empty name")
    ballots: list[dict[str, str]] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise BallotFileError(line, f"{len(row)} cells but the header has {len(header)}")
        cells = [cell.strip().lower() for cell in row] + [""] * (len(header) - len(row))
        if not cells[0].isdigit() or int(cells[0]) < 1:
            raise BallotFileError(line, f"count must be a positive whole number, got {row[0]!r}")
        answers = {}
        for name, cell in zip(names, cells[1:], strict=True):
            if cell and cell not in YES_NO_ANSWERS:
                raise BallotFileError(line, f"{name}: answer yes, no or abstain, not {cell!r}")
            answers[name] = cell or "abstain"
        ballots.extend([answers] * int(cells[0]))
    return names, ballots
