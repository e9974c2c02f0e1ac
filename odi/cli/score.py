"""``python -m odi score PATH``: import a survey, screen it and score every outcome.

The table goes to stdout (CSV) or ``--output`` (.csv, .xlsx, .json or .md); warnings and the
one ``screening:`` line go to stderr. Imports only what scoring needs (no storage, no charts).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from odi.analysis.scoring import CLI_COLUMNS, score
from odi.analysis.segments import parse_where
from odi.cli.common import one_line, write_output
from odi.cli.options import add_import_options, import_options_from_args, whole_number
from odi.exports.output import format_for, table_bytes
from odi.importers import import_survey
from odi.importers.load import read_file_bytes

__all__ = ["add_arguments", "run"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``score`` options to its parser and set its handler."""
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
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``python -m odi score``; return the exit code (0)."""
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
        print(f"warning: {one_line(warning)}", file=sys.stderr)
    print(f"screening: {imported.report.exclusion_summary()}", file=sys.stderr)
    missing = table.loc[table["missing"] & table["segment"].eq("All"), "outcome_id"].tolist()
    if missing:
        print(
            f"warning: {len(missing)} outcome(s) have no valid answers on a side, so their "
            f"scores are missing (blank), not 0: {', '.join(missing[:10])}",
            file=sys.stderr,
        )
    if args.output:
        write_output(args.output, payload)
    else:
        sys.stdout.write(payload.decode("utf-8"))
    return 0
