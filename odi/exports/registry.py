"""The one export registry: every format's writer, file extension, MIME type and needs.

The CLI (``python -m odi export --format KEY``) and the app's download buttons both read
:data:`EXPORTS`, so a format is added in one place. Writers are named, not imported, so
reading the registry loads neither matplotlib, fpdf2 nor python-pptx.

Each writer takes one input, by :attr:`ExportFormat.takes`:

- ``"needs"``: a list of :class:`odi.analysis.unmet_needs.UnmetNeeds`, ``exported=``;
- ``"scores"``: a :class:`odi.analysis.scoring.ScoreResult`, ``study=``, ``scale=``,
  ``exported=``;
- ``"landscape"``: a score table and the keywords of :func:`odi.exports.landscape_html`;
- ``"personas"``: a :class:`odi.personas.PersonaSet`.

Examples
--------
>>> fmt = EXPORTS["card-pdf"]
>>> fmt.extension, fmt.mime, fmt.takes, fmt.audience
('.pdf', 'application/pdf', 'needs', 'sales')
>>> fmt.file_name("vp-sales")
'vp-sales-card.pdf'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from odi.personas import PersonaSet, personas_to_json

__all__ = ["EXPORTS", "ExportFormat", "Takes", "export_format", "personas_json"]

Takes = Literal["needs", "scores", "landscape", "personas"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format.

    Attributes
    ----------
    key : str
        The name on the command line (``--format``) and in the app's widget keys.
    label : str
        What the download button says.
    extension : str
        The file extension, with its dot.
    mime : str
        The MIME type of the download.
    takes : {"needs", "scores", "landscape", "personas"}
        What the writer needs (see the module docstring).
    audience : {"sales", "analyst", ""}
        Who it is for; empty for formats meant for both.
    description : str
        One line for ``--help``.
    writer : str
        ``"module:function"`` of the writer, imported on first use.
    stem : str
        The file name after the persona id, e.g. ``"card"`` in ``vp-card.pdf``.
    options : mapping
        Fixed keywords for the writer (e.g. the audience of a card).
    """

    key: str
    label: str
    extension: str
    mime: str
    takes: Takes
    audience: Literal["sales", "analyst", ""]
    description: str
    writer: str
    stem: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def function(self) -> Callable[..., bytes]:
        """The writer, imported now."""
        module, name = self.writer.split(":")
        fn: Callable[..., bytes] = getattr(importlib.import_module(module), name)
        return fn

    def write(self, data: Any, **kwargs: Any) -> bytes:
        """Write ``data`` (see :attr:`takes`) in this format; returns the file's bytes."""
        return self.function()(data, **{**self.options, **kwargs})

    def file_name(self, prefix: str = "") -> str:
        """A file name: ``"<prefix>-<stem><extension>"``, or the stem alone."""
        return f"{prefix}-{self.stem}{self.extension}" if prefix else f"{self.stem}{self.extension}"


def personas_json(personas: PersonaSet, *, exported: date | None = None) -> bytes:
    """Personas and the study's ICP as JSON bytes, for version control (``exported`` is
    not written: the file diffs cleanly)."""
    return personas_to_json(personas).encode("utf-8")


def _fmt(
    key: str,
    label: str,
    ext: str,
    mime: str,
    takes: Takes,
    who: Literal["sales", "analyst", ""],
    description: str,
    writer: str,
    stem: str,
    **options: Any,
) -> tuple[str, ExportFormat]:
    fmt = ExportFormat(key, label, ext, mime, takes, who, description, writer, stem, options)
    return key, fmt


