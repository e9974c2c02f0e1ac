"""Exports of personas, unmet needs and scores: CSV, XLSX, Markdown, JSON, HTML, PDF, PPTX.

Every function returns ``bytes`` and carries the study's name, the segment definition,
n, the method and the export date. User text is made safe for each format (see
:mod:`odi.exports.safety`); every CSV and XLSX goes through :mod:`odi.exports.output`.
:mod:`odi.exports.registry` lists every format with its writer, extension and MIME type.

The writers are imported on first use, so ``import odi.exports`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from odi.exports.card import card_html, card_markdown, cards_html, cards_markdown
    from odi.exports.deck import persona_deck
    from odi.exports.landscape import landscape_html
    from odi.exports.pdf import card_pdf, cards_pdf
    from odi.exports.tables import (
        needs_brief_csv,
        needs_brief_xlsx,
        scores_csv,
        scores_table,
        scores_xlsx,
        unmet_needs_csv,
        unmet_needs_frame,
        unmet_needs_json,
        unmet_needs_markdown,
        unmet_needs_xlsx,
    )

_WHERE = {
    "card_html": "card",
    "card_markdown": "card",
    "cards_html": "card",
    "cards_markdown": "card",
    "persona_deck": "deck",
    "landscape_html": "landscape",
    "card_pdf": "pdf",
    "cards_pdf": "pdf",
    "needs_brief_csv": "tables",
    "needs_brief_xlsx": "tables",
    "scores_csv": "tables",
    "scores_table": "tables",
    "scores_xlsx": "tables",
    "unmet_needs_csv": "tables",
    "unmet_needs_frame": "tables",
    "unmet_needs_json": "tables",
    "unmet_needs_markdown": "tables",
    "unmet_needs_xlsx": "tables",
}

__all__ = [
    "card_html",
    "card_markdown",
    "card_pdf",
    "cards_html",
    "cards_markdown",
    "cards_pdf",
    "landscape_html",
    "needs_brief_csv",
    "needs_brief_xlsx",
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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"odi.exports.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'odi.exports' has no attribute {name!r}")
