"""Driving an endorsement vote through the loopback Discord, as members would."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.races import BallotLine, CandidateDraft, OfficeKind, RaceDraft
from bot.services import races as race_service
from bot.services import votes as vote_service
from bot.store import votes as vote_store
from tests.clock import ELECTION
from tests.fakediscord import custom_ids, walk_components

NOW_TZ = "America/New_York"


async def make_race(world, names, office="City Council D3"):
    race = await race_service.add_race(
        world.db,
        guild_id=int(world.guild.id),
        actor_id=int(world.organiser.id),
        draft=RaceDraft(office, OfficeKind.LEGISLATIVE, BallotLine.GENERAL, ELECTION),
        now=world.clock(),
        tz=NOW_TZ,
    )
    for name in names:
        await race_service.add_candidate(
            world.db,
            guild_id=int(world.guild.id),
            race_id=race.id,
            actor_id=int(world.organiser.id),
            draft=CandidateDraft(name),
            now=world.clock(),
        )
    return race


def button_by_label(message: dict, label: str) -> str:
    for c in walk_components(message.get("components", [])):
        if c.get("type") == 2 and c.get("label") == label:
            return c["custom_id"]
    raise LookupError(f"no button {label!r}")


async def create_vote(world, race, *, extra="", **options):
    """`/vote create` -> modal -> preview -> Create; the new vote (scheduled or open)."""
    options.setdefault("closes", "in 2d")
    modal = await world.organiser.slash("vote create", race=str(race.id), **options)
    assert modal.modal is not None, modal.text
    registered = [
        c.name for c in await race_service.list_candidates(world.db, race.guild_id, race.id)
    ]
    names = "\n".join([*registered, *extra.splitlines()])
    preview = await world.organiser.submit_modal(modal, {"vote:create:names": names})
    assert preview.ephemeral and "Preview" in preview.text, preview.text
    created = await world.organiser.click(
        preview, button_by_label(preview.message, "Create the vote")
    )
    text = created.message["content"] if created.message else ""
    assert "is set" in text, text
    vote_id = int(text.split("**#", 1)[1].split("**", 1)[0])
    return await vote_store.get_vote(world.db, int(world.guild.id), vote_id)


async def wait_announcement(world, vote_id, timeout=10.0):
    def find():
        for m in world.votes.messages:
            if f"vote:ballot:{vote_id}" in custom_ids(m):
                return m
        return None

    return await world.fake.wait_for(find, timeout)


def result_posts(world, vote_id: int) -> list[dict]:
    """The vote's result posts in the votes channel (an embed "Result..." with its BLT)."""
    return [
        m
        for m in world.votes.messages
        if any((e.get("title") or "").startswith("Result") for e in m.get("embeds", []))
        and any(a["filename"] == f"vote-{vote_id}.blt" for a in m.get("attachments", []))
    ]


async def wait_result(world, vote_id, timeout=15.0):
    def first():
        return next(iter(result_posts(world, vote_id)), None)

    return await world.fake.wait_for(first, timeout)


async def open_ballot(member, announcement, vote_id):
    return await member.click(announcement, f"vote:ballot:{vote_id}")


async def rank(world, member, message_id, names):
    """Pick `names` in order on the member's ballot message (paging as needed)."""
    for name in names:
        for _ in range(5):
            msg = world.fake.message(message_id)
            select = next(c for c in walk_components(msg["components"]) if c["type"] == 3)
            value = next((o["value"] for o in select["options"] if o["label"] == name), None)
            if value is not None:
                await member.select(msg, select["custom_id"], [value])
                break
            page = next(cid for cid in custom_ids(msg) if cid.startswith("vote:r:g:"))
            await member.click(msg, page)
        else:
            raise LookupError(f"{name!r} is not on any page of the ballot")


async def submit(world, member, message_id, timeout=None):
    msg = world.fake.message(message_id)
    cid = next(cid for cid in custom_ids(msg) if cid.startswith("vote:r:s:"))
    return await member.click(msg, cid, timeout=timeout)


async def cast(world, member, announcement, vote_id, names):
    """A whole ballot: Vote, rank `names`, Submit; the submit's InteractionResult."""
    opened = await open_ballot(member, announcement, vote_id)
    assert opened.ephemeral, opened.text
    message_id = opened.message["id"]
    await rank(world, member, message_id, names)
    return await submit(world, member, message_id)


def recorded(result) -> bool:
    msg = result.message or {}
    return "Your ballot is recorded" in (msg.get("content") or "")


# --- holding a vote's close mid-run ----------------------------------------------------------


class HeldClose:
    """Stops the close job's handler inside the close step until `release()`.

    `before_freeze=True` holds it before `close_vote` runs (job claimed, vote still open);
    otherwise after it returns (ballots frozen and counted, result not yet posted). No
    database transaction is open while it waits, so commands can run meanwhile.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, before_freeze: bool) -> None:
        self.entered = asyncio.Event()
        self._release = asyncio.Event()
        self.calls = 0
        original = vote_service.close_vote

        async def held(*args, **kwargs):
            self.calls += 1
            if before_freeze:
                self.entered.set()
                await self._release.wait()
                return await original(*args, **kwargs)
            counted = await original(*args, **kwargs)
            self.entered.set()
            await self._release.wait()
            return counted

        # The cog calls `service.close_vote` through the module, so this is what it runs.
        monkeypatch.setattr(vote_service, "close_vote", held)

    async def wait_entered(self) -> None:
        await asyncio.wait_for(self.entered.wait(), 5)

    def release(self) -> None:
        self._release.set()


async def open_vote_with_a_ballot(world):
    race = await make_race(world, ["Ada Ruiz", "Bo Chen"])
    vote = await create_vote(world, race, closes="in 1h")
    announcement = await wait_announcement(world, vote.id)
    assert recorded(await cast(world, world.alice, announcement, vote.id, ["Ada Ruiz"]))
    return vote


async def audit_text(world, vote) -> str:
    shown = await world.organiser.slash("vote audit", vote=str(vote.id))
    assert shown.ephemeral and f"Audit: vote #{vote.id}" in shown.text, shown.text
    return shown.text
