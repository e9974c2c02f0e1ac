"""A kickoff deck (PPTX): a title slide, then one slide per persona (python-pptx).

Each persona slide shows the card's essentials (jobs, goals, challenges, triggers,
objections, messaging hook, with inferred fields starred), the persona's landscape
and its top unmet needs with I, S, O and n; the footer carries the study, segment, n
and date, and the speaker notes the method, warnings and validation notes.
"""

from __future__ import annotations

import io
import math
from datetime import date
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from odi.analysis.unmet_needs import UnmetNeeds
from odi.exports.audiences import card_needs
from odi.exports.card import (
    card_sections,
    footer_lines,
    inferred_notes,
    landscape_image,
)
from odi.exports.safety import clean_text
from odi.exports.tables import Needs
from odi.personas import Persona

__all__ = ["DECK_TOP", "persona_deck"]

#: Unmet needs per persona slide (pinned ones are added).
DECK_TOP = 5

# python-pptx is only partly typed; its objects are handled as Any here.
_RGB: Any = RGBColor
_INK = _RGB(0x26, 0x27, 0x30)
_MUTED = _RGB(0x6B, 0x6F, 0x7B)
_ACCENT = _RGB(0xD5, 0x5E, 0x00)
_SLIDE_FIELDS = (
    "functional_job",
    "goals",
    "challenges",
    "trigger_events",
    "objections",
    "messaging_hook",
)


def _text_box(slide: Any, left: float, top: float, width: float, height: float) -> Any:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    box.text_frame.word_wrap = True
    return box.text_frame


