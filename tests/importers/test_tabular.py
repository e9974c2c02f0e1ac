"""Reading bytes robustly: encodings, delimiters, line endings, quoting, ragged rows, junk."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.importers.tabular import read_grid, read_table, sniff_delimiter
from tests.importers import builders as b

ROWS = [
    ["id", "role", "note"],
    ["r1", "Café owner", 'said "hi", then left'],
    ["r2", "VP – Sales", "line one\nline two"],
    ["r3", "Analyst", ""],
]


def body_values(data: bytes, skip: int = 1) -> list[list[str]]:
    table = read_table(data, source="t.csv")
    return table.body(skip).frame.astype(str).values.tolist()


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("cp1252", b"", "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252-fallback"],
)
def test_encodings(encoding, prefix, expected):
    data = prefix + b.csv_bytes(ROWS, encoding=encoding)
    table = read_table(data, source="t.csv")
    assert table.encoding == expected
    assert table.head[0] == ("id", "role", "note")
    assert body_values(data) == ROWS[1:]
    if expected == "cp1252":
        assert any("Windows-1252" in w for w in table.warnings)


def test_utf8_body_with_a_cp1252_byte_falls_back_with_a_warning():
    data = b"id,city\n" + b"r1,Oslo\n" * 200_000 + b"r2,Z\xfcrich\n"  # past the 1 MiB head
    body = read_table(data, source="t.csv").body(1)
    assert body.encoding == "cp1252"
    assert body.frame.iloc[-1].tolist() == ["r2", "Zürich"]
    assert any("Windows-1252" in w for w in body.warnings)


def test_mojibake_is_warned_about():
    data = (
        "id,statement\nr1,Minimize the time – to report\n".encode()
        .decode("cp1252", errors="replace")
        .encode("utf-8")
    )
    table = read_table(data, source="t.csv")
    assert any("mojibake" in w for w in table.warnings)


@pytest.mark.parametrize("delimiter", [",", "\t", ";"], ids=["comma", "tab", "semicolon"])
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "bare-cr"])
def test_delimiters_and_line_endings(delimiter, newline):
    data = b.csv_bytes(ROWS, delimiter=delimiter, newline=newline)
    table = read_table(data, source="t.csv")
    assert table.delimiter == delimiter
    assert body_values(data) == ROWS[1:]


def test_sniffing_ignores_delimiters_inside_quotes():
    text = 'a\tb\r\n"x, y, z"\t"1;2"\r\n"p, q"\t3\r\n'
    assert sniff_delimiter(text) == "\t"


def test_embedded_newlines_in_header_cells_stay_in_one_cell():
    rows = [["id", "How many employees\nwork here?", "q"], ["r1", "50", "5"]]
    table = read_table(b.csv_bytes(rows), source="t.csv")
    assert table.head[0][1] == "How many employees\nwork here?"
    assert table.head_lines == (1, 3)
    assert body_values(b.csv_bytes(rows)) == [["r1", "50", "5"]]


@pytest.mark.parametrize(
    ("text", "line", "got"),
    [
        ("a,b,c\r\n1,2,3\r\n4,5,6,7\r\n", 3, 4),
        ("a,b,c\n1,2,3\n4,5\n", 3, 2),
        ('a,b,c\n"x\ny",2,3\n4,5,6,7,8\n', 4, 5),
    ],
    ids=["long-row", "short-row", "after-an-embedded-newline"],
)
def test_ragged_rows_name_the_line_and_both_counts(text, line, got):
    table = read_table(text.encode(), source="r.csv")
    with pytest.raises(ValueError, match=rf"line {line} has {got} columns but the header has 3"):
        table.body(1)


def test_trailing_delimiters_and_blank_rows():
    data = b"\xef\xbb\xbfV1,V2,\r\nx,y,\r\n,,\r\n\r\nz,w,\r\n"
    table = read_table(data, source="t.csv")
    body = table.body(1)
    assert body.frame.astype(str).values.tolist() == [["x", "y", ""], ["z", "w", ""]]
    assert body.blank_rows == 1


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "is empty"),
        (b"  \r\n\r\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, r"binary data \(a PNG image\)"),
        (b"\xff\xd8\xff\xe0" + os.urandom(512), r"binary data \(a JPEG image\)"),
        (b"%PDF-1.7\n" + bytes(range(256)), "a PDF document"),
        (bytes(range(256)) * 16, "binary data"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Excel .xls"),
        (b"PK\x03\x04 not really a workbook", "could not be opened"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "png-renamed",
        "jpeg-renamed",
        "pdf",
        "random-junk",
        "xls",
        "broken-zip",
    ],
)
def test_files_that_are_not_tables(data, needle):
    with pytest.raises(ValueError, match=needle) as info:
        read_table(data, source="upload.csv")
    assert "upload.csv" in str(info.value)


def test_xlsx_keeps_long_ids_and_reads_every_cell_as_text():
    rows = [["Respondent ID", "score", "when"], ["3292879998", "5", "x"], ["3292879999", "", "y"]]
    table = read_table(b.xlsx_bytes(rows), source="s.xlsx")
    assert table.kind == "xlsx"
    assert table.body(1).frame.astype(str).values.tolist() == [
        ["3292879998", "5", "x"],
        ["3292879999", "", "y"],
    ]


def test_read_grid_still_reads_every_row():
    grid = read_grid(b"id;imp_a;sat_a\r\n1;5;2\r\n", source="s.csv")
    assert grid.delimiter == ";"
    assert grid.cells.values.tolist() == [["id", "imp_a", "sat_a"], ["1", "5", "2"]]


_cell = st.text(alphabet=st.sampled_from(list("abcXYZ019 ,\"'\n\r-éü€")), max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda width: st.lists(
            st.lists(_cell, min_size=width, max_size=width), min_size=1, max_size=12
        ).map(lambda rows: [[f"h{i}" for i in range(width)], *rows])
    ),
    st.sampled_from(["\r\n", "\n"]),
)
def test_any_quoted_table_reads_back_exactly(rows, newline):
    # Rows whose cells are all blank are skipped as blank lines; mark each row.
    rows = [rows[0]] + [[f"r{i}", *row[1:]] for i, row in enumerate(rows[1:])]
    data = b.csv_bytes(rows, newline=newline)
    table = read_table(data, source="h.csv")
    assert table.head[0] == tuple(rows[0])
    assert table.body(1).frame.astype(str).values.tolist() == rows[1:]
