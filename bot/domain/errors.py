"""The one base of every error a member's input causes in the domain.

A domain rule that refuses what a member typed or chose raises a subclass of `InputError`
whose `str()` is a whole message in plain words, saying what is wrong and what would do.
Nothing above the domain rewords or translates it: `bot.discord_errors.report` shows it to
the member, ephemerally, as it shows a `bot.errors.UserError`, and nothing was changed.
"""

from __future__ import annotations


class InputError(ValueError):
    """What a member typed or chose breaks a rule; `str(error)` is shown to them as it is.

    A `ValueError`, so code that reads untrusted text (a file, a stored setting) can still
    catch every refusal the usual way."""
