"""``python -m odi compare WAVE1 WAVE2``: compare two waves of a study, outcome by outcome.

Outcomes are matched by id, then by statement text; ``--match FILE`` (CSV ``outcome_id_1,
outcome_id_2`` or a JSON object) pairs reworded statements by hand. The import options apply
to both files; ``--wave2-format``, ``--wave2-scale``, ``--wave2-label-map`` and
``--wave2-column-map`` override them for the second. One row per matched outcome (columns
:data:`odi.analysis.waves.COMPARE_COLUMNS`); unmatched outcomes are listed on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from odi.analysis.segments import parse_where
from odi.analysis.waves import COMPARE_COLUMNS, compare_waves, match_outcomes
from odi.cli.options import _read_map, add_import_options, import_options_from_args, number
from odi.exports.output import format_for, table_bytes
from odi.importers import FORMATS, import_survey
from odi.importers.load import read_file_bytes
from odi.survey import Survey

__all__ = ["add_arguments"]

_OVERRIDES = ("input_format", "scale", "label_map", "column_map", "top_box", "na_codes")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``compare`` options to its parser and set its handler."""
    add_import_options(p)
    p.add_argument("wave2", help="the second wave's survey file")
    g = p.add_argument_group("wave 2", "import options for the second file, if they differ")
    g.add_argument("--wave2-format", choices=["auto", *FORMATS], dest="w2_input_format")
    g.add_argument("--wave2-scale", dest="w2_scale")
    g.add_argument("--wave2-top-box", type=number, dest="w2_top_box")
    g.add_argument("--wave2-na-codes", dest="w2_na_codes")
    g.add_argument("--wave2-label-map", metavar="FILE", dest="w2_label_map")
    g.add_argument("--wave2-column-map", metavar="FILE", dest="w2_column_map")
    p.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="compare only respondents with this attribute value (repeatable)",
    )
    p.add_argument(
        "--match",
        metavar="FILE",
        help="manual matches: CSV outcome_id_1,outcome_id_2 or JSON {id1: id2}",
    )
    p.add_argument("--alpha", type=number, default=0.05, help="false discovery rate (0.05)")
    p.add_argument("--output", "-o", help="write to FILE (.csv, .xlsx, .json or .md)")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    p.set_defaults(handler=_compare)


def _load(path: str, args: argparse.Namespace) -> Survey:
    imported = import_survey(
        read_file_bytes(path), source=Path(path).name, options=import_options_from_args(args)
    )
    return imported.survey


def _manual(path: str) -> dict[str, str]:
    raw = _read_map(path)
    if isinstance(raw, dict):
        return {str(k): "" if v is None else str(v) for k, v in raw.items()}
    if isinstance(raw, pd.DataFrame):
        cols = [str(c) for c in raw.columns]
        if {"outcome_id_1", "outcome_id_2"} <= set(cols):
            return {
                str(a): str(b)
                for a, b in zip(raw["outcome_id_1"], raw["outcome_id_2"], strict=True)
            }
        raise ValueError(f"{path} must have columns outcome_id_1,outcome_id_2; got {cols}")
    raise ValueError(f"{path} must hold a JSON object {{id1: id2}} or a CSV table")


def _compare(args: argparse.Namespace) -> int:
    fmt = format_for(args.output) if args.output else "csv"
    wave1 = _load(args.path, args)
    second = argparse.Namespace(**vars(args))
    for name in _OVERRIDES:
        value = getattr(args, f"w2_{name}")
        if value is not None:
            setattr(second, name, value)
    wave2 = _load(args.wave2, second)
    match = match_outcomes(wave1, wave2, manual=_manual(args.match) if args.match else None)
    result = compare_waves(
        wave1, wave2, match=match, where=parse_where(args.where), alpha=args.alpha
    )
    table = result.table[list(COMPARE_COLUMNS)]
    payload = (
        (json.dumps(json.loads(table.to_json(orient="records")), indent=2) + "\n").encode()
        if args.json
        else table_bytes(table, fmt)
    )
    for label, ids in (("wave 1", match.unmatched_1), ("wave 2", match.unmatched_2)):
        if ids:
            print(f"unmatched in {label}: {', '.join(ids)}", file=sys.stderr)
    print(
        f"compare: {len(table)} matched outcome(s), {len(result.significant)} changed "
        f"significantly (n = {result.n_1} and {result.n_2})",
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
