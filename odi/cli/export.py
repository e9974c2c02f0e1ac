"""``python -m odi export``: persona cards, unmet-needs lists, decks and score tables.

Registered in :data:`odi.cli.main.COMMANDS` (:func:`add_arguments`). Every problem is a
``ValueError`` (the CLI prints it as one ``error:`` line and exits 2).

Examples::

    python -m odi export survey.csv --personas personas.json --format card-pdf -o vp.pdf \\
        --persona vp-sales
    python -m odi export survey.csv --personas personas.json --format unmet-xlsx -o needs.xlsx
    python -m odi export survey.csv --format scores-csv -o scores.csv
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from odi.analysis.scoring import Thresholds, score
from odi.analysis.segments import describe_conditions
from odi.analysis.unmet_needs import UnmetNeeds, method_text, points_text, unmet_needs
from odi.cli.common import write_output
from odi.cli.options import add_import_options, import_options_from_args, number, whole_number
from odi.exports.registry import EXPORTS, ExportFormat, export_format
from odi.importers import import_survey
from odi.importers.load import read_file_bytes
from odi.personas import ICP, PersonaSet, effective_conditions, personas_from_json
from odi.survey import Survey

__all__ = ["add_arguments", "run_export"]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-03-31; got {text!r}") from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``export`` options to its parser and set its handler (``run_export``)."""
    listed = "; ".join(f"{k}: {f.description}" for k, f in EXPORTS.items())
    p.description = f"Export formats: {listed}."
    add_import_options(p, format_option="--input-format")
    p.add_argument("--personas", metavar="FILE", help="personas JSON (with the study's ICP)")
    p.add_argument(
        "--format",
        "-f",
        required=True,
        choices=list(EXPORTS),
        metavar="FORMAT",
        help="one of: " + ", ".join(EXPORTS),
    )
    p.add_argument("--output", "-o", required=True, metavar="FILE", help="file to write")
    p.add_argument(
        "--persona",
        action="append",
        default=[],
        metavar="ID",
        help="only this persona (repeatable; default: every persona in the file)",
    )
    p.add_argument(
        "--threshold",
        type=number,
        default=10.0,
        help="opportunity at or above which a need is unmet (default 10)",
    )
    p.add_argument("--bootstrap", type=whole_number, default=1000, help="bootstrap resamples")
    p.add_argument("--seed", type=whole_number, default=0, help="seed of the bootstrap and split")
    p.add_argument("--min-n", type=whole_number, default=30, help="small-sample warning below this")
    p.add_argument(
        "--top-n",
        type=whole_number,
        default=10,
        help="most unmet needs the split-half check lists on each random half (default 10)",
    )
    p.add_argument("--date", type=_day, help="export date to print (default today)")
    p.set_defaults(handler=run_export)


def _read_personas(path: str | None, *, needed: bool, fmt: str) -> PersonaSet | None:
    if path is None:
        if needed:
            raise ValueError(
                f"--format {fmt} needs personas: give --personas FILE (a personas JSON "
                "exported from the workbench)"
            )
        return None
    return personas_from_json(read_file_bytes(path), source=Path(path).name)


def _chosen(pset: PersonaSet, ids: list[str]) -> list[Any]:
    if ids:
        return [pset.get(i) for i in dict.fromkeys(ids)]
    if not len(pset):
        raise ValueError("the personas file has no personas; add one in the workbench first")
    return list(pset.personas)


def _needs(survey: Survey, pset: PersonaSet, args: argparse.Namespace) -> list[UnmetNeeds]:
    return [
        unmet_needs(
            survey,
            persona,
            icp=pset.icp,
            threshold=args.threshold,
            bootstrap=args.bootstrap,
            seed=args.seed,
            min_n=args.min_n,
            top_n=max(args.top_n, 1),
        )
        for persona in _chosen(pset, args.persona)
    ]


def _segment(
    survey: Survey, pset: PersonaSet | None, args: argparse.Namespace
) -> tuple[dict[str, list[str]], str]:
    """Conditions and label for score exports: one persona's segment, else the ICP."""
    if pset is not None and args.persona:
        if len(args.persona) > 1:
            raise ValueError(f"--format {args.format} takes one --persona; got {args.persona}")
        persona = pset.get(args.persona[0])
        return effective_conditions(persona, pset.icp), persona.name
    icp: ICP | None = pset.icp if pset is not None else None
    conditions = {c: list(v) for c, v in (icp.conditions.items() if icp else ())}
    return conditions, "ICP" if conditions else "All"


def _render(
    fmt: ExportFormat, survey: Survey, pset: PersonaSet | None, args: argparse.Namespace
) -> bytes:
    day: date = args.date or date.today()
    if fmt.takes == "personas" and pset is not None:  # _read_personas checked the file
        return fmt.write(pset, exported=day)
    if fmt.takes == "needs" and pset is not None:
        needs = _needs(survey, pset, args)
        for n in needs:
            for w in n.warnings:
                print(f"warning: {n.persona.name}: {w}", file=sys.stderr)
        return fmt.write(needs, exported=day)
    conditions, label = _segment(survey, pset, args)
    thresholds = _thresholds(args.threshold)
    result = score(
        survey,
        where=conditions or None,
        bootstrap=args.bootstrap,
        seed=args.seed,
        min_n=args.min_n,
        thresholds=thresholds,
    )
    if fmt.takes == "scores":
        return fmt.write(result, study=survey.name, scale=survey.scale, exported=day)
    seg = result.segments.iloc[0]
    method = method_text(
        scale=points_text(survey.scale.points),
        top_box=points_text(survey.scale.top_points),
        threshold=args.threshold,
        confidence=result.confidence,
        bootstrap=args.bootstrap,
        seed=args.seed,
    )
    pins: tuple[str, ...] = ()
    if pset is not None and args.persona:
        pins = pset.get(args.persona[0]).pins
    return fmt.write(
        result.for_segment(),
        study=survey.name,
        definition=describe_conditions(conditions) if conditions else str(seg["definition"]),
        n=int(seg["n_respondents"]),
        method=method,
        exported=day,
        title=f"Opportunity landscape: {label} · {survey.name}",
        thresholds=thresholds,
        highlight=pins,
    )


def _thresholds(solid: float) -> Thresholds:
    if not 0 <= solid <= 20:
        raise ValueError(f"--threshold must be between 0 and 20; got {solid:g}")
    return Thresholds(solid=solid, high=max(solid, 12.0), extreme=max(solid, 15.0))


def run_export(args: argparse.Namespace) -> int:
    """Handle ``python -m odi export``; return the exit code (0)."""
    fmt = export_format(args.format)
    ext = fmt.extension
    out = Path(args.output)
    if out.suffix.lower() != ext:
        raise ValueError(
            f"--format {fmt.key} writes a {ext} file; got --output {out.name!r}. Name it "
            f"{out.stem}{ext}"
        )
    if out.parent and not out.parent.exists():
        raise ValueError(f"the folder of --output {args.output} does not exist; create it first")
    needed = fmt.takes in ("needs", "personas")
    pset = _read_personas(args.personas, needed=needed, fmt=fmt.key)
    imported = import_survey(
        read_file_bytes(args.path),
        source=Path(args.path).name,
        options=import_options_from_args(args),
    )
    payload = _render(fmt, imported.survey, pset, args)
    print(f"screening: {imported.report.exclusion_summary()}", file=sys.stderr)
    write_output(out, payload)
    return 0
