"""A count's result as one JSON object and as a round-by-round text table."""

from __future__ import annotations

from fractions import Fraction

from bot.domain.tally.profile import Endorsement, Round, TallyResult, TieBreak


def number(value: Fraction | int | None) -> int | float | None:
    """An exact tally as a JSON number: whole numbers stay integers."""
    if value is None:
        return None
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


def result_to_json(result: TallyResult) -> dict:
    """The result as the command line's `--json` object (plain JSON types only)."""
    out: dict = {
        "method": result.method,
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


def _cell(value: Fraction | None) -> str:
    if value is None:
        return ""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.4f}"


def render_text(result: TallyResult) -> str:
    """The result for people: a round-by-round table, then winners, ties and endorsement."""
    lines = [f"Method: {result.method}   seats: {result.seats}"]
    lines.append(f"Ballots: {result.valid_ballots} valid, {result.invalid_ballots} invalid")
    lines.append("")
    lines.extend(_table(result))
    lines.append("")
    for r in result.rounds:
        events = [f"elected {name}" for name in r.elected]
        events += [f"excluded {name}" for name in r.eliminated]
        if r.transfers:
            moved = ", ".join(f"{_cell(v)} to {k}" for k, v in r.transfers.items())
            events.append(f"ballots moved: {moved}")
        if r.note:
            events.append(r.note)
        if events:
            lines.append(f"Round {r.number}: " + "; ".join(events))
    lines.append("")
    winners = ", ".join(result.winners) if result.winners else "none"
    lines.append(f"Winner{'s' if len(result.winners) != 1 else ''}: {winners}")
    if result.tie_breaks:
        lines.append("Ties broken:")
        for t in result.tie_breaks:
            lines.append(
                f"  round {t.round}, to {t.purpose}: {', '.join(t.tied)} -> {t.chosen} "
                f"by {t.how} ({t.detail})"
            )
    else:
        lines.append("Ties broken: none")
    if result.endorsement is not None:
        lines.append(f"Endorsement threshold: {result.endorsement.reason}")
    if result.seed is not None:
        lines.append(f"Lot seed: {result.seed}")
    if result.rules:
        lines.append("")
        lines.append("Rules:")
        lines.extend(f"  {line}" for line in result.rules.splitlines())
    return "\n".join(lines) + "\n"


def _table(result: TallyResult) -> list[str]:
    rounds = result.rounds
    shown = [c for c in result.candidates if any(c in r.tallies for r in rounds)]
    label_width = max([len("Threshold"), *(len(c) for c in shown)])
    widths = [
        max(
            len(str(r.number)),
            *(len(_cell(r.tallies.get(c))) for c in shown),
            len(_cell(r.exhausted)),
            len(_cell(r.threshold)),
        )
        for r in rounds
    ]

    def row(label: str, cells: list[str]) -> str:
        body = "  ".join(cell.rjust(w) for cell, w in zip(cells, widths, strict=True))
        return f"{label.ljust(label_width)}  {body}".rstrip()

    out = [row("Round", [str(r.number) for r in rounds])]
    out.extend(row(c, [_cell(r.tallies.get(c)) for r in rounds]) for c in shown)
    out.append(row("Exhausted", [_cell(r.exhausted) for r in rounds]))
    if any(r.threshold is not None for r in rounds):
        out.append(row("Threshold", [_cell(r.threshold) for r in rounds]))
    return out
