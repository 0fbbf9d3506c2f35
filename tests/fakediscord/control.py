"""Process mode: scenario files, the ``/_test/`` control API, and a client for it.

A test that runs the bot as a subprocess starts ``python -m tests.fakediscord --port N
--scenario FILE`` (or builds a FakeDiscord in-process and hands its ``base_url`` to the
subprocess) and drives members through :class:`ControlClient`.

Scenario JSON::

    {"token": "t0k3n", "application_id": "1100000000000000001", "bot_name": "endorsebot",
     "approved_intents": ["members"], "ack_deadline": 3.0,
     "guilds": [{"name": "Metro DSA", "id": "1200000000000000001",
                 "everyone_permissions": null,
                 "bot_roles": ["Bot"],
                 "roles": [{"name": "Member"}, {"name": "Bot", "permissions": ["MANAGE_ROLES"]}],
                 "members": [{"name": "alice", "roles": ["Member"], "dms_open": true}],
                 "channels": [{"name": "votes"},
                              {"name": "committee-review", "overwrites": [
                                  {"role": "@everyone", "deny": ["VIEW_CHANNEL"]},
                                  {"member": "@bot", "allow": ["VIEW_CHANNEL"]}]}]}]}

Object-valued options/values in control requests are ``{"role": NAME}``,
``{"channel": NAME}``, ``{"member": NAME}`` or plain id strings.
"""

# The actors' `timeout=` bounds how long a test waits for the bot; it is the API, not a smell.
# ruff: noqa: ASYNC109

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from .actors import InteractionResult, InteractionTimeout
from .state import Guild, Member, _bits, overwrite

if TYPE_CHECKING:  # pragma: no cover
    from .server import FakeDiscord


# ---------------------------------------------------------------------- scenarios
def load_scenario(fake: FakeDiscord, scenario: dict) -> None:
    for spec in scenario.get("guilds", []):
        g = fake.add_guild(spec["name"], id=spec.get("id"))
        if spec.get("everyone_permissions") is not None:
            g.everyone.permissions = _bits(spec["everyone_permissions"])
        for r in spec.get("roles", []):
            g.add_role(r["name"], r.get("permissions", 0), mentionable=r.get("mentionable", False))
        for m in spec.get("members", []):
            g.add_member(
                m["name"],
                [g.role(n) for n in m.get("roles", [])],
                dms_open=m.get("dms_open", True),
                owner=m.get("owner", False),
            )
        g.bot_member.roles = [g.role(n) for n in spec.get("bot_roles", [])]
        for c in spec.get("channels", []):
            ows = []
            for o in c.get("overwrites", []):
                if "role" in o:
                    target: Any = g.everyone if o["role"] == "@everyone" else g.role(o["role"])
                else:
                    target = g.bot_member if o["member"] == "@bot" else g.member(o["member"])
                ows.append(overwrite(target, allow=o.get("allow", 0), deny=o.get("deny", 0)))
            g.add_text_channel(c["name"], ows)


def fake_from_scenario(scenario: dict) -> FakeDiscord:
    from .server import FakeDiscord

    kw: dict[str, Any] = {}
    for key in ("token", "application_id", "bot_name", "ack_deadline", "action_timeout"):
        if key in scenario:
            kw[key] = scenario[key]
    if "approved_intents" in scenario:
        kw["approved_intents"] = set(scenario["approved_intents"])
    fake = FakeDiscord(**kw)
    load_scenario(fake, scenario)
    return fake


