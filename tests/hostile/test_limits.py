"""Reading limits: each one triggers, before the work it bounds, with a message naming the
file, the limit and the option that raises it; files inside the limits read as before."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from odi.importers import ImportOptions, import_survey
from odi.importers.tabular import read_grid, read_table
from odi.limits import DEFAULT_LIMITS, LimitError, Limits, json_depth
from odi.personas import personas_from_json
from odi.storage import StorageError, open_workspace
from tests.hostile import files
from tests.importers.builders import sav_bytes


@pytest.fixture
def no_inflating(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to fail the test if any zip member is opened (inflated) from then on."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a zip member was opened before the limits were checked")

    return lambda: monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def test_xlsx_bomb_is_refused_from_the_zip_directory_before_inflating(no_inflating) -> None:
    bomb = files.xlsx_string_bomb(16)  # 16 MiB in 18 KB, like the 1.6 MB file
    assert len(bomb) < 40_000
    no_inflating()
    with pytest.raises(LimitError, match=r"bomb\.xlsx: xl/sharedStrings\.xml inflates 16\.0 MiB"):
        read_table(bomb, source="bomb.xlsx")


def test_archive_bomb_is_refused_before_inflating(tmp_path: Path, no_inflating) -> None:
    bomb = files.archive_bomb(8, listed=60)
    with open_workspace(f"sqlite:///{tmp_path / 'w.db'}") as ws:
        no_inflating()
        with pytest.raises(StorageError, match="ratio limit"):
            ws.import_study(bomb)


@pytest.mark.parametrize(
    ("limits", "match"),
    [
        (Limits(member_mib=4), "member_mib limit of 4"),
        (Limits(inflated_mib=4), "inflated_mib limit of 4"),
        (Limits(ratio=100), "ratio limit of 100"),
    ],
    ids=["member", "total", "ratio"],
)
def test_each_zip_limit_triggers_before_inflating(limits, match, no_inflating) -> None:
    bomb = files.xlsx_string_bomb(6)
    no_inflating()
    with pytest.raises(LimitError, match=match):
        read_table(bomb, source="b.xlsx", limits=limits)


def test_a_raised_ratio_limit_lets_a_highly_compressible_workbook_through() -> None:
    grid = read_grid(
        files.xlsx_string_bomb(2), source="b.xlsx", limits=Limits(ratio=2000, field_chars=3 << 20)
    )
    assert len(grid.cells.iloc[0, 0]) == 2 << 20


def test_xlsx_rows_are_refused_while_streaming() -> None:
    data = files.xlsx_many_rows(1_500)  # no declared dimension: counted while reading
    with pytest.raises(LimitError, match=r"more than 1,000 rows.*--limit rows=N"):
        read_table(data, source="rows.xlsx", limits=Limits(rows=1_000))
    assert read_table(data, source="rows.xlsx").body(1).frame.shape == (1_499, 1)


def test_xlsx_declared_size_is_refused_before_any_row_is_read(monkeypatch) -> None:
    book = openpyxl.Workbook()
    for r in range(30):
        book.active.append([r, 5, 2])
    buffer = io.BytesIO()
    book.save(buffer)
    from openpyxl.worksheet import _reader

    def refuse(self: object) -> None:
        raise AssertionError("rows were streamed")

    monkeypatch.setattr(_reader.WorkSheetParser, "parse", refuse)
    with pytest.raises(LimitError, match="rows limit of 10"):
        read_table(buffer.getvalue(), source="d.xlsx", limits=Limits(rows=10))


@pytest.mark.parametrize(
    ("data", "limits", "match"),
    [
        (files.xlsx_wide(30), Limits(columns=20), "has 30 columns"),
        (files.xlsx_many_rows(50, columns=10), Limits(cells=200), "cells limit of 200"),
        (
            b"id," + ",".join(f"imp_{i}" for i in range(30)).encode() + b"\n1" + b",5" * 30,
            Limits(columns=20),
            "has 31 columns",
        ),
        (b"id,imp_a,sat_a\n" + b"1,5,2\n" * 50, Limits(rows=20), "rows limit of 20"),
        (b'id,imp_a,sat_a\n"1",5,2\n' + b"1,5,2\n" * 50, Limits(rows=20), "rows limit of 20"),
        (b"id,imp_a,sat_a\n" + b"1,5,2\n" * 50, Limits(cells=100), "cells limit of 100"),
        (b'{"id": 1, "imp_a": 5, "sat_a": 2}\n' * 50, Limits(rows=20), "rows limit of 20"),
        (b'{"a": 1, "b": 2, "c": 3, "d": 4}\n', Limits(columns=3), "columns limit of 3"),
    ],
    ids=[
        "xlsx-columns",
        "xlsx-cells",
        "csv-columns",
        "csv-rows-unquoted",
        "csv-rows-quoted",
        "csv-cells",
        "jsonl-rows",
        "jsonl-columns",
    ],
)
def test_table_shape_limits(data: bytes, limits: Limits, match: str) -> None:
    with pytest.raises(LimitError, match=match):
        import_survey(data, source="t", options=ImportOptions(limits=limits))


@pytest.mark.parametrize(
    "data",
    [
        files.csv_long_field(200_000),
        files.csv_long_field(200_000).replace(b",", b"\t"),
        b"id,imp_a,sat_a,comment\n1,5,2," + b"x" * 200_000 + b"\n",  # unquoted: pyarrow path
        b'{"id": 1, "imp_a": 5, "sat_a": 2, "c": "' + b"x" * 200_000 + b'"}\n',
    ],
    ids=["csv-quoted", "tsv-quoted", "csv-fast-reader", "jsonl"],
)
def test_a_field_over_the_limit_is_a_clear_error_not_a_csv_error(data: bytes) -> None:
    with pytest.raises(LimitError, match=r"longer than 131,072 characters.*field_chars"):
        import_survey(data, source="long.csv")


def test_a_long_field_reads_when_the_limit_is_raised() -> None:
    options = ImportOptions(limits=Limits(field_chars=300_000))
    result = import_survey(files.csv_long_field(200_000), source="long.csv", options=options)
    assert result.survey.n_respondents == 3


def test_deep_json_lines_are_refused_before_parsing() -> None:
    with pytest.raises(LimitError, match="nests JSON 5,001 levels deep"):
        import_survey(files.jsonl_deep(5_000), source="deep.jsonl")


def test_deep_personas_json_is_refused() -> None:
    with pytest.raises(LimitError, match="json_depth"):
        personas_from_json('{"personas": ' + "[" * 3000 + "]" * 3000 + "}", source="p.json")


def test_json_depth_ignores_brackets_in_strings() -> None:
    assert json_depth('{"a": "[[[{{{", "b": [[1]]}') == 3
    assert json_depth(b'["\\"]]]"]') == 1


def test_spss_shape_is_checked_from_its_header(tmp_path: Path) -> None:
    data = sav_bytes(tmp_path)
    with pytest.raises(LimitError, match="columns limit of 5"):
        import_survey(data, source="s.sav", options=ImportOptions(limits=Limits(columns=5)))
    with pytest.raises(LimitError, match="rows limit of 3"):
        import_survey(data, source="s.sav", options=ImportOptions(limits=Limits(rows=3)))


def test_formula_cells_without_a_value_and_other_sheets_are_warned_about() -> None:
    result = import_survey(files.xlsx_with_formulas(), source="f.xlsx")
    warnings = " ".join(result.report.warnings)
    assert "2 formula cell(s) have no saved value" in warnings
    assert "(B4, C4)" in warnings
    assert "1 other sheet(s) were ignored: 'Sheet2'" in warnings
    assert result.report.respondents_total == 3  # the row read, its formula cells blank


def test_limit_overrides_are_checked() -> None:
    assert Limits().with_overrides(["rows=5", "member-mib=3"]) == Limits(rows=5, member_mib=3)
    for bad in ("rows", "rows=-1", "rows=0", "bytes=5", "rows=1e6"):
        with pytest.raises(ValueError, match="--limit must be NAME=VALUE"):
            Limits().with_overrides([bad])
    with pytest.raises(ValueError, match="whole number of 1 or more"):
        Limits(rows=True)


def test_default_limits_sit_above_real_studies() -> None:
    """The README's promise: a 100,000 x 150 Qualtrics export (321 columns, 3 header rows),
    the same with a display-order column per statement, and Excel's own sheet size fit."""
    columns = 321 + 150
    DEFAULT_LIMITS.check_shape("qualtrics.csv", rows=100_003, columns=columns)
    DEFAULT_LIMITS.check_shape("max.xlsx", rows=1_048_576, columns=90)
    assert DEFAULT_LIMITS.field_chars > 32_767  # Excel's longest cell


