"""Segments: filters on respondent attributes.

A segment definition maps an attribute to the values it may take. Repeating an
attribute means *any of* its values; different attributes must *all* match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "Conditions",
    "describe_conditions",
    "parse_where",
    "resolve_column",
    "resolve_conditions",
    "segment_mask",
]

#: Attribute -> allowed values.
Conditions = Mapping[str, Sequence[str]]


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


def parse_where(items: Iterable[str]) -> dict[str, list[str]]:
    """Parse ``COLUMN=VALUE`` strings into conditions, merging repeated columns.

    Examples
    --------
    >>> parse_where(["role=VP Marketing", "role=CMO", "region=EMEA"])
    {'role': ['VP Marketing', 'CMO'], 'region': ['EMEA']}
    """
    out: dict[str, list[str]] = {}
    for item in items:
        col, sep, value = item.partition("=")
        if not sep or not col.strip():
            raise ValueError(f"--where must look like COLUMN=VALUE; got {item!r}")
        values = out.setdefault(col.strip(), [])
        if value.strip() not in values:
            values.append(value.strip())
    return out


def resolve_column(respondents: pd.DataFrame, column: str, *, option: str = "--where") -> str:
    """Return the attribute column named ``column``, matched exactly or ignoring case and
    separators; raise a ``ValueError`` listing the columns that exist otherwise."""
    cols = [str(c) for c in respondents.columns]
    if column in cols:
        return column
    matches = [c for c in cols if _norm(c) == _norm(column)]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(cols) if cols else "(none: the file has no respondent attributes)"
    raise ValueError(
        f"{option} column {column!r} does not exist; the attribute columns are: {listed}"
    )


def resolve_conditions(
    respondents: pd.DataFrame, conditions: Conditions | None
) -> dict[str, list[str]]:
    """Conditions with their columns and values spelled as in the data.

    Columns match as in :func:`resolve_column`; values match exactly after trimming
    spaces, forgiving case. A value no respondent has is an error listing the values that
    do occur, since it is almost always a typo.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"role": ["VP", "SDR"]})
    >>> resolve_conditions(r, {"Role": ["vp ", "SDR"]})
    {'role': ['SDR', 'VP']}
    """
    out: dict[str, list[str]] = {}
    for column, values in (conditions or {}).items():
        col = resolve_column(respondents, column)
        series = respondents[col].astype("string").str.strip()
        present = set(series.dropna().unique().tolist())
        wanted = [str(v).strip() for v in values]
        unknown = [v for v in wanted if v not in present]
        if unknown:
            # Forgive case differences; anything else is reported.
            folded = {str(p).casefold(): str(p) for p in present}
            fixed = [folded.get(v.casefold()) for v in unknown]
            if any(f is None for f in fixed):
                shown = ", ".join(sorted(map(str, present))[:30])
                missing = [v for v, f in zip(unknown, fixed, strict=True) if f is None]
                raise ValueError(
                    f"no respondent has {col} = {', '.join(map(repr, missing))}; "
                    f"the values of {col} are: {shown}"
                )
            wanted = [v for v in wanted if v in present] + [f for f in fixed if f is not None]
        out[col] = sorted(set(out.get(col, [])) | set(wanted))
    return out


def segment_mask(respondents: pd.DataFrame, conditions: Conditions | None) -> np.ndarray:
    """Boolean mask of the respondents matching every condition.

    Values are matched as in :func:`resolve_conditions`.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"role": ["VP", "SDR", "VP"], "size": ["S", "L", "L"]})
    >>> segment_mask(r, {"role": ["VP"], "size": ["L"]}).tolist()
    [False, False, True]
    """
    mask = np.ones(len(respondents), dtype=bool)
    for col, wanted in resolve_conditions(respondents, conditions).items():
        series = respondents[col].astype("string").str.strip()
        mask &= series.isin(wanted).fillna(False).to_numpy(dtype=bool)
    return mask


def describe_conditions(conditions: Conditions | None) -> str:
    """Human-readable segment definition.

    Examples
    --------
    >>> describe_conditions({"role": ["VP"], "size": ["S", "M"]})
    'role = VP and size in {S, M}'
    >>> describe_conditions({})
    'all respondents'
    """
    parts = []
    for col, values in (conditions or {}).items():
        vals = list(values)
        if len(vals) == 1:
            parts.append(f"{col} = {vals[0]}")
        else:
            parts.append(f"{col} in {{{', '.join(vals)}}}")
    return " and ".join(parts) if parts else "all respondents"
