"""Unmet-needs lists and score tables as CSV, XLSX, Markdown and JSON, for two audiences.

- **Analysts** (:func:`unmet_needs_csv`, :func:`unmet_needs_xlsx`, Markdown, JSON): tidy
  columns, unrounded values with their intervals and n. The study, export date, method
  and each persona's segment and n are stated once: as ``#`` comment lines at the top of
  a CSV, on an ``About`` sheet in XLSX, as a header in Markdown and as fields in JSON.
- **Sales and marketing** (:func:`needs_brief_csv`, :func:`needs_brief_xlsx`): the
  statements in plain words, why each matters and a strength marker, rounded
  (:func:`odi.exports.audiences.needs_brief_frame`).

Every CSV and XLSX goes through the one writer, :mod:`odi.exports.output`, which
neutralises formula text; Markdown escapes table syntax.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeAlias

import pandas as pd

from odi.analysis.scoring import ScoreResult
from odi.analysis.unmet_needs import NEEDS_COLUMNS, UnmetNeeds, method_text, points_text
from odi.exports.audiences import STRENGTH_NOTE, card_table, needs_brief_frame
from odi.exports.output import (
    SheetContent,
    csv_bytes,
    json_value,
    markdown_table,
    workbook_bytes,
)
from odi.exports.safety import clean_text, md_text
from odi.scale import Scale

__all__ = [
    "UNMET_COLUMNS",
    "Needs",
    "needs_brief_csv",
    "needs_brief_xlsx",
    "scores_csv",
    "scores_table",
    "scores_xlsx",
    "sheet_names",
    "unmet_needs_csv",
    "unmet_needs_frame",
    "unmet_needs_json",
    "unmet_needs_markdown",
    "unmet_needs_xlsx",
]

#: One persona's unmet needs, or several.
Needs: TypeAlias = UnmetNeeds | Sequence[UnmetNeeds]

#: Columns of the analysts' unmet-needs table (:func:`unmet_needs_frame`): who, then the
#: need's scores with intervals and n, then its flags (``gap`` is left out: it follows
#: from importance and satisfaction).
UNMET_COLUMNS: tuple[str, ...] = (
    "persona_id",
    "persona",
    *(c for c in NEEDS_COLUMNS if c != "gap"),
)

_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _day(exported: date | None) -> date:
    return date.today() if exported is None else exported


def _check_needs(needs: Needs) -> list[UnmetNeeds]:
    items: list[UnmetNeeds] = [needs] if isinstance(needs, UnmetNeeds) else list(needs)
    if not items:
        raise ValueError("give at least one persona's unmet needs to export; got none")
    return items


def sheet_names(names: Iterable[str], *, reserved: Iterable[str] = ()) -> list[str]:
    """Excel-safe, unique sheet names: no ``[]:*?/\\``, at most 31 characters.

    Uniqueness ignores case, as Excel does; ``reserved`` names are avoided too.

    Examples
    --------
    >>> sheet_names(["VP: Sales/Ops", "vp: sales/ops", "", "History"])
    ['VP Sales Ops', 'vp sales ops (2)', 'Persona', 'History (2)']
    >>> len(sheet_names(["x" * 40])[0])
    31
    """
    used = {r.casefold() for r in reserved} | {"history"}
    out = []
    for raw in names:
        base = _BAD_SHEET.sub(" ", clean_text(raw).replace("\n", " "))
        base = " ".join(base.split()).strip("'").strip() or "Persona"
        base = base[:31].rstrip()
        name, k = base, 2
        while name.casefold() in used:
            suffix = f" ({k})"
            name = base[: 31 - len(suffix)].rstrip() + suffix
            k += 1
        used.add(name.casefold())
        out.append(name)
    return out


def _persona_line(n: UnmetNeeds) -> str:
    negative = ", negative persona" if n.persona.negative else ""
    unmet = int((~n.table["below_threshold"]).sum())
    line = (
        f"Persona {n.persona.id} ({n.persona.name}{negative}): segment {n.definition}; "
        f"n = {n.n_respondents} respondents; {unmet} unmet needs (opportunity ≥ {n.threshold:g})"
    )
    if n.replication is not None:
        line += f"; {n.replication.summary}"
    return line + "".join(f"; warning: {w}" for w in n.warnings)


def _about_lines(items: Sequence[UnmetNeeds], *, day: date) -> list[str]:
    return [
        f"Unmet needs: {items[0].study}",
        f"Exported {day.isoformat()}",
        f"Method: {items[0].method}",
        *(_persona_line(n) for n in items),
    ]


def unmet_needs_frame(needs: Needs) -> pd.DataFrame:
    """One tidy table of every persona's unmet needs, unrounded, one row per need.

    Columns: :data:`UNMET_COLUMNS`. The study, date, method, segment and n are not
    repeated on every row: the writers state them once.
    """
    frames = [
        n.table.assign(persona_id=n.persona.id, persona=n.persona.name) for n in _check_needs(needs)
    ]
    out = pd.concat(frames, ignore_index=True)[list(UNMET_COLUMNS)]
    for col in ("rank", "n_importance", "n_satisfaction"):
        out[col] = out[col].astype("int64")
    for col in ("crosses_threshold", "small_n", "pinned", "below_threshold"):
        out[col] = out[col].astype(bool)
    return out


def unmet_needs_csv(needs: Needs, *, exported: date | None = None) -> bytes:
    """The analysts' unmet-needs list (one or more personas) as CSV bytes.

    ``#`` comment lines first (study, date, method, each persona's segment and n), then
    the table of :func:`unmet_needs_frame`; read it with ``pandas.read_csv(...,
    comment="#")``.
    """
    items = _check_needs(needs)
    return csv_bytes(unmet_needs_frame(items), comments=_about_lines(items, day=_day(exported)))


def needs_brief_csv(needs: Needs, *, exported: date | None = None) -> bytes:
    """The unmet-needs list for sales and marketing as CSV bytes: plain words, rounded,
    with a few ``#`` lines on top (study, date, who was asked, what strength means)."""
    items = _check_needs(needs)
    return csv_bytes(needs_brief_frame(items), comments=_brief_lines(items, day=_day(exported)))


