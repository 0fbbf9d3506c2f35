"""The rules of an endorsement vote: who is on the roll, quorum, what a valid ballot is, and
how an in-progress ranking travels in a component's custom_id.

Pure: no discord, no database, no clock reads (the caller passes `now`).

A ranking in progress is never stored by the bot: it lives in the custom_ids of the member's
own ephemeral ballot message, so it survives a restart without a draft row to protect. Each
custom_id carries the vote's *layout*, a short hash of the ballot's candidates in order; a
ranking made against another layout (candidates changed after the ballot was opened) is
refused rather than read against the wrong names.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from bot.domain import discord_limits as limits
from bot.domain.errors import InputError
from bot.domain.hygiene import tidy
from bot.domain.tally.endorsement import parse_threshold
from bot.domain.tally.yesno import percent_words, share_words
from bot.domain.vote_types import VoteMethod, VoteState

NO_ENDORSEMENT = "No endorsement"
LAYOUT_VERSION = "1"  # bump when the meaning of a custom_id's ranking changes
# One character per ranked candidate in a custom_id: 62 symbols, so 62 ballot options at most.
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_OPTIONS = 60  # keeps the longest custom_id (all ranked) within limits.CUSTOM_ID
MAX_NAME = 80  # a select option's label is at most limits.SELECT_OPTION_LABEL
PAGE_SIZE = limits.SELECT_OPTIONS


class BallotRejected(InputError):
    """A ballot that cannot be recorded; `str()` says why in words a member understands."""


class VoteRuleError(InputError):
    """A rule the committee typed (quorum, candidates) that cannot be used; says why."""


class PaperBallotError(VoteRuleError):
    """A paper ballot a teller typed can't be read: says why, and that it was not recorded."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem} Nothing was recorded.")


# --- candidates and layout -------------------------------------------------------------------


def ballot_options(candidates: Sequence[str], *, no_endorsement: bool = True) -> tuple[str, ...]:
    """The ballot's options in order: the candidates, then "No endorsement" unless left off.

    Names are tidied (`hygiene.tidy`); blank ones dropped; one given twice is an error.
    """
    names = [tidy(name) for name in candidates]
    names = [name for name in names if name]
    if no_endorsement and not any(n.casefold() == NO_ENDORSEMENT.casefold() for n in names):
        names.append(NO_ENDORSEMENT)
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise VoteRuleError(f"{name!r} is on the ballot twice.")
        seen.add(name.casefold())
        if len(name) > MAX_NAME:
            raise VoteRuleError(f"{name[:40]!r}... is longer than {MAX_NAME} characters.")
        if '"' in name:
            raise VoteRuleError(f"{name!r}: a name cannot contain a double quote.")
    if len(names) < 2:
        raise VoteRuleError("A vote needs at least two options on the ballot.")
    if len(names) > MAX_OPTIONS:
        raise VoteRuleError(f"A ballot can list at most {MAX_OPTIONS} options, not {len(names)}.")
    return tuple(names)


def layout_of(options: Sequence[str]) -> str:
    """The ballot layout: 6 hex digits naming the options in their order (and the version)."""
    text = LAYOUT_VERSION + "\n" + "\n".join(options)
    return hashlib.sha256(text.encode()).hexdigest()[:6]


# --- the ranking in a custom_id --------------------------------------------------------------


def encode_ranking(ranking: Sequence[int]) -> str:
    """A ranking of option indexes as a compact string, one character per rank."""
    if any(not 0 <= i < len(_ALPHABET) for i in ranking):
        raise ValueError(f"option index out of range in {ranking!r}")
    return "".join(_ALPHABET[i] for i in ranking)


def decode_ranking(text: str) -> tuple[int, ...]:
    """The option indexes of an encoded ranking; BallotRejected if it is not one."""
    try:
        return tuple(_ALPHABET.index(ch) for ch in text)
    except ValueError:
        raise BallotRejected("This ballot is damaged; press **Vote** again.") from None


_DRAFT = re.compile(r"(?P<layout>[0-9a-f]{6}):(?P<page>\d{1,2}):(?P<ranking>[0-9A-Za-z]{0,62})")


