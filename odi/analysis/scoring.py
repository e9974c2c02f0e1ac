"""Opportunity scoring: top-box importance and satisfaction, opportunity, zones, intervals.

The method (see the README):

- valid answers are the answers on the scale; blanks and N/A codes are left out of
  both the numerator and the denominator, per item and per side;
- importance = 10 x share of valid importance answers in the top box; likewise
  satisfaction;
- opportunity = importance + max(importance - satisfaction, 0), unrounded;
- Wilson score intervals for importance and satisfaction; a seeded percentile
  bootstrap over respondents for opportunity, and from it P(opportunity >= 10).

Everything is vectorised over the respondents x outcomes matrices: the bootstrap
draws every resample's respondent counts at once and gets all the top-box counts
from one matrix product.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from odi.analysis.segments import Conditions, describe_conditions, resolve_column, segment_mask
from odi.survey import Survey

__all__ = [
    "DEFAULT_MIN_N",
    "DEFAULT_THRESHOLDS",
    "ZONES",
    "ScoreResult",
    "Thresholds",
    "opportunity",
    "score",
    "wilson_interval",
    "zone_of",
]

#: Zone names, strongest first.
ZONES: tuple[str, ...] = (
    "underserved-extreme",
    "underserved-high",
    "underserved-solid",
    "appropriately-served",
    "overserved",
)

#: The columns the CLI writes, in order.
CLI_COLUMNS: tuple[str, ...] = (
    "outcome_id",
    "outcome",
    "n_importance",
    "n_satisfaction",
    "importance",
    "satisfaction",
    "opportunity",
    "opportunity_low",
    "opportunity_high",
    "zone",
)

ALL_SEGMENT = "All"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Opportunity thresholds of the underserved zones (defaults 10, 12, 15)."""

    solid: float = 10.0
    high: float = 12.0
    extreme: float = 15.0

    def __post_init__(self) -> None:
        if not 0 <= self.solid <= self.high <= self.extreme <= 20:
            raise ValueError(
                "thresholds must satisfy 0 <= solid <= high <= extreme <= 20; got "
                f"{self.solid}, {self.high}, {self.extreme}"
            )


#: The published method's thresholds (10, 12, 15): the one place the defaults are written.
DEFAULT_THRESHOLDS = Thresholds()
#: Fewer valid answers than this flags an outcome or segment as a small sample.
DEFAULT_MIN_N = 30


def opportunity(importance: np.ndarray, satisfaction: np.ndarray) -> np.ndarray:
    """Opportunity = importance + max(importance - satisfaction, 0).

    Examples
    --------
    >>> opportunity(np.array([9.0, 5.0]), np.array([3.0, 8.0])).tolist()
    [15.0, 5.0]
    """
    imp = np.asarray(importance, dtype=float)
    sat = np.asarray(satisfaction, dtype=float)
    result: np.ndarray = imp + np.maximum(imp - sat, 0.0)
    return result


