"""The persona card as a one-page PDF, with the persona's landscape (fpdf2 + matplotlib).

No browser is involved: text is laid out by fpdf2 with the DejaVu Sans fonts that ship
with matplotlib (full Latin, Greek, Cyrillic and many symbols), and the landscape is a
matplotlib PNG. Characters DejaVu lacks (emoji, CJK) fall back to a tiny font built on
the fly that maps each of them to a box glyph: the page shows a box, and the PDF's text
layer (copy, search, text extraction) keeps the real character.

A card fills its page: it is drawn at the largest type (10 pt down to 6 pt) that fits
one A4 page, and only then with fewer unmet needs; pinned needs are always kept. Like the
other card formats it speaks to sales (``audience="sales"``, the default) or to
analysts (:mod:`odi.exports.audiences`).
"""

from __future__ import annotations

import copy
import io
import tempfile
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos

from odi.analysis.unmet_needs import UnmetNeeds
from odi.exports.audiences import Audience, CardTable, card_table
from odi.exports.card import (
    CARD_TOP,
    card_sections,
    empty_fields,
    footer_lines,
    inferred_notes,
    landscape_image,
)
from odi.exports.safety import clean_text
from odi.exports.tables import Needs
from odi.personas import Persona

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


class _Layout:
    """Sizes of one drawing attempt: type size, line height and the two columns (mm)."""

    def __init__(self, pdf: FPDF, size: float) -> None:
        self.size = size
        self.lh = size * 0.46
        self.width = pdf.w - pdf.l_margin - pdf.r_margin
        self.right_w = min(84.0, 66.0 * size / 8)  # a larger card, a larger landscape
        self.left_w = self.width - self.right_w - 5
        self.x0 = pdf.l_margin