@dataclass(frozen=True, slots=True)
class Draft:
    """A ballot in progress as its components carry it: layout, page shown, ranking so far."""

    layout: str
    page: int
    ranking: tuple[int, ...]

    def encode(self) -> str:
        return f"{self.layout}:{self.page}:{encode_ranking(self.ranking)}"

    @classmethod
    def decode(cls, text: str) -> Draft:
        match = _DRAFT.fullmatch(text)
        if match is None:
            raise BallotRejected("This ballot is damaged; press **Vote** again.")
        return cls(match["layout"], int(match["page"]), decode_ranking(match["ranking"]))

    def remaining(self, option_count: int) -> list[int]:
        """Options not ranked yet, in ballot order."""
        ranked = set(self.ranking)
        return [i for i in range(option_count) if i not in ranked]


def pages(option_count: int, ranked: int = 0) -> int:
    """How many select pages the options not yet ranked fill (at least one)."""
    return max(1, math.ceil((option_count - ranked) / PAGE_SIZE))


def validate_ballot(
    ranking: Sequence[int], *, option_count: int, layout: str, expected_layout: str
) -> tuple[int, ...]:
    """The ranking if it can be recorded, else BallotRejected saying why.

    An empty ranking is a valid ballot: an abstention, which counts toward quorum.
    """
    if layout != expected_layout:
        raise BallotRejected(
            "The ballot changed after you opened it (the committee edited the options). "
            "Nothing was recorded: press **Vote** again to rank the current options."
        )
    if len(set(ranking)) != len(ranking):
        raise BallotRejected("A ballot cannot rank the same option twice. Nothing was recorded.")
    if any(not 0 <= i < option_count for i in ranking):
        raise BallotRejected("This ballot names an option that is not on it. Nothing recorded.")
    return tuple(ranking)


# --- roll, quorum, windows --------------------------------------------------------------------


def on_roll(member_roles: Collection[int], eligible_roles: Collection[int]) -> bool:
    """Whether a member holding `member_roles` belongs on a roll of `eligible_roles` holders."""
    return any(role in eligible_roles for role in member_roles)


def parse_quorum(text: str | None) -> Fraction:
    """A quorum share from "25%", "1/4", "0.25"; "0", "none" or blank means no quorum."""
    if text is None or text.strip().lower() in ("", "0", "0%", "none", "no"):
        return Fraction(0)
    try:
        return parse_threshold(text)
    except ValueError:
        raise VoteRuleError(
            f"I can't read {text.strip()!r} as a quorum. Use a percentage of the roll such as "
            "`25%`, a fraction such as `1/4`, or `0` for no quorum."
        ) from None


def parse_vote_threshold(text: str | None) -> Fraction:
    """The endorsement threshold ("60%", "2/3", "0.5"); blank means a simple majority (1/2)."""
    if text is None or not text.strip():
        return Fraction(1, 2)
    try:
        return parse_threshold(text)
    except ValueError:
        raise VoteRuleError(
            f"I can't read {text.strip()!r} as a threshold. Use `60%`, `2/3` or `0.5`."
        ) from None


def quorum_needed(quorum: Fraction, roll_size: int) -> int:
    """Ballots needed for quorum: ceil(quorum x roll size), computed exactly."""
    return math.ceil(quorum * roll_size)


def quorum_met(ballots: int, quorum: Fraction, roll_size: int) -> bool:
    """Whether `ballots` meet the quorum. Zero ballots never do, even with a zero quorum or
    an empty roll: a vote nobody cast endorses nobody."""
    return ballots > 0 and ballots >= quorum_needed(quorum, roll_size)


# How far ahead a vote may close: a year covers any endorsement calendar, and `in 20000d`
# is a typo, not a plan (the key and the ballots would wait decades for their close).
LONGEST_VOTE = timedelta(days=366)


def _not_too_far(closes_at: datetime, now: datetime) -> None:
    if closes_at - now > LONGEST_VOTE:
        raise VoteRuleError(
            f"A vote must close within {LONGEST_VOTE.days} days of now; that close is "
            f"{(closes_at - now).days} days away. Check the number, e.g. `in 3d`."
        )


