"""The one-page persona card as Markdown and as standalone, print-ready HTML.

The card shows the persona's fields by section, marks inferred fields with an asterisk
and lists their validation notes, and fills its *unmet needs* from the survey: the top
outcomes of the persona's segment. Two audiences (:mod:`odi.exports.audiences`):

- ``audience="sales"`` (the default): each need in plain words, why it matters and a
  strength marker; the footer names the study, the segment, n and the date.
- ``audience="analyst"``: importance, satisfaction, opportunity, its interval and n; the
  footer adds the split-half check and the method.

:func:`card_sections` and :func:`odi.exports.audiences.card_table` are the content every
card format (also the PDF) is drawn from.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from odi.analysis.unmet_needs import UnmetNeeds
from odi.charts.static import landscape_png
from odi.exports.audiences import STRENGTH_NOTE, Audience, CardTable, card_table
from odi.exports.safety import html_text, md_text
from odi.exports.tables import Needs
from odi.personas import FIELD_LABELS, Persona

__all__ = [
    "CARD_TOP",
    "CardField",
    "CardSection",
    "card_html",
    "card_markdown",
    "card_sections",
    "cards_html",
    "cards_markdown",
    "footer_lines",
    "landscape_image",
]

#: Unmet needs shown on a card by default (pinned ones are always added).
CARD_TOP = 8

_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Identity and context", ("titles", "seniority", "reporting_line", "context")),
    ("Jobs to be done", ("functional_job", "emotional_job", "social_job")),
    ("Goals and challenges", ("goals", "challenges")),
    (
        "Buying",
        ("trigger_events", "buying_role", "buying_process", "objections", "information_sources"),
    ),
    ("Messaging", ("messaging_hook",)),
)


@dataclass(frozen=True, slots=True)
class CardField:
    """One filled field of a card.

    Attributes
    ----------
    name : str
        The field (a key of :data:`odi.personas.FIELD_LABELS`).
    label : str
        Its display label, with ``*`` appended when inferred.
    values : tuple of str
        One item for a text field, several for a list field.
    is_list : bool
    inferred : bool
    note : str
        The validation note of an inferred field.
    """

    name: str
    label: str
    values: tuple[str, ...]
    is_list: bool
    inferred: bool
    note: str


@dataclass(frozen=True, slots=True)
class CardSection:
    """A titled group of filled fields."""

    title: str
    fields: tuple[CardField, ...]


def _field(persona: Persona, name: str) -> CardField | None:
    value = getattr(persona, name)
    if name == "buying_role":
        values: tuple[str, ...] = () if value is None else (value.value,)
        is_list = False
    elif isinstance(value, tuple):
        values = tuple(v for v in value if v.strip())
        is_list = True
    else:
        values = (value,) if value.strip() else ()
        is_list = False
    if not values:
        return None
    inferred = persona.is_inferred(name)
    label = FIELD_LABELS[name] + ("*" if inferred else "")
    return CardField(name, label, values, is_list, inferred, persona.inferred.get(name, ""))


def card_sections(persona: Persona) -> list[CardSection]:
    """The card's filled fields by section; empty fields and sections are left out.

    Examples
    --------
    >>> p = Persona(id="p", name="P", goals=("Hit target",), inferred={"goals": "ask 5 VPs"})
    >>> [(s.title, [f.label for f in s.fields]) for s in card_sections(p)]
    [('Goals and challenges', ['Goals (top 3)*'])]
    """
    out = []
    for title, names in _SECTIONS:
        fields = tuple(f for f in (_field(persona, n) for n in names) if f is not None)
        if fields:
            out.append(CardSection(title, fields))
    return out


def empty_fields(persona: Persona) -> list[str]:
    """Labels of the card fields still to research."""
    names = [n for _, group in _SECTIONS for n in group]
    return [FIELD_LABELS[n] for n in names if _field(persona, n) is None]


def inferred_notes(persona: Persona) -> list[tuple[str, str]]:
    """(label, note) of every inferred field, in card order."""
    return [(FIELD_LABELS[k], v) for k, v in persona.inferred.items()]


def footer_lines(
    needs: UnmetNeeds, *, exported: date, audience: Audience = "analyst", replication: bool = True
) -> list[str]:
    """The provenance lines every card ends with (plain text, not escaped).

    Analysts get the study, segment, n, the split-half check (unless ``replication`` is
    off, for layouts that show it elsewhere), the date and the method; sales the study,
    who was asked, the date and what the strength marker means.
    """
    p = needs.persona
    reviewed = p.last_reviewed.isoformat() if p.last_reviewed else "never"
    if audience == "sales":
        return [
            f"Source: {needs.study or 'our survey'}: {needs.n_respondents} respondents "
            f"({needs.definition}) · Exported {exported.isoformat()} · Persona last reviewed: "
            f"{reviewed}",
            STRENGTH_NOTE,
        ]
    lines = [
        f"Study: {needs.study or '(unnamed)'} · Segment: {needs.definition} · "
        f"n = {needs.n_respondents} respondents",
        f"Exported {exported.isoformat()} · Persona last reviewed: {reviewed} · id {p.id}",
        f"Method: {needs.method}",
    ]
    if replication and needs.replication is not None:
        lines.insert(1, needs.replication.summary)
    return lines


def landscape_image(needs: UnmetNeeds, *, dpi: int = 150) -> bytes:
    """The persona's landscape as PNG bytes (pins ringed, top needs labelled)."""
    return landscape_png(
        needs.scores,
        highlight=needs.persona.pins,
        label_top=CARD_TOP,
        dpi=dpi,
        title=f"Opportunity landscape (n = {needs.n_respondents})",
    )