def test_a_deeply_nested_qualtrics_import_id_cell_is_not_a_recursion_error() -> None:
    """Found by hand after the fuzzers: row 3 of a Qualtrics export is parsed as JSON."""
    deep = "[" * 30_000 + "]" * 30_000
    data = (
        "StartDate,Q1_1,Q2_1\nStart Date,Importance - a,Satisfaction - a\n"
        f'{{"ImportId":"startDate"}},"{{""ImportId"":{deep}}}",{{"ImportId":"QID2_1"}}\n'
        "2026-01-01,5,2\n"
    ).encode()
    with pytest.raises(ValueError, match=r"q\.csv"):
        import_survey(data, source="q.csv")


CRASHES = Path(__file__).parent / "crashes"


def test_a_damaged_sav_that_crashes_pyreadstat_is_a_clear_error() -> None:
    """Found by ``make fuzz``: these bytes make pyreadstat (C) segfault. The reader runs in
    a child process, so the crash ends the child and this process gets a message."""
    data = (CRASHES / "spss-seed103.sav").read_bytes()
    with pytest.raises(ValueError, match=r"crash\.sav .* damaged: the SPSS reader crashed"):
        import_survey(data, source="crash.sav")


def _encrypted_flag(data: bytes, member: str) -> bytes:
    """The zip with ``member`` marked as encrypted (general-purpose flag bit 0)."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(name)] == name:
                out[at + offset] |= 1
            at = out.find(signature, at + 1)
    return bytes(out)


def test_an_encrypted_member_is_a_clear_error_not_a_runtime_error(tmp_path: Path) -> None:
    """Found by ``make fuzz`` (a flipped flag bit): zipfile raises RuntimeError for it."""
    archive = _encrypted_flag(files.archive_with_manifest(files.manifest()), "manifest.json")
    with (
        open_workspace(f"sqlite:///{tmp_path / 'w.db'}") as ws,
        pytest.raises(StorageError, match="damaged"),
    ):
        ws.import_study(archive)
    book = _encrypted_flag(files.xlsx_wide(3), "xl/worksheets/sheet1.xml")
    with pytest.raises(ValueError, match=r"e\.xlsx .*could not be opened"):
        import_survey(book, source="e.xlsx")
