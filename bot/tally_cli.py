"""`endorsebot tally FILE ...`: recount a BLT or CSV ballot file and print the result.

Exit codes: 0 counted, 2 a malformed file or bad option (the message names the problem and,
for a file, the line). `python -m bot.tally_cli FILE ...` runs the same command standalone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from bot.domain.tally.ballots import CHAPTER_RULES
from bot.domain.tally.count import count_vote
from bot.domain.tally.endorsement import parse_threshold
from bot.domain.tally.io import BallotFileError
from bot.domain.tally.io.blt import read_blt
from bot.domain.tally.io.csv import read_csv
from bot.domain.tally.methods import method_names
from bot.domain.tally.profile import Profile
from bot.domain.tally.report import render_text, result_to_json
from bot.domain.tally.stv import endorse_elected

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `tally` command to a CLI's subparsers and return its parser."""
    parser = subparsers.add_parser(
        "tally",
        help="recount a BLT or CSV ballot file",
        description="Recount a BLT or CSV ballot file round by round.",
    )
    _arguments(parser)
    return parser


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a .blt file, or a .csv with rank1..rankN")
    parser.add_argument("--method", default="irv", help="counting method (default: irv)")
    parser.add_argument("--seats", type=int, help="seats to fill (default: the file's)")
    parser.add_argument(
        "--stv-rule",
        choices=("scottish", "meek"),
        default="scottish",
        help="with --method stv: Scottish STV (default) or Meek (9 decimals, omega 10^-6)",
    )
    parser.add_argument(
        "--tie-break",
        choices=("lot", "order"),
        default="lot",
        help="after earlier rounds: a seeded lot (default) or the file's candidate order",
    )
    parser.add_argument(
        "--seed",
        help="lot seed (default: SHA-256 of the file, which for a vote's BLT export is the "
        "seed the bot used; printed)",
    )
    parser.add_argument("--no-endorsement", metavar="NAME", help='the "No endorsement" option')
    parser.add_argument("--threshold", metavar="T", help="endorsement threshold: 2/3, 0.6, 60%%")
    parser.add_argument("--format", choices=("blt", "csv"), help="default: from the extension")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def read_ballot_file(text: str, name: str, file_format: str | None = None) -> Profile:
    """Parse a ballot file's text by format (from the file name's extension unless given).

    Identical BLT lines are merged into one weighted ballot: the same election, counted the
    same, at a fraction of the cost for a big file.
    """
    chosen = file_format or ("csv" if name.lower().endswith(".csv") else "blt")
    return read_csv(text) if chosen == "csv" else read_blt(text, merge=True)


def run(args: argparse.Namespace) -> int:
    """Run `tally` with parsed arguments; print the result; return the exit code."""
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
        profile = read_ballot_file(text, path.name, args.format)
    except OSError as error:
        return _fail(f"{path}: cannot read: {error.strerror or error}")
    except UnicodeDecodeError:
        return _fail(f"{path}: not UTF-8 text")
    except BallotFileError as error:
        return _fail(f"{path}: {error}")

    if (args.no_endorsement is None) != (args.threshold is None):
        return _fail("--no-endorsement and --threshold go together")
    try:
        threshold = None if args.threshold is None else parse_threshold(args.threshold)
    except ValueError as error:
        return _fail(str(error))
    if args.no_endorsement is not None and args.no_endorsement not in profile.candidates:
        return _fail(f"--no-endorsement {args.no_endorsement!r} is not a candidate in {path}")
    if args.method not in method_names():
        return _fail(f"unknown method {args.method!r} (known: {', '.join(method_names())})")
    if args.seats is not None and not 1 <= args.seats <= len(profile.candidates):
        return _fail(f"--seats must be 1 to {len(profile.candidates)}")

    method = "meek" if args.method == "stv" and args.stv_rule == "meek" else args.method
    per_seat = threshold is not None and (args.seats or profile.seats) > 1
    try:
        result = count_vote(
            profile,
            method,
            seats=args.seats,
            no_endorsement=None if per_seat else args.no_endorsement,
            threshold=None if per_seat else threshold,
            seed=args.seed or hashlib.sha256(text.encode()).hexdigest(),
            tie_break=args.tie_break,
        )
    except ValueError as error:
        return _fail(str(error))
    if per_seat:  # several seats: the threshold applies to each elected candidate
        result = endorse_elected(profile, result, args.no_endorsement, threshold, CHAPTER_RULES)

    if args.json:
        out = result_to_json(result)
        out.update({k: v for k, v in out.get("extra", {}).items() if k in _TOP_LEVEL})
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(render_text(result) + _multi_seat_text(result), end="")
    return EXIT_OK


# Method results the JSON shows at the top level too: Condorcet matrices, STV arithmetic,
# and the per-seat endorsement verdicts of a multi-seat count.
_TOP_LEVEL = (
    "pairwise",
    "strongest_paths",
    "locked",
    "stv_rule",
    "quota",
    "arithmetic",
    "endorsements",
    "endorsed",
    "unendorsed_seats",
)


def _multi_seat_text(result) -> str:
    """Per-seat endorsements and the pairwise matrix, for the text output."""
    lines = [f"  {v['candidate']}: {v['reason']}" for v in result.extra.get("endorsements", ())]
    if lines:
        lines.insert(
            0, f"Endorsement threshold, per seat ({result.extra['unendorsed_seats']} unendorsed):"
        )
    pairwise = result.extra.get("pairwise")
    if pairwise:
        lines.append("Pairwise (row over column):")
        lines.extend(
            f"  {a}: " + ", ".join(f"{b} {n}" for b, n in row.items())
            for a, row in pairwise.items()
        )
    return "".join(f"{line}\n" for line in lines)


def _fail(message: str) -> int:
    print(f"endorsebot tally: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: `python -m bot.tally_cli FILE ...`."""
    parser = argparse.ArgumentParser(prog="endorsebot tally", description=__doc__)
    _arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
