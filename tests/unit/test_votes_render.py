"""What members see, without Discord: embeds stay within Discord's limits however long the
result, the capacity warning has its place, the chart is a PNG with one group per round."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from bot.domain.outcome import profile_of
from bot.domain.vote_types import Vote, VoteMethod, VoteState
from bot.domain.votes import Draft, ballot_options, encode_ranking, layout_of
from cogs.votes import _render, _result
from cogs.votes._views import ballot_view
from cogs.votes.notes import VoteNote

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def vote(**overrides) -> Vote:
    values = dict(
        id=7,
        guild_id=1,
        race_id=1,
        title="City Council District 3 (2027)",
        method=VoteMethod.IRV,
        layout="abcdef",
        eligible_role_ids=(5,),
        quorum=Fraction(1, 4),
        threshold=Fraction(3, 5),
        no_endorsement=True,
        opens_at=NOW,
        closes_at=NOW + timedelta(days=2),
        state=VoteState.OPEN,
        channel_id=9,
        message_id=10,
        roll_size=212,
        ballots_cast=None,
        opened_at=NOW,
        closed_at=None,
        closed_late=False,
        closed_by=None,
        result=None,
        blt_sha256=None,
        result_message_id=None,
        open_job_id=1,
        close_job_id=2,
        created_by=3,
        created_at=NOW,
    )
    values.update(overrides)
    return Vote(**values)


def embed_size(embed) -> int:
    data = embed.to_dict()
    fields = data.get("fields", [])
    assert len(fields) <= 25
    for f in fields:
        assert len(f["name"]) <= 256 and len(f["value"]) <= 1024
    assert len(data.get("description", "")) <= 4096
    return (
        len(data.get("title", ""))
        + len(data.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
        + len(data.get("footer", {}).get("text", ""))
    )


def counted(options, ballots, v):
    from bot.domain.outcome import Counted
    from bot.domain.tally.count import count_vote
    from bot.domain.tally.io.blt import write_blt

    profile = profile_of(v, options, ballots)
    result = count_vote(
        profile, "irv", no_endorsement="No endorsement", threshold=v.threshold, seed="s" * 64
    )
    cast = sum(w for _, w in ballots)
    return Counted(
        v, tuple(options), profile, write_blt(profile), "s" * 64, result, cast, 53, True, None
    )


def test_announcement_has_turnout_close_and_the_notes_in_their_order():
    options = ballot_options(["Ada", "Bo"])
    notes = [VoteNote("Questionnaires", "Read them."), VoteNote("⚠️ Capacity", "x" * 2000)]
    embed = _render.announcement(vote(), options, voted=41, marker="job:1", notes=notes)
    text = str(embed.to_dict())
    assert "41 of 212 on the roll have voted; quorum 53" in text
    assert f"<t:{int((NOW + timedelta(days=2)).timestamp())}:F>" in text
    assert "job:1" in text
    *_, first, second = embed.fields
    assert (first.name, first.value) == ("Questionnaires", "Read them.")
    assert second.name == "⚠️ Capacity" and len(second.value) == 1024  # Discord's field cap
    assert second.value.endswith("…")
    assert "Capacity" not in str(
        _render.announcement(vote(), options, voted=0, marker=None).to_dict()
    )


def test_a_long_result_fits_an_embed():
    names = [f"A candidate with a rather long name number {i:02d}" for i in range(59)]
    options = ballot_options(names)
    v = vote(state="closed", closed_at=NOW, ballots_cast=500)
    rng = random.Random(3)
    ballots = sorted(
        {
            encode_ranking(rng.sample(range(len(options)), rng.randint(1, 8))): 1
            for _ in range(500)
        }.items()
    )
    c = counted(options, ballots, v)
    assert len(c.result.rounds) > 20
    embed = _result.result_embed(c, marker="job:2")
    assert embed_size(embed) < 6000
    assert "see the attached report" in embed.to_dict()["fields"][0]["value"]
    assert "Round 1" in _result.report_text(c)
    png = _result.chart_png(c)
    assert png.startswith(b"\x89PNG")
    announcement = _render.announcement(v, options, voted=500, marker="job:1")
    assert embed_size(announcement) < 6000


def test_ballot_view_pages_thirty_options_and_keeps_custom_ids_short():
    options = ballot_options([f"Candidate {i}" for i in range(29)])
    draft = Draft(layout_of(options), 0, (29, 0))
    view = ballot_view(123456, options, draft)
    ids = [item.custom_id for item in view.children]  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids))
    assert all(len(i) <= 100 for i in ids)
    select = view.children[0]
    assert len(select.item.options) == 25  # type: ignore[attr-defined]
    assert any(i.startswith("vote:r:g:") for i in ids)
    full = Draft(layout_of(options), 0, tuple(range(len(options))))
    assert all(len(i.custom_id) <= 100 for i in ballot_view(9999999, options, full).children)  # type: ignore[attr-defined]


def test_ordinals_in_the_ballot_prompt():
    options = ballot_options(["Ada", "Bo"])
    assert "2nd choice" in _render.ballot_text(vote(), options, (0,))
    assert "abstention" in _render.ballot_text(vote(), options, ())


def test_rounds_read_as_short_lines_in_members_words():
    options = ballot_options(["Ada Ruiz", "Cy Diaz", "Di Evans"])
    a, c, d, no = (options.index(n) for n in ("Ada Ruiz", "Cy Diaz", "Di Evans", "No endorsement"))
    ballots = [
        (encode_ranking([a]), 4),
        (encode_ranking([c]), 3),
        (encode_ranking([d, c]), 2),
        (encode_ranking([no]), 1),
    ]
    text = _result.rounds_text(counted(options, ballots, vote(state="closed", closed_at=NOW)))
    assert text.splitlines() == [
        "First choices: Ada Ruiz 4, Cy Diaz 3, Di Evans 2, No endorsement 1",
        "Round 1: No endorsement out, 1 vote with no choice left",
        "Round 2: Di Evans out, 2 votes to Cy Diaz",
        "Round 3: **Cy Diaz** wins with 5 of 9 votes",
    ]
