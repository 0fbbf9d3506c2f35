"""The gateway: HELLO, heartbeats, IDENTIFY -> READY -> GUILD_CREATE, RESUME with replay,
member chunks, and intent-gated dispatch of events. Text frames only: discord.py decompresses
binary frames alone, so uncompressed text works whatever compression it asked for."""

# The actors' `timeout=` bounds how long a test waits for the bot; it is the API, not a smell.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .protocol import json_response

if TYPE_CHECKING:  # pragma: no cover
    from .server import FakeDiscord
    from .state import Guild

log = logging.getLogger("fakediscord")

CHUNK_SIZE = 1000  # members per GUILD_MEMBERS_CHUNK
PRIVILEGED_INTENTS = {"members": 1 << 1, "presences": 1 << 8, "message_content": 1 << 15}


class Session:
    """One gateway connection (or, once disconnected, a session a RESUME may pick up)."""

    def __init__(self, fake: FakeDiscord, ws: web.WebSocketResponse):
        self.fake = fake
        self.ws = ws
        self.id = secrets.token_hex(16)
        self.seq = 0
        self.intents = 0
        self.large_threshold = 50  # IDENTIFY's large_threshold: 50 unless asked, at most 250
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


class GatewayMixin:
    """The gateway half of FakeDiscord."""

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

    def reconnect(self) -> None:
        """Send op 7 RECONNECT to every bot. discord.py then RESUMEs on a new connection
        (``resume_count`` goes up, missed events are replayed). With ``allow_resume = False``
        the fake answers op 9 and the bot identifies again, which discord.py delays by 5 s
        in ``Client.before_identify_hook`` unless the bot overrides it."""
        for s in self.sessions:
            s.send(7, None)

    async def wait_ready(self, timeout: float | None = None) -> None:
        """Wait until a bot has identified and been sent READY + every GUILD_CREATE."""
        await self.wait_for(lambda: any(s.ready for s in self.sessions), timeout)
        await self.drain()

    async def drain(self) -> None:
        """Wait until every queued gateway event has been written to the socket."""
        for s in list(self.sessions):
            await s.queue.join()

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
        session.large_threshold = min(max(int(d.get("large_threshold") or 50), 50), 250)
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
        elif len(g.members) > s.large_threshold:
            # A large guild's GUILD_CREATE leaves offline members out (nobody but the bot is
            # online here): the client asks for them with REQUEST_GUILD_MEMBERS.
            payload["large"] = True
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
        # Discord answers in chunks of at most 1,000 members, at least one chunk.
        chunks = [members[i : i + CHUNK_SIZE] for i in range(0, len(members), CHUNK_SIZE)]
        for index, chunk in enumerate(chunks or [[]]):
            payload = {
                "guild_id": g.id,
                "members": [m.wire() for m in chunk],
                "chunk_index": index,
                "chunk_count": max(len(chunks), 1),
                "not_found": [],
            }
            if d.get("nonce") is not None:
                payload["nonce"] = d["nonce"]
            session.dispatch("GUILD_MEMBERS_CHUNK", payload)
