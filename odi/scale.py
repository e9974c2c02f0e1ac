"""Rating scales: their points, top box, labels and N/A codes, and how to infer one.

A :class:`Scale` says which answers are *valid* for scoring and which of them count
as the top box. Everything that reads answers goes through :func:`apply_scale`, so
that a value off the scale is always an error that names it, never a silent score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "MISSING_CODE",
    "SCORE_INTERVAL_COLUMNS",
    "STANDARD_SCALES",
    "Scale",
    "ScaleError",
    "apply_scale",
    "check_codes",
    "decode_ratings",
    "encode_ratings",
    "infer_scale",
    "parse_na_codes",
    "parse_scale",
]


#: The int8 code of a blank answer (blank or N/A) in the compact rating matrices.
MISSING_CODE: int = -128

#: Rows checked at a time, so temporaries stay small at any size.
_BLOCK_ROWS = 65_536
#: Answers encoded at a time (512 KiB of float64: the block stays in the cache).
_BLOCK_CELLS = 1 << 16


class ScaleError(ValueError):
    """Answers that do not fit the declared or inferred scale."""


@dataclass(frozen=True, slots=True)
class Scale:
    """A numeric rating scale.

    Attributes
    ----------
    points : tuple of float
        The valid scale points, ascending (``(1, 2, 3, 4, 5)``).
    top_box : float
        The lowest point that counts as top box. Answers ``>= top_box`` are top box.
    labels : tuple of (float, str)
        Optional answer label for each point, for display and label mapping.
    na_codes : tuple of float
        Numeric codes that mean "not applicable" and are treated as missing.

    Examples
    --------
    >>> s = Scale.from_range(1, 5)
    >>> s.points, s.top_box
    ((1.0, 2.0, 3.0, 4.0, 5.0), 4.0)
    >>> str(s)
    '1-5'
    """

    points: tuple[float, ...]
    top_box: float
    labels: tuple[tuple[float, str], ...] = field(default=())
    na_codes: tuple[float, ...] = field(default=())

    def __post_init__(self) -> None:
        if len(self.points) < 2:
            raise ValueError(f"a scale must have at least 2 points; got {list(self.points)}")
        if list(self.points) != sorted(set(self.points)):
            raise ValueError(f"scale points must be unique and ascending; got {list(self.points)}")
        if self.top_box not in self.points:
            raise ValueError(
                f"top box must be one of the scale points {_fmt_points(self.points)}; "
                f"got {_fmt(self.top_box)}"
            )
        if self.top_box == self.points[0]:
            raise ValueError(
                f"top box must be above the lowest point {_fmt(self.points[0])}, or every "
                f"answer would count; got {_fmt(self.top_box)}"
            )
        clash = sorted(set(self.na_codes) & set(self.points))
        if clash:
            raise ValueError(
                f"N/A codes must not be scale points; got {', '.join(_fmt(c) for c in clash)} "
                f"on the scale {self}"
            )

    @classmethod
    def from_range(
        cls,
        low: int,
        high: int,
        *,
        top_box: float | None = None,
        na_codes: Iterable[float] = (),
        labels: Mapping[float, str] | None = None,
    ) -> Scale:
        """Build an integer scale ``low..high``; the top box defaults to the top two points."""
        if high - low < 1:
            raise ValueError(f"scale must run from a low to a higher point; got {low}-{high}")
        points = tuple(float(p) for p in range(low, high + 1))
        return cls(
            points=points,
            top_box=float(high - 1) if top_box is None else float(top_box),
            labels=tuple(sorted((float(k), v) for k, v in (labels or {}).items())),
            na_codes=tuple(sorted(float(c) for c in na_codes)),
        )

    def with_options(
        self, *, top_box: float | None = None, na_codes: Iterable[float] | None = None
    ) -> Scale:
        """Return a copy with another top box or other N/A codes."""
        return Scale(
            points=self.points,
            top_box=self.top_box if top_box is None else float(top_box),
            labels=self.labels,
            na_codes=self.na_codes if na_codes is None else tuple(sorted(map(float, na_codes))),
        )

    @property
    def low(self) -> float:
        """The lowest scale point."""
        return self.points[0]

    @property
    def high(self) -> float:
        """The highest scale point."""
        return self.points[-1]

    @property
    def top_points(self) -> tuple[float, ...]:
        """The points that count as top box."""
        return tuple(p for p in self.points if p >= self.top_box)

    def __str__(self) -> str:
        return f"{_fmt(self.low)}-{_fmt(self.high)}"


STANDARD_SCALES: tuple[tuple[int, int], ...] = ((1, 5), (1, 7), (0, 10), (1, 10))

#: Score-table columns on the 0..10 score scale: each score and its interval bounds.
SCORE_INTERVAL_COLUMNS: tuple[str, ...] = (
    "importance",
    "importance_low",
    "importance_high",
    "satisfaction",
    "satisfaction_low",
    "satisfaction_high",
    "opportunity",
    "opportunity_low",
    "opportunity_high",
)


def parse_scale(text: str) -> tuple[int, int]:
    """Parse ``"1-5"`` (or ``"1..5"``, ``"1:5"``) into ``(1, 5)``.

    Examples
    --------
    >>> parse_scale("0-10")
    (0, 10)
    """
    m = re.fullmatch(r"\s*(-?\d+)\s*(?:-|\.\.|:|to)\s*(-?\d+)\s*", text)
    if not m:
        raise ValueError(f"scale must look like 1-5, 1-7, 0-10 or 1-10; got {text!r}")
    low, high = int(m.group(1)), int(m.group(2))
    if high - low < 1:
        raise ValueError(f"scale must run from a low to a higher point; got {text!r}")
    return low, high


def parse_na_codes(text: str) -> tuple[float, ...]:
    """Parse ``"0,6,99"`` into ``(0.0, 6.0, 99.0)``.

    Examples
    --------
    >>> parse_na_codes("0, 6,-99")
    (-99.0, 0.0, 6.0)
    """
    codes = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            codes.append(float(part))
        except ValueError:
            raise ValueError(
                f"N/A codes must be numbers separated by commas, like 0,6,99; got {part!r}"
            ) from None
    return tuple(sorted(codes))


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _fmt_points(points: Iterable[float]) -> str:
    return "{" + ", ".join(_fmt(p) for p in points) + "}"


def _value_counts(values: np.ndarray) -> dict[float, int]:
    vals, counts = np.unique(values[~np.isnan(values)], return_counts=True)
    return {float(v): int(c) for v, c in zip(vals, counts, strict=True)}


def _describe_counts(counts: Mapping[float, int]) -> str:
    return ", ".join(
        f"{_fmt(v)} ({c} answer{'s' if c != 1 else ''})" for v, c in sorted(counts.items())
    )


def _likely_scale(counts: Mapping[float, int]) -> tuple[int, int]:
    """The narrowest standard scale holding at least 90% of the answers (else the fullest)."""
    total = sum(counts.values())

    def inside(s: tuple[int, int]) -> int:
        return sum(c for v, c in counts.items() if s[0] <= v <= s[1])

    for s in sorted(STANDARD_SCALES, key=lambda s: (s[1] - s[0], s[0])):
        if inside(s) >= 0.9 * total:
            return s
    return max(STANDARD_SCALES, key=lambda s: (inside(s), -(s[1] - s[0])))


def _top_on(low: int, high: int, top_box: float | None) -> float | None:
    """The top box on ``low-high``: the given one if it is a point there, else the default."""
    return top_box if top_box is not None and low < top_box <= high else None


def infer_scale(
    values: np.ndarray, *, na_codes: Iterable[float] = (), top_box: float | None = None
) -> Scale:
    """Infer a standard scale (1-5, 1-7, 0-10 or 1-10) from the answers given.

    The answers must fit exactly one standard scale whose top point was used.
    Otherwise the scale is ambiguous and must be given, and the error says why.

    Parameters
    ----------
    values : numpy.ndarray
        All numeric answers, NaN for blanks; N/A codes may still be present.
    na_codes : iterable of float
        Codes to treat as missing before inferring.
    top_box : float, optional
        Lowest top-box point; the top two points by default.

    Returns
    -------
    Scale

    Raises
    ------
    ScaleError
        When no standard scale fits, or more than one does.

    Examples
    --------
    >>> import numpy as np
    >>> str(infer_scale(np.array([1.0, 3, 5, np.nan])))
    '1-5'
    >>> str(infer_scale(np.array([1.0, 5, 6]), na_codes=[6]))
    '1-5'

    A 1-7 survey where nobody answered 7 is not told to treat 6 as N/A:

    >>> try:
    ...     infer_scale(np.array([1.0] * 10 + [2, 3, 4, 5, 6]))
    ... except ScaleError as e:
    ...     print(str(e)[str(e).index("; 6"):][:45])
    ; 6 would be a top-box answer there, so it is
    """
    na = tuple(float(c) for c in na_codes)
    arr = np.asarray(values, dtype=float).ravel()
    arr = np.where(np.isin(arr, na), np.nan, arr)
    counts = _value_counts(arr)
    if not counts:
        raise ScaleError("there are no answers to infer the scale from; every rating is blank")
    fractional = {v: c for v, c in counts.items() if not float(v).is_integer()}
    if fractional:
        raise ScaleError(
            f"ratings must be whole scale points; found {_describe_counts(fractional)}. "
            "Check the file, or declare those codes with --na-codes"
        )
    observed = set(counts)
    lo, hi = min(observed), max(observed)
    fitting = [(a, b) for a, b in STANDARD_SCALES if observed <= set(map(float, range(a, b + 1)))]
    topped = [(a, b) for a, b in fitting if b == hi]
    if len(topped) == 1:
        a, b = topped[0]
        return Scale.from_range(a, b, top_box=top_box, na_codes=na)
    best = _likely_scale(counts)
    outside = {v: c for v, c in counts.items() if not best[0] <= v <= best[1]}
    # An answer that is top box on another scale the answers fit (6 on 1-7 when nobody
    # answered 7) is never suggested as an N/A code: that would drop the strongest answers.
    top_elsewhere = sorted(
        v
        for v in outside
        for a, b in fitting
        if v in Scale.from_range(a, b, top_box=_top_on(a, b, top_box)).top_points
    )
    if top_elsewhere:
        names = " or ".join(f"{a}-{b}" for a, b in fitting)
        raise ScaleError(
            f"the scale is ambiguous: answers run from {_fmt(lo)} to {_fmt(hi)}, which fits "
            f"{names}; {', '.join(_fmt(v) for v in dict.fromkeys(top_elsewhere))} would be a "
            "top-box answer there, so it is not treated as not-applicable. Give the scale with "
            f"--scale (for example --scale {fitting[0][0]}-{fitting[0][1]})"
        )
    if outside:
        raise ScaleError(
            f"the scale could not be inferred: if it is {best[0]}-{best[1]}, these "
            f"values are outside it: {_describe_counts(outside)}. Declare them as "
            f"not-applicable codes (--na-codes {','.join(_fmt(v) for v in sorted(outside))}) "
            "or give the scale (--scale)"
        )
    names = " or ".join(f"{a}-{b}" for a, b in fitting)
    raise ScaleError(
        f"the scale is ambiguous: answers run from {_fmt(lo)} to {_fmt(hi)}, which fits "
        f"{names}. Give the scale with --scale (for example --scale {best[0]}-{best[1]})"
    )


def apply_scale(
    matrix: pd.DataFrame, scale: Scale, *, what: str = "ratings", source: str = ""
) -> pd.DataFrame:
    """Return ``matrix`` with N/A codes blanked, after checking every answer is on the scale.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Numeric answers (float, NaN for blank), respondents x outcomes.
    scale : Scale
        The scale to check against.
    what : str
        Name of the answers for messages ("importance ratings").
    source : str
        File name for messages.

    Raises
    ------
    ScaleError
        Listing every off-scale value with its count, and the columns it is in.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"a": [1.0, 5.0, 99.0]})
    >>> apply_scale(m, Scale.from_range(1, 5, na_codes=[99]))["a"].tolist()
    [1.0, 5.0, nan]
    """
    values = matrix.to_numpy(dtype=float, copy=True)
    if scale.na_codes:
        values[np.isin(values, scale.na_codes)] = np.nan
    bad = ~np.isnan(values) & ~np.isin(values, scale.points)
    if bad.any():
        raise _off_scale_error(values, bad, list(matrix.columns), scale, what, source)
    return pd.DataFrame(values, index=matrix.index, columns=matrix.columns)


def _code_table(scale: Scale) -> np.ndarray:
    """Which int8 codes are allowed: the scale points and the blank code, indexed by the
    code's byte (``code.view(uint8)``)."""
    allowed = np.zeros(256, dtype=bool)
    allowed[np.array(scale.points, dtype=np.int8).view(np.uint8)] = True
    allowed[np.array([MISSING_CODE], dtype=np.int8).view(np.uint8)] = True
    return allowed


