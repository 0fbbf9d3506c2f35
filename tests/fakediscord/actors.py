"""The test-facing API: a member acts (slash, click, select, submit_modal, autocomplete) and
gets back an InteractionResult describing what that member saw.

Each action sends INTERACTION_CREATE to the connected bot and waits (bounded by
``fake.action_timeout``, 5 s by default) until the bot answered the interaction. For a
deferred response (callback type 5) it also waits for the @original edit or a followup.
"""

# The actors' `timeout=` bounds how long a test waits for the bot; it is the API, not a smell.
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .server import FakeDiscord, Interaction
    from .state import Channel, Guild, Member

EPHEMERAL = 1 << 6
LOADING = 1 << 7


class InteractionTimeout(AssertionError):
    """The bot did not answer an interaction in time (the user sees "interaction failed")."""


class CommandHidden(PermissionError):
    """Discord does not show this command to the member: they lack the command's
    ``default_member_permissions`` in the guild."""


# ---------------------------------------------------------------------- message helpers
def walk_components(components: list[dict]) -> Iterator[dict]:
    """Every component, depth first (action rows, containers, sections, labels included)."""
    for c in components or []:
        yield c
        yield from walk_components(c.get("components") or [])
        if isinstance(c.get("component"), dict):
            yield from walk_components([c["component"]])
        if isinstance(c.get("accessory"), dict):
            yield from walk_components([c["accessory"]])


def custom_ids(message: dict | None) -> list[str]:
    if not message:
        return []
    return [
        c["custom_id"] for c in walk_components(message.get("components", [])) if c.get("custom_id")
    ]


def find_component(message: dict, custom_id: str) -> dict:
    for c in walk_components(message.get("components", [])):
        if c.get("custom_id") == custom_id:
            return c
    raise LookupError(
        f"no component {custom_id!r} on message {message.get('id')}; has {custom_ids(message)}"
    )


def message_text(message: dict | None) -> str:
    """Content plus every embed title/description/field/footer, newline-joined: handy for `in`."""
    if not message:
        return ""
    parts = [message.get("content") or ""]
    for e in message.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or ""]
        for f in e.get("fields") or []:
            parts += [f.get("name") or "", f.get("value") or ""]
        parts.append((e.get("footer") or {}).get("text") or "")
        parts.append((e.get("author") or {}).get("name") or "")
    for c in walk_components(message.get("components") or []):
        if c.get("type") == 10:
            parts.append(c.get("content") or "")
    return "\n".join(p for p in parts if p)


