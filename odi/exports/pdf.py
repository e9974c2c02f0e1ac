"""The persona card as a one-page PDF, with the persona's landscape (fpdf2 + matplotlib).

No browser is involved: text is laid out by fpdf2 with the DejaVu Sans fonts that ship
with matplotlib (full Latin, Greek, Cyrillic and many symbols), and the landscape is a
matplotlib PNG. Characters DejaVu lacks (emoji, CJK) fall back to a tiny font built on
the fly that maps each of them to a box glyph: the page shows a box, and the PDF's text
layer (copy, search, text extraction) keeps the real character.

A card is fitted to one page by shrinking the type and then the number of unmet needs
shown; pinned needs are always kept.
"""

from __future__ import annotations

import copy
import io
import math
import tempfile
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos

from odi.analysis.unmet_needs import UnmetNeeds
from odi.exports.card import (
    CARD_TOP,
    card_needs,
    card_sections,
    empty_fields,
    footer_lines,
    inferred_notes,
    interval_text,
    landscape_image,
)
from odi.exports.safety import clean_text
from odi.exports.tables import Needs, flags_text

__all__ = ["FONT_DIR", "card_pdf", "cards_pdf"]

#: Where matplotlib keeps its bundled TrueType fonts (DejaVu, Last Resort).
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FAMILY = "DejaVu"
_FALLBACK = "Placeholder"
_INK = (38, 39, 48)
_MUTED = (107, 111, 123)
_ACCENT = (213, 94, 0)
_RULE = (201, 204, 211)


@lru_cache(maxsize=1)
def _dejavu_codepoints() -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(FONT_DIR / "DejaVuSans.ttf", lazy=True) as font:
        return frozenset(font.getBestCmap())


def _missing_codepoints(texts: Iterable[str]) -> list[int]:
    have = _dejavu_codepoints()
    seen = {ord(c) for t in texts for c in t if not c.isspace()}
    return sorted(c for c in seen if c not in have)


@lru_cache(maxsize=32)
def _placeholder_font(codepoints: tuple[int, ...]) -> bytes:
    """A TrueType font mapping each code point to a box glyph (like a "tofu" box)."""
    from fontTools.fontBuilder import FontBuilder  # type: ignore[import-untyped]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]

    names = [".notdef", *(f"u{cp:04X}" for cp in codepoints)]
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        for contour in (
            ((100, 0), (100, 700), (700, 700), (700, 0)),
            ((160, 60), (640, 60), (640, 640), (160, 640)),
        ):
            pen.moveTo(contour[0])
            for point in contour[1:]:
                pen.lineTo(point)
            pen.closePath()
        glyphs[name] = pen.glyph()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({cp: f"u{cp:04X}" for cp in codepoints})
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(dict.fromkeys(names, (800, 100)))
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "ODIPlaceholder", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    buffer = io.BytesIO()
    fb.save(buffer)
    return buffer.getvalue()


