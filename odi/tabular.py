"""Read uploaded bytes into a table of strings: sniffing, decoding and CSV parsing.

Nothing here knows about surveys. It turns bytes into a grid of strings (every cell
kept as text, blanks as ``""``) and says how it read them, or raises a
``ValueError`` that names the file, the line and what to do.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Grid", "decode_text", "read_grid", "sniff_kind"]

_MOJIBAKE = ("Ã", "â€", "äó", "Â ")


@dataclass(frozen=True, slots=True)
class Grid:
    """All cells of a file as strings, header rows included.

    Attributes
    ----------
    cells : pandas.DataFrame
        Integer-labelled rows and columns, every value a ``str`` (``""`` for blank).
    kind : str
        ``"csv"``, ``"xlsx"`` or ``"jsonl"``.
    encoding : str
        The text encoding used (``""`` for binary formats).
    delimiter : str
        The delimiter for delimited text (``""`` otherwise).
    warnings : tuple of str
        Things the reader noticed, such as likely mojibake.
    line_numbers : tuple of int
        For delimited text, the file line each row starts on (1-based).
    """

    cells: pd.DataFrame
    kind: str
    encoding: str = ""
    delimiter: str = ""
    warnings: tuple[str, ...] = field(default=())
    line_numbers: tuple[int, ...] = field(default=())


def sniff_kind(data: bytes) -> str:
    """Detect a file's kind from its first bytes, never from its name.

    Returns one of ``"empty"``, ``"sav"``, ``"xlsx"``, ``"xls"``, ``"jsonl"``,
    ``"text"`` or ``"binary"``.

    Examples
    --------
    >>> sniff_kind(b"PK\\x03\\x04rest"), sniff_kind(b'{"a": 1}\\n'), sniff_kind(b"a,b\\n1,2\\n")
    ('xlsx', 'jsonl', 'text')
    """
    if not data.strip():
        return "empty"
    head = data[:8]
    if head.startswith((b"$FL2", b"$FL3")):
        return "sav"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "jsonl"
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary"
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) * 0.05:
        return "binary"
    return "text"


def decode_text(data: bytes, *, source: str = "the file") -> tuple[str, str, tuple[str, ...]]:
    """Decode text bytes: BOM-marked UTF-16 or UTF-8, then UTF-8, then cp1252.

    Returns the text, the encoding name and any warnings.

    Examples
    --------
    >>> decode_text("\\ufeffa,b".encode("utf-8"))[:2]
    ('a,b', 'utf-8-sig')
    >>> decode_text("caf\\xe9".encode("cp1252"))[1]
    'cp1252'
    """
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", ()
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"{source} starts like UTF-16 text but is not valid UTF-16 (byte {exc.start}); "
                "re-export it from the survey tool"
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
            warnings.append(
                f"{source} is not UTF-8; read it as Windows-1252 (cp1252). Check accented "
                "characters, or re-export the file as UTF-8"
            )
    if any(m in text for m in _MOJIBAKE):
        warnings.append(
            f"{source} contains garbled characters (mojibake such as 'Ã' or 'â€'), usually from "
            "re-saving in Excel; statements may not display correctly"
        )
    return text, encoding, tuple(warnings)


def _sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in (",", "\t", ";")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_delimited(data: bytes, *, source: str) -> Grid:
    text, encoding, warnings = decode_text(data, source=source)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    line = 1
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                rows.append(row)
                starts.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ValueError(f"{source} could not be read as CSV near line {line}: {exc}") from None
    if not rows:
        raise ValueError(f"{source} is empty: it has no rows. Upload the exported survey file")
    width = len(rows[0])
    # A trailing delimiter on every line (legacy Qualtrics) makes an empty last column.
    for i, row in enumerate(rows):
        if len(row) != width:
            # Tolerate rows that only lack trailing empty cells.
            if len(row) < width:
                row.extend([""] * (width - len(row)))
            elif not any(c.strip() for c in row[width:]):
                del row[width:]
            else:
                raise ValueError(
                    f"{source}: line {starts[i]} has {len(row)} columns but the header has "
                    f"{width}; the file may have an unquoted {delimiter!r} in a cell or a "
                    "broken row. Fix that line or re-export the file"
                )
    cells = pd.DataFrame(rows, dtype=object)
    return Grid(
        cells=cells,
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        warnings=warnings,
        line_numbers=tuple(starts),
    )


def _read_xlsx(data: bytes, *, source: str) -> Grid:
    try:
        frame = pd.read_excel(
            io.BytesIO(data), header=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise ValueError(
            f"{source} looks like an Excel workbook but could not be opened ({exc}); "
            "save it again from Excel as .xlsx, or export CSV"
        ) from None
    frame = frame.fillna("").astype(str)
    frame = frame.loc[frame.apply(lambda r: any(v.strip() for v in r), axis=1)]
    if frame.empty:
        raise ValueError(f"{source} is empty: its first sheet has no rows")
    frame = frame.reset_index(drop=True)
    frame.columns = pd.RangeIndex(frame.shape[1])
    return Grid(cells=frame.astype(object), kind="xlsx")


def _read_jsonl(data: bytes, *, source: str) -> Grid:
    text, encoding, warnings = decode_text(data, source=source)
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"{source}: line {number} is not valid JSON ({exc.msg}); each line of a JSON "
                "Lines file must be one object"
            ) from None
        if not isinstance(obj, dict):
            raise ValueError(
                f"{source}: line {number} must be a JSON object like "
                f'{{"respondent_id": ..., ...}}; got {type(obj).__name__}'
            )
        records.append(obj)
    if not records:
        raise ValueError(f"{source} is empty: it has no JSON records")
    columns: list[str] = []
    for rec in records:
        for key in rec:
            if key not in columns:
                columns.append(key)

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    rows = [columns] + [[cell(rec.get(c)) for c in columns] for rec in records]
    return Grid(
        cells=pd.DataFrame(rows, dtype=object), kind="jsonl", encoding=encoding, warnings=warnings
    )


def read_grid(data: bytes, *, source: str = "the file") -> Grid:
    """Read a delimited text file, an .xlsx workbook or JSON Lines into a :class:`Grid`.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        The file's name, for messages.

    Raises
    ------
    ValueError
        For an empty, binary or unreadable file, or ragged rows, naming the line.

    Examples
    --------
    >>> g = read_grid(b"id;imp_a;sat_a\\r\\n1;5;2\\r\\n", source="s.csv")
    >>> g.delimiter, g.cells.values.tolist()
    (';', [['id', 'imp_a', 'sat_a'], ['1', '5', '2']])
    """
    kind = sniff_kind(data)
    if kind == "empty":
        raise ValueError(f"{source} is empty (0 bytes of data). Upload the exported survey file")
    if kind == "xlsx":
        return _read_xlsx(data, source=source)
    if kind == "jsonl":
        return _read_jsonl(data, source=source)
    if kind == "xls":
        raise ValueError(
            f"{source} is an old Excel .xls workbook; save it as .xlsx or CSV and upload that"
        )
    if kind == "sav":
        raise ValueError(f"{source} is an SPSS .sav file; it is read by the SPSS importer")
    if kind == "binary":
        raise ValueError(
            f"{source} is not a survey export: it holds binary data (an image or another "
            "program's file?). Upload a CSV, TSV, Excel, JSON Lines or SPSS export"
        )
    return _read_delimited(data, source=source)
