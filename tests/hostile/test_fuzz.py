"""Property-based fuzzing of every reader: whatever the bytes, a reader returns its result
or raises ``ValueError`` (the project's errors: a message naming the file), never another
exception.

The suite runs a short, derandomized (seeded) pass; ``make fuzz`` runs thousands of random
examples per reader (``ODI_FUZZ_EXAMPLES``). Inputs that once crashed a reader are pinned
with ``@example`` so they stay fixed.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from odi.importers import import_survey, inspect_survey
from odi.importers.spss import parse_spss
from odi.importers.tabular import read_grid
from odi.personas import personas_from_json
from odi.storage.archive import read_archive
from tests.hostile import files
from tests.importers.builders import sav_bytes

_RANDOM = "ODI_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(
    max_examples=int(os.environ.get("ODI_FUZZ_EXAMPLES", "25")),
    derandomize=not _RANDOM,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def error_of(read: Callable[[], object]) -> str | None:
    """The message of the ValueError ``read`` raises (None if it returns); any other
    exception fails the test."""
    try:
        read()
    except ValueError as exc:
        return str(exc)
    return None


def survives(data: bytes, source: str) -> None:
    """Import and inspect: the result, or a ValueError with a message."""
    for read in (import_survey, inspect_survey):
        assert error_of(lambda read=read: read(data, source=source)) != ""


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


# ----------------------------------------------------------------- CSV / TSV

_cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["5", "1", "", "Very important", "N/A", '"', '""', "\r\n", "imp_a", "sat_a", "-99"]
)


@st.composite
def delimited(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    width = draw(st.integers(1, 6))
    header = draw(
        st.lists(
            st.sampled_from(["id", "role", "imp_a", "sat_a", "imp_b", "sat_b"]),
            min_size=width,
            max_size=width,
        )
    )
    rows = draw(st.lists(st.lists(_cell, min_size=0, max_size=width + 1), max_size=8))
    text = "\n".join(delimiter.join(r) for r in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(delimited())
@example(b'id,imp_a,sat_a\n1,"5\n')  # an unterminated quote
@example(b"imp_a,sat_a\n" + b"5,\x00\n")
def test_fuzz_delimited_text(data: bytes) -> None:
    survives(data, "fuzz.csv")


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_any_bytes(data: bytes) -> None:
    survives(data, "fuzz.bin")


@FUZZ
@given(st.lists(_json, min_size=1, max_size=4), st.lists(_cell, min_size=1, max_size=4))
@example(["[" * 30_000 + "]" * 30_000], ["5"])  # a RecursionError once (Qualtrics row 3)
def test_fuzz_qualtrics_import_id_row(import_ids: list[object], answers: list[str]) -> None:
    """Qualtrics' third header row holds JSON (ImportId objects); any JSON, or text that
    looks like it, is read or refused."""
    n = len(import_ids)
    ids = [x if isinstance(x, str) else json.dumps({"ImportId": x}) for x in import_ids]
    rows = [
        ["StartDate", *[f"Q1_{i + 1}" for i in range(n)]],
        ["Start Date", *[f"Importance - s{i}" for i in range(n)]],
        ['{"ImportId":"startDate"}', *ids],
        ["2026-01-01", *(answers * n)[:n]],
    ]
    text = "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in r) for r in rows)
    survives(text.encode(), "fuzz.csv")


# ----------------------------------------------------------------- XLSX


def _workbook(rows: list[list[object]], sheets: int = 1) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for n in range(1, sheets):
        book.create_sheet(f"S{n}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_excel = (
    st.none()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=10)
    | st.sampled_from(["=A1+1", "=1/0", "Very important", "imp_a", "sat_a"])
    | st.dates()
)


@FUZZ
@given(st.lists(st.lists(_excel, max_size=5), max_size=6), st.integers(1, 3))
def test_fuzz_xlsx_cells(rows: list[list[object]], sheets: int) -> None:
    survives(_workbook([["id", "imp_a", "sat_a"], *rows], sheets), "fuzz.xlsx")


_VALID_XLSX = _workbook([["id", "imp_a", "sat_a"], [1, 5, 2], [2, 4, 1]])


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, len(_VALID_XLSX) - 1), st.integers(0, 255)), max_size=6),
    st.integers(30, len(_VALID_XLSX)),
)
def test_fuzz_xlsx_bytes(flips: list[tuple[int, int]], keep: int) -> None:
    data = bytearray(_VALID_XLSX[:keep])
    for at, value in flips:
        if at < len(data):
            data[at] = value
    survives(bytes(data), "fuzz.xlsx")


@st.composite
def xlsx_xml(draw: st.DrawFn) -> bytes:
    """Hand-written sheet XML: odd cell types, references, formulas, missing values."""
    cells = []
    for _ in range(draw(st.integers(0, 6))):
        ref = draw(st.sampled_from(["A1", "B1", "A2", "ZZ9", "XFD1", "A1048576", "", "1A"]))
        kind = draw(st.sampled_from(["n", "s", "b", "e", "str", "inlineStr", "d", "x"]))
        value = draw(st.sampled_from(["1", "0", "-1", "abc", "1e308", "99", "", "2026-01-01"]))
        formula = draw(st.sampled_from(["", "<f>A1</f>"]))
        r = f' r="{ref}"' if ref else ""
        cells.append(f'<c{r} t="{kind}">{formula}<v>{value}</v></c>')
    row = draw(st.sampled_from(['<row r="1">', "<row>", '<row r="0">', '<row r="x">']))
    return (row + "".join(cells) + "</row>").encode()


@FUZZ
@given(xlsx_xml())
@example(b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>')  # a missing shared string
def test_fuzz_xlsx_sheet_xml(sheet: bytes) -> None:
    data = files.xlsx(iter([sheet]), strings=iter([b"<si><t>imp_a</t></si>"]))
    assert error_of(lambda: read_grid(data, source="fuzz.xlsx")) != ""
    survives(data, "fuzz.xlsx")


# ----------------------------------------------------------------- SPSS


@pytest.fixture(scope="module")
def valid_sav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return sav_bytes(tmp_path_factory.mktemp("sav"))


@FUZZ
@given(data=st.data())
def test_fuzz_spss_bytes(valid_sav: bytes, data: st.DataObject) -> None:
    raw = bytearray(valid_sav)
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    raw = raw[: data.draw(st.integers(4, len(raw)))]
    assert error_of(lambda: parse_spss(bytes(raw), source="fuzz.sav")) != ""
    survives(bytes(raw), "fuzz.sav")


# ----------------------------------------------------------------- JSON Lines


@FUZZ
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["id", "role", "imp_a", "sat_a", "x"]), _json),
        min_size=1,
        max_size=6,
    )
)
@example([{"id": 1, "imp_a": float("inf"), "sat_a": 2}])
def test_fuzz_json_lines(records: list[dict[str, object]]) -> None:
    data = "\n".join(json.dumps(r) for r in records).encode()
    survives(data, "fuzz.jsonl")


# ----------------------------------------------------------------- study archives

_VALID_ARCHIVE = files.archive_with_manifest(files.manifest(personas=[files.persona_entry()]))


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["format", "format_version", "study", "files", "personas", "x"]),
        _json,
        max_size=4,
    )
)
@example({"format_version": True})
@example({"personas": [{"version": 2**63}]})
def test_fuzz_archive_manifest(changes: dict[str, object]) -> None:
    manifest = files.manifest()
    manifest.update(changes)
    archive = files.archive_with_manifest(manifest)
    assert error_of(lambda: read_archive(archive, max_member_bytes=1 << 20)) != ""


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, len(_VALID_ARCHIVE) - 1), st.integers(0, 255)), max_size=6)
)
def test_fuzz_archive_bytes(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_VALID_ARCHIVE)
    for at, value in flips:
        data[at] = value
    assert error_of(lambda: read_archive(bytes(data), max_member_bytes=1 << 20)) != ""


def test_fuzz_archive_round_trip_through_a_workspace(tmp_path: Path) -> None:
    """The valid archive the fuzzers mutate imports, so they start from a real one."""
    from odi.storage import open_workspace

    with open_workspace(f"sqlite:///{tmp_path / 'w.db'}") as ws:
        assert ws.import_study(_VALID_ARCHIVE).name == "Bomb"
    with zipfile.ZipFile(io.BytesIO(_VALID_ARCHIVE)) as zf:
        assert zf.namelist() == ["manifest.json"]


# ----------------------------------------------------------------- personas JSON

_persona = st.fixed_dictionaries(
    {"name": st.text(max_size=10)},
    optional={
        "id": st.text(max_size=8),
        "goals": _json,
        "pins": _json,
        "hides": _json,
        "segment": _json,
        "negative": _json,
        "last_reviewed": _json,
        "cluster": _json,
        "buying_role": _json,
        "inferred": _json,
    },
)


@FUZZ
@given(
    st.one_of(
        _json,
        st.fixed_dictionaries(
            {"personas": st.lists(_persona, max_size=3)},
            optional={"version": _json, "icp": _json, "format": _json},
        ),
    )
)
@example({"version": True, "personas": []})
@example({"personas": [{"name": "A", "goals": [float("nan")]}]})
def test_fuzz_personas_json(document: object) -> None:
    text = json.dumps(document)
    assert error_of(lambda: personas_from_json(text, source="fuzz.json")) != ""
