"""A count's result as one JSON object and as a round-by-round text table."""

from __future__ import annotations

from fractions import Fraction

from bot.domain.tally.profile import Endorsement, Round, TallyResult, TieBreak
from bot.domain.tally.words import drawn_ties, line_name, tie_words


def number(value: Fraction | int | None) -> int | float | None:
    """An exact tally as a JSON number: whole numbers stay integers."""
    if value is None:
        return None
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


def result_to_json(result: TallyResult, title: str | None = None) -> dict:
    """The result as the command line's `--json` object (plain JSON types only); `title` is
    the ballot file's own title, if it has one."""
    out: dict = {
        "title": title,
        "method": result.method,
        "method_name": method_name(result),
        "seats": result.seats,
        "candidates": list(result.candidates),
        "winners": list(result.winners),
        "rounds": [_round_json(r) for r in result.rounds],
        "tie_breaks": [_tie_json(t) for t in result.tie_breaks],
        "endorsement": None
        if result.endorsement is None
        else _endorsement_json(result.endorsement),
        "ballots": {"valid": result.valid_ballots, "invalid": result.invalid_ballots},
        "seed": result.seed,
        "rules": result.rules,
    }
    if result.extra:
        out["extra"] = _plain(result.extra)
    return out


def _round_json(r: Round) -> dict:
    return {
        "number": r.number,
        "tallies": {name: number(v) for name, v in r.tallies.items()},
        "exhausted": number(r.exhausted),
        "threshold": number(r.threshold),
        "elected": list(r.elected),
        "eliminated": list(r.eliminated),
        "transfers": {name: number(v) for name, v in r.transfers.items()},
        **({"note": r.note} if r.note else {}),
    }


def _tie_json(t: TieBreak) -> dict:
    return {
        "round": t.round,
        "purpose": t.purpose,
        "tied": list(t.tied),
        "chosen": t.chosen,
        "how": t.how,
        "detail": t.detail,
    }


def _endorsement_json(e: Endorsement) -> dict:
    return {
        "candidate": e.candidate,
        "no_endorsement": e.no_endorsement,
        "threshold": f"{e.threshold.numerator}/{e.threshold.denominator}",
        "above": e.above,
        "considered": e.considered,
        "met": e.met,
        "reason": e.reason,
    }


