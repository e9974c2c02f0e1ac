"""Every export format, read back: CSV and XLSX parsed, JSON loaded, PDF text extracted,
PPTX opened. Each must carry the study, segment, n, method and date, and keep Unicode."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from odi.analysis.scoring import score
from odi.analysis.unmet_needs import UnmetNeeds, unmet_needs
from odi.charts import ZONE_STYLES
from odi.charts.static import MARKERS, landscape_png
from odi.exports import (
    card_html,
    card_markdown,
    card_pdf,
    cards_html,
    cards_markdown,
    cards_pdf,
    landscape_html,
    needs_brief_csv,
    needs_brief_xlsx,
    persona_deck,
    scores_csv,
    scores_xlsx,
    unmet_needs_csv,
    unmet_needs_json,
    unmet_needs_markdown,
    unmet_needs_xlsx,
)
from odi.exports.tables import UNMET_COLUMNS, sheet_names
from odi.personas import Persona
from odi.survey import Survey

DAY = date(2026, 5, 1)
UNICODE_NAME = "Müller’s VP – Δ growth 🚀"


@pytest.fixture(scope="module")
def needs(survey: Survey, persona_factory) -> list[UnmetNeeds]:
    vp = persona_factory().pin(["O5"]).hide("O2", "Covered by the roadmap – 2026")
    sdr = Persona(
        id="sdr",
        name=UNICODE_NAME,
        segment={"role": ["SDR"]},
        negative=True,
        goals=("Book 20 meetings 📅",),
        inferred={"goals": "check with 3 SDRs"},
    )
    return [unmet_needs(survey, vp, bootstrap=300), unmet_needs(survey, sdr, bootstrap=300)]


def meta_checks(text: str, n: UnmetNeeds) -> None:
    assert n.study in text
    assert n.definition in text
    assert f"n = {n.n_respondents}" in text
    assert "opportunity = importance + max(importance − satisfaction, 0)" in text
    assert DAY.isoformat() in text


# -- unmet-needs lists -------------------------------------------------------------------


def test_unmet_csv_reads_back(needs: list[UnmetNeeds]) -> None:
    data = unmet_needs_csv(needs, exported=DAY)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", comment="#")
    assert tuple(frame.columns) == UNMET_COLUMNS  # tidy: no metadata repeated per row
    assert len(frame) == sum(len(n.table) for n in needs)
    vp_rows = frame[frame["persona_id"] == "vp-sales"]
    assert vp_rows["outcome_id"].tolist() == needs[0].table["outcome_id"].tolist()
    np.testing.assert_allclose(vp_rows["opportunity"], needs[0].table["opportunity"])
    np.testing.assert_allclose(vp_rows["opportunity_low"], needs[0].table["opportunity_low"])
    assert UNICODE_NAME in set(frame["persona"])
    assert bool(vp_rows.set_index("outcome_id").loc["O5", "pinned"])
    # The study, date, method, segment and n are stated once, in the comment lines on top.
    head = [line for line in data.decode("utf-8-sig").splitlines() if line.startswith("# ")]
    assert head[:2] == ["# Unmet needs: Pipeline study – Q3", "# Exported 2026-05-01"]
    assert sum("Wilson" in line for line in head) == 1
    assert "Wilson" not in data.decode("utf-8-sig").split("\n", len(head))[-1]
    vp_line = next(line for line in head if line.startswith("# Persona vp-sales"))
    assert "segment role = VP Sales; n = 60 respondents" in vp_line


def test_needs_brief_is_plain_and_rounded(needs: list[UnmetNeeds]) -> None:
    data = needs_brief_csv(needs, exported=DAY)
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", comment="#")
    assert list(frame.columns) == [
        "Persona",
        "Rank",
        "Unmet need",
        "Why it matters",
        "Strength",
        "Rate it important (%)",
        "Satisfied today (%)",
    ]
    vp = frame[frame["Persona"] == "The Pipeline-Accountable VP"].set_index("Rank")
    # O1 for VP Sales: 90 % top-box importance, 10 % satisfaction (conftest SPEC).
    assert vp.loc[1, "Why it matters"] == "90% call it important; only 10% are satisfied today."
    assert vp.loc[1, "Strength"] == "●●● Strong"
    assert (vp.loc[1, "Rate it important (%)"], vp.loc[1, "Satisfied today (%)"]) == (90, 10)
    text = data.decode("utf-8-sig")
    for jargon in ("seed", "opportunity", "Wilson", "bootstrap"):
        assert jargon not in text
    sheet = pd.read_excel(io.BytesIO(needs_brief_xlsx(needs, exported=DAY)), "Unmet needs")
    assert sheet["Unmet need"].tolist() == frame["Unmet need"].tolist()


def test_unmet_xlsx_has_about_and_one_sheet_per_persona(needs: list[UnmetNeeds]) -> None:
    data = unmet_needs_xlsx(needs, exported=DAY)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["About", "The Pipeline-Accountable VP", UNICODE_NAME, "Hidden"]
    about = "\n".join(
        str(c.value) for row in wb["About"].iter_rows() for c in row if c.value is not None
    )
    assert "Pipeline study – Q3" in about
    assert "2026-05-01" in about
    assert "Wilson" in about
    assert "role = VP Sales" in about
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="The Pipeline-Accountable VP")
    assert sheet["outcome_id"].tolist() == needs[0].table["outcome_id"].tolist()
    np.testing.assert_allclose(sheet["opportunity"], needs[0].table["opportunity"])
    hidden = pd.read_excel(io.BytesIO(data), sheet_name="Hidden")
    assert hidden["reason"].tolist() == ["Covered by the roadmap – 2026"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["A/B: [test]?"], ["A B test"]),
        (["Sales", "SALES", "sales"], ["Sales", "SALES (2)", "sales (3)"]),
        (["'quoted'"], ["quoted"]),
        (["About"], ["About (2)"]),
        (["x" * 40, "x" * 40], ["x" * 31, "x" * 27 + " (2)"]),
        (["   "], ["Persona"]),
    ],
    ids=[
        "forbidden-chars",
        "case-insensitive-unique",
        "apostrophes",
        "reserved",
        "too-long",
        "blank",
    ],
)
def test_sheet_names(names: list[str], expected: list[str]) -> None:
    got = sheet_names(names, reserved=["About"])
    assert got == expected
    assert all(len(n) <= 31 for n in got)


def test_unmet_markdown(needs: list[UnmetNeeds]) -> None:
    text = unmet_needs_markdown(needs, exported=DAY).decode("utf-8")
    assert text.startswith("# Unmet needs: Pipeline study – Q3")
    assert "2026-05-01" in text
    assert "Wilson" in text
    assert "## The Pipeline-Accountable VP" in text
    assert "(negative persona)" in text
    assert "- Segment: role = VP Sales" in text
    assert "- Respondents: n = 60" in text
    rows = [line for line in text.splitlines() if line.startswith("| 1 |")]
    assert len(rows) == 2  # one table per persona
    assert "Covered by the roadmap – 2026" in text
    assert "🚀" in text


def test_unmet_json(needs: list[UnmetNeeds]) -> None:
    data = json.loads(unmet_needs_json(needs, exported=DAY))
    assert data["study"] == "Pipeline study – Q3"
    assert data["exported"] == "2026-05-01"
    assert "Wilson" in data["method"]
    vp, sdr = data["personas"]
    assert vp["segment"] == "role = VP Sales"
    assert vp["n_respondents"] == 60
    assert [r["outcome_id"] for r in vp["unmet_needs"]] == needs[0].table["outcome_id"].tolist()
    assert vp["unmet_needs"][0]["opportunity"] == pytest.approx(17.0)
    assert vp["hidden"][0]["reason"] == "Covered by the roadmap – 2026"
    assert vp["replication"]["checked"] == needs[0].replication.checked  # type: ignore[union-attr]
    assert sdr["name"] == UNICODE_NAME
    assert sdr["negative"] is True


def test_missing_scores_are_null_in_json(build) -> None:
    s = build(spec={"VP Sales": (40, {"O1": (0.9, 0.1)})})  # other outcomes all bottom box
    p = Persona(id="p", name="P", segment={"role": ["VP Sales"]}, pins=("O2",))
    u = unmet_needs(s, p, bootstrap=0)
    data = json.loads(unmet_needs_json(u, exported=DAY))
    row = data["personas"][0]["unmet_needs"][0]
    assert row["opportunity_low"] is None  # no bootstrap: no interval, null not NaN


def test_no_needs_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one persona"):
        unmet_needs_csv([], exported=DAY)


# -- cards ------------------------------------------------------------------------------


def test_card_markdown(needs: list[UnmetNeeds]) -> None:
    text = card_markdown(needs[0], exported=DAY, audience="analyst").decode("utf-8")
    assert text.startswith("# The Pipeline-Accountable VP\n")
    assert "**Messaging hook\\*:**" in text
    assert "- Messaging hook: A/B test in the Q3 campaign" in text
    meta_checks(text.replace("\\", ""), needs[0])
    assert "Minimize the time it takes to reconcile pipeline with the CRM (O1)" in text
    both = cards_markdown(needs, exported=DAY, audience="analyst").decode("utf-8")
    assert both.count("\n---\n\n# ") == 1
    assert "**Negative persona:**" in both


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.tags: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.srcs += [v or "" for k, v in attrs if k in ("src", "href")]

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def test_card_html_is_standalone_and_print_ready(needs: list[UnmetNeeds]) -> None:
    page = card_html(needs[0], exported=DAY, audience="analyst").decode("utf-8")
    parser = _Text()
    parser.feed(page)
    text = " ".join(" ".join(parser.chunks).split())
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page
    assert "@page" in page
    assert "script" not in parser.tags
    assert all(s.startswith("data:image/png;base64,") for s in parser.srcs)
    assert len(parser.srcs) == 1
    assert "The Pipeline-Accountable VP" in text
    meta_checks(text, needs[0])
    assert re.search(r"Messaging hook\s*\*", text)
    assert "Covered by the roadmap – 2026" in text
    two = cards_html(needs, exported=DAY).decode("utf-8")
    assert two.count('<article class="card">') == 2
    assert UNICODE_NAME in two


def test_card_pdf_text_and_one_page(needs: list[UnmetNeeds]) -> None:
    data = card_pdf(needs[0], exported=DAY, audience="analyst")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "The Pipeline-Accountable VP" in text
    assert "Minimize the time it takes to reconcile pipeline with the CRM (O1)" in text
    assert "Messaging hook*" in text
    assert "Series B SaaS, 100–500 employees" in text
    meta_checks(text, needs[0])
    assert reader.pages[0].images  # the landscape
    assert reader.metadata is not None
    assert "The Pipeline-Accountable VP" in str(reader.metadata.title)


def test_cards_pdf_one_page_per_persona_and_unicode(needs: list[UnmetNeeds]) -> None:
    reader = PdfReader(io.BytesIO(cards_pdf(needs, exported=DAY)))
    assert len(reader.pages) == 2
    text = reader.pages[1].extract_text()
    assert UNICODE_NAME in text  # ’, –, Δ from DejaVu; the emoji through the placeholder font
    assert "Book 20 meetings 📅" in text
    assert "NEGATIVE PERSONA" in text


def test_long_card_still_fits_one_page(survey: Survey, persona_factory) -> None:
    long = "Generate qualified pipeline to meet the revenue target set by the CRO. " * 6
    p = persona_factory()
    p = Persona(
        **{
            **p.to_dict(),
            "functional_job": long,
            "emotional_job": long,
            "social_job": long,
            "context": long,
            "last_reviewed": p.last_reviewed,
            "buying_role": p.buying_role,
        }
    )
    reader = PdfReader(io.BytesIO(card_pdf(unmet_needs(survey, p, bootstrap=0), exported=DAY)))
    assert len(reader.pages) == 1


# -- deck -------------------------------------------------------------------------------


def _slide_text(slide) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(parts)


def test_deck_has_title_and_one_slide_per_persona(needs: list[UnmetNeeds]) -> None:
    prs = Presentation(io.BytesIO(persona_deck(needs, exported=DAY)))
    slides = list(prs.slides)
    assert len(slides) == 3
    assert "Buyer personas: Pipeline study – Q3" in _slide_text(slides[0])
    vp = _slide_text(slides[1])
    assert "The Pipeline-Accountable VP" in vp
    assert "Minimize the time it takes to reconcile pipeline with the CRM (O1)" in vp
    assert "Messaging hook*: Stop assembling pipeline reports" in vp
    assert "Segment: role = VP Sales · n = 60 respondents" in vp
    assert "2026-05-01" in vp
    assert any(shape.shape_type == 13 for shape in slides[1].shapes)  # a picture
    assert "Wilson" in slides[1].notes_slide.notes_text_frame.text
    sdr = _slide_text(slides[2])
    assert UNICODE_NAME in sdr
    assert "Negative persona" in sdr


# -- scores and landscape ---------------------------------------------------------------


def test_scores_csv_and_xlsx(survey: Survey) -> None:
    result = score(survey, where={"role": ["SDR"]}, by="company_size", bootstrap=100)
    data = scores_csv(result, study=survey.name, scale=survey.scale, exported=DAY)
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", comment="#")
    assert len(frame) == len(result.table)
    assert set(frame["definition"]) == {
        "role = SDR",
        "role = SDR and company_size = SMB",
        "role = SDR and company_size = Enterprise",
    }
    assert frame.loc[frame["segment"] == "All", "n_respondents"].unique().tolist() == [50]
    head = data.decode("utf-8-sig").split("\nsegment,")[0]
    assert "# Exported: 2026-05-01" in head
    assert "1-5 scale" in head
    np.testing.assert_allclose(frame["opportunity"], result.table["opportunity"])
    data = scores_xlsx(result, study=survey.name, scale=survey.scale, exported=DAY)
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="scores")
    assert sheet["outcome_id"].tolist() == result.table["outcome_id"].tolist()
    about = pd.read_excel(io.BytesIO(data), sheet_name="About")
    assert "Pipeline study – Q3" in about["value"].tolist()


def test_landscape_html_works_offline(needs: list[UnmetNeeds]) -> None:
    n = needs[0]
    page = landscape_html(
        n.scores,
        study=n.study,
        definition=n.definition,
        n=n.n_respondents,
        method=n.method,
        exported=DAY,
        highlight=n.persona.pins,
    ).decode()
    assert 'src="https://' not in page
    assert "plotly.js v" in page or "plotly.js" in page
    assert len(page) > 3_000_000  # plotly.js is embedded
    parser = _Text()
    parser.feed(page)
    text = " ".join(parser.chunks)
    assert "Pipeline study – Q3" in text
    assert "role = VP Sales" in text
    assert "n = 60" in text
    assert "2026-05-01" in text


def test_static_landscape_colours_and_shapes() -> None:
    table = pd.DataFrame(
        {
            "outcome_id": ["X", "H", "S", "A", "V"],
            "importance": [9.0, 8.0, 6.0, 5.0, 2.0],
            "satisfaction": [1.0, 3.0, 1.5, 4.0, 8.0],
        }
    )  # O = 17, 13, 10.5, 6, 2: one per zone
    png = landscape_png(table, dpi=60)
    image = imread(io.BytesIO(png))
    assert image.shape[:2] == (round(5.2 * 60), round(4.6 * 60))
    pixels = (image[..., :3] * 255).round().astype(int).reshape(-1, 3)
    for zone, style in ZONE_STYLES.items():
        rgb = np.array([int(style.colour[i : i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(pixels - rgb).sum(axis=1) <= 6).any(), zone
    assert len(set(MARKERS.values())) == len(ZONE_STYLES)  # one marker shape per zone
    assert set(MARKERS) == {s.symbol for s in ZONE_STYLES.values()}


def test_csv_is_parseable_by_the_csv_module(needs: list[UnmetNeeds]) -> None:
    text = unmet_needs_csv(needs, exported=DAY).decode("utf-8-sig")
    rows = list(csv.reader(line for line in io.StringIO(text) if not line.startswith("#")))
    assert len({len(r) for r in rows}) == 1


# -- two audiences ----------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_sales_card_speaks_plainly(needs: list[UnmetNeeds], fmt: str) -> None:
    n = needs[0]
    if fmt == "pdf":
        text = _pdf_text(card_pdf(n, exported=DAY))
    elif fmt == "html":
        parser = _Text()
        parser.feed(card_html(n, exported=DAY, image=False).decode())
        text = " ".join(" ".join(parser.chunks).split())
    else:
        text = " ".join(card_markdown(n, exported=DAY).decode().replace("\\", "").split())
    assert "Why it matters" in text
    assert "90% call it important; only 10% are satisfied today." in text  # O1
    assert "●●● Strong" in text
    assert "Minimize the time it takes to reconcile pipeline with the CRM" in text
    for jargon in ("seed", "n (I/S)", "Flags", "O 95% interval", "Wilson", "(O1)"):
        assert jargon not in text, jargon
    assert "60 respondents" in text
    assert DAY.isoformat() in text


def test_analyst_card_drops_an_empty_flags_column(build) -> None:
    s = build(spec={"VP Sales": (200, {"O1": (0.9, 0.1), "O2": (0.1, 0.9)})})
    clean = unmet_needs(s, Persona(id="p", name="P", segment={"role": ["VP Sales"]}), bootstrap=0)
    flagged = unmet_needs(
        s, Persona(id="p", name="P", segment={"role": ["VP Sales"]}, pins=("O2",)), bootstrap=0
    )
    assert "Flags" not in card_markdown(clean, exported=DAY, audience="analyst").decode()
    text = card_markdown(flagged, exported=DAY, audience="analyst").decode()
    assert "| Flags |" in text
    assert "pinned" in text
    assert "| 200 |" in text  # one n when importance and satisfaction have the same count


def test_card_pdf_fills_its_page(needs: list[UnmetNeeds]) -> None:
    """The card uses the page: its last line sits in the bottom quarter of A4."""
    page = PdfReader(io.BytesIO(card_pdf(needs[0], exported=DAY))).pages[0]
    ys: list[float] = []
    page.extract_text(
        visitor_text=lambda text, cm, tm, *_: ys.append(tm[5]) if text.strip() else None
    )
    height = float(page.mediabox.height)
    assert min(ys) < 0.25 * height