class InteractionResult:
    """What the member saw. In-process results are live (re-read from the fake on access)."""

    def __init__(
        self, data: dict, refresh: Callable[[], dict] | None = None, fake: FakeDiscord | None = None
    ):
        self._data = data
        self._refresh = refresh
        self._fake = fake

    @property
    def data(self) -> dict:
        if self._refresh is not None:
            self._data = self._refresh()
        return self._data

    # -- interaction lifecycle
    @property
    def interaction_id(self) -> str:
        return self.data["interaction_id"]

    @property
    def callback_type(self) -> int | None:
        return self.data["callback_type"]

    @property
    def acked(self) -> bool:
        return bool(self.data["acked"])

    @property
    def deferred(self) -> bool:
        return self.callback_type in (5, 6)

    @property
    def errors(self) -> list[dict]:
        """Discord errors the fake returned to the bot for this interaction's routes."""
        return self.data["errors"]

    # -- the response message (@original; for type 6/7 the component's message)
    @property
    def message(self) -> dict | None:
        return self.data["message"]

    @property
    def ephemeral(self) -> bool:
        m = self.message
        return bool(m and m["flags"] & EPHEMERAL)

    @property
    def thinking(self) -> bool:
        m = self.message
        return bool(m and m["flags"] & LOADING)

    @property
    def content(self) -> str:
        m = self.message
        return (m or {}).get("content") or ""

    @property
    def embeds(self) -> list[dict]:
        return list((self.message or {}).get("embeds") or [])

    @property
    def embed(self) -> dict | None:
        e = self.embeds
        return e[0] if e else None

    @property
    def components(self) -> list[dict]:
        return list((self.message or {}).get("components") or [])

    @property
    def custom_ids(self) -> list[str]:
        return custom_ids(self.message)

    def component(self, custom_id: str) -> dict:
        if self.message is None:
            raise LookupError("the interaction produced no message")
        return find_component(self.message, custom_id)

    @property
    def attachments(self) -> list[dict]:
        """Each: id, filename, size, content_type, url and ``data`` (the bytes)."""
        return list((self.message or {}).get("attachments") or [])

    @property
    def text(self) -> str:
        return message_text(self.message)

    @property
    def followups(self) -> list[dict]:
        return self.data["followups"]

    @property
    def modal(self) -> dict | None:
        """The type-9 callback data (custom_id, title, components) + ``source_interaction``."""
        return self.data["modal"]

    @property
    def choices(self) -> list[dict] | None:
        return self.data["choices"]

    # -- waiting for later state (in-process only)
    async def wait_followups(self, count: int = 1, timeout: float | None = None) -> list[dict]:
        if self._fake is None:
            raise RuntimeError("remote results are snapshots; use ControlClient.refresh")
        await self._fake.wait_for(lambda: len(self.followups) >= count, timeout)
        return self.followups

    async def wait_edit(self, count: int = 1, timeout: float | None = None) -> dict | None:
        """Wait until the bot edited @original ``count`` times in total."""
        if self._fake is None:
            raise RuntimeError("remote results are snapshots; use ControlClient.refresh")
        await self._fake.wait_for(lambda: self.data["original_edits"] >= count, timeout)
        return self.message

    async def wait(
        self, predicate: Callable[[InteractionResult], Any], timeout: float | None = None
    ) -> InteractionResult:
        if self._fake is None:
            raise RuntimeError("remote results are snapshots; use ControlClient.refresh")
        await self._fake.wait_for(lambda: predicate(self), timeout)
        return self

    def __repr__(self) -> str:
        d = self.data
        return (
            f"<InteractionResult cb={d['callback_type']} content={self.content!r} "
            f"ids={self.custom_ids} modal={bool(d['modal'])} errors={d['errors']}>"
        )


# ---------------------------------------------------------------------- option encoding
_SUBCOMMAND, _GROUP = 1, 2


def _resolve_object(fake: FakeDiscord, guild: Guild, value: Any, resolved: dict, kind: int) -> str:
    """Turn a Role/Channel/Member/User (or an id) into its id, filling data.resolved."""
    from .state import Channel, Member, Role, User

    if isinstance(value, str | int) and not isinstance(value, bool):
        sid = str(value)
        obj: Any = (
            next((r for r in guild.roles if r.id == sid), None)
            or fake.channels.get(sid)
            or guild.members.get(sid)
            or fake.users.get(sid)
        )
        if obj is None:
            raise LookupError(f"no role/channel/user with id {sid}")
        value = obj
    if isinstance(value, Role):
        resolved.setdefault("roles", {})[value.id] = value.wire()
        return value.id
    if isinstance(value, Channel):
        resolved.setdefault("channels", {})[value.id] = {
            "id": value.id,
            "name": value.name,
            "type": value.type,
            "permissions": str(guild.permissions_in(guild.bot_member, value)),
            "parent_id": value.parent.id if value.parent else None,
            "guild_id": guild.id,
        }
        return value.id
    if isinstance(value, Member):
        resolved.setdefault("users", {})[value.id] = value.user.wire()
        resolved.setdefault("members", {})[value.id] = {
            **value.wire(with_user=False),
            "permissions": str(guild.base_permissions(value)),
        }
        return value.id
    if isinstance(value, User):
        resolved.setdefault("users", {})[value.id] = value.wire()
        return value.id
    raise TypeError(f"cannot use {value!r} as a user/role/channel value")


def _encode_value(fake: FakeDiscord, guild: Guild, opt: dict, value: Any, resolved: dict):
    t = opt["type"]
    if opt.get("choices"):
        by_name = {c["name"]: c["value"] for c in opt["choices"]}
        values = [c["value"] for c in opt["choices"]]
        if value not in values:
            if value in by_name:
                value = by_name[value]
            else:
                raise ValueError(f"option {opt['name']!r}: {value!r} is not one of {values}")
    if t == 3:
        return str(value)
    if t == 4:
        return int(value)
    if t == 5:
        return bool(value)
    if t == 10:
        return float(value)
    if t in (6, 7, 8, 9):
        return _resolve_object(fake, guild, value, resolved, t)
    if t == 11:  # attachment: (filename, bytes[, content_type])
        filename, data, *rest = value
        att = fake._attachment_entry(filename, data, rest[0] if rest else None)
        resolved.setdefault("attachments", {})[att["id"]] = {
            k: v for k, v in att.items() if k != "data"
        }
        return att["id"]
    raise TypeError(f"option type {t} not modelled")