def check_window(opens_at: datetime, closes_at: datetime, now: datetime) -> None:
    """VoteRuleError unless the vote opens before it closes, closes in the future, and
    closes within `LONGEST_VOTE` of now."""
    if closes_at <= opens_at:
        raise VoteRuleError("The vote must close after it opens.")
    if closes_at <= now:
        raise VoteRuleError("The close time has already passed.")
    _not_too_far(closes_at, now)


def not_accepting_reason(state: str, closes_at: datetime, now: datetime) -> str | None:
    """Why a ballot submitted at `now` cannot count (not open yet, or closed); None if it
    can."""
    if state == VoteState.SCHEDULED:
        return "This vote is not open yet."
    if state != VoteState.OPEN or now >= closes_at:
        return "This vote is closed."
    return None


def accepting(state: str, closes_at: datetime, now: datetime) -> None:
    """BallotRejected unless a ballot submitted at `now` can count (open and before close)."""
    reason = not_accepting_reason(state, closes_at, now)
    if reason is not None:
        raise BallotRejected(f"{reason} Nothing was recorded.")


# --- words -----------------------------------------------------------------------------------


def share_text(value: Fraction) -> str:
    """A share in words: "2/3" or "60%" (`tally.yesno.share_words`, the tally CLI's too)."""
    return share_words(value)


def percent_text(value: Fraction) -> str:
    """A measured share, always as a percent to one decimal at most: "70%", "66.7%",
    "85.4%". Results are compared with each other, so they share one form."""
    return percent_words(value)


def threshold_text(value: Fraction) -> str:
    """A threshold as written, with its percent when written as a fraction: "2/3 (66.7%)"."""
    written = share_text(value)
    return written if written.endswith("%") else f"{written} ({percent_text(value)})"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, 21st."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def turnout_line(voted: int, roll_size: int, quorum: Fraction, paper: int = 0) -> str:
    """The turnout line, e.g. "41 of 212 on the roll have voted; quorum 53", or with paper
    ballots "212 online + 14 paper ballots; 212 of 250 on the roll voted online; quorum 63"."""
    verb = "has" if voted == 1 else "have"
    line = f"{voted} of {roll_size} on the roll {verb} voted"
    if paper:
        line = (
            f"{voted} online + {paper} paper ballot{'s' if paper != 1 else ''}; "
            f"{voted} of {roll_size} on the roll voted online"
        )
    if quorum > 0:
        line += f"; quorum {quorum_needed(quorum, roll_size)}"
    return line


# --- methods, yes/no ballots, paper ballots, extend and purge dates -------------------------

METHODS = tuple(VoteMethod)
METHOD_NAMES = {method: method.label for method in VoteMethod}
# A yes/no answer as the digit stored for it: the ballot is one digit per candidate.
ABSTAIN, YES, NO = 0, 1, 2
ANSWER_WORDS = ("abstain", "yes", "no")
YES_NO_PAGE = 4  # candidates per ballot page: 4 selects + 1 row of buttons = Discord's 5 rows


def check_method(method: str, seats: int, candidates: int) -> None:
    """VoteRuleError unless `method` is known and `seats` fits it and the candidates."""
    if method not in METHODS:
        raise VoteRuleError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}.")
    if seats < 1:
        raise VoteRuleError("A vote fills at least one seat.")
    chosen = VoteMethod(method)
    if seats > 1 and not (chosen.fills_seats or chosen == VoteMethod.YES_NO):
        raise VoteRuleError(
            f"{METHOD_NAMES[method]} fills one seat; use `method:stv` or `method:meek` for "
            f"{seats} seats."
        )
    if chosen.fills_seats and seats >= candidates:
        raise VoteRuleError(
            f"{seats} seats need more than {seats} options on the ballot (there are "
            f"{candidates}); with fewer, every option is elected."
        )


def check_until_two(method: str, until_two: bool) -> None:
    """VoteRuleError if "count until two remain" is asked of a method without rounds to
    continue (only instant-runoff has them)."""
    if until_two and method != VoteMethod.IRV:
        raise VoteRuleError(
            "Counting until two remain is an instant-runoff option; "
            f"{METHOD_NAMES[method]} has no final two to show. Leave `final_two` off."
        )


