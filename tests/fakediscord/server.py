"""FakeDiscord: an aiohttp server on 127.0.0.1 speaking enough of Discord's REST API v10 and
gateway for the real, unmodified discord.py 2.7.1 client.

Layout: REST under ``/api/v10/``, the gateway websocket at ``/``, stored attachments under
``/attachments/``, and a control API for tests driving a bot subprocess under ``/_test/``.
"""

# The actors' `timeout=` bounds how long a test waits for the bot; it is the API, not a smell.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import WSMsgType, web

from .state import Channel, Clock, Guild, Member, Perm, Snowflakes, User

log = logging.getLogger("fakediscord")

PRIVILEGED_INTENTS = {"members": 1 << 1, "presences": 1 << 8, "message_content": 1 << 15}
EPHEMERAL = 1 << 6
LOADING = 1 << 7
WEBHOOK_TOKEN_TTL = 15 * 60
NONCE_WINDOW = 5 * 60  # Discord documents "the past few minutes"

# callback types allowed per interaction type (2 command, 3 component, 4 autocomplete, 5 modal)
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}


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


class Interaction:
    """One interaction the fake created, and everything the bot did with it."""

    def __init__(self, fake: FakeDiscord, type: int, member: Member, channel: Channel, data: dict):
        self.fake = fake
        self.id = fake.snowflakes.next()
        self.token = "fake_itoken_" + secrets.token_urlsafe(24)
        self.type = type
        self.member = member
        self.channel = channel
        self.data = data
        self.created = fake.clock.now()
        self.callback_type: int | None = None
        self.callback_data: dict | None = None
        self.original_id: str | None = None  # message @original refers to
        self.source_message_id: str | None = None  # component/modal-from-component message
        self.followup_ids: list[str] = []
        self.original_edits = 0
        self.errors: list[dict] = []
        self.modal: dict | None = None
        self.choices: list[dict] | None = None
        self.payload: dict = {}

    @property
    def acked(self) -> bool:
        return self.callback_type is not None


class Session:
    def __init__(self, fake: FakeDiscord, ws: web.WebSocketResponse):
        self.fake = fake
        self.ws = ws
        self.id = secrets.token_hex(16)
        self.seq = 0
        self.intents = 0
        self.identified = False
        self.ready = False
        self.connected = True
        self.history: list[dict] = []  # dispatches, kept so that a RESUME can replay them
        self.queue: asyncio.Queue[dict | None] = asyncio.Queue()
        self.writer = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        while True:
            item = await self.queue.get()
            try:
                if item is None:
                    return
                if not self.ws.closed:
                    await self.ws.send_str(json.dumps(item))
            except Exception:  # connection went away mid-send
                log.debug("gateway send failed", exc_info=True)
            finally:
                self.queue.task_done()

    def send(self, op: int, d: Any, t: str | None = None) -> None:
        frame = {"op": op, "d": d, "s": None, "t": t}
        if op == 0:
            self.seq += 1
            frame["s"] = self.seq
            self.history.append(frame)
            del self.history[:-1000]
        if self.connected:
            self.queue.put_nowait(frame)

    def dispatch(self, t: str, d: Any) -> None:
        self.send(0, d, t)


Handler = Callable[..., Awaitable[Any]]


