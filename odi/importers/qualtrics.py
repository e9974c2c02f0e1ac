"""Qualtrics exports: the current 3-header-row CSV/TSV/XLSX and the legacy V1..V10 CSV.

Row 1 holds column ids (export tags), row 2 the question text (``question -
statement`` for matrix rows), row 3 a JSON ImportId per column. Columns are grouped
into questions by their ImportId (``QID12_3`` is statement 3 of question QID12;
``QID22#1_3`` is statement 3 of column set 1 of a side-by-side question), never by
position or by row-1 names, which Qualtrics lets authors repeat. Row 3 is parsed
tolerantly: valid JSON, Python-style single quotes, or the unescaped quotes some
tools write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from odi.importers.columns import ColumnSpec
from odi.importers.pairing import Candidate
from odi.importers.parsed import (
    ID_NAMES,
    Parsed,
    answers_in_words,
    attribute_name,
    finish,
    from_table,
    meta_kind,
)
from odi.importers.plain import normalise_name
from odi.importers.tabular import Table
from odi.importers.text import (
    clean_text,
    split_question,
    statement_from_question,
)
from odi.limits import DEFAULT_LIMITS, json_depth

__all__ = ["is_import_id_row", "parse_import_id", "parse_qualtrics"]

_IMPORT_META: dict[str, str] = {
    "startDate": "start",
    "endDate": "end",
    "status": "status",
    "ipAddress": "info",
    "progress": "progress",
    "duration": "duration",
    "finished": "finished",
    "recordedDate": "info",
    "recipientLastName": "info",
    "recipientFirstName": "info",
    "recipientEmail": "email",
    "externalDataReference": "info",
    "locationLatitude": "info",
    "locationLongitude": "info",
    "distributionChannel": "channel",
    "userLanguage": "info",
}
_IMPORT_ID = re.compile(r"""ImportId['"]*\s*:\s*['"]*([^'",}]+)""")
_CHOICE_ID = re.compile(r"""choiceId['"]*\s*:\s*['"]*([^'",}]+)""")
_QID = re.compile(r"^(?:(?P<loop>\d+)_)?(?P<qid>QID\d+)(?:#(?P<set>\d+))?(?:[_-](?P<rest>.+))?$")
_TAG = re.compile(r"^(?P<q>.+?)(?:#(?P<set>\d+))?_(?P<k>-?\d+)$")
_NUMERIC = re.compile(r"^-?\d+$")
_TIMING = re.compile(r"_(?:First Click|Last Click|Page Submit|Click Count)$", re.IGNORECASE)
_META_INFO = re.compile(r"_(?:Browser|Version|Operating System|Resolution)$", re.IGNORECASE)
_TEXT_IQ = re.compile(
    r" - (?:Parent Topics|Topics|Sentiment Polarity|Sentiment Score|Sentiment|"
    r"Topic Sentiment Label|Topic Sentiment Score|Topic Hierarchy Level \d+)$",
    re.IGNORECASE,
)


def parse_import_id(cell: str) -> tuple[str, str]:
    """``(ImportId, choiceId)`` from a row-3 cell, however it is quoted.

    Examples
    --------
    >>> parse_import_id('{"ImportId":"QID11_1","choiceId":"1"}')
    ('QID11_1', '1')
    >>> parse_import_id("{'ImportId': 'QID2-1'}"), parse_import_id('{ImportId":"QID1_1"}"')
    (('QID2-1', ''), ('QID1_1', ''))
    """
    text = cell.strip()
    if not text.startswith("{"):
        return "", ""
    try:
        obj = json.loads(text) if json_depth(text) <= DEFAULT_LIMITS.json_depth else None
        if isinstance(obj, dict):
            return str(obj.get("ImportId", "")), str(obj.get("choiceId", "") or "")
    except ValueError:
        pass
    m = _IMPORT_ID.search(text)
    c = _CHOICE_ID.search(text)
    return (m.group(1).strip() if m else ""), (c.group(1).strip() if c else "")


def is_import_id_row(row: Sequence[str]) -> bool:
    """Whether a header row is Qualtrics' row 3 (ImportId objects).

    Examples
    --------
    >>> is_import_id_row(['{"ImportId":"startDate"}', '{"ImportId":"QID1"}'])
    True
    >>> is_import_id_row(["1", "2"])
    False
    """
    cells = [c.strip() for c in row if c.strip()]
    if not cells:
        return False
    hits = sum(1 for c in cells if c.startswith("{") and "importid" in c.casefold())
    return hits >= max(1, len(cells) // 2)


@dataclass
class _Col:
    index: int
    header: str
    text: str
    import_id: str
    choice: str
    key: str = ""
    role: str = ""
    detail: str = ""
    block: tuple[str, ...] = ()
    qkey: tuple[str, ...] = ()
    statement_id: str = ""
    rest: str = ""
    from_qid: bool = False


def _ignore_reason(header: str, text: str, import_id: str) -> str:
    if normalise_name(header) == "solutionrevision" or import_id == "SolutionRevision":
        return "SolutionRevision (export metadata)"
    if (
        re.search(r"[_-]DO(?:_|$)", header)
        or re.search(r"[_-]DO$", import_id)
        or text.endswith(" - Display Order")
        or " - Display Order - " in text
    ):
        return "display order"
    if header.upper().endswith("_TEXT"):
        return "text typed into an 'other' option"
    if _TIMING.search(header) or text.startswith("Timing - "):
        return "timing"
    if _META_INFO.search(header):
        return "browser meta info"
    if _TEXT_IQ.search(header) or re.search(r"_TEXT_\w*(Topics|Sentiment\w*)$", import_id):
        return "Text iQ topics or sentiment"
    return ""


def _classify(cols: list[_Col], *, legacy: bool) -> None:
    seen_id = False
    for c in cols:
        name = c.text if legacy and re.fullmatch(r"V\d+", c.header) else c.header
        norm = normalise_name(name)
        if not c.header and not c.text and not c.import_id:
            c.role, c.detail = "ignore", "empty column (the lines end with a delimiter)"
        elif (c.import_id == "_recordId" or norm in ID_NAMES) and not seen_id:
            c.role, seen_id = "respondent_id", True
        elif c.import_id in _IMPORT_META:
            c.role, c.detail = "metadata", _IMPORT_META[c.import_id]
        elif (
            meta_kind(name) is not None
            or norm in ID_NAMES
            or (legacy and norm == "name" and re.fullmatch(r"V\d+", c.header))
        ):
            c.role, c.detail = "metadata", meta_kind(name) or "info"
        elif c.header.startswith("Q_") or normalise_name(c.header) == "qtotalduration":
            c.role, c.detail = "metadata", "info"
        elif reason := _ignore_reason(c.header, c.text, c.import_id):
            c.role, c.detail = "ignore", reason
        else:
            c.role = "question"
        if legacy and re.fullmatch(r"V\d+", c.header) and c.text:
            c.key = c.text


def _group(c: _Col) -> None:
    m = _QID.match(c.import_id) if c.import_id else None
    if m:
        rest = m.group("rest") or ""
        c.rest, c.from_qid = rest, True
        c.qkey = (m.group("loop") or "", m.group("qid"))
        c.block = (*c.qkey, m.group("set") or "")
        if _NUMERIC.match(rest) and not c.choice:
            c.statement_id = rest
        return
    if c.import_id and c.import_id != c.header and not _TAG.match(c.header):
        c.qkey = c.block = ("embedded", str(c.index))
        return
    t = _TAG.match(c.header)
    if t:
        c.qkey = ("tag", t.group("q"))
        c.block = (*c.qkey, t.group("set") or "")
        c.statement_id = t.group("k")
        return
    c.qkey = c.block = ("column", str(c.index))


def _keys(cols: list[_Col]) -> None:
    counts: dict[str, int] = {}
    for c in cols:
        c.key = c.key or c.header or f"column {c.index + 1}"
        counts[c.key] = counts.get(c.key, 0) + 1
    seen: set[str] = set()
    for c in cols:
        if counts[c.key] > 1 and c.import_id:
            c.key = f"{c.key} [{c.import_id}{'#' + c.choice if c.choice else ''}]"
        base, k = c.key, 2
        while c.key in seen:
            c.key = f"{base} (column {c.index + 1})" if k == 2 else f"{base} ({k})"
            k += 1
        seen.add(c.key)


def _questions(
    blocks: dict[tuple[str, ...], list[_Col]], *, legacy: bool
) -> tuple[list[Candidate], dict[int, ColumnSpec]]:
    """Each question block's columns: rating candidates (with their side) or attributes."""
    seps = (" - ", "-", " : ") if legacy else (" - ",)
    candidates: list[Candidate] = []
    specs: dict[int, ColumnSpec] = {}
    for block, members in blocks.items():
        main, subs, side = split_question([c.text for c in members], seps)
        single = len(members) == 1
        label = main or members[0].text[:80] or members[0].header
        for c, sub in zip(members, subs, strict=True):
            statement = sub if main and sub else statement_from_question(c.text)
            # With ImportIds a matrix row has a numeric statement id; a one-column question
            # has none. Anything else (display order, text entry) is not a rating.
            shaped = (
                (c.statement_id or (single and not c.rest))
                if c.from_qid
                else (single or c.statement_id or statement)
            )
            rating = bool(side is not None and not c.choice and block[0] != "embedded" and shaped)
            question = main or c.text
            if rating and side is not None:
                candidates.append(Candidate(c.key, side, label, statement, c.statement_id, single))
            specs[c.index] = ColumnSpec(
                column=c.key,
                role=side if rating and side is not None else "attribute",
                position=c.index + 1,
                header=c.header,
                question=question,
                statement=statement if rating else (sub if main else ""),
                import_id=c.import_id + (f"#{c.choice}" if c.choice else ""),
                name="" if rating else attribute_name(c.header, c.text),
            )
    return candidates, specs