def _para(
    frame: Any,
    text: str,
    *,
    size: float,
    bold: bool = False,
    colour: Any = _INK,
    first: bool = False,
    italic: bool = False,
) -> None:
    p = frame.paragraphs[0] if first else frame.add_paragraph()
    run = p.add_run()
    run.text = clean_text(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = colour


def _num(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.1f}"


def _persona_slide(prs: Any, needs: UnmetNeeds, *, exported: date, top: int) -> None:
    p = needs.persona
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _slide_title(slide, p)
    _slide_fields(slide, p)
    slide.shapes.add_picture(
        io.BytesIO(landscape_image(needs, dpi=110)),
        Inches(9.1),
        Inches(0.25),
        height=Inches(4.5),
    )

    _slide_needs(slide, needs, top=top)
    _slide_footer(slide, needs, exported=exported)


def _slide_title(slide: Any, p: Persona) -> None:
    """The name (``*`` if inferred), the negative-persona warning and role, seniority, titles."""
    title = _text_box(slide, 0.4, 0.25, 8.6, 0.7)
    _para(title, p.name + ("*" if p.is_inferred("name") else ""), size=26, bold=True, first=True)
    sub = [
        v
        for v in (p.buying_role.value if p.buying_role else "", p.seniority, ", ".join(p.titles))
        if v
    ]
    if p.negative:
        _para(title, "Negative persona: do not target", size=12, bold=True, colour=_ACCENT)
    if sub:
        _para(title, " · ".join(sub), size=12, colour=_MUTED)


def _slide_fields(slide: Any, p: Persona) -> None:
    """The card fields the slide shows, label in bold, smaller type for longer text."""
    body = _text_box(slide, 0.4, 1.35, 8.5, 3.0)
    first = True
    fields = {f.name: f for s in card_sections(p) for f in s.fields}
    length = sum(len(v) for name in _SLIDE_FIELDS if name in fields for v in fields[name].values)
    size = 12 if length < 500 else 10.5 if length < 800 else 9
    for name in _SLIDE_FIELDS:
        f = fields.get(name)
        if f is None:
            continue
        text = "; ".join(f.values) if f.is_list else f.values[0]
        para = body.paragraphs[0] if first else body.add_paragraph()
        first = False
        label = para.add_run()
        label.text = clean_text(f.label) + ": "
        label.font.size = Pt(size)
        label.font.bold = True
        label.font.color.rgb = _INK
        value = para.add_run()
        value.text = clean_text(text)
        value.font.size = Pt(size)
        value.font.italic = name == "messaging_hook"
        value.font.color.rgb = _INK
    if first:
        _para(body, "Card fields still to research.", size=12, colour=_MUTED, first=True)


def _slide_needs(slide: Any, needs: UnmetNeeds, *, top: int) -> None:
    """The heading and the table of top unmet needs (or a note that none reaches the line)."""
    shown = card_needs(needs, top=top)
    heading = _text_box(slide, 0.4, 4.45, 8.6, 0.35)
    _para(
        heading,
        f"Top unmet needs (opportunity ≥ {needs.threshold:g}) · n = {needs.n_respondents}",
        size=13,
        bold=True,
        first=True,
    )
    if not len(shown):
        _para(
            heading,
            "No outcome reaches the threshold for this persona's respondents.",
            size=11,
            colour=_MUTED,
        )
        return
    rows = len(shown) + 1
    shape = slide.shapes.add_table(
        rows, 6, Inches(0.4), Inches(4.85), Inches(12.5), Inches(0.3 * rows)
    )
    table = shape.table
    widths = (0.4, 8.9, 0.7, 0.7, 0.7, 1.1)
    for i, w in enumerate(widths):
        table.columns[i].width = Emu(int(Inches(w)))
    header = ("#", "Outcome", "I", "S", "O", "n (I/S)")
    for i, h in enumerate(header):
        table.cell(0, i).text = h
    for r, (_, row) in enumerate(shown.iterrows(), start=1):
        marks = []
        if bool(row["pinned"]):
            marks.append("pinned")
        if bool(row["crosses_threshold"]):
            marks.append(f"interval crosses {needs.threshold:g}")
        outcome = f"{row['outcome']} ({row['outcome_id']})"
        if marks:
            outcome += f" [{', '.join(marks)}]"
        values = (
            str(int(row["rank"])),
            outcome,
            _num(row["importance"]),
            _num(row["satisfaction"]),
            _num(row["opportunity"]),
            f"{int(row['n_importance'])}/{int(row['n_satisfaction'])}",
        )
        for c, v in enumerate(values):
            table.cell(r, c).text = clean_text(v)
    for r in range(rows):
        for c in range(6):
            for para in table.cell(r, c).text_frame.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(10)


def _slide_footer(slide: Any, needs: UnmetNeeds, *, exported: date) -> None:
    """The footer line and the speaker notes (method lines, warnings, inferred fields)."""
    p = needs.persona
    foot = _text_box(slide, 0.4, 7.0, 12.5, 0.4)
    lines = footer_lines(needs, exported=exported)
    _para(foot, lines[0] + f" · Exported {exported.isoformat()}", size=8, colour=_MUTED, first=True)

    notes = [*lines, *needs.warnings]
    notes += [f"* Inferred: {label}: {note or 'validate'}" for label, note in inferred_notes(p)]
    slide.notes_slide.notes_text_frame.text = clean_text("\n".join(notes))


def persona_deck(
    needs: Needs, *, exported: date | None = None, top: int = DECK_TOP, title: str = ""
) -> bytes:
    """A PPTX deck: a title slide, then one slide per persona.

    Parameters
    ----------
    needs : UnmetNeeds or sequence of UnmetNeeds
        The personas, in slide order.
    exported : datetime.date, optional
        The export date (today by default).
    top : int
        Unmet needs per slide (pinned ones are added).
    title : str
        The title slide's heading (default: "Buyer personas: <study>").

    Returns
    -------
    bytes
        The PPTX file.
    """
    items: list[UnmetNeeds] = [needs] if isinstance(needs, UnmetNeeds) else list(needs)
    if not items:
        raise ValueError("give at least one persona's unmet needs for the deck; got none")
    day = date.today() if exported is None else exported
    prs = Presentation()
    prs.slide_width = Inches(13.333)
    prs.slide_height = Inches(7.5)
    study = items[0].study or "(unnamed study)"
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = clean_text(title or f"Buyer personas: {study}")
    names = ", ".join(n.persona.name for n in items)
    first.placeholders[1].text = clean_text(
        f"{len(items)} persona(s): {names}\nStudy: {study} · exported {day.isoformat()}\n"
        "Unmet needs scored live from each persona's survey respondents"
    )
    for para in first.placeholders[1].text_frame.paragraphs:
        for run in para.runs:
            run.font.size = Pt(16)
    first.notes_slide.notes_text_frame.text = clean_text(items[0].method)
    prs.core_properties.title = clean_text(title or f"Buyer personas: {study}")[:255]
    for n in items:
        _persona_slide(prs, n, exported=day, top=top)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
