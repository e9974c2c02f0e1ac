"""The ``python -m odi`` command line: a thin layer over the package.

- ``score PATH``: import any supported export (see :mod:`odi.importers`), screen it,
  score every outcome; the exclusions go to stderr as one ``screening:`` line.
- ``inspect PATH [--json]``: how the file would be imported (format, columns, labels,
  screening), also for a file that cannot be scored.

Both take the import options (``--format``, ``--scale``, ``--top-box``, ``--na-codes``,
``--label-map``, ``--column-map``, ``--keep-RULE``, ``--no-screen``). Every failure ends
with exit code 2 and one line on stderr that begins ``error:``.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import pandas as pd

from odi.export_cli import add_export_parser
from odi.importers import (
    FORMATS,
    ColumnMap,
    ImportOptions,
    LabelMap,
    ScreeningOptions,
    import_survey,
    inspect_survey,
)
from odi.load import read_file_bytes
from odi.output import format_for, table_bytes
from odi.scale import parse_na_codes, parse_scale
from odi.scoring import CLI_COLUMNS, score
from odi.screening import RULES
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


def _fraction(text: str) -> float:
    value = _float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be a share between 0 and 1; got {text!r}")
    return value


_SCREEN_HELP = {
    "previews": "survey previews, tests and spam (Qualtrics Status)",
    "unfinished": "unfinished responses (Finished / Progress)",
    "duplicates": "repeated response ids (keeps the first)",
    "sparse": "fewer than --min-answered of the rating items answered",
    "straightliners": "the same answer on every importance item",
    "speeders": "responses faster than --speeder-fraction of the median duration",
}


def _add_import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path",
        help="survey file: Qualtrics, SurveyMonkey or Google Forms export (CSV, TSV, XLSX), "
        "SPSS .sav, or a plain wide/long table (CSV, TSV, XLSX, JSON Lines)",
    )
    p.add_argument(
        "--format",
        choices=["auto", *FORMATS],
        default="auto",
        help="the file's format (default: detected from its content)",
    )
    p.add_argument("--scale", help="rating scale, e.g. 1-5, 1-7, 0-10 (inferred if omitted)")
    p.add_argument(
        "--top-box", type=_float, help="lowest top-box point (default: the top two points)"
    )
    p.add_argument(
        "--na-codes", help="codes meaning 'not applicable', e.g. 0,6,99 (-99 and 999 always are)"
    )
    p.add_argument(
        "--label-map",
        metavar="FILE",
        help="answer label -> scale point map (JSON {label: value} or CSV label,value; a "
        "blank value means N/A); replaces the built-in label sets",
    )
    p.add_argument(
        "--column-map",
        metavar="FILE",
        help="column roles overriding the automatic ones (JSON or CSV with column and role, "
        "e.g. the columns of 'inspect --json')",
    )
    group = p.add_argument_group(
        "screening",
        "Respondents are excluded, and counted by reason, when they match any of these rules; "
        "each --keep-RULE switches one rule off, --no-screen switches all off.",
    )
    for rule, text in _SCREEN_HELP.items():
        group.add_argument(
            f"--keep-{rule}", action="store_true", help=f"keep {text}"
        )
    group.add_argument("--no-screen", action="store_true", help="switch every screening rule off")
    group.add_argument(
        "--speeder-fraction",
        type=_fraction,
        default=1 / 3,
        help="a speeder takes less than this share of the median duration (default 0.333)",
    )
    group.add_argument(
        "--min-answered",
        type=_fraction,
        default=0.5,
        help="least share of rating items a respondent must answer (default 0.5)",
    )


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
    i = sub.add_parser(
        "inspect",
        help="show how a file would be imported: format, columns, labels, screening",
    )
    _add_import_options(i)
    i.add_argument("--json", action="store_true", help="print the report as JSON")
    i.set_defaults(handler=_inspect)
    add_export_parser(sub)
    return parser


def _read_map(path: str) -> object:
    """A label or column map file: JSON, or CSV read as a table."""
    data = read_file_bytes(path)
    text = data.decode("utf-8-sig", errors="replace")
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(f"{path} could not be read as a CSV table ({exc})") from None


def _label_map(path: str) -> LabelMap:
    raw = _read_map(path)
    if isinstance(raw, pd.DataFrame):
        return LabelMap.from_frame(raw)
    if isinstance(raw, dict):
        return LabelMap.from_dict(raw)
    raise ValueError(f"{path} must hold a JSON object of label: value, or a label,value table")


def _column_map(path: str) -> ColumnMap:
    raw = _read_map(path)
    if isinstance(raw, pd.DataFrame):
        return ColumnMap.from_frame(raw)
    if isinstance(raw, list):
        return ColumnMap.from_dict({"columns": raw})
    if isinstance(raw, dict):
        return ColumnMap.from_dict(raw)
    raise ValueError(f"{path} must hold a JSON list of columns, or a column,role table")


def _options(args: argparse.Namespace) -> ImportOptions:
    rules = {rule: not (args.no_screen or getattr(args, f"keep_{rule}")) for rule in RULES}
    return ImportOptions(
        format=None if args.format == "auto" else args.format,
        scale=parse_scale(args.scale) if args.scale else None,
        top_box=args.top_box,
        na_codes=parse_na_codes(args.na_codes) if args.na_codes else (),
        screening=ScreeningOptions(
            **rules,
            speeder_fraction=args.speeder_fraction,
            min_answered=args.min_answered,
        ),
        label_map=_label_map(args.label_map) if args.label_map else None,
        column_map=_column_map(args.column_map) if args.column_map else None,
    )


def _score(args: argparse.Namespace) -> int:
    fmt = format_for(args.output) if args.output else "csv"
    data = read_file_bytes(args.path)
    imported = import_survey(data, source=Path(args.path).name, options=_options(args))
    result = score(
        imported.survey,
        where=parse_where(args.where),
        by=args.by,
        bootstrap=args.bootstrap,
        seed=args.seed,
    )
    columns = (["segment"] if args.by else []) + list(CLI_COLUMNS)
    table = result.table
    payload = table_bytes(table[columns], fmt)
    # Printed only once everything worked: an error stays the one line on stderr.
    for warning in imported.report.warnings:
        print(f"warning: {_one_line(warning)}", file=sys.stderr)
    print(f"screening: {imported.report.exclusion_summary()}", file=sys.stderr)
    missing = table.loc[table["missing"] & table["segment"].eq("All"), "outcome_id"].tolist()
    if missing:
        print(
            f"warning: {len(missing)} outcome(s) have no valid answers on a side, so their "
            f"scores are missing (blank), not 0: {', '.join(missing[:10])}",
            file=sys.stderr,
        )
    if args.output:
        try:
            Path(args.output).write_bytes(payload)
        except OSError as exc:
            raise ValueError(f"could not write {args.output} ({exc.strerror})") from None
    else:
        sys.stdout.write(payload.decode("utf-8"))
    return 0


def _inspect(args: argparse.Namespace) -> int:
    data = read_file_bytes(args.path)
    report = inspect_survey(data, source=Path(args.path).name, options=_options(args))
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(report.to_text() + "\n")
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