def parse_qualtrics(table: Table, *, source: str, legacy: bool = False) -> Parsed:
    """Read a Qualtrics export (current or legacy) into a :class:`Parsed`.

    Examples
    --------
    >>> from odi.importers.tabular import read_table
    >>> data = (b'StartDate,ResponseId,Q1_1,Q2_1\\r\\n'
    ...         b'Start Date,Response ID,How important? - Go,How satisfied? - Go\\r\\n'
    ...         b'"{""ImportId"":""startDate""}","{""ImportId"":""_recordId""}",'
    ...         b'"{""ImportId"":""QID1_1""}","{""ImportId"":""QID2_1""}"\\r\\n'
    ...         b'2024-01-01,R_1,Very important,Somewhat satisfied\\r\\n')
    >>> p = parse_qualtrics(read_table(data, source="q.csv"), source="q.csv")
    >>> [(s.column, s.role, s.outcome) for s in p.columns.specs]
    [('StartDate', 'metadata', ''), ('ResponseId', 'respondent_id', ''), \
('Q1_1', 'importance', 'Go'), ('Q2_1', 'satisfaction', 'Go')]
    """
    head = table.head
    width = table.width
    has_ids = len(head) >= 3 and is_import_id_row(head[2])
    header_rows = 2 if legacy or not has_ids else 3
    texts = head[1] if len(head) > 1 else ("",) * width
    imports = head[2] if has_ids and not legacy else ("",) * width
    cols = []
    for i in range(width):
        iid, choice = parse_import_id(imports[i]) if i < len(imports) else ("", "")
        cols.append(
            _Col(i, head[0][i].strip(), clean_text(texts[i] if i < len(texts) else ""), iid, choice)
        )
    _classify(cols, legacy=legacy)
    body = table.body(header_rows)
    for c in cols:
        if c.role == "ignore" and c.detail.startswith("empty column"):
            column = body.frame[c.index]
            if column.astype(str).str.strip().ne("").any():
                c.role, c.detail = "question", ""
        if c.role == "question":
            _group(c)
    _keys(cols)
    blocks: dict[tuple[str, ...], list[_Col]] = {}
    for c in cols:
        if c.role == "question":
            blocks.setdefault(c.block, []).append(c)
    candidates, specs = _questions(blocks, legacy=legacy)
    all_specs = [
        specs.get(c.index)
        or ColumnSpec(
            column=c.key,
            role=c.role,
            position=c.index + 1,
            header=c.header,
            question=c.text,
            import_id=c.import_id + (f"#{c.choice}" if c.choice else ""),
            detail=c.detail,
        )
        for c in cols
    ]
    questions = len({c.qkey for c in cols if c.role == "question" and c.qkey[0] != "embedded"})
    settled = finish(all_specs, candidates, questions=questions, source=source)
    notes = []
    if not legacy and not has_ids:
        notes.append(
            f"{source}: the third header row (ImportIds) is missing, so questions are grouped "
            "by their column names"
        )
    parsed = from_table(
        table,
        body,
        [c.key for c in cols],
        settled,
        format="qualtrics-legacy" if legacy else "qualtrics",
        questions=questions,
        header_rows=header_rows,
        notes=notes,
        numeric_recodes=True,
    )
    ratings = [c.column for c in candidates]
    words = answers_in_words(parsed.body, ratings)
    detail = "choice text" if words else "numeric values" if ratings else ""
    return replace(parsed, detail=detail)
