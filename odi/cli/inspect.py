"""``python -m odi inspect PATH``: how a file would be imported (format, columns, labels,
screening), also for a file that cannot be scored."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from odi.cli.options import add_import_options, import_options_from_args
from odi.importers import inspect_survey
from odi.importers.load import read_file_bytes

__all__ = ["add_arguments", "run"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``inspect`` options to its parser and set its handler."""
    add_import_options(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``python -m odi inspect``; return the exit code (0)."""
    data = read_file_bytes(args.path)
    options = import_options_from_args(args)
    report = inspect_survey(data, source=Path(args.path).name, options=options)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(report.to_text() + "\n")
    return 0