def _plain(value: object) -> object:
    if isinstance(value, Fraction):
        return number(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


METHOD_NAMES = {
    "irv": "Instant-runoff",
    "stv": "Scottish STV",
    "meek": "Meek STV",
    "schulze": "Schulze",
    "ranked-pairs": "Ranked pairs",
    "yes-no": "Yes/no per candidate",
}
EXHAUSTED = "(exhausted)"
PAIRWISE_HEAD = "Pairwise: ballots preferring the row to the column"


def method_name(result: TallyResult) -> str:
    """The method as people name it: "Instant-runoff", "Scottish STV", "Meek STV"..."""
    if result.method == "stv" and result.extra.get("stv_rule") == "meek":
        return METHOD_NAMES["meek"]
    if result.method == "stv" and result.extra.get("stv_rule") == "rctab":
        return "RCTab STV (fractional transfer)"
    return METHOD_NAMES.get(result.method, result.method)


def decimals(result: TallyResult) -> int:
    """The decimal places the count itself works in (Scottish STV 5, Meek its digits), so the
    table and the notes under it show the same figures; 4 for methods with no arithmetic."""
    arithmetic = result.extra.get("arithmetic")
    if isinstance(arithmetic, dict) and isinstance(arithmetic.get("digits"), int):
        return arithmetic["digits"]
    places = result.extra.get("decimals")
    return places if isinstance(places, int) else 4


def _cell(value: Fraction | None, places: int = 4) -> str:
    """A tally cell to `places` decimals (0: a count of whole ballots)."""
    if value is None:
        return ""
    return f"{float(value):.{places}f}" if places else str(round(Fraction(value)))


def precision(result: TallyResult) -> int:
    """One precision for every figure of a count: none while all are whole numbers (an
    instant-runoff), else the count's own decimals, so 1300 and 130.40863 read alike."""
    values = [v for r in result.rounds for v in (*r.tallies.values(), *r.transfers.values())]
    values += [r.exhausted for r in result.rounds]
    values += [r.threshold for r in result.rounds if r.threshold is not None]
    return 0 if all(Fraction(v).denominator == 1 for v in values) else decimals(result)


def render_text(result: TallyResult, title: str | None = None) -> str:
    """The result for people: the ballot file's title, a round-by-round table (for Schulze
    and ranked pairs the pairwise matrix), winners, ties, endorsement, the rules, and, only
    when a lot was drawn, a "Details" section with the lot's seed and the tie rule."""
    places = precision(result)
    lines = [title] if title else []
    lines.append(f"Method: {method_name(result)}   seats: {result.seats}")
    lines.append(f"Ballots: {result.valid_ballots} valid, {result.invalid_ballots} invalid")
    lines.append("")
    if "pairwise" in result.extra:
        lines.extend(pairwise_lines(result))
    else:
        lines.extend(_table(result, places))
        lines.append("")
        lines.extend(_round_notes(result, places))
    lines.append("")
    winners = ", ".join(result.winners) if result.winners else "none"
    lines.append(f"Winner{'s' if len(result.winners) != 1 else ''}: {winners}" + _by_lot(result))
    lines.extend(_ties(result, places))
    if result.endorsement is not None:
        lines.append(f"Endorsement threshold: {result.endorsement.reason}")
    rules = result.rules.splitlines()
    tie_rules = [line for line in rules if line.startswith("Ties:")]
    if rules:
        lines.extend(["", "Rules:", *(f"  {line}" for line in rules if line not in tie_rules)])
    if any(t.how == "lot" for t in result.tie_breaks):
        lines.extend(["", "Details", f"  Lot seed: {result.seed}", *(f"  {t}" for t in tie_rules)])
    return "\n".join(lines) + "\n"


def _by_lot(result: TallyResult) -> str:
    rounds = sorted({t.round for t in drawn_ties(result)})
    if not rounds:
        return ""
    listed = ", ".join(str(n) for n in rounds)
    return f" (decided by lot: a tie drawn in round{'s' if len(rounds) > 1 else ''} {listed})"


def _round_notes(result: TallyResult, places: int) -> list[str]:
    lines = []
    for r in result.rounds:
        ties = {t.chosen: t for t in result.tie_breaks if t.round == r.number}
        events = [
            tie_words(result, ties[name], places=places) if name in ties else f"elected {name}"
            for name in r.elected
        ]
        events += [
            tie_words(result, ties[name], places=places) if name in ties else f"excluded {name}"
            for name in r.eliminated
        ]
        if r.transfers:
            moved = ", ".join(
                f"{_cell(v, places)} exhausted (no further choice)"
                if k == EXHAUSTED
                else f"{_cell(v, places)} to {k}"
                for k, v in r.transfers.items()
            )
            events.append(f"ballots moved: {moved}")
        if r.note:
            events.append(r.note)
        if events:
            lines.append(f"Round {r.number}: " + "; ".join(events))
    return lines


def _ties(result: TallyResult, places: int) -> list[str]:
    if not result.tie_breaks:
        return ["Ties broken: none"]
    return ["Ties broken:"] + [
        f"  round {t.round}: {tie_words(result, t, places=places)} ({t.detail})"
        for t in result.tie_breaks
    ]


def pairwise_lines(result: TallyResult) -> list[str]:
    """Condorcet counts as text: the pairwise matrix, then Schulze's strongest paths or
    ranked pairs' locked defeats."""
    lines = _matrix(PAIRWISE_HEAD, result.extra["pairwise"])  # type: ignore[arg-type]
    paths = result.extra.get("strongest_paths")
    if paths:
        head = "Strongest paths: the weakest link of the row's strongest path to the column"
        lines += ["", *_matrix(head, paths)]  # type: ignore[arg-type]
    locked = result.extra.get("locked")
    if locked:
        lines += ["", *locked_lines(locked, result.extra["pairwise"])]  # type: ignore[arg-type]
    return lines


LOCKED_SHOWN = 5
"""Ranked pairs locks every decided pair (78 for 13 candidates): the strongest few, and the
ones a cycle skipped, say what happened; `--json` has them all."""


def locked_lines(locked: list[dict], pairwise: dict[str, dict[str, int]]) -> list[str]:
    """Ranked pairs' locks summarised: how many, the strongest, and every skipped defeat."""
    done = {(d["winner"], d["loser"]) for d in locked}
    skipped = [
        (a, b, pairwise[a][b], pairwise[b][a])
        for a in pairwise
        for b in pairwise[a]
        if pairwise[a][b] > pairwise[b][a] and (a, b) not in done
    ]
    head = f"Locked in, strongest first: {len(locked)} defeat{'s' if len(locked) != 1 else ''}"
    head += (
        f"; {len(skipped)} skipped because {'it' if len(skipped) == 1 else 'each'} would close "
        "a cycle"
        if skipped
        else "; none closed a cycle"
    )
    lines = [head + "."]
    lines += [
        f"  {d['winner']} over {d['loser']} ({d['votes']} to {d['against']})"
        for d in locked[:LOCKED_SHOWN]
    ]
    if len(locked) > LOCKED_SHOWN:
        lines.append(f"  … and {len(locked) - LOCKED_SHOWN} more (every one in --json)")
    if skipped:
        lines.append("Skipped:")
        lines += [f"  {a} over {b} ({v} to {w})" for a, b, v, w in sorted(skipped, key=_strength)]
    return lines


def _strength(pair: tuple[str, str, int, int]) -> tuple[int, int]:
    return (-pair[2], pair[3])


def _matrix(head: str, rows: dict[str, dict[str, int]]) -> list[str]:
    names = list(rows)
    width = max(len(n) for n in names) + 5
    cells = [[("-" if a == b else str(rows[a].get(b, 0))) for b in names] for a in names]
    cell = max(len(str(len(names))), *(len(c) for row in cells for c in row))
    out = [head, " " * width + "  " + " ".join(f"{i:>{cell}}" for i in range(1, len(names) + 1))]
    for i, (a, row) in enumerate(zip(names, cells, strict=True), 1):
        out.append(f"{f'{i:>2}. {a}'.ljust(width)}  " + " ".join(f"{c:>{cell}}" for c in row))
    return out


def _table(result: TallyResult, places: int) -> list[str]:
    rounds = result.rounds
    shown = [c for c in result.candidates if any(c in r.tallies for r in rounds)]
    line = line_name(result)
    label_width = max([len(line), len("Exhausted"), *(len(c) for c in shown)])
    widths = [
        max(
            len(str(r.number)),
            *(len(_cell(r.tallies.get(c), places)) for c in shown),
            len(_cell(r.exhausted, places)),
            len(_cell(r.threshold, places)),
        )
        for r in rounds
    ]

    def row(label: str, cells: list[str]) -> str:
        body = "  ".join(cell.rjust(w) for cell, w in zip(cells, widths, strict=True))
        return f"{label.ljust(label_width)}  {body}".rstrip()

    out = [row("Round", [str(r.number) for r in rounds])]
    out.extend(row(c, [_cell(r.tallies.get(c), places) for r in rounds]) for c in shown)
    out.append(row("Exhausted", [_cell(r.exhausted, places) for r in rounds]))
    if any(r.threshold is not None for r in rounds):
        out.append(row(line, [_cell(r.threshold, places) for r in rounds]))
    return out
