"""`endorsebot tally FILE ...`: recount a BLT or CSV ballot file and print the result.

Exit codes: 0 counted, 2 a malformed or empty file or a bad option (the message names the
problem and, for a file, the line). FILE `-` reads the ballots from standard input.
`python -m bot.tally_cli FILE ...` runs the same command standalone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

from bot.domain.tally.ballots import BallotRules
from bot.domain.tally.count import count_vote
from bot.domain.tally.endorsement import parse_threshold
from bot.domain.tally.io import BallotFileError
from bot.domain.tally.io.blt import read_blt
from bot.domain.tally.io.csv import read_csv, read_yes_no_csv
from bot.domain.tally.methods import method_names
from bot.domain.tally.profile import Profile
from bot.domain.tally.report import render_text, result_to_json
from bot.domain.tally.round_rules import RoundRules, rctab_rounds
from bot.domain.tally.stv import endorse_elected
from bot.domain.tally.yesno import count_yes_no, endorsed_of, share_words, verdict_lines

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
    parser.add_argument(
        "file", metavar="FILE", help="a .blt file, a .csv with rank1..rankN, or - for stdin"
    )
    parser.add_argument(
        "--method",
        choices=(*method_names(), "yes-no"),
        help="counting method: irv (instant-runoff, the default for one seat), stv (Scottish "
        "STV), meek (Meek STV), schulze, ranked-pairs; yes-no reads a yes/no vote's CSV "
        "(count, then yes/no/abstain per candidate)",
    )
    parser.add_argument("--seats", type=int, help="seats to fill (default: the file's)")
    parser.add_argument(
        "--stv-rule",
        choices=("scottish", "meek"),
        help="with --method stv only: Scottish STV (default) or Meek (9 decimals, omega 10^-6)",
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
    rounds = parser.add_argument_group(
        "round rules", "RCTab's named options, to recount as the certified tabulator does"
    )
    rounds.add_argument(
        "--rules",
        choices=("chapter", "rctab"),
        default="chapter",
        help="the round structure: the chapter's (default) or RCTab's (a tie between the last "
        "two resolved within the round; --method stv: RCTab's fractional-transfer STV)",
    )
    rounds.add_argument(
        "--continue-until-two",
        action="store_true",
        help="instant-runoff: after a majority, go on until two candidates remain",
    )
    rounds.add_argument(
        "--batch-elimination",
        action="store_true",
        help="instant-runoff: exclude at once every lowest candidate who together trail the next",
    )
    rounds.add_argument(
        "--quota",
        choices=("droop", "droop-fractional", "hare"),
        default="droop",
        help="--rules rctab --method stv: the threshold fixed from round 1 (default droop)",
    )
    rounds.add_argument(
        "--one-winner-per-round",
        action="store_true",
        help="--rules rctab --method stv: elect one candidate a round, most votes first",
    )
    rounds.add_argument(
        "--decimals",
        type=int,
        default=4,
        choices=range(0, 10),
        metavar="N",
        help="--rules rctab --method stv: decimal places of transfers (default 4)",
    )
    marks = parser.add_argument_group("ballot rules", "how an imported ballot's marks read")
    marks.add_argument(
        "--max-skipped",
        type=int,
        metavar="K",
        help="more than K consecutive skipped ranks exhaust a ballot (default: any passed over)",
    )
    marks.add_argument(
        "--overvote",
        choices=("exhaust", "skip", "exhaust-if-multiple"),
        default="exhaust",
        help="two candidates at one rank: exhaust the ballot (default), skip the rank, or "
        "(instant-runoff) exhaust only if two or more of them are continuing",
    )
    marks.add_argument(
        "--duplicate",
        choices=("ignore", "exhaust"),
        default="ignore",
        help="a candidate ranked twice: ignore the repeat (default) or exhaust the ballot",
    )
    parser.add_argument(
        "--several-pass",
        choices=("all", "highest"),
        default="all",
        help="with --method yes-no: endorse all who pass (default) or only the --seats highest",
    )
    parser.add_argument("--format", choices=("blt", "csv"), help="default: from the extension")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


MAX_FILE_BYTES = 256 * 2**20  # 1M ballots of a 20-candidate BLT fit in a tenth of this


def read_ballot_file(text: str, name: str, file_format: str | None = None) -> Profile:
    """Parse a ballot file's text by format (from the file name's extension unless given).

    Identical BLT lines are merged into one weighted ballot: the same election, counted the
    same, at a fraction of the cost for a big file.
    """
    chosen = file_format or ("csv" if name.lower().endswith(".csv") else "blt")
    return read_csv(text) if chosen == "csv" else read_blt(text, merge=True)


def run(args: argparse.Namespace) -> int:
    """Run `tally` with parsed arguments; print the result; return the exit code."""
    try:
        return _run(args)
    except BrokenPipeError:  # `endorsebot tally FILE | head`: the reader has had enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the exit's own flush finds no closed pipe
        return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    if args.method == "yes-no":
        return run_yes_no(args)
    loaded = _load(args.file, args.format)
    if isinstance(loaded, int):
        return loaded
    text, profile = loaded
    problem = _option_problem(args, profile)
    if problem:
        return _fail(problem)
    threshold = None if args.threshold is None else parse_threshold(args.threshold)
    method = "meek" if args.method == "stv" and args.stv_rule == "meek" else args.method or "irv"
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
            rules=ballot_rules(args),
            rounds=round_rules(args),
        )
    except ValueError as error:
        return _fail(str(error))
    if per_seat:  # several seats: the threshold applies to each elected candidate
        result = endorse_elected(
            profile, result, args.no_endorsement, threshold, ballot_rules(args)
        )

    if args.json:
        out = result_to_json(result, profile.title)
        out.update({k: v for k, v in out.get("extra", {}).items() if k in _TOP_LEVEL})
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(render_text(result, profile.title) + _multi_seat_text(result), end="")
    sys.stdout.flush()  # a closed pipe shows here, inside run's handler
    return EXIT_OK


def read_text(name: str) -> str | int:
    """The file's text (`-`: standard input), or the exit code after saying what is wrong."""
    try:
        # Never more than the limit is read, so a huge file (or stream) costs nothing.
        if name == "-":
            raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            with Path(name).open("rb") as file:
                raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return _fail(f"{name}: larger than {MAX_FILE_BYTES // 2**20} MiB; split it")
        text = raw.decode("utf-8-sig")
        if not text.strip():
            return _fail(f"{name}: the file is empty")
        return text
    except OSError as error:
        return _fail(f"{name}: cannot read: {error.strerror or error}")
    except UnicodeDecodeError:
        return _fail(f"{name}: not UTF-8 text")


