"""The two plain layouts: wide (a row per respondent) and long (a row per answer pair).

Wide files pair columns such as ``imp_X``/``sat_X``, ``Importance: X``/``Satisfaction: X``
or ``X (importance)``/``X (satisfaction)``; every other column but the respondent id
is a respondent attribute. Long files have a respondent, an outcome, an importance
and a satisfaction column, named in any case and with any separators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from odi.scale import Scale, apply_scale, infer_scale
from odi.survey import Survey

__all__ = [
    "NA_TEXTS",
    "ScaleOptions",
    "answers_to_numbers",
    "detect_layout",
    "find_id_column",
    "long_roles",
    "long_to_survey",
    "no_pairs_message",
    "normalise_name",
    "one_side_message",
    "outcome_ids",
    "pair_wide_columns",
    "resolve_scale",
]


#: Answer texts that mean "no valid answer", compared after case-folding.
NA_TEXTS: frozenset[str] = frozenset(
    {
        "",
        "n/a",
        "na",
        "nan",
        "null",
        "none",
        "-",
        "not applicable",
        "(n/a)",
        "don't know",
        "dont know",
        "don’t know",
        "unfamiliar (n/a)",
        "prefer not to say",
    }
)

_SIDES = {
    "importance": r"imp|importance|important",
    "satisfaction": r"sat|satisfaction|satisfied",
}
_SEP = r"[\s_.:\-–|/]+"


@dataclass(frozen=True, slots=True)
class ScaleOptions:
    """What the caller says about the scale; anything left ``None`` is inferred."""

    scale: tuple[int, int] | None = None
    top_box: float | None = None
    na_codes: tuple[float, ...] = field(default=())


def normalise_name(name: str) -> str:
    """Case-fold and drop separators, so ``Respondent ID`` matches ``respondentId``.

    Examples
    --------
    >>> normalise_name("Respondent ID"), normalise_name("respondent_id")
    ('respondentid', 'respondentid')
    """
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


def _side_pattern(side: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = _SIDES[side]
    prefix = re.compile(rf"^\s*(?:{words})(?:{_SEP})(?P<key>.+?)\s*$", re.IGNORECASE)
    suffix = re.compile(
        rf"^\s*(?P<key>.+?)(?:\s*[(\[]\s*(?:{words})\s*[)\]]|{_SEP}(?:{words}))\s*$",
        re.IGNORECASE,
    )
    return prefix, suffix


_PATTERNS = {side: _side_pattern(side) for side in _SIDES}


def _side_key(column: str) -> tuple[str, str] | None:
    for side, (prefix, suffix) in _PATTERNS.items():
        for pattern in (prefix, suffix):
            m = pattern.match(column)
            if m:
                return side, m.group("key").strip()
    return None


def pair_wide_columns(columns: Iterable[str]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Find importance/satisfaction column pairs.

    Returns ``(pairs, unpaired)``: pairs as ``(key, importance_column,
    satisfaction_column)`` in file order, and the columns that name one side only.

    Examples
    --------
    >>> pair_wide_columns(["id", "imp_a", "sat_a", "Importance: b", "Satisfaction: b", "imp_c"])
    ([('a', 'imp_a', 'sat_a'), ('b', 'Importance: b', 'Satisfaction: b')], ['imp_c'])
    """
    found: dict[str, dict[str, str]] = {}
    order: list[str] = []
    display: dict[str, str] = {}
    for col in columns:
        hit = _side_key(col)
        if hit is None:
            continue
        side, key = hit
        norm = key.casefold()
        slot = found.setdefault(norm, {})
        if norm not in order:
            order.append(norm)
            display[norm] = key
        if side in slot:
            raise ValueError(
                f"two columns give the {side} of {key!r}: {slot[side]!r} and {col!r}; "
                "remove or rename one"
            )
        slot[side] = col
    pairs = [
        (display[k], found[k]["importance"], found[k]["satisfaction"])
        for k in order
        if len(found[k]) == 2
    ]
    unpaired = [next(iter(found[k].values())) for k in order if len(found[k]) == 1]
    return pairs, unpaired


