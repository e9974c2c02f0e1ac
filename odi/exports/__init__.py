"""Exports of personas, unmet needs and scores: CSV, XLSX, Markdown, JSON, HTML, PDF, PPTX.

Every function returns ``bytes`` and carries the study's name, the segment definition,
n, the method and the export date. User text is made safe for each format (see
:mod:`odi.exports.safety`).
"""

from odi.exports.card import card_html, card_markdown, cards_html, cards_markdown
from odi.exports.deck import persona_deck
from odi.exports.landscape import landscape_html
from odi.exports.pdf import card_pdf, cards_pdf
from odi.exports.tables import (
    scores_csv,
    scores_table,
    scores_xlsx,
    unmet_needs_csv,
    unmet_needs_frame,
    unmet_needs_json,
    unmet_needs_markdown,
    unmet_needs_xlsx,
)

__all__ = [
    "card_html",
    "card_markdown",
    "card_pdf",
    "cards_html",
    "cards_markdown",
    "cards_pdf",
    "landscape_html",
    "persona_deck",
    "scores_csv",
    "scores_table",
    "scores_xlsx",
    "unmet_needs_csv",
    "unmet_needs_frame",
    "unmet_needs_json",
    "unmet_needs_markdown",
    "unmet_needs_xlsx",
]
