"""``python -m odi lint FILE``: check outcome statements against the statement grammar.

FILE is a CSV or XLSX with ``id`` and ``statement`` columns (optional ``job_step``), or a text
file with one statement a line (ids are then line numbers). One line per finding,
``ID: RULE: message``; ``--json`` prints a JSON list of ``{id, rule, message, suggestion}``.
Exit code 1 when there are findings, 0 when none, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from odi.design.lint import RULES, lint_statements, read_statement_list
from odi.importers.load import read_file_bytes

__all__ = ["add_arguments"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``lint`` options to its parser and set its handler."""
    p.description = "Rules: " + "; ".join(f"{k}: {v}" for k, v in RULES.items()) + "."
    p.add_argument("path", help="CSV/XLSX with id,statement[,job_step], or one statement a line")
    p.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    p.add_argument(
        "--suggest", action="store_true", help="add the suggested rewrite after each finding"
    )
    p.set_defaults(handler=_lint)


def _lint(args: argparse.Namespace) -> int:
    listing = read_statement_list(read_file_bytes(args.path), source=Path(args.path).name)
    findings = lint_statements(listing.statements, steps=listing.steps)
    if args.json:
        sys.stdout.write(
            json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"
        )
    else:
        for f in findings:
            hint = f" (suggested: {f.suggestion})" if args.suggest and f.suggestion else ""
            print(f"{f.id}: {f.rule}: {f.message}{hint}")
    n = len(listing.statements)
    print(
        f"lint: {len(findings)} finding(s) in {n} statement(s)"
        if findings
        else f"lint: {n} statement(s), no findings",
        file=sys.stderr,
    )
    return 1 if findings else 0
