"""Resource limits for reading files from strangers, checked before the work they bound.

Every reader (CSV/TSV, XLSX, JSON Lines, SPSS, study archives, personas JSON) checks the
relevant :class:`Limits` before it inflates, parses or allocates: a zip's declared member
sizes and compression ratios before anything is decompressed, JSON nesting before
``json.loads``, a sheet's declared size before its rows are read, then rows, columns, cells
and field length while reading. A file over a limit is refused with a :class:`LimitError`
that names the file, the limit and how to raise it.

The defaults sit far above any real study (see the README's *Limits* section): a
100,000-respondent x 150-outcome Qualtrics export (321 columns, 32 million cells) is well
inside them. The CLI raises them with ``--limit NAME=VALUE``.

The same module holds the checks for what is *stored*: JSON documents with finite
numbers and bounded nesting, whole-number versions that are not booleans, and names
that are one line of plain text.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = [
    "DEFAULT_LIMITS",
    "LimitError",
    "Limits",
    "check_json_depth",
    "check_stored_json",
    "check_version",
    "check_zip",
    "json_depth",
    "loads_limited",
    "one_line_name",
]

_MIB = 1 << 20


class LimitError(ValueError):
    """A file is over one of the reading limits; the message names the limit and its option.

    Examples
    --------
    >>> str(LimitError("s.csv has 6 columns; at most 5 are read"))
    's.csv has 6 columns; at most 5 are read'
    """


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a file may make the workbench read, inflate and hold.

    Attributes
    ----------
    rows : int
        Rows of a table (Excel's own maximum is 1,048,576).
    columns : int
        Columns of a table.
    cells : int
        Rows x columns.
    field_chars : int
        Characters in one cell (Excel's own maximum is 32,767).
    json_depth : int
        Nesting of JSON objects and lists (JSON Lines records, manifests, personas).
    member_mib : int
        Inflated size of one zip member (a worksheet, an archived file), in MiB.
    inflated_mib : int
        Inflated size of a whole zip file (a workbook, a study archive), in MiB.
    ratio : int
        Inflated size / compressed size of a zip member larger than 1 MiB. Deflate
        can reach about 1,030; real worksheets and survey exports stay below 100.

    Examples
    --------
    >>> Limits().with_overrides(["rows=10", "ratio=50"]).rows
    10
    >>> Limits().with_overrides(["lines=3"])
    Traceback (most recent call last):
    ...
    ValueError: --limit must be NAME=VALUE with NAME one of rows, columns, cells, \
field_chars, json_depth, member_mib, inflated_mib, ratio; got 'lines=3'
    """

    rows: int = 1_048_576
    columns: int = 5_000
    cells: int = 100_000_000
    field_chars: int = 131_072
    json_depth: int = 64
    member_mib: int = 1_024
    inflated_mib: int = 2_048
    ratio: int = 250

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"the {f.name} limit must be a whole number of 1 or more")

    @property
    def member_bytes(self) -> int:
        """:attr:`member_mib` in bytes."""
        return self.member_mib * _MIB

    @property
    def inflated_bytes(self) -> int:
        """:attr:`inflated_mib` in bytes."""
        return self.inflated_mib * _MIB

    def with_overrides(self, items: Iterable[str]) -> Limits:
        """These limits with ``NAME=VALUE`` overrides (the CLI's ``--limit``)."""
        names = [f.name for f in fields(self)]
        changes: dict[str, int] = {}
        for item in items:
            name, _, value = item.partition("=")
            name = name.strip().replace("-", "_")
            if name not in names or not value.strip().isdigit() or int(value) < 1:
                raise ValueError(
                    f"--limit must be NAME=VALUE with NAME one of {', '.join(names)}; got {item!r}"
                )
            changes[name] = int(value)
        return replace(self, **changes)

    def refuse(self, source: str, what: str, limit: str) -> LimitError:
        """A :class:`LimitError` for ``source``, saying how to raise ``limit``."""
        return LimitError(
            f"{source} {what}; this is over the {limit} limit of {getattr(self, limit):,}, "
            f"which real survey exports never reach. If the file is genuine, raise it with "
            f"--limit {limit}=N"
        )

    def check_shape(self, source: str, *, rows: int, columns: int) -> None:
        """Refuse a table over the row, column or cell limit.

        Examples
        --------
        >>> Limits(columns=5).check_shape("s.csv", rows=2, columns=6)
        Traceback (most recent call last):
        ...
        odi.limits.LimitError: s.csv has 6 columns; this is over the columns limit of 5, \
which real survey exports never reach. If the file is genuine, raise it with --limit columns=N
        """
        if columns > self.columns:
            raise self.refuse(source, f"has {columns:,} columns", "columns")
        if rows > self.rows:
            raise self.refuse(source, f"has more than {self.rows:,} rows", "rows")
        if rows * columns > self.cells:
            raise self.refuse(source, f"has {rows:,} x {columns:,} cells", "cells")


#: The limits used when none are given.
DEFAULT_LIMITS = Limits()


