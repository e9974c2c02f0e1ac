"""Read uploaded bytes into a table of strings: sniffing, decoding and CSV parsing.

Nothing here knows about surveys. It turns bytes into a grid of strings (every cell
kept as text, blanks as ``""``) and says how it read them, or raises a
``ValueError`` that names the file, the line and what to do.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import pandas as pd

from odi.limits import DEFAULT_LIMITS, LimitError, Limits, check_json_depth, check_zip

__all__ = [
    "HEAD_ROWS",
    "Body",
    "Grid",
    "Table",
    "decode_text",
    "read_grid",
    "read_table",
    "sniff_delimiter",
    "sniff_kind",
]

_MOJIBAKE = ("Ã", "â€", "äó", "Â ", "Œæ")

#: How many leading rows :func:`read_table` parses for format detection.
HEAD_ROWS = 6

# First bytes of common non-survey files, so a renamed image is named as such.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)


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
    >>> sniff_kind(b"\\x89PNG\\r\\n\\x1a\\n"), sniff_kind(b" \\r\\n")
    ('binary', 'empty')
    """
    if not data or data.isspace():
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
    if _magic_name(data):
        return "binary"
    stripped = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "jsonl"
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary"
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) * 0.05:
        return "binary"
    return "text"


def _magic_name(data: bytes) -> str:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return ""


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