def ballot_rules(args: argparse.Namespace) -> BallotRules:
    """The ballot rules the options name (the chapter's by default)."""
    overvote = {"exhaust-if-multiple": "exhaust_if_multiple_continuing"}.get(
        args.overvote, args.overvote
    )
    return BallotRules(max_skipped=args.max_skipped, duplicate=args.duplicate, overvote=overvote)


def round_rules(args: argparse.Namespace) -> RoundRules:
    """The round structure the options name: the chapter's, or RCTab's with its options."""
    chosen = {
        "continue_until_two": args.continue_until_two,
        "batch_elimination": args.batch_elimination,
        "quota": args.quota,
        "one_winner_per_round": args.one_winner_per_round,
        "decimals": args.decimals,
    }
    if args.rules == "rctab":
        return rctab_rounds(**chosen)
    return RoundRules(**chosen)  # type: ignore[arg-type]


def _load(name: str, file_format: str | None) -> tuple[str, Profile] | int:
    """The file's text and profile, or the exit code after saying what is wrong with it."""
    text = read_text(name)
    if isinstance(text, int):
        return text
    try:
        return text, read_ballot_file(text, name, file_format)
    except BallotFileError as error:
        return _fail(f"{name}: {error}")


def _option_problem(args: argparse.Namespace, profile: Profile) -> str | None:
    """What is wrong with the options for this file, in words, or None."""
    if (args.no_endorsement is None) != (args.threshold is None):
        return "--no-endorsement and --threshold go together"
    if args.threshold is not None:
        try:
            parse_threshold(args.threshold)
        except ValueError as error:
            return str(error)
    if args.no_endorsement is not None and args.no_endorsement not in profile.candidates:
        return f"--no-endorsement {args.no_endorsement!r} is not a candidate in {args.file}"
    if args.seats is not None and not 1 <= args.seats <= len(profile.candidates):
        return f"--seats must be 1 to {len(profile.candidates)}"
    stv_options = args.quota != "droop" or args.one_winner_per_round or args.decimals != 4
    if stv_options and (args.rules != "rctab" or args.method != "stv"):
        return "--quota, --one-winner-per-round and --decimals go with --rules rctab --method stv"
    if (args.continue_until_two or args.batch_elimination) and args.method not in (None, "irv"):
        return "--continue-until-two and --batch-elimination apply to instant-runoff only"
    if args.overvote == "exhaust-if-multiple" and args.method not in (None, "irv"):
        return "--overvote exhaust-if-multiple depends on the count: instant-runoff only"
    if args.max_skipped is not None and args.max_skipped < 0:
        return "--max-skipped must be 0 or more"
    if args.stv_rule is not None and args.method != "stv":
        return f"--stv-rule applies only to --method stv, not {args.method or 'irv'}"
    seats = args.seats or profile.seats
    if args.method is None and seats > 1:
        where = "asks for" if args.seats else "has"
        return (
            f"{args.file} {where} {seats} seats and instant-runoff (the default) fills one. "
            f"Methods that fill {seats} seats: --method stv (Scottish STV; add --stv-rule meek "
            "for Meek STV), --method schulze, --method ranked-pairs; or --seats 1 for one seat"
        )
    return None


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
    """Per-seat endorsements, for the text output (the pairwise matrix is in render_text)."""
    lines = [f"  {v['candidate']}: {v['reason']}" for v in result.extra.get("endorsements", ())]
    if lines:
        lines.insert(
            0, f"Endorsement threshold, per seat ({result.extra['unendorsed_seats']} unendorsed):"
        )
    return "".join(f"{line}\n" for line in lines)


