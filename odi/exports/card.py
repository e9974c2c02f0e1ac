"""The one-page persona card as Markdown and as standalone, print-ready HTML.

The card shows the persona's fields by section, marks inferred fields with an asterisk
and lists their validation notes, and fills its *unmet needs* from the survey: the top
outcomes of the persona's segment with importance, satisfaction, opportunity, its
interval and n. A footer carries the study, the segment definition, n, the method and
the export date.

:func:`card_sections` and :func:`card_needs` are the content every card format (also
the PDF and the deck) is drawn from.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from odi.analysis.unmet_needs import UnmetNeeds
from odi.charts.static import landscape_png
from odi.exports.safety import html_text, md_text
from odi.exports.tables import Needs, flags_text
from odi.personas import FIELD_LABELS, Persona

__all__ = [
    "CARD_TOP",
    "CardField",
    "CardSection",
    "card_html",
    "card_markdown",
    "card_needs",
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


def card_needs(needs: UnmetNeeds, *, top: int = CARD_TOP) -> pd.DataFrame:
    """The unmet needs a card shows: the top ``top`` plus every pinned one, ranked."""
    t = needs.table
    keep = (t["rank"] <= top) | t["pinned"]
    return t.loc[keep].reset_index(drop=True)


def _num(value: float, digits: int = 1) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def interval_text(low: float, high: float) -> str:
    """An interval for display, e.g. ``'9.8–14.1'``; a dash when unknown."""
    if math.isnan(low) or math.isnan(high):
        return "–"
    return f"{low:.1f}–{high:.1f}"


def footer_lines(needs: UnmetNeeds, *, exported: date, replication: bool = True) -> list[str]:
    """The provenance lines every card ends with (plain text, not escaped); the
    replication line is left out for layouts that show it elsewhere."""
    p = needs.persona
    reviewed = p.last_reviewed.isoformat() if p.last_reviewed else "never"
    lines = [
        f"Study: {needs.study or '(unnamed)'} · Segment: {needs.definition} · "
        f"n = {needs.n_respondents} respondents",
        f"Exported {exported.isoformat()} · Persona last reviewed: {reviewed} · id {p.id}",
        f"Method: {needs.method}",
    ]
    if replication and needs.replication is not None:
        lines.insert(1, f"Replication: {needs.replication.summary}")
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


def _card_md(needs: UnmetNeeds, *, exported: date, top: int) -> list[str]:
    p = needs.persona
    star = "\\*" if p.is_inferred("name") else ""
    lines = [f"# {md_text(p.name)}{star}", ""]
    if p.negative:
        lines += ["**Negative persona:** a profile we do not want to win.", ""]
    for section in card_sections(p):
        lines += [f"## {section.title}", ""]
        for f in section.fields:
            label = md_text(f.label)
            if f.is_list:
                lines += [f"**{label}**", "", *(f"- {md_text(v)}" for v in f.values), ""]
            else:
                lines += [f"**{label}:** {md_text(f.values[0])}", ""]
    lines += [f"## Unmet needs (opportunity ≥ {needs.threshold:g})", ""]
    for w in needs.warnings:
        lines += [f"> Warning: {md_text(w)}", ""]
    shown = card_needs(needs, top=top)
    if len(shown):
        lines.append("| # | Outcome | I | S | O (95% interval) | n | Flags |")
        lines.append("| ---: | --- | ---: | ---: | --- | ---: | --- |")
        for _, r in shown.iterrows():
            n = f"{int(r['n_importance'])}/{int(r['n_satisfaction'])}"
            flags = flags_text(r, threshold=needs.threshold, min_n=needs.min_n)
            ci = interval_text(r["opportunity_low"], r["opportunity_high"])
            lines.append(
                f"| {int(r['rank'])} | {md_text(r['outcome'])} ({md_text(r['outcome_id'])}) | "
                f"{_num(r['importance'])} | {_num(r['satisfaction'])} | "
                f"{_num(r['opportunity'])} ({ci}) | {n} | {md_text(flags)} |"
            )
        more = len(needs.table) - len(shown)
        if more > 0:
            lines += ["", f"And {more} more in the unmet-needs list."]
    else:
        lines.append("No outcome reaches the threshold for this persona's respondents.")
    lines.append("")
    if len(needs.hidden):
        hidden = "; ".join(
            f"{md_text(h['outcome_id'])} ({md_text(h['reason'])})"
            for _, h in needs.hidden.iterrows()
        )
        lines.append(f"Hidden by the team: {hidden}")
        lines.append("")
    notes = inferred_notes(p)
    if notes:
        lines += ["\\* Inferred, not yet validated by research:", ""]
        lines += [f"- {md_text(label)}: {md_text(note) or 'validate'}" for label, note in notes]
        lines.append("")
    todo = empty_fields(p)
    if todo:
        lines += [f"To research: {md_text(', '.join(todo))}.", ""]
    lines += ["---", ""]
    lines += [md_text(line) + "  " for line in footer_lines(needs, exported=exported)]
    return lines


def card_markdown(needs: UnmetNeeds, *, exported: date | None = None, top: int = CARD_TOP) -> bytes:
    """One persona card as Markdown (UTF-8 bytes)."""
    return cards_markdown([needs], exported=exported, top=top)


def cards_markdown(needs: Needs, *, exported: date | None = None, top: int = CARD_TOP) -> bytes:
    """Several persona cards as one Markdown document, separated by rules."""
    day = _day(exported)
    blocks = ["\n".join(_card_md(n, exported=day, top=top)).rstrip() for n in _items(needs)]
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


def _card_html(needs: UnmetNeeds, *, exported: date, top: int, image: bool) -> str:
    p = needs.persona
    star = '<span class="star">*</span>' if p.is_inferred("name") else ""
    parts = ['<article class="card">', f"<h1>{html_text(p.name)}{star}</h1>"]
    sub = [
        v
        for v in (p.buying_role.value if p.buying_role else "", p.seniority, ", ".join(p.titles))
        if v
    ]
    if p.negative:
        parts.append('<p><span class="negative">Negative persona: do not target</span></p>')
    if sub:
        parts.append(f'<p class="sub">{html_text(" · ".join(sub))}</p>')
    parts.append('<div class="top"><div>')
    for section in card_sections(p):
        parts.append(f"<h2>{html_text(section.title)}</h2>")
        parts += [_html_field(f) for f in section.fields]
    parts.append("</div><div>")
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
    if needs.replication is not None:
        summary = html_text(needs.replication.summary)
        parts.append(f'<p class="seg"><b>Replication:</b> {summary}</p>')
    parts.append("</div></div>")
    parts.append(f"<h2>Unmet needs (opportunity ≥ {needs.threshold:g})</h2>")
    for w in needs.warnings:
        parts.append(f'<p class="warn">⚠ {html_text(w)}</p>')
    shown = card_needs(needs, top=top)
    if len(shown):
        parts.append(
            '<table><thead><tr><th class="num">#</th><th>Outcome</th><th class="num">I</th>'
            '<th class="num">S</th><th class="num">O</th><th class="num">95% interval</th>'
            '<th class="num">n (I/S)</th><th>Flags</th></tr></thead><tbody>'
        )
        for _, r in shown.iterrows():
            flags = flags_text(r, threshold=needs.threshold, min_n=needs.min_n)
            parts.append(
                f'<tr><td class="num">{int(r["rank"])}</td>'
                f"<td>{html_text(r['outcome'])} <small>({html_text(r['outcome_id'])})</small></td>"
                f'<td class="num">{_num(r["importance"])}</td>'
                f'<td class="num">{_num(r["satisfaction"])}</td>'
                f'<td class="num"><b>{_num(r["opportunity"])}</b></td>'
                f'<td class="num">{interval_text(r["opportunity_low"], r["opportunity_high"])}</td>'
                f'<td class="num">{int(r["n_importance"])}/{int(r["n_satisfaction"])}</td>'
                f"<td>{html_text(flags)}</td></tr>"
            )
        parts.append("</tbody></table>")
        more = len(needs.table) - len(shown)
        if more > 0:
            parts.append(f'<p class="seg">And {more} more in the unmet-needs list.</p>')
    else:
        parts.append("<p>No outcome reaches the threshold for this persona's respondents.</p>")
    if len(needs.hidden):
        hidden = "; ".join(
            f"{html_text(h['outcome_id'])} ({html_text(h['reason'])})"
            for _, h in needs.hidden.iterrows()
        )
        parts.append(f'<p class="seg"><b>Hidden by the team:</b> {hidden}</p>')
    parts.append('<div class="foot">')
    notes = inferred_notes(p)
    if notes:
        parts.append(
            '<p><span class="star">*</span> Inferred, not yet validated: '
            + "; ".join(f"{html_text(lbl)}: {html_text(note or 'validate')}" for lbl, note in notes)
            + "</p>"
        )
    todo = empty_fields(p)
    if todo:
        parts.append(f"<p>To research: {html_text(', '.join(todo))}.</p>")
    foot = footer_lines(needs, exported=exported, replication=False)
    parts += [f"<p>{html_text(line)}</p>" for line in foot]
    parts.append("</div></article>")
    return "\n".join(parts)


def cards_html(
    needs: Needs, *, exported: date | None = None, top: int = CARD_TOP, image: bool = True
) -> bytes:
    """Persona cards as one standalone HTML page (UTF-8 bytes), one card per printed page.

    The CSS is inline, the landscape image is embedded as a data URI, and all user text
    is escaped; the page needs no network and prints one A4 page per card.
    """
    items = _items(needs)
    day = _day(exported)
    title = items[0].persona.name if len(items) == 1 else f"Personas: {items[0].study}"
    body = "\n".join(_card_html(n, exported=day, top=top, image=image) for n in items)
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(title)}: persona card</title>\n<style>{_CSS}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def card_html(
    needs: UnmetNeeds, *, exported: date | None = None, top: int = CARD_TOP, image: bool = True
) -> bytes:
    """One persona card as standalone, print-ready HTML (UTF-8 bytes)."""
    return cards_html([needs], exported=exported, top=top, image=image)
