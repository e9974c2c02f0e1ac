"""Threshold decisions decided exactly from the integer counts.

Importance is ``10 k_i / n_i``, satisfaction ``10 k_s / n_s`` and opportunity
``I + max(I - S, 0)``. Adding floats such as 8.2 + 1.8 can land a hair below 10, so a
zone or an "unmet need" decided on floats can flip on a rounding error. Here every
comparison with a threshold is made on integers (cross-multiplied), and the
opportunity float itself is computed as one correctly rounded division of exact
integers, so an exact 10 is the float 10.0 and a float comparison with a threshold
agrees with the exact one.

Thresholds are read as the decimals they are written as (``10.1`` is 101/10).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

__all__ = [
    "at_least",
    "importance_above_satisfaction",
    "opportunity_from_counts",
    "zones_from_counts",
]

ZONE_NAMES: tuple[str, ...] = (
    "underserved-extreme",
    "underserved-high",
    "underserved-solid",
    "appropriately-served",
    "overserved",
)


def _ints(*arrays: np.ndarray, bound: int) -> tuple[np.ndarray, ...]:
    """The arrays as int64 if ``bound`` fits, else as Python-int object arrays."""
    dtype: type | np.dtype = np.int64 if bound < 2**62 else object
    out = []
    for a in arrays:
        arr = np.asarray(a)
        arr = (
            np.nan_to_num(arr.astype(np.float64), nan=0.0).astype(np.int64)
            if arr.dtype.kind == "f"
            else arr.astype(np.int64)
        )
        out.append(arr.astype(dtype))
    return tuple(out)


def _fraction(threshold: float) -> Fraction:
    return Fraction(repr(float(threshold)))


def importance_above_satisfaction(
    k_i: np.ndarray, n_i: np.ndarray, k_s: np.ndarray, n_s: np.ndarray
) -> np.ndarray:
    """Exactly I >= S (``k_i n_s >= k_s n_i``); False where a side has no answers."""
    ki, ni, ks, ns = _ints(
        k_i, n_i, k_s, n_s, bound=int(np.max(n_i, initial=0)) * int(np.max(n_s, initial=0))
    )
    has = (ni > 0) & (ns > 0)
    return np.asarray(has & (ki * ns >= ks * ni), dtype=bool)


def opportunity_from_counts(
    k_i: np.ndarray, n_i: np.ndarray, k_s: np.ndarray, n_s: np.ndarray
) -> np.ndarray:
    """Opportunity as the correctly rounded float of its exact value (NaN if a side is empty).

    Examples
    --------
    n = 100, 82 and 64 top-box answers: exactly 10 (8.2 + 1.8 in floats is 9.999...).

    >>> opportunity_from_counts(np.array([82]), np.array([100]), np.array([64]), np.array([100]))
    array([10.])
    """
    ki, ni, ks, ns = (np.asarray(a, dtype=np.float64) for a in (k_i, n_i, k_s, n_s))
    # Integers up to 2**53 are exact floats, so each product and the difference are exact
    # for n up to about 20 million per side and the division rounds once.
    with np.errstate(invalid="ignore", divide="ignore"):
        above = ki * ns >= ks * ni
        gap_form = (20.0 * ki * ns - 10.0 * ks * ni) / (ni * ns)
        plain = 10.0 * ki / ni
        out = np.where(above, gap_form, plain)
    result: np.ndarray = np.where((ni > 0) & (ns > 0), out, np.nan)
    return result


def at_least(
    k_i: np.ndarray, n_i: np.ndarray, k_s: np.ndarray, n_s: np.ndarray, threshold: float
) -> np.ndarray:
    """Exactly: opportunity >= ``threshold``, from the counts; False where a side is empty.

    Examples
    --------
    >>> at_least(np.array([82, 26, 81]), np.array([100, 30, 100]),
    ...          np.array([64, 7, 64]), np.array([100, 30, 100]), 10).tolist()
    [True, True, False]
    """
    t = _fraction(threshold)
    p, q = t.numerator, t.denominator
    big = int(np.max(n_i, initial=0)) * int(np.max(n_s, initial=0))
    ki, ni, ks, ns = _ints(k_i, n_i, k_s, n_s, bound=big * 20 * max(q, abs(p), 1))
    has = (ni > 0) & (ns > 0)
    above = ki * ns >= ks * ni
    gap_form = q * (20 * ki * ns - 10 * ks * ni) >= p * ni * ns
    plain = 10 * q * ki >= p * ni
    return np.asarray(has & np.where(above, gap_form, plain), dtype=bool)


def zones_from_counts(
    k_i: np.ndarray,
    n_i: np.ndarray,
    k_s: np.ndarray,
    n_s: np.ndarray,
    thresholds: Sequence[float],
) -> np.ndarray:
    """Zone of each outcome decided exactly; an empty string where a side has no answers.

    ``thresholds`` are (solid, high, extreme).

    Examples
    --------
    >>> zones_from_counts(np.array([26, 82, 5]), np.array([30, 100, 10]),
    ...                   np.array([7, 64, 6]), np.array([30, 100, 10]), (10, 12, 15)).tolist()
    ['underserved-extreme', 'underserved-solid', 'overserved']
    """
    solid, high, extreme = thresholds
    has = (np.asarray(n_i) > 0) & (np.asarray(n_s) > 0)
    overserved = ~importance_above_satisfaction(k_i, n_i, k_s, n_s)
    zone = np.select(
        [
            ~has,
            at_least(k_i, n_i, k_s, n_s, extreme),
            at_least(k_i, n_i, k_s, n_s, high),
            at_least(k_i, n_i, k_s, n_s, solid),
            overserved,
        ],
        ["", *ZONE_NAMES[:3], "overserved"],
        default="appropriately-served",
    )
    return zone.astype(object)