def _brief_lines(items: Sequence[UnmetNeeds], *, day: date) -> list[str]:
    who = "; ".join(f"{n.persona.name}: {n.n_respondents} respondents" for n in items)
    return [
        f"Unmet needs: {items[0].study} (survey of customers, exported {day.isoformat()})",
        f"Asked: {who}",
        STRENGTH_NOTE,
    ]


def needs_brief_xlsx(needs: Needs, *, exported: date | None = None) -> bytes:
    """The sales and marketing list as XLSX: an ``Unmet needs`` sheet and an ``About``
    sheet."""
    items = _check_needs(needs)
    about = pd.DataFrame({"About": _brief_lines(items, day=_day(exported))})
    return workbook_bytes(
        {
            "Unmet needs": (
                needs_brief_frame(items),
                {"Unmet need": 60, "Why it matters": 45, "Strength": 26},
            ),
            "About": (about, {"About": 110}),
        },
        title=f"Unmet needs: {items[0].study}",
    )


def unmet_needs_xlsx(needs: Needs, *, exported: date | None = None) -> bytes:
    """The analysts' unmet-needs lists as an XLSX workbook.

    Sheets: ``About`` (study, date, method, and per persona its sheet, segment, n,
    warnings and replication), then one sheet per persona (names sanitised and unique,
    at most 31 characters; the columns of :func:`unmet_needs_frame` without the persona),
    then ``Hidden`` when any outcome is hidden.
    """
    items = _check_needs(needs)
    day = _day(exported)
    names = sheet_names([n.persona.name for n in items], reserved=["About", "Hidden"])
    info = pd.DataFrame(
        [("Study", items[0].study), ("Exported", day.isoformat()), ("Method", items[0].method)],
        columns=["item", "value"],
    )
    personas = pd.DataFrame(
        [
            {
                "persona_id": n.persona.id,
                "persona": n.persona.name,
                "sheet": sheet,
                "negative_persona": n.persona.negative,
                "segment": n.definition,
                "n_respondents": n.n_respondents,
                "threshold": n.threshold,
                "unmet_needs": int((~n.table["below_threshold"]).sum()),
                "replication": n.replication.summary if n.replication else "",
                "warnings": " | ".join(n.warnings),
            }
            for sheet, n in zip(names, items, strict=True)
        ]
    )
    sheets: dict[str, SheetContent] = {"About": ([info, personas], {"item": 14, "value": 100})}
    for sheet, n in zip(names, items, strict=True):
        table = unmet_needs_frame(n).drop(columns=["persona_id", "persona"])
        sheets[sheet] = (table, {"outcome": 60})
    hidden = [
        n.hidden[["outcome_id", "outcome", "opportunity", "reason"]].assign(persona=n.persona.name)
        for n in items
        if len(n.hidden)
    ]
    if hidden:
        frame = pd.concat(hidden, ignore_index=True)
        sheets["Hidden"] = frame[["persona", "outcome_id", "outcome", "opportunity", "reason"]]
    return workbook_bytes(sheets, title=f"Unmet needs: {items[0].study}")


def _markdown_section(n: UnmetNeeds, *, level: int = 2) -> list[str]:
    lines = [
        f"{'#' * level} {md_text(n.persona.name)}"
        + (" (negative persona)" if n.persona.negative else ""),
        "",
    ]
    lines.append(f"- Segment: {md_text(n.definition)}")
    lines.append(f"- Respondents: n = {n.n_respondents}")
    lines.append(
        f"- Unmet needs (opportunity ≥ {n.threshold:g}): {int((~n.table['below_threshold']).sum())}"
    )
    if n.replication is not None:
        lines.append(f"- {md_text(n.replication.summary)}")
        lines.append(f"- {md_text(n.replication.explanation)}")
    for w in n.warnings:
        lines.append(f"- Warning: {md_text(w)}")
    lines.append("")
    if len(n.table):
        table = card_table(n, audience="analyst", top=len(n.table))
        lines.append(markdown_table(pd.DataFrame(list(table.rows), columns=list(table.headers))))
    else:
        lines.append("No outcome reaches the threshold for this persona.")
    if len(n.hidden):
        lines += ["", "Hidden by the team:", ""]
        for _, h in n.hidden.iterrows():
            lines.append(
                f"- {md_text(h['outcome_id'])} {md_text(h['outcome'])}: {md_text(h['reason'])}"
            )
    lines.append("")
    return lines


