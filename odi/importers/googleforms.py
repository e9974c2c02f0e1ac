"""Google Forms CSV (and the linked Sheet saved as CSV or XLSX): one header row.

Column 1 is the submission timestamp, headed ``Timestamp`` in the form owner's
language; grid questions have one column per row, headed ``Question [Row]``.
Forms has no response id, so respondents are numbered by row; if emails were
collected, the email column is used to find duplicate responses.
"""

from __future__ import annotations

import re

from odi.importers.columns import ColumnSpec
from odi.importers.pairing import Candidate
from odi.importers.parsed import Parsed, finish, from_table
from odi.importers.plain import normalise_name
from odi.importers.tabular import Table
from odi.importers.text import clean_text, side_of, statement_from_question, unique_names

__all__ = ["TIMESTAMP_NAMES", "looks_like_googleforms", "parse_googleforms"]

#: ``Timestamp`` in the languages Google Forms exports in.
TIMESTAMP_NAMES: frozenset[str] = frozenset(
    {
        "timestamp",
        "marca temporal",
        "horodateur",
        "zeitstempel",
        "タイムスタンプ",
        "carimbo de data/hora",
        "informazioni cronologiche",
        "tijdstempel",
        "sygnatura czasowa",
        "отметка времени",
        "时间戳记",
        "时间戳",
        "時間戳記",
        "타임스탬프",
        "dấu thời gian",
        "zaman damgası",
        "stempel waktu",
        "tidsstempel",
        "aikaleima",
        "tidstämpel",
        "časová značka",
        "časové razítko",
        "χρονική σήμανση",
        "חותמת זמן",
        "الطابع الزمني",
        "समय टिकट",
        "ประทับเวลา",
        "indicació de data i hora",
    }
)
_GRID = re.compile(r"^(?P<q>.*\S)\s*\[(?P<s>[^\[\]]+)\]\s*$", re.DOTALL)
_DATETIME = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}[ T,]+\d{1,2}:\d{2}")


def looks_like_googleforms(head: tuple[tuple[str, ...], ...]) -> bool:
    """A timestamp first column (by its localised name, or its values) and, when the
    name is not recognised, ``Question [Row]`` grid columns.

    Examples
    --------
    >>> looks_like_googleforms((("Timestamp", "Role"), ("2024/03/10 1:19:08 PM GMT+1", "VP")))
    True
    >>> looks_like_googleforms((("Horodatage?", "Q [a]"), ("10/03/2024 13:19:08", "5")))
    True
    >>> looks_like_googleforms((("id", "imp_a"), ("1", "5")))
    False
    """
    if not head or not head[0]:
        return False
    if clean_text(head[0][0]).casefold() in TIMESTAMP_NAMES:
        return True
    grid = any(_GRID.match(clean_text(h)) for h in head[0][1:])
    dated = len(head) > 1 and bool(_DATETIME.match(head[1][0].strip()))
    return grid and dated


def parse_googleforms(table: Table, *, source: str) -> Parsed:
    """Read a Google Forms export into a :class:`Parsed`.

    Examples
    --------
    >>> from odi.importers.tabular import read_table
    >>> data = ("Timestamp,How important is it to you? [Go fast],"
    ...         "How satisfied are you today? [Go fast],Role\\n"
    ...         "2024/03/10 1:19:08 PM GMT+1,5,2,VP\\n").encode()
    >>> p = parse_googleforms(read_table(data, source="f.csv"), source="f.csv")
    >>> [(s.role, s.outcome or s.detail or s.name) for s in p.columns.specs]
    [('metadata', 'timestamp'), ('importance', 'Go fast'), ('satisfaction', 'Go fast'), \
('attribute', 'Role')]
    """
    headers = [clean_text(h) for h in table.head[0]]
    keys = unique_names(
        [h or f"column {i + 1}" for i, h in enumerate(headers)],
        [f"column {i + 1}" for i in range(len(headers))],
    )
    specs: list[ColumnSpec] = []
    candidates: list[Candidate] = []
    blocks: dict[str, list[int]] = {}
    for i, header in enumerate(headers):
        norm = normalise_name(header)
        if i == 0:
            specs.append(ColumnSpec(keys[i], "metadata", 1, header=header, detail="timestamp"))
            continue
        if norm == "emailaddress":
            specs.append(ColumnSpec(keys[i], "metadata", i + 1, header=header, detail="email"))
            continue
        if norm in ("score", "totalscore"):
            specs.append(ColumnSpec(keys[i], "metadata", i + 1, header=header, detail="info"))
            continue
        m = _GRID.match(header)
        question, sub = (m.group("q").strip(), m.group("s").strip()) if m else (header, "")
        blocks.setdefault(question, []).append(i)
        side = side_of(question)
        if side:
            statement = sub or statement_from_question(question)
            candidates.append(Candidate(keys[i], side, question, statement, "", not sub))
        specs.append(
            ColumnSpec(
                keys[i],
                side or "attribute",
                i + 1,
                header=header,
                question=question,
                statement=sub if side else "",
                name="" if side else keys[i],
            )
        )
    questions = len(blocks)
    settled = finish(specs, candidates, questions=questions, source=source)
    return from_table(
        table, table.body(1), keys, settled, format="googleforms", questions=questions
    )
