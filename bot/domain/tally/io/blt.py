"""The BLT ballot format (OpenSTV, OpaVote, Droop), read and written.

```
4 1                    candidates and seats
-2                     optional: withdrawn candidates, as negative numbers
[tie 3 1 2]            optional Droop options: [nick ...], [withdrawn ...], [tie ...]
3 1 2 4 0              a weight, then the ranks in order, then 0
1 2=3 - 1 0            "2=3": two candidates at one rank (an overvote); "-": a skipped rank
0                      end of ballots
"Ada"                  one quoted name per candidate, in number order
"Bo"
"Cy"
"Di"
"Title of the election"   optional
```

Candidates are numbered from 1 in the file. `#` starts a comment outside the names. Every
problem is reported as a `BallotFileError` naming the line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.domain.tally.io import BallotFileError
from bot.domain.tally.profile import Profile, Rank, RankedBallot

# Limits checked before anything is allocated for them: a header claiming 10^8 candidates
# must not build 10^8 of anything. Far beyond any chapter vote or public election file.
MAX_CANDIDATES = 1000
MAX_WEIGHT_DIGITS = 15  # a ballot's weight below 10^15
MAX_LINE_CHARS = 20_000

_QUOTED = re.compile(r'"([^"\n]*)"')
_EQUALS = re.compile(r"\s*=\s*")


def read_blt(text: str | Iterable[str], *, merge: bool = False) -> Profile:
    """Parse BLT text (a string or its lines) into a profile, keeping every mark as cast.

    `merge` folds identical ballot lines into one ballot whose weight is their total (the
    same election, counted the same, in far less memory: what a recount of a big file wants).
    """
    lines = text.splitlines() if isinstance(text, str) else [line.rstrip("\n") for line in text]
    _check_line_lengths(lines)
    number = 0
    total = len(lines)

    def next_content() -> tuple[int, str]:
        nonlocal number
        while number < total:
            number += 1
            content = lines[number - 1].split("#", 1)[0].strip()
            if content:
                return number, content
        raise BallotFileError(None, "the file ends before the ballots end (no line '0')")

    line_no, header = next_content()
    candidates, seats = _header(line_no, header)
    nicks: dict[str, int] = {}
    withdrawn: set[int] = set()
    tie_order: tuple[int, ...] | None = None

    line_no, content = next_content()
    if content.startswith("-"):
        for token in content.split():
            withdrawn.add(_candidate(line_no, token.removeprefix("-"), candidates, nicks))
        line_no, content = next_content()
    while content.startswith("["):
        name, values = _option(line_no, content)
        if name == "nick":
            if len(values) != candidates:
                raise BallotFileError(line_no, f"[nick] names {len(values)} of {candidates}")
            nicks = {nick: i for i, nick in enumerate(values)}
        elif name == "withdrawn":
            withdrawn.update(_candidate(line_no, v, candidates, nicks) for v in values)
        elif name == "tie":
            tie_order = tuple(_candidate(line_no, v, candidates, nicks) for v in values)
            if sorted(tie_order) != list(range(candidates)):
                raise BallotFileError(line_no, "[tie] must list every candidate once")
        line_no, content = next_content()

    start = line_no - 1  # index of the first ballot line (or of the closing 0)
    singles = [(c,) for c in range(candidates)]
    end, distinct = _ballot_block(lines, start)
    parsed: dict[str, RankedBallot | None] = {}  # identical lines share one ballot object
    for raw in distinct:
        content = raw.split("#", 1)[0].strip() if "#" in raw else raw.strip()
        if not content:
            parsed[raw] = None
            continue
        try:
            parsed[raw] = _ballot(0, content, candidates, nicks, singles)
        except BallotFileError as error:
            raise BallotFileError(lines.index(raw, start) + 1, error.problem) from None
    if merge:
        ballots = [
            RankedBallot(b.ranks, b.weight * distinct[raw])
            for raw, b in parsed.items()
            if b is not None
        ]
    else:
        ballots = list(map(parsed.__getitem__, lines[start:end]))
        if None in parsed.values():
            ballots = [b for b in ballots if b is not None]
    number = end + 1

    rest = "\n".join(lines[number:])
    names, title = _names(rest, number, candidates)
    return Profile(
        candidates=names,
        ballots=tuple(ballots),
        seats=seats,
        withdrawn=frozenset(withdrawn),
        title=title,
        tie_order=tie_order,
    )


def _ballot_block(lines: list[str], start: int) -> tuple[int, Counter[str]]:
    """Where the ballots end (the index of the closing 0 line) and their distinct lines.

    The common case (a bare "0" closes the ballots, no other line reads as "0") runs at C
    speed; anything else is found line by line.
    """
    try:
        end = lines.index("0", start)
    except ValueError:
        end = None
    if end is not None:
        distinct = Counter(lines[start:end])
        if not any(_is_end(raw) for raw in distinct):
            return end, distinct
    for end in range(start, len(lines)):
        if _is_end(lines[end]):
            return end, Counter(lines[start:end])
    raise BallotFileError(None, "the file ends before the ballots end (no line '0')")


def _is_end(raw: str) -> bool:
    return raw.split("#", 1)[0].strip() == "0"


def write_blt(profile: Profile) -> str:
    """The profile as BLT text: deterministic, so its SHA-256 can seed a lot."""
    for name in (*profile.candidates, profile.title or ""):
        if '"' in name or len(name.splitlines()) > 1 or name.endswith(("\n", "\r")):
            raise ValueError(f"a BLT name cannot hold a double quote or a line break: {name!r}")
    out = [f"{len(profile.candidates)} {profile.seats}"]
    if profile.withdrawn:
        out.append(" ".join(f"-{c + 1}" for c in sorted(profile.withdrawn)))
    if profile.tie_order is not None:
        out.append("[tie " + " ".join(str(c + 1) for c in profile.tie_order) + "]")
    for ballot in profile.ballots:
        ranks = " ".join(_rank_token(rank) for rank in ballot.ranks)
        out.append(f"{ballot.weight} {ranks} 0" if ranks else f"{ballot.weight} 0")
    out.append("0")
    out.extend(f'"{name}"' for name in profile.candidates)
    if profile.title is not None:
        out.append(f'"{profile.title}"')
    return "\n".join(out) + "\n"


def _rank_token(rank: Rank) -> str:
    return "=".join(str(c + 1) for c in rank) if rank else "-"


def _check_line_lengths(lines: list[str]) -> None:
    if lines and max(map(len, lines)) > MAX_LINE_CHARS:
        number = next(i for i, line in enumerate(lines, 1) if len(line) > MAX_LINE_CHARS)
        raise BallotFileError(number, f"a line may hold at most {MAX_LINE_CHARS} characters")


def _header(line_no: int, content: str) -> tuple[int, int]:
    parts = content.split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise BallotFileError(line_no, f"expected 'candidates seats', got {content!r}")
    if any(len(p) > len(str(MAX_CANDIDATES)) for p in parts):
        raise BallotFileError(line_no, f"a count may have at most {MAX_CANDIDATES} candidates")
    candidates, seats = int(parts[0]), int(parts[1])
    if candidates > MAX_CANDIDATES:
        raise BallotFileError(
            line_no, f"a count may have at most {MAX_CANDIDATES} candidates, not {candidates}"
        )
    if candidates < 1:
        raise BallotFileError(line_no, "there must be at least one candidate")
    if not 1 <= seats <= candidates:
        raise BallotFileError(line_no, f"seats must be 1 to {candidates}, got {seats}")
    return candidates, seats


def _option(line_no: int, content: str) -> tuple[str, list[str]]:
    if not content.endswith("]"):
        raise BallotFileError(line_no, f"an option must end with ']': {content!r}")
    words = content[1:-1].split()
    if not words or words[0] not in ("nick", "withdrawn", "tie"):
        raise BallotFileError(line_no, f"unknown option {content!r} (known: nick, withdrawn, tie)")
    return words[0], words[1:]


def _candidate(line_no: int, token: str, candidates: int, nicks: dict[str, int]) -> int:
    if token in nicks:
        return nicks[token]
    if not token.isdigit():
        raise BallotFileError(line_no, f"{token!r} is not a candidate number or nickname")
    number = int(token)
    if not 1 <= number <= candidates:
        raise BallotFileError(line_no, f"candidate {number} is not between 1 and {candidates}")
    return number - 1


def _ballot(
    line_no: int, content: str, candidates: int, nicks: dict[str, int], singles: list[Rank]
) -> RankedBallot:
    tokens = content.split()
    if tokens and len(tokens[0]) > MAX_WEIGHT_DIGITS and tokens[0].isdigit():
        raise BallotFileError(
            line_no, f"a ballot's weight may have at most {MAX_WEIGHT_DIGITS} digits"
        )
    if not nicks and "=" not in content and "-" not in content and "(" not in content:
        # Fast path: plain numbers, one candidate a rank.
        try:
            numbers = list(map(int, tokens))
        except ValueError:
            numbers = None
        if numbers and len(numbers) >= 2 and numbers[-1] == 0 and numbers[0] >= 1:
            marks = numbers[1:-1]
            if not marks or (min(marks) >= 1 and max(marks) <= candidates):
                return RankedBallot(tuple(singles[c - 1] for c in marks), numbers[0])
    tokens = _EQUALS.sub("=", content).split()
    if tokens and tokens[0].startswith("("):  # OpenSTV ballot id: ignored
        tokens = tokens[1:]
    if not tokens or not tokens[0].isdigit() or int(tokens[0]) < 1:
        raise BallotFileError(
            line_no, f"a ballot must start with a positive whole weight: {content!r}"
        )
    if len(tokens) < 2 or tokens[-1] != "0":
        raise BallotFileError(line_no, f"a ballot must end with 0: {content!r}")
    ranks: list[Rank] = []
    for token in tokens[1:-1]:
        if token == "-":
            ranks.append(())
        elif "=" in token:
            parts = token.split("=")
            if "" in parts:
                raise BallotFileError(line_no, f"'=' must stand between two candidates: {token!r}")
            ranks.append(tuple(_candidate(line_no, p, candidates, nicks) for p in parts))
        else:
            ranks.append(singles[_candidate(line_no, token, candidates, nicks)])
    return RankedBallot(ranks=tuple(ranks), weight=int(tokens[0]))


def _names(rest: str, last_line: int, candidates: int) -> tuple[tuple[str, ...], str | None]:
    names: list[str] = []
    title: str | None = None
    for offset, line in enumerate(rest.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        quoted = _QUOTED.findall(stripped)
        values = quoted if quoted else [stripped]
        for value in values:
            if len(names) < candidates:
                names.append(value)
            elif title is None:
                title = value
            else:
                raise BallotFileError(
                    last_line + offset, f"unexpected text after the title: {value!r}"
                )
    if len(names) < candidates:
        raise BallotFileError(
            None, f"the file names {len(names)} candidates but its header says {candidates}"
        )
    if len(set(names)) != len(names):
        raise BallotFileError(None, "two candidates have the same name")
    return tuple(names), title