def _day(exported: date | None) -> date:
    return date.today() if exported is None else exported


def _items(needs: Needs) -> list[UnmetNeeds]:
    items: list[UnmetNeeds] = [needs] if isinstance(needs, UnmetNeeds) else list(needs)
    if not items:
        raise ValueError("give at least one persona's unmet needs for a card; got none")
    return items


# -- Markdown ----------------------------------------------------------------------------


def _needs_heading(needs: UnmetNeeds, audience: Audience) -> str:
    if audience == "sales":
        return "Top unmet needs"
    return f"Unmet needs (opportunity ≥ {needs.threshold:g})"


def _more_text(table: CardTable) -> str:
    return f"And {table.more} more in the unmet-needs list." if table.more > 0 else ""


def _md_fields(p: Persona) -> list[str]:
    lines: list[str] = []
    for section in card_sections(p):
        lines += [f"## {section.title}", ""]
        for f in section.fields:
            label = md_text(f.label)
            if f.is_list:
                lines += [f"**{label}**", "", *(f"- {md_text(v)}" for v in f.values), ""]
            else:
                lines += [f"**{label}:** {md_text(f.values[0])}", ""]
    return lines


def _md_needs(needs: UnmetNeeds, table: CardTable, audience: Audience) -> list[str]:
    lines = [f"## {_needs_heading(needs, audience)}", ""]
    if audience == "analyst":
        lines += [line for w in needs.warnings for line in (f"> Warning: {md_text(w)}", "")]
    if not table.rows:
        return [*lines, "No outcome reaches the threshold for this persona's respondents.", ""]
    lines.append("| " + " | ".join(table.headers) + " |")
    lines.append("| " + " | ".join("---:" if n else "---" for n in table.numeric) + " |")
    lines += ["| " + " | ".join(md_text(c) for c in row) + " |" for row in table.rows]
    if table.more > 0:
        lines += ["", _more_text(table)]
    return [*lines, ""]


def _md_notes(needs: UnmetNeeds) -> list[str]:
    lines = []
    if len(needs.hidden):
        hidden = "; ".join(
            f"{md_text(h['outcome_id'])} ({md_text(h['reason'])})"
            for _, h in needs.hidden.iterrows()
        )
        lines += [f"Hidden by the team: {hidden}", ""]
    notes = inferred_notes(needs.persona)
    if notes:
        lines += ["\\* Inferred, not yet validated by research:", ""]
        lines += [f"- {md_text(label)}: {md_text(note) or 'validate'}" for label, note in notes]
        lines.append("")
    todo = empty_fields(needs.persona)
    if todo:
        lines += [f"To research: {md_text(', '.join(todo))}.", ""]
    return lines


def _card_md(needs: UnmetNeeds, *, exported: date, top: int, audience: Audience) -> list[str]:
    p = needs.persona
    star = "\\*" if p.is_inferred("name") else ""
    lines = [f"# {md_text(p.name)}{star}", ""]
    if p.negative:
        lines += ["**Negative persona:** a profile we do not want to win.", ""]
    lines += _md_fields(p)
    lines += _md_needs(needs, card_table(needs, audience=audience, top=top), audience)
    lines += _md_notes(needs)
    lines += ["---", ""]
    foot = footer_lines(needs, exported=exported, audience=audience)
    return lines + [md_text(line) + "  " for line in foot]


def card_markdown(
    needs: UnmetNeeds,
    *,
    exported: date | None = None,
    top: int = CARD_TOP,
    audience: Audience = "sales",
) -> bytes:
    """One persona card as Markdown (UTF-8 bytes), for ``audience`` (sales or analyst)."""
    return cards_markdown([needs], exported=exported, top=top, audience=audience)


