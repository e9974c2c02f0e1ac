"""The ``python -m odi`` command line: a thin layer over the package.

Every failure ends with exit code 2 and one line on stderr that begins ``error:``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from odi.load import load_survey, read_file_bytes
from odi.output import format_for, table_bytes
from odi.plain import ScaleOptions
from odi.scale import parse_na_codes, parse_scale
from odi.scoring import CLI_COLUMNS, score
from odi.segments import parse_where

__all__ = ["build_parser", "main"]


class CliError(Exception):
    """An error to report on one line, with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see 'python -m {self.prog} --help')")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more; got {text!r}")
    return value


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number; got {text!r}") from None


def _add_import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="survey file: CSV, TSV, XLSX or JSON Lines")
    p.add_argument("--scale", help="rating scale, e.g. 1-5, 1-7, 0-10 (inferred if omitted)")
    p.add_argument(
        "--top-box", type=_float, help="lowest top-box point (default: the top two points)"
    )
    p.add_argument("--na-codes", help="codes meaning 'not applicable', e.g. 0,6,99")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all subcommands."""
    parser = _Parser(prog="odi", description="ODI Workbench: opportunity scores from surveys.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("score", help="score every outcome of a survey")
    _add_import_options(p)
    p.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="keep respondents with this attribute value (repeatable)",
    )
    p.add_argument("--by", metavar="COLUMN", help="also score each value of this attribute")
    p.add_argument(
        "--bootstrap", type=_positive_int, default=1000, help="bootstrap resamples (default 1000)"
    )
    p.add_argument("--seed", type=_positive_int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--output", "-o", help="write to FILE (.csv, .xlsx, .json or .md)")
    p.set_defaults(handler=_score)
    return parser


def _options(args: argparse.Namespace) -> ScaleOptions:
    return ScaleOptions(
        scale=parse_scale(args.scale) if args.scale else None,
        top_box=args.top_box,
        na_codes=parse_na_codes(args.na_codes) if args.na_codes else (),
    )


def _score(args: argparse.Namespace) -> int:
    fmt = format_for(args.output) if args.output else "csv"
    data = read_file_bytes(args.path)
    survey = load_survey(data, source=Path(args.path).name, options=_options(args))
    result = score(
        survey,
        where=parse_where(args.where),
        by=args.by,
        bootstrap=args.bootstrap,
        seed=args.seed,
    )
    table = result.table
    missing = table.loc[table["missing"] & table["segment"].eq("All"), "outcome_id"].tolist()
    if missing:
        print(
            f"warning: {len(missing)} outcome(s) have no valid answers on a side, so their "
            f"scores are missing (blank), not 0: {', '.join(missing[:10])}",
            file=sys.stderr,
        )
    columns = (["segment"] if args.by else []) + list(CLI_COLUMNS)
    payload = table_bytes(table[columns], fmt)
    if args.output:
        try:
            Path(args.output).write_bytes(payload)
        except OSError as exc:
            raise ValueError(f"could not write {args.output} ({exc.strerror})") from None
    else:
        sys.stdout.write(payload.decode("utf-8"))
    return 0


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 success, 2 any error)."""
    try:
        args = build_parser().parse_args(argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except (CliError, ValueError) as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: not enough memory to read this file; try a smaller export", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    except Exception as exc:  # never show a traceback to a user
        print(
            f"error: unexpected {type(exc).__name__}: {_one_line(str(exc))}. Please report "
            "this with the file that caused it",
            file=sys.stderr,
        )
        return 2
