"""FakeDiscord: an aiohttp server on 127.0.0.1 speaking enough of Discord's REST API v10 and
gateway for the real, unmodified discord.py 2.7.1 client.

Layout: REST under ``/api/v10/`` (rest.py, interactions.py), the gateway websocket at ``/``
(gateway.py), stored attachments under ``/attachments/``, and a control API for tests
driving a bot subprocess under ``/_test/`` (control.py). This module holds the state and
the HTTP plumbing they share.
"""

# The actors' `timeout=` bounds how long a test waits for the bot; it is the API, not a smell.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
import re
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .gateway import GatewayMixin, Session
from .interactions import Interaction, InteractionsMixin
from .protocol import EPHEMERAL, LOADING, DiscordError, _form_error, json_response
from .rest import RestMixin
from .state import Channel, Clock, Guild, Member, Snowflakes, User

log = logging.getLogger("fakediscord")

__all__ = ["DiscordError", "FakeDiscord", "Interaction", "Session"]


class HeldResponses:
    """Answers the fake keeps back (`FakeDiscord.hold_responses`): `reached` is set once a
    matching call was carried out; its answer goes out after `release()`."""

    def __init__(self, method: str, pattern: re.Pattern, times: int) -> None:
        self.method = method
        self.pattern = pattern
        self.times = times
        self.reached = asyncio.Event()
        self.released = asyncio.Event()

    def release(self) -> None:
        self.released.set()


class FakeDiscord(GatewayMixin, InteractionsMixin, RestMixin):
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
        self._holds: list[HeldResponses] = []
        self._server_errors: list[list] = []
        self._changed = asyncio.Event() if _has_loop() else None
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self._routes = self._build_routes()

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
        # Discord's edge does not drop connections under a burst; a 128-deep accept queue
        # (aiohttp's default) would, and each dropped SYN costs the client a 1 s retry.
        site = web.TCPSite(self._runner, host, port, backlog=4096)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for held in self._holds:
            held.release()
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

    def bot_member(self, guild: Guild) -> Member:
        return guild.bot_member

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

    def hold_responses(self, method: str, path_regex: str, *, times: int = 1) -> HeldResponses:
        """Carry out the next ``times`` matching REST calls but keep their answers until
        ``release()``: Discord did the write, and the caller has not heard back (what a
        process killed, or a connection dropped, right after a request looks like)."""
        held = HeldResponses(method.upper(), re.compile(path_regex), times)
        self._holds.append(held)
        return held

    def server_error(
        self,
        method: str,
        path_regex: str,
        *,
        status: int = 503,
        times: int = 1,
        ghost: bool = False,
    ) -> None:
        """Answer the next ``times`` matching REST calls with a Discord 5xx (``status``).

        ``ghost``: the request takes effect first (a message is created) and only the answer
        is an error, as when Discord completes a request whose response its edge loses.
        discord.py retries 500/502/504/524 by itself but not 503."""
        if not 500 <= status <= 599:
            raise ValueError("server_error takes a 5xx status")
        self._server_errors.append([method.upper(), re.compile(path_regex), status, times, ghost])

    def drop_connection(
        self, method: str, path_regex: str, *, times: int = 1, ghost: bool = False
    ) -> None:
        """Close the connection of the next ``times`` matching REST calls without an answer (a
        network failure: discord.py raises aiohttp's ``ServerDisconnectedError``). ``ghost``:
        the request takes effect first, as with ``server_error``."""
        self._server_errors.append([method.upper(), re.compile(path_regex), None, times, ghost])

    def _fail(self, request: web.Request, rule: list) -> web.Response:
        if rule[2] is None:
            assert request.transport is not None
            request.transport.abort()
            return web.Response(status=204)  # never sent: the connection is gone
        raise DiscordError(rule[2], 0, "Service Unavailable")

    def _take_server_error(self, method: str, path: str) -> list | None:
        for rule in self._server_errors:
            if rule[0] == method and rule[1].search(path) and rule[3] > 0:
                rule[3] -= 1
                return rule
        return None

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
            failing = self._take_server_error(request.method, path)
            if failing is not None and not failing[4]:
                return self._fail(request, failing)
            for method, pattern, handler, auth in self._routes:
                m = pattern.match(path)
                if m is None or method != request.method:
                    continue
                if auth and request.headers.get("Authorization") != f"Bot {self.token}":
                    raise DiscordError(401, 0, "401: Unauthorized")
                payload, files = await self._read_body(request)
                result = await handler(request, payload, files, *m.groups())
                await self._hold_answer(request.method, path)
                if failing is not None:  # a ghost: done, but the answer is an error
                    return self._fail(request, failing)
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

    async def _hold_answer(self, method: str, path: str) -> None:
        for held in self._holds:
            if held.method == method and held.pattern.search(path) and held.times > 0:
                held.times -= 1
                held.reached.set()
                self.notify()
                await held.released.wait()
                return

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