def yes_no_pages(candidates: int) -> int:
    return max(1, math.ceil(candidates / YES_NO_PAGE))


def validate_answers(
    answers: Sequence[int], *, candidates: int, layout: str, expected_layout: str
) -> tuple[int, ...]:
    """A yes/no ballot (one answer per candidate) if it can be recorded, else BallotRejected.

    All abstentions is a valid ballot: it counts toward quorum and in no share.
    """
    if layout != expected_layout:
        raise BallotRejected(
            "The ballot changed after you opened it (the committee edited the candidates). "
            "Nothing was recorded: press **Vote** again."
        )
    if len(answers) != candidates or any(a not in (ABSTAIN, YES, NO) for a in answers):
        raise BallotRejected("This ballot is damaged; press **Vote** again. Nothing recorded.")
    return tuple(answers)


def answers_as_ballot(answers: Sequence[int], candidates: Sequence[str]) -> dict[str, str]:
    """A stored yes/no ballot as the tally's {candidate: "yes" | "no" | "abstain"}."""
    return {name: ANSWER_WORDS[a] for name, a in zip(candidates, answers, strict=True)}


def parse_paper_ranking(text: str, options: Sequence[str]) -> tuple[int, ...]:
    """A paper ballot typed by a teller, names in order separated by commas or `>`, as
    option indexes. Names match ignoring case and spacing; VoteRuleError names the problem."""
    by_key = {" ".join(o.split()).casefold(): i for i, o in enumerate(options)}
    parts = [" ".join(p.split()) for p in re.split(r"[,>\n]", text)]
    parts = [p for p in parts if p]
    ranking: list[int] = []
    for part in parts:
        index = by_key.get(part.casefold())
        if index is None:
            raise PaperBallotError(
                f"{part!r} is not on this ballot. The options are: {', '.join(options)}."
            )
        if index in ranking:
            raise PaperBallotError(f"{options[index]!r} is ranked twice; a ballot ranks each once.")
        ranking.append(index)
    return tuple(ranking)


def parse_paper_answers(text: str, candidates: Sequence[str]) -> tuple[int, ...]:
    """A yes/no paper ballot typed by a teller, "Ada Ruiz: yes, Bo Chen: no", as one answer
    per candidate (a candidate not named abstains). VoteRuleError names the problem."""
    by_key = {" ".join(c.split()).casefold(): i for i, c in enumerate(candidates)}
    answers = [ABSTAIN] * len(candidates)
    named: set[int] = set()
    for part in (p.strip() for p in re.split(r"[,\n]", text)):
        if not part:
            continue
        name, colon, word = part.rpartition(":")
        answer = word.strip().casefold()
        if not colon or answer not in ANSWER_WORDS:
            raise PaperBallotError(
                f"{part!r}: write each answer as `Name: yes`, `Name: no` or `Name: abstain`."
            )
        index = by_key.get(" ".join(name.split()).casefold())
        if index is None:
            raise PaperBallotError(
                f"{name.strip()!r} is not on this ballot. The candidates are: "
                f"{', '.join(candidates)}."
            )
        if index in named:
            raise PaperBallotError(f"{candidates[index]!r} is answered twice; answer each once.")
        named.add(index)
        answers[index] = ANSWER_WORDS.index(answer)
    return tuple(answers)


def check_extension(closes_at: datetime, new_close: datetime, now: datetime) -> None:
    """VoteRuleError unless `new_close` is in the future, later than the current close, and
    within `LONGEST_VOTE` of now."""
    if new_close <= now:
        raise VoteRuleError("The new close time has already passed; give a later one.")
    if new_close <= closes_at:
        raise VoteRuleError(
            "`/vote extend` only moves the close later: the new time must be after the "
            "current close. To end the vote early, use `/vote close`."
        )
    _not_too_far(new_close, now)


def purge_allowed_from(closed_at: datetime, retention_days: int) -> datetime:
    """When a vote closed at `closed_at` may have its ballots purged."""
    return closed_at + timedelta(days=retention_days)
