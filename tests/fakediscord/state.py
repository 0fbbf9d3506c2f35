"""In-memory Discord state: snowflakes, a settable clock, guilds, roles, channels, members.

Everything here is synchronous and Discord-shaped: ``*.wire()`` returns the JSON object
Discord would send for that entity. Gateway dispatches for changes made by a test go through
``FakeDiscord.dispatch`` (a no-op until a bot has connected).
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .server import FakeDiscord

DISCORD_EPOCH_MS = 1420070400000


class Perm:
    """Permission bits (https://discord.com/developers/docs/topics/permissions)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_EVENTS = 1 << 33
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38
    ALL = (1 << 53) - 1

    # What a fresh guild's @everyone gets in this fake (close to Discord's default).
    DEFAULT_EVERYONE = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | MENTION_EVERYONE
        | USE_EXTERNAL_EMOJIS
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS
    )


def _bits(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    if hasattr(value, "value"):  # discord.Permissions
        return int(value.value)
    if isinstance(value, str):
        return int(value) if value.isdigit() else getattr(Perm, value.upper())
    if isinstance(value, list | tuple | set):
        out = 0
        for v in value:
            out |= _bits(v)
        return out
    raise TypeError(f"cannot turn {value!r} into permission bits")


class Clock:
    """Wall clock plus an offset a test can advance (``fake.clock.advance(16 * 60)``)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def iso(self, ts: float | None = None) -> str:
        return datetime.fromtimestamp(self.now() if ts is None else ts, UTC).isoformat()


class Snowflakes:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._counter = itertools.count(1)

    def next(self) -> str:
        ms = int(self.clock.now() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._counter) & 0x3FFFFF))


def overwrite(target: Any, *, allow: Any = 0, deny: Any = 0) -> dict:
    """A channel permission overwrite for a Role (type 0) or Member/User (type 1)."""
    if isinstance(target, Role):
        kind, tid = 0, target.id
    elif isinstance(target, Member | User):
        kind, tid = 1, target.id
    else:
        raise TypeError("overwrite target must be a Role or Member")
    return {"id": tid, "type": kind, "allow": str(_bits(allow)), "deny": str(_bits(deny))}


class User:
    def __init__(self, fake: FakeDiscord, name: str, *, bot: bool = False, id: str | None = None):
        self.fake = fake
        self.id = id or fake.snowflakes.next()
        self.name = name
        self.bot = bot
        self.dms_open = True
        self.global_name: str | None = None

    def wire(self) -> dict:
        return {
            "id": self.id,
            "username": self.name,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }

    def __repr__(self) -> str:
        return f"<User {self.name} {self.id}>"


class Role:
    def __init__(self, guild: Guild, name: str, permissions: int, *, id: str | None = None):
        self.guild = guild
        self.id = id or guild.fake.snowflakes.next()
        self.name = name
        self.permissions = permissions
        self.position = len(guild.roles)
        self.mentionable = False
        self.hoist = False
        self.managed = False

    def wire(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def __repr__(self) -> str:
        return f"<Role {self.name} {self.id}>"


class Channel:
    """A guild text channel (type 0), category (4) or a DM channel (type 1, guild None)."""

    def __init__(
        self,
        fake: FakeDiscord,
        guild: Guild | None,
        name: str,
        *,
        type: int = 0,
        overwrites: list[dict] | None = None,
        parent: Channel | None = None,
        recipient: User | None = None,
    ):
        self.fake = fake
        self.guild = guild
        self.id = fake.snowflakes.next()
        self.name = name
        self.type = type
        self.overwrites: list[dict] = list(overwrites or [])
        self.parent = parent
        self.recipient = recipient
        self.position = len(guild.channels) if guild else 0
        self.topic: str | None = None

    def wire(self) -> dict:
        if self.type == 1:
            return {
                "id": self.id,
                "type": 1,
                "last_message_id": None,
                "recipients": [self.recipient.wire()] if self.recipient else [],
                "flags": 0,
            }
        assert self.guild is not None
        return {
            "id": self.id,
            "type": self.type,
            "guild_id": self.guild.id,
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [dict(o) for o in self.overwrites],
            "parent_id": self.parent.id if self.parent else None,
            "topic": self.topic,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }

    def set_overwrites(self, overwrites: list[dict]) -> None:
        self.overwrites = list(overwrites)
        if self.guild is not None:
            self.fake.dispatch("CHANNEL_UPDATE", self.wire())

    @property
    def messages(self) -> list[dict]:
        """Messages the channel now holds (newest last); ephemeral messages are not here."""
        return self.fake.channel_messages(self.id)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def __repr__(self) -> str:
        return f"<Channel #{self.name} {self.id}>"


class Guild:
    def __init__(self, fake: FakeDiscord, name: str, *, id: str | None = None):
        self.fake = fake
        self.id = id or fake.snowflakes.next()
        self.name = name
        self.roles: list[Role] = []
        self.channels: list[Channel] = []
        self.members: dict[str, Member] = {}
        self.scheduled_events: dict[str, dict] = {}
        self.owner_id: str | None = None
        self.everyone = Role(self, "@everyone", Perm.DEFAULT_EVERYONE, id=self.id)
        self.roles.append(self.everyone)
        # The bot is a member of every guild, with no roles but @everyone by default.
        self.bot_member = Member(self, fake.bot_user, [])
        self.members[fake.bot_user.id] = self.bot_member

    # ---- building -------------------------------------------------------------------
    def add_role(self, name: str, permissions: Any = 0, *, mentionable: bool = False) -> Role:
        role = Role(self, name, _bits(permissions))
        role.mentionable = mentionable
        self.roles.append(role)
        self.fake.dispatch("GUILD_ROLE_CREATE", {"guild_id": self.id, "role": role.wire()})
        return role

    def add_category(self, name: str, overwrites: list[dict] | None = None) -> Channel:
        ch = Channel(self.fake, self, name, type=4, overwrites=overwrites)
        self.channels.append(ch)
        self.fake.channels[ch.id] = ch
        self.fake.dispatch("CHANNEL_CREATE", ch.wire())
        return ch

    def add_text_channel(
        self, name: str, overwrites: list[dict] | None = None, *, category: Channel | None = None
    ) -> Channel:
        ch = Channel(self.fake, self, name, type=0, overwrites=overwrites, parent=category)
        self.channels.append(ch)
        self.fake.channels[ch.id] = ch
        self.fake.dispatch("CHANNEL_CREATE", ch.wire())
        return ch

    def delete_channel(self, channel: Channel) -> None:
        """Someone deletes the channel in Discord's client (the bot is told, as by REST)."""
        self.channels.remove(channel)
        del self.fake.channels[channel.id]
        self.fake.dispatch("CHANNEL_DELETE", channel.wire())

    def add_member(
        self,
        name: str,
        roles: list[Role] | None = None,
        *,
        dms_open: bool = True,
        owner: bool = False,
        bot: bool = False,
        user: User | None = None,
        nick: str | None = None,
    ) -> Member:
        if user is None:
            user = self.fake.users_by_name.get(name) if not bot else None
            if user is None or user.id in self.members:
                user = User(self.fake, name, bot=bot)
                self.fake.users[user.id] = user
                self.fake.users_by_name.setdefault(name, user)
        user.dms_open = dms_open
        member = Member(self, user, list(roles or []), nick=nick)
        self.members[user.id] = member
        if owner:
            self.owner_id = user.id
        self.fake.dispatch("GUILD_MEMBER_ADD", {**member.wire(), "guild_id": self.id})
        return member

    def remove_member(self, member: Member) -> None:
        self.members.pop(member.id, None)
        self.fake.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": self.id, "user": member.user.wire()})

    def role(self, name: str) -> Role:
        for r in self.roles:
            if r.name == name:
                return r
        raise KeyError(name)

    def channel(self, name: str) -> Channel:
        for c in self.channels:
            if c.name == name:
                return c
        raise KeyError(name)

    def member(self, name: str) -> Member:
        for m in self.members.values():
            if m.user.name == name:
                return m
        raise KeyError(name)

    # ---- permissions -----------------------------------------------------------------
    def base_permissions(self, member: Member) -> int:
        if member.id == self.owner_id:
            return Perm.ALL
        perms = self.everyone.permissions
        role_ids = set(member.role_ids)
        for role in self.roles:
            if role.id in role_ids:
                perms |= role.permissions
        if perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        return perms

    def permissions_in(self, member: Member, channel: Channel | None) -> int:
        """Discord's algorithm: base, then @everyone, role and member overwrites."""
        perms = self.base_permissions(member)
        if perms == Perm.ALL or channel is None:
            return perms
        ows = list(channel.overwrites)
        for ow in ows:
            if ow["type"] == 0 and ow["id"] == self.id:
                perms &= ~int(ow["deny"])
                perms |= int(ow["allow"])
        allow = deny = 0
        role_ids = set(member.role_ids)
        for ow in ows:
            if ow["type"] == 0 and ow["id"] in role_ids:
                allow |= int(ow["allow"])
                deny |= int(ow["deny"])
        perms &= ~deny
        perms |= allow
        for ow in ows:
            if ow["type"] == 1 and ow["id"] == member.id:
                perms &= ~int(ow["deny"])
                perms |= int(ow["allow"])
        if not perms & Perm.VIEW_CHANNEL:
            return 0
        if not perms & Perm.SEND_MESSAGES:
            perms &= ~(Perm.EMBED_LINKS | Perm.ATTACH_FILES | Perm.MENTION_EVERYONE)
        return perms

    # ---- wire ------------------------------------------------------------------------
    def wire(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": self.owner_id or self.fake.bot_user.id,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.wire() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }

    def create_payload(self) -> dict:
        """GUILD_CREATE: the guild with roles, channels and all members."""
        return {
            **self.wire(),
            "unavailable": False,
            "large": False,
            "joined_at": self.fake.clock.iso(),
            "member_count": len(self.members),
            "members": [m.wire() for m in self.members.values()],
            "channels": [c.wire() for c in self.channels],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": list(self.scheduled_events.values()),
            "soundboard_sounds": [],
        }

    def __repr__(self) -> str:
        return f"<Guild {self.name} {self.id}>"


from .actors import MemberActions  # noqa: E402  (cycle: actors needs the classes above)


class Member(MemberActions):
    """A guild member. Also the test-facing actor: ``await alice.slash("vote", ...)``."""

    def __init__(self, guild: Guild, user: User, roles: list[Role], *, nick: str | None = None):
        self.guild = guild
        self.user = user
        self.roles: list[Role] = roles
        self.nick = nick
        self.joined_at = guild.fake.clock.iso()

    @property
    def fake(self) -> FakeDiscord:
        return self.guild.fake

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    @property
    def role_ids(self) -> list[str]:
        return [r.id for r in self.roles if r.id != self.guild.id]

    @property
    def dms_open(self) -> bool:
        return self.user.dms_open

    @dms_open.setter
    def dms_open(self, value: bool) -> None:
        self.user.dms_open = value

    def permissions_in(self, channel: Channel | None) -> int:
        return self.guild.permissions_in(self, channel)

    def wire(self, *, with_user: bool = True) -> dict:
        out = {
            "roles": self.role_ids,
            "nick": self.nick,
            "avatar": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            out["user"] = self.user.wire()
        return out

    def say(self, channel: Channel, content: str) -> dict:
        """The member posts a plain message; the bot hears MESSAGE_CREATE (content blanked
        unless it identified with the MESSAGE_CONTENT intent or is mentioned)."""
        return self.fake.create_message(channel, self.user, {"content": content})

    # ---- changes a test makes; the bot hears GUILD_MEMBER_UPDATE --------------------
    def set_roles(self, roles: list[Role]) -> None:
        self.roles = list(roles)
        self.fake.dispatch("GUILD_MEMBER_UPDATE", {**self.wire(), "guild_id": self.guild.id})

    def add_role(self, role: Role) -> None:
        if role not in self.roles:
            self.set_roles([*self.roles, role])

    def remove_role(self, role: Role) -> None:
        self.set_roles([r for r in self.roles if r is not role])

    def __repr__(self) -> str:
        return f"<Member {self.name} {self.id} in {self.guild.name}>"
