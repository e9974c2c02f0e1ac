"""Command-line options shared by the ``python -m odi`` subcommands.

The survey path and the import options (format, scale, label and column maps, screening
switches) are the same for ``score``, ``inspect`` and ``export``, so they are defined once.
"""

from __future__ import annotations

import argparse
import io

import pandas as pd

from odi.importers import FORMATS, ColumnMap, ImportOptions, LabelMap, ScreeningOptions
from odi.importers.load import read_file_bytes
from odi.importers.screening import FLAG_RULES, RULES
from odi.limits import DEFAULT_LIMITS, Limits, loads_limited
from odi.scale import parse_na_codes, parse_scale

__all__ = [
    "add_import_options",
    "import_options_from_args",
    "limits_from_args",
    "number",
    "whole_number",
]


def whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more; got {text!r}")
    return value


def number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number; got {text!r}") from None


def _fraction(text: str) -> float:
    value = number(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be a share between 0 and 1; got {text!r}")
    return value


#: Rules applied by default, each switched off by --keep-RULE.
_APPLIED_HELP = {
    "previews": "survey previews, tests and spam (Qualtrics Status)",
    "unfinished": "unfinished responses (Finished / Progress; on SurveyMonkey and Google "
    "Forms, responses abandoned with the last half of the rating items blank)",
    "duplicates": "repeated response ids (keeps the first)",
}

#: Rules flagged by default, each switched on by --exclude-RULE.
_FLAG_HELP = {
    "sparse": "respondents who answered fewer than --min-answered of the rating items they "
    "were shown",
    "straightliners": "straight-liners: the same answer on every importance item",
    "speeders": "speeders: faster than --speeder-fraction of the median duration",
}


def add_import_options(p: argparse.ArgumentParser, *, format_option: str = "--format") -> None:
    """Add the survey path and the import options (shared by score, inspect and export)."""
    p.add_argument(
        "path",
        help="survey file: Qualtrics, SurveyMonkey or Google Forms export (CSV, TSV, XLSX), "
        "SPSS .sav, or a plain wide/long table (CSV, TSV, XLSX, JSON Lines)",
    )
    p.add_argument(
        format_option,
        dest="input_format",
        choices=["auto", *FORMATS],
        default="auto",
        help="the file's format (default: detected from its content)",
    )
    p.add_argument("--scale", help="rating scale, e.g. 1-5, 1-7, 0-10 (inferred if omitted)")
    p.add_argument(
        "--top-box", type=number, help="lowest top-box point (default: the top two points)"
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
    p.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="raise a reading limit (repeatable): rows, columns, cells, field_chars, "
        "json_depth, member_mib, inflated_mib, ratio; see the README's Limits section",
    )
    group = p.add_argument_group(
        "screening",
        "By default only the platform's own record excludes a response (previews, tests and "
        "spam; unfinished; repeated ids), each counted by reason; --keep-RULE switches one "
        "off, --no-screen all. Straight-liners, speeders and sparse respondents are flagged "
        "and kept; --exclude-RULE leaves them out.",
    )
    for rule, text in _APPLIED_HELP.items():
        group.add_argument(f"--keep-{rule}", action="store_true", help=f"keep {text}")
    for rule, text in _FLAG_HELP.items():
        group.add_argument(f"--exclude-{rule}", action="store_true", help=f"exclude {text}")
        # The old switch (from when these rules were on by default) is still accepted.
        group.add_argument(f"--keep-{rule}", action="store_true", help=argparse.SUPPRESS)
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
        help="with --exclude-sparse: least share of the rating items shown that a respondent "
        "must answer (default 0.5)",
    )


def _read_map(path: str) -> object:
    """A label or column map file: JSON, or CSV read as a table."""
    data = read_file_bytes(path)
    text = data.decode("utf-8-sig", errors="replace")
    if text.lstrip().startswith(("{", "[")):
        return loads_limited(text, source=path)
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


def import_options_from_args(args: argparse.Namespace) -> ImportOptions:
    """The :class:`ImportOptions` given on the command line."""
    rules = {
        rule: (
            bool(getattr(args, f"exclude_{rule}", False))
            if rule in FLAG_RULES
            else not getattr(args, f"keep_{rule}")
        )
        and not args.no_screen
        for rule in RULES
    }
    return ImportOptions(
        format=None if args.input_format == "auto" else args.input_format,
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
        limits=limits_from_args(args),
    )


def limits_from_args(args: argparse.Namespace) -> Limits:
    """The reading limits, with the ``--limit NAME=VALUE`` overrides."""
    return DEFAULT_LIMITS.with_overrides(getattr(args, "limit", None) or [])
