"""The ``python -m odi`` command line: a thin layer over the package.

- ``score PATH``: import any supported export (see :mod:`odi.importers`), screen it,
  score every outcome; the exclusions go to stderr as one ``screening:`` line.
- ``inspect PATH [--json]``: how the file would be imported (format, columns, labels,
  screening), also for a file that cannot be scored.
- ``segment PATH [--k K] [--seed S] [--output FILE] [--json]``: needs-based segmentation
  (see :mod:`odi.cli.segment`); ``score --segments FILE`` reads its assignment back as an
  attribute for ``--by`` and ``--where``.
- ``export PATH --format FORMAT --output FILE``: persona cards, unmet-needs lists, decks and
  score tables (see :mod:`odi.cli.export`).

All take the import options (:mod:`odi.cli.options`: ``--format`` (``--input-format``
for export), ``--scale``, ``--top-box``, ``--na-codes``,
``--label-map``, ``--column-map``, ``--keep-RULE``, ``--no-screen``). Every failure ends
with exit code 2 and one line on stderr that begins ``error:``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from odi.analysis.scoring import CLI_COLUMNS, score
from odi.analysis.segments import parse_where
from odi.cli.compare import add_compare_parser
from odi.cli.export import add_export_parser
from odi.cli.instrument import add_instrument_parser
from odi.cli.lint import add_lint_parser
from odi.cli.options import add_import_options, import_options_from_args, whole_number
from odi.cli.segment import add_segment_parser
from odi.cli.workspace import add_workspace_parser
from odi.exports.output import format_for, table_bytes
from odi.importers import (
    import_survey,
    inspect_survey,
)
from odi.importers.load import read_file_bytes

__all__ = ["build_parser", "main"]


class CliError(Exception):
    """An error to report on one line, with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see 'python -m {self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all subcommands."""
    parser = _Parser(prog="odi", description="ODI Workbench: opportunity scores from surveys.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("score", help="score every outcome of a survey")
    add_import_options(p)
    p.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="keep respondents with this attribute value (repeatable)",
    )
    p.add_argument("--by", metavar="COLUMN", help="also score each value of this attribute")
    p.add_argument(
        "--segments",
        metavar="FILE",
        help="a saved segmentation (CSV respondent_id,NAME, as 'segment --output' writes): "
        "adds the attribute NAME, for --by and --where",
    )
    p.add_argument(
        "--bootstrap", type=whole_number, default=1000, help="bootstrap resamples (default 1000)"
    )
    p.add_argument("--seed", type=whole_number, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--output", "-o", help="write to FILE (.csv, .xlsx, .json or .md)")
    p.set_defaults(handler=_score)
    i = sub.add_parser(
        "inspect",
        help="show how a file would be imported: format, columns, labels, screening",
    )
    add_import_options(i)
    i.add_argument("--json", action="store_true", help="print the report as JSON")
    i.set_defaults(handler=_inspect)
    add_export_parser(sub)
    add_workspace_parser(sub)
    add_lint_parser(sub)
    add_instrument_parser(sub)
    add_compare_parser(sub)
    add_segment_parser(sub)
    return parser


def _score(args: argparse.Namespace) -> int:
    fmt = format_for(args.output) if args.output else "csv"
    data = read_file_bytes(args.path)
    options = import_options_from_args(args)
    imported = import_survey(data, source=Path(args.path).name, options=options)
    survey = imported.survey
    if args.segments:
        from odi.analysis.segmentation.saved import attach_segments_file

        survey = attach_segments_file(survey, read_file_bytes(args.segments), args.segments)
    result = score(
        survey,
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
    options = import_options_from_args(args)
    report = inspect_survey(data, source=Path(args.path).name, options=options)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(report.to_text() + "\n")
    return 0


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _log_unexpected(exc: BaseException) -> str:
    """Write the traceback of an unexpected error to a log file; return its path."""
    try:
        fd, path = tempfile.mkstemp(prefix="odi-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as log:
            log.write("".join(traceback.format_exception(exc)))
    except OSError:
        return ""
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 success, 2 any error).

    This is the command line's one error boundary: expected failures (``ValueError`` and
    its kinds: unreadable files, limits, storage errors) are one line naming the file and
    what to do; anything else is "this file could not be read", with the traceback
    written to a log file whose path the line gives.
    """
    args: argparse.Namespace | None = None
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
        path = getattr(args, "path", None) or getattr(args, "archive", None)
        name = Path(path).name if path else "the input"
        log = _log_unexpected(exc)
        print(
            f"error: {name} could not be read: {type(exc).__name__}: {_one_line(str(exc))[:200]}"
            f"{f' (details in {log})' if log else ''}. Please report this with the file",
            file=sys.stderr,
        )
        return 2