def run_yes_no(args: argparse.Namespace) -> int:
    """`--method yes-no`: recount a yes/no vote's CSV to the verdicts its result post gave."""
    text = read_text(args.file)
    if isinstance(text, int):
        return text
    try:
        names, ballots = read_yes_no_csv(text)
        threshold = parse_threshold(args.threshold or "1/2")
    except (BallotFileError, ValueError) as error:
        return _fail(f"{args.file}: {error}" if isinstance(error, BallotFileError) else str(error))
    if args.no_endorsement or args.stv_rule:
        return _fail("a yes/no vote has no 'No endorsement' option and no STV rule")
    seats = args.seats or 1
    seed = args.seed or hashlib.sha256(text.encode()).hexdigest()
    result = count_yes_no(names, ballots, threshold)
    endorsed = endorsed_of(result, seats=seats, several_pass=args.several_pass, seed=seed)
    if args.json:
        out = {
            "method": "yes-no",
            "threshold": str(threshold),
            "ballots": result.valid_ballots,
            "candidates": result.extra["yes_no"],
            "passing": list(result.winners),
            "endorsed": list(endorsed),
            "seed": seed,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    rule = "all who pass" if args.several_pass == "all" else f"only the {seats} highest shares"
    lines = [
        f"Yes/no, threshold {share_words(threshold)} of yes + no ({rule} endorsed):",
        *(f"  {name}: {words}" for name, words in verdict_lines(result)),
        f"Ballots: {result.valid_ballots}",
        f"Endorsed (if quorum was met): {', '.join(endorsed) or 'nobody'}",
        f"Seed (SHA-256 of the file, for a tie among the highest): {seed}",
    ]
    print("\n".join(lines))
    sys.stdout.flush()
    return EXIT_OK


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
