"""The strategy's endorsement criteria, applied to a candidate: a proposed category and why.

Pure: answers (the questionnaire), the race register's facts and the committee's assessment
go in; a `CriteriaReport` comes out listing every criterion as met / not met / unknown with
the answer or input it came from. The rules are those of the seed strategy (docs/domain.md
section 1), in this order:

1. Red lines: crossing any red line means "do not endorse", whatever else holds; while one
   is unanswered (adopted after the questionnaire went out) no category is proposed clean.
2. Independents in partisan races are generally not endorsed ("Ballot Line"); a
   non-partisan race is not an "independent race".
3. Cadre: DSA member and open socialist, rooted in the chapter's internal life,
   accountable (commits to the SIO structure), running for a non-symbolic (executive or
   legislative) office, with a viable path to victory ("Cadre Elections"): a winnable
   district (open seat or weak incumbent) *and* a win number within the chapter's capacity
   (the capacity ledger). Both are shown; either failing fails the path.
4. Incumbent re-endorsement: a previously endorsed incumbent who worked with the chapter
   ("the one exception to the no-paper-endorsements policy").
5. Class struggle: a prominent race, a candidate who coheres labor and the progressive
   movement, actively solicits the endorsement, is a DSA member and publicly identifies as
   a democratic socialist. Joining the SIO committee is shown but never gates.
6. Otherwise: undecided while a criterion is unknown, else "should not be endorsed".

The bot advises; members decide by vote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.officials import OfficeRecord, worked_with_chapter
from bot.domain.questionnaire import NO, YES, RedLine


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    UNKNOWN = "unknown"


class Category(StrEnum):
    CADRE = "cadre"
    INCUMBENT = "incumbent"
    CLASS_STRUGGLE = "class_struggle"
    UNDECIDED = "undecided"
    NEITHER = "neither"
    DO_NOT_ENDORSE = "do_not_endorse"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Category.CADRE: "Cadre candidate",
    Category.INCUMBENT: "Incumbent re-endorsement",
    Category.CLASS_STRUGGLE: "Class-struggle candidate",
    Category.UNDECIDED: "Undecided: inputs missing",
    Category.NEITHER: "Should not be endorsed",
    Category.DO_NOT_ENDORSE: "Do not endorse: a red line is crossed",
}


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the committee judges and a candidate cannot answer (`/candidate assess`);
    None where the committee has not said."""

    prominent: bool | None = None
    coheres_labor: bool | None = None
    rooted: bool | None = None
    viable: bool | None = None  # a winnable district: open seat or weak incumbent
    worked_with_chapter: bool | None = None
    worked_reason: str = ""  # why the committee judges otherwise than the record in office


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the classification reads. `answers` holds valid answers by question key;
    `capacity_fits` is the capacity ledger's verdict (None: no ledger for this race)."""

    answers: Mapping[str, str]
    red_lines: Sequence[RedLine]
    office_kind: str
    incumbent: bool
    previously_endorsed: bool
    assessment: Assessment = Assessment()
    capacity_fits: bool | None = None
    office_record: OfficeRecord | None = None  # their record as the chapter's official


@dataclass(frozen=True, slots=True)
class Criterion:
    label: str
    status: Status
    source: str
    gating: bool = True


@dataclass(frozen=True, slots=True)
class CategoryCheck:
    category: Category
    criteria: tuple[Criterion, ...]

    @property
    def met(self) -> bool:
        return all(c.status is Status.MET for c in self.criteria if c.gating)

    @property
    def failed(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.gating and c.status is Status.NOT_MET)

    @property
    def unknown(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.gating and c.status is Status.UNKNOWN)


@dataclass(frozen=True, slots=True)
class CriteriaReport:
    category: Category
    reason: str
    checks: tuple[CategoryCheck, ...]
    red_lines_crossed: tuple[RedLine, ...]
    red_lines_unanswered: tuple[RedLine, ...]


def _answered(facts: Facts, key: str, label: str, source_label: str) -> Criterion:
    value = facts.answers.get(key)
    if value is None:
        return Criterion(label, Status.UNKNOWN, f"not answered: “{source_label}”")
    status = Status.MET if value == YES else Status.NOT_MET
    return Criterion(label, status, f"answered {value}: “{source_label}”")


def _assessed(value: bool | None, label: str) -> Criterion:
    if value is None:
        return Criterion(label, Status.UNKNOWN, "committee has not assessed it (/candidate assess)")
    status = Status.MET if value else Status.NOT_MET
    return Criterion(label, status, f"committee's assessment: {'yes' if value else 'no'}")


def _member(facts: Facts) -> Criterion:
    return _answered(facts, "dsa_member", "DSA member", "Are you a DSA member?")


def _office(facts: Facts) -> Criterion:
    kind = facts.answers.get("office_kind")
    source = f"answered {kind}" if kind else f"race register: {facts.office_kind}"
    kind = kind or facts.office_kind
    status = Status.MET if kind in ("executive", "legislative") else Status.NOT_MET
    return Criterion("Non-symbolic office (executive or legislative)", status, source)


