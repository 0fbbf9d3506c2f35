"""A closed vote's outcome: its frozen ballots counted, quorum and who is endorsed.

Pure: the service reads the vote, its options and its frozen ballots and passes them in.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import votes as rules
from bot.domain.races import name_key
from bot.domain.tally.count import blt_seed, count_vote
from bot.domain.tally.io.blt import write_blt
from bot.domain.tally.profile import Profile, RankedBallot, TallyResult
from bot.domain.tally.round_rules import RoundRules
from bot.domain.tally.yesno import count_yes_no, endorsed_of
from bot.domain.vote_types import Vote, VoteMethod


@dataclass(frozen=True, slots=True)
class Counted:
    """A closed vote and its count, recomputed from the frozen ballots (deterministic)."""

    vote: Vote
    options: tuple[str, ...]
    profile: Profile
    blt: str
    seed: str
    result: TallyResult
    ballots_cast: int
    quorum_needed: int
    quorum_met: bool
    endorsed: str | None  # the (first) endorsed candidate's name, or None
    endorsed_all: tuple[str, ...] = ()  # every endorsed candidate (several seats, yes/no)
    paper: int = 0  # of `ballots_cast`, the paper ballots tellers entered
    ballot_format: str = "blt"  # of `blt`: "blt", or "csv" for a yes/no vote

    @property
    def winner(self) -> str | None:
        return self.result.winners[0] if self.result.winners else None


def profile_of(vote: Vote, options: Sequence[str], ballots: Sequence[tuple[str, int]]) -> Profile:
    """The frozen ballots as a tally profile (grouped, in ranking order)."""
    return Profile(
        candidates=tuple(options),
        ballots=tuple(
            RankedBallot(tuple((i,) for i in rules.decode_ranking(ranking)), weight)
            for ranking, weight in ballots
        ),
        seats=vote.seats,
        title=vote.title,
    )


def count(vote: Vote, options: tuple[str, ...], ballots: Sequence[tuple[str, int]]) -> Counted:
    """Count a closed vote from its frozen ballots: (encoded ranking, weight) rows."""
    if vote.method == VoteMethod.YES_NO:
        return _count_yes_no(vote, options, ballots)
    profile = profile_of(vote, options, ballots)
    seed = blt_seed(profile)
    no_endorsement = _no_endorsement_name(options) if vote.no_endorsement else None
    result = count_vote(
        profile,
        vote.method,
        seats=vote.seats,
        no_endorsement=no_endorsement,
        threshold=vote.threshold if no_endorsement else None,
        seed=seed,
        rounds=RoundRules(continue_until_two=vote.continue_until_two),
    )
    cast, needed, met = _quorum(vote, ballots)
    endorsed_all = _endorsed(vote, options, result, no_endorsement) if met else ()
    return Counted(
        vote=vote,
        options=options,
        profile=profile,
        blt=write_blt(profile),
        seed=seed,
        result=result,
        ballots_cast=cast,
        quorum_needed=needed,
        quorum_met=met,
        endorsed=endorsed_all[0] if endorsed_all else None,
        endorsed_all=endorsed_all,
        paper=vote.paper_cast or 0,
    )


def _quorum(vote: Vote, ballots: Sequence[tuple[str, int]]) -> tuple[int, int, bool]:
    """Ballots cast, ballots needed for quorum, and whether quorum is met."""
    cast = sum(w for _, w in ballots)
    roll = vote.roll_size or 0
    return cast, rules.quorum_needed(vote.quorum, roll), rules.quorum_met(cast, vote.quorum, roll)


def _endorsed(
    vote: Vote, options: Sequence[str], result: TallyResult, no_endorsement: str | None
) -> tuple[str, ...]:
    """The candidates a ranked count endorses, quorum being met: for several seats those
    elected (and over the threshold), in ballot order; for one, the winner if over it."""
    if vote.seats > 1:
        chosen = result.extra["endorsed"] if no_endorsement else result.winners
        # In ballot order: the election order is in the rounds.
        return tuple(o for o in options if o in chosen and o != no_endorsement)
    winner = result.winners[0] if result.winners else None
    if winner is None or winner == no_endorsement:
        return ()
    if result.endorsement is None or result.endorsement.met:
        return (winner,)
    return ()


def yes_no_csv(options: Sequence[str], ballots: Sequence[tuple[str, int]]) -> str:
    """A yes/no vote's ballots as CSV: a count column, then one column per candidate."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["count", *options])
    for ranking, weight in ballots:
        answers = rules.decode_ranking(ranking)
        writer.writerow([weight, *(rules.ANSWER_WORDS[a] for a in answers)])
    return out.getvalue()


def _count_yes_no(
    vote: Vote, options: tuple[str, ...], ballots: Sequence[tuple[str, int]]
) -> Counted:
    """Yes/no per candidate; with `several_pass` "highest", only the best `seats` shares of
    those who pass are endorsed (ties by yes count, then a lot seeded by the ballot file)."""
    text = yes_no_csv(options, ballots)
    seed = hashlib.sha256(text.encode()).hexdigest()
    expanded = [
        rules.answers_as_ballot(rules.decode_ranking(ranking), options)
        for ranking, weight in ballots
        for _ in range(weight)
    ]
    result = dataclasses.replace(
        count_yes_no(options, expanded, vote.threshold), seed=seed, seats=vote.seats
    )
    cast, needed, met = _quorum(vote, ballots)
    endorsed = endorsed_of(result, seats=vote.seats, several_pass=vote.several_pass, seed=seed)
    endorsed_all = endorsed if met else ()
    return Counted(
        vote=vote,
        options=options,
        profile=Profile(candidates=options, ballots=(), seats=vote.seats, title=vote.title),
        blt=text,
        seed=seed,
        result=result,
        ballots_cast=cast,
        quorum_needed=needed,
        quorum_met=met,
        endorsed=endorsed_all[0] if endorsed_all else None,
        endorsed_all=endorsed_all,
        paper=vote.paper_cast or 0,
        ballot_format="csv",
    )


def _no_endorsement_name(options: Sequence[str]) -> str:
    key = name_key(rules.NO_ENDORSEMENT)
    return next(o for o in options if name_key(o) == key)
