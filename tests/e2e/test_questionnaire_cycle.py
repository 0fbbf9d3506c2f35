"""Issue 25, running a cycle: `/questionnaire status` shows every state, and
`/questionnaire export` is read back cell by cell, through the real client against the
loopback Discord."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import timedelta

import pytest

from tests.e2e.questionnaire_helpers import PAGE1, PAGE3, button, race_with
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio
RACE = "City Council D3"
TRICKY = 'Small donors, a "launch-day" drive,\nthen door to door.'
CHINESE = "租金管制；市政宽带；公共食品店。"


async def answer_everything(member, start_message, page3: dict[str, str]) -> None:
    page = await member.click(start_message, button(start_message, "Start"))
    saved = await member.submit_modal(page, PAGE1)
    page = await member.click(saved.message, button(saved.message, "Next"))
    saved = await member.submit_modal(page, {"seat": "open", "supporters": "SEIU, tenants"})
    page = await member.click(saved.message, button(saved.message, "Next"))
    saved = await member.submit_modal(page, page3)
    assert saved.content.endswith("saved. That was the last page: **Review** and submit.")
    review = await member.click(saved.message, button(saved.message, "Review"))
    done = await member.click(review.message, button(review.message, "Submit"))
    assert done.content.startswith("Submitted")


def line_of(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"**{name}**"))


async def test_status_shows_every_state_and_the_export_reads_back(chapter) -> None:
    ana, cy, dee, eve = (chapter.guild.add_member(n) for n in ("ana", "cy", "dee", "eve"))
    bob = chapter.bob
    bob.dms_open = False
    names = ("Ana Sent", "Bob Server", "Cy Submitted", "Dee Published", "Eve Late", "Fay Unsent")
    members = dict(zip(names, (ana, bob, cy, dee, eve), strict=False))
    await race_with(chapter, *names, members=members)
    org = chapter.organiser
    for name in names[:4]:
        await org.slash("questionnaire send", race=RACE, candidate=name, deadline="in 14d")
    await org.slash("questionnaire send", race=RACE, candidate="Eve Late", deadline="in 2d")

    # Bob's DMs are closed: he answers page 1 in the server and stops.
    waiting = await bob.slash("questionnaire answer")
    page = await bob.click(waiting.message, button(waiting.message, "Start"))
    await bob.submit_modal(page, PAGE1)
    # Cy submits every page, with a comma, quotes, a newline and Chinese among the answers.
    await answer_everything(
        cy, chapter.fake.dms_to(cy)[-1], {**PAGE3, "fundraising": TRICKY, "priorities": CHINESE}
    )
    await answer_everything(dee, chapter.fake.dms_to(dee)[-1], PAGE3)
    published = await org.slash("questionnaire publish", race=RACE, candidate="Dee Published")
    assert "published" in published.content
    # Eve opens hers and saves nothing; then her deadline passes.
    invite = chapter.fake.dms_to(eve)[-1]
    opened = await eve.click(invite, button(invite, "Start"))
    assert opened.modal["title"].startswith("Page 1 of 3")
    chapter.clock.advance(timedelta(days=3))

    shown = await org.slash("questionnaire status", race=RACE)
    assert shown.ephemeral and not shown.attachments
    text = shown.content
    ana_line = line_of(text, "Ana Sent")
    assert "reached by DM" in ana_line and "not opened yet" in ana_line
    assert "0 of 3 pages answered" in ana_line and "overdue" not in ana_line
    bob_line = line_of(text, "Bob Server")
    assert "reached in the server (DMs closed)" in bob_line and "opened <t:" in bob_line
    assert "1 of 3 pages answered" in bob_line
    cy_line = line_of(text, "Cy Submitted")
    assert "3 of 3 pages answered" in cy_line and "submitted <t:" in cy_line
    assert "published" not in cy_line
    dee_line = line_of(text, "Dee Published")
    assert "submitted <t:" in dee_line and "published <t:" in dee_line
    eve_line = line_of(text, "Eve Late")
    assert "opened <t:" in eve_line and "0 of 3 pages answered" in eve_line
    assert "⚠️ **overdue** (due <t:" in eve_line
    assert "overdue" not in text.replace(eve_line, "")
    assert line_of(text, "Fay Unsent") == "**Fay Unsent**: not sent"
    # Without a race: every race with a questionnaire out, the same lines.
    every = await org.slash("questionnaire status")
    assert "__City Council D3 (2027)__" in every.content and eve_line in every.content

    exported = await org.slash("questionnaire export", race=RACE)
    assert exported.ephemeral
    [attached] = exported.attachments
    assert attached["filename"].endswith(".csv")
    data = attached["data"]
    assert data.startswith(codecs.BOM_UTF8)  # a spreadsheet reads it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(body) == list(names)

    def cell(name: str, key: str) -> str:
        [column] = [c for c in header if c.endswith(f"[{key}]")]
        return body[name][column]

    assert cell("Cy Submitted", "fundraising") == TRICKY
    assert cell("Cy Submitted", "priorities") == CHINESE
    assert cell("Cy Submitted", "why_us") == "W" * 4000
    assert cell("Cy Submitted", "seat") == "Open seat"  # the option as the candidate read it
    assert cell("Bob Server", "dsa_member") == "Yes" and cell("Bob Server", "fundraising") == ""
    assert body["Dee Published"]["Status"] == "Published"
    assert body["Fay Unsent"]["Status"] == "Not sent"
    assert body["Cy Submitted"]["Proposed category"].startswith("Undecided")
    verdicts = [c for c in header if c.startswith("Cadre candidate: ")]
    assert verdicts
    assert all(body["Cy Submitted"][c] in {"met", "not met", "unknown"} for c in verdicts)

    # A plain member is refused both, and learns nothing.
    asked = (("questionnaire status", {}), ("questionnaire export", {"race": RACE}))
    for command, options in asked:
        refused = await chapter.alice.slash(command, **options)
        assert "Electoral Committee" in refused.content and refused.ephemeral
        assert not refused.attachments and "Cy Submitted" not in message_text(refused.message)


async def test_a_long_status_is_attached_whole(chapter) -> None:
    names = [f"Candidate {n:02d} with a rather long name, 候选人 {n}" for n in range(40)]
    await race_with(chapter, *names)
    shown = await chapter.organiser.slash("questionnaire status", race=RACE)
    assert shown.ephemeral and len(shown.content) <= 2000
    assert shown.content.startswith("40 candidates: 0 sent, 0 opened")
    [attached] = shown.attachments
    listed = attached["data"].decode()
    assert all(f"**{name}**: not sent" in listed for name in names)
    nothing = await chapter.organiser.slash("questionnaire export", race=RACE)
    assert "No questionnaire was sent" in nothing.content and not nothing.attachments