def _line(pdf: FPDF, width: float, height: float, text: str) -> None:
    pdf.multi_cell(width, height, clean_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def _draw_head(pdf: FPDF, p: Persona, at: _Layout) -> None:
    pdf.set_font(_FAMILY, "B", at.size + 8)
    _line(pdf, at.width, (at.size + 8) * 0.45, p.name + ("*" if p.is_inferred("name") else ""))
    sub = [
        v
        for v in (p.buying_role.value if p.buying_role else "", p.seniority, ", ".join(p.titles))
        if v
    ]
    if p.negative:
        pdf.set_font(_FAMILY, "B", at.size)
        pdf.set_text_color(*_ACCENT)
        _line(pdf, at.width, at.lh + 0.5, "NEGATIVE PERSONA: do not target")
        pdf.set_text_color(*_INK)
    if sub:
        pdf.set_font(_FAMILY, "", at.size)
        pdf.set_text_color(*_MUTED)
        _line(pdf, at.width, at.lh, " · ".join(sub))
        pdf.set_text_color(*_INK)
    pdf.ln(1.5)


def _draw_side(
    pdf: FPDF, needs: UnmetNeeds, at: _Layout, *, image: bytes, audience: Audience
) -> float:
    """The right column (landscape, segment, n); returns its bottom."""
    top_y = pdf.get_y()
    img_h = at.right_w * 5.2 / 4.6
    rx = at.x0 + at.left_w + 5
    pdf.image(io.BytesIO(image), x=rx, y=top_y, w=at.right_w, h=img_h)
    pdf.set_xy(rx, top_y + img_h + 1)
    pdf.set_font(_FAMILY, "", at.size - 1)
    seg = f"Segment: {needs.definition}\nn = {needs.n_respondents} respondents"
    if audience == "analyst" and needs.replication is not None:
        seg += f"\n{needs.replication.summary}"
    pdf.multi_cell(
        at.right_w, at.lh * 0.95, clean_text(seg), new_x=XPos.LEFT, new_y=YPos.NEXT, align="L"
    )
    bottom = pdf.get_y()
    pdf.set_xy(at.x0, top_y)
    return bottom


def _draw_fields(pdf: FPDF, p: Persona, at: _Layout) -> None:
    """The left column: the card's sections."""
    x0, left_w, lh = at.x0, at.left_w, at.lh
    for section in card_sections(p):
        pdf.set_x(x0)
        pdf.set_font(_FAMILY, "B", at.size - 0.5)
        pdf.set_text_color(*_MUTED)
        pdf.cell(left_w, lh + 0.6, section.title.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(*_RULE)
        pdf.line(x0, pdf.get_y(), x0 + left_w, pdf.get_y())
        pdf.set_text_color(*_INK)
        for f in section.fields:
            pdf.set_x(x0)
            pdf.set_font(_FAMILY, "B", at.size)
            label = clean_text(f.label)
            if f.is_list:
                _line(pdf, left_w, lh, label)
                pdf.set_font(_FAMILY, "", at.size)
                for v in f.values:
                    pdf.set_x(x0 + 2)
                    _line(pdf, left_w - 2, lh, "• " + v)
            else:
                pdf.write(lh, label + ": ")
                pdf.set_font(_FAMILY, "", at.size)
                pdf.set_right_margin(pdf.w - x0 - left_w)
                pdf.write(lh, clean_text(f.values[0]))
                pdf.set_right_margin(12)
                pdf.ln(lh)
        pdf.ln(0.8)


def _draw_needs(
    pdf: FPDF, needs: UnmetNeeds, table: CardTable, at: _Layout, *, audience: Audience
) -> None:
    """The unmet-needs table across the page."""
    pdf.set_font(_FAMILY, "B", at.size + 1)
    heading = (
        "Top unmet needs"
        if audience == "sales"
        else f"Unmet needs (opportunity ≥ {needs.threshold:g})"
    )
    pdf.cell(0, at.lh + 1, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    if audience == "analyst":
        pdf.set_font(_FAMILY, "", at.size - 0.5)
        pdf.set_text_color(*_ACCENT)
        for w in needs.warnings:
            _line(pdf, at.width, at.lh, "⚠ " + w)
        pdf.set_text_color(*_INK)
    if not table.rows:
        pdf.set_font(_FAMILY, "", at.size)
        _line(
            pdf,
            at.width,
            at.lh + 1,
            "No outcome reaches the threshold for this persona's respondents.",
        )
        return
    pdf.set_font(_FAMILY, "", at.size - 0.5)
    with pdf.table(
        col_widths=table.widths,
        text_align=tuple("RIGHT" if n else "LEFT" for n in table.numeric),
        line_height=at.lh,
        padding=0.7,
        borders_layout="HORIZONTAL_LINES",
        cell_fill_mode=TableCellFillMode.ROWS,
        cell_fill_color=(246, 247, 249),
        first_row_as_headings=True,
    ) as out:
        out.row(list(table.headers))
        for row in table.rows:
            out.row([clean_text(c) for c in row])
    if table.more > 0:
        pdf.set_font(_FAMILY, "", at.size - 1)
        _line(pdf, at.width, at.lh + 0.5, f"And {table.more} more in the unmet-needs list.")


def _draw_notes(
    pdf: FPDF, needs: UnmetNeeds, at: _Layout, *, exported: date, audience: Audience
) -> None:
    """Footnotes and provenance."""
    pdf.ln(1.5)
    size = at.size - 1.5
    pdf.set_font(_FAMILY, "", size)
    pdf.set_text_color(*_MUTED)
    notes = []
    if len(needs.hidden):
        notes.append(
            "Hidden by the team: "
            + "; ".join(f"{h['outcome_id']} ({h['reason']})" for _, h in needs.hidden.iterrows())
        )
    inferred = inferred_notes(needs.persona)
    if inferred:
        notes.append(
            "* Inferred, not yet validated: "
            + "; ".join(f"{label}: {note or 'validate'}" for label, note in inferred)
        )
    todo = empty_fields(needs.persona)
    if todo:
        notes.append("To research: " + ", ".join(todo) + ".")
    notes += footer_lines(needs, exported=exported, audience=audience, replication=False)
    for line in notes:
        _line(pdf, at.width, size * 0.45, line)
    pdf.set_text_color(*_INK)


def _draw_card(
    pdf: FPDF,
    needs: UnmetNeeds,
    *,
    exported: date,
    size: float,
    top: int,
    image: bytes,
    audience: Audience,
) -> None:
    pdf.add_page()
    at = _Layout(pdf, size)
    _draw_head(pdf, needs.persona, at)
    side_bottom = _draw_side(pdf, needs, at, image=image, audience=audience)
    _draw_fields(pdf, needs.persona, at)
    pdf.set_xy(at.x0, max(pdf.get_y(), side_bottom) + 2)
    table = card_table(needs, audience=audience, top=top)
    _draw_needs(pdf, needs, table, at, audience=audience)
    _draw_notes(pdf, needs, at, exported=exported, audience=audience)


def _attempts(top: int) -> list[tuple[float, int]]:
    """Type sizes and needs shown to try, largest first: shrink the type, then drop needs."""
    out = [(10.0, top), (9.5, top), (9.0, top), (8.5, top), (8.0, top), (7.5, top), (7.0, top)]
    for size in (6.5, 6.0):
        out += [
            (size, n) for n in sorted({top, min(top, 6), min(top, 4), min(top, 3)}, reverse=True)
        ]
    return out


def _add_fitted_card(
    doc: FPDF, needs: UnmetNeeds, *, exported: date, top: int, image: bytes, audience: Audience
) -> FPDF:
    """``doc`` with the card added on one page, at the largest type and most needs that
    fit (each attempt is drawn on a copy, so a failed one leaves no trace)."""
    attempts = _attempts(top)
    for i, (size, n_top) in enumerate(attempts):
        trial = copy.deepcopy(doc)
        before = trial.page_no()
        _draw_card(
            trial, needs, exported=exported, size=size, top=n_top, image=image, audience=audience
        )
        if trial.page_no() - before == 1 or i == len(attempts) - 1:
            return trial
    raise AssertionError("unreachable: the last attempt always returns")


def cards_pdf(
    needs: Needs,
    *,
    exported: date | None = None,
    top: int = CARD_TOP,
    audience: Audience = "sales",
) -> bytes:
    """Persona cards as one PDF, one A4 page per persona, each with its landscape.

    Each card fills its page: the largest type from 10 pt down to 6 pt that fits, and only
    then fewer unmet needs (pinned ones are always kept).

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
            pdf = _add_fitted_card(pdf, n, exported=day, top=top, image=image, audience=audience)
        return bytes(pdf.output())


def card_pdf(
    needs: UnmetNeeds,
    *,
    exported: date | None = None,
    top: int = CARD_TOP,
    audience: Audience = "sales",
) -> bytes:
    """One persona card as a one-page PDF with the persona's landscape."""
    return cards_pdf([needs], exported=exported, top=top, audience=audience)