def _on_scale(codes: np.ndarray, scale: Scale) -> np.ndarray:
    """Which int8 codes are scale points (fast range checks for a whole-number range)."""
    low, high = int(scale.points[0]), int(scale.points[-1])
    if len(scale.points) == high - low + 1:
        return np.asarray((codes >= low) & (codes <= high))
    return np.asarray(_code_table(scale)[codes.view(np.uint8)] & (codes != MISSING_CODE))


def _check_compact(scale: Scale) -> None:
    if not all(float(p).is_integer() and -127 <= p <= 127 for p in scale.points):
        raise ValueError(
            "scale points must be whole numbers from -127 to 127 to be stored as rating "
            f"codes; got {_fmt_points(scale.points)}"
        )


def _off_scale_error(
    values: np.ndarray,
    bad: np.ndarray,
    columns: Sequence[object],
    scale: Scale,
    what: str,
    source: str,
) -> ScaleError:
    counts = _value_counts(np.where(bad, values, np.nan))
    cols = [str(c) for c, b in zip(columns, np.asarray(bad.any(axis=0)).tolist(), strict=True) if b]
    where = f" in {source}" if source else ""
    shown = ", ".join(cols[:5]) + (f" and {len(cols) - 5} more" if len(cols) > 5 else "")
    return ScaleError(
        f"{what}{where} have values outside the {scale} scale: {_describe_counts(counts)} "
        f"(in column{'s' if len(cols) != 1 else ''} {shown}). If they mean 'not "
        f"applicable', pass --na-codes {','.join(_fmt(v) for v in counts)}; if the scale "
        "is different, pass --scale"
    )


