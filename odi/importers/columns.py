"""The column map: what the importer decided each column of a file is.

Every column of an imported file gets one :class:`ColumnSpec`, so nothing is
dropped silently: it is the respondent id, an importance or satisfaction rating of
an outcome, a respondent attribute, survey metadata (with its kind, such as
``status`` or ``duration``), or ignored (with the reason). The importer builds a
:class:`ColumnMap` automatically; a caller can pass an edited one back through
``ImportOptions(column_map=...)`` to override any decision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace

import pandas as pd

__all__ = ["ROLES", "ColumnMap", "ColumnSpec"]

#: The roles a column can have. ``outcome_id``, ``outcome_text`` and ``job_step``
#: occur in long-format files only.
ROLES: tuple[str, ...] = (
    "respondent_id",
    "importance",
    "satisfaction",
    "attribute",
    "metadata",
    "ignore",
    "outcome_id",
    "outcome_text",
    "job_step",
)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of the file and what it is used for.

    Attributes
    ----------
    column : str
        A key unique within the file (the header, disambiguated by ImportId or
        position when the file repeats a header).
    role : str
        One of :data:`ROLES`.
    position : int
        1-based position in the file (0 when unknown).
    header : str
        The column's header as written (row 1).
    question : str
        The question text (Qualtrics row 2, SurveyMonkey row 1, ...).
    statement : str
        The outcome statement of a rating column (matrix row / grid row).
    import_id : str
        Qualtrics ImportId (with ``#choiceId``), where there is one.
    outcome : str
        For ratings: the key pairing an importance with a satisfaction column.
    name : str
        The name it gets in the survey (an attribute's column name).
    detail : str
        The metadata kind (``status``, ``finished``, ``progress``, ``duration``,
        ``start``, ``end``, ``email``, ``info``) or why the column is ignored.
    """

    column: str
    role: str
    position: int = 0
    header: str = ""
    question: str = ""
    statement: str = ""
    import_id: str = ""
    outcome: str = ""
    name: str = ""
    detail: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(
                f"column {self.column!r}: role must be one of {', '.join(ROLES)}; got {self.role!r}"
            )


_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ColumnSpec))
_EDITABLE = ("role", "outcome", "statement", "name", "detail")


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """The role of every column of a file, in file order; serialisable and editable.

    Examples
    --------
    >>> m = ColumnMap((ColumnSpec("id", "respondent_id", 1), ColumnSpec("q", "attribute", 2)))
    >>> m.columns_with("attribute")
    ['q']
    >>> ColumnMap.from_frame(m.to_frame()) == m, ColumnMap.from_dict(m.to_dict()) == m
    (True, True)
    >>> m.merge(ColumnMap((ColumnSpec("q", "ignore"),))).get("q").role
    'ignore'
    """

    specs: tuple[ColumnSpec, ...] = field(default=())

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for spec in self.specs:
            if spec.column in seen:
                raise ValueError(
                    f"column map names column {spec.column!r} twice; each column needs one row"
                )
            seen.add(spec.column)

    def __len__(self) -> int:
        return len(self.specs)

    def get(self, column: str) -> ColumnSpec:
        """The spec of ``column``; ``KeyError`` if there is none."""
        for spec in self.specs:
            if spec.column == column:
                return spec
        raise KeyError(column)

    def columns_with(self, *roles: str) -> list[str]:
        """Keys of the columns with any of ``roles``, in file order."""
        return [s.column for s in self.specs if s.role in roles]

    def with_role(self, *roles: str) -> list[ColumnSpec]:
        """Specs of the columns with any of ``roles``, in file order."""
        return [s for s in self.specs if s.role in roles]

    def metadata(self, kind: str) -> str | None:
        """The first metadata column of ``kind`` (``status``, ``duration``, ...), if any."""
        for spec in self.specs:
            if spec.role == "metadata" and spec.detail == kind:
                return spec.column
        return None

    def merge(self, override: ColumnMap) -> ColumnMap:
        """Apply a caller's edits: each override row replaces the editable fields
        (role, outcome, statement, name, detail) of the column with the same key.
        A blank field keeps the automatic value, except ``outcome`` when the role changes.
        """
        by_key = {s.column: s for s in self.specs}
        unknown = [s.column for s in override.specs if s.column not in by_key]
        if unknown:
            shown = ", ".join(repr(c) for c in list(by_key)[:12])
            raise ValueError(
                f"column map names column{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(map(repr, unknown[:10]))} that the file does not have; "
                f"its columns are: {shown}{' ...' if len(by_key) > 12 else ''}"
            )
        for o in override.specs:
            base = by_key[o.column]
            same_role = o.role == base.role
            by_key[o.column] = replace(
                base,
                role=o.role,
                outcome=o.outcome or (base.outcome if same_role else ""),
                statement=o.statement or base.statement,
                name=o.name or base.name,
                detail=o.detail or (base.detail if same_role else ""),
            )
        return ColumnMap(tuple(by_key[s.column] for s in self.specs))

    def to_frame(self) -> pd.DataFrame:
        """One row per column with every field, for display or editing."""
        return pd.DataFrame(
            [[getattr(s, f) for f in _FIELDS] for s in self.specs], columns=list(_FIELDS)
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> ColumnMap:
        """Build from a table with at least ``column`` and ``role`` columns."""
        missing = [c for c in ("column", "role") if c not in frame.columns]
        if missing:
            raise ValueError(
                f"a column map table needs columns column and role; got {list(frame.columns)}"
            )
        records = frame.to_dict(orient="records")
        return cls(tuple(_spec(r) for r in records))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: ``{"columns": [{field: value, ...}, ...]}``."""
        return {"columns": [{f: getattr(s, f) for f in _FIELDS} for s in self.specs]}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ColumnMap:
        """Build from :meth:`to_dict` output (``column`` and ``role`` required per row)."""
        rows = data.get("columns")
        if not isinstance(rows, Iterable) or isinstance(rows, (str, bytes)):
            raise ValueError(
                'a column map must be {"columns": [{"column": ..., "role": ...}, ...]}; '
                f"got {type(rows).__name__}"
            )
        return cls(tuple(_spec(r) for r in rows))


def _spec(row: object) -> ColumnSpec:
    if not isinstance(row, Mapping):
        raise ValueError(f"each column map row must be a mapping; got {row!r}")
    values: dict[str, object] = {}
    for key in _FIELDS:
        value = row.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        values[key] = int(float(str(value))) if key == "position" else str(value)
    if "column" not in values or "role" not in values:
        raise ValueError(f"each column map row needs a column and a role; got {dict(row)}")
    unknown = sorted(set(row) - set(_FIELDS))
    if unknown:
        raise ValueError(
            f"column map rows may only have fields {', '.join(_FIELDS)}; got {unknown}"
        )
    return ColumnSpec(**values)  # type: ignore[arg-type]
