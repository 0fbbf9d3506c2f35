"""What refuses a candidate's questionnaire action: not theirs, locked, or incomplete.
Raised by `bot.services.questionnaires` (which re-exports them) and worded here."""

from __future__ import annotations

from bot.domain.questionnaire_sheet import SheetStatus
from bot.errors import UserError


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
