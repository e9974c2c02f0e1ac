"""``python -m odi segment PATH``: needs-based segmentation of a survey.

Imports the file (same import options as ``score``), runs the method of
:mod:`odi.analysis.segmentation` and prints a summary per cluster (size, share, stability,
top needs), or one JSON object with ``--json``. ``--output FILE`` writes the assignment as
CSV, ``respondent_id,segment``: one row per kept respondent. Read it back with
``python -m odi score PATH --segments FILE --by segment``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from odi.cli.options import add_import_options, import_options_from_args, whole_number

__all__ = ["add_arguments"]


def _k(text: str) -> int:
    value = whole_number(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be 2 or more; got {text!r}")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``segment`` options to its parser and set its handler."""
    p.description = (
        "Cluster respondents on their per-outcome needs (individual opportunity), "
        "try k = 2..8, recommend k from stability, silhouette and size balance, and "
        "describe each cluster. With no stable segments, recommended_k is null."
    )
    add_import_options(p)
    p.add_argument("--k", type=_k, help="number of segments (default: the recommended k)")
    p.add_argument("--seed", type=whole_number, default=0, help="random seed (default 0)")
    p.add_argument(
        "--resamples",
        type=_k,
        default=20,
        help="bootstrap resamples for stability, per k (default 20)",
    )
    p.add_argument(
        "--input",
        choices=["opportunity", "topbox"],
        default="opportunity",
        help="clustering input per outcome: individual opportunity on the raw ratings "
        "(default) or on top-box indicators",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write respondent_id,segment CSV")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=_segment)


def _progress(fraction: float, message: str) -> None:
    print(f"segment: {fraction:4.0%} {message}", file=sys.stderr, flush=True)


def _segment(args: argparse.Namespace) -> int:
    from odi.analysis.segmentation import SegmentationSettings, segment
    from odi.importers import import_survey
    from odi.importers.load import read_file_bytes

    data = read_file_bytes(args.path)
    imported = import_survey(
        data, source=Path(args.path).name, options=import_options_from_args(args)
    )
    settings = SegmentationSettings(
        input=args.input, k=args.k, seed=args.seed, resamples=args.resamples
    )
    run = segment(imported.survey, settings=settings, progress=_progress)
    if args.output:
        table = run.assignment.rename("segment").reset_index()
        try:
            Path(args.output).write_text(table.to_csv(index=False), encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"could not write {args.output} ({exc.strerror})") from None
    print(f"screening: {imported.report.exclusion_summary()}", file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(run.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(run.to_text() + "\n")
    return 0
