"""Unmet-needs lists and score tables as CSV, XLSX, Markdown and JSON.

Every export carries the study's name, the segment definition, n, the method and the
export date: as columns in CSV, on an ``About`` sheet in XLSX, as a header in Markdown
and as fields in JSON. CSV and XLSX text cells are neutralised against formula
injection (:func:`odi.exports.safety.safe_frame`); Markdown escapes table syntax.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeAlias

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from odi.analysis.scoring import ScoreResult
from odi.analysis.unmet_needs import NEEDS_COLUMNS, UnmetNeeds, method_text, points_text
from odi.exports.output import markdown_table
from odi.exports.safety import clean_text, md_text, safe_frame
from odi.scale import Scale

__all__ = [
    "Needs",
    "flags_text",
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

_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_SCORE_COLS = {
    "importance",
    "importance_low",
    "importance_high",
    "satisfaction",
    "satisfaction_low",
    "satisfaction_high",
    "opportunity",
    "opportunity_low",
    "opportunity_high",
    "gap",
    "p_underserved",
}


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


def flags_text(row: pd.Series, *, threshold: float, min_n: int) -> str:
    """The flags of one unmet need in words: pinned, below threshold, interval, small n."""
    flags = []
    if bool(row.get("pinned", False)):
        flags.append("pinned")
    if bool(row.get("below_threshold", False)):
        flags.append(f"below {threshold:g}")
    if bool(row.get("crosses_threshold", False)):
        flags.append(f"interval crosses {threshold:g}")
    if bool(row.get("small_n", False)):
        flags.append(f"n < {min_n}")
    return "; ".join(flags)


_META_HEAD = ("study", "persona_id", "persona", "negative_persona", "segment", "n_respondents")
_META_TAIL = ("flags", "threshold", "method", "exported")


def unmet_needs_frame(needs: Needs, *, exported: date | None = None) -> pd.DataFrame:
    """One long table of every persona's unmet needs, with the metadata as columns.

    Columns: ``study, persona_id, persona, negative_persona, segment, n_respondents,``
    then :data:`odi.analysis.unmet_needs.NEEDS_COLUMNS`, then ``flags, threshold, method,
    exported``. Unrounded.
    """
    day = _day(exported).isoformat()
    frames = []
    for n in _check_needs(needs):
        t = n.table.copy()
        t["flags"] = [flags_text(r, threshold=n.threshold, min_n=n.min_n) for _, r in t.iterrows()]
        frames.append(
            t.assign(
                study=n.study,
                persona_id=n.persona.id,
                persona=n.persona.name,
                negative_persona=n.persona.negative,
                segment=n.definition,
                n_respondents=n.n_respondents,
                threshold=n.threshold,
                method=n.method,
                exported=day,
            )
        )
    out = pd.concat(frames, ignore_index=True)[[*_META_HEAD, *NEEDS_COLUMNS, *_META_TAIL]]
    for col in ("rank", "n_importance", "n_satisfaction", "n_respondents"):
        out[col] = out[col].astype("int64")
    for col in ("negative_persona", "crosses_threshold", "small_n", "pinned", "below_threshold"):
        out[col] = out[col].astype(bool)
    return out


def _csv(frame: pd.DataFrame) -> bytes:
    # UTF-8 with a BOM, so Excel shows "Müller" and "–" correctly when opening the file.
    return safe_frame(frame).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def unmet_needs_csv(needs: Needs, *, exported: date | None = None) -> bytes:
    """The unmet-needs list (one or more personas) as CSV bytes; see
    :func:`unmet_needs_frame` for the columns."""
    return _csv(unmet_needs_frame(needs, exported=exported))


def _write_sheet(
    ws: Worksheet, frame: pd.DataFrame, *, widths: dict[str, int] | None = None
) -> None:
    safe = safe_frame(frame)
    ws.append([str(c) for c in safe.columns])
    for row in safe.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        width = (widths or {}).get(str(col))
        if width is None:
            longest = max([len(str(col)), *(len(str(v)) for v in frame[col].head(200))])
            width = min(max(8, longest + 2), 60)
        ws.column_dimensions[letter].width = width
        if str(col) in _SCORE_COLS:
            for cell in ws[letter][1:]:
                cell.number_format = "0.0"
        if str(col) in ("outcome", "reason", "method", "value", "warnings"):
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _xlsx_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _new_workbook() -> Workbook:
    wb = Workbook()
    for ws in list(wb.worksheets):
        wb.remove(ws)
    return wb


def _workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def unmet_needs_xlsx(needs: Needs, *, exported: date | None = None) -> bytes:
    """The unmet-needs lists as an XLSX workbook.

    Sheets: ``About`` (study, date, method, and per persona its sheet, segment, n,
    warnings and replication), then one sheet per persona (names sanitised and unique,
    at most 31 characters), then ``Hidden`` when any outcome is hidden.
    """
    items = _check_needs(needs)
    day = _day(exported)
    names = sheet_names([n.persona.name for n in items], reserved=["About", "Hidden"])
    wb = _new_workbook()
    about = wb.create_sheet("About")
    study = items[0].study
    wb.properties.title = clean_text(f"Unmet needs: {study}")[:200]
    info = [
        ("Study", study),
        ("Exported", day.isoformat()),
        ("Method", items[0].method),
    ]
    _write_sheet(
        about, pd.DataFrame(info, columns=["item", "value"]), widths={"item": 14, "value": 100}
    )
    about.append([])
    rows = []
    for sheet, n in zip(names, items, strict=True):
        rows.append(
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
        )
    table_start = about.max_row + 1
    persona_frame = safe_frame(pd.DataFrame(rows))
    about.append(list(persona_frame.columns))
    for cell in about[table_start]:
        cell.font = Font(bold=True)
    for row in persona_frame.itertuples(index=False, name=None):
        about.append([_xlsx_value(v) for v in row])
    hidden_rows = []
    for sheet, n in zip(names, items, strict=True):
        ws = wb.create_sheet(sheet)
        t = n.table.copy()
        t["flags"] = [flags_text(r, threshold=n.threshold, min_n=n.min_n) for _, r in t.iterrows()]
        _write_sheet(ws, t, widths={"outcome": 60})
        for _, h in n.hidden.iterrows():
            hidden_rows.append(
                {
                    "persona": n.persona.name,
                    "outcome_id": h["outcome_id"],
                    "outcome": h["outcome"],
                    "opportunity": h["opportunity"],
                    "reason": h["reason"],
                }
            )
    if hidden_rows:
        _write_sheet(wb.create_sheet("Hidden"), pd.DataFrame(hidden_rows))
    return _workbook_bytes(wb)


def _fmt(value: object, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{digits}f}"
    return str(value)


def _display_needs(n: UnmetNeeds) -> pd.DataFrame:
    """The list for Markdown: rounded, text cells as they are (escaped by markdown_table)."""
    t = n.table
    return pd.DataFrame(
        {
            "#": t["rank"].astype("int64").to_numpy(),
            "ID": t["outcome_id"].astype(str).to_numpy(),
            "Outcome": t["outcome"].astype(str).to_numpy(),
            "I": t["importance"].to_numpy(dtype=float),
            "S": t["satisfaction"].to_numpy(dtype=float),
            "O": t["opportunity"].to_numpy(dtype=float),
            "O interval": [
                f"{_fmt(lo)}–{_fmt(hi)}" if not (math.isnan(lo) or math.isnan(hi)) else "–"
                for lo, hi in zip(t["opportunity_low"], t["opportunity_high"], strict=True)
            ],
            "n (I/S)": [
                f"{a}/{b}" for a, b in zip(t["n_importance"], t["n_satisfaction"], strict=True)
            ],
            "Flags": [flags_text(r, threshold=n.threshold, min_n=n.min_n) for _, r in t.iterrows()],
        }
    )


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
        lines.append(f"- Replication: {md_text(n.replication.summary)}")
    for w in n.warnings:
        lines.append(f"- Warning: {md_text(w)}")
    lines.append("")
    if len(n.table):
        lines.append(markdown_table(_display_needs(n)))
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


def _json_value(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return clean_text(value)
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


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


def scores_table(
    result: ScoreResult,
    *,
    study: str,
    scale: Scale,
    exported: date | None = None,
) -> pd.DataFrame:
    """The full score table with the study, segment definition, n, method and date.

    Columns: ``study, segment, definition, n_respondents`` then every column of
    :attr:`odi.analysis.scoring.ScoreResult.table` except ``segment``, then ``method,
    exported``.
    """
    day = _day(exported)
    method = method_text(
        scale=points_text(scale.points),
        top_box=points_text(scale.top_points),
        threshold=result.thresholds.solid,
        confidence=result.confidence,
        bootstrap=result.n_bootstrap,
        seed=result.seed,
    )
    seg = result.segments.set_index("segment")
    t = result.table
    out = pd.DataFrame(
        {
            "study": study,
            "segment": t["segment"].to_numpy(),
            "definition": t["segment"].map(seg["definition"]).to_numpy(),
            "n_respondents": t["segment"].map(seg["n_respondents"]).astype("int64").to_numpy(),
        }
    )
    rest = t.drop(columns=["segment"]).reset_index(drop=True)
    out = pd.concat([out, rest], axis=1)
    out["method"] = method
    out["exported"] = day.isoformat()
    return out


def scores_csv(
    result: ScoreResult, *, study: str, scale: Scale, exported: date | None = None
) -> bytes:
    """The full score table as CSV bytes; see :func:`scores_table`."""
    return _csv(scores_table(result, study=study, scale=scale, exported=exported))


def scores_xlsx(
    result: ScoreResult, *, study: str, scale: Scale, exported: date | None = None
) -> bytes:
    """The full score table as XLSX: a ``scores`` sheet and an ``About`` sheet."""
    table = scores_table(result, study=study, scale=scale, exported=exported)
    wb = _new_workbook()
    ws = wb.create_sheet("scores")
    _write_sheet(ws, table.drop(columns=["method", "exported", "study"]), widths={"outcome": 60})
    about = wb.create_sheet("About")
    info = [
        ("Study", study),
        ("Exported", str(table["exported"].iloc[0]) if len(table) else _day(exported).isoformat()),
        ("Method", str(table["method"].iloc[0]) if len(table) else ""),
    ]
    info += [
        (f"Segment {r.segment}", f"{r.definition} (n = {r.n_respondents})")
        for r in result.segments.itertuples()
    ]
    _write_sheet(
        about, pd.DataFrame(info, columns=["item", "value"]), widths={"item": 20, "value": 100}
    )
    return _workbook_bytes(wb)
