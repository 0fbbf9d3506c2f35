"""What refuses a questionnaire action: not theirs, locked, incomplete, or a candidate gone.
Raised by `bot.services.questionnaires` (which re-exports them) and worded here."""

from __future__ import annotations

from bot.domain.questionnaire_sheet import SheetStatus
from bot.domain.races import Candidate
from bot.errors import NotFound, UserError


class NotYours(UserError):
    """Someone other than the questionnaire's respondent pressed its buttons."""

    def __init__(self) -> None:
        super().__init__("This questionnaire is not yours to fill in.")


class SheetLocked(UserError):
    """The questionnaire was submitted: answers are locked until the committee reopens it."""

    def __init__(self, status: SheetStatus) -> None:
        self.status = status
        super().__init__(
            "This questionnaire is submitted and locked. Ask the committee to reopen it if "
            "something must change."
        )


class Incomplete(UserError):
    """Submit refused: these required questions have no valid answer yet."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        listed = "; ".join(f"“{m}”" for m in missing[:5])
        super().__init__(f"Not submitted: still to answer {listed}.")


class CandidateGone(NotFound):
    """Another member removed the candidate after this member picked them."""

    def __init__(self, candidate: Candidate) -> None:
        self.candidate = candidate
        super().__init__(
            f"**{candidate.name}** is no longer a candidate in this race: another member "
            "removed them just now, so nothing was changed."
        )