# ---------------------------------------------------------------------- JSON helpers
def jsonable(obj: Any) -> Any:
    """Snapshots hold attachment bytes under ``data``; send them as base64 ``data_b64``."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "data" and isinstance(v, bytes | bytearray):
                out["data_b64"] = base64.b64encode(v).decode()
            else:
                out[k] = jsonable(v)
        return out
    if isinstance(obj, list):
        return [jsonable(x) for x in obj]
    return obj


def from_jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "data_b64":
                out["data"] = base64.b64decode(v)
            else:
                out[k] = from_jsonable(v)
        return out
    if isinstance(obj, list):
        return [from_jsonable(x) for x in obj]
    return obj


def _resp(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(jsonable(data)).encode(),
        status=status,
        headers={"Content-Type": "application/json"},
    )


# ---------------------------------------------------------------------- server side
def add_control_routes(app: web.Application, fake: FakeDiscord) -> None:
    def guild_of(body: dict) -> Guild:
        key = body.get("guild")
        if key is None:
            return next(iter(fake.guilds.values()))
        if str(key) in fake.guilds:
            return fake.guilds[str(key)]
        return next(g for g in fake.guilds.values() if g.name == key)

    def member_of(g: Guild, key: Any) -> Member:
        if str(key) in g.members:
            return g.members[str(key)]
        return g.member(key)

    def obj(g: Guild, v: Any) -> Any:
        if isinstance(v, dict) and len(v) == 1:
            ((kind, name),) = v.items()
            if kind == "role":
                return g.everyone if name == "@everyone" else g.role(name)
            if kind == "channel":
                return g.channel(name)
            if kind in ("member", "user"):
                return member_of(g, name)
        if isinstance(v, list):
            return [obj(g, x) for x in v]
        return v

    def channel_of(g: Guild, key: Any):
        if key is None:
            return None
        return fake.channels.get(str(key)) or g.channel(key)

    async def state(request: web.Request) -> web.Response:
        return _resp(
            {
                "base_url": fake.base_url,
                "application_id": fake.application_id,
                "bot_user_id": fake.bot_user.id,
                "sessions": sum(1 for s in fake.sessions if s.ready),
                "identify_count": fake.identify_count,
                "global_commands": fake.global_commands,
                "guild_commands": fake.guild_commands,
                "guilds": [
                    {
                        "id": g.id,
                        "name": g.name,
                        "roles": {r.name: r.id for r in g.roles},
                        "channels": {c.name: c.id for c in g.channels},
                        "members": {m.name: m.id for m in g.members.values()},
                    }
                    for g in fake.guilds.values()
                ],
            }
        )

    async def ready(request: web.Request) -> web.Response:
        timeout = float(request.query.get("timeout", 10))
        try:
            await fake.wait_ready(timeout)
        except TimeoutError:
            return _resp({"error": "no bot became ready"}, 504)
        return _resp({"ready": True, "identify_count": fake.identify_count})

    async def interact(request: web.Request) -> web.Response:
        body = await request.json()
        try:
            g = guild_of(body)
            m = member_of(g, body["member"])
            kind = body["kind"]
            timeout = body.get("timeout")
            in_channel = channel_of(g, body.get("in_channel"))
            options = {k: obj(g, v) for k, v in (body.get("options") or {}).items()}
            if kind == "slash":
                r = await m.slash(body["command"], options, in_channel=in_channel, timeout=timeout)
            elif kind == "autocomplete":
                choices = await m.autocomplete(
                    body["command"],
                    body["option"],
                    body["value"],
                    options,
                    in_channel=in_channel,
                    timeout=timeout,
                )
                return _resp({"choices": choices})
            elif kind == "click":
                r = await m.click(body["message_id"], body["custom_id"], timeout=timeout)
            elif kind == "select":
                r = await m.select(
                    body["message_id"], body["custom_id"], obj(g, body["values"]), timeout=timeout
                )
            elif kind == "submit_modal":
                values = {k: obj(g, v) for k, v in body["values"].items()}
                r = await m.submit_modal(body["modal"], values, timeout=timeout)
            else:
                return _resp({"error": f"unknown kind {kind!r}"}, 400)
        except InteractionTimeout as e:
            return _resp({"error": str(e), "timeout": True}, 504)
        except (LookupError, ValueError, TypeError, RuntimeError, StopIteration) as e:
            return _resp({"error": f"{type(e).__name__}: {e}"}, 400)
        return _resp(r.data)

    async def interaction(request: web.Request) -> web.Response:
        it = fake.interactions.get(request.match_info["id"])
        if it is None:
            return _resp({"error": "unknown interaction"}, 404)
        return _resp(fake.snapshot(it))

    async def channel_messages(request: web.Request) -> web.Response:
        cid = request.match_info["id"]
        ch = fake.channels.get(cid)
        if ch is None:
            g = guild_of(dict(request.query))
            ch = g.channel(cid)
        return _resp(ch.messages)

    async def dms(request: web.Request) -> web.Response:
        uid = request.match_info["user"]
        u = fake.users.get(uid) or fake.users_by_name.get(uid)
        return _resp(fake.dms_to(u) if u else [])

    async def message(request: web.Request) -> web.Response:
        msg = fake.messages.get(request.match_info["id"])
        return _resp(msg, 200) if msg else _resp({"error": "unknown message"}, 404)

    async def unknown(request: web.Request) -> web.Response:
        return _resp({"unknown_routes": fake.unknown_routes, "rejections": fake.rejections})

    async def clock(request: web.Request) -> web.Response:
        body = await request.json()
        fake.advance(float(body.get("advance", 0)))
        return _resp({"offset": fake.clock.offset})

    async def config(request: web.Request) -> web.Response:
        body = await request.json()
        for key in ("ack_deadline", "action_timeout"):
            if key in body:
                setattr(fake, key, float(body[key]))
        if "approved_intents" in body:
            fake.approved_intents = set(body["approved_intents"])
        return _resp({"ack_deadline": fake.ack_deadline, "action_timeout": fake.action_timeout})

    async def roles(request: web.Request) -> web.Response:
        body = await request.json()
        g = guild_of(body)
        m = member_of(g, body["member"])
        m.set_roles([g.role(n) for n in body["roles"]])
        await fake.drain()
        return _resp({"roles": m.role_ids})

    r = app.router
    r.add_get("/_test/state", state)
    r.add_get("/_test/ready", ready)
    r.add_post("/_test/interactions", interact)
    r.add_get("/_test/interactions/{id}", interaction)
    r.add_get("/_test/channels/{id}/messages", channel_messages)
    r.add_get("/_test/messages/{id}", message)
    r.add_get("/_test/dms/{user}", dms)
    r.add_get("/_test/unknown_routes", unknown)
    r.add_post("/_test/clock", clock)
    r.add_post("/_test/config", config)
    r.add_post("/_test/roles", roles)


# ---------------------------------------------------------------------- client side
class ControlError(AssertionError):
    pass


class ControlClient:
    """Drive a FakeDiscord (usually in another process) through ``/_test/``.

    Members, guilds and channels are named (``"alice"``, ``"votes"``) or given by id; the
    guild defaults to the first one. Results are InteractionResult snapshots.
    """

    def __init__(self, base_url: str, *, guild: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.guild = guild
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> ControlClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _call(self, method: str, path: str, body: Any = None, *, timeout: float = 30) -> Any:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.request(
            method,
            f"{self.base_url}/_test/{path}",
            json=body,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as resp:
            data = await resp.json(content_type=None)
            if resp.status >= 400:
                raise ControlError(f"{method} /_test/{path} -> {resp.status}: {data}")
            return from_jsonable(data)

    async def state(self) -> dict:
        return await self._call("GET", "state")

    async def wait_ready(self, timeout: float = 10) -> dict:
        return await self._call("GET", f"ready?timeout={timeout}", timeout=timeout + 5)

    async def ids(self, guild: str | None = None) -> dict:
        """{"roles": {name: id}, "channels": {...}, "members": {...}} of a guild."""
        st = await self.state()
        key = guild or self.guild
        for g in st["guilds"]:
            if key is None or key in (g["id"], g["name"]):
                return g
        raise ControlError(f"no guild {key!r}")

    async def _interact(self, body: dict) -> dict:
        if self.guild is not None:
            body.setdefault("guild", self.guild)
        return await self._call("POST", "interactions", body)

    async def slash(
        self,
        member: str,
        command: str,
        options: dict | None = None,
        *,
        in_channel: str | None = None,
        timeout: float | None = None,
        **kw_options: Any,
    ) -> InteractionResult:
        data = await self._interact(
            {
                "kind": "slash",
                "member": member,
                "command": command,
                "options": {**(options or {}), **kw_options},
                "in_channel": in_channel,
                "timeout": timeout,
            }
        )
        return InteractionResult(data)

    async def autocomplete(
        self, member: str, command: str, option: str, value: str, options: dict | None = None
    ) -> list[dict]:
        data = await self._interact(
            {
                "kind": "autocomplete",
                "member": member,
                "command": command,
                "option": option,
                "value": value,
                "options": options or {},
            }
        )
        return data["choices"]

    async def click(
        self, member: str, message: Any, custom_id: str, *, timeout: float | None = None
    ) -> InteractionResult:
        data = await self._interact(
            {
                "kind": "click",
                "member": member,
                "message_id": _mid(message),
                "custom_id": custom_id,
                "timeout": timeout,
            }
        )
        return InteractionResult(data)

    async def select(
        self,
        member: str,
        message: Any,
        custom_id: str,
        values: list,
        *,
        timeout: float | None = None,
    ) -> InteractionResult:
        data = await self._interact(
            {
                "kind": "select",
                "member": member,
                "message_id": _mid(message),
                "custom_id": custom_id,
                "values": values,
                "timeout": timeout,
            }
        )
        return InteractionResult(data)

    async def submit_modal(
        self,
        member: str,
        modal: dict | InteractionResult,
        values: dict,
        *,
        timeout: float | None = None,
    ) -> InteractionResult:
        if isinstance(modal, InteractionResult):
            modal = modal.modal  # type: ignore[assignment]
        data = await self._interact(
            {
                "kind": "submit_modal",
                "member": member,
                "modal": modal,
                "values": values,
                "timeout": timeout,
            }
        )
        return InteractionResult(data)

    async def refresh(self, result: InteractionResult) -> InteractionResult:
        return InteractionResult(await self._call("GET", f"interactions/{result.interaction_id}"))

    async def messages(self, channel: str) -> list[dict]:
        q = f"?guild={self.guild}" if self.guild else ""
        return await self._call("GET", f"channels/{channel}/messages{q}")

    async def message(self, message_id: str) -> dict:
        return await self._call("GET", f"messages/{message_id}")

    async def dms(self, member: str) -> list[dict]:
        return await self._call("GET", f"dms/{member}")

    async def unknown_routes(self) -> list[str]:
        return (await self._call("GET", "unknown_routes"))["unknown_routes"]

    async def rejections(self) -> list[dict]:
        return (await self._call("GET", "unknown_routes"))["rejections"]

    async def advance_clock(self, seconds: float) -> None:
        await self._call("POST", "clock", {"advance": seconds})

    async def configure(self, **kw: Any) -> dict:
        return await self._call("POST", "config", kw)

    async def set_roles(self, member: str, roles: list[str], *, guild: str | None = None) -> None:
        await self._call(
            "POST", "roles", {"member": member, "roles": roles, "guild": guild or self.guild}
        )


def _mid(message: Any) -> str:
    if isinstance(message, InteractionResult):
        message = message.message
    if isinstance(message, dict):
        return message["id"]
    return str(message)
