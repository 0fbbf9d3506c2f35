"""Reading and writing ballot files (BLT, CSV). Parsers take text, never paths."""

from __future__ import annotations


class BallotFileError(ValueError):
    """A malformed ballot file: the line (1-based, or None for the whole file) and the problem."""

    def __init__(self, line: int | None, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(problem if line is None else f"line {line}: {problem}")
