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
    "factorize_trimmed",
    "parse_where",
    "resolve_column",
    "resolve_conditions",
    "resolve_with_mask",
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


def factorize_trimmed(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each value's code and the distinct values, as text with spaces trimmed.

    Only the distinct values are converted and trimmed, so this costs one factorisation
    however many respondents there are. Blank (missing) values get code -1.

    Examples
    --------
    >>> import pandas as pd
    >>> codes, names = factorize_trimmed(pd.Series(["VP", " VP", None, "SDR "]))
    >>> codes.tolist(), names
    ([0, 0, -1, 1], ['VP', 'SDR'])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # factorised already (a Survey's)
        raw_codes = values.cat.codes.to_numpy()
        raw_uniques = values.cat.categories
        used = np.bincount(raw_codes + 1, minlength=len(raw_uniques) + 1)[1:] > 0
        if not used.all():  # only the values that occur, in the order of the categories
            renumber = np.full(len(raw_uniques) + 1, -1, dtype=np.int64)
            renumber[np.flatnonzero(used)] = np.arange(int(used.sum()))
            raw_codes, raw_uniques = renumber[raw_codes], raw_uniques[used]
    else:
        raw_codes, raw_uniques = pd.factorize(values)
    trimmed = [str(u).strip() for u in raw_uniques]
    names = list(dict.fromkeys(trimmed))
    if len(names) == len(trimmed):  # no two values differ only in spaces: codes as they are
        return np.asarray(raw_codes, dtype=np.int64), names
    position = {name: i for i, name in enumerate(names)}
    lut = np.array([position[t] for t in trimmed] + [-1], dtype=np.int64)
    return lut[np.asarray(raw_codes)], names  # raw -1 (blank) indexes the trailing -1


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
    return resolve_with_mask(respondents, conditions)[0]


def resolve_with_mask(
    respondents: pd.DataFrame, conditions: Conditions | None
) -> tuple[dict[str, list[str]], np.ndarray]:
    """:func:`resolve_conditions` and :func:`segment_mask` at once, each column factorised
    once.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"role": ["VP", "SDR", " VP"]})
    >>> resolved, mask = resolve_with_mask(r, {"role": ["vp"]})
    >>> resolved, mask.tolist()
    ({'role': ['VP']}, [True, False, True])
    """
    out: dict[str, list[str]] = {}
    factorised: dict[str, tuple[np.ndarray, list[str]]] = {}
    for column, values in (conditions or {}).items():
        col = resolve_column(respondents, column)
        if col not in factorised:
            factorised[col] = factorize_trimmed(respondents[col])
        present = set(factorised[col][1])
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
    mask = np.ones(len(respondents), dtype=bool)
    for col, allowed in out.items():
        codes, names = factorised[col]
        keep = set(allowed)
        mask &= np.array([name in keep for name in names] + [False])[codes]
    return out, mask


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
    return resolve_with_mask(respondents, conditions)[1]


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
