"""Write score tables as CSV, XLSX, JSON or Markdown."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import pandas as pd

__all__ = ["FORMATS", "format_for", "markdown_table", "table_bytes"]

FORMATS = ("csv", "xlsx", "json", "md")


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


def _json_value(value: object) -> object:
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def table_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """Serialise a table: CSV and JSON unrounded; Markdown rounded to one decimal.

    Examples
    --------
    >>> import pandas as pd
    >>> table_bytes(pd.DataFrame({"a": [1 / 3]}), "csv").decode()
    'a\\n0.3333333333333333\\n'
    """
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "json":
        records = [
            {str(k): _json_value(v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        return (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "md":
        return (markdown_table(frame) + "\n").encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name="scores")
        return buffer.getvalue()
    raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