def encode_ratings(
    matrix: pd.DataFrame | np.ndarray, scale: Scale, *, what: str = "ratings", source: str = ""
) -> np.ndarray:
    """Encode answers as compact int8 codes: the scale point itself, :data:`MISSING_CODE`
    for a blank or an N/A code.

    The answers are read a block of rows at a time, so a large float matrix is never
    copied whole. Off-scale values raise the same :class:`ScaleError` as
    :func:`apply_scale`.

    Examples
    --------
    >>> import numpy as np
    >>> scale = Scale.from_range(1, 5, na_codes=[99])
    >>> encode_ratings(np.array([[1.0, 5.0], [99.0, np.nan]]), scale)
    array([[   1,    5],
           [-128, -128]], dtype=int8)
    """
    _check_compact(scale)
    if isinstance(matrix, pd.DataFrame):
        columns: Sequence[object] = list(matrix.columns)
        numeric = (
            all(isinstance(d, np.dtype) and d.kind in "fiub" for d in matrix.dtypes)
            and len(set(matrix.dtypes)) <= 1
        )
        values = matrix.to_numpy() if numeric else matrix.to_numpy(dtype="float64", na_value=np.nan)
    else:
        values = np.asarray(matrix)
        columns = list(range(values.shape[1])) if values.ndim == 2 else []
    if values.ndim != 2:
        raise ValueError(
            f"{what} must be a respondents x outcomes matrix; got shape {values.shape}"
        )
    n_rows, n_cols = values.shape
    codes = np.empty(values.shape, dtype=np.int8)
    na = np.array(scale.na_codes, dtype=np.float64)
    # Row blocks small enough for the cache, whatever the frame's memory order (pandas
    # frames are usually column-major): each block is read in its own order and its
    # small int8 result transposed into the row-major codes.
    step = max(1, _BLOCK_CELLS // max(n_cols, 1))
    for start in range(0, max(n_rows, 1), step):
        part = np.s_[start : start + step]
        block = np.asarray(values[part], dtype=np.float64)
        with np.errstate(invalid="ignore"):
            whole = block.astype(np.int8)  # NaN, fractions and big values fail the test below
        ok = np.equal(block, whole) & _on_scale(whole, scale)
        if not ok.all():
            blank = np.isnan(block)
            if len(na):
                blank |= np.isin(block, na)
            bad = ~blank & ~ok
            if bad.any():
                rows = np.flatnonzero(bad.any(axis=1))
                cols = np.flatnonzero(bad.any(axis=0))
                sub = block[np.ix_(rows, cols)]
                raise _off_scale_error(
                    sub,
                    bad[np.ix_(rows, cols)],
                    [columns[int(c)] for c in cols],
                    scale,
                    what,
                    source,
                )
            whole[~ok] = MISSING_CODE
        codes[part] = whole
    return codes


def check_codes(codes: np.ndarray, scale: Scale, *, what: str = "ratings") -> None:
    """Raise a :class:`ScaleError` unless every code is a scale point or blank.

    Examples
    --------
    >>> import numpy as np
    >>> try:
    ...     check_codes(np.array([[1, 6]], dtype=np.int8), Scale.from_range(1, 5))
    ... except ScaleError as e:
    ...     print(str(e)[:58])
    ratings have codes that are not points of the 1-5 scale: 6
    """
    _check_compact(scale)
    if codes.dtype != np.int8 or codes.ndim != 2:
        raise ValueError(
            f"{what} codes must be a 2-D int8 array; got {codes.dtype} with shape {codes.shape}"
        )
    for start in range(0, codes.shape[0], _BLOCK_ROWS):
        block = codes[start : start + _BLOCK_ROWS]
        bad = ~_on_scale(block, scale) & (block != MISSING_CODE)
        if bad.any():
            counts = _value_counts(block[bad].astype(np.float64))
            raise ScaleError(
                f"{what} have codes that are not points of the {scale} scale: "
                f"{_describe_counts(counts)}; blank answers must be {MISSING_CODE}"
            )


def decode_ratings(codes: np.ndarray) -> np.ndarray:
    """The float answers of int8 codes, NaN for blank.

    Examples
    --------
    >>> import numpy as np
    >>> decode_ratings(np.array([[5, -128]], dtype=np.int8)).tolist()
    [[5.0, nan]]
    """
    out = codes.astype(np.float64)
    out[codes == MISSING_CODE] = np.nan
    return out
