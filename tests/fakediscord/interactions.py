"""Interactions: the callback endpoint, @original and followup webhooks, and the
INTERACTION_CREATE payloads the fake builds when a member acts."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from .protocol import EPHEMERAL, LOADING, DiscordError

if TYPE_CHECKING:  # pragma: no cover
    from .server import FakeDiscord
    from .state import Channel, Member

WEBHOOK_TOKEN_TTL = 15 * 60  # an interaction token works for 15 minutes

# callback types allowed per interaction type (2 command, 3 component, 4 autocomplete, 5 modal)
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}


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
        self.modal: dict | None = None
        self.choices: list[dict] | None = None
        self.payload: dict = {}

    @property
    def acked(self) -> bool:
        return self.callback_type is not None


class InteractionsMixin:
    """The interaction half of FakeDiscord."""

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

    def _dm_interaction_payload(self, it: Interaction) -> dict:
        """An interaction in the bot's DM with a user (context 1, BOT_DM): docs "Interaction
        Object": `user` instead of `member`, no guild; a guild install's owner key is "0"."""
        from .state import Perm

        dm_perms = (
            Perm.VIEW_CHANNEL
            | Perm.SEND_MESSAGES
            | Perm.EMBED_LINKS
            | Perm.ATTACH_FILES
            | Perm.READ_MESSAGE_HISTORY
            | Perm.ADD_REACTIONS
            | Perm.USE_EXTERNAL_EMOJIS
        )
        payload: dict[str, Any] = {
            "id": it.id,
            "application_id": self.application_id,
            "type": it.type,
            "token": it.token,
            "version": 1,
            "data": it.data,
            "channel_id": it.channel.id,
            "channel": it.channel.wire(),
            "user": it.member.user.wire(),
            "app_permissions": str(dm_perms),
            "locale": "en-US",
            "entitlements": [],
            "entitlement_sku_ids": [],
            "authorizing_integration_owners": {"0": "0"},
            "context": 1,
            "attachment_size_limit": self.attachment_size_limit,
        }
        if it.source_message_id and it.source_message_id in self.messages:
            payload["message"] = self.wire_message(self.messages[it.source_message_id])
        return payload

    def interaction_payload(self, it: Interaction) -> dict:
        guild = it.channel.guild
        if guild is None:
            return self._dm_interaction_payload(it)
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
        if channel.type == 1 and (channel.recipient is None or channel.recipient.id != member.id):
            raise PermissionError("fakediscord: only the DM's recipient can act in it")
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