class FakeDiscord:
    """Discord's state for one test (guilds, members, messages, interactions, commands) and
    the aiohttp server that serves it; see the package docstring for a walkthrough."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        application_id: str | None = None,
        bot_name: str = "endorsebot",
        approved_intents: set[str] | None = None,
        ack_deadline: float = 3.0,
        action_timeout: float = 5.0,
        attachment_size_limit: int = 10 * 1024 * 1024,
    ) -> None:
        self.clock = Clock()
        self.snowflakes = Snowflakes(self.clock)
        self.token = token
        self.bot_user = User(self, bot_name, bot=True)
        self.application_id = application_id or self.snowflakes.next()
        self.approved_intents: set[str] = (
            {"members"} if approved_intents is None else set(approved_intents)
        )
        self.ack_deadline = ack_deadline
        self.action_timeout = action_timeout
        self.attachment_size_limit = attachment_size_limit
        self.users: dict[str, User] = {self.bot_user.id: self.bot_user}
        self.users_by_name: dict[str, User] = {}
        self.guilds: dict[str, Guild] = {}
        self.channels: dict[str, Channel] = {}
        self.dm_channels: dict[str, Channel] = {}  # user id -> DM channel
        self.messages: dict[str, dict] = {}
        self._chan_msgs: dict[str, list[str]] = {}
        self.attachments: dict[str, dict] = {}
        self.interactions: dict[str, Interaction] = {}
        self.global_commands: list[dict] = []
        self.guild_commands: dict[str, list[dict]] = {}
        self._command_ids: dict[tuple, str] = {}
        self.sessions: list[Session] = []
        self.unknown_routes: list[str] = []
        self.rejections: list[dict] = []  # every 4xx the fake answered: method, path, body
        self.requests: list[tuple[str, str]] = []
        self.identify_count = 0
        self.resume_count = 0
        self.allow_resume = True  # False: every RESUME gets op 9 and the bot identifies again
        self._resumable: dict[str, Session] = {}
        self._rate_limits: list[list] = []
        self._changed = asyncio.Event() if _has_loop() else None
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self._routes = self._build_routes()

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        app.router.add_route("GET", "/attachments/{id}/{filename}", self._attachment)
        from .control import add_control_routes

        add_control_routes(app, self)
        app.router.add_route("*", "/{path:.*}", self._unknown_top)
        return app

    async def start(self, port: int = 0, host: str = "127.0.0.1") -> FakeDiscord:
        if self._changed is None:
            self._changed = asyncio.Event()
        self._runner = web.AppRunner(self.make_app(), handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for s in list(self.sessions):
            await s.ws.close(code=1001)
            s.queue.put_nowait(None)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def point_discord_py_here(self) -> None:
        """Redirect discord.py in this process (what the bot does with DISCORD_API_URL)."""
        import discord
        import yarl

        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    # ------------------------------------------------------------------ state helpers
    def add_guild(self, name: str, *, id: str | None = None) -> Guild:
        guild = Guild(self, name, id=id)
        self.guilds[guild.id] = guild
        for s in self.sessions:
            if s.identified and s.intents & 1:
                s.dispatch("GUILD_CREATE", self._guild_create(s, guild))
        return guild

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def channel_messages(self, channel_id: str) -> list[dict]:
        return [self.messages[m] for m in self._chan_msgs.get(channel_id, []) if m in self.messages]

    def dm_channel(self, user: User | Member) -> Channel:
        u = user.user if isinstance(user, Member) else user
        ch = self.dm_channels.get(u.id)
        if ch is None:
            ch = Channel(self, None, f"dm-{u.name}", type=1, recipient=u)
            self.dm_channels[u.id] = ch
            self.channels[ch.id] = ch
        return ch

    def dms_to(self, user: User | Member) -> list[dict]:
        """Messages the bot sent to this user in DMs (newest last)."""
        u = user.user if isinstance(user, Member) else user
        ch = self.dm_channels.get(u.id)
        return ch.messages if ch else []

    def message(self, message_id: str) -> dict | None:
        return self.messages.get(str(message_id))

    def notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked on every state change)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + (self.action_timeout if timeout is None else timeout)
        while True:
            value = predicate()
            if value:
                return value
            remaining = end - loop.time()
            if remaining <= 0:
                raise TimeoutError("fakediscord: condition not met in time")
            assert self._changed is not None
            ev = self._changed
            try:
                await asyncio.wait_for(ev.wait(), min(remaining, 0.05))
            except TimeoutError:
                pass

    async def wait_ready(self, timeout: float | None = None) -> None:
        """Wait until a bot has identified and been sent READY + every GUILD_CREATE."""
        await self.wait_for(lambda: any(s.ready for s in self.sessions), timeout)
        await self.drain()

    async def drain(self) -> None:
        """Wait until every queued gateway event has been written to the socket."""
        for s in list(self.sessions):
            await s.queue.join()

    async def settle(self, quiet: float = 0.05, timeout: float | None = None) -> None:
        """Wait until the bot has made no REST request for ``quiet`` seconds."""
        loop = asyncio.get_running_loop()
        end = loop.time() + (self.action_timeout if timeout is None else timeout)
        await self.drain()
        last = len(self.requests)
        while loop.time() < end:
            await asyncio.sleep(quiet)
            if len(self.requests) == last:
                return
            last = len(self.requests)

    def dispatch(self, t: str, d: Any) -> None:
        for s in [*self.sessions, *self._resumable.values()]:
            if s.identified and self._wants(s, t, d):
                s.dispatch(t, self._redact(s, t, d))

    @staticmethod
    def _wants(s: Session, t: str, d: Any) -> bool:
        """Discord sends an event only to sessions that identified with its intent."""
        if t.startswith("MESSAGE_"):
            bit = 1 << 9 if d.get("guild_id") else 1 << 12
        elif t.startswith("GUILD_MEMBER_") and t != "GUILD_MEMBERS_CHUNK":
            bit = 1 << 1
        elif t.startswith("GUILD_SCHEDULED_EVENT_"):
            bit = 1 << 16
        elif t.startswith(("GUILD_", "CHANNEL_")) and t != "GUILD_MEMBERS_CHUNK":
            bit = 1 << 0
        else:
            return True  # READY, RESUMED, INTERACTION_CREATE, GUILD_MEMBERS_CHUNK
        return bool(s.intents & bit)

    def _redact(self, s: Session, t: str, d: Any) -> Any:
        """Without the MESSAGE_CONTENT intent Discord blanks other users' guild messages,
        except ones that mention the bot."""
        if t not in ("MESSAGE_CREATE", "MESSAGE_UPDATE") or s.intents & (1 << 15):
            return d
        if d["author"]["id"] == self.bot_user.id or not d.get("guild_id"):
            return d
        if any(u["id"] == self.bot_user.id for u in d.get("mentions", [])):
            return d
        return {**d, "content": "", "embeds": [], "attachments": [], "components": []}

    def bot_member(self, guild: Guild) -> Member:
        return guild.bot_member

    def reconnect(self) -> None:
        """Send op 7 RECONNECT to every bot. discord.py then RESUMEs on a new connection
        (``resume_count`` goes up, missed events are replayed). With ``allow_resume = False``
        the fake answers op 9 and the bot identifies again, which discord.py delays by 5 s
        in ``Client.before_identify_hook`` unless the bot overrides it."""
        for s in self.sessions:
            s.send(7, None)

    def rate_limit(
        self,
        method: str,
        path_regex: str,
        *,
        retry_after: float = 0.1,
        times: int = 1,
        is_global: bool = False,
    ) -> None:
        """Answer the next ``times`` matching REST calls with a Discord 429 (with the ``Via``
        header discord.py needs to treat it as Discord's and retry after ``retry_after``)."""
        self._rate_limits.append(
            [method.upper(), re.compile(path_regex), retry_after, times, is_global]
        )

    # ------------------------------------------------------------------ wire helpers
    def wire_message(self, msg: dict) -> dict:
        out = {k: v for k, v in msg.items() if not k.startswith("_")}
        out["attachments"] = [
            {k: v for k, v in a.items() if k != "data"} for a in msg.get("attachments", [])
        ]
        return out

    def _attachment_entry(self, filename: str, data: bytes, content_type: str | None, **kw) -> dict:
        aid = self.snowflakes.next()
        url = f"{self.base_url}/attachments/{aid}/{filename}"
        att = {
            "id": aid,
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
            "data": data,
        }
        for k in ("description", "title"):
            if kw.get(k):
                att[k] = kw[k]
        self.attachments[aid] = att
        return att

    def _mentions(self, content: str, guild: Guild | None) -> tuple[list[dict], list[str]]:
        users, roles = [], []
        for uid in dict.fromkeys(re.findall(r"<@!?(\d+)>", content or "")):
            u = self.users.get(uid)
            if u is not None:
                w = u.wire()
                if guild is not None and uid in guild.members:
                    w["member"] = guild.members[uid].wire(with_user=False)
                users.append(w)
        for rid in dict.fromkeys(re.findall(r"<@&(\d+)>", content or "")):
            roles.append(rid)
        return users, roles

    def _attachments_from(self, payload: dict, files: dict[int, dict], existing: list[dict]):
        if "attachments" not in payload:
            new = [self._attachment_entry(**f) for _, f in sorted(files.items())]
            return existing + new
        out = []
        by_id = {a["id"]: a for a in existing}
        for meta in payload.get("attachments") or []:
            mid = str(meta.get("id"))
            if mid in by_id:
                out.append(by_id[mid])
            elif mid.isdigit() and int(mid) in files:
                f = dict(files[int(mid)])
                if meta.get("filename"):
                    f["filename"] = meta["filename"]
                out.append(self._attachment_entry(**f, description=meta.get("description")))
        return out

    def create_message(
        self,
        channel: Channel,
        author: User,
        payload: dict,
        files: dict[int, dict] | None = None,
        *,
        type: int = 0,
        webhook: bool = False,
        interaction: Interaction | None = None,
        extra_flags: int = 0,
    ) -> dict:
        mid = self.snowflakes.next()
        guild = channel.guild
        flags = int(payload.get("flags") or 0) | extra_flags
        mentions, mention_roles = self._mentions(payload.get("content") or "", guild)
        msg: dict[str, Any] = {
            "id": mid,
            "channel_id": channel.id,
            "type": type,
            "content": payload.get("content") or "",
            "author": author.wire(),
            "attachments": self._attachments_from(payload, files or {}, []),
            "embeds": list(payload.get("embeds") or []),
            "components": list(payload.get("components") or []),
            "mentions": mentions,
            "mention_roles": mention_roles,
            "mention_everyone": False,
            "pinned": False,
            "tts": bool(payload.get("tts")),
            "timestamp": self.clock.iso(),
            "edited_timestamp": None,
            "flags": flags,
        }
        if guild is not None:
            msg["guild_id"] = guild.id
            if author.id in guild.members:
                msg["member"] = guild.members[author.id].wire(with_user=False)
        msg["_created"] = self.clock.now()
        if payload.get("nonce") is not None:
            msg["nonce"] = str(payload["nonce"])
        if payload.get("message_reference"):
            msg["message_reference"] = {**payload["message_reference"], "channel_id": channel.id}
        if webhook:
            msg["webhook_id"] = self.application_id
            msg["application_id"] = self.application_id
        if interaction is not None:
            msg["_interaction_id"] = interaction.id
            meta: dict[str, Any] = {
                "id": interaction.id,
                "type": interaction.type,
                "user": interaction.member.user.wire(),
                "authorizing_integration_owners": {"0": guild.id} if guild else {"1": "0"},
            }
            if interaction.type == 2:
                meta["name"] = interaction.data.get("name")
            if interaction.original_id:
                meta["original_response_message_id"] = interaction.original_id
            if interaction.source_message_id:
                meta["interacted_message_id"] = interaction.source_message_id
            msg["interaction_metadata"] = meta
        self.messages[mid] = msg
        if not flags & EPHEMERAL:
            self._chan_msgs.setdefault(channel.id, []).append(mid)
            self.dispatch("MESSAGE_CREATE", self.wire_message(msg))
        self.notify()
        return msg

    def edit_message(self, msg: dict, payload: dict, files: dict[int, dict] | None = None) -> dict:
        for key in ("content", "embeds", "components"):
            if key in payload:
                empty: Any = "" if key == "content" else []
                msg[key] = payload[key] if payload[key] is not None else empty
        if "flags" in payload and payload["flags"] is not None:
            keep = msg["flags"] & EPHEMERAL
            msg["flags"] = (int(payload["flags"]) & ~EPHEMERAL) | keep
        if "attachments" in payload or files:
            msg["attachments"] = self._attachments_from(payload, files or {}, msg["attachments"])
        if msg["flags"] & LOADING:
            msg["flags"] &= ~LOADING
        if "content" in payload:
            guild = self.channels[msg["channel_id"]].guild
            msg["mentions"], msg["mention_roles"] = self._mentions(msg["content"], guild)
        msg["edited_timestamp"] = self.clock.iso()
        if not msg["flags"] & EPHEMERAL:
            self.dispatch("MESSAGE_UPDATE", self.wire_message(msg))
        self.notify()
        return msg

    def delete_message(self, msg: dict) -> None:
        self.messages.pop(msg["id"], None)
        ids = self._chan_msgs.get(msg["channel_id"], [])
        if msg["id"] in ids:
            ids.remove(msg["id"])
            d = {"id": msg["id"], "channel_id": msg["channel_id"]}
            if msg.get("guild_id"):
                d["guild_id"] = msg["guild_id"]
            self.dispatch("MESSAGE_DELETE", d)
        self.notify()

    # ------------------------------------------------------------------ validation
    def _validate(self, kind: str, payload: Any, **kw: Any) -> None:
        from . import limits  # the limits module owns every documented limit

        try:
            result = getattr(limits, kind)(payload, **kw)
        except limits.EmptyMessage as e:
            raise DiscordError(e.status, e.body["code"], e.body["message"]) from None
        if result is None:
            return
        raise _form_error(result)

    def _validate_message(
        self, payload: dict, files: dict | None = None, *, is_edit: bool = False
    ) -> None:
        # Attachments arrive as multipart files; tell limits.py about them so that a
        # file-only message is not "empty".
        check = dict(payload)
        if files and not check.get("attachments"):
            check["attachments"] = [
                {"id": str(i), "filename": f["filename"]} for i, f in sorted(files.items())
            ]
        self._validate("validate_message", check, is_edit=is_edit)

    # ------------------------------------------------------------------ HTTP plumbing
    def _build_routes(self) -> list[tuple[str, re.Pattern, Handler, bool]]:
        S = r"(\d+)"
        T = r"([^/]+)"
        table = [
            ("GET", r"/users/@me", self.r_me, True),
            ("GET", rf"/users/{S}", self.r_user, True),
            ("POST", r"/users/@me/channels", self.r_open_dm, True),
            ("GET", r"/oauth2/applications/@me", self.r_application, True),
            ("GET", r"/applications/@me", self.r_application, True),
            ("GET", r"/gateway", self.r_gateway_info, False),
            ("GET", r"/gateway/bot", self.r_gateway_info, True),
            ("PUT", rf"/applications/{S}/commands", self.r_put_commands, True),
            ("GET", rf"/applications/{S}/commands", self.r_get_commands, True),
            ("PUT", rf"/applications/{S}/guilds/{S}/commands", self.r_put_commands, True),
            ("GET", rf"/applications/{S}/guilds/{S}/commands", self.r_get_commands, True),
            ("POST", rf"/interactions/{S}/{T}/callback", self.r_callback, False),
            ("GET", rf"/webhooks/{S}/{T}/messages/@original", self.r_original_get, False),
            ("PATCH", rf"/webhooks/{S}/{T}/messages/@original", self.r_original_edit, False),
            ("DELETE", rf"/webhooks/{S}/{T}/messages/@original", self.r_original_delete, False),
            ("POST", rf"/webhooks/{S}/{T}", self.r_followup, False),
            ("GET", rf"/webhooks/{S}/{T}/messages/{S}", self.r_followup_get, False),
            ("PATCH", rf"/webhooks/{S}/{T}/messages/{S}", self.r_followup_edit, False),
            ("DELETE", rf"/webhooks/{S}/{T}/messages/{S}", self.r_followup_delete, False),
            ("GET", rf"/channels/{S}", self.r_get_channel, True),
            ("POST", rf"/channels/{S}/messages", self.r_send, True),
            ("GET", rf"/channels/{S}/messages", self.r_history, True),
            ("GET", rf"/channels/{S}/messages/{S}", self.r_get_message, True),
            ("PATCH", rf"/channels/{S}/messages/{S}", self.r_edit_message, True),
            ("DELETE", rf"/channels/{S}/messages/{S}", self.r_delete_message, True),
            ("POST", rf"/channels/{S}/typing", self.r_typing, True),
            ("PUT", rf"/channels/{S}/messages/{S}/reactions/{T}/@me", self.r_react, True),
            ("DELETE", rf"/channels/{S}/messages/{S}/reactions/{T}/@me", self.r_unreact, True),
            ("GET", rf"/guilds/{S}", self.r_get_guild, True),
            ("GET", rf"/guilds/{S}/members/{S}", self.r_get_member, True),
            ("GET", rf"/guilds/{S}/members", self.r_list_members, True),
            ("PUT", rf"/guilds/{S}/members/{S}/roles/{S}", self.r_add_role, True),
            ("DELETE", rf"/guilds/{S}/members/{S}/roles/{S}", self.r_remove_role, True),
            ("GET", rf"/guilds/{S}/roles", self.r_get_roles, True),
            ("GET", rf"/guilds/{S}/channels", self.r_get_channels, True),
            ("GET", rf"/guilds/{S}/scheduled-events", self.r_list_events, True),
            ("POST", rf"/guilds/{S}/scheduled-events", self.r_create_event, True),
            ("GET", rf"/guilds/{S}/scheduled-events/{S}", self.r_get_event, True),
            ("PATCH", rf"/guilds/{S}/scheduled-events/{S}", self.r_edit_event, True),
            ("DELETE", rf"/guilds/{S}/scheduled-events/{S}", self.r_delete_event, True),
        ]
        return [(m, re.compile(p + "$"), h, auth) for m, p, h, auth in table]

    async def _read_body(self, request: web.Request) -> tuple[Any, dict[int, dict]]:
        files: dict[int, dict] = {}
        ctype = request.content_type
        if ctype.startswith("multipart/"):
            payload: Any = {}
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                name = part.name or ""  # type: ignore[union-attr]
                raw = await part.read()  # type: ignore[union-attr]
                if name == "payload_json":
                    payload = json.loads(raw.decode())
                else:
                    m = re.fullmatch(r"files\[(\d+)\]", name)
                    idx = int(m.group(1)) if m else len(files)
                    if len(raw) > self.attachment_size_limit:
                        raise DiscordError(413, 40005, "Request entity too large")
                    files[idx] = {
                        "filename": part.filename or f"file{idx}",  # type: ignore[union-attr]
                        "data": bytes(raw),
                        "content_type": _content_type(part, name),
                    }
            return payload, files
        raw = await request.read()
        if not raw:
            return {}, files
        try:
            return json.loads(raw), files
        except ValueError as e:
            raise DiscordError(400, 50109, "The request body contains invalid JSON.") from e

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        self.requests.append((request.method, path))
        try:
            limited = self._take_rate_limit(request.method, path)
            if limited is not None:
                return limited
            for method, pattern, handler, auth in self._routes:
                m = pattern.match(path)
                if m is None or method != request.method:
                    continue
                if auth and request.headers.get("Authorization") != f"Bot {self.token}":
                    raise DiscordError(401, 0, "401: Unauthorized")
                payload, files = await self._read_body(request)
                result = await handler(request, payload, files, *m.groups())
                if isinstance(result, web.StreamResponse):
                    return result
                if result is None:
                    return web.Response(status=204)
                return json_response(result)
            route = f"{request.method} /api/v10{path}"
            self.unknown_routes.append(route)
            log.warning("fakediscord: unknown route %s", route)
            raise DiscordError(404, 0, f"fakediscord does not implement {route}")
        except DiscordError as e:
            self.rejections.append({"method": request.method, "path": path, **e.body()})
            self.notify()
            return json_response(e.body(), status=e.status)
        except Exception as e:  # never a 500: discord.py would retry for seconds
            log.exception("fakediscord handler crashed")
            self.unknown_routes.append(f"{request.method} /api/v10{path} (crashed: {e!r})")
            body = {"message": f"fakediscord crashed: {e!r}", "code": 0}
            self.rejections.append({"method": request.method, "path": path, **body})
            return json_response(body, status=400)
        finally:
            self.notify()

    def _take_rate_limit(self, method: str, path: str) -> web.Response | None:
        for rl in self._rate_limits:
            if rl[0] == method and rl[1].search(path) and rl[3] > 0:
                rl[3] -= 1
                body = {
                    "message": "You are being rate limited.",
                    "retry_after": rl[2],
                    "global": rl[4],
                }
                self.rejections.append({"method": method, "path": path, "code": 429, **body})
                return web.Response(
                    body=json.dumps(body).encode(),
                    status=429,
                    headers={
                        "Content-Type": "application/json",
                        "Via": "1.1 google",
                        "Retry-After": str(rl[2]),
                        "X-RateLimit-Scope": "user",
                    },
                )
        return None

    async def _unknown_top(self, request: web.Request) -> web.Response:
        route = f"{request.method} {request.path}"
        self.unknown_routes.append(route)
        return json_response({"message": f"fakediscord does not implement {route}", "code": 0}, 404)

    async def _attachment(self, request: web.Request) -> web.Response:
        att = self.attachments.get(request.match_info["id"])
        if att is None:
            return json_response({"message": "404: Not Found", "code": 0}, 404)
        ctype = att["content_type"] or "application/octet-stream"
        return web.Response(body=att["data"], headers={"Content-Type": ctype})

    # ------------------------------------------------------------------ lookups
    def _channel(self, cid: str) -> Channel:
        ch = self.channels.get(cid)
        if ch is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return ch

    def _guild(self, gid: str) -> Guild:
        g = self.guilds.get(gid)
        if g is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return g

    def _channel_message(self, cid: str, mid: str) -> dict:
        self._channel(cid)
        msg = self.messages.get(mid)
        if msg is None or msg["channel_id"] != cid or msg["flags"] & EPHEMERAL:
            raise DiscordError(404, 10008, "Unknown Message")
        return msg

    def _require(self, ch: Channel, needed: int) -> None:
        if ch.guild is None:
            return
        have = ch.guild.permissions_in(ch.guild.bot_member, ch)
        if not have & Perm.VIEW_CHANNEL:
            raise DiscordError(403, 50001, "Missing Access")
        if needed & ~have:
            raise DiscordError(403, 50013, "Missing Permissions")

    def _send_perms(self, payload: dict, files: dict) -> int:
        needed = Perm.SEND_MESSAGES
        if payload.get("embeds"):
            needed |= Perm.EMBED_LINKS
        if files:
            needed |= Perm.ATTACH_FILES
        return needed

    # ------------------------------------------------------------------ users / app
    async def r_me(self, request, payload, files):
        return {**self.bot_user.wire(), "verified": True, "mfa_enabled": False, "locale": "en-US"}

    async def r_user(self, request, payload, files, uid):
        u = self.users.get(uid)
        if u is None:
            raise DiscordError(404, 10013, "Unknown User")
        return u.wire()

    async def r_application(self, request, payload, files):
        owner = {"id": "1", "username": "chapter-admin", "discriminator": "0", "avatar": None}
        return {
            "id": self.application_id,
            "name": self.bot_user.name,
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": owner,
            "flags": (1 << 15) | (1 << 19),
            "team": None,
            "bot": self.bot_user.wire(),
            "interactions_endpoint_url": None,
            "tags": [],
            "redirect_uris": [],
            "rpc_origins": [],
            "approximate_guild_count": len(self.guilds),
        }

    async def r_gateway_info(self, request, payload, files):
        out = {"url": self.gateway_url.rstrip("/")}
        if request.path.endswith("/bot"):
            out.update(
                shards=1,
                session_start_limit={
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            )
        return out

    async def r_open_dm(self, request, payload, files):
        u = self.users.get(str(payload.get("recipient_id")))
        if u is None:
            raise DiscordError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "recipient_id": {
                        "_errors": [{"code": "NUMBER_TYPE_COERCE", "message": "Unknown user"}]
                    }
                },
            )
        return self.dm_channel(u).wire()

    # ------------------------------------------------------------------ commands
    async def r_put_commands(self, request, payload, files, app_id, guild_id=None):
        if app_id != self.application_id:
            raise DiscordError(403, 50001, "Missing Access")
        if guild_id is not None:
            self._guild(guild_id)
        if not isinstance(payload, list):
            raise DiscordError(
                400,
                50035,
                "Invalid Form Body",
                {"_errors": [{"code": "LIST_TYPE_CONVERT", "message": "Must be an array."}]},
            )
        self._validate("validate_commands", payload)
        version = self.snowflakes.next()
        out = []
        for cmd in payload:
            key = (guild_id, cmd.get("type", 1), cmd["name"])
            cid = self._command_ids.setdefault(key, self.snowflakes.next())
            stored = {
                "id": cid,
                "application_id": self.application_id,
                "version": version,
                "type": cmd.get("type", 1),
                "name": cmd["name"],
                "description": cmd.get("description", ""),
                "options": cmd.get("options", []),
                "default_member_permissions": cmd.get("default_member_permissions"),
                "dm_permission": cmd.get("dm_permission", True),
                "nsfw": cmd.get("nsfw", False),
                "name_localizations": cmd.get("name_localizations"),
                "description_localizations": cmd.get("description_localizations"),
                "contexts": cmd.get("contexts"),
                "integration_types": cmd.get("integration_types", [0]),
            }
            if guild_id is not None:
                stored["guild_id"] = guild_id
            out.append(stored)
        if guild_id is None:
            self.global_commands = out
        else:
            self.guild_commands[guild_id] = out
        return out

    async def r_get_commands(self, request, payload, files, app_id, guild_id=None):
        if guild_id is None:
            return self.global_commands
        return self.guild_commands.get(guild_id, [])

    def find_command(self, guild: Guild | None, name: str, type: int = 1) -> dict | None:
        pools = []
        if guild is not None:
            pools.append(self.guild_commands.get(guild.id, []))
        pools.append(self.global_commands)
        for pool in pools:
            for cmd in pool:
                if cmd["name"] == name and cmd.get("type", 1) == type:
                    return cmd
        return None

    # ------------------------------------------------------------------ interactions
    def _interaction_by_token(self, app_id: str, token: str) -> Interaction:
        if app_id != self.application_id:
            raise DiscordError(404, 10015, "Unknown Webhook")
        for it in self.interactions.values():
            if it.token == token:
                if self.clock.now() - it.created > WEBHOOK_TOKEN_TTL:
                    raise DiscordError(401, 50027, "Invalid Webhook Token")
                return it
        raise DiscordError(401, 50027, "Invalid Webhook Token")

    async def r_callback(self, request, payload, files, iid, token):
        it = self.interactions.get(iid)
        if it is None or it.token != token:
            raise DiscordError(404, 10062, "Unknown interaction")
        if it.acked:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        if self.clock.now() - it.created > self.ack_deadline:
            raise DiscordError(404, 10062, "Unknown interaction")
        ctype = payload.get("type")
        data = payload.get("data") or {}
        if ctype not in ALLOWED_CALLBACKS.get(it.type, set()):
            raise DiscordError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "INTERACTION_RESPONSE_TYPE_INVALID",
                                "message": f"Interaction response type {ctype} is not valid for "
                                f"interaction type {it.type}.",
                            }
                        ]
                    }
                },
            )
        if ctype == 4:
            self._validate_message(data, files)
        elif ctype == 7:
            self._validate_message(data, files, is_edit=True)
        elif ctype == 9:
            self._validate("validate_modal", data)
        elif ctype == 8:
            self._validate("validate_autocomplete", data)
        resource: dict | None = None
        msg: dict | None = None
        if ctype in (4, 5):
            flags = int(data.get("flags") or 0)
            if ctype == 5:
                flags |= LOADING
            msg = self.create_message(
                it.channel,
                self.bot_user,
                {**data, "flags": flags} if ctype == 5 else data,
                files,
                type=20 if it.type == 2 else 19 if it.type != 5 else 0,
                webhook=True,
                interaction=it,
            )
            it.original_id = msg["id"]
        elif ctype == 7:
            src = self.messages.get(it.source_message_id or "")
            if src is None:
                raise DiscordError(404, 10008, "Unknown Message")
            msg = self.edit_message(src, data, files)
            it.original_id = src["id"]
        elif ctype == 6:
            it.original_id = it.source_message_id
        elif ctype == 8:
            it.choices = list(data.get("choices") or [])
        elif ctype == 9:
            it.modal = dict(data)
        it.callback_type = ctype
        it.callback_data = data
        self.notify()
        if msg is not None:
            resource = {"type": ctype, "message": self.wire_message(msg)}
        if request.query.get("with_response") not in ("1", "true", "True"):
            return None
        out: dict[str, Any] = {
            "interaction": {
                "id": it.id,
                "type": it.type,
                "response_message_id": it.original_id,
                "response_message_loading": ctype == 5,
                "response_message_ephemeral": bool(msg and msg["flags"] & EPHEMERAL),
                "activity_instance_id": None,
            }
        }
        if resource is not None:
            out["resource"] = resource
        return out

    def _original(self, it: Interaction) -> dict:
        if not it.acked:
            raise DiscordError(404, 10015, "Unknown Webhook")
        msg = self.messages.get(it.original_id or "")
        if msg is None:
            raise DiscordError(404, 10008, "Unknown Message")
        return msg

    async def r_original_get(self, request, payload, files, app_id, token):
        it = self._interaction_by_token(app_id, token)
        return self.wire_message(self._original(it))

    async def r_original_edit(self, request, payload, files, app_id, token):
        it = self._interaction_by_token(app_id, token)
        msg = self._original(it)
        self._validate_message(payload, files, is_edit=True)
        self.edit_message(msg, payload, files)
        it.original_edits += 1
        self.notify()
        return self.wire_message(msg)

    async def r_original_delete(self, request, payload, files, app_id, token):
        it = self._interaction_by_token(app_id, token)
        self.delete_message(self._original(it))
        return None

    async def r_followup(self, request, payload, files, app_id, token):
        it = self._interaction_by_token(app_id, token)
        if not it.acked:
            raise DiscordError(404, 10015, "Unknown Webhook")
        self._validate_message(payload, files)
        data = dict(payload)
        if it.callback_type == 5 and it.original_id and not it.followup_ids:
            orig = self.messages.get(it.original_id)
            if orig is not None and orig["flags"] & LOADING:
                # Discord: the first followup after a deferral replaces the "thinking" message.
                self.edit_message(orig, {**data, "flags": orig["flags"] & ~LOADING}, files)
                it.followup_ids.append(orig["id"])
                self.notify()
                return self.wire_message(orig)
        msg = self.create_message(
            it.channel, self.bot_user, data, files, type=19, webhook=True, interaction=it
        )
        it.followup_ids.append(msg["id"])
        self.notify()
        if request.query.get("wait") in ("1", "true", "True"):
            return self.wire_message(msg)
        return None

    def _followup_msg(self, it: Interaction, mid: str) -> dict:
        if mid not in it.followup_ids and mid != it.original_id:
            raise DiscordError(404, 10008, "Unknown Message")
        msg = self.messages.get(mid)
        if msg is None:
            raise DiscordError(404, 10008, "Unknown Message")
        return msg

    async def r_followup_get(self, request, payload, files, app_id, token, mid):
        it = self._interaction_by_token(app_id, token)
        return self.wire_message(self._followup_msg(it, mid))

    async def r_followup_edit(self, request, payload, files, app_id, token, mid):
        it = self._interaction_by_token(app_id, token)
        msg = self._followup_msg(it, mid)
        self._validate_message(payload, files, is_edit=True)
        return self.wire_message(self.edit_message(msg, payload, files))

    async def r_followup_delete(self, request, payload, files, app_id, token, mid):
        it = self._interaction_by_token(app_id, token)
        self.delete_message(self._followup_msg(it, mid))
        return None

    # ------------------------------------------------------------------ channels / messages
    async def r_get_channel(self, request, payload, files, cid):
        ch = self._channel(cid)
        if ch.guild is not None:
            self._require(ch, Perm.VIEW_CHANNEL)
        return ch.wire()

    async def r_send(self, request, payload, files, cid):
        ch = self._channel(cid)
        if ch.type == 1:
            assert ch.recipient is not None
            if not ch.recipient.dms_open:
                raise DiscordError(403, 50007, "Cannot send messages to this user")
        else:
            self._require(ch, self._send_perms(payload, files))
        self._validate_message(payload, files)
        if payload.get("enforce_nonce") and payload.get("nonce") is not None:
            # Discord: the same author and nonce within a few minutes returns the earlier
            # message instead of posting twice (discord.py always sets enforce_nonce).
            for earlier in reversed(ch.messages):
                if self.clock.now() - earlier["_created"] > NONCE_WINDOW:
                    break
                if earlier.get("nonce") == str(payload["nonce"]) and (
                    earlier["author"]["id"] == self.bot_user.id
                ):
                    return self.wire_message(earlier)
        msg = self.create_message(ch, self.bot_user, payload, files)
        return self.wire_message(msg)

    async def r_history(self, request, payload, files, cid):
        ch = self._channel(cid)
        self._require(ch, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        q = request.query
        limit = max(1, min(100, int(q.get("limit", 50))))
        msgs = ch.messages  # oldest first
        if "around" in q:
            around = int(q["around"])
            older = [m for m in msgs if int(m["id"]) <= around][-(limit // 2 + 1) :]
            newer = [m for m in msgs if int(m["id"]) > around][: limit - len(older)]
            picked = older + newer
        elif "after" in q:
            picked = [m for m in msgs if int(m["id"]) > int(q["after"])][:limit]
        else:
            if "before" in q:
                msgs = [m for m in msgs if int(m["id"]) < int(q["before"])]
            picked = msgs[-limit:]
        return [self.wire_message(m) for m in reversed(picked)]  # newest first, like Discord

    async def r_get_message(self, request, payload, files, cid, mid):
        ch = self._channel(cid)
        self._require(ch, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        return self.wire_message(self._channel_message(cid, mid))

    async def r_edit_message(self, request, payload, files, cid, mid):
        msg = self._channel_message(cid, mid)
        if msg["author"]["id"] != self.bot_user.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        self._validate_message(payload, files, is_edit=True)
        return self.wire_message(self.edit_message(msg, payload, files))

    async def r_delete_message(self, request, payload, files, cid, mid):
        msg = self._channel_message(cid, mid)
        ch = self._channel(cid)
        if msg["author"]["id"] != self.bot_user.id:
            self._require(ch, Perm.MANAGE_MESSAGES)
        self.delete_message(msg)
        return None

    async def r_typing(self, request, payload, files, cid):
        self._channel(cid)
        return None

    async def r_react(self, request, payload, files, cid, mid, emoji):
        msg = self._channel_message(cid, mid)
        msg.setdefault("_reactions", []).append(emoji)
        return None

    async def r_unreact(self, request, payload, files, cid, mid, emoji):
        msg = self._channel_message(cid, mid)
        if emoji in msg.get("_reactions", []):
            msg["_reactions"].remove(emoji)
        return None

    # ------------------------------------------------------------------ guilds
    async def r_get_guild(self, request, payload, files, gid):
        g = self._guild(gid)
        return {**g.wire(), "approximate_member_count": len(g.members)}

    async def r_get_member(self, request, payload, files, gid, uid):
        g = self._guild(gid)
        m = g.members.get(uid)
        if m is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return m.wire()

    async def r_list_members(self, request, payload, files, gid):
        g = self._guild(gid)
        limit = int(request.query.get("limit", 1))
        after = int(request.query.get("after", 0))
        ms = sorted(g.members.values(), key=lambda m: int(m.id))
        return [m.wire() for m in ms if int(m.id) > after][:limit]

    def _role_change(self, gid, uid, rid, add: bool):
        g = self._guild(gid)
        m = g.members.get(uid)
        if m is None:
            raise DiscordError(404, 10007, "Unknown Member")
        role = next((r for r in g.roles if r.id == rid), None)
        if role is None:
            raise DiscordError(404, 10011, "Unknown Role")
        if not g.base_permissions(g.bot_member) & Perm.MANAGE_ROLES:
            raise DiscordError(403, 50013, "Missing Permissions")
        (m.add_role if add else m.remove_role)(role)

    async def r_add_role(self, request, payload, files, gid, uid, rid):
        self._role_change(gid, uid, rid, True)

    async def r_remove_role(self, request, payload, files, gid, uid, rid):
        self._role_change(gid, uid, rid, False)

    async def r_get_roles(self, request, payload, files, gid):
        return [r.wire() for r in self._guild(gid).roles]

    async def r_get_channels(self, request, payload, files, gid):
        return [c.wire() for c in self._guild(gid).channels]

    def _event(self, g: Guild, eid: str) -> dict:
        ev = g.scheduled_events.get(eid)
        if ev is None:
            raise DiscordError(404, 10070, "Unknown Guild Scheduled Event")
        return ev

    async def r_list_events(self, request, payload, files, gid):
        return list(self._guild(gid).scheduled_events.values())

    async def r_get_event(self, request, payload, files, gid, eid):
        return self._event(self._guild(gid), eid)

    def _check_event(self, ev: dict) -> None:
        errs = {}
        if not 1 <= len(ev.get("name") or "") <= 100:
            errs["name"] = {
                "_errors": [
                    {
                        "code": "BASE_TYPE_BAD_LENGTH",
                        "message": "Must be between 1 and 100 in length.",
                    }
                ]
            }
        if len(ev.get("description") or "") > 1000:
            errs["description"] = {
                "_errors": [
                    {"code": "BASE_TYPE_BAD_LENGTH", "message": "Must be 1000 or fewer in length."}
                ]
            }
        if ev.get("entity_type") == 3 and not ev.get("scheduled_end_time"):
            errs["scheduled_end_time"] = {
                "_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]
            }
        if errs:
            raise DiscordError(400, 50035, "Invalid Form Body", errs)

    async def r_create_event(self, request, payload, files, gid):
        g = self._guild(gid)
        if not g.base_permissions(g.bot_member) & Perm.MANAGE_EVENTS:
            raise DiscordError(403, 50013, "Missing Permissions")
        ev = {
            "id": self.snowflakes.next(),
            "guild_id": g.id,
            "channel_id": payload.get("channel_id"),
            "creator_id": self.bot_user.id,
            "creator": self.bot_user.wire(),
            "name": payload.get("name"),
            "description": payload.get("description"),
            "scheduled_start_time": payload.get("scheduled_start_time"),
            "scheduled_end_time": payload.get("scheduled_end_time"),
            "privacy_level": payload.get("privacy_level", 2),
            "status": 1,
            "entity_type": payload.get("entity_type", 3),
            "entity_id": None,
            "entity_metadata": payload.get("entity_metadata"),
            "user_count": 0,
            "image": None,
            "recurrence_rule": payload.get("recurrence_rule"),
        }
        self._check_event(ev)
        g.scheduled_events[ev["id"]] = ev
        self.dispatch("GUILD_SCHEDULED_EVENT_CREATE", ev)
        return ev

    async def r_edit_event(self, request, payload, files, gid, eid):
        g = self._guild(gid)
        ev = dict(self._event(g, eid))
        ev.update({k: v for k, v in payload.items() if k in ev or k == "entity_metadata"})
        self._check_event(ev)
        g.scheduled_events[eid] = ev
        self.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", ev)
        return ev

    async def r_delete_event(self, request, payload, files, gid, eid):
        g = self._guild(gid)
        ev = self._event(g, eid)
        del g.scheduled_events[eid]
        self.dispatch("GUILD_SCHEDULED_EVENT_DELETE", ev)
        return None

    # ------------------------------------------------------------------ gateway
    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        if not ws.can_prepare(request).ok:
            return json_response(
                {"message": "fakediscord: gateway needs a websocket", "code": 0}, 404
            )
        if request.query.get("encoding", "json") != "json":
            return json_response(
                {"message": "fakediscord serves encoding=json only", "code": 0}, 400
            )
        await ws.prepare(request)
        session = Session(self, ws)
        self.sessions.append(session)
        session.send(10, {"heartbeat_interval": 41250, "_trace": ["fakediscord"]})
        try:
            async for raw in ws:
                if raw.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(raw.data)
                op, d = frame.get("op"), frame.get("d")
                if op == 1:
                    session.send(11, None)
                elif op == 2:
                    await self._identify(session, d)
                elif op == 6:
                    self._resume(session, d)
                elif op == 8:
                    self._chunk(session, d)
        finally:
            if session in self.sessions:
                self.sessions.remove(session)
            session.connected = False
            session.queue.put_nowait(None)
            if session.identified:
                self._resumable[session.id] = session
                for old in list(self._resumable)[:-5]:
                    del self._resumable[old]
            self.notify()
        return ws

    def _resume(self, session: Session, d: dict) -> None:
        old = self._resumable.get(str(d.get("session_id")))
        seq = int(d.get("seq") or 0)
        ok = d.get("token") in (self.token, f"Bot {self.token}")
        if not (self.allow_resume and ok and old is not None and seq <= old.seq):
            session.send(9, False)  # cannot resume: the client identifies again
            return
        del self._resumable[old.id]
        session.id, session.intents, session.seq = old.id, old.intents, old.seq
        session.history = old.history
        for frame in old.history:
            if frame["s"] > seq:
                session.queue.put_nowait(frame)
        session.identified = session.ready = True
        self.resume_count += 1
        session.dispatch("RESUMED", {"_trace": ["fakediscord"]})
        self.notify()

    async def _identify(self, session: Session, d: dict) -> None:
        if d.get("token") not in (self.token, f"Bot {self.token}"):
            await session.queue.join()
            await session.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(d.get("intents") or 0)
        for name, bit in PRIVILEGED_INTENTS.items():
            if intents & bit and name not in self.approved_intents:
                await session.queue.join()
                await session.ws.close(code=4014, message=b"Disallowed intent(s).")
                return
        self.identify_count += 1
        session.intents = intents
        session.identified = True
        ready = {
            "v": 10,
            "user": {**self.bot_user.wire(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": g.id, "unavailable": True} for g in self.guilds.values()],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.application_id, "flags": (1 << 15) | (1 << 19)},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "shard": [0, 1],
            "_trace": ["fakediscord"],
        }
        session.dispatch("READY", ready)
        if intents & 1:
            for g in self.guilds.values():
                session.dispatch("GUILD_CREATE", self._guild_create(session, g))
        session.ready = True
        self.notify()

    def _guild_create(self, s: Session, g: Guild) -> dict:
        payload = g.create_payload()
        if not s.intents & (1 << 1):
            # Without GUILD_MEMBERS Discord sends only the bot's own member here.
            payload["members"] = [g.bot_member.wire()]
        return payload

    def _chunk(self, session: Session, d: dict) -> None:
        g = self.guilds.get(str(d.get("guild_id")))
        if g is None:
            return
        members = list(g.members.values())
        if d.get("user_ids"):
            ids = {str(u) for u in d["user_ids"]}
            members = [m for m in members if m.id in ids]
        elif d.get("query"):
            members = [m for m in members if m.name.lower().startswith(d["query"].lower())]
        if d.get("limit"):
            members = members[: int(d["limit"])]
        payload = {
            "guild_id": g.id,
            "members": [m.wire() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce") is not None:
            payload["nonce"] = d["nonce"]
        session.dispatch("GUILD_MEMBERS_CHUNK", payload)

    # ------------------------------------------------------------------ creating interactions
    def interaction_payload(self, it: Interaction) -> dict:
        guild = it.channel.guild
        assert guild is not None, "fakediscord: interactions are only modelled in guilds"
        member_perms = guild.permissions_in(it.member, it.channel)
        app_perms = guild.permissions_in(guild.bot_member, it.channel)
        payload: dict[str, Any] = {
            "id": it.id,
            "application_id": self.application_id,
            "type": it.type,
            "token": it.token,
            "version": 1,
            "data": it.data,
            "guild_id": guild.id,
            "guild": {"id": guild.id, "locale": "en-US", "features": []},
            "guild_locale": "en-US",
            "channel_id": it.channel.id,
            "channel": it.channel.wire(),
            "member": {**it.member.wire(), "permissions": str(member_perms)},
            "app_permissions": str(app_perms),
            "locale": "en-US",
            "entitlements": [],
            "entitlement_sku_ids": [],
            "authorizing_integration_owners": {"0": guild.id},
            "context": 0,
            "attachment_size_limit": self.attachment_size_limit,
        }
        if it.source_message_id and it.source_message_id in self.messages:
            payload["message"] = self.wire_message(self.messages[it.source_message_id])
        return payload

    def begin_interaction(
        self,
        type: int,
        member: Member,
        channel: Channel,
        data: dict,
        source_message_id: str | None = None,
    ) -> Interaction:
        if not any(s.identified for s in self.sessions):
            raise RuntimeError("fakediscord: no bot is connected to the gateway")
        it = Interaction(self, type, member, channel, data)
        it.source_message_id = source_message_id
        it.payload = self.interaction_payload(it)
        self.interactions[it.id] = it
        self.dispatch("INTERACTION_CREATE", it.payload)
        return it

    def snapshot(self, it: Interaction) -> dict:
        """Everything a user could see of one interaction, as plain JSON-able data."""

        def full(m: dict | None) -> dict | None:
            if m is None:
                return None
            out = self.wire_message(m)
            out["attachments"] = [dict(a) for a in m.get("attachments", [])]
            return out

        original = self.messages.get(it.original_id or "")
        return {
            "interaction_id": it.id,
            "interaction_type": it.type,
            "callback_type": it.callback_type,
            "acked": it.acked,
            "message": full(original),
            "followups": [
                full(self.messages.get(f)) for f in it.followup_ids if f in self.messages
            ],
            "modal": ({**it.modal, "source_interaction": it.id} if it.modal is not None else None),
            "choices": it.choices,
            "errors": [e for e in self.rejections if it.token in e["path"] or it.id in e["path"]],
            "original_edits": it.original_edits,
        }


def _content_type(part: Any, field: str) -> str | None:
    """discord.py uploads everything as application/octet-stream; Discord reports a type
    detected from the file, modelled here from the filename."""
    sent = part.headers.get("Content-Type")
    if sent and sent != "application/octet-stream":
        return sent
    guessed, _ = mimetypes.guess_type(part.filename or "")
    return guessed or sent


def _has_loop() -> bool:
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False