def _check_visible(guild: Guild, member: Member, cmd: dict) -> None:
    from .state import Perm

    needed = cmd.get("default_member_permissions")
    if needed is None:
        return
    have = guild.base_permissions(member)
    needed_bits = int(needed)
    if have == Perm.ALL or (needed_bits and have & needed_bits == needed_bits):
        return
    raise CommandHidden(
        f"{member.name} cannot use /{cmd['name']}: it needs permissions {needed_bits} "
        f"(default_member_permissions) and they have {have}"
    )


def build_command_data(
    fake: FakeDiscord,
    member: Member,
    guild: Guild,
    command: str,
    options: dict[str, Any],
    focused: str | None = None,
) -> dict:
    parts = command.split()
    cmd = fake.find_command(guild, parts[0])
    if cmd is None:
        known = [c["name"] for c in fake.global_commands + fake.guild_commands.get(guild.id, [])]
        raise LookupError(f"command {parts[0]!r} was not synced (known: {known})")
    _check_visible(guild, member, cmd)
    defs = cmd.get("options") or []
    top: list[dict] = []
    container = top
    for sub in parts[1:]:
        d = next((o for o in defs if o["name"] == sub and o["type"] in (_SUBCOMMAND, _GROUP)), None)
        if d is None:
            raise LookupError(f"{command!r}: no subcommand {sub!r}")
        node: dict = {"name": sub, "type": d["type"], "options": []}
        container.append(node)
        container = node["options"]
        defs = d.get("options") or []
    if any(o["type"] in (_SUBCOMMAND, _GROUP) for o in defs):
        raise LookupError(f"{command!r} needs a subcommand: {[o['name'] for o in defs]}")
    resolved: dict = {}
    for name, value in options.items():
        d = next((o for o in defs if o["name"] == name), None)
        if d is None:
            have = [o["name"] for o in defs]
            raise LookupError(f"{command!r} has no option {name!r}; has {have}")
        if name == focused:
            container.append(
                {"name": name, "type": d["type"], "value": str(value), "focused": True}
            )
            continue
        container.append(
            {
                "name": name,
                "type": d["type"],
                "value": _encode_value(fake, guild, d, value, resolved),
            }
        )
    if focused is None:
        missing = [o["name"] for o in defs if o.get("required") and o["name"] not in options]
        if missing:
            raise ValueError(f"{command!r}: required options missing: {missing}")
    data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": top}
    if cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data


