"""The Discord client: loads the feature cogs, syncs slash commands, owns the scheduler."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import discord
import yarl
from discord.ext import commands
from discord.state import ConnectionState

from bot.config import Settings
from bot.db import Database
from bot.discord_errors import EndorseTree
from bot.scheduler import Scheduler

log = logging.getLogger("endorsebot")

# Every feature is a package under cogs/ with a `setup(bot)` in its __init__.
EXTENSIONS: tuple[str, ...] = (
    "cogs.setup",
    "cogs.help",
    "cogs.votes",
    "cogs.races",
    "cogs.plans",
    "cogs.capacity",
    "cogs.questionnaires",
    "cogs.support",
    "cogs.officials",
)


# The names discord.py gives the tasks that run a slash command, a component or a modal.
_INTERACTION_TASKS = (
    "CommandTree-invoker",
    "discord-ui-dynamic-item-",
    "discord-ui-view-dispatch-",
    "discord-ui-modal-dispatch-",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def point_at(api_url: str | None) -> None:
    """Send REST and gateway traffic to `api_url` instead of discord.com.

    These are the two class attributes discord.py reads when it builds a request or opens
    the gateway (see discord.http.Route and discord.gateway.DiscordWebSocket).
    """
    if not api_url:
        return
    base = yarl.URL(api_url.rstrip("/"))
    discord.http.Route.BASE = str(base / "api" / "v10")
    ws_scheme = "wss" if base.scheme == "https" else "ws"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base.with_scheme(ws_scheme).with_path("/")


def intents() -> discord.Intents:
    # Server Members (privileged) is needed to freeze a vote's roll: the members holding the
    # eligible role at the open. Message Content is not needed: everything is slash commands.
    chosen = discord.Intents.default()
    chosen.members = True
    return chosen


class PromptReadyState(ConnectionState):
    """discord.py's connection state, minus an idle wait at every start.

    discord.py fires `on_ready` only once no GUILD_CREATE has come for `guild_ready_timeout`
    (2 s): every start sat idle 2 s after the last guild. READY lists every guild the bot
    is in, so once each of those has arrived the wait ends at once; members are then
    chunked as before, so every guild's members are cached when `on_ready` fires. A guild
    that never comes (a Discord outage) still gets the full timeout.
    """

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self._gap = self.guild_ready_timeout
        self._awaited: set[int] = set()

    def parse_ready(self, data: Any) -> None:
        self._awaited = {int(guild["id"]) for guild in data["guilds"]}
        # discord.py's ready task reads the timeout at each wait: a tiny one ends it as soon
        # as the queue is empty (never 0, which would drop a guild already queued).
        self.guild_ready_timeout = self._gap if self._awaited else _QUEUE_EMPTY
        super().parse_ready(data)

    def _add_ready_state(self, guild: discord.Guild) -> bool:
        queued = super()._add_ready_state(guild)
        if queued:
            self._awaited.discard(guild.id)
            if not self._awaited:
                self.guild_ready_timeout = _QUEUE_EMPTY
        return queued


_QUEUE_EMPTY = 0.001


class EndorseBot(commands.Bot):
    """The bot. Resources are opened by the caller and passed in (discord.py's
    advanced_startup example), so tests can hand it a temporary database and a clock."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        clock: Callable[[], datetime] = utcnow,
        extensions: Sequence[str] = EXTENSIONS,
        **options: object,
    ) -> None:
        options.setdefault("chunk_guilds_at_startup", True)
        # The bot never joins voice: unsilenced, every start warns that PyNaCl and davey are
        # missing, which an operator reads as a fault.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=EndorseTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
            **options,
        )
        self.settings = settings
        self.db = db
        self.clock = clock
        self._extensions = tuple(extensions)
        # Features register their job kinds in their cog's setup; the scheduler starts once
        # the guilds are cached (on_ready), so an overdue job can find its channel.
        self.scheduler = Scheduler(db, clock)
        self._scheduler_started = False

    def _get_state(self, **options: Any) -> ConnectionState:
        # discord.Client's own factory, with the prompt ready.
        return PromptReadyState(
            dispatch=self.dispatch,
            handlers=self._handlers,
            hooks=self._hooks,
            http=self.http,
            **options,
        )

    async def setup_hook(self) -> None:
        for name in self._extensions:
            await self.load_extension(name)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to dev guild %s", len(synced), guild.id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands (may take up to an hour to appear)", len(synced))

    async def on_ready(self) -> None:
        if not self._scheduler_started:
            self._scheduler_started = True
            # The start-up objects (discord.py's caches, the command tree) live for the
            # process: freezing them spares every later full collection from walking them,
            # which showed as a 160-330 ms stall in a member's ballot acknowledgement.
            gc.collect()
            gc.freeze()
            await self.scheduler.start()
        log.info(
            "logged in as %s (%s), serving %d guild(s), %d members cached",
            self.user,
            self.user and self.user.id,
            len(self.guilds),
            sum(len(guild.members) for guild in self.guilds),
        )

    async def on_guild_available(self, guild: discord.Guild) -> None:
        log.info("serving guild %s (%s) with %d members", guild.name, guild.id, guild.member_count)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        log.info("joined guild %s (%s); an admin should run /setup chapter", guild.name, guild.id)

    def in_flight(self) -> str:
        """What a stop would interrupt, for the shutdown log line (counts and job kinds only:
        never a member, a custom_id or a ballot)."""
        answering = sum(
            task.get_name().startswith(_INTERACTION_TASKS) for task in asyncio.all_tasks()
        )
        jobs = self.scheduler.running()
        parts = [
            f"{len(jobs)} job(s) running ({', '.join(jobs)})" if jobs else "",
            f"{answering} interaction(s) being answered" if answering else "",
            f"{self.db.writes_in_flight} database write(s)" if self.db.writes_in_flight else "",
        ]
        return ", ".join(p for p in parts if p) or "nothing in flight"

    async def close(self) -> None:
        """Stop the timers first, so no job starts a post on a closing connection; the
        caller closes the database after this returns."""
        if self._scheduler_started:
            await self.scheduler.shutdown()
            self._scheduler_started = False
        await super().close()