def _open_socialist(facts: Facts) -> Criterion:
    # "candidates who are not members of DSA or open socialists ... should not be endorsed"
    return _answered(
        facts,
        "identifies_socialist",
        "Publicly a democratic socialist",
        "Do you call yourself a democratic socialist?",
    )


WINNABLE = "Winnable district: open seat or weak incumbent"
WITHIN_CAPACITY = "Win number within the chapter's capacity"


def _winnable(facts: Facts) -> Criterion:
    """ "a winnable district ..., either an open seat or a weak incumbent": the committee's
    judgement where it gave one, else the seat as answered (a challenger needs the committee
    to say whether the incumbent is weak)."""
    if facts.assessment.viable is not None:
        return _assessed(facts.assessment.viable, WINNABLE)
    seat = facts.answers.get("seat")
    if seat == "open":
        return Criterion(WINNABLE, Status.MET, "answered open: “Is the seat open?”")
    if seat == "incumbent" or facts.incumbent:
        return Criterion(WINNABLE, Status.MET, "the candidate holds the seat")
    if seat == "challenger":
        return Criterion(
            WINNABLE,
            Status.UNKNOWN,
            "challenges an incumbent: is the incumbent weak? (/candidate assess viable)",
        )
    return _assessed(None, WINNABLE)


def _within_capacity(facts: Facts) -> Criterion:
    """ "a win number low enough that the chapter can plausibly directly contact enough
    voters to win": the capacity ledger's verdict, under the ledger's priority."""
    if facts.capacity_fits is None:
        return Criterion(
            WITHIN_CAPACITY,
            Status.UNKNOWN,
            "no capacity ledger for this race yet (/capacity chapter, /capacity race)",
        )
    if facts.capacity_fits:
        return Criterion(
            WITHIN_CAPACITY, Status.MET, "capacity ledger: the race fits the chapter's doors"
        )
    return Criterion(
        WITHIN_CAPACITY,
        Status.NOT_MET,
        "capacity ledger: the race does not fit the chapter's doors",
    )


def _incumbent(facts: Facts) -> Criterion:
    seat = facts.answers.get("seat")
    if facts.incumbent:
        return Criterion("Incumbent", Status.MET, "race register: incumbent")
    if seat is not None:
        status = Status.MET if seat == "incumbent" else Status.NOT_MET
        return Criterion("Incumbent", status, f"answered {seat}: “Is the seat open?”")
    return Criterion("Incumbent", Status.NOT_MET, "race register: not the incumbent")


def _previously_endorsed(facts: Facts) -> Criterion:
    label = "Previously endorsed by the chapter"
    if facts.previously_endorsed:
        return Criterion(label, Status.MET, "race register: previously endorsed")
    answer = facts.answers.get("previously_endorsed")
    if answer == YES:
        return Criterion(label, Status.MET, "answered yes (not in the register)")
    return Criterion(label, Status.NOT_MET, "race register: not previously endorsed")


def cadre_profile(facts: Facts) -> CategoryCheck:
    """Every cadre criterion but viability: a member and open socialist, rooted, accountable
    (SIO), running for a non-symbolic office. What the capacity ledger's priority reads
    (`bot.domain.priority`): never viability, which itself asks the ledger."""
    return CategoryCheck(
        Category.CADRE,
        (
            _member(facts),
            _open_socialist(facts),
            _assessed(facts.assessment.rooted, "Rooted in the chapter's internal life"),
            _answered(
                facts,
                "join_sio",
                "Accountable: commits to the SIO structure",
                "Will you join our Socialists-in-Office?",
            ),
            _office(facts),
        ),
    )


def cadre_check(facts: Facts) -> CategoryCheck:
    """The strategy's "Cadre Elections": a cadre profile with a viable path, which is two
    things, each shown: a winnable district and a win number within capacity ("Every
    chapter in DSA has the capacity to elect a socialist cadre by 2030")."""
    profile = cadre_profile(facts)
    return CategoryCheck(
        Category.CADRE, (*profile.criteria, _winnable(facts), _within_capacity(facts))
    )


def previously_endorsed_incumbent(facts: Facts) -> bool:
    """The candidate holds the seat and the chapter endorsed them before."""
    return (
        _incumbent(facts).status is Status.MET and _previously_endorsed(facts).status is Status.MET
    )


def ruled_out(facts: Facts) -> bool:
    """What rules a candidate out whatever else holds: a crossed red line, or an independent
    run in a partisan race."""
    return bool(red_lines_crossed(facts)[0]) or facts.answers.get("ballot_line") == "independent"


def incumbent_check(facts: Facts) -> CategoryCheck:
    """A previously endorsed incumbent who worked with the chapter is re-endorsed, even
    without a credible challenger."""
    return CategoryCheck(
        Category.INCUMBENT,
        (
            _incumbent(facts),
            _previously_endorsed(facts),
            _worked(facts),
        ),
    )


WORKED = "Worked with the chapter in office"