#: Every export format, by key, in the order the app shows them.
EXPORTS: dict[str, ExportFormat] = dict(
    [
        _fmt("card-pdf", "Persona card (PDF)", ".pdf", "application/pdf", "needs", "sales",
             "persona cards for sales and marketing, one A4 page each",
             "odi.exports.pdf:cards_pdf", "card", audience="sales"),
        _fmt("card-html", "Persona card (HTML)", ".html", "text/html", "needs", "sales",
             "persona cards for sales and marketing as print-ready HTML",
             "odi.exports.card:cards_html", "card", audience="sales"),
        _fmt("card-md", "Persona card (Markdown)", ".md", "text/markdown", "needs", "sales",
             "persona cards for sales and marketing as Markdown",
             "odi.exports.card:cards_markdown", "card", audience="sales"),
        _fmt("needs-csv", "Unmet needs list (CSV)", ".csv", "text/csv", "needs", "sales",
             "unmet needs in plain words with why they matter and their strength",
             "odi.exports.tables:needs_brief_csv", "needs"),
        _fmt("needs-xlsx", "Unmet needs list (XLSX)", ".xlsx", _XLSX, "needs", "sales",
             "unmet needs in plain words with why they matter and their strength",
             "odi.exports.tables:needs_brief_xlsx", "needs"),
        _fmt("deck", "Slide deck (PPTX)", ".pptx", _PPTX, "needs", "sales",
             "a kickoff deck: a title slide and one slide per persona",
             "odi.exports.deck:persona_deck", "deck"),
        _fmt("analyst-card-pdf", "Analyst card (PDF)", ".pdf", "application/pdf", "needs",
             "analyst", "persona cards with scores, intervals and n, one A4 page each",
             "odi.exports.pdf:cards_pdf", "analyst-card", audience="analyst"),
        _fmt("analyst-card-html", "Analyst card (HTML)", ".html", "text/html", "needs",
             "analyst", "persona cards with scores, intervals and n as print-ready HTML",
             "odi.exports.card:cards_html", "analyst-card", audience="analyst"),
        _fmt("analyst-card-md", "Analyst card (Markdown)", ".md", "text/markdown", "needs",
             "analyst", "persona cards with scores, intervals and n as Markdown",
             "odi.exports.card:cards_markdown", "analyst-card", audience="analyst"),
        _fmt("unmet-csv", "Unmet needs, full (CSV)", ".csv", "text/csv", "needs", "analyst",
             "unmet-needs lists, one tidy table, unrounded, the method in # lines on top",
             "odi.exports.tables:unmet_needs_csv", "unmet-needs"),
        _fmt("unmet-xlsx", "Unmet needs, full (XLSX)", ".xlsx", _XLSX, "needs", "analyst",
             "unmet-needs lists, one sheet per persona and an About sheet",
             "odi.exports.tables:unmet_needs_xlsx", "unmet-needs"),
        _fmt("unmet-md", "Unmet needs, full (Markdown)", ".md", "text/markdown", "needs",
             "analyst", "unmet-needs lists as Markdown",
             "odi.exports.tables:unmet_needs_markdown", "unmet-needs"),
        _fmt("unmet-json", "Unmet needs, full (JSON)", ".json", "application/json", "needs",
             "analyst", "unmet-needs lists as JSON",
             "odi.exports.tables:unmet_needs_json", "unmet-needs"),
        _fmt("scores-csv", "Scores (CSV)", ".csv", "text/csv", "scores", "analyst",
             "the full score table", "odi.exports.tables:scores_csv", "scores"),
        _fmt("scores-xlsx", "Scores (XLSX)", ".xlsx", _XLSX, "scores", "analyst",
             "the full score table", "odi.exports.tables:scores_xlsx", "scores"),
        _fmt("landscape-html", "Landscape (HTML)", ".html", "text/html", "landscape", "",
             "the interactive landscape, working offline",
             "odi.exports.landscape:landscape_html", "landscape"),
        _fmt("personas-json", "Personas (JSON, for version control)", ".json",
             "application/json", "personas", "",
             "the personas and the study's ICP, to keep in version control",
             "odi.exports.registry:personas_json", "personas"),
    ]
)  # fmt: skip


def export_format(key: str) -> ExportFormat:
    """The format named ``key``.

    Examples
    --------
    >>> export_format("deck").extension
    '.pptx'
    >>> export_format("gif")
    Traceback (most recent call last):
    ...
    ValueError: export format must be one of card-pdf, card-html, ...; got 'gif'
    """
    try:
        return EXPORTS[key]
    except KeyError:
        raise ValueError(
            f"export format must be one of {', '.join(EXPORTS)}; got {key!r}"
        ) from None
