"""REST routes other than interactions: users, application, commands, channels, messages,
DMs, guilds, members, roles and scheduled events."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .protocol import EPHEMERAL, DiscordError
from .state import Perm

if TYPE_CHECKING:  # pragma: no cover
    from .state import Channel, Guild, Role

NONCE_WINDOW = 5 * 60  # Discord documents "the past few minutes"

Handler = Callable[..., Awaitable[Any]]


class RestMixin:
    """The REST half of FakeDiscord; handlers take (request, payload, files, *path ids)."""

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
            ("POST", rf"/guilds/{S}/roles", self.r_create_role, True),
            ("POST", rf"/guilds/{S}/channels", self.r_create_channel, True),
            ("PATCH", rf"/channels/{S}", self.r_edit_channel, True),
            ("DELETE", rf"/channels/{S}", self.r_delete_channel, True),
            ("PUT", rf"/channels/{S}/permissions/{S}", self.r_put_overwrite, True),
            ("DELETE", rf"/channels/{S}/permissions/{S}", self.r_delete_overwrite, True),
            ("GET", rf"/channels/{S}/messages/pins", self.r_list_pins, True),
            ("PUT", rf"/channels/{S}/messages/pins/{S}", self.r_pin, True),
            ("DELETE", rf"/channels/{S}/messages/pins/{S}", self.r_unpin, True),
        ]
        return [(m, re.compile(p + "$"), h, auth) for m, p, h, auth in table]

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
        self._require_guild(g, Perm.MANAGE_ROLES)
        self._require_above(g, role)
        (m.add_role if add else m.remove_role)(role)

    def _require_guild(self, g: Guild, needed: int) -> None:
        if needed & ~g.base_permissions(g.bot_member):
            raise DiscordError(403, 50013, "Missing Permissions")

    def _require_above(self, g: Guild, role: Role) -> None:
        """Discord's role hierarchy: a bot manages only roles below its highest role."""
        if g.owner_id == g.bot_member.id:
            return
        top = max((r.position for r in g.bot_member.roles), default=0)
        if role.position >= top:
            raise DiscordError(403, 50013, "Missing Permissions")

    async def r_create_role(self, request, payload, files, gid):
        g = self._guild(gid)
        self._require_guild(g, Perm.MANAGE_ROLES)
        role = g.add_role(
            payload.get("name") or "new role",
            int(payload.get("permissions") or 0),
            mentionable=bool(payload.get("mentionable")),
        )
        role.hoist = bool(payload.get("hoist"))
        return role.wire()

    async def r_create_channel(self, request, payload, files, gid):
        g = self._guild(gid)
        self._require_guild(g, Perm.MANAGE_CHANNELS)
        parent = self.channels.get(str(payload.get("parent_id")))
        ows = [_overwrite(o) for o in payload.get("permission_overwrites") or []]
        if payload.get("type", 0) == 4:
            ch = g.add_category(payload["name"], ows)
        elif payload.get("type", 0) == 0:
            ch = g.add_text_channel(payload["name"], ows, category=parent)
        else:
            raise DiscordError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "BASE_TYPE_CHOICES",
                                "message": "fakediscord models text channels and categories only",
                            }
                        ]
                    }
                },
            )
        ch.topic = payload.get("topic")
        return ch.wire()

    async def r_edit_channel(self, request, payload, files, cid):
        ch = self._channel(cid)
        self._require(ch, Perm.MANAGE_CHANNELS)
        for key in ("name", "topic", "position"):
            if key in payload:
                setattr(ch, key, payload[key])
        if "parent_id" in payload:
            ch.parent = self.channels.get(str(payload["parent_id"]))
        if "permission_overwrites" in payload:
            ch.overwrites = [_overwrite(o) for o in payload["permission_overwrites"] or []]
        self.dispatch("CHANNEL_UPDATE", ch.wire())
        return ch.wire()

    async def r_delete_channel(self, request, payload, files, cid):
        ch = self._channel(cid)
        self._require(ch, Perm.MANAGE_CHANNELS)
        assert ch.guild is not None
        ch.guild.channels.remove(ch)
        del self.channels[cid]
        self.dispatch("CHANNEL_DELETE", ch.wire())
        return ch.wire()

    async def r_put_overwrite(self, request, payload, files, cid, target):
        ch = self._channel(cid)
        self._require(ch, Perm.MANAGE_ROLES)
        ows = [o for o in ch.overwrites if o["id"] != target]
        ch.set_overwrites([*ows, _overwrite({**payload, "id": target})])

    async def r_delete_overwrite(self, request, payload, files, cid, target):
        ch = self._channel(cid)
        self._require(ch, Perm.MANAGE_ROLES)
        ch.set_overwrites([o for o in ch.overwrites if o["id"] != target])

    async def r_pin(self, request, payload, files, cid, mid):
        return self._set_pinned(cid, mid, True)

    async def r_unpin(self, request, payload, files, cid, mid):
        return self._set_pinned(cid, mid, False)

    def _set_pinned(self, cid: str, mid: str, pinned: bool) -> None:
        ch = self._channel(cid)
        self._require(ch, Perm.MANAGE_MESSAGES)
        msg = self._channel_message(cid, mid)
        msg["pinned"] = pinned
        msg["_pinned_at"] = self.clock.iso() if pinned else None
        d = {"channel_id": cid, "last_pin_timestamp": msg["_pinned_at"]}
        if ch.guild is not None:
            d["guild_id"] = ch.guild.id
        self.dispatch("CHANNEL_PINS_UPDATE", d)

    async def r_list_pins(self, request, payload, files, cid):
        ch = self._channel(cid)
        self._require(ch, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        pinned = sorted(
            (m for m in ch.messages if m.get("pinned")), key=lambda m: m["_pinned_at"], reverse=True
        )
        items = [{"pinned_at": m["_pinned_at"], "message": self.wire_message(m)} for m in pinned]
        return {"items": items, "has_more": False}

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


def _overwrite(o: dict) -> dict:
    return {
        "id": str(o["id"]),
        "type": int(o.get("type", 0)),
        "allow": str(o.get("allow") or 0),
        "deny": str(o.get("deny") or 0),
    }
