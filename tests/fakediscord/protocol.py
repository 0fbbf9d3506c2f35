"""Discord protocol constants and the shape of Discord's error responses."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

EPHEMERAL = 1 << 6  # message flag
LOADING = 1 << 7  # message flag: a deferred "is thinking..." response


class DiscordError(Exception):
    """Raised inside a handler to answer with a Discord-shaped error body."""

    def __init__(self, status: int, code: int, message: str, errors: dict | None = None):
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> dict:
        out: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            out["errors"] = self.errors
        return out


def json_response(data: Any, status: int = 200) -> web.Response:
    # discord.py compares Content-Type with == "application/json"; no charset allowed.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _form_error(errors: Any) -> DiscordError:
    """Turn what limits.py returned into a DiscordError."""
    if isinstance(errors, DiscordError):
        return errors
    if isinstance(errors, dict) and "code" in errors and "message" in errors:
        return DiscordError(400, int(errors["code"]), errors["message"], errors.get("errors"))
    return DiscordError(400, 50035, "Invalid Form Body", errors)
