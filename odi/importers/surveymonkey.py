"""SurveyMonkey CSV and XLSX exports: two header rows.

Row 1 holds the respondent metadata names, then each question's text once, over
blank cells for the rest of its columns. Row 2 is blank under the metadata and
then holds a sub-header per column: ``Response`` or ``Open-Ended Response`` for
single columns, the row label (the outcome statement) for matrix questions, or the
choice label for checkboxes. Current exports name the metadata ``Respondent ID,
Collector ID, Start Date, ...``; legacy ones ``RespondentID, CollectorID, StartDate``.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from odi.importers.columns import ColumnSpec
from odi.importers.pairing import Candidate
from odi.importers.parsed import (
    ID_NAMES,
    Parsed,
    answers_in_words,
    finish,
    from_table,
    meta_kind,
)
from odi.importers.plain import normalise_name
from odi.importers.tabular import Table
from odi.importers.text import clean_text, side_of, statement_from_question, unique_names

__all__ = ["SM_METADATA", "looks_like_surveymonkey", "parse_surveymonkey"]

#: Normalised SurveyMonkey metadata names (current and legacy spellings).
SM_METADATA: frozenset[str] = frozenset(
    {
        "respondentid",
        "collectorid",
        "startdate",
        "enddate",
        "ipaddress",
        "emailaddress",
        "firstname",
        "lastname",
    }
)
_SINGLE = {"response", "open-ended response", ""}
_COMMENT = ("open-ended response", "please specify", "other (please specify)", "comment")


def looks_like_surveymonkey(head: tuple[tuple[str, ...], ...]) -> bool:
    """Row 1 starts with a respondent id and row 2 is blank under it.

    Examples
    --------
    >>> looks_like_surveymonkey((("Respondent ID", "Q?"), ("", "Response")))
    True
    >>> looks_like_surveymonkey((("id", "imp_a"), ("1", "5")))
    False
    """
    if len(head) < 2 or not head[0]:
        return False
    first = normalise_name(head[0][0])
    return first == "respondentid" and not head[1][0].strip()


def _split_metadata(
    row1: tuple[str, ...], row2: tuple[str, ...], width: int
) -> tuple[list[ColumnSpec | None], list[str], list[tuple[str, list[int]]]]:
    """The leading metadata columns' specs and keys, and the question blocks after them
    (a block is a header and the columns under it)."""
    specs: list[ColumnSpec | None] = [None] * width
    keys: list[str] = []
    blocks: list[tuple[str, list[int]]] = []
    in_meta = True
    seen_id = False
    for i in range(width):
        header = clean_text(row1[i])
        sub = clean_text(row2[i]) if i < len(row2) else ""
        norm = normalise_name(header)
        if in_meta and (norm in SM_METADATA or norm.startswith("customdata")) and not sub:
            if norm in ID_NAMES and not seen_id:
                specs[i] = ColumnSpec(header, "respondent_id", i + 1, header=header)
                seen_id = True
            elif norm.startswith("customdata"):
                specs[i] = ColumnSpec(header, "attribute", i + 1, header=header, name=header)
            else:
                kind = meta_kind(header) or "info"
                specs[i] = ColumnSpec(header, "metadata", i + 1, header=header, detail=kind)
            keys.append(header)
            continue
        in_meta = False
        if header or not blocks:
            blocks.append((header, [i]))
        else:
            blocks[-1][1].append(i)
        keys.append("")
    return specs, keys, blocks


def parse_surveymonkey(table: Table, *, source: str) -> Parsed:
    """Read a SurveyMonkey export into a :class:`Parsed`.

    Examples
    --------
    >>> from odi.importers.tabular import read_table
    >>> data = (b"Respondent ID,How important is each?,,How satisfied are you with each?,\\n"
    ...         b",Go fast,Stay safe,Stay safe,Go fast\\n1,Very important,Extremely important,"
    ...         b"Very satisfied,Satisfied\\n")
    >>> p = parse_surveymonkey(read_table(data, source="sm.csv"), source="sm.csv")
    >>> [(s.role, s.outcome) for s in p.columns.specs][1:]
    [('importance', 'Go fast'), ('importance', 'Stay safe'), ('satisfaction', 'Stay safe'), \
('satisfaction', 'Go fast')]
    """
    row1, row2 = table.head[0], table.head[1]
    width = table.width
    specs, keys, blocks = _split_metadata(row1, row2, width)
    candidates: list[Candidate] = []
    for question, members in blocks:
        side = side_of(question)
        single = len(members) == 1 and clean_text(row2[members[0]]).casefold() in _SINGLE
        for i in members:
            sub = clean_text(row2[i]) if i < len(row2) else ""
            is_comment = any(w in sub.casefold() for w in _COMMENT)
            key = question if single else f"{question} - {sub}" if question else sub
            keys[i] = key or f"column {i + 1}"
            if side and (single or (sub and not is_comment)):
                statement = statement_from_question(question) if single else sub
                candidates.append(Candidate(keys[i], side, question, statement, "", single))
                role = side
            elif side and is_comment:
                role = "ignore"
            else:
                role = "attribute"
            specs[i] = ColumnSpec(
                keys[i],
                role,
                i + 1,
                header=clean_text(row1[i]),
                question=question,
                statement=sub if role in ("importance", "satisfaction") and not single else "",
                name=keys[i] if role == "attribute" else "",
                detail="comment typed next to a rating question" if role == "ignore" else "",
            )
    unique = unique_names(keys, [f"column {i + 1}" for i in range(width)])
    final: list[ColumnSpec] = []
    renamed: dict[str, str] = {}
    for i, spec in enumerate(specs):
        if spec is None:  # pragma: no cover - every column is assigned above
            spec = ColumnSpec(unique[i], "attribute", i + 1)
        if spec.column != unique[i]:
            renamed[spec.column] = unique[i]
            spec = replace(spec, column=unique[i], name=unique[i] if spec.name else "")
        final.append(spec)
    candidates = [
        Candidate(
            renamed.get(c.column, c.column), c.side, c.block, c.statement, c.statement_id, c.single
        )
        for c in candidates
    ]
    questions = len(blocks)
    settled = finish(final, candidates, questions=questions, source=source)
    parsed = from_table(
        table,
        table.body(2),
        unique,
        settled,
        format="surveymonkey",
        questions=questions,
        header_rows=2,
        numeric_recodes=True,
    )
    return replace(parsed, detail=_detail(parsed.body, [c.column for c in candidates], row1))


def _detail(frame: pd.DataFrame, ratings: list[str], row1: tuple[str, ...]) -> str:
    legacy = normalise_name(row1[0]) == "respondentid" and row1[0].strip() == "RespondentID"
    words = answers_in_words(frame, ratings)
    mode = {True: "actual answer text", False: "numerical values", None: ""}[words]
    parts = [p for p in ("legacy metadata names" if legacy else "", mode) if p]
    return ", ".join(parts)
