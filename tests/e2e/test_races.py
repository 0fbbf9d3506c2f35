"""The race register through the real bot and the loopback Discord."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from discord.ext import commands

from bot.domain.races import Race
from bot.services import chapters as chapter_service
from bot.services import races as race_service
from bot.store import audit
from bot.store import races as store
from cogs.races.sections import RaceSection, RaceViewer
from tests.e2e.conftest import ChapterWorld, build_world

pytestmark = pytest.mark.asyncio

AD36 = {
    "office": "State Assembly District 36",
    "kind": "legislative",
    "ballot_line": "partisan_primary",
    "primary": "2028-06-27",
    "general": "2028-11-07",
    "notes": "Incumbent retiring; the union wants to meet first.",
}


def gid(world: ChapterWorld) -> int:
    return int(world.guild.id)


async def add_ad36(world: ChapterWorld) -> Race:
    reply = await world.organiser.slash("race add", **AD36)
    assert reply.ephemeral, reply.text
    assert "Race added" in reply.content, reply.text
    races = await store.list_races(world.db, gid(world))
    assert len(races) == 1
    return races[0]


async def test_committee_adds_a_race_with_two_candidates(chapter: ChapterWorld) -> None:
    race = await add_ad36(chapter)
    assert race.primary_date == date(2028, 6, 27) and race.general_date == date(2028, 11, 7)

    # Picked from autocomplete: the option's value is the race's id.
    choices = await chapter.organiser.autocomplete("candidate add", "race", "assembly")
    assert [c["value"] for c in choices] == [str(race.id)]
    assert choices[0]["name"].startswith("State Assembly District 36 (2028)")

    ana = await chapter.organiser.slash(
        "candidate add", race=str(race.id), name="Ana Ruiz", member=chapter.alice, incumbent=True
    )
    assert "**Ana Ruiz** added" in ana.content, ana.text
    # Typed by name without picking, for a candidate who is not in the server.
    bo = await chapter.organiser.slash(
        "candidate add", race="state assembly district 36", name="Bo Li"
    )
    assert "**Bo Li** added" in bo.content, bo.text

    page = await chapter.organiser.slash("race show", race=str(race.id))
    assert page.ephemeral
    assert f"**Ana Ruiz** (<@{chapter.alice.id}>) — Prospective, incumbent" in page.text
    assert "**Bo Li** (not in the server) — Prospective" in page.text
    assert "Candidates (2)" in page.text
    assert "<t:" in page.text and ":D>" in page.text and ":R>" in page.text
    assert AD36["notes"] in page.text  # the committee sees its notes

    stored = await store.list_candidates(chapter.db, gid(chapter), race.id)
    assert [(c.name, c.member_id) for c in stored] == [
        ("Ana Ruiz", int(chapter.alice.id)),
        ("Bo Li", None),
    ]
    entries = await audit.for_subject(chapter.db, gid(chapter), race_service.subject(race.id))
    assert [e.action for e in entries] == ["race.add", "candidate.add", "candidate.add"]
    assert {e.actor_id for e in entries} == {int(chapter.organiser.id)}
    # Nothing about races was posted publicly.
    assert chapter.announcements.messages == [] and chapter.votes.messages == []


async def test_committee_edits_a_date(chapter: ChapterWorld) -> None:
    race = await add_ad36(chapter)
    reply = await chapter.organiser.slash("race edit", race=str(race.id), general="2028-11-14")
    assert reply.ephemeral and "Race updated" in reply.content, reply.text
    edited = await store.get_race(chapter.db, gid(chapter), race.id)
    assert edited.general_date == date(2028, 11, 14)
    assert edited.primary_date == race.primary_date and edited.notes == race.notes
    entries = await audit.for_subject(chapter.db, gid(chapter), race_service.subject(race.id))
    assert entries[-1].action == "race.edit"
    assert "general_date: 2028-11-07 -> 2028-11-14" in entries[-1].detail


async def test_members_list_and_show_races_without_committee_notes(chapter: ChapterWorld) -> None:
    race = await add_ad36(chapter)
    await chapter.organiser.slash("candidate add", race=str(race.id), name="Ana Ruiz")

    listed = await chapter.alice.slash("race list")
    assert listed.ephemeral
    assert "State Assembly District 36 (2028)" in listed.text
    assert AD36["notes"] not in listed.text

    shown = await chapter.alice.slash("race show", race=str(race.id))
    assert shown.ephemeral
    assert "Ana Ruiz" in shown.text
    assert AD36["notes"] not in shown.text and "Committee notes" not in shown.text

    # A member may look, not change; and candidates are the committee's.
    refused = await chapter.alice.slash("race edit", race=str(race.id), seats=2)
    assert "Only members with the **Electoral Committee** role" in refused.content
    refused = await chapter.alice.slash("candidate list", race=str(race.id))
    assert "Only members with the **Electoral Committee** role" in refused.content
    # Someone in the server who is not a member sees nothing.
    outsider = await chapter.outsider.slash("race list")
    assert "Only members with the **Member** role" in outsider.content
    assert await chapter.outsider.autocomplete("race show", "race", "") == []
    assert (await store.get_race(chapter.db, gid(chapter), race.id)).seats == 1


async def test_help_shows_members_only_what_they_may_use(chapter: ChapterWorld) -> None:
    member_help = await chapter.alice.slash("help")
    assert "/race list" in member_help.text and "/race show" in member_help.text
    assert "/race add" not in member_help.text and "/candidate" not in member_help.text
    committee_help = await chapter.organiser.slash("help")
    assert "/race add" in committee_help.text and "/candidate add" in committee_help.text


async def test_autocomplete_offers_only_this_chapters_races(
    chapter: ChapterWorld, tmp_path: Path
) -> None:
    other = build_world(chapter.fake, tmp_path, name="Other DSA")
    await chapter.fake.drain()
    await chapter_service.configure(chapter.db, other.config(), now=chapter.clock())
    ours = await add_ad36(chapter)
    theirs = await other.organiser.slash(
        "race add",
        office="State Assembly District 12",
        kind="legislative",
        ballot_line="general",
        general="2028-11-07",
    )
    assert "Race added" in theirs.content, theirs.text
    [their_race] = await store.list_races(chapter.db, int(other.guild.id))

    mine = await chapter.alice.autocomplete("race show", "race", "")
    assert [c["value"] for c in mine] == [str(ours.id)]
    assert await chapter.alice.autocomplete("race show", "race", "District 12") == []
    yours = await other.organiser.autocomplete("race show", "race", "assembly")
    assert [c["value"] for c in yours] == [str(their_race.id)]
    # Typing the other chapter's race id or name by hand finds nothing either.
    stolen = await chapter.organiser.slash("race show", race=str(their_race.id))
    assert "No race called" in stolen.content
    stolen = await chapter.organiser.slash("race show", race="State Assembly District 12")
    assert "No race called “State Assembly District 12”" in stolen.content
    assert "went wrong" not in stolen.content


async def test_candidate_autocomplete_lists_the_chosen_races_candidates(
    chapter: ChapterWorld,
) -> None:
    race = await add_ad36(chapter)
    await chapter.organiser.slash("candidate add", race=str(race.id), name="Ana Ruiz")
    await chapter.organiser.slash("candidate add", race=str(race.id), name="Bo Li")
    choices = await chapter.organiser.autocomplete(
        "candidate edit", "candidate", "", {"race": str(race.id)}
    )
    assert [c["name"] for c in choices] == ["Ana Ruiz · Prospective", "Bo Li · Prospective"]
    bo = choices[1]["value"]
    reply = await chapter.organiser.slash(
        "candidate edit", race=str(race.id), candidate=bo, status="questionnaire_sent"
    )
    assert "Candidate updated" in reply.content, reply.text
    assert "**Bo Li** (not in the server) — Questionnaire sent" in reply.text
    removed = await chapter.organiser.slash(
        "candidate remove", race=str(race.id), candidate="ana ruiz"
    )
    assert "**Ana Ruiz** removed" in removed.content
    names = [c.name for c in await store.list_candidates(chapter.db, gid(chapter), race.id)]
    assert names == ["Bo Li"]
    unknown = await chapter.organiser.slash(
        "candidate remove", race=str(race.id), candidate="Zed Nobody"
    )
    assert "has no candidate called “Zed Nobody”" in unknown.content


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"general": "2020-11-03", "primary": None, "ballot_line": "general"}, "in the past"),
        ({"primary": "2028-12-01"}, "must come before the general election"),
        ({"seats": 0}, "Seats must be between 1"),
        ({"general": "next tuesday"}, "An election date is a day"),
        ({"ballot_line": "nonpartisan", "primary": None, "general": None}, "general election"),
    ],
)
async def test_refused_races_store_nothing(
    chapter: ChapterWorld, options: dict[str, object], message: str
) -> None:
    values = {**AD36, **options}
    reply = await chapter.organiser.slash(
        "race add", **{k: v for k, v in values.items() if v is not None}
    )
    assert reply.ephemeral
    assert message in reply.content, reply.content
    assert "went wrong" not in reply.content
    assert await store.list_races(chapter.db, gid(chapter), include_archived=True) == []


async def test_refused_edits_and_candidates_change_nothing(chapter: ChapterWorld) -> None:
    race = await add_ad36(chapter)
    reply = await chapter.organiser.slash("race edit", race=str(race.id), primary="2029-01-01")
    assert "must come before the general election" in reply.content
    reply = await chapter.organiser.slash("race edit", race=str(race.id), general="2020-01-01")
    assert "is in the past" in reply.content
    reply = await chapter.organiser.slash("race edit", race=str(race.id))
    assert "Say what to change" in reply.content
    assert await store.get_race(chapter.db, gid(chapter), race.id) == race

    await chapter.organiser.slash("candidate add", race=str(race.id), name="Ana Ruiz")
    duplicate = await chapter.organiser.slash("candidate add", race=str(race.id), name="ANA  RUIZ")
    assert duplicate.ephemeral
    assert "already a candidate in this race" in duplicate.content
    unknown = await chapter.organiser.slash("candidate add", race="Mayor of Nowhere", name="X")
    assert "No race called “Mayor of Nowhere” in this chapter" in unknown.content
    assert len(await store.list_candidates(chapter.db, gid(chapter), race.id)) == 1


async def test_archive_hides_a_race_and_restore_brings_it_back(chapter: ChapterWorld) -> None:
    race = await add_ad36(chapter)
    reply = await chapter.organiser.slash("race archive", race=str(race.id))
    assert "is archived" in reply.content
    assert "State Assembly" not in (await chapter.alice.slash("race list")).text
    assert await chapter.alice.autocomplete("race show", "race", "") == []
    archived_choices = await chapter.organiser.autocomplete("race archive", "race", "")
    assert archived_choices[0]["name"].endswith("· archived")
    # Still there for the record, by name.
    shown = await chapter.alice.slash("race show", race="State Assembly District 36")
    assert "(archived)" in shown.text
    await chapter.organiser.slash("race archive", race=str(race.id), restore=True)
    assert "State Assembly" in (await chapter.alice.slash("race list")).text
    actions = [
        e.action
        for e in await audit.for_subject(chapter.db, gid(chapter), race_service.subject(race.id))
    ]
    assert actions == ["race.add", "race.archive", "race.restore"]


class ProbeSections(commands.Cog):
    """What a later feature's cog does to add to the race page."""

    def __init__(self) -> None:
        self.seen: list[RaceViewer] = []

    async def race_sections(self, race: Race, viewer: RaceViewer) -> list[RaceSection]:
        self.seen.append(viewer)
        return [
            RaceSection("Capacity", "Doors needed: 12,000 of 9,000 available", order=20),
            RaceSection("Vote", f"No vote yet on {race.office}", order=10),
            RaceSection("Plan risks", "Committee eyes only", order=30, committee_only=True),
        ]