def build_modal_components(
    fake: FakeDiscord, guild: Guild, modal: dict, values: dict[str, Any]
) -> tuple[list[dict], dict]:
    """The components of a type-5 submit in the shapes discord.py 2.7 parses."""
    resolved: dict = {}
    unused = set(values)
    counter = iter(range(1000, 100000))

    def answer(c: dict) -> dict | None:
        t, cid = c["type"], c.get("custom_id")
        cid_in = cid in values
        v = values.get(cid)
        unused.discard(cid)
        base = {"type": t, "id": c.get("id", next(counter))}
        if cid:
            base["custom_id"] = cid
        if t == 4:  # text input
            text = str(v) if cid_in else (c.get("value") or "")
            if c.get("required", True) and not text:
                raise ValueError(f"text input {cid!r} is required")
            if c.get("max_length") and len(text) > c["max_length"]:
                raise ValueError(f"text input {cid!r}: longer than max_length {c['max_length']}")
            if c.get("min_length") and text and len(text) < c["min_length"]:
                raise ValueError(f"text input {cid!r}: shorter than min_length {c['min_length']}")
            return {**base, "value": text}
        if t in (3, 5, 6, 7, 8):
            if cid_in:
                chosen = list(v) if isinstance(v, list | tuple) else [v]
            elif t == 3:
                chosen = [o["value"] for o in c.get("options", []) if o.get("default")]
            else:
                chosen = [d["id"] for d in c.get("default_values", [])]
            if t == 3:
                allowed = [o["value"] for o in c.get("options", [])]
                bad = [x for x in chosen if x not in allowed]
                if bad:
                    raise ValueError(f"select {cid!r}: {bad} not among {allowed}")
                ids = [str(x) for x in chosen]
            else:
                ids = [_resolve_object(fake, guild, x, resolved, t) for x in chosen]
            if c.get("required", True) and not ids and c.get("min_values", 1) > 0:
                raise ValueError(f"select {cid!r} is required")
            return {**base, "values": ids}
        if t == 21:  # radio group
            if not cid_in:
                v = next((o["value"] for o in c.get("options", []) if o.get("default")), None)
            if v is not None and v not in [o["value"] for o in c.get("options", [])]:
                raise ValueError(f"radio {cid!r}: {v!r} is not an option")
            if c.get("required", True) and v is None:
                raise ValueError(f"radio group {cid!r} is required")
            return {**base, "value": v}
        if t == 22:  # checkbox group
            chosen = (
                list(v)
                if cid_in
                else [o["value"] for o in c.get("options", []) if o.get("default")]
            )
            allowed = [o["value"] for o in c.get("options", [])]
            if any(x not in allowed for x in chosen):
                raise ValueError(f"checkbox group {cid!r}: {chosen} not all among {allowed}")
            lo = c.get("min_values", 1 if c.get("required", True) else 0)
            hi = c.get("max_values", len(allowed))
            if not (lo or 0) <= len(chosen) <= (hi or len(allowed)):
                raise ValueError(f"checkbox group {cid!r} takes {lo}..{hi} values")
            return {**base, "values": [str(x) for x in chosen]}
        if t == 23:  # checkbox
            return {**base, "value": bool(v) if cid_in else bool(c.get("default", False))}
        if t == 19:  # file upload: values are (filename, bytes[, content_type]) tuples
            ids = []
            for f in v or []:
                filename, data, *rest = f
                att = fake._attachment_entry(filename, data, rest[0] if rest else None)
                resolved.setdefault("attachments", {})[att["id"]] = {
                    k: x for k, x in att.items() if k != "data"
                }
                ids.append(att["id"])
            return {**base, "values": ids}
        if t == 10:
            return {"type": 10, "id": c.get("id", next(counter)), "content": c.get("content", "")}
        return None

    out: list[dict] = []
    for top in modal.get("components", []):
        if top["type"] == 1:
            row = [a for a in (answer(c) for c in top.get("components", [])) if a]
            out.append({"type": 1, "id": top.get("id", next(counter)), "components": row})
        elif top["type"] == 18:
            inner = answer(top["component"])
            out.append({"type": 18, "id": top.get("id", next(counter)), "component": inner})
        else:
            a = answer(top)
            if a:
                out.append(a)
    if unused:
        raise LookupError(f"modal {modal.get('custom_id')!r} has no inputs {sorted(unused)}")
    return out, resolved


def _message_of(fake: FakeDiscord, message: Any) -> dict:
    if isinstance(message, InteractionResult):
        message = message.message
    mid = message["id"] if isinstance(message, dict) else str(getattr(message, "id", message))
    msg = fake.messages.get(str(mid))
    if msg is None:
        raise LookupError(f"message {mid} no longer exists")
    return msg


