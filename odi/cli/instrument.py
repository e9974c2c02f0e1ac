"""``python -m odi instrument FILE --format FORMAT --output PATH``: write the questionnaire.

FILE is an outcome list (as for ``lint``: CSV/XLSX with ``id``, ``statement``, optional
``job_step``, or one statement a line). The respondent questions (role, company size,
industry, region) get their choices from ``--personas`` (the study's ICP and persona
segments) and otherwise generic ones; ``--questions FILE`` gives them as JSON
``[{"name": ..., "text": ..., "choices": [...]}]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from odi.design.instrument import (
    FORMATS,
    Instrument,
    RespondentQuestion,
    default_questions,
    instrument_bytes,
)
from odi.design.lint import read_statement_list
from odi.importers.load import read_file_bytes
from odi.personas import personas_from_json

__all__ = ["add_arguments"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``instrument`` options to its parser and set its handler."""
    p.description = "Formats: " + "; ".join(f"{k}: {v[2]}" for k, v in FORMATS.items()) + "."
    p.add_argument("path", help="outcome list: CSV/XLSX with id,statement, or one a line")
    p.add_argument(
        "--format",
        "-f",
        required=True,
        choices=list(FORMATS),
        metavar="FORMAT",
        help="one of: " + ", ".join(FORMATS),
    )
    p.add_argument("--output", "-o", required=True, metavar="PATH", help="file to write")
    p.add_argument("--title", default="Outcome survey", help="the survey's title")
    p.add_argument("--personas", metavar="FILE", help="personas JSON: choices from ICP/segments")
    p.add_argument("--questions", metavar="FILE", help="respondent questions as JSON")
    p.set_defaults(handler=_instrument)


def _questions(path: str) -> tuple[RespondentQuestion, ...]:
    try:
        raw = json.loads(read_file_bytes(path).decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON ({exc})") from None
    if not isinstance(raw, list) or not all(isinstance(q, dict) for q in raw):
        raise ValueError(f"{path} must hold a JSON list of {{name, text, choices}} objects")
    out = []
    for k, q in enumerate(raw):
        unknown = set(q) - {"name", "text", "choices"}
        if unknown or not isinstance(q.get("choices"), list):
            raise ValueError(
                f"{path} question {k + 1} must have name, text and a list of choices; got "
                f"keys {sorted(q)}"
            )
        out.append(
            RespondentQuestion(
                str(q.get("name", "")), str(q.get("text", "")), tuple(map(str, q["choices"]))
            )
        )
    return tuple(out)


def _instrument(args: argparse.Namespace) -> int:
    listing = read_statement_list(read_file_bytes(args.path), source=Path(args.path).name)
    outcomes = listing.statements.set_index("id")[["statement", "job_step"]]
    if args.questions:
        questions = _questions(args.questions)
    elif args.personas:
        pset = personas_from_json(read_file_bytes(args.personas), source=args.personas)
        questions = default_questions(icp=pset.icp, personas=list(pset.personas))
    else:
        questions = default_questions()
    data = instrument_bytes(Instrument(outcomes, questions, args.title), args.format)
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise ValueError(f"could not write {args.output} ({exc.strerror})") from None
    print(f"wrote {args.output} ({len(outcomes)} outcomes, {len(data):,} bytes)", file=sys.stderr)
    return 0