def no_pairs_message(source: str, columns: list[str]) -> str:
    """The error for a plain wide file without importance/satisfaction column pairs."""
    return (
        f"{source} has no importance/satisfaction column pairs. Name them like imp_X and "
        "sat_X, 'Importance: X' and 'Satisfaction: X', or 'X (importance)' and "
        f"'X (satisfaction)'; the columns are: {', '.join(columns[:20])}"
    )


def one_side_message(source: str, unpaired: list[str]) -> str:
    """The error for outcome columns of a plain wide file that have only one side."""
    return (
        f"{source}: {len(unpaired)} outcome column{'s have' if len(unpaired) > 1 else ' has'} "
        f"only one side: {', '.join(map(repr, unpaired[:10]))}. Each outcome needs both an "
        "importance and a satisfaction column with the same name after the prefix"
    )


_ID_NAMES = ("respondentid", "respondent", "responseid", "response", "respid", "id", "rid")


def _find_id_column(columns: Iterable[str]) -> str | None:
    by_norm = {normalise_name(c): c for c in columns}
    for name in _ID_NAMES:
        if name in by_norm:
            return by_norm[name]
    return None


def find_id_column(columns: Iterable[str]) -> str | None:
    """The respondent-id column of a plain file, if it has one.

    Examples
    --------
    >>> find_id_column(["role", "Respondent ID", "imp_a"])
    'Respondent ID'
    """
    return _find_id_column(columns)


def answers_to_numbers(
    frame: pd.DataFrame, *, source: str, what: str, labels: dict[str, float] | None = None
) -> pd.DataFrame:
    """Convert answer text to numbers: ``"5"``, ``"5.00"`` and mapped labels.

    Blank and N/A texts become NaN. Anything else is an error listing every
    unrecognised answer with its count.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"a": ["5.00", " 4", "", "N/A"]})
    >>> answers_to_numbers(f, source="s.csv", what="ratings")["a"].tolist()
    [5.0, 4.0, nan, nan]
    """
    stacked = frame.astype("string").stack(future_stack=True)
    text = stacked.fillna("").str.strip()
    folded = text.str.casefold()
    numbers = pd.to_numeric(text.where(~folded.isin(NA_TEXTS)), errors="coerce")
    if labels:
        mapped = folded.map({k.casefold(): v for k, v in labels.items()})
        numbers = numbers.fillna(mapped)
    bad = numbers.isna() & ~folded.isin(NA_TEXTS)
    if bad.any():
        counts = text[bad].value_counts()
        cols = sorted({str(c) for _, c in text[bad].index}, key=list(frame.columns).index)
        shown = "; ".join(f"{v!r} ({n})" for v, n in counts.head(12).items())
        more = f" and {len(counts) - 12} more" if len(counts) > 12 else ""
        raise ValueError(
            f"{what} in {source} must be numbers on the rating scale; found text answers "
            f"{shown}{more} in column{'s' if len(cols) > 1 else ''} {', '.join(cols[:5])}. "
            "Map the labels to scale points, or export numeric values"
        )
    return numbers.astype("float64").unstack().reindex(index=frame.index, columns=frame.columns)


def resolve_scale(
    importance: pd.DataFrame,
    satisfaction: pd.DataFrame,
    options: ScaleOptions,
    *,
    source: str,
) -> tuple[Scale, pd.DataFrame, pd.DataFrame]:
    """Settle the scale (given or inferred) and return both matrices checked against it."""
    if options.scale is None:
        values = np.concatenate(
            [importance.to_numpy(dtype=float).ravel(), satisfaction.to_numpy(dtype=float).ravel()]
        )
        try:
            scale = infer_scale(values, na_codes=options.na_codes, top_box=options.top_box)
        except ValueError as exc:
            raise type(exc)(f"{source}: {exc}") from None
    else:
        scale = Scale.from_range(*options.scale, top_box=options.top_box, na_codes=options.na_codes)
    imp = apply_scale(importance, scale, what="importance ratings", source=source)
    sat = apply_scale(satisfaction, scale, what="satisfaction ratings", source=source)
    return scale, imp, sat


