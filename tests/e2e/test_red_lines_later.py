"""A red line adopted after a questionnaire went out (issue 24), through the loopback
Discord: it reaches the submitted questionnaire as an added question, the report says it was
not asked and proposes no clean category, and once the candidate answers it the report is
whole again.

"These candidates should not cross any of the organization's red lines at the time of their
campaign." (seed, "Class Struggle Elections")
"""

from __future__ import annotations

import pytest

from bot.services import questionnaires
from tests.e2e.questionnaire_helpers import PAGE1, PAGE3, button, race_with, red_line_key
from tests.fakediscord import message_text

pytestmark = pytest.mark.asyncio
RACE = "City Council D3"


async def test_a_red_line_adopted_later_is_asked_and_checked(chapter) -> None:
    rosa = chapter.guild.add_member("rosa")
    race = await race_with(chapter, "Rosa Ortiz", members={"Rosa Ortiz": rosa})
    org = chapter.organiser
    sent = await org.slash("questionnaire send", race=RACE, candidate="Rosa Ortiz")
    assert "Sent to **Rosa Ortiz** by DM" in sent.content, sent.content
    invite = chapter.fake.dms_to(rosa)[-1]
    filled = await questionnaires.for_candidate(chapter.db, race.guild_id, 1)
    assert filled is not None and len(filled.form.pages) == 3  # no red lines yet
    page2 = {"office_kind": "legislative", "ballot_line": "nonpartisan", "seat": "open",
             "previously_endorsed": "no", "supporters": "SEIU 1199."}  # fmt: skip
    for page, typed in ((1, PAGE1), (2, page2), (3, PAGE3)):
        problems = await questionnaires.save_page(
            chapter.db, sheet_id=filled.sheet.id, user_id=int(rosa.id), page=page, typed=typed,
            now=chapter.clock(),
        )  # fmt: skip
        assert problems == [], problems
    await questionnaires.submit(
        chapter.db, chapter.bot.scheduler, sheet_id=filled.sheet.id, user_id=int(rosa.id),
        now=chapter.clock(),
    )  # fmt: skip
    await org.slash(
        "candidate assess", race=RACE, candidate="Rosa Ortiz", prominent=True,
        coheres_labor=True,
    )  # fmt: skip

    added = await org.slash(
        "questionnaire redline add",
        question="Will you refuse money from police unions?",
        required_answer=True,
    )
    assert "added to those still open or submitted" in added.content, added.content
    read = await org.slash("questionnaire read", race=RACE, candidate="Rosa Ortiz")
    text = message_text(read.message)
    assert (
        "“Will you refuse money from police unions?” not asked yet: adopted after the "
        "questionnaire went out" in text
    ), text
    assert "reopen a submitted questionnaire first" in text
    assert "Proposed: Undecided" in text
    assert "Meets every class-struggle candidate criterion, but a red line is not answered" in text

    reopened = await org.slash("questionnaire reopen", race=RACE, candidate="Rosa Ortiz")
    assert "open again" in reopened.content, reopened.content
    page = await rosa.click(invite, button(invite, "Resume"))
    assert page.modal["title"].startswith("Page 4 of 4"), page.modal
    last = await rosa.submit_modal(page, {red_line_key(page.modal): "yes"})
    review = await rosa.click(last.message, button(last.message, "Review"))
    again = await rosa.click(review.message, button(review.message, "Submit"))
    assert again.content.startswith("Submitted"), again.content
    read = await org.slash("questionnaire read", race=RACE, candidate="Rosa Ortiz")
    text = message_text(read.message)
    assert "not asked yet" not in text and "Proposed: Class-struggle candidate" in text, text