def wilson_interval(
    k: np.ndarray, n: np.ndarray, *, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials, as proportions.

    NaN where ``n`` is 0.

    Examples
    --------
    Ulwick's saw study: 200 of 270 rated the outcome 4 or 5 for importance.

    >>> lo, hi = wilson_interval(np.array([200]), np.array([270]))
    >>> round(float(lo[0]) * 10, 2), round(float(hi[0]) * 10, 2)
    (6.85, 7.89)
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1; got {confidence}")
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
        lo = np.clip(centre - half, 0.0, 1.0)
        hi = np.clip(centre + half, 0.0, 1.0)
    return np.where(n > 0, lo, np.nan), np.where(n > 0, hi, np.nan)


def zone_of(
    importance: np.ndarray,
    satisfaction: np.ndarray,
    *,
    thresholds: Thresholds = Thresholds(),
) -> np.ndarray:
    """Zone of each outcome; an empty string where the scores are missing.

    Examples
    --------
    >>> zone_of(np.array([7.5, 6.0, 5.0, 3.0]), np.array([0.0, 0.0, 0.0, 6.0])).tolist()
    ['underserved-extreme', 'underserved-high', 'underserved-solid', 'overserved']
    """
    imp = np.asarray(importance, dtype=float)
    sat = np.asarray(satisfaction, dtype=float)
    opp = opportunity(imp, sat)
    zone = np.select(
        [
            np.isnan(opp),
            opp >= thresholds.extreme,
            opp >= thresholds.high,
            opp >= thresholds.solid,
            sat > imp,
        ],
        ["", "underserved-extreme", "underserved-high", "underserved-solid", "overserved"],
        default="appropriately-served",
    )
    return zone.astype(object)


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """Result of :func:`score`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per segment x outcome, sorted by segment then opportunity descending
        (missing scores last). Columns:

        ``segment, outcome_id, outcome, job_step, n_importance, n_satisfaction,
        importance, importance_low, importance_high, satisfaction, satisfaction_low,
        satisfaction_high, opportunity, opportunity_low, opportunity_high, gap,
        p_underserved, zone, small_n, crosses_threshold, missing``.

        Scores are on 0-10 (importance, satisfaction) and 0-20 (opportunity), unrounded.
        ``gap`` is importance - satisfaction. ``p_underserved`` is the bootstrap
        probability that opportunity >= the solid threshold. ``missing`` marks outcomes
        with no valid answer on a side: their scores are NaN, never 0.
    segments : pandas.DataFrame
        One row per segment: ``segment, definition, n_respondents``.
    confidence, n_bootstrap, seed, min_n, thresholds
        The settings used.
    """

    table: pd.DataFrame
    segments: pd.DataFrame
    confidence: float
    n_bootstrap: int
    seed: int
    min_n: int
    thresholds: Thresholds = field(default_factory=Thresholds)

    def for_segment(self, segment: str = ALL_SEGMENT) -> pd.DataFrame:
        """The rows of one segment."""
        return self.table.loc[self.table["segment"] == segment].reset_index(drop=True)

    @property
    def underserved(self) -> pd.DataFrame:
        """Rows whose opportunity is at or above the solid threshold."""
        return self.table.loc[self.table["opportunity"] >= self.thresholds.solid]


def _counts(matrix: np.ndarray, top_box: float) -> tuple[np.ndarray, np.ndarray]:
    valid = ~np.isnan(matrix)
    with np.errstate(invalid="ignore"):
        top = matrix >= top_box
    return valid, top


def _sums(matrix: np.ndarray, top_box: float) -> tuple[np.ndarray, np.ndarray]:
    """Valid and top-box counts per outcome, a block of columns at a time, so a million
    respondents never need full-size indicator matrices."""
    n_rows, n_cols = matrix.shape
    step = max(1, 4_000_000 // max(n_rows, 1))
    n = np.empty(n_cols, dtype=np.int64)
    k = np.empty(n_cols, dtype=np.int64)
    for start in range(0, n_cols, step):
        valid, top = _counts(matrix[:, start : start + step], top_box)
        n[start : start + step] = valid.sum(axis=0)
        k[start : start + step] = top.sum(axis=0)
    return n, k


def _bootstrap_opportunity(
    parts: np.ndarray,
    *,
    n_outcomes: int,
    n_resamples: int,
    rng: np.random.Generator,
    confidence: float,
    solid: float,
    point: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile interval of opportunity and P(O >= solid) from respondent resamples.

    ``parts`` is respondents x (4 * outcomes): top-box and valid indicators for
    importance, then for satisfaction. Each resample is a vector of how often each
    respondent was drawn, so every resample's counts come from one matrix product.
    """
    n = parts.shape[0]
    k = n_outcomes
    if n == 0 or n_resamples == 0:
        nan = np.full(k, np.nan)
        return nan, nan.copy(), nan.copy()
    alpha = (1 - confidence) / 2
    opp = np.empty((n_resamples, k), dtype=np.float64)
    batch = max(1, min(n_resamples, 8_000_000 // max(n, 1)))
    offsets_full = np.arange(batch, dtype=np.int64)[:, None] * n
    for start in range(0, n_resamples, batch):
        b = min(batch, n_resamples - start)
        draws = rng.integers(0, n, size=(b, n), dtype=np.int64)
        draws += offsets_full[:b]
        weights = np.bincount(draws.ravel(), minlength=b * n).reshape(b, n)
        c = (weights.astype(np.float32) @ parts).astype(np.float64)  # exact integer counts
        with np.errstate(invalid="ignore", divide="ignore"):
            imp = 10.0 * c[:, :k] / c[:, k : 2 * k]
            sat = 10.0 * c[:, 2 * k : 3 * k] / c[:, 3 * k :]
        opp[start : start + b] = imp + np.maximum(imp - sat, 0.0)
    finite = ~np.isnan(opp)
    any_finite = finite.any(axis=0)
    low = np.full(k, np.nan)
    high = np.full(k, np.nan)
    p_under = np.full(k, np.nan)
    if any_finite.any():
        cols = np.flatnonzero(any_finite)
        sub = opp[:, cols]
        lo_hi = np.nanquantile(sub, [alpha, 1 - alpha], axis=0)
        low[cols], high[cols] = lo_hi[0], lo_hi[1]
        with np.errstate(invalid="ignore"):
            p_under[cols] = (sub >= solid).sum(axis=0) / finite[:, cols].sum(axis=0)
    # A percentile interval can, for a strongly skewed resample distribution, miss the
    # point estimate; report an interval that always contains it.
    has_point = ~np.isnan(point)
    low = np.where(has_point, np.fmin(low, point), np.nan)
    high = np.where(has_point, np.fmax(high, point), np.nan)
    return low, high, p_under


def _score_block(
    imp: np.ndarray,
    sat: np.ndarray,
    *,
    top_box: float,
    n_resamples: int,
    rng: np.random.Generator,
    confidence: float,
    thresholds: Thresholds,
    min_n: int,
) -> dict[str, np.ndarray]:
    n_i, k_i = _sums(imp, top_box)
    n_s, k_s = _sums(sat, top_box)
    with np.errstate(invalid="ignore", divide="ignore"):
        importance = np.where(n_i > 0, 10.0 * k_i / n_i, np.nan)
        satisfaction = np.where(n_s > 0, 10.0 * k_s / n_s, np.nan)
    opp = opportunity(importance, satisfaction)
    i_lo, i_hi = wilson_interval(k_i, n_i, confidence=confidence)
    s_lo, s_hi = wilson_interval(k_s, n_s, confidence=confidence)
    if n_resamples:
        vi, ti = _counts(imp, top_box)
        vs, ts = _counts(sat, top_box)
        parts = np.concatenate([ti, vi, ts, vs], axis=1).astype(np.float32)
        o_lo, o_hi, p_under = _bootstrap_opportunity(
            parts,
            n_outcomes=imp.shape[1],
            n_resamples=n_resamples,
            rng=rng,
            confidence=confidence,
            solid=thresholds.solid,
            point=opp,
        )
    else:
        o_lo = o_hi = p_under = np.full(imp.shape[1], np.nan)
    with np.errstate(invalid="ignore"):
        crosses = (o_lo < thresholds.solid) & (o_hi >= thresholds.solid)
    return {
        "n_importance": n_i,
        "n_satisfaction": n_s,
        "importance": importance,
        "importance_low": 10 * i_lo,
        "importance_high": 10 * i_hi,
        "satisfaction": satisfaction,
        "satisfaction_low": 10 * s_lo,
        "satisfaction_high": 10 * s_hi,
        "opportunity": opp,
        "opportunity_low": o_lo,
        "opportunity_high": o_hi,
        "gap": importance - satisfaction,
        "p_underserved": p_under,
        "zone": zone_of(importance, satisfaction, thresholds=thresholds),
        "small_n": (n_i < min_n) | (n_s < min_n),
        "crosses_threshold": crosses,
        "missing": (n_i == 0) | (n_s == 0),
    }


def _rng_for(seed: int, segment: str) -> np.random.Generator:
    if segment == ALL_SEGMENT:
        return np.random.default_rng(seed)
    return np.random.default_rng([seed, zlib.crc32(segment.encode("utf-8"))])


def score(
    survey: Survey,
    *,
    where: Conditions | None = None,
    by: str | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    min_n: int = DEFAULT_MIN_N,
    thresholds: Thresholds = Thresholds(),
    segment_values: Sequence[str] | None = None,
) -> ScoreResult:
    """Score every outcome, for the respondents matching ``where``, and per value of ``by``.

    Parameters
    ----------
    survey : Survey
        The survey to score.
    where : mapping of str to list of str, optional
        Attribute filters; repeated values of one attribute mean any of them, different
        attributes must all match.
    by : str, optional
        An attribute: adds one segment per value (after ``where``) beside ``All``.
    bootstrap : int
        Number of bootstrap resamples for the opportunity interval (0 to skip).
    seed : int
        Seed of the bootstrap, so results repeat.
    confidence : float
        Confidence level of all intervals.
    min_n : int
        Fewer valid answers than this on either side sets ``small_n``.
    thresholds : Thresholds
        Zone thresholds.
    segment_values : sequence of str, optional
        With ``by``, score only these values (in this order) instead of every value.

    Returns
    -------
    ScoreResult

    Examples
    --------
    >>> import pandas as pd
    >>> from odi.scale import Scale
    >>> s = Survey.from_frames(
    ...     outcomes=pd.DataFrame({"statement": ["a", "b"]}, index=["O1", "O2"]),
    ...     importance=pd.DataFrame({"O1": [5, 4, 2, 5], "O2": [1, 2, 5, 5]}),
    ...     satisfaction=pd.DataFrame({"O1": [1, 2, 2, 4], "O2": [5, 5, 5, None]}),
    ...     scale=Scale.from_range(1, 5),
    ... )
    >>> t = score(s, bootstrap=0).table
    >>> t[["outcome_id", "importance", "satisfaction", "opportunity", "zone"]]
      outcome_id  importance  satisfaction  opportunity                 zone
    0         O1         7.5           2.5         12.5     underserved-high
    1         O2         5.0          10.0          5.0           overserved
    """
    if bootstrap < 0:
        raise ValueError(f"bootstrap must be 0 or a positive number of resamples; got {bootstrap}")
    if min_n < 0:
        raise ValueError(f"min_n must be 0 or more; got {min_n}")
    base_mask = segment_mask(survey.respondents, where)
    base_label = ALL_SEGMENT
    segments: list[tuple[str, str, np.ndarray]] = [
        (base_label, describe_conditions(where), base_mask)
    ]
    if by is not None:
        col = resolve_column(survey.respondents, by, option="--by")
        values = survey.respondents[col].astype("string").str.strip()
        if segment_values is None:
            present = values[base_mask].dropna()
            order = present.value_counts(sort=False).index.tolist()
            chosen = sorted(map(str, order), key=_natural_key)
        else:
            chosen = [str(v) for v in segment_values]
        for value in chosen:
            cond = {**(where or {}), col: [value]}
            mask = base_mask & values.eq(value).fillna(False).to_numpy(dtype=bool)
            segments.append((value, describe_conditions(cond), mask))
        blank = base_mask & values.isna().to_numpy(dtype=bool)
        if segment_values is None and blank.any():
            segments.append(("(blank)", f"{col} is blank", blank))

    imp_all = survey.importance.to_numpy(dtype=float)
    sat_all = survey.satisfaction.to_numpy(dtype=float)
    frames = []
    seg_rows = []
    for label, definition, mask in segments:
        block = _score_block(
            imp_all[mask] if not mask.all() else imp_all,
            sat_all[mask] if not mask.all() else sat_all,
            top_box=survey.scale.top_box,
            n_resamples=bootstrap,
            rng=_rng_for(seed, label),
            confidence=confidence,
            thresholds=thresholds,
            min_n=min_n,
        )
        frame = pd.DataFrame(
            {
                "segment": label,
                "outcome_id": survey.outcomes.index.to_numpy(),
                "outcome": survey.outcomes["statement"].to_numpy(),
                "job_step": survey.outcomes["job_step"].to_numpy(),
                **block,
            }
        )
        frame = frame.sort_values("opportunity", ascending=False, na_position="last", kind="stable")
        frames.append(frame)
        seg_rows.append(
            {"segment": label, "definition": definition, "n_respondents": int(mask.sum())}
        )
    table = pd.concat(frames, ignore_index=True)
    for col in ("n_importance", "n_satisfaction"):
        table[col] = table[col].astype("int64")
    return ScoreResult(
        table=table,
        segments=pd.DataFrame(seg_rows),
        confidence=confidence,
        n_bootstrap=bootstrap,
        seed=seed,
        min_n=min_n,
        thresholds=thresholds,
    )


def _natural_key(text: str) -> tuple[object, ...]:
    return tuple(int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", text))
