"""A Discord on 127.0.0.1 that the real, unmodified discord.py 2.7.1 client talks to.

In-process::

    fake = FakeDiscord()
    await fake.start()                      # fake.base_url == "http://127.0.0.1:PORT"
    fake.point_discord_py_here()            # or the bot does it from DISCORD_API_URL
    guild = fake.add_guild("Metro DSA")
    alice = guild.add_member("alice", roles=[guild.add_role("Member")])
    ...start the bot, await fake.wait_ready()...
    r = await alice.slash("setup chapter", channel=guild.add_text_channel("votes"))

Process mode: ``python -m tests.fakediscord --port N --scenario FILE``, driven by
:class:`ControlClient`.
"""

from .actors import (
    CommandHidden,
    InteractionResult,
    InteractionTimeout,
    custom_ids,
    find_component,
    message_text,
    walk_components,
)
from .control import ControlClient, ControlError, fake_from_scenario, load_scenario
from .server import DiscordError, FakeDiscord, Interaction
from .state import Channel, Clock, Guild, Member, Perm, Role, User, overwrite

__all__ = [
    "Channel",
    "Clock",
    "CommandHidden",
    "ControlClient",
    "ControlError",
    "DiscordError",
    "FakeDiscord",
    "Guild",
    "Interaction",
    "InteractionResult",
    "InteractionTimeout",
    "Member",
    "Perm",
    "Role",
    "User",
    "custom_ids",
    "fake_from_scenario",
    "find_component",
    "load_scenario",
    "message_text",
    "overwrite",
    "walk_components",
]