def _worked(facts: Facts) -> Criterion:
    """ "A previously endorsed incumbent who worked with the chapter": what the record in
    office says (votes with and against the chapter, SIO attendance and status), cited as
    the source; the committee's assessment overrides it, with its reason shown beside the
    record it overrides ("without the ability to credibly protect incumbents, the
    organization has little-to-no leverage to hold endorsed candidates accountable")."""
    record = facts.office_record
    cited = f"record in office: {record.summary()}" if record is not None else ""
    judged = facts.assessment.worked_with_chapter
    if judged is not None:
        source = f"committee's assessment: {'yes' if judged else 'no'}"
        if facts.assessment.worked_reason:
            source += f" ({facts.assessment.worked_reason})"
        source += f"; {cited}" if cited else ""
        return Criterion(WORKED, Status.MET if judged else Status.NOT_MET, source)
    if record is None:
        return _assessed(None, WORKED)
    verdict = worked_with_chapter(record)
    if verdict is None:
        return Criterion(WORKED, Status.UNKNOWN, f"{cited}: nothing yet to judge by")
    return Criterion(WORKED, Status.MET if verdict else Status.NOT_MET, cited)


def class_struggle_check(facts: Facts) -> CategoryCheck:
    """The strategy's "Class Struggle Elections"; SIO willingness is "an important, though
    not definitive, test": shown, never gating."""
    sio = _answered(
        facts,
        "join_sio",
        "Will join the SIO committee (weighed, not required)",
        "Will you join our Socialists-in-Office?",
    )
    return CategoryCheck(
        Category.CLASS_STRUGGLE,
        (
            _assessed(facts.assessment.prominent, "Prominent race able to move working people"),
            _assessed(facts.assessment.coheres_labor, "Coheres labor and the progressive movement"),
            _answered(
                facts,
                "seeks_endorsement",
                "Actively solicits the endorsement",
                "Are you seeking our chapter's endorsement?",
            ),
            _member(facts),
            _open_socialist(facts),
            Criterion(sio.label, sio.status, sio.source, gating=False),
        ),
    )


def red_lines_crossed(facts: Facts) -> tuple[tuple[RedLine, ...], tuple[RedLine, ...]]:
    """The red lines whose answer differs from the required one, and those not answered."""
    crossed = tuple(
        line
        for line in facts.red_lines
        if facts.answers.get(line.key) in (YES, NO) and facts.answers[line.key] != line.required
    )
    unanswered = tuple(line for line in facts.red_lines if line.key not in facts.answers)
    return crossed, unanswered


def classify(facts: Facts) -> CriteriaReport:
    """The proposed category with a one-line reason, and every criterion with its source."""
    checks = (cadre_check(facts), incumbent_check(facts), class_struggle_check(facts))
    crossed, unanswered = red_lines_crossed(facts)
    category, reason = _decide(facts, checks, crossed, unanswered)
    return CriteriaReport(category, reason, checks, crossed, unanswered)


def _decide(
    facts: Facts,
    checks: Sequence[CategoryCheck],
    crossed: Sequence[RedLine],
    unanswered: Sequence[RedLine],
) -> tuple[Category, str]:
    if crossed:
        names = "; ".join(f"“{line.question}”" for line in crossed)
        return Category.DO_NOT_ENDORSE, f"Crossed the chapter's red line(s): {names}."
    if facts.answers.get("ballot_line") == "independent":
        return Category.NEITHER, (
            "Runs as an independent in a partisan race: such candidates are generally not endorsed."
        )
    for check in checks:
        if check.met and unanswered:
            # "should not cross any of the organization's red lines at the time of their
            # campaign": a red line not answered yet (adopted after the questionnaire went
            # out) leaves no clean verdict.
            names = "; ".join(f"“{line.question}”" for line in unanswered)
            return Category.UNDECIDED, (
                f"Meets every {check.category.label.lower()} criterion, but a red line is not "
                f"answered yet: {names}."
            )
        if check.met:
            return check.category, f"Meets every {in_sentence(check.category.label)} criterion."
    open_ = [c for c in checks if not c.failed]
    if open_:
        missing = ", ".join(in_sentence(c.label) for c in open_[0].unknown)
        return Category.UNDECIDED, (
            f"Could be a {in_sentence(open_[0].category.label)} once these are known: {missing}."
        )
    failed = [c for c in checks if c.category is not Category.INCUMBENT]
    reasons = dict.fromkeys(in_sentence(c.label) for check in failed for c in check.failed)
    return Category.NEITHER, (
        "Meets neither the cadre nor the class-struggle criteria; not met: "
        + "; ".join(reasons)
        + "."
    )


def in_sentence(label: str) -> str:
    """A criterion's label inside a sentence: lower case, but an acronym stays one ("DSA
    member" -> "DSA member", "Accountable: commits to the SIO structure" -> "accountable:
    commits to the SIO structure")."""
    return " ".join(w if sum(ch.isupper() for ch in w) > 1 else w.lower() for w in label.split(" "))