def check_zip(zf: zipfile.ZipFile, *, source: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip (workbook or archive) whose members would inflate past the limits.

    Only the central directory is read: nothing is decompressed. Python's ``zipfile``
    stops at each member's declared size and checks its CRC, so a member that lies
    about its size fails instead of inflating further.

    Examples
    --------
    >>> import io
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("big.xml", b"0" * (3 << 20))
    >>> check_zip(zipfile.ZipFile(buf), source="b.xlsx", limits=Limits(ratio=100))
    Traceback (most recent call last):
    ...
    odi.limits.LimitError: b.xlsx: big.xml inflates 3.0 MiB from 3.0 KiB (... to 1, a \
decompression bomb?); this is over the ratio limit of 100, which real survey exports never \
reach. If the file is genuine, raise it with --limit ratio=N
    """
    total = 0
    for info in zf.infolist():
        size = info.file_size
        total += size
        if size > limits.member_bytes:
            raise limits.refuse(
                source, f"holds {info.filename!r} of {size / _MIB:,.0f} MiB inflated", "member_mib"
            )
        if total > limits.inflated_bytes:
            raise limits.refuse(
                source, f"inflates to more than {total / _MIB:,.0f} MiB", "inflated_mib"
            )
        if size > _MIB and size > limits.ratio * max(info.compress_size, 1):
            ratio = size / max(info.compress_size, 1)
            raise limits.refuse(
                f"{source}:",
                f"{info.filename} inflates {size / _MIB:,.1f} MiB from "
                f"{info.compress_size / 1024:,.1f} KiB ({ratio:,.0f} to 1, a decompression bomb?)",
                "ratio",
            )


_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth(text: str | bytes) -> int:
    """The deepest nesting of objects and lists in JSON text, without parsing it.

    Examples
    --------
    >>> json_depth('{"a": [1, {"b": "]]]"}]}'), json_depth("3")
    (3, 0)
    """
    data = text.encode("utf-8", errors="surrogatepass") if isinstance(text, str) else text
    depth = deepest = 0
    for match in _JSON_TOKEN.finditer(data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def check_json_depth(text: str | bytes, *, source: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse JSON nested deeper than the limit before ``json.loads`` recurses into it."""
    depth = json_depth(text)
    if depth > limits.json_depth:
        raise limits.refuse(source, f"nests JSON {depth:,} levels deep", "json_depth")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows; use null or a finite number")


def loads_limited(text: str | bytes, *, source: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """``json.loads`` after the depth check, refusing NaN and Infinity.

    Raises
    ------
    ValueError
        For invalid JSON (with the line), too deep nesting or NaN/Infinity.

    Examples
    --------
    >>> loads_limited('{"a": [1, 2]}', source="m.json")
    {'a': [1, 2]}
    >>> loads_limited('{"a": NaN}', source="m.json")
    Traceback (most recent call last):
    ...
    ValueError: m.json is not valid JSON: NaN is not a number JSON allows; use null or a \
finite number
    """
    check_json_depth(text, source=source, limits=limits)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except UnicodeDecodeError:
        raise ValueError(f"{source} is not UTF-8 text; save it as UTF-8 JSON") from None
    except ValueError as exc:
        raise ValueError(f"{source} is not valid JSON: {exc}") from None


#: The largest number a stored document may hold (beyond it, databases and exports differ).
MAX_STORED_NUMBER = 1e15


def check_stored_json(
    value: object, *, what: str, limits: Limits = DEFAULT_LIMITS, _depth: int = 0
) -> None:
    """Refuse a document that is not plain JSON with finite numbers in range.

    Numbers must be finite and within +/- 10^15 (whole numbers as well, so a version of
    2**63 cannot overflow a database column); nesting is bounded by ``json_depth``.

    Examples
    --------
    >>> check_stored_json({"top_box": 4, "na": [0.5, None, True]}, what="settings")
    >>> check_stored_json({"t": float("inf")}, what="settings")
    Traceback (most recent call last):
    ...
    ValueError: settings.t must be a finite number within +/-1e+15; got inf
    """
    if _depth > limits.json_depth:
        raise ValueError(f"{what} nests deeper than {limits.json_depth} levels")
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int | float):
        if not (math.isfinite(value) and abs(value) <= MAX_STORED_NUMBER):
            raise ValueError(
                f"{what} must be a finite number within +/-{MAX_STORED_NUMBER:g}; got {value!r}"
            )
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{what} keys must be text; got {key!r}")
            check_stored_json(item, what=f"{what}.{key}", limits=limits, _depth=_depth + 1)
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            check_stored_json(item, what=f"{what}[{i}]", limits=limits, _depth=_depth + 1)
        return
    raise ValueError(f"{what} must hold only JSON values; got {type(value).__name__}")


#: The largest version number stored (a persona saved once a second for 30 years is ~10^9).
MAX_VERSION = 2**31 - 1


def check_version(value: object, *, what: str) -> int:
    """A whole-number version from 1 to 2**31 - 1; ``true`` is not a number.

    Examples
    --------
    >>> check_version(3, what="version")
    3
    >>> check_version(True, what="format_version")
    Traceback (most recent call last):
    ...
    ValueError: format_version must be a whole number from 1 to 2147483647; got True
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VERSION:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise ValueError(f"{what} must be a whole number from 1 to {MAX_VERSION}; got {shown}")
    return value


_NOT_PLAIN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\ufeff]")


def one_line_name(value: object, *, what: str, limit: int) -> str:
    """A name: one line of plain text, 1 to ``limit`` characters, trimmed.

    Line breaks, tabs, control characters and invisible direction marks are refused
    (markup is allowed but always shown as text by the app).

    Examples
    --------
    >>> one_line_name("  Pipeline study ", what="study name", limit=20)
    'Pipeline study'
    >>> one_line_name("a\\nb", what="study name", limit=20)
    Traceback (most recent call last):
    ...
    ValueError: study name must be one line of plain text (no line breaks, tabs or \
control characters); got 'a\\nb'
    """
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
        shown = repr(value) if not isinstance(value, str) or len(value) <= 40 else "a longer text"
        raise ValueError(f"{what} must be a text of 1 to {limit} characters; got {shown}")
    if _NOT_PLAIN.search(value.strip()):
        shown = repr(value) if len(value) <= 40 else repr(value[:37]) + "..."
        raise ValueError(
            f"{what} must be one line of plain text (no line breaks, tabs or control "
            f"characters); got {shown}"
        )
    return value.strip()
