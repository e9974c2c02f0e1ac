"""Make user text safe for each export format.

- Spreadsheets (CSV, XLSX): a text cell beginning with ``=``, ``+``, ``-``, ``@``, a
  tab or a carriage return would be run as a formula by Excel, LibreOffice or Google
  Sheets (CSV injection). Such cells get a leading single quote. Numbers in numeric
  columns stay numbers, negative ones included.
- Every format: control characters that XML (XLSX, PPTX) rejects are removed and lone
  surrogates replaced, so hostile or pasted text never breaks an export.
- HTML: :func:`html_text` escapes everything with :func:`html.escape`.
- Markdown: :func:`md_text` escapes inline markup and table syntax.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "clean_text",
    "html_text",
    "md_text",
    "neutralise_cell",
    "safe_frame",
]

#: Cell openings that spreadsheet programs read as a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_BLOCK_START = re.compile(r"^([#+=>-])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def clean_text(text: object) -> str:
    """Text with control characters dropped (vertical tab and form feed become newlines)
    and lone surrogates replaced by U+FFFD.

    Examples
    --------
    >>> clean_text("a\\x0bb\\x00c\\ud800")
    'a\\nbc\\ufffd'
    """
    s = "" if text is None else str(text)
    s = s.replace("\x0b", "\n").replace("\x0c", "\n")
    s = _CONTROL.sub("", s)
    return _SURROGATE.sub("\ufffd", s)


def neutralise_cell(value: object) -> object:
    """A spreadsheet-safe cell: text that would start a formula gets a leading quote.

    Non-text values are returned unchanged.

    Examples
    --------
    >>> neutralise_cell('=HYPERLINK("http://x","click")')
    '\\'=HYPERLINK("http://x","click")'
    >>> neutralise_cell(-3.5), neutralise_cell("Müller")
    (-3.5, 'Müller')
    """
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    if text.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` safe for CSV and XLSX.

    Text cells (in object or string columns, and the column names) are neutralised;
    numeric and boolean columns are left as they are, so negative numbers stay numbers.

    Examples
    --------
    >>> f = safe_frame(pd.DataFrame({"text": ["=1+1", "-x", "ok"], "gap": [-1.5, 2.0, 0.0]}))
    >>> f["text"].tolist(), f["gap"].tolist()
    (["'=1+1", "'-x", 'ok'], [-1.5, 2.0, 0.0])
    """
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        out[col] = series.astype(object).map(
            lambda v: (
                v if v is None or (isinstance(v, float) and math.isnan(v)) else neutralise_cell(v)
            )
        )
    out.columns = [str(neutralise_cell(str(c))) for c in out.columns]
    return out


def html_text(text: object) -> str:
    """Escaped text for HTML (quotes included); newlines kept as ``<br>``.

    Examples
    --------
    >>> html_text('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return html.escape(clean_text(text), quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def md_text(text: object) -> str:
    """Text for Markdown: markup, HTML and table syntax escaped; one line.

    Examples
    --------
    >>> print(md_text("| --- | <b>*x*</b>"))
    \\| --- \\| \\<b\\>\\*x\\*\\</b\\>
    >>> print(md_text("# not a heading"), md_text("1. not a list"))
    \\# not a heading 1\\. not a list
    """
    one_line = " ".join(clean_text(text).split())
    escaped = _MD_INLINE.sub(r"\\\1", one_line)
    escaped = _MD_BLOCK_START.sub(r"\\\1", escaped)
    return _MD_ORDERED.sub(r"\1\\\2", escaped)
