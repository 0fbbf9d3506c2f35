"""The committee's view of a cycle: pages answered, overdue, and the export's columns
across template versions (bot/domain/questionnaire_cycle.py)."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.classify import Category, CategoryCheck, CriteriaReport, Criterion, Status
from bot.domain.questionnaire import default_template_text, load_template
from bot.domain.questionnaire_cycle import export_table, progress
from bot.domain.questionnaire_sheet import Answer, Filled, Reach, Sheet, SheetStatus
from tests.clock import T0

V1 = load_template(default_template_text())
# Version 2 rewords `priorities` and asks a new question; keys are what stay.
V2 = load_template(
    default_template_text()
    .replace('label = "Your top three priorities"', 'label = "Your three priorities"')
    .replace(
        'key = "accountability"',
        'key = "union_card"\npage = 4\nkind = "text"\nlabel = "Your union?"\nrequired = false\n\n'
        '[[questions]]\nkey = "accountability"',
        1,
    )
)


def sheet(version: int, status: SheetStatus = SheetStatus.OPEN, **changes) -> Sheet:
    base = dict(
        id=version, guild_id=1, race_id=1, candidate_id=version, template_id=version,
        template_version=version, red_lines=(), respondent_id=9, reached_via=Reach.DM,
        deadline=T0 + timedelta(days=2), status=status, sent_by=2, sent_at=T0,
        submitted_at=None, submitted_by=None, published_at=None,
    )  # fmt: skip
    return Sheet(**{**base, **changes})


def answers(**values: str) -> dict[str, Answer]:
    return {k: Answer(k, v, True, 9, T0) for k, v in values.items()}


REPORT = CriteriaReport(
    Category.UNDECIDED,
    "inputs missing",
    (CategoryCheck(Category.CADRE, (Criterion("DSA member", Status.MET, "answer"),)),),
    (),
    (),
)


def test_a_page_counts_once_every_required_answer_on_it_is_valid() -> None:
    page1 = {"dsa_member": "yes", "identifies_socialist": "yes", "seeks_endorsement": "yes"}
    partly = Filled(sheet(1), V1, answers(**page1))
    assert progress(partly, now=T0).pages_answered == 0  # join_sio is still missing
    whole = Filled(sheet(1), V1, answers(**page1, join_sio="no"))
    assert progress(whole, now=T0).pages_answered == 1


def test_overdue_only_while_open_after_the_deadline() -> None:
    late = T0 + timedelta(days=3)
    assert progress(Filled(sheet(1), V1, {}), now=late).overdue
    assert not progress(Filled(sheet(1), V1, {}), now=T0 + timedelta(days=1)).overdue
    submitted = sheet(1, SheetStatus.SUBMITTED, submitted_at=late)
    assert not progress(Filled(submitted, V1, {}), now=late).overdue
    assert not progress(Filled(sheet(1, deadline=None), V1, {}), now=late).overdue


def test_the_export_has_one_column_per_key_across_versions() -> None:
    rows = export_table(
        [
            ("Old", Filled(sheet(1), V1, answers(priorities="Rent", seat="open")), REPORT),
            ("New", Filled(sheet(2), V2, answers(priorities="Parks", union_card="SEIU")), REPORT),
            ("Unsent", None, REPORT),
        ]
    )
    header = rows[0]
    priorities = "Your top three priorities [priorities]"  # the first version's wording
    assert [c for c in header if c.endswith("[priorities]")] == [priorities]
    assert "Your union? [union_card]" in header and "Cadre candidate: DSA member" in header
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert table["Old"][priorities] == "Rent" and table["New"][priorities] == "Parks"
    assert table["Old"]["Your union? [union_card]"] == ""  # version 1 did not ask it
    assert table["New"]["Your union? [union_card]"] == "SEIU"
    assert table["Old"]["Is the seat open? [seat]"] == "Open seat"
    assert table["Unsent"]["Status"] == "Not sent"
    assert table["Unsent"]["Cadre candidate: DSA member"] == "met"