def _new_pdf(texts: Iterable[str], *, workdir: Path) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(12, 11, 12)
    pdf.set_auto_page_break(auto=True, margin=11)
    pdf.add_font(_FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(_FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    missing = tuple(_missing_codepoints(texts))
    if missing:
        path = workdir / f"placeholder-{abs(hash(missing))}.ttf"
        path.write_bytes(_placeholder_font(missing))
        pdf.add_font(_FALLBACK, "", path)
        pdf.set_fallback_fonts([_FALLBACK], exact_match=False)
    pdf.set_text_color(*_INK)
    pdf.set_creator("ODI Workbench")
    return pdf


def _texts(needs: UnmetNeeds) -> list[str]:
    """Every piece of user text a card draws, to find glyphs DejaVu lacks."""
    p = needs.persona
    out = [p.name, needs.study, needs.definition, *needs.warnings]
    for section in card_sections(p):
        for f in section.fields:
            out += list(f.values)
    out += [note for _, note in inferred_notes(p)]
    for frame, cols in (
        (needs.table, ("outcome", "outcome_id")),
        (needs.hidden, ("outcome_id", "reason")),
    ):
        for col in cols:
            out += frame[col].astype(str).tolist()
    return [clean_text(t) for t in out]


def _num(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.1f}"


def _draw_card(
    pdf: FPDF, needs: UnmetNeeds, *, exported: date, size: float, top: int, image: bytes
) -> None:
    p = needs.persona
    pdf.add_page()
    lh = size * 0.46  # line height in mm
    width = pdf.w - pdf.l_margin - pdf.r_margin
    right_w = 66.0
    left_w = width - right_w - 5
    x0 = pdf.l_margin

    pdf.set_font(_FAMILY, "B", size + 8)
    title = clean_text(p.name) + ("*" if p.is_inferred("name") else "")
    pdf.multi_cell(width, (size + 8) * 0.45, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    sub = [
        v
        for v in (p.buying_role.value if p.buying_role else "", p.seniority, ", ".join(p.titles))
        if v
    ]
    if p.negative:
        pdf.set_font(_FAMILY, "B", size)
        pdf.set_text_color(*_ACCENT)
        pdf.cell(
            0,
            lh + 0.5,
            "NEGATIVE PERSONA: do not target",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            align="L",
        )
        pdf.set_text_color(*_INK)
    if sub:
        pdf.set_font(_FAMILY, "", size)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(
            width, lh, clean_text(" · ".join(sub)), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
        pdf.set_text_color(*_INK)
    pdf.ln(1.5)
    top_y = pdf.get_y()

    # Right column: landscape, segment, n, replication.
    img_h = right_w * 5.2 / 4.6
    rx = x0 + left_w + 5
    pdf.image(io.BytesIO(image), x=rx, y=top_y, w=right_w, h=img_h)
    pdf.set_xy(rx, top_y + img_h + 1)
    pdf.set_font(_FAMILY, "", size - 1)
    seg = f"Segment: {needs.definition}\nn = {needs.n_respondents} respondents"
    if needs.replication is not None:
        seg += f"\nReplication: {needs.replication.summary}"
    pdf.multi_cell(right_w, lh * 0.95, clean_text(seg), new_x=XPos.LEFT, new_y=YPos.NEXT, align="L")
    right_bottom = pdf.get_y()

    # Left column: the card's sections.
    pdf.set_xy(x0, top_y)
    for section in card_sections(p):
        pdf.set_x(x0)
        pdf.set_font(_FAMILY, "B", size - 0.5)
        pdf.set_text_color(*_MUTED)
        pdf.cell(left_w, lh + 0.6, section.title.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(*_RULE)
        pdf.line(x0, pdf.get_y(), x0 + left_w, pdf.get_y())
        pdf.set_text_color(*_INK)
        for f in section.fields:
            pdf.set_x(x0)
            pdf.set_font(_FAMILY, "B", size)
            label = clean_text(f.label)
            if f.is_list:
                pdf.multi_cell(left_w, lh, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
                pdf.set_font(_FAMILY, "", size)
                for v in f.values:
                    pdf.set_x(x0 + 2)
                    pdf.multi_cell(
                        left_w - 2,
                        lh,
                        "• " + clean_text(v),
                        new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT,
                        align="L",
                    )
            else:
                pdf.write(lh, label + ": ")
                pdf.set_font(_FAMILY, "", size)
                pdf.set_right_margin(pdf.w - x0 - left_w)
                pdf.write(lh, clean_text(f.values[0]))
                pdf.set_right_margin(12)
                pdf.ln(lh)
        pdf.ln(0.8)
    y = max(pdf.get_y(), right_bottom) + 2

    # Unmet needs table across the page.
    pdf.set_xy(x0, y)
    pdf.set_font(_FAMILY, "B", size + 1)
    pdf.cell(
        0,
        lh + 1,
        f"Unmet needs (opportunity ≥ {needs.threshold:g})",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        align="L",
    )
    pdf.set_font(_FAMILY, "", size - 0.5)
    pdf.set_text_color(*_ACCENT)
    for w in needs.warnings:
        pdf.multi_cell(
            width, lh, clean_text("⚠ " + w), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
    pdf.set_text_color(*_INK)
    shown = card_needs(needs, top=top)
    if len(shown):
        pdf.set_font(_FAMILY, "", size - 0.5)
        with pdf.table(
            col_widths=(6, 86, 10, 10, 10, 20, 14, 30),
            text_align=("RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "CENTER", "CENTER", "LEFT"),
            line_height=lh,
            padding=0.7,
            borders_layout="HORIZONTAL_LINES",
            cell_fill_mode=TableCellFillMode.ROWS,
            cell_fill_color=(246, 247, 249),
            first_row_as_headings=True,
        ) as table:
            table.row(["#", "Outcome", "I", "S", "O", "O 95% interval", "n (I/S)", "Flags"])
            for _, r in shown.iterrows():
                table.row(
                    [
                        str(int(r["rank"])),
                        clean_text(f"{r['outcome']} ({r['outcome_id']})"),
                        _num(r["importance"]),
                        _num(r["satisfaction"]),
                        _num(r["opportunity"]),
                        interval_text(r["opportunity_low"], r["opportunity_high"]),
                        f"{int(r['n_importance'])}/{int(r['n_satisfaction'])}",
                        clean_text(flags_text(r, threshold=needs.threshold, min_n=needs.min_n)),
                    ]
                )
        more = len(needs.table) - len(shown)
        if more > 0:
            pdf.set_font(_FAMILY, "", size - 1)
            pdf.cell(
                0,
                lh + 0.5,
                f"And {more} more in the unmet-needs list.",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                align="L",
            )
    else:
        pdf.set_font(_FAMILY, "", size)
        pdf.cell(
            0,
            lh + 1,
            "No outcome reaches the threshold for this persona's respondents.",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            align="L",
        )

    # Footnotes and provenance.
    pdf.ln(1.5)
    pdf.set_font(_FAMILY, "", size - 1.5)
    pdf.set_text_color(*_MUTED)
    notes = []
    if len(needs.hidden):
        notes.append(
            "Hidden by the team: "
            + "; ".join(f"{h['outcome_id']} ({h['reason']})" for _, h in needs.hidden.iterrows())
        )
    inferred = inferred_notes(p)
    if inferred:
        notes.append(
            "* Inferred, not yet validated: "
            + "; ".join(f"{label}: {note or 'validate'}" for label, note in inferred)
        )
    todo = empty_fields(p)
    if todo:
        notes.append("To research: " + ", ".join(todo) + ".")
    notes += footer_lines(needs, exported=exported, replication=False)
    for line in notes:
        pdf.multi_cell(
            width,
            (size - 1.5) * 0.45,
            clean_text(line),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            align="L",
        )
    pdf.set_text_color(*_INK)


def _attempts(top: int) -> list[tuple[float, int]]:
    """Type sizes and needs shown to try, largest first: shrink the type, then drop needs."""
    out = [(8.0, top), (7.5, top), (7.0, top)]
    for size in (6.5, 6.0):
        out += [
            (size, n) for n in sorted({top, min(top, 6), min(top, 4), min(top, 3)}, reverse=True)
        ]
    return out


def _add_fitted_card(
    doc: FPDF, needs: UnmetNeeds, *, exported: date, top: int, image: bytes
) -> FPDF:
    """``doc`` with the card added on one page, at the largest type and most needs that
    fit (each attempt is drawn on a copy, so a failed one leaves no trace)."""
    attempts = _attempts(top)
    for i, (size, n_top) in enumerate(attempts):
        trial = copy.deepcopy(doc)
        before = trial.page_no()
        _draw_card(trial, needs, exported=exported, size=size, top=n_top, image=image)
        if trial.page_no() - before == 1 or i == len(attempts) - 1:
            return trial
    raise AssertionError("unreachable: the last attempt always returns")


def cards_pdf(needs: Needs, *, exported: date | None = None, top: int = CARD_TOP) -> bytes:
    """Persona cards as one PDF, one A4 page per persona, each with its landscape.

    Each card is fitted to its page: the type shrinks from 8 pt to 6 pt, and only then are
    fewer unmet needs shown (pinned ones are always kept).

    Returns
    -------
    bytes
        The PDF file.
    """
    items: list[UnmetNeeds] = [needs] if isinstance(needs, UnmetNeeds) else list(needs)
    if not items:
        raise ValueError("give at least one persona's unmet needs for a card; got none")
    day = date.today() if exported is None else exported
    title = items[0].persona.name if len(items) == 1 else f"Personas: {items[0].study}"
    with tempfile.TemporaryDirectory(prefix="odi-pdf-") as tmp:
        pdf = _new_pdf([t for n in items for t in _texts(n)], workdir=Path(tmp))
        pdf.set_title(clean_text(f"{title}: persona card"))
        pdf.set_subject(clean_text(f"Study: {items[0].study}"))
        for n in items:
            image = landscape_image(n, dpi=130)
            pdf = _add_fitted_card(pdf, n, exported=day, top=top, image=image)
        return bytes(pdf.output())


def card_pdf(needs: UnmetNeeds, *, exported: date | None = None, top: int = CARD_TOP) -> bytes:
    """One persona card as a one-page PDF with the persona's landscape."""
    return cards_pdf([needs], exported=exported, top=top)