def sniff_delimiter(text: str) -> str:
    """The delimiter (comma, tab or semicolon) that splits the first records most evenly.

    Each candidate parses the first few records with a real CSV parser (so quoted
    commas and newlines do not count); the one giving the same, largest number of
    columns on every record wins.

    Examples
    --------
    >>> sniff_delimiter('a\\tb\\r\\n"x, y"\\t2\\r\\n'), sniff_delimiter("a;b;c\\n1,5;2;3\\n")
    ('\\t', ';')
    """
    sample = text[:262144]
    best, best_key = ",", (False, False, 0)
    for delimiter in (",", "\t", ";"):
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        widths: list[int] = []
        try:
            for row in reader:
                if row:
                    widths.append(len(row))
                if len(widths) >= 6:
                    break
        except csv.Error:
            continue
        if len(widths) > 2 and len(sample) == 262144:
            widths = widths[:-1]  # the last record may be cut off by the sample
        if not widths:
            continue
        # Splitting the header at all matters most, then splitting every row alike.
        key = (widths[0] > 1, len(set(widths)) == 1, widths[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best


@contextlib.contextmanager
def _field_limit(limits: Limits, *, source: str) -> Iterator[None]:
    """Let the ``csv`` module read fields up to the field limit, and name the limit when
    a longer one stops it (``_csv.Error: field larger than field limit``)."""
    before = csv.field_size_limit(limits.field_chars)
    try:
        yield
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise limits.refuse(
                source, f"has a cell longer than {limits.field_chars:,} characters", "field_chars"
            ) from None
        raise
    finally:
        csv.field_size_limit(before)


def _ragged_error(source: str, line: int, got: int, width: int, delimiter: str) -> ValueError:
    return ValueError(
        f"{source}: line {line} has {got} columns but the header has {width}; the file may "
        f"have an unquoted {delimiter!r} in a cell or a broken row. Fix that line or re-export "
        "the file"
    )


def _read_delimited(data: bytes, *, source: str, limits: Limits) -> Grid:
    text, encoding, warnings = decode_text(data, source=source)
    with _field_limit(limits, source=source):
        delimiter = sniff_delimiter(text)
        rows, starts = _parse_rows(text, delimiter=delimiter, source=source)
    if not rows:
        raise ValueError(f"{source} is empty: it has no rows. Upload the exported survey file")
    limits.check_shape(source, rows=len(rows), columns=max(len(r) for r in rows))
    _check_widths(rows, starts, width=len(rows[0]), source=source, delimiter=delimiter)
    cells = pd.DataFrame(rows, dtype=object)
    return Grid(
        cells=cells,
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        warnings=warnings,
        line_numbers=tuple(starts),
    )


def _parse_rows(
    text: str, *, delimiter: str, source: str, first_line: int = 1
) -> tuple[list[list[str]], list[int]]:
    """All non-blank records with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    line = first_line
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                rows.append(row)
                starts.append(line)
            line = first_line + reader.line_num
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise
        raise ValueError(f"{source} could not be read as CSV near line {line}: {exc}") from None
    return rows, starts


def _check_widths(
    rows: list[list[str]], starts: list[int], *, width: int, source: str, delimiter: str
) -> None:
    """Every row must have the header's width; trailing empty cells beyond it are dropped."""
    for i, row in enumerate(rows):
        if len(row) == width:
            continue
        if len(row) > width and not any(c.strip() for c in row[width:]):
            del row[width:]
            continue
        raise _ragged_error(source, starts[i], len(row), width, delimiter)


@dataclass(frozen=True, slots=True)
class Body:
    """The data rows of a :class:`Table` below its header rows.

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns ``0..width-1``; every cell a string (``""`` for blank), stored as
        categoricals when read by the fast reader. Blank rows are removed.
    first_line : int
        The file line (or sheet row) of the first data row.
    blank_rows : int
        How many entirely blank rows were skipped.
    encoding : str
        The encoding finally used (it can fall back to cp1252 for the body).
    warnings : tuple of str
        What the reader noticed while reading the body.
    """

    frame: pd.DataFrame
    first_line: int
    blank_rows: int = 0
    encoding: str = ""
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Table:
    """A file opened for importing: its first rows parsed, the rest read on demand.

    Format detection looks at :attr:`head`; the importer then asks for
    :meth:`body` below however many header rows the format has. Delimited text is
    parsed with the ``csv`` module for the head and with pyarrow's multi-threaded
    CSV reader for the body (every column read as dictionary-encoded strings), so a
    large export costs about as much as one ``read_csv``.

    Attributes
    ----------
    kind : str
        ``"csv"``, ``"xlsx"`` or ``"jsonl"``.
    encoding, delimiter : str
        As detected (``""`` where they do not apply).
    head : tuple of tuple of str
        The first :data:`HEAD_ROWS` non-blank rows, every cell a string.
    head_lines : tuple of int
        The file line each head row starts on.
    warnings : tuple of str
        What the reader noticed (encoding fallback, mojibake).
    source : str
        The file name, for messages.
    """

    kind: str
    encoding: str
    delimiter: str
    head: tuple[tuple[str, ...], ...]
    head_lines: tuple[int, ...]
    warnings: tuple[str, ...]
    source: str
    payload: bytes = field(default=b"", repr=False)
    offsets: tuple[int, ...] = field(default=(), repr=False)
    grid: pd.DataFrame | None = field(default=None, repr=False)
    original: bytes = field(default=b"", repr=False)
    limits: Limits = field(default=DEFAULT_LIMITS, repr=False)

    @property
    def width(self) -> int:
        """Number of columns in the first row."""
        return len(self.head[0]) if self.head else 0

    def body(self, skip: int) -> Body:
        """The rows after the first ``skip`` head rows, every one ``width`` cells wide.

        Raises
        ------
        ValueError
            For ragged rows (naming the line and both column counts) or unreadable text.
        """
        if self.grid is not None:
            frame = self.grid.iloc[skip:].reset_index(drop=True)
            frame.columns = pd.RangeIndex(frame.shape[1])
            return Body(frame=frame, first_line=skip + 1, encoding=self.encoding)
        if skip > len(self.head):
            raise ValueError(f"{self.source} has only {len(self.head)} rows; expected {skip}")
        first_line = (
            self.head_lines[skip] if skip < len(self.head_lines) else self._line_after_head()
        )
        start = self.offsets[skip - 1] if skip else 0
        view = memoryview(self.payload)[start:]
        if not view.nbytes or (bytes(view[:65536]).isspace() and view.nbytes <= 65536):
            return Body(frame=_empty(self.width), first_line=first_line, encoding=self.encoding)
        # Without a quote character no value can hold a newline, and pyarrow can then
        # split the work at any line break, which is much faster.
        quoted = self.payload.find(b'"', start) != -1
        if not quoted:  # then every line is a row: refuse an oversized table before parsing it
            self.limits.check_shape(
                self.source, rows=self.payload.count(b"\n", start), columns=self.width
            )
        try:
            body = _fast_body(view, self, first_line=first_line, quoted=quoted)
        except _FastReadError:
            body = self._slow_body(skip, first_line)
        self.limits.check_shape(self.source, rows=len(body.frame), columns=self.width)
        return body

    def _line_after_head(self) -> int:
        return (self.head_lines[-1] if self.head_lines else 0) + 1

    def _slow_body(self, skip: int, first_line: int) -> Body:
        """The careful reader: exact line numbers in errors, cp1252 fallback."""
        text, encoding, warnings = decode_text(self.original, source=self.source)
        with _field_limit(self.limits, source=self.source):
            rows, starts = _parse_rows(text, delimiter=self.delimiter, source=self.source)
        header = rows[:skip]
        body_rows, body_starts = rows[skip:], starts[skip:]
        width = len(header[0]) if header else self.width
        _check_widths(
            body_rows, body_starts, width=width, source=self.source, delimiter=self.delimiter
        )
        frame = pd.DataFrame(body_rows, columns=pd.RangeIndex(width), dtype=object)
        if frame.empty:
            frame = _empty(width)
        blank = _blank_rows(frame)
        if blank.any():
            frame = frame.loc[~blank].reset_index(drop=True)
        return Body(
            frame=frame,
            first_line=body_starts[0] if body_starts else first_line,
            blank_rows=int(blank.sum()),
            encoding=encoding,
            warnings=tuple(w for w in warnings if w not in self.warnings),
        )


class _FastReadError(Exception):
    """The fast reader could not read the body; the careful reader will explain why."""


def _empty(width: int) -> pd.DataFrame:
    return pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    blank = pd.Series(True, index=frame.index)
    for col in frame.columns:
        blank &= frame[col].astype(str).str.strip().eq("")
    return blank


def _fast_body(view: memoryview, table: Table, *, first_line: int, quoted: bool) -> Body:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.csv as pacsv  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - pyarrow is a dependency of pandas/streamlit here
        raise _FastReadError from None
    names = [f"c{i}" for i in range(table.width)]
    dictionary = pa.dictionary(pa.int32(), pa.string())
    try:
        arrow = pacsv.read_csv(
            pa.py_buffer(view),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 25),
            parse_options=pacsv.ParseOptions(
                delimiter=table.delimiter, newlines_in_values=quoted, double_quote=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, dictionary),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        raise _FastReadError from None
    arrow = arrow.unify_dictionaries()
    _check_field_lengths(arrow, table)
    frame = arrow.to_pandas()
    frame.columns = pd.RangeIndex(table.width)
    blank = None
    for col in frame.columns:
        cat = frame[col].cat
        cats = cat.categories
        empty = [i for i, v in enumerate(cats) if not str(v).strip()]
        is_blank = cat.codes.isin(empty) if empty else pd.Series(False, index=frame.index)
        blank = is_blank if blank is None else blank & is_blank
        if not blank.any():
            break
    blank_rows = 0
    if blank is not None and blank.any():
        blank_rows = int(blank.sum())
        frame = frame.loc[~blank.to_numpy()].reset_index(drop=True)
    return Body(frame=frame, first_line=first_line, blank_rows=blank_rows, encoding=table.encoding)


def _check_field_lengths(arrow: Any, table: Table) -> None:
    """Refuse a cell longer than the field limit (pyarrow has no limit of its own)."""
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    for column in arrow.columns:
        for chunk in column.chunks:
            longest = pc.max(pc.utf8_length(chunk.dictionary)).as_py()
            if longest is not None and longest > table.limits.field_chars:
                raise table.limits.refuse(
                    table.source,
                    f"has a cell longer than {table.limits.field_chars:,} characters",
                    "field_chars",
                )
            break  # unified: every chunk shares one dictionary


def _head_records(
    text: str, *, delimiter: str, limit: int, final: bool
) -> tuple[list[list[str]], list[int], list[int]]:
    """Up to ``limit`` non-blank records of ``text``, their first lines and end offsets.

    Offsets are character offsets just past each record. When ``final`` is false the
    text is a prefix of the file and a record touching its end is left out, since
    it may continue beyond it.
    """
    consumed = [0]
    lines = [0]

    def feed() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed[0] += len(line)
            lines[0] += 1
            yield line

    reader = csv.reader(feed(), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    ends: list[int] = []
    line_before = 0
    for row in reader:
        if not final and consumed[0] >= len(text):
            break
        if row and any(cell.strip() for cell in row):
            rows.append(row)
            starts.append(line_before + 1)
            ends.append(consumed[0])
        line_before = lines[0]
        if len(rows) >= limit:
            break
    return rows, starts, ends


def _utf8_payload(data: bytes, *, source: str) -> tuple[bytes, str, tuple[str, ...]]:
    """The file as UTF-8 bytes without a BOM, the encoding it was in, and warnings.

    Plain UTF-8 is passed through without decoding it all (the fast reader checks
    it); UTF-16 and cp1252 are decoded and re-encoded.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding, warnings = decode_text(data, source=source)
        return text.encode("utf-8"), encoding, warnings
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], "utf-8-sig", ()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(data[: 1 << 20], final=len(data) <= 1 << 20)
    except UnicodeDecodeError:
        text, encoding, warnings = decode_text(data, source=source)
        return text.encode("utf-8"), encoding, warnings
    return data, "utf-8", ()


def _open_delimited(data: bytes, *, source: str, limits: Limits) -> Table:
    payload, encoding, warnings = _utf8_payload(data, source=source)
    size = 1 << 18
    with _field_limit(limits, source=source):
        while True:
            final = size >= len(payload)
            prefix = payload[:size].decode("utf-8", errors="ignore" if not final else "replace")
            delimiter = sniff_delimiter(prefix)
            rows, starts, ends = _head_records(
                prefix, delimiter=delimiter, limit=HEAD_ROWS, final=final
            )
            if final or len(rows) >= HEAD_ROWS:
                break
            size *= 4
    if not rows:
        raise ValueError(f"{source} is empty: it has no rows. Upload the exported survey file")
    limits.check_shape(source, rows=len(rows), columns=len(rows[0]))
    mojibake = [w for w in _mojibake_warning(prefix, source) if w not in warnings]
    offsets = tuple(len(prefix[:end].encode("utf-8")) for end in ends)
    width = len(rows[0])
    head = tuple(tuple(r) for r in rows)
    for i, row in enumerate(head[1:], start=1):
        if len(row) > width and not any(c.strip() for c in row[width:]):
            head = (*head[:i], row[:width], *head[i + 1 :])
    return Table(
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        head=head,
        head_lines=tuple(starts),
        warnings=(*warnings, *mojibake),
        source=source,
        payload=payload,
        offsets=offsets,
        original=data,
        limits=limits,
    )


def _mojibake_warning(text: str, source: str) -> list[str]:
    if any(m in text for m in _MOJIBAKE):
        return [
            f"{source} contains garbled characters (mojibake such as 'Ã' or 'â€'), usually "
            "from re-saving in Excel; statements may not display correctly"
        ]
    return []


def read_table(data: bytes, *, source: str = "the file", limits: Limits = DEFAULT_LIMITS) -> Table:
    """Open delimited text, an .xlsx workbook or JSON Lines for importing.

    Parameters
    ----------
    data : bytes
        The file's content (never modified).
    source : str
        The file name, for messages.
    limits : Limits
        Rows, columns, cells, field length, zip sizes and JSON depth allowed.

    Raises
    ------
    ValueError
        For an empty, binary, .xls or SPSS file (SPSS has its own reader);
        :class:`~odi.limits.LimitError` for a file over a limit.

    Examples
    --------
    >>> t = read_table(b"id\\tq\\r\\nx\\t1\\r\\ny\\t2\\r\\n", source="s.tsv")
    >>> t.delimiter, t.head[0], t.body(1).frame.astype(str).values.tolist()
    ('\\t', ('id', 'q'), [['x', '1'], ['y', '2']])
    """
    kind = sniff_kind(data)
    _refuse(kind, data, source=source)
    if kind in ("xlsx", "jsonl"):
        grid = (
            _read_xlsx(data, source=source, limits=limits)
            if kind == "xlsx"
            else _read_jsonl(data, source=source, limits=limits)
        )
        cells = grid.cells
        head = tuple(
            tuple(str(v) for v in row)
            for row in cells.head(HEAD_ROWS).itertuples(index=False, name=None)
        )
        return Table(
            kind=grid.kind,
            encoding=grid.encoding,
            delimiter="",
            head=head,
            head_lines=tuple(range(1, len(head) + 1)),
            warnings=grid.warnings,
            source=source,
            grid=cells,
            limits=limits,
        )
    return _open_delimited(data, source=source, limits=limits)


def _refuse(kind: str, data: bytes, *, source: str) -> None:
    if kind == "empty":
        raise ValueError(f"{source} is empty (0 bytes of data). Upload the exported survey file")
    if kind == "xls":
        raise ValueError(
            f"{source} is an old Excel .xls workbook; save it as .xlsx or CSV and upload that"
        )
    if kind == "sav":
        raise ValueError(f"{source} is an SPSS .sav file; it is read by the SPSS importer")
    if kind == "binary":
        what = _magic_name(data)
        raise ValueError(
            f"{source} is not a survey export: it holds binary data"
            f"{f' ({what})' if what else ' (an image or another program' + chr(39) + 's file?)'}"
            ". Upload a CSV, TSV, Excel, JSON Lines or SPSS export"
        )


def _damaged_xlsx(source: str, exc: object) -> ValueError:
    return ValueError(
        f"{source} looks like an Excel workbook but could not be opened ({exc}); "
        "save it again from Excel as .xlsx, or export CSV"
    )


def _excel_text(value: object, data_type: str) -> str:
    """A cell as pandas' ``read_excel(dtype=str)`` gives it: whole floats without ``.0``,
    errors (``#N/A``) and empty cells blank."""
    if value is None or data_type == "e":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes, *, source: str, limits: Limits = DEFAULT_LIMITS) -> Grid:
    """The first worksheet, streamed row by row within the limits.

    The zip's declared sizes are checked before anything is inflated; the sheet's
    declared dimensions before its rows are read; rows, columns and cells while
    streaming (openpyxl's read-only parser, so memory holds only the cell texts).
    Formula cells without a cached value and the sheets not read become warnings.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _damaged_xlsx(source, exc) from None
    with archive:
        check_zip(archive, source=source, limits=limits)
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                try:
                    with archive.open(info) as xml:
                        _count_rows_and_cells(xml, source=source, limits=limits)
                except (
                    zipfile.BadZipFile,
                    OSError,
                    EOFError,
                    ValueError,
                    NotImplementedError,
                    RuntimeError,  # an encrypted sheet: zipfile asks for a password
                ) as exc:
                    if isinstance(exc, LimitError):
                        raise
                    raise _damaged_xlsx(source, exc) from None
    try:
        import openpyxl
        from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise _damaged_xlsx(source, exc) from None
    uncached: list[str] = []

    class _Parser(WorkSheetParser):
        """openpyxl's streaming sheet parser, noting formulas without a cached value."""

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                uncached.append(element.get("r") or f"row {cell['row']}")
            return cell

    try:
        if not book.worksheets:
            raise ValueError(f"{source} has no worksheet; save the data as a sheet, or export CSV")
        sheet = book.worksheets[0]
        if sheet.max_row is not None and sheet.max_column is not None:
            limits.check_shape(source, rows=sheet.max_row, columns=sheet.max_column)
        rows = _stream_rows(sheet, _Parser, book, source=source, limits=limits)
    except (LimitError, ValueError):
        raise
    except Exception as exc:  # a damaged sheet: openpyxl and the XML parser raise many types
        raise _damaged_xlsx(source, exc) from None
    finally:
        book.close()
    if not rows:
        raise ValueError(f"{source} is empty: its first sheet has no rows")
    width = max(len(r) for r in rows)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    warnings: list[str] = []
    others = [name for name in book.sheetnames if name != sheet.title]
    if others:
        shown = ", ".join(repr(n) for n in others[:10]) + (", ..." if len(others) > 10 else "")
        warnings.append(
            f"{source}: only the first sheet, {sheet.title!r}, was read; "
            f"{len(others)} other sheet(s) were ignored: {shown}"
        )
    if uncached:
        shown = ", ".join(uncached[:10]) + (", ..." if len(uncached) > 10 else "")
        warnings.append(
            f"{source}: {len(uncached)} formula cell(s) have no saved value and were read as "
            f"blank ({shown}); open the file in Excel, let it calculate, save and upload it again"
        )
    return Grid(cells=frame, kind="xlsx", warnings=tuple(warnings))


def _tags(data: bytes, name: bytes) -> int:
    return data.count(name + b" ") + data.count(name + b">")


def _count_rows_and_cells(xml: IO[bytes], *, source: str, limits: Limits) -> None:
    """Refuse a sheet with too many rows or cells by counting its ``<row`` and ``<c`` tags
    while inflating it, before any cell is parsed (inflating runs at hundreds of MB/s,
    parsing at a few MB/s; openpyxl even parses a whole sheet without a declared size
    just to look for one). Prefixed tags (``<x:row>``) are counted only while streaming."""
    rows = cells = 0
    tail = b""
    while chunk := xml.read(1 << 22):
        block = tail + chunk
        # Tags inside the last 4 bytes are counted with the next block, once.
        tail = block[-4:]
        rows += _tags(block, b"<row") - _tags(tail, b"<row")
        cells += _tags(block, b"<c") - _tags(tail, b"<c")
        if rows > limits.rows:
            raise limits.refuse(source, f"has more than {limits.rows:,} rows", "rows")
        if cells > limits.cells:
            raise limits.refuse(source, f"has more than {limits.cells:,} cells", "cells")


def _stream_rows(
    sheet: Any, parser_class: Any, book: Any, *, source: str, limits: Limits
) -> list[list[str]]:
    """The sheet's non-blank rows as text, trailing blanks trimmed, refusing a sheet over
    the row, column or cell limit as soon as it gets there."""
    rows: list[list[str]] = []
    cells = 0
    texts: dict[tuple[type, object, str], str] = {}
    with sheet._get_source() as xml:  # openpyxl's read-only sheet source (no public API)
        parser = parser_class(
            xml,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for _, row in parser.parse():
            if not row:
                continue
            last = row[-1]["column"]
            if last > limits.columns:
                limits.check_shape(source, rows=len(rows) + 1, columns=last)
            values = [""] * last
            for cell in row:
                value, kind = cell["value"], cell["data_type"]
                # One string per distinct answer (survey columns repeat a few values), so a
                # million "5"s cost one string, not a million.
                key = (type(value), value, kind)
                text = texts.get(key)
                if text is None:
                    text = _excel_text(value, kind)
                    if len(texts) < 65_536:
                        texts[key] = text
                values[cell["column"] - 1] = text
            while values and not values[-1].strip():
                values.pop()
            if not values:
                continue
            rows.append(values)
            cells += len(values)
            if len(rows) > limits.rows or cells > limits.cells:
                limits.check_shape(
                    source, rows=len(rows), columns=max(len(values), cells // len(rows))
                )
                raise limits.refuse(source, f"has more than {limits.cells:,} cells", "cells")
    return rows


def _read_jsonl(data: bytes, *, source: str, limits: Limits = DEFAULT_LIMITS) -> Grid:
    text, encoding, warnings = decode_text(data, source=source)
    check_json_depth(text, source=source, limits=limits)
    records = []
    columns: dict[str, None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) > limits.field_chars * 8:
            raise limits.refuse(
                source, f"line {number} is {len(line):,} characters long", "field_chars"
            )
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
        columns.update(dict.fromkeys(obj))
        limits.check_shape(source, rows=len(records), columns=len(columns))
    if not records:
        raise ValueError(f"{source} is empty: it has no JSON records")
    limits.check_shape(source, rows=len(records), columns=len(columns))

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        text = str(value)
        if len(text) > limits.field_chars:
            raise limits.refuse(
                source,
                f"has a value longer than {limits.field_chars:,} characters",
                "field_chars",
            )
        return text

    names = list(columns)
    rows = [names] + [[cell(rec.get(c)) for c in names] for rec in records]
    return Grid(
        cells=pd.DataFrame(rows, dtype=object), kind="jsonl", encoding=encoding, warnings=warnings
    )


def read_grid(data: bytes, *, source: str = "the file", limits: Limits = DEFAULT_LIMITS) -> Grid:
    """Read a delimited text file, an .xlsx workbook or JSON Lines into a :class:`Grid`.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        The file's name, for messages.
    limits : Limits
        Rows, columns, cells, field length, zip sizes and JSON depth allowed.

    Raises
    ------
    ValueError
        For an empty, binary or unreadable file, or ragged rows, naming the line;
        :class:`~odi.limits.LimitError` for a file over a limit.

    Examples
    --------
    >>> g = read_grid(b"id;imp_a;sat_a\\r\\n1;5;2\\r\\n", source="s.csv")
    >>> g.delimiter, g.cells.values.tolist()
    (';', [['id', 'imp_a', 'sat_a'], ['1', '5', '2']])
    """
    kind = sniff_kind(data)
    _refuse(kind, data, source=source)
    if kind == "xlsx":
        return _read_xlsx(data, source=source, limits=limits)
    if kind == "jsonl":
        return _read_jsonl(data, source=source, limits=limits)
    return _read_delimited(data, source=source, limits=limits)
