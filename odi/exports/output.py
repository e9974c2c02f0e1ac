"""The one writer of tables: CSV, XLSX, JSON and Markdown.

Every CSV and XLSX the project writes goes through :func:`csv_bytes` or
:func:`write_sheet` (``python -m odi score -o``, ``python -m odi export`` and the app's
downloads alike), so text cells that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) are neutralised the same way
everywhere, while numbers stay numbers (:func:`odi.exports.safety.safe_frame`).
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import numpy as np
import pandas as pd

from odi.exports.safety import clean_text, safe_frame
from odi.scale import SCORE_INTERVAL_COLUMNS

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written, not at start-up
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "FORMATS",
    "SheetContent",
    "csv_bytes",
    "format_for",
    "json_value",
    "markdown_table",
    "table_bytes",
    "workbook_bytes",
    "write_sheet",
    "xlsx_bytes",
]

FORMATS = ("csv", "xlsx", "json", "md")

#: A sheet's content: one table, several written one below the other, and optionally
#: column widths by column name.
SheetContent: TypeAlias = (
    pd.DataFrame | list[pd.DataFrame] | tuple[pd.DataFrame | list[pd.DataFrame], Mapping[str, int]]
)

#: Columns shown with one decimal in XLSX (the stored value stays unrounded).
SCORE_COLUMNS = frozenset({*SCORE_INTERVAL_COLUMNS, "gap", "p_underserved"})
_WRAPPED = frozenset(
    {"outcome", "reason", "method", "value", "warnings", "Unmet need", "Why it matters"}
)


def format_for(path: str | Path) -> str:
    """The output format for a file name, from its extension.

    Examples
    --------
    >>> format_for("scores.XLSX")
    'xlsx'
    """
    ext = Path(path).suffix.lower().lstrip(".")
    ext = {"markdown": "md", "jsonl": "json"}.get(ext, ext)
    if ext not in FORMATS:
        raise ValueError(
            f"output file must end in .csv, .xlsx, .json or .md; got {Path(path).name!r}"
        )
    return ext


def _md_cell(value: object, *, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        text = f"{value:.{digits}f}"
    else:
        text = str(value)
    # Escape what would break a Markdown table or start markup.
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    for ch in ("*", "`", "[", "]", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    # An underscore inside a word is literal in GitHub Markdown; escape the others.
    return re.sub(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])", r"\\_", text)


def markdown_table(frame: pd.DataFrame, *, digits: int = 1) -> str:
    """A GitHub-flavoured Markdown table; floats rounded for display, text escaped.

    Examples
    --------
    >>> import pandas as pd
    >>> print(markdown_table(pd.DataFrame({"outcome": ["a|b"], "opportunity": [12.345]})))
    | outcome | opportunity |
    | --- | ---: |
    | a\\|b | 12.3 |
    """
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    head = "| " + " | ".join(_md_cell(str(c), digits=digits) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"
    rows = [
        "| " + " | ".join(_md_cell(v, digits=digits) for v in row) + " |"
        for row in frame.itertuples(index=False, name=None)
    ]
    return "\n".join([head, rule, *rows])


def json_value(value: object) -> object:
    """A JSON-ready cell: NumPy scalars as Python ones, NaN as None, text cleaned.

    Examples
    --------
    >>> import numpy as np
    >>> json_value(np.float64("nan")), json_value(np.int64(3)), json_value("a\\x00b")
    (None, 3, 'ab')
    """
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return clean_text(value)
    return value


def csv_bytes(frame: pd.DataFrame, *, comments: Iterable[str] = (), bom: bool = True) -> bytes:
    """A table as CSV bytes, text cells neutralised against formula injection.

    ``comments`` are written first, each as one line starting with ``# `` (read back with
    ``pandas.read_csv(..., comment="#")``). With ``bom``, the file starts with a UTF-8
    byte-order mark so Excel shows "Müller" and "–" correctly.

    Examples
    --------
    >>> import pandas as pd
    >>> csv_bytes(pd.DataFrame({"a": ["=1+1"], "b": [-2.5]}), bom=False).decode()
    "a,b\\n'=1+1,-2.5\\n"
    """
    head = "".join(f"# {' '.join(clean_text(c).split())}\n" for c in comments)
    body = safe_frame(frame).to_csv(index=False, lineterminator="\n")
    return (head + body).encode("utf-8-sig" if bom else "utf-8")


def write_sheet(
    ws: Worksheet, frame: pd.DataFrame, *, widths: Mapping[str, int] | None = None, row: int = 1
) -> int:
    """Write a table into an openpyxl worksheet from ``row`` on; returns the next free row.

    The header is bold (and frozen when the table starts the sheet); text is neutralised;
    score columns are shown with one decimal (stored unrounded); long text wraps.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    safe = safe_frame(frame)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, (name, col) in enumerate(zip(safe.columns, frame.columns, strict=True), start=1):
        ws.cell(row, i, str(name)).font = bold
        fmt = "0.0" if str(col) in SCORE_COLUMNS else None
        wrapped = str(col) in _WRAPPED
        for r, value in enumerate(safe.iloc[:, i - 1], start=row + 1):
            cell = ws.cell(r, i, cast(Any, json_value(value)))
            if fmt:
                cell.number_format = fmt
            if wrapped:
                cell.alignment = wrap
        if row == 1:
            width = (widths or {}).get(str(col))
            if width is None:
                longest = max([len(str(col)), *(len(str(v)) for v in frame[col].head(200))])
                width = min(max(8, longest + 2), 60)
            ws.column_dimensions[get_column_letter(i)].width = width
    if row == 1:
        ws.freeze_panes = "A2"
    return row + len(frame) + 1


def workbook_bytes(sheets: Mapping[str, SheetContent], *, title: str = "") -> bytes:
    """An XLSX workbook from ``{sheet name: table}``; a table is a DataFrame, or a
    ``(DataFrame, widths)`` pair, or a list of DataFrames written one below the other."""
    from openpyxl import Workbook

    wb = Workbook()
    for ws in list(wb.worksheets):
        wb.remove(ws)
    if title:
        wb.properties.title = clean_text(title)[:200]
    for name, content in sheets.items():
        ws = wb.create_sheet(name)
        widths: Mapping[str, int] | None = None
        tables = content
        if isinstance(tables, tuple):
            tables, widths = tables
        frames = tables if isinstance(tables, list) else [tables]
        row = 1
        for frame in frames:
            row = write_sheet(ws, frame, widths=widths, row=row) + 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "scores") -> bytes:
    """One table as a one-sheet XLSX workbook (see :func:`write_sheet`)."""
    return workbook_bytes({sheet: frame})


def table_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """Serialise a table: CSV and JSON unrounded; Markdown rounded to one decimal.
    CSV and XLSX text is neutralised (:func:`csv_bytes`, :func:`write_sheet`).

    Examples
    --------
    >>> import pandas as pd
    >>> table_bytes(pd.DataFrame({"a": [1 / 3]}), "csv").decode()
    'a\\n0.3333333333333333\\n'
    """
    if fmt == "csv":
        return csv_bytes(frame, bom=False)
    if fmt == "json":
        records = [
            {str(k): json_value(v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        return (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "md":
        return (markdown_table(frame) + "\n").encode("utf-8")
    if fmt == "xlsx":
        return xlsx_bytes(frame)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