def _outcome_ids(keys: list[str]) -> list[str]:
    if all(re.fullmatch(r"[\w.\-]{1,40}", k) for k in keys):
        return keys
    width = max(2, len(str(len(keys))))
    return [f"O{i:0{width}d}" for i in range(1, len(keys) + 1)]


_LONG_ROLES: dict[str, tuple[str, ...]] = {
    "respondent": ("respondentid", "respondent", "responseid", "respid", "participantid"),
    "outcome_id": ("outcomeid", "outcomecode", "itemid"),
    "outcome_text": ("outcome", "outcometext", "statement", "outcomestatement", "item"),
    "importance": ("importance", "imp", "importancerating"),
    "satisfaction": ("satisfaction", "sat", "satisfactionrating"),
    "job_step": ("jobstep", "step"),
}


def _long_columns(columns: Iterable[str]) -> dict[str, str]:
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(normalise_name(c), c)
    roles: dict[str, str] = {}
    for role, names in _LONG_ROLES.items():
        for n in names:
            if n in by_norm:
                roles[role] = by_norm[n]
                break
    return roles


def long_roles(columns: Iterable[str]) -> dict[str, str]:
    """The role -> column of a long file's columns (``respondent``, ``outcome_id``,
    ``outcome_text``, ``importance``, ``satisfaction``, ``job_step``).

    Examples
    --------
    >>> long_roles(["respondentId", "outcomeId", "importance", "satisfaction"])["outcome_id"]
    'outcomeId'
    """
    return _long_columns(columns)


def outcome_ids(keys: list[str]) -> list[str]:
    """The keys themselves when they are short ids, else ``O01``, ``O02``, ...

    Examples
    --------
    >>> outcome_ids(["a", "b"]), outcome_ids(["Minimize the time", "b"])
    (['a', 'b'], ['O01', 'O02'])
    """
    return _outcome_ids(keys)


def detect_layout(columns: Iterable[str]) -> str | None:
    """``"long"``, ``"wide"`` or ``None`` for a header of a plain file.

    Examples
    --------
    >>> detect_layout(["respondentId", "outcomeId", "importance", "satisfaction"])
    'long'
    >>> detect_layout(["id", "imp_a", "sat_a"])
    'wide'
    """
    cols = [str(c) for c in columns]
    roles = _long_columns(cols)
    if {"respondent", "importance", "satisfaction"} <= set(roles) and (
        "outcome_id" in roles or "outcome_text" in roles
    ):
        return "long"
    pairs, _ = pair_wide_columns(cols)
    return "wide" if pairs else None


def _check_long_rows(data: pd.DataFrame, rcol: str, ocol: str, *, source: str) -> None:
    """Every row names its respondent and outcome, and no pair repeats."""
    blank = data[rcol].eq("") | data[ocol].eq("")
    if blank.any():
        row = int(np.flatnonzero(blank.to_numpy())[0]) + 2
        raise ValueError(
            f"{source}: row {row} has no respondent or no outcome; fill it in or remove the row"
        )
    dup = data.duplicated([rcol, ocol], keep=False)
    if dup.any():
        rows = (np.flatnonzero(dup.to_numpy())[:2] + 2).tolist()
        r, o = data.loc[dup, rcol].iloc[0], data.loc[dup, ocol].iloc[0]
        raise ValueError(
            f"{source}: respondent {r!r} rates outcome {o!r} more than once (rows "
            f"{rows[0]} and {rows[1]}); keep one row per respondent and outcome"
        )


