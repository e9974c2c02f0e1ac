"""Hostile and huge inputs, built in code at any size: the suite builds small ones (with
tight limits), ``benchmarks/bench_hostile.py`` the full-size ones of issue 12.

Every builder streams what it writes, so even the 1.5 GiB-inflating bomb costs a few MB of
memory to build.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}"
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook(sheets: int) -> tuple[str, str]:
    names = "".join(
        f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1)
    )
    book = f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL_NS}"><sheets>{names}</sheets></workbook>'
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    rels += (
        f'<Relationship Id="rId{sheets + 1}" Type="{_REL_NS}/sharedStrings" '
        'Target="sharedStrings.xml"/>'
    )
    return book, (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}</Relationships>"
    )


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def xlsx(
    sheet_xml: Iterator[bytes],
    *,
    strings: Iterator[bytes] | None = None,
    extra_sheets: int = 0,
) -> bytes:
    """A minimal workbook whose first sheet's ``<sheetData>`` and shared strings are streamed
    from the iterators (compressed as they come, never held inflated)."""
    buffer = io.BytesIO()
    book, rels = _workbook(1 + extra_sheets)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(
                sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, extra_sheets + 2))
            ),
        )
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            for chunk in sheet_xml:
                out.write(chunk)
            out.write(b"</sheetData></worksheet>")
        for n in range(2, extra_sheets + 2):
            zf.writestr(
                f"xl/worksheets/sheet{n}.xml",
                f'<worksheet xmlns="{_MAIN}"><sheetData/></worksheet>',
            )
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<sst xmlns="{_MAIN}">'.encode())
            for chunk in strings or ():
                out.write(chunk)
            out.write(b"</sst>")
    return buffer.getvalue()


def _rows(rows: list[list[str]]) -> Iterator[bytes]:
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
            for c, v in enumerate(row, start=1)
        )
        yield f'<row r="{r}">{cells}</row>'.encode()


def xlsx_string_bomb(inflated_mib: int) -> bytes:
    """A workbook whose one shared string is ``inflated_mib`` MiB of ``A`` (about 1,000:1):
    1,536 MiB gives the issue's 1.6 MB file."""

    def strings() -> Iterator[bytes]:
        yield b"<si><t>"
        block = b"A" * (1 << 20)
        for _ in range(inflated_mib):
            yield block
        yield b"</t></si>"

    header = iter([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])
    return xlsx(header, strings=strings())


def xlsx_many_rows(rows: int, *, columns: int = 1) -> bytes:
    """A workbook of ``rows`` numbered rows of small numbers and no declared dimension:
    3,000,000 rows of one cell compress to about 7 MB (16:1, under the ratio limit)."""

    def sheet() -> Iterator[bytes]:
        yield (
            '<row r="1">'
            + "".join(
                f'<c r="{_column(c)}1" t="inlineStr"><is><t>q{c}</t></is></c>'
                for c in range(1, columns + 1)
            )
            + "</row>"
        ).encode()
        for r in range(2, rows + 1):
            yield (
                f'<row r="{r}">'
                + "".join(f"<c><v>{(r + c) % 5 + 1}</v></c>" for c in range(columns))
                + "</row>"
            ).encode()

    return xlsx(sheet())


def xlsx_wide(columns: int) -> bytes:
    """One header row of ``columns`` columns and one data row."""
    return xlsx(
        _rows([[f"imp_{c}" for c in range(columns)], [str(c % 5 + 1) for c in range(columns)]])
    )


def xlsx_with_formulas() -> bytes:
    """A wide table where two cells are formulas without a cached value, plus a second sheet."""
    rows = [["id", "imp_a", "sat_a"], ["1", "5", "2"], ["2", "4", "3"]]

    def sheet() -> Iterator[bytes]:
        yield from _rows(rows)
        yield b'<row r="4"><c r="A4"><v>3</v></c><c r="B4"><f>B2+1</f></c><c r="C4"><f>C2</f></c>'
        yield b"</row>"

    return xlsx(sheet(), extra_sheets=1)


def csv_long_field(chars: int) -> bytes:
    """A wide CSV with one quoted cell of ``chars`` characters."""
    return b'id,imp_a,sat_a,comment\n1,5,2,ok\n2,4,3,"' + b"x" * chars + b'"\n3,3,3,fine\n'


def jsonl_deep(depth: int) -> bytes:
    """A JSON Lines file whose second record nests ``depth`` lists deep."""
    return (
        b'{"id": 1, "imp_a": 5, "sat_a": 2}\n{"id": 2, "imp_a": '
        + b"[" * depth
        + b"]" * depth
        + b', "sat_a": 1}\n'
    )


def _manifest(files: list[dict[str, object]], **changes: object) -> dict[str, object]:
    t = datetime(2026, 1, 2, tzinfo=UTC).isoformat()
    manifest: dict[str, object] = {
        "format": "odi-workbench-study",
        "format_version": 1,
        "workbench_version": "",
        "exported_at": t,
        "study": {
            "name": "Bomb",
            "created_at": t,
            "mapping": None,
            "settings": {},
            "ui_state": {},
        },
        "files": files,
        "personas": [],
    }
    manifest.update(changes)
    return manifest


def archive_bomb(member_mib: int, *, listed: int = 60) -> bytes:
    """A study archive with one member of ``member_mib`` MiB of zeros that its manifest
    lists ``listed`` times (190 MiB listed 60 times is the issue's 194 KB archive)."""
    digest = hashlib.sha256()
    block = b"\0" * (1 << 20)
    for _ in range(member_mib):
        digest.update(block)
    entry = {
        "path": "files/001-bomb.csv",
        "name": "bomb.csv",
        "size": member_mib << 20,
        "sha256": digest.hexdigest(),
        "created_at": datetime(2026, 1, 2, tzinfo=UTC).isoformat(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("manifest.json", json.dumps(_manifest([entry] * listed)))
        with zf.open("files/001-bomb.csv", "w", force_zip64=True) as out:
            for _ in range(member_mib):
                out.write(block)
    return buffer.getvalue()


def archive_with_manifest(manifest: dict[str, object] | str) -> bytes:
    """A study archive holding only this manifest (a dict, or raw JSON text)."""
    text = manifest if isinstance(manifest, str) else json.dumps(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", text)
    return buffer.getvalue()


def manifest(**changes: object) -> dict[str, object]:
    """A valid manifest without files, with top-level ``changes``."""
    return _manifest([], **changes)


def persona_entry(**changes: object) -> dict[str, object]:
    """One persona of a manifest (version 1, with its history), with ``changes``."""
    t = datetime(2026, 1, 2, tzinfo=UTC).isoformat()
    entry: dict[str, object] = {
        "name": "Ops lead",
        "version": 1,
        "data": {"name": "Ops lead"},
        "created_at": t,
        "updated_at": t,
        "updated_by": None,
        "history": [
            {
                "version": 1,
                "name": "Ops lead",
                "data": {"name": "Ops lead"},
                "author": None,
                "note": "created",
                "created_at": t,
            }
        ],
    }
    entry.update(changes)
    return entry