def unmet_needs_markdown(needs: Needs, *, exported: date | None = None) -> bytes:
    """The unmet-needs lists as Markdown (UTF-8 bytes): a header with the study, date
    and method, then one section per persona with its segment, n and table."""
    items = _check_needs(needs)
    day = _day(exported)
    lines = [
        f"# Unmet needs: {md_text(items[0].study)}",
        "",
        f"Exported {day.isoformat()}. {md_text(items[0].method)}",
        "",
    ]
    for n in items:
        lines += _markdown_section(n)
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def unmet_needs_json(needs: Needs, *, exported: date | None = None) -> bytes:
    """The unmet-needs lists as JSON (UTF-8 bytes), unrounded; missing scores are null.

    Shape: ``{"study", "exported", "method", "personas": [{"id", "name", "negative",
    "segment", "conditions", "n_respondents", "threshold", "warnings", "replication",
    "unmet_needs": [...], "hidden": [...], "unknown_pins", "unknown_hides"}]}``.
    """
    items = _check_needs(needs)
    day = _day(exported)
    personas = []
    for n in items:
        rep = n.replication
        personas.append(
            {
                "id": n.persona.id,
                "name": clean_text(n.persona.name),
                "negative": n.persona.negative,
                "segment": clean_text(n.definition),
                "conditions": n.conditions,
                "n_respondents": n.n_respondents,
                "threshold": n.threshold,
                "min_n": n.min_n,
                "warnings": [clean_text(w) for w in n.warnings],
                "replication": None
                if rep is None
                else {
                    "top_n": rep.top_n,
                    "checked": rep.checked,
                    "replicated": rep.replicated,
                    "n_half_a": rep.n_half_a,
                    "n_half_b": rep.n_half_b,
                    "seed": rep.seed,
                    "splits": rep.splits,
                    "held_rate": json_value(rep.held_rate),
                    "summary": rep.summary,
                    "explanation": rep.explanation,
                    "outcomes": _records(rep.table),
                },
                "unmet_needs": _records(n.table),
                "hidden": _records(n.hidden),
                "unknown_pins": list(n.unknown_pins),
                "unknown_hides": list(n.unknown_hides),
            }
        )
    payload = {
        "study": clean_text(items[0].study),
        "exported": day.isoformat(),
        "method": items[0].method,
        "personas": personas,
    }
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# -- full score tables -------------------------------------------------------------------


def _scores_method(result: ScoreResult, scale: Scale) -> str:
    return method_text(
        scale=points_text(scale.points),
        top_box=points_text(scale.top_points),
        threshold=result.thresholds.solid,
        confidence=result.confidence,
        bootstrap=result.n_bootstrap,
        seed=result.seed,
    )


def scores_table(result: ScoreResult) -> pd.DataFrame:
    """The full score table, tidy: ``segment, definition, n_respondents`` then every
    column of :attr:`odi.analysis.scoring.ScoreResult.table` except ``segment``."""
    seg = result.segments.set_index("segment")
    t = result.table
    out = pd.DataFrame(
        {
            "segment": t["segment"].to_numpy(),
            "definition": t["segment"].map(seg["definition"]).to_numpy(),
            "n_respondents": t["segment"].map(seg["n_respondents"]).astype("int64").to_numpy(),
        }
    )
    return pd.concat([out, t.drop(columns=["segment"]).reset_index(drop=True)], axis=1)


def _scores_about(
    result: ScoreResult, *, study: str, scale: Scale, exported: date | None
) -> list[tuple[str, str]]:
    return [
        ("Study", study),
        ("Exported", _day(exported).isoformat()),
        ("Method", _scores_method(result, scale)),
        *(
            (f"Segment {r.segment}", f"{r.definition} (n = {r.n_respondents})")
            for r in result.segments.itertuples()
        ),
    ]


def scores_csv(
    result: ScoreResult, *, study: str, scale: Scale, exported: date | None = None
) -> bytes:
    """The full score table as CSV bytes (:func:`scores_table`), with the study, date,
    method and segments stated once in ``#`` lines on top."""
    about = _scores_about(result, study=study, scale=scale, exported=exported)
    return csv_bytes(scores_table(result), comments=[f"{k}: {v}" for k, v in about])


def scores_xlsx(
    result: ScoreResult, *, study: str, scale: Scale, exported: date | None = None
) -> bytes:
    """The full score table as XLSX: a ``scores`` sheet and an ``About`` sheet."""
    about = _scores_about(result, study=study, scale=scale, exported=exported)
    return workbook_bytes(
        {
            "scores": (scores_table(result), {"outcome": 60}),
            "About": (
                pd.DataFrame(about, columns=["item", "value"]),
                {"item": 20, "value": 100},
            ),
        },
        title=f"Scores: {study}",
    )
