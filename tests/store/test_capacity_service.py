"""Capacity on a real SQLite file: figures stored only when valid, the ledger across races,
measured pace replacing the estimate, `race_fits`, the weekly pace job scheduled once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import pytest_asyncio

from bot.db import Database
from bot.domain.capacity import ChapterCapacity, RaceFigures
from bot.domain.errors import InputError
from bot.domain.races import BallotLine, CandidateDraft, RaceStatus
from bot.errors import InvalidInput
from bot.services import capacity as service
from bot.services import chapters as chapter_service
from bot.services import races as race_service
from bot.store import jobs
from bot.store.chapters import ChapterConfig
from tests.jobs import jobs_of

# Sunday 1 March 2026, 12:00 in New York.
NOW = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
NY = "America/New_York"
GUILD, ACTOR = 1001, 77
pytestmark = pytest.mark.asyncio


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def guild_id() -> int:
    return GUILD


@pytest_asyncio.fixture(autouse=True)
async def chapter(db: Database) -> None:
    config = ChapterConfig(GUILD, (5,), 6, None, 10, 11, 12, 13, NY, NOW, ACTOR)
    await chapter_service.configure(db, config, now=NOW)


async def race(make_race, office, weeks, status=RaceStatus.ENDORSED, incumbent=False):
    """A race decided `weeks` from NOW (an incumbent running in it if asked)."""
    candidates = [CandidateDraft("Ina Cumbent", incumbent=True, previously_endorsed=True)]
    return await make_race(
        *(candidates if incumbent else []),
        office=office,
        ballot_line=BallotLine.NONPARTISAN,
        general_date=date(2026, 3, 1) + timedelta(weeks=weeks),
        status=status,
    )


async def figures(db, target, turnout, **kw):
    return await service.set_race(
        db,
        guild_id=GUILD,
        race=target,
        actor_id=ACTOR,
        figures=RaceFigures(turnout=turnout, **kw),
        tz=NY,
        now=NOW,
    )


async def set_chapter(db, scheduler, signups=20, shifts=1.0):
    return await service.set_chapter(
        db,
        scheduler,
        guild_id=GUILD,
        actor_id=ACTOR,
        capacity=ChapterCapacity(signups, shifts),
        tz=NY,
        now=NOW,
    )


async def test_bad_figures_store_nothing(db, scheduler, make_race):
    target = await race(make_race, "Council D1", 10)
    with pytest.raises(InputError, match="Sign-ups"):
        await set_chapter(db, scheduler, signups=0)
    with pytest.raises(InputError, match="fewer than the expected turnout"):
        await figures(db, target, 1_000, base_votes=2_000)
    with pytest.raises(InputError, match="at most 100%"):
        await figures(db, target, 1_000, contact_rate=1.25)
    assert await service.chapter_capacity(db, GUILD) is None
    assert await service.race_figures(db, GUILD, target.id) is None
    assert await jobs_of(db, GUILD, service.PACE_JOB) == []


async def test_a_past_election_is_refused(db, make_race):
    target = await race(make_race, "Council D1", 1)
    later = NOW + timedelta(weeks=2)
    with pytest.raises(InputError, match="already past"):
        await service.set_race(
            db, guild_id=GUILD, race=target, actor_id=ACTOR,
            figures=RaceFigures(turnout=5_000), tz=NY, now=later,
        )  # fmt: skip
    assert await service.race_figures(db, GUILD, target.id) is None


async def test_ledger_counts_endorsed_races_and_the_one_considered(db, scheduler, make_race):
    # 20 sign-ups x 50% x 1 shift x 27 doors = 270 a week; 10 weeks = 2,700 doors.
    await set_chapter(db, scheduler)
    old = await race(make_race, "Council D1", 10, incumbent=True)
    await figures(db, old, 1_000)  # 501 to win x 3 = 1,503 doors
    new = await race(make_race, "Council D2", 10, status=RaceStatus.EXPLORING)
    await figures(db, new, 1_000)
    mass = await race(make_race, "Mayor", 10, status=RaceStatus.EXPLORING)
    await figures(db, mass, 1_000_000, renewable=True)
    assert await service.race_fits(db, GUILD, new.id, now=NOW) is False
    assert await service.race_fits(db, GUILD, mass.id, now=NOW) is True  # not counted
    found = await service.view(db, GUILD, tz=NY, now=NOW, considering=(new.id,))
    assert [line.demand.race_id for line in found.ledger.lines] == [old.id, new.id]
    assert found.ledger.capacity == 2_700 and found.ledger.line_for(new.id).over == 306


async def test_measured_pace_replaces_the_estimate_and_logged_doors_count(db, scheduler, make_race):
    await set_chapter(db, scheduler)
    target = await race(make_race, "Council D1", 10)
    await figures(db, target, 1_000)
    for day in (date(2026, 2, 7), date(2026, 2, 21), date(2026, 2, 28)):
        await service.log_shift(
            db, guild_id=GUILD, member_id=ACTOR, doors=400, race=target,
            day=day, canvassers=1, tz=NY, now=NOW,
        )  # fmt: skip
    found = await service.view(db, GUILD, tz=NY, now=NOW)
    assert found.chapter.doors_per_week == 270 and found.measured_per_week == 300
    assert found.measured_weeks == 3 and found.uses_measured and found.ledger.per_week == 300
    assert found.races[target.id].remaining == 1_503 - 1_200
    [(item, pace)] = await service.pace_checks(db, GUILD, tz=NY, now=NOW)
    assert pace.remaining == 303 and pace.needed_per_week == 31 and not pace.behind


async def test_one_logged_shift_does_not_replace_the_estimate(db, scheduler, make_race):
    """Issue 24: one 450-door shift, averaged over four weeks, read as 112 doors a week and
    halved capacity. The estimate stands until 3 of the 4 weeks have logs."""
    await set_chapter(db, scheduler)
    target = await race(make_race, "Council D1", 10)
    await figures(db, target, 1_000)
    await service.log_shift(
        db, guild_id=GUILD, member_id=ACTOR, doors=450, race=None,
        day=date(2026, 2, 28), canvassers=1, tz=NY, now=NOW,
    )  # fmt: skip
    found = await service.view(db, GUILD, tz=NY, now=NOW)
    assert found.measured_per_week == 112.5 and found.measured_weeks == 1
    assert not found.uses_measured and found.ledger.per_week == 270


async def test_shifts_in_the_future_or_too_big_are_refused(db, make_race):
    target = await race(make_race, "Council D1", 10)
    with pytest.raises(InvalidInput, match="future"):
        await service.log_shift(
            db, guild_id=GUILD, member_id=ACTOR, doors=10, race=target,
            day=date(2026, 3, 2), canvassers=1, tz=NY, now=NOW,
        )  # fmt: skip
    with pytest.raises(InputError, match="Doors"):
        await service.log_shift(
            db, guild_id=GUILD, member_id=ACTOR, doors=10**12, race=None,
            day=date(2026, 3, 1), canvassers=30, tz=NY, now=NOW,
        )  # fmt: skip
    assert await service.canvass_log(db, GUILD) == []


async def test_the_pace_job_is_scheduled_once_for_monday_ten(db, scheduler):
    await set_chapter(db, scheduler)
    await set_chapter(db, scheduler, signups=30)
    [job] = await jobs_of(db, GUILD, service.PACE_JOB)
    assert job.due_at == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 10:00 EST
    for _ in range(2):  # a recovered run asks again: still one successor
        await service.schedule_next_pace(
            db, scheduler, guild_id=GUILD, after_job_id=job.id, now=job.due_at, tz=NY
        )
    pending = [j for j in await jobs_of(db, GUILD, service.PACE_JOB) if j.id != job.id]
    assert [j.due_at for j in pending] == [datetime(2026, 3, 9, 14, 0, tzinfo=UTC)]  # EDT


async def test_figures_round_trip(db, make_race):
    target = await race(make_race, "Council D1", 10)
    given = RaceFigures(past_turnouts=(900, 1_000, 1_100), support_rate=0.6, margin=-2.5)
    await service.set_race(
        db, guild_id=GUILD, race=target, actor_id=ACTOR, figures=given, tz=NY, now=NOW
    )
    assert await service.race_figures(db, GUILD, target.id) == given


async def cadre_candidate(db, scheduler, target, *, rooted=True):
    """A candidate with a cadre profile: a DSA member who commits to the SIO, running for a
    legislative office, assessed as rooted; the committee has said nothing of viability."""
    from bot.domain.questionnaire_sheet import Reach
    from bot.services import questionnaires

    kay = await race_service.add_candidate(
        db, guild_id=GUILD, race_id=target.id, actor_id=ACTOR, draft=CandidateDraft("Kay Dre"),
        now=NOW,
    )  # fmt: skip
    sheet = await questionnaires.send(
        db, scheduler, race=target, candidate=kay, respondent_id=500, reach=Reach.DM,
        deadline=None, actor_id=ACTOR, now=NOW,
    )  # fmt: skip
    typed = {"dsa_member": "yes", "identifies_socialist": "yes", "seeks_endorsement": "yes",
             "join_sio": "yes"}  # fmt: skip
    await questionnaires.save_page(
        db, sheet_id=sheet.sheet.id, user_id=500, page=1, typed=typed, now=NOW
    )
    await questionnaires.save_page(
        db, sheet_id=sheet.sheet.id, user_id=500, page=2, typed={"seat": "open"}, now=NOW
    )
    await questionnaires.assess(
        db, guild_id=GUILD, candidate=kay, changes={"rooted": rooted}, actor_id=ACTOR, now=NOW
    )
    return kay


async def test_a_cadre_candidate_without_a_viability_assessment_keeps_cadre_priority(
    db, scheduler, make_race
):
    """ "Chapters should prioritize cadre candidates and previously-endorsed incumbents."
    (seed, "Chapter Strategy"). Issue 24's case: an incumbent's race (3,000 doors), a cadre
    race (4,000) and an endorsed race with a 20-point margin (3,000) against 8,500 doors.
    Priority reads the cadre profile, not the report's category (whose viable path reads
    this ledger), so the cadre race comes second and fits; the third is 1,500 over."""
    from bot.domain.classify import Category
    from bot.domain.ledger import Priority
    from bot.services import questionnaires

    await service.set_chapter(
        db, scheduler, guild_id=GUILD, actor_id=ACTOR, tz=NY, now=NOW,
        capacity=ChapterCapacity(34, 1.0, show_rate=0.5, doors_per_shift=50),  # 850 a week
    )  # fmt: skip
    incumbent = await race(make_race, "Council D1", 10, incumbent=True)
    await figures(db, incumbent, 1_998)  # 1,000 to win x 3 = 3,000 doors
    other = await race(make_race, "Council D2", 10)
    await figures(db, other, 1_998, margin=20.0)  # 3,000 doors
    cadre = await race(make_race, "Council D3", 10, status=RaceStatus.EXPLORING)
    await figures(db, cadre, 1_998, doors_per_vote=4.0)  # 4,000 doors
    kay = await cadre_candidate(db, scheduler, cadre)

    found = await service.view(db, GUILD, tz=NY, now=NOW, considering=(cadre.id,))
    assert found.ledger.capacity == 8_500
    lines = [(ln.demand.race_id, ln.demand.priority, ln.over) for ln in found.ledger.lines]
    assert lines == [
        (incumbent.id, Priority.INCUMBENT, 0),
        (cadre.id, Priority.CADRE, 0),
        (other.id, Priority.OTHER, 1_500),
    ]
    assert await service.race_fits(db, GUILD, cadre.id, now=NOW) is True
    report = await questionnaires.report(db, race=cadre, candidate=kay, now=NOW)
    assert report.category is Category.CADRE, report.reason


async def test_a_candidate_short_of_a_cadre_profile_gives_no_priority(db, scheduler, make_race):
    """The same chapter, the cadre race's candidate not rooted in the chapter: no cadre
    profile, so the race is ordered by margin (unknown: last) and is the one over."""
    from bot.domain.ledger import Priority

    await service.set_chapter(
        db, scheduler, guild_id=GUILD, actor_id=ACTOR, tz=NY, now=NOW,
        capacity=ChapterCapacity(34, 1.0, show_rate=0.5, doors_per_shift=50),
    )  # fmt: skip
    incumbent = await race(make_race, "Council D1", 10, incumbent=True)
    await figures(db, incumbent, 1_998)
    other = await race(make_race, "Council D2", 10)
    await figures(db, other, 1_998, margin=20.0)
    cadre = await race(make_race, "Council D3", 10, status=RaceStatus.EXPLORING)
    await figures(db, cadre, 1_998, doors_per_vote=4.0)
    await cadre_candidate(db, scheduler, cadre, rooted=False)
    found = await service.view(db, GUILD, tz=NY, now=NOW, considering=(cadre.id,))
    lines = [(ln.demand.race_id, ln.demand.priority, ln.over) for ln in found.ledger.lines]
    assert lines == [
        (incumbent.id, Priority.INCUMBENT, 0),
        (other.id, Priority.OTHER, 0),
        (cadre.id, Priority.OTHER, 1_500),
    ]


async def test_two_members_changing_different_figures_at_once_keep_both(db, make_race):
    """`/capacity race` read the figures, merged and wrote them in two transactions: two
    committee members setting different figures at once lost one. Now both stay."""
    import asyncio

    target = await race(make_race, "Council D1", 10)
    await figures(db, target, 10_000, contact_rate=0.4)

    async def change(reset_rates=False, **given):
        return await service.change_race(
            db, guild_id=GUILD, race=target, actor_id=ACTOR, given=given,
            reset_rates=reset_rates, tz=NY, now=NOW,
        )  # fmt: skip

    await asyncio.gather(change(turnout=12_000), change(margin=-3.0), change(base_votes=500))
    stored = await service.race_figures(db, GUILD, target.id)
    assert stored is not None
    assert (stored.turnout, stored.margin, stored.base_votes) == (12_000, -3.0, 500)
    assert stored.contact_rate == 0.4  # set before, and given by nobody since

    await change(reset_rates=True)  # the rates go back to defaults; the rest stays
    stored = await service.race_figures(db, GUILD, target.id)
    assert stored is not None
    assert (stored.turnout, stored.margin, stored.contact_rate) == (12_000, -3.0, None)


async def test_a_refused_change_keeps_the_stored_figures(db, make_race):
    target = await race(make_race, "Council D1", 10)
    await figures(db, target, 10_000)
    with pytest.raises(InputError, match="fewer than the expected turnout"):
        await service.change_race(
            db, guild_id=GUILD, race=target, actor_id=ACTOR, given={"base_votes": 20_000},
            tz=NY, now=NOW,
        )  # fmt: skip
    stored = await service.race_figures(db, GUILD, target.id)
    assert stored is not None and stored.base_votes == 0 and stored.turnout == 10_000


async def test_a_votes_warning_is_copied_to_the_committee_once(db: Database, scheduler) -> None:
    """The announcement is drawn again when its post is retried: one copy job per vote."""
    copy = dict(guild_id=GUILD, title="Mayor (2027)", warning="Needs 60,003 doors", now=NOW)
    assert await service.copy_vote_warning(db, scheduler, vote_id=7, **copy)
    assert not await service.copy_vote_warning(db, scheduler, vote_id=7, **copy)
    assert await service.copy_vote_warning(db, scheduler, vote_id=8, **copy)
    made = [j for j in await jobs.unfinished(db) if j.kind == service.VOTE_WARNING_JOB]
    assert [j.payload["vote_id"] for j in made] == [7, 8]
    assert made[0].payload["warning"] == "Needs 60,003 doors"
