"""Process settings from the environment and `.env` (pydantic-settings).

Only what the process needs lives here; each chapter's configuration is in the database,
set with `/setup`. Settings are built once in the entry point and passed in, never global.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = None
    database_path: Path = Path("./data/endorsebot.sqlite3")
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    # discord.py logs every gateway payload at DEBUG, ballots included; it stays at INFO
    # unless this is set on purpose.
    discord_log_level: str = "INFO"
    # Unset: discord.com. Set (e.g. http://127.0.0.1:8080): REST and gateway go there.
    discord_api_url: str | None = None

    @field_validator("dev_guild_id", "discord_api_url", "discord_token", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", "discord_log_level")
    @classmethod
    def _level_name(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"}:
            raise ValueError(f"must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {value!r}")
        return level

    @field_validator("discord_api_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(
                f"must be a base URL with its scheme, e.g. http://127.0.0.1:8080, not {value!r}"
            )
        return value.strip()
