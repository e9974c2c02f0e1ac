"""The plain layouts of the core (see :mod:`odi.importers.plain`), as column maps.

Wide: one row per respondent, columns paired by name (``imp_X``/``sat_X``,
``Importance: X``/``Satisfaction: X``, ``X (importance)``/``X (satisfaction)``).
Long: one row per respondent and outcome with ``importance`` and ``satisfaction``
columns. Any file format the table reader accepts (CSV, TSV, XLSX, JSON Lines).
"""

from __future__ import annotations

from dataclasses import replace

from odi.importers.columns import ColumnMap, ColumnSpec
from odi.importers.parsed import Parsed, Settled, from_table
from odi.importers.plain import (
    find_id_column,
    long_roles,
    no_pairs_message,
    one_side_message,
    pair_wide_columns,
)
from odi.importers.tabular import Table

__all__ = ["parse_long", "parse_wide"]

_LONG_ROLE = {
    "respondent": "respondent_id",
    "outcome_id": "outcome_id",
    "outcome_text": "outcome_text",
    "importance": "importance",
    "satisfaction": "satisfaction",
    "job_step": "job_step",
}


def _header(table: Table, *, source: str) -> tuple[list[str], list[int]]:
    """Header names and the positions of unnamed columns; duplicate names are an error."""
    header = [h.strip() for h in table.head[0]]
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            continue
        if name in seen:
            raise ValueError(
                f"{source}: the column name {name!r} appears twice (columns {seen[name] + 1} "
                f"and {i + 1}); rename one so each column has its own name"
            )
        seen[name] = i
    return header, [i for i, name in enumerate(header) if not name]


def _frame(table: Table, *, source: str) -> tuple[Parsed, list[str]]:
    header, unnamed = _header(table, source=source)
    body = table.body(1)
    if body.frame.empty:
        raise ValueError(
            f"{source} has a header but no data rows: there are no respondents to score"
        )
    specs: dict[int, ColumnSpec] = {}
    for i in unnamed:
        if body.frame[i].astype(str).str.strip().ne("").any():
            raise ValueError(
                f"{source}: column {i + 1} has answers but no name in the header row; "
                "give it a name"
            )
        specs[i] = ColumnSpec(
            f"column {i + 1}",
            "ignore",
            i + 1,
            detail="empty column without a name (the lines end with a delimiter)",
        )
    keys = [header[i] or f"column {i + 1}" for i in range(len(header))]
    settled = Settled(_column_map(keys, specs))
    parsed = from_table(table, body, keys, settled, format="", plain_ids=True)
    return parsed, [header[i] for i in range(len(header)) if header[i]]


def _column_map(keys: list[str], specs: dict[int, ColumnSpec]) -> ColumnMap:
    return ColumnMap(
        tuple(
            specs.get(i) or ColumnSpec(k, "attribute", i + 1, header=k, name=k)
            for i, k in enumerate(keys)
        )
    )


def parse_wide(table: Table, *, source: str) -> Parsed:
    """Read a plain wide file into a :class:`Parsed`.

    Examples
    --------
    >>> from odi.importers.tabular import read_table
    >>> p = parse_wide(read_table(b"id,role,imp_a,sat_a\\n1,VP,5,2\\n", source="w.csv"),
    ...                source="w.csv")
    >>> [(s.column, s.role, s.outcome) for s in p.columns.specs]
    [('id', 'respondent_id', ''), ('role', 'attribute', ''), ('imp_a', 'importance', 'a'), \
('sat_a', 'satisfaction', 'a')]
    """
    parsed, named = _frame(table, source=source)
    pairs, unpaired = pair_wide_columns(named)
    id_col = find_id_column(named)
    by_col: dict[str, tuple[str, str]] = {}
    for key, imp, sat in pairs:
        by_col[imp] = ("importance", key)
        by_col[sat] = ("satisfaction", key)
    specs = []
    for spec in parsed.columns.specs:
        if spec.column == id_col:
            spec = replace(spec, role="respondent_id", name="")
        elif spec.column in by_col:
            side, key = by_col[spec.column]
            spec = replace(spec, role=side, outcome=key, statement=key, name="")
        specs.append(spec)
    error = ""
    if not pairs:
        error = no_pairs_message(source, named)
    elif unpaired:
        error = one_side_message(source, unpaired)
    return replace(
        parsed,
        format="wide",
        columns=ColumnMap(tuple(specs)),
        questions=len(pairs) * 2 + len(unpaired),
        paired_by="column names" if pairs else "",
        pairing_error=error,
    )


def parse_long(table: Table, *, source: str) -> Parsed:
    """Read a plain long file into a :class:`Parsed` (columns by role).

    Examples
    --------
    >>> from odi.importers.tabular import read_table
    >>> data = b"respondent,outcome,importance,satisfaction,role\\nr1,a,5,2,VP\\n"
    >>> p = parse_long(read_table(data, source="l.csv"), source="l.csv")
    >>> [s.role for s in p.columns.specs]
    ['respondent_id', 'outcome_text', 'importance', 'satisfaction', 'attribute']
    """
    parsed, named = _frame(table, source=source)
    roles = {column: _LONG_ROLE[role] for role, column in long_roles(named).items()}
    specs = []
    for spec in parsed.columns.specs:
        if spec.column in roles:
            spec = replace(spec, role=roles[spec.column], name="")
        specs.append(spec)
    return replace(parsed, format="long", columns=ColumnMap(tuple(specs)), paired_by="long layout")