def cards_markdown(
    needs: Needs,
    *,
    exported: date | None = None,
    top: int = CARD_TOP,
    audience: Audience = "sales",
) -> bytes:
    """Several persona cards as one Markdown document, separated by rules."""
    day = _day(exported)
    blocks = [
        "\n".join(_card_md(n, exported=day, top=top, audience=audience)).rstrip()
        for n in _items(needs)
    ]
    return ("\n\n---\n\n".join(blocks) + "\n").encode("utf-8")


# -- HTML --------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #F3F4F6; color: #262730;
  font: 9.5pt/1.32 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
.card { background: #fff; width: 190mm; margin: 8mm auto; padding: 8mm 9mm;
  box-shadow: 0 1px 4px rgba(0,0,0,.15); break-after: page; page-break-after: always; }
.card:last-child { break-after: auto; page-break-after: auto; }
h1 { font-size: 16pt; line-height: 1.15; margin: 0 0 1mm; overflow-wrap: anywhere; }
h2 { font-size: 8.5pt; text-transform: uppercase; letter-spacing: .04em; color: #6B6F7B;
  margin: 2.2mm 0 .8mm; border-bottom: 1px solid #E6E8EC; }
.sub { color: #6B6F7B; margin: 0 0 1.5mm; }
.negative { display: inline-block; background: #D55E00; color: #fff; font-weight: bold;
  padding: .4mm 2mm; border-radius: 1mm; font-size: 8.5pt; margin: 0 0 1mm; }
.top { display: grid; grid-template-columns: 1fr 64mm; gap: 5mm; }
.top img { width: 64mm; height: auto; display: block; }
.field { margin: .6mm 0; overflow-wrap: anywhere; }
.field b { font-weight: bold; }
ul { margin: .2mm 0 .4mm 4.5mm; padding: 0; } li { margin: 0; }
.hook { font-style: italic; border-left: 3px solid #E69F00; padding-left: 2mm; }
.seg { font-size: 8.5pt; color: #444; margin: 1mm 0; overflow-wrap: anywhere; }
.warn { color: #8A3B00; font-size: 8.5pt; margin: .5mm 0; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin-top: .5mm; }
th, td { border-bottom: 1px solid #E6E8EC; padding: .6mm 1mm; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; white-space: nowrap; }
.foot { margin-top: 2mm; padding-top: 1mm; border-top: 1px solid #C9CCD3; color: #6B6F7B;
  font-size: 7pt; line-height: 1.25; }
.foot p { margin: .2mm 0; }
.star { color: #D55E00; }
.why { color: #444; }
.strength { white-space: nowrap; color: #8A3B00; }
@media print {
  body { background: #fff; font-size: 7.5pt; line-height: 1.22; }
  .card { margin: 0; box-shadow: none; width: auto; padding: 0; }
  h1 { font-size: 14pt; }
  h2 { font-size: 7.5pt; margin: 1.6mm 0 .6mm; }
  .top { grid-template-columns: 1fr 60mm; }
  .top img { width: 60mm; }
  .seg, .warn { font-size: 7.5pt; }
  table { font-size: 7pt; }
  .foot { font-size: 6.5pt; }
  table, .top { break-inside: avoid; }
}
"""


def _html_label(f: CardField) -> str:
    label = html_text(f.label.rstrip("*"))
    if f.inferred:
        label += '<span class="star" title="inferred: validate">*</span>'
    return label


def _html_field(f: CardField) -> str:
    if f.is_list:
        items = "".join(f"<li>{html_text(v)}</li>" for v in f.values)
        return f'<div class="field"><b>{_html_label(f)}</b><ul>{items}</ul></div>'
    value = html_text(f.values[0])
    if f.name == "messaging_hook":
        return f'<div class="field"><b>{_html_label(f)}</b><div class="hook">{value}</div></div>'
    return f'<div class="field"><b>{_html_label(f)}:</b> {value}</div>'


def _html_head(p: Persona) -> list[str]:
    star = '<span class="star">*</span>' if p.is_inferred("name") else ""
    parts = [f"<h1>{html_text(p.name)}{star}</h1>"]
    sub = [
        v
        for v in (p.buying_role.value if p.buying_role else "", p.seniority, ", ".join(p.titles))
        if v
    ]
    if p.negative:
        parts.append('<p><span class="negative">Negative persona: do not target</span></p>')
    if sub:
        parts.append(f'<p class="sub">{html_text(" · ".join(sub))}</p>')
    return parts


def _html_side(needs: UnmetNeeds, *, image: bool, audience: Audience) -> list[str]:
    parts = []
    if image:
        png = base64.b64encode(landscape_image(needs)).decode("ascii")
        parts.append(
            f'<img alt="Opportunity landscape of this persona\'s respondents" '
            f'src="data:image/png;base64,{png}">'
        )
    parts.append(
        f'<p class="seg"><b>Segment:</b> {html_text(needs.definition)}<br>'
        f"<b>n</b> = {needs.n_respondents} respondents</p>"
    )
    if audience == "analyst" and needs.replication is not None:
        summary = html_text(needs.replication.summary)
        parts.append(f'<p class="seg">{summary}</p>')
    return parts


_CELL_CLASS = {"Why it matters": ' class="why"', "Strength": ' class="strength"'}


def _html_table(needs: UnmetNeeds, table: CardTable, audience: Audience) -> list[str]:
    parts = [f"<h2>{html_text(_needs_heading(needs, audience))}</h2>"]
    if audience == "analyst":
        parts += [f'<p class="warn">⚠ {html_text(w)}</p>' for w in needs.warnings]
    if not table.rows:
        return [*parts, "<p>No outcome reaches the threshold for this persona's respondents.</p>"]
    classes = [
        ' class="num"' if num else _CELL_CLASS.get(h, "")
        for h, num in zip(table.headers, table.numeric, strict=True)
    ]
    head = "".join(
        f"<th{c}>{html_text(h)}</th>" for h, c in zip(table.headers, classes, strict=True)
    )
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
    for row in table.rows:
        cells = "".join(f"<td{c}>{html_text(v)}</td>" for v, c in zip(row, classes, strict=True))
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    if table.more > 0:
        parts.append(f'<p class="seg">{_more_text(table)}</p>')
    return parts


def _html_foot(needs: UnmetNeeds, *, exported: date, audience: Audience) -> list[str]:
    parts = []
    if len(needs.hidden):
        hidden = "; ".join(
            f"{html_text(h['outcome_id'])} ({html_text(h['reason'])})"
            for _, h in needs.hidden.iterrows()
        )
        parts.append(f'<p class="seg"><b>Hidden by the team:</b> {hidden}</p>')
    parts.append('<div class="foot">')
    notes = inferred_notes(needs.persona)
    if notes:
        parts.append(
            '<p><span class="star">*</span> Inferred, not yet validated: '
            + "; ".join(f"{html_text(lbl)}: {html_text(note or 'validate')}" for lbl, note in notes)
            + "</p>"
        )
    todo = empty_fields(needs.persona)
    if todo:
        parts.append(f"<p>To research: {html_text(', '.join(todo))}.</p>")
    foot = footer_lines(needs, exported=exported, audience=audience, replication=False)
    parts += [f"<p>{html_text(line)}</p>" for line in foot]
    return [*parts, "</div>"]


def _card_html(
    needs: UnmetNeeds, *, exported: date, top: int, image: bool, audience: Audience
) -> str:
    parts = ['<article class="card">', *_html_head(needs.persona), '<div class="top"><div>']
    for section in card_sections(needs.persona):
        parts.append(f"<h2>{html_text(section.title)}</h2>")
        parts += [_html_field(f) for f in section.fields]
    parts.append("</div><div>")
    parts += _html_side(needs, image=image, audience=audience)
    parts.append("</div></div>")
    parts += _html_table(needs, card_table(needs, audience=audience, top=top), audience)
    parts += _html_foot(needs, exported=exported, audience=audience)
    parts.append("</article>")
    return "\n".join(parts)


def cards_html(
    needs: Needs,
    *,
    exported: date | None = None,
    top: int = CARD_TOP,
    image: bool = True,
    audience: Audience = "sales",
) -> bytes:
    """Persona cards as one standalone HTML page (UTF-8 bytes), one card per printed page.

    The CSS is inline, the landscape image is embedded as a data URI, and all user text
    is escaped; the page needs no network and prints one A4 page per card.
    """
    items = _items(needs)
    day = _day(exported)
    title = items[0].persona.name if len(items) == 1 else f"Personas: {items[0].study}"
    body = "\n".join(
        _card_html(n, exported=day, top=top, image=image, audience=audience) for n in items
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(title)}: persona card</title>\n<style>{_CSS}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def card_html(
    needs: UnmetNeeds,
    *,
    exported: date | None = None,
    top: int = CARD_TOP,
    image: bool = True,
    audience: Audience = "sales",
) -> bytes:
    """One persona card as standalone, print-ready HTML (UTF-8 bytes)."""
    return cards_html([needs], exported=exported, top=top, image=image, audience=audience)