class BrokenSections(commands.Cog):
    async def race_sections(self, race: Race, viewer: RaceViewer) -> list[RaceSection]:
        raise RuntimeError("a feature's bug")


async def test_other_cogs_add_sections_to_the_race_page(chapter: ChapterWorld) -> None:
    race = await add_ad36(chapter)
    probe = ProbeSections()
    await chapter.bot.add_cog(probe)
    await chapter.bot.add_cog(BrokenSections())
    page = await chapter.organiser.slash("race show", race=str(race.id))
    text = page.text
    assert text.index("No vote yet") < text.index("Doors needed") < text.index("Committee eyes")
    member_page = await chapter.alice.slash("race show", race=str(race.id))
    assert "Doors needed" in member_page.text and "Committee eyes" not in member_page.text
    assert [v.committee for v in probe.seen] == [True, False]
    assert probe.seen[0].timezone == "America/New_York"


async def test_delete_is_refused_while_a_vote_refers_to_the_race(chapter: ChapterWorld) -> None:
    race = await add_ad36(chapter)
    unconfirmed = await chapter.organiser.slash("race delete", race=str(race.id), confirm=False)
    assert "Nothing deleted" in unconfirmed.content
    # What a vote on the race looks like to the register (0002_races.sql's contract).
    async with chapter.db.transaction() as conn:
        await conn.execute(
            "CREATE TABLE plans_probe (guild_id INTEGER NOT NULL, race_id INTEGER NOT NULL,"
            " FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id))"
        )
        await conn.execute("INSERT INTO plans_probe VALUES (?, ?)", (gid(chapter), race.id))
    refused = await chapter.organiser.slash("race delete", race=str(race.id), confirm=True)
    assert refused.ephemeral
    assert "can't be deleted" in refused.content and "/race archive" in refused.content
    assert await store.get_race(chapter.db, gid(chapter), race.id) is not None

    async with chapter.db.transaction() as conn:
        await conn.execute("DELETE FROM plans_probe")
    deleted = await chapter.organiser.slash("race delete", race=str(race.id), confirm=True)
    assert "deleted" in deleted.content
    assert await store.get_race(chapter.db, gid(chapter), race.id) is None
    actions = [
        e.action
        for e in await audit.for_subject(chapter.db, gid(chapter), race_service.subject(race.id))
    ]
    assert actions == ["race.add", "race.delete"]


async def test_a_dash_clears_notes(chapter: ChapterWorld) -> None:
    race = await add_ad36(chapter)
    await chapter.organiser.slash("race edit", race=str(race.id), notes="-")
    assert (await store.get_race(chapter.db, gid(chapter), race.id)).notes == ""
