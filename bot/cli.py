"""`endorsebot`: run the bot, migrate or back up its database, recount a ballot file."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from pydantic import ValidationError

from bot import fonts, tally_cli
from bot.config import Settings

log = logging.getLogger("endorsebot")


class StartupError(Exception):
    """A problem the operator fixes in their configuration; printed as one line."""


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=logging.WARNING,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("endorsebot").setLevel(settings.log_level)
    logging.getLogger("bot").setLevel(settings.log_level)
    logging.getLogger("cogs").setLevel(settings.log_level)
    # At DEBUG discord.py logs every gateway payload, ballots included: INFO unless asked.
    logging.getLogger("discord").setLevel(settings.discord_log_level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]).upper()
        reason = first["msg"].removeprefix("Value error, ")
        raise StartupError(f"{field} in .env or the environment: {reason}") from None


async def run_bot(settings: Settings) -> None:
    if settings.discord_token is None or not settings.discord_token.get_secret_value():
        raise StartupError(
            "DISCORD_TOKEN is not set: put DISCORD_TOKEN=<your bot token> in .env "
            "(copy .env.example) or in the environment."
        )
    # Imported here so a missing token is reported before discord.py takes its 0.3 s to load.
    import aiohttp
    import discord

    from bot import faults
    from bot.client import EndorseBot, point_at, utcnow
    from bot.db import Database, migrate

    point_at(settings.discord_api_url)
    fonts.warn_missing(log)  # charts would draw some names as boxes; say so once, at start
    db = await Database.open(settings.database_path)
    try:
        applied = await migrate(db)
        if applied:
            log.info("database %s migrated: %s", settings.database_path, ", ".join(applied))
        bot = EndorseBot(settings, db, clock=faults.pinned_clock() or utcnow)
        loop = asyncio.get_running_loop()

        def stop(sig: signal.Signals) -> None:
            log.info("shutting down on %s: %s", sig.name, bot.in_flight())
            asyncio.ensure_future(bot.close())

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop, sig)
        try:
            async with bot:
                await bot.start(settings.discord_token.get_secret_value())
        except discord.LoginFailure:
            raise StartupError(
                "DISCORD_TOKEN was refused by Discord: copy the bot token again from the "
                "Developer Portal (Bot → Reset Token) into .env."
            ) from None
        except aiohttp.ClientConnectionError as exc:
            where = settings.discord_api_url or "discord.com"
            raise StartupError(
                f"could not reach Discord at {where} ({exc.__class__.__name__}): check the "
                "network" + (", and DISCORD_API_URL in .env" if settings.discord_api_url else "")
            ) from None
        except discord.PrivilegedIntentsRequired:
            raise StartupError(
                "Discord refused the Server Members intent: enable it in the Developer Portal "
                "(Bot → Privileged Gateway Intents → Server Members Intent)."
            ) from None
    finally:
        await db.close()
    log.info("stopped")


async def migrate_only(settings: Settings) -> None:
    from bot.db import Database, migrate

    db = await Database.open(settings.database_path)
    try:
        applied = await migrate(db)
    finally:
        await db.close()
    print(
        f"{settings.database_path}: "
        + (f"applied {', '.join(applied)}" if applied else "already up to date")
    )


async def backup(settings: Settings, target: Path) -> None:
    from bot.db import Database
    from bot.store.backup import strip_open_ballots

    # Written beside the target and renamed only once stripped: an interrupted backup never
    # leaves a copy that still holds an open vote's ballots under the name asked for.
    partial = target.with_name(target.name + ".partial")
    try:
        db = await Database.open(settings.database_path)
        try:
            await db.backup_to(partial)
        finally:
            await db.close()
        copy = await Database.open(partial)
        try:
            open_votes = await strip_open_ballots(copy)
        finally:
            await copy.close()
        partial.rename(target)
    finally:
        for leftover in (partial, *(partial.with_name(partial.name + x) for x in SIDES)):
            leftover.unlink(missing_ok=True)
    print(f"backed up {settings.database_path} to {target}")
    if open_votes:
        print(
            f"{open_votes} vote(s) were open: the copy keeps their roll but not the ballots "
            "cast so far, nor who had voted, so it cannot link anyone to a ballot. Restored, "
            "those votes take ballots again and members vote again."
        )


SIDES = ("-wal", "-shm", "-journal")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="endorsebot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser(
        "run",
        help="connect to Discord and serve the chapter (the default)",
        description="Connect to Discord and serve the chapter until stopped. Settings come "
        "from the environment or .env (DISCORD_TOKEN, DATABASE_PATH, ...).",
    )
    sub.add_parser(
        "migrate",
        help="bring the database up to this release's schema and exit",
        description="Apply the pending schema migrations to DATABASE_PATH and exit.",
    )
    backup_parser = sub.add_parser(
        "backup",
        help="copy the live database consistently to PATH",
        description="Copy the database to PATH while the bot runs (SQLite's online backup); "
        "the copy holds no key that links an open vote's ballots to voters.",
    )
    backup_parser.add_argument("path", type=Path, metavar="PATH", help="a new file to write")
    tally_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "tally":
            return tally_cli.run(args)
        settings = load_settings()
        configure_logging(settings)
        if command == "backup":
            if not settings.database_path.exists():
                raise StartupError(f"there is no database at {settings.database_path} to back up")
            if args.path.exists():
                raise StartupError(f"{args.path} already exists: choose a new file name")
        if command == "run":
            asyncio.run(run_bot(settings))
        elif command == "migrate":
            asyncio.run(migrate_only(settings))
        elif command == "backup":
            asyncio.run(backup(settings, args.path))
    except StartupError as exc:
        print(f"endorsebot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a MigrationError, DatabaseTooNew or bad file reads as one line
        from bot.db import DatabaseUnusable, MigrationError

        if isinstance(exc, MigrationError | DatabaseUnusable):
            print(f"endorsebot: {exc}", file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