def _long_attributes(
    data: pd.DataFrame, attr_cols: list[str], rcol: str, resp_order: list[str], *, source: str
) -> pd.DataFrame:
    """One row per respondent: the attribute values, which must agree on all their rows."""
    attrs = pd.DataFrame(index=resp_order)
    for col in attr_cols:
        values = data[col].astype(str).str.strip().mask(lambda v: v.eq(""))
        per = values.groupby(data[rcol], sort=False).nunique(dropna=True)
        if (per > 1).any():
            who = per.index[per > 1][0]
            seen = sorted(values[data[rcol] == who].dropna().unique())
            raise ValueError(
                f"{source}: column {col!r} has different values for respondent {who!r} "
                f"({', '.join(map(repr, seen[:4]))}); a respondent attribute must be the same "
                "on all of a respondent's rows"
            )
        attrs[col] = values.groupby(data[rcol], sort=False).first().reindex(resp_order)
    return attrs


def long_to_survey(
    frame: pd.DataFrame,
    *,
    source: str,
    options: ScaleOptions = ScaleOptions(),
    name: str = "",
) -> Survey:
    """Build a :class:`Survey` from a long table (one row per respondent x outcome).

    Other columns are respondent attributes and must hold one value per respondent.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"Respondent ID": ["r1", "r1", "r2"], "outcome": ["a", "b", "a"],
    ...                   "importance": ["5", "2", "4"], "satisfaction": ["1", "5", "2"]})
    >>> s = long_to_survey(f, source="l.csv")
    >>> s.importance.to_numpy().tolist()
    [[5.0, 2.0], [4.0, nan]]
    """
    roles = _long_columns(frame.columns)
    need = [r for r in ("respondent", "importance", "satisfaction") if r not in roles]
    if "outcome_id" not in roles and "outcome_text" not in roles:
        need.append("outcome")
    if need:
        raise ValueError(
            f"{source} is not a long-format file: it needs columns for "
            f"{', '.join(need)}; the columns are: {', '.join(map(str, frame.columns))}"
        )
    rcol = roles["respondent"]
    ocol = roles["outcome_id"] if "outcome_id" in roles else roles["outcome_text"]
    text_col = roles.get("outcome_text")
    step_col = roles.get("job_step")
    data = frame.copy()
    data[rcol] = data[rcol].astype(str).str.strip()
    data[ocol] = data[ocol].astype(str).str.strip()
    _check_long_rows(data, rcol, ocol, source=source)
    outcome_order = list(dict.fromkeys(data[ocol]))
    resp_order = list(dict.fromkeys(data[rcol]))
    nums = answers_to_numbers(
        data[[roles["importance"], roles["satisfaction"]]], source=source, what="ratings"
    )
    imp, sat = (
        pd.Series(nums[roles[side]].to_numpy(), index=[data[rcol], data[ocol]])
        .unstack()
        .reindex(index=resp_order, columns=outcome_order)
        for side in ("importance", "satisfaction")
    )
    ids = outcome_order
    statements = ids
    if text_col is not None and text_col != ocol:
        statements = [
            str(v).strip()
            for v in data.drop_duplicates(ocol).set_index(ocol)[text_col].reindex(outcome_order)
        ]
    elif "outcome_id" not in roles:
        ids = _outcome_ids(outcome_order)
    imp.columns = ids
    sat.columns = ids
    scale, imp, sat = resolve_scale(imp, sat, options, source=source)
    outcomes = pd.DataFrame({"statement": statements}, index=pd.Index(ids, name="outcome_id"))
    if step_col is not None:
        outcomes["job_step"] = (
            data.drop_duplicates(ocol).set_index(ocol)[step_col].reindex(outcome_order).to_numpy()
        )
    used = {rcol, ocol, roles["importance"], roles["satisfaction"], text_col, step_col}
    attr_cols = [c for c in data.columns if c not in used]
    attrs = _long_attributes(data, attr_cols, rcol, resp_order, source=source)
    return Survey.from_frames(
        outcomes=outcomes,
        importance=imp,
        satisfaction=sat,
        respondents=attrs,
        scale=scale,
        name=name,
    )
