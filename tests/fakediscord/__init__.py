"""A Discord on 127.0.0.1 that the real, unmodified discord.py 2.7.1 client talks to.

REST v10 is served under ``/api/v10/``, the gateway websocket at ``/`` (text frames), stored
attachments under ``/attachments/``, and a control API for subprocess tests under ``/_test/``.
The bot points discord.py here with ``Route.BASE = f"{base_url}/api/v10"`` and
``DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(ws URL)``; ``fake.point_discord_py_here()``
does the same for a bot in the test's own process.

In-process::

    fake = FakeDiscord()                      # token="fake-bot-token", ack_deadline=3.0
    await fake.start()                        # fake.base_url, fake.api_base, fake.gateway_url
    guild = fake.add_guild("Metro DSA")
    committee = guild.add_role("Electoral Committee", Perm.MANAGE_GUILD)
    votes = guild.add_text_channel("votes")
    review = guild.add_text_channel(
        "committee-review", [overwrite(guild.everyone, deny=Perm.VIEW_CHANNEL),
                             overwrite(committee, allow=Perm.VIEW_CHANNEL)])
    alice = guild.add_member("alice", roles=[committee])
    ... start the bot with fake.token and fake.base_url; await fake.wait_ready() ...
    r = await alice.slash("setup chapter", channel=votes, committee_role=committee)
    r.content, r.embeds, r.custom_ids, r.modal, r.attachments, r.followups, r.text
    b = await alice.click(r, "vote:ballot:1")
    done = await alice.submit_modal(b.modal, {"answer": "yes"})
    votes.messages, fake.dms_to(alice), fake.unknown_routes
    await fake.stop()

Process mode: ``python -m tests.fakediscord --port N --scenario FILE`` (see control.py for
the scenario format), driven by :class:`ControlClient`.
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
