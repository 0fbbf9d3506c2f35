"""What a candidate and the committee do with a questionnaire, as members of the fake."""

from __future__ import annotations

from typing import Any

from bot.domain.races import BallotLine, CandidateDraft, OfficeKind, RaceDraft
from bot.services import races as race_service
from tests.clock import ELECTION
from tests.fakediscord import message_text
from tests.fakediscord.actors import walk_components

PAGE1 = {
    "dsa_member": "yes",
    "dsa_member_since": "2019-03-01",
    "identifies_socialist": "yes",
    "seeks_endorsement": "yes",
    "join_sio": "yes",
}
PAGE3 = {
    "fundraising": "Small donors and a launch-day drive.",
    "priorities": "Rent control; municipal broadband; a public grocery.",
    "volunteers": "120",
    "why_us": "W" * 4000,
    "accountability": "I vote with the chapter or resign from the SIO.",
}


async def race_with(world: Any, *names: str, members: dict[str, Any] | None = None):
    """A legislative, non-partisan race with these candidates (linked to members if given)."""
    race = await race_service.add_race(
        world.db,
        guild_id=int(world.guild.id),
        actor_id=int(world.organiser.id),
        draft=RaceDraft(
            "City Council D3", OfficeKind.LEGISLATIVE, BallotLine.NONPARTISAN, ELECTION
        ),
        now=world.clock(),
        tz="America/New_York",
    )
    for name in names:
        member = (members or {}).get(name)
        await race_service.add_candidate(
            world.db,
            guild_id=int(world.guild.id),
            race_id=race.id,
            actor_id=int(world.organiser.id),
            draft=CandidateDraft(name, member_id=int(member.id) if member else None),
            now=world.clock(),
        )
    return race


def button(message: dict, label: str) -> str:
    for c in walk_components(message.get("components", [])):
        if c.get("type") == 2 and c.get("label") == label:
            return c["custom_id"]
    raise LookupError(f"no button {label!r} in {message_text(message)[:200]!r}")


def modal_inputs(modal: dict) -> dict[str, dict]:
    """custom_id -> the input component, for every Label in a page's modal."""
    return {top["component"]["custom_id"]: top["component"] for top in modal["components"]}


def red_line_key(modal: dict) -> str:
    return next(k for k in modal_inputs(modal) if k.startswith("red_line_"))


async def report_post(world: Any, name: str) -> dict:
    """The review channel's post of `name`'s questionnaire, once the bot made it."""

    def found() -> list[dict]:
        return [m for m in world.review.messages if f"Criteria report: {name}" in message_text(m)]

    await world.fake.wait_for(found, 5)
    return found()[-1]