# ---------------------------------------------------------------------- the actor mixin
class MemberActions:
    """Mixed into state.Member."""

    guild: Guild
    fake: FakeDiscord

    def _default_channel(self) -> Channel:
        from .state import Perm

        for ch in self.guild.channels:
            if ch.type == 0 and self.guild.permissions_in(self, ch) & Perm.VIEW_CHANNEL:  # type: ignore[arg-type]
                return ch
        if not any(ch.type == 0 for ch in self.guild.channels):
            # Like a fresh Discord server: a guild built without channels gets #general.
            return self.guild.add_text_channel("general")
        raise LookupError(f"{self!r} can see no text channel to act in; pass in_channel=")

    async def _finish(
        self, it: Interaction, timeout: float | None, wait_final: bool, what: str
    ) -> InteractionResult:
        fake = self.fake
        t = fake.action_timeout if timeout is None else timeout

        def errors() -> list[dict]:
            return fake.snapshot(it)["errors"]

        def settled() -> bool:
            # Acknowledged, or past the deadline: after a 10062 nothing can ack it any more,
            # and a second of slack covers a callback still in flight.
            if it.acked:
                return True
            late = fake.clock.now() - it.created
            if late > fake.ack_deadline and any(e["code"] == 10062 for e in errors()):
                return True
            return late > fake.ack_deadline + 1.0

        try:
            await fake.wait_for(settled, t)
        except TimeoutError:
            pass
        if not it.acked and not errors():
            raise InteractionTimeout(
                f"the bot did not answer {what} (waited {t}s; ack deadline "
                f"{fake.ack_deadline}s; unknown routes so far: {fake.unknown_routes})"
            )
        if it.callback_type == 5 and wait_final:
            try:
                await fake.wait_for(lambda: it.original_edits or it.followup_ids, t)
            except TimeoutError:
                pass
        return InteractionResult(fake.snapshot(it), lambda: fake.snapshot(it), fake)

    async def slash(
        self,
        command: str,
        options: dict[str, Any] | None = None,
        *,
        in_channel: Channel | None = None,
        timeout: float | None = None,
        wait_final: bool = True,
        **kw_options: Any,
    ) -> InteractionResult:
        """Run a chat-input command: ``await alice.slash("setup chapter", channel=votes)``."""
        opts = {**(options or {}), **kw_options}
        data = build_command_data(self.fake, self, self.guild, command, opts)
        ch = in_channel or self._default_channel()
        it = self.fake.begin_interaction(2, self, ch, data)  # type: ignore[arg-type]
        return await self._finish(it, timeout, wait_final, f"/{command}")

    async def autocomplete(
        self,
        command: str,
        option: str,
        value: str,
        options: dict[str, Any] | None = None,
        *,
        in_channel: Channel | None = None,
        timeout: float | None = None,
    ) -> list[dict]:
        """The choices the bot offers while ``option`` holds ``value`` (list of {name, value})."""
        opts = {**(options or {}), option: value}
        data = build_command_data(self.fake, self, self.guild, command, opts, focused=option)
        ch = in_channel or self._default_channel()
        it = self.fake.begin_interaction(4, self, ch, data)  # type: ignore[arg-type]
        r = await self._finish(it, timeout, False, f"autocomplete {command} {option}")
        return r.choices or []

    async def user_command(
        self,
        name: str,
        target: Member,
        *,
        in_channel: Channel | None = None,
        timeout: float | None = None,
    ) -> InteractionResult:
        cmd = self.fake.find_command(self.guild, name, type=2)
        if cmd is None:
            raise LookupError(f"user command {name!r} was not synced")
        _check_visible(self.guild, self, cmd)  # type: ignore[arg-type]
        resolved: dict = {}
        _resolve_object(self.fake, self.guild, target, resolved, 6)
        data = {
            "id": cmd["id"],
            "name": name,
            "type": 2,
            "target_id": target.id,
            "resolved": resolved,
        }
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        it = self.fake.begin_interaction(2, self, in_channel or self._default_channel(), data)  # type: ignore[arg-type]
        return await self._finish(it, timeout, True, f"user command {name}")

    async def message_command(
        self, name: str, message: Any, *, timeout: float | None = None
    ) -> InteractionResult:
        """Run a message context-menu command on a message (dict, id or InteractionResult)."""
        cmd = self.fake.find_command(self.guild, name, type=3)
        if cmd is None:
            raise LookupError(f"message command {name!r} was not synced")
        _check_visible(self.guild, self, cmd)  # type: ignore[arg-type]
        msg = _message_of(self.fake, message)
        data = {
            "id": cmd["id"],
            "name": name,
            "type": 3,
            "target_id": msg["id"],
            "resolved": {"messages": {msg["id"]: self.fake.wire_message(msg)}},
        }
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        ch = self.fake.channels[msg["channel_id"]]
        it = self.fake.begin_interaction(2, self, ch, data)  # type: ignore[arg-type]
        return await self._finish(it, timeout, True, f"message command {name}")

    async def interact(
        self,
        type: int,
        data: dict,
        *,
        channel: Channel | None = None,
        message: Any = None,
        timeout: float | None = None,
        wait_final: bool = True,
    ) -> InteractionResult:
        """Push a hand-built INTERACTION_CREATE (``type`` 2-5, raw ``data``) and wait for the
        bot's answer like the other actions; ``message`` is the component's message."""
        msg = _message_of(self.fake, message) if message is not None else None
        ch = channel or (self.fake.channels[msg["channel_id"]] if msg else self._default_channel())
        it = self.fake.begin_interaction(
            type,
            self,  # type: ignore[arg-type]
            ch,
            data,
            source_message_id=msg["id"] if msg else None,
        )
        return await self._finish(it, timeout, wait_final, f"interaction type {type}")

    async def click(
        self, message: Any, custom_id: str, *, timeout: float | None = None, wait_final: bool = True
    ) -> InteractionResult:
        """Press a button (by custom_id) on a message (dict, id, or an InteractionResult)."""
        msg = _message_of(self.fake, message)
        comp = find_component(msg, custom_id)
        if comp.get("type") != 2:
            raise LookupError(f"{custom_id!r} is not a button (type {comp.get('type')})")
        if comp.get("disabled"):
            raise ValueError(f"button {custom_id!r} is disabled")
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._component(msg, data, timeout, wait_final, f"button {custom_id}")

    async def select(
        self,
        message: Any,
        custom_id: str,
        values: list[Any],
        *,
        timeout: float | None = None,
        wait_final: bool = True,
    ) -> InteractionResult:
        """Pick values in a select menu. String selects take option values; user/role/channel
        selects take Member/Role/Channel objects (or ids)."""
        msg = _message_of(self.fake, message)
        comp = find_component(msg, custom_id)
        t = comp.get("type")
        if t not in (3, 5, 6, 7, 8):
            raise LookupError(f"{custom_id!r} is not a select (type {t})")
        if comp.get("disabled"):
            raise ValueError(f"select {custom_id!r} is disabled")
        lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
        if not lo <= len(values) <= hi:
            raise ValueError(f"select {custom_id!r} takes {lo}..{hi} values, got {len(values)}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": t}
        if t == 3:
            allowed = [o["value"] for o in comp.get("options", [])]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise ValueError(f"select {custom_id!r}: {bad} not among {allowed}")
            data["values"] = [str(v) for v in values]
        else:
            resolved: dict = {}
            data["values"] = [
                _resolve_object(self.fake, self.guild, v, resolved, t) for v in values
            ]
            data["resolved"] = resolved
        return await self._component(msg, data, timeout, wait_final, f"select {custom_id}")

    async def _component(self, msg: dict, data: dict, timeout, wait_final, what):
        ch = self.fake.channels[msg["channel_id"]]
        it = self.fake.begin_interaction(3, self, ch, data, source_message_id=msg["id"])  # type: ignore[arg-type]
        return await self._finish(it, timeout, wait_final, what)

    async def submit_modal(
        self,
        modal: dict | InteractionResult,
        values: dict[str, Any],
        *,
        timeout: float | None = None,
        wait_final: bool = True,
    ) -> InteractionResult:
        """Submit a modal the bot showed, values keyed by input custom_id. Text inputs take
        str; string selects/checkbox groups a list of values; radio groups one value;
        checkboxes a bool; user/role/channel selects objects or ids."""
        if isinstance(modal, InteractionResult):
            modal = modal.modal  # type: ignore[assignment]
        if not modal:
            raise ValueError("no modal to submit (the bot did not answer with a modal)")
        assert isinstance(modal, dict)
        source = self.fake.interactions[modal["source_interaction"]]
        if source.member.id != self.id:
            raise ValueError("a modal can only be submitted by the member it was shown to")
        comps, resolved = build_modal_components(self.fake, self.guild, modal, values)
        data: dict[str, Any] = {"custom_id": modal["custom_id"], "components": comps}
        if resolved:
            data["resolved"] = resolved
        it = self.fake.begin_interaction(
            5,
            self,
            source.channel,
            data,  # type: ignore[arg-type]
            source_message_id=source.source_message_id,
        )
        return await self._finish(it, timeout, wait_final, f"modal {modal['custom_id']}")
