"""Errors a member can understand. No Discord here: services raise these, and
`bot.discord_errors` (beside the client) shows them to the member.

A `UserError` carries a message in plain words that is shown to the member, ephemerally,
and changes nothing. A subclass keeps the facts it was raised with as attributes, so a
caller can act on them without parsing the text.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the member can fix; `str(error)` is shown to them as it is."""


class NotConfigured(UserError):
    def __init__(self) -> None:
        super().__init__(
            "This server has not been set up yet. Someone with the Manage Server permission "
            "should run `/setup chapter` first."
        )


class MissingRole(UserError):
    def __init__(self, role_name: str, action: str) -> None:
        self.role_name = role_name
        self.action = action
        super().__init__(f"Only members with the **{role_name}** role can {action}.")


class InvalidInput(UserError):
    """A value the member typed is not acceptable; the message says what would be."""


class NotFound(UserError):
    """The thing the member named does not exist in this chapter."""


class ChangedMeanwhile(UserError):
    """Another member changed what this command depends on between its read and its write:
    nothing was changed, and the message says what the other member did."""
