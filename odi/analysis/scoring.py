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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pandas as pd

from odi.analysis.counting import (
    SHARED_CELLS,
    Indicators,
    bootstrap_counts,
    group_counts,
    side_counts,
)
from odi.analysis.exact import at_least, opportunity_from_counts, zones_from_counts
from odi.analysis.segments import (
    Conditions,
    describe_conditions,
    factorize_trimmed,
    resolve_column,
    resolve_with_mask,
)
from odi.survey import Survey

__all__ = [
    "ALL_SEGMENT",
    "BLANK_SEGMENT",
    "DEFAULT_MIN_N",
    "DEFAULT_THRESHOLDS",
    "ZONES",
    "ScoreResult",
    "Thresholds",
    "meets_threshold",
    "opportunity",
    "score",
    "segment_rng",
    "weak_interval",
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
#: The segment of respondents with a blank ``by`` attribute.
BLANK_SEGMENT = "(blank)"


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


#: Below any difference between two opportunities of up to 1,000,000 answers a side
#: (10 / (n_i n_s) >= 1e-11) and far above float rounding (about 1e-14): how close a
#: float opportunity must be to a threshold to count as on it in :func:`zone_of`.
FLOAT_TOLERANCE = 1e-11


def zone_of(
    importance: np.ndarray,
    satisfaction: np.ndarray,
    *,
    thresholds: Thresholds = Thresholds(),
) -> np.ndarray:
    """Zone of each outcome from float scores; an empty string where the scores are missing.

    Scoring decides zones exactly from the counts
    (:func:`odi.analysis.exact.zones_from_counts`); this float form, for charts and
    callers that only have scores, counts an opportunity within
    :data:`FLOAT_TOLERANCE` of a threshold as on it, so 8.2 + (8.2 - 6.4) is 10.

    Examples
    --------
    >>> zone_of(np.array([7.5, 6.0, 5.0, 3.0]), np.array([0.0, 0.0, 0.0, 6.0])).tolist()
    ['underserved-extreme', 'underserved-high', 'underserved-solid', 'overserved']
    >>> zone_of(np.array([8.2]), np.array([6.4])).tolist()
    ['underserved-solid']
    """
    imp = np.asarray(importance, dtype=float)
    sat = np.asarray(satisfaction, dtype=float)
    opp = opportunity(imp, sat) + FLOAT_TOLERANCE
    zone = np.select(
        [
            np.isnan(opp),
            opp >= thresholds.extreme,
            opp >= thresholds.high,
            opp >= thresholds.solid,
            sat > imp + FLOAT_TOLERANCE,
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
        top_importance, top_satisfaction, importance, importance_low, importance_high,
        satisfaction, satisfaction_low, satisfaction_high, opportunity, opportunity_low,
        opportunity_high, gap, p_underserved, zone, small_n, weak_interval,
        crosses_threshold, near_lines, missing``.

        Scores are on 0-10 (importance, satisfaction) and 0-20 (opportunity), unrounded.
        Zones are decided exactly from the counts. ``gap`` is importance - satisfaction.
        ``weak_interval`` widens ``small_n`` to
        where the opportunity interval is measured to under-cover (:func:`weak_interval`).
        ``near_lines`` lists the zone lines (10, 12, 15 by default) inside the
        opportunity interval. ``top_importance`` and ``top_satisfaction`` are the
        top-box counts, from which :func:`meets_threshold` decides thresholds exactly.
        ``p_underserved`` is the bootstrap probability that opportunity >= the solid
        threshold (each resample decided exactly). ``missing`` marks outcomes
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
        """Rows whose opportunity is at or above the solid threshold (decided exactly)."""
        return self.table.loc[meets_threshold(self.table, self.thresholds.solid)]


#: Cells (segments x outcomes x resamples) of resampled opportunities held at once.
_OPPORTUNITY_CELLS = 1 << 22


def _bootstrap(
    survey: Survey,
    segments: list[_Segment],
    members: _Members,
    *,
    n_resamples: int,
    seed: int,
    confidence: float,
    solid: float,
    point: np.ndarray,
) -> np.ndarray:
    """Percentile interval of opportunity and P(O >= solid) from respondent resamples,
    for every segment: (low, high, p_under) x segments x outcomes.

    Each resample is a vector of how often each member was drawn, so every resample's
    counts come from one matrix product with the top-box and valid indicators. In a
    small study the indicators are built once for everyone and once for the ``by``
    segments, whose members are put one after another so that each segment is a run
    of rows (:class:`~odi.analysis.counting.Indicators`); a large one is counted a
    block of respondents at a time (:func:`~odi.analysis.counting.bootstrap_counts`).
    At most about 8 million draws are held at once, however many respondents there are.
    Each segment draws from its own generator (:func:`segment_rng`).
    """
    k = survey.n_outcomes
    out = np.full((3, len(segments), k), np.nan)
    runs = members.runs(survey, [seg.size for seg in segments])
    alpha = (1 - confidence) / 2
    per_chunk = max(1, _OPPORTUNITY_CELLS // (n_resamples * k))
    for first in range(0, len(segments), per_chunk):
        chunk = range(first, min(len(segments), first + per_chunk))
        # One row per segment and outcome, one column per resample.
        opp = np.full((len(chunk) * k, n_resamples), np.nan)
        meets = np.zeros(len(chunk) * k, dtype=np.int64)
        for j, g in enumerate(chunk):
            if runs[g].n:
                _resample(
                    survey,
                    runs[g],
                    rng=segment_rng(seed, segments[g].conditions),
                    solid=solid,
                    opp=opp[j * k : (j + 1) * k],
                    meets=meets[j * k : (j + 1) * k],
                )
        low, high, p_under = _percentiles(opp, meets, alpha)
        out[:, chunk] = np.stack([low, high, p_under]).reshape(3, len(chunk), k)
    # A percentile interval can, for a strongly skewed resample distribution, miss the
    # point estimate; report an interval that always contains it.
    has_point = ~np.isnan(point)
    out[0] = np.where(has_point, np.fmin(out[0], point), np.nan)
    out[1] = np.where(has_point, np.fmax(out[1], point), np.nan)
    return out


def _resample(
    survey: Survey,
    run: _Run,
    *,
    rng: np.random.Generator,
    solid: float,
    opp: np.ndarray,
    meets: np.ndarray,
) -> None:
    """Fill ``opp`` (outcomes x resamples) with the opportunity of each resample of the
    run's members, and add to ``meets`` how many reach ``solid``."""
    k = survey.n_outcomes
    n = run.n
    n_resamples = opp.shape[1]
    batch = max(1, min(n_resamples, 8_000_000 // max(n, 1)))
    offsets_full = np.arange(batch, dtype=np.int64)[:, None] * n
    exact_float = _float_decides(solid, n)
    for first in range(0, n_resamples, batch):
        b = min(batch, n_resamples - first)
        draws = rng.integers(0, n, size=(b, n), dtype=np.int64)
        if run.positions is not None:
            np.take(run.positions, draws, out=draws)
        draws += offsets_full[:b]
        weights = np.bincount(draws.ravel(), minlength=b * n).reshape(b, n).astype(np.float32)
        del draws
        if run.source is not None:
            c = run.source.counts(weights, run.start)
        else:
            c = bootstrap_counts(
                survey.importance_codes,
                survey.satisfaction_codes,
                int(survey.scale.top_box),
                weights,
                run.rows,
            )
        parts = (c[:, :k], c[:, k : 2 * k], c[:, 2 * k : 3 * k], c[:, 3 * k :])
        values = opportunity_from_counts(*parts)
        opp[:, first : first + b] = values.T
        hits = values >= solid if exact_float else at_least(*parts, solid)
        meets += hits.sum(axis=0)


def _float_decides(threshold: float, n: int) -> bool:
    """Whether ``opportunity >= threshold`` on the correctly rounded float opportunity of
    at most ``n`` answers a side is the exact decision of :func:`~odi.analysis.exact.at_least`.

    It is when the threshold is a float exactly (10, 12.5, not 10.1) and an
    opportunity that differs from it differs by more than half a float step: exact
    opportunities are fractions with denominators at most n^2, so they differ from a
    threshold p/q by at least 1 / (q n^2), and 2**-40 is far above half a step of a
    float under 32 (2**-49).
    """
    exact = Fraction(repr(float(threshold)))
    return Fraction(float(threshold)) == exact and exact.denominator * n * n <= 2**40


def _percentiles(
    opp: np.ndarray, meets: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (alpha, 1 - alpha) quantiles of each row of ``opp`` (NaN for an empty
    resample) and the share of its finite resamples that ``meets`` counted."""
    rows = len(opp)
    low, high, p_under = np.full(rows, np.nan), np.full(rows, np.nan), np.full(rows, np.nan)
    finite = opp.shape[1] - np.isnan(opp).sum(axis=1)
    has = np.flatnonzero(finite > 0)
    if not len(has):
        return low, high, p_under
    # Sorted first: np.quantile then only picks the same order statistics, several
    # times faster than partitioning (NaN sort last, as np.nanquantile ignores them).
    opp.sort(axis=1)
    complete = finite[has] == opp.shape[1]
    lo_hi = np.empty((2, len(has)))
    lo_hi[:, complete] = np.quantile(opp[has[complete]], [alpha, 1 - alpha], axis=1)
    if not complete.all():
        # np.nanquantile loops over rows, so only the rows with an empty resample take it.
        partial = has[~complete]
        lo_hi[:, ~complete] = np.nanquantile(opp[partial], [alpha, 1 - alpha], axis=1)
    low[has], high[has] = lo_hi
    p_under[has] = meets[has] / finite[has]
    return low, high, p_under


def _near_lines(low: np.ndarray, high: np.ndarray, thresholds: Thresholds) -> np.ndarray:
    """The zone lines (O = solid, high, extreme) inside each opportunity interval."""
    lines = sorted({thresholds.solid, thresholds.high, thresholds.extreme})
    if np.isnan(low).all():
        return np.full(len(low), "", dtype=object)
    with np.errstate(invalid="ignore"):
        inside = [(low < t) & (high >= t) for t in lines]
    return np.array(
        [
            ", ".join(f"{t:g}" for t, hit in zip(lines, row, strict=True) if hit)
            for row in zip(*inside, strict=True)
        ]
        if len(low)
        else [],
        dtype=object,
    )


#: Fewer answers than this in the top box, or outside it, on either side makes the
#: opportunity interval weak (see :func:`weak_interval`).
MIN_EACH_SIDE_OF_TOP_BOX = 10


def weak_interval(
    k_i: np.ndarray, n_i: np.ndarray, k_s: np.ndarray, n_s: np.ndarray, *, min_n: int = 30
) -> np.ndarray:
    """Where the opportunity interval is known to under-cover: the small-sample flag,
    widened.

    The seeded simulation in ``benchmarks/bench_coverage.py`` (and its short version in
    the tests) measures the percentile bootstrap's coverage of the true opportunity: it
    falls to 62-93 % for a nominal 95 % when a side has fewer than ``min_n`` answers, or
    when nearly everyone (or nearly no one) answers in the top box, for example 85 % top
    box at n = 30. Elsewhere it measures 94-96 %. So an interval is weak when a side has
    fewer than ``min_n`` answers, or fewer than :data:`MIN_EACH_SIDE_OF_TOP_BOX` answers
    in the top box or outside it.

    Examples
    --------
    >>> weak_interval(np.array([27, 15, 15]), np.array([30, 30, 20]),
    ...               np.array([15, 15, 10]), np.array([30, 30, 20])).tolist()
    [True, False, True]
    """
    few = MIN_EACH_SIDE_OF_TOP_BOX
    n_i, k_i, n_s, k_s = (np.asarray(a) for a in (n_i, k_i, n_s, k_s))
    return np.asarray(
        (n_i < min_n)
        | (n_s < min_n)
        | (np.minimum(k_i, n_i - k_i) < few)
        | (np.minimum(k_s, n_s - k_s) < few),
        dtype=bool,
    )


def _scores(
    counts: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    bootstrapped: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    confidence: float,
    thresholds: Thresholds,
    min_n: int,
) -> dict[str, np.ndarray]:
    """Every column of the score table, for all segments' outcomes at once (flat arrays)."""
    n_i, k_i, n_s, k_s = counts
    o_lo, o_hi, p_under = bootstrapped
    with np.errstate(invalid="ignore", divide="ignore"):
        importance = np.where(n_i > 0, 10.0 * k_i / n_i, np.nan)
        satisfaction = np.where(n_s > 0, 10.0 * k_s / n_s, np.nan)
    opp = opportunity_from_counts(k_i, n_i, k_s, n_s)
    i_lo, i_hi = wilson_interval(k_i, n_i, confidence=confidence)
    s_lo, s_hi = wilson_interval(k_s, n_s, confidence=confidence)
    with np.errstate(invalid="ignore"):
        crosses = (o_lo < thresholds.solid) & (o_hi >= thresholds.solid)
    return {
        "n_importance": n_i,
        "n_satisfaction": n_s,
        "top_importance": k_i,
        "top_satisfaction": k_s,
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
        "zone": zones_from_counts(
            k_i, n_i, k_s, n_s, (thresholds.solid, thresholds.high, thresholds.extreme)
        ),
        "small_n": (n_i < min_n) | (n_s < min_n),
        "weak_interval": weak_interval(k_i, n_i, k_s, n_s, min_n=min_n),
        "crosses_threshold": crosses,
        "near_lines": _near_lines(o_lo, o_hi, thresholds),
        "missing": (n_i == 0) | (n_s == 0),
    }


@dataclass(frozen=True, slots=True)
class _Segment:
    label: str
    definition: str
    conditions: dict[str, list[str | None]]
    size: int
    value: str | None = None


@dataclass(frozen=True, slots=True)
class _Members:
    """Who is in each segment: the overall segment's rows, and each ``by`` segment's
    rows as one run of ``grouped``."""

    everyone: np.ndarray | None  # None: every row
    grouped: np.ndarray | None
    bounds: np.ndarray  # by segment i is grouped[bounds[i] : bounds[i + 1]]

    @classmethod
    def of(cls, base_mask: np.ndarray, groups: np.ndarray | None, n_groups: int) -> _Members:
        everyone = None if base_mask.all() else np.flatnonzero(base_mask)
        if groups is None or not n_groups:
            return cls(everyone, None, np.zeros(1, dtype=np.int64))
        order = np.argsort(groups, kind="stable")  # rows of each segment stay in order
        bounds = np.searchsorted(groups[order], np.arange(n_groups + 1))
        return cls(everyone, order[bounds[0] :], bounds - bounds[0])

    def runs(self, survey: Survey, sizes: Sequence[int]) -> list[_Run]:
        """How to count each segment's resamples (``sizes``: members per segment).

        Shared indicators are built when the rows are few enough
        (:data:`~odi.analysis.counting.SHARED_CELLS`): once for the ``by`` segments,
        which everyone reuses when the segments cover it, else once more for everyone.
        """
        k = survey.n_outcomes
        top = int(survey.scale.top_box)

        def build(rows: np.ndarray | None, n: int) -> Indicators | None:
            if not n or n * k > SHARED_CELLS:
                return None
            return Indicators.build(survey.importance_codes, survey.satisfaction_codes, top, rows)

        runs = [_Run(self.everyone, sizes[0])]
        if self.grouped is not None:
            shared = build(self.grouped, len(self.grouped))
            for i in range(len(self.bounds) - 1):
                lo, hi = int(self.bounds[i]), int(self.bounds[i + 1])
                runs.append(_Run(self.grouped[lo:hi], hi - lo, shared, lo))
            if shared is not None and len(self.grouped) == sizes[0]:
                # The segments cover everyone: count everyone's draws on the same rows.
                position = np.empty(survey.n_respondents, dtype=np.int64)
                position[self.grouped] = np.arange(len(self.grouped))
                at = position if self.everyone is None else position[self.everyone]
                runs[0] = _Run(self.everyone, sizes[0], shared, 0, at)
                return runs
        runs[0] = _Run(self.everyone, sizes[0], build(self.everyone, sizes[0]))
        return runs


@dataclass(frozen=True, slots=True)
class _Run:
    """The members of one segment, for its resamples: their rows, how many, and where
    their indicators are (rows ``start ..`` of ``source``, or each member at
    ``positions[member]``), if shared."""

    rows: np.ndarray | None  # None: every row
    n: int
    source: Indicators | None = None
    start: int = 0
    positions: np.ndarray | None = None


def _segments(
    survey: Survey,
    where: Conditions | None,
    by: str | None,
    segment_values: Sequence[str] | None,
) -> tuple[list[_Segment], np.ndarray, np.ndarray | None]:
    """The overall segment and one per value of ``by``, with unique labels; who is in
    the overall segment; and each respondent's ``by`` segment (0 for the first after the
    overall one, -1 for none)."""
    resolved_where, base_mask = resolve_with_mask(survey.respondents, where)
    resolved: dict[str, list[str | None]] = {k: list(v) for k, v in resolved_where.items()}
    everyone = bool(base_mask.all())
    size = survey.n_respondents if everyone else int(np.count_nonzero(base_mask))
    out = [_Segment(ALL_SEGMENT, describe_conditions(where), dict(resolved), size)]
    if by is None:
        return out, base_mask, None
    col = resolve_column(survey.respondents, by, option="--by")
    # A value's code is the position of its trimmed spelling in ``names``; -1 is blank.
    codes, names = factorize_trimmed(survey.respondents[col])
    # How many of the overall segment have each value (blank first, then value i at i + 1).
    sizes = np.bincount((codes if everyone else codes[base_mask]) + 1, minlength=len(names) + 1)
    if segment_values is None:
        chosen = sorted((names[i] for i in np.flatnonzero(sizes[1:])), key=_natural_key)
    else:
        chosen = [str(v) for v in segment_values]
        repeated = sorted({v for v in chosen if chosen.count(v) > 1})
        if repeated:
            raise ValueError(f"segment_values must be distinct; got {repeated} more than once")
    position = {name: i for i, name in enumerate(names)}
    taken = {ALL_SEGMENT, BLANK_SEGMENT}
    n_segments = len(chosen) + 1
    dtype = np.int16 if n_segments < 2**15 else np.int64
    segment_of = np.full(len(names) + 1, -1, dtype=dtype)  # by value code -> segment
    for i, value in enumerate(chosen):
        cond = {**(where or {}), col: [value]}
        if value in position:
            segment_of[position[value]] = i
        label = value if value not in taken else f"{col} = {value}"
        taken.add(label)
        n = int(sizes[position[value] + 1]) if value in position else 0
        out.append(_Segment(label, describe_conditions(cond), {**resolved, col: [value]}, n, value))
    if segment_values is None and sizes[0]:
        blank: dict[str, list[str | None]] = {**resolved, col: [None]}
        out.append(_Segment(BLANK_SEGMENT, f"{col} is blank", blank, int(sizes[0])))
        segment_of[-1] = len(chosen)  # blank codes (-1) index the last slot
    groups = segment_of[codes]
    if not everyone:
        groups[~base_mask] = -1
    return out, base_mask, groups


def segment_rng(seed: int, conditions: Mapping[str, Sequence[str | None]]) -> np.random.Generator:
    """The bootstrap generator of a segment, from its definition, not its position.

    The same respondents reached by ``--by``, ``--where`` or a persona have the same
    conditions, so they get the same resamples and the same interval. Everyone (no
    conditions) uses ``seed`` itself.

    Examples
    --------
    >>> a = segment_rng(0, {"role": ["VP"], "size": ["S", "M"]}).integers(1000)
    >>> b = segment_rng(0, {"size": ["M", "S"], "role": ["VP"]}).integers(1000)
    >>> bool(a == b)
    True
    """
    if not conditions:
        return np.random.default_rng(seed)
    canonical = "\x1f".join(
        f"{col}\x1e" + "\x1d".join(sorted("\x00blank" if v is None else str(v) for v in set(vals)))
        for col, vals in sorted(conditions.items())
    )
    return np.random.default_rng([seed, zlib.crc32(canonical.encode("utf-8"))])


def _all_counts(
    survey: Survey,
    base_mask: np.ndarray,
    groups: np.ndarray | None,
    n_groups: int,
    partition: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(n_i, k_i, n_s, k_s), segments x outcomes, from one pass over each matrix.

    The ``by`` segments are disjoint: each respondent gets its segment's number and one
    pass counts them all. When they cover everyone in the overall segment, its counts
    are their sums; otherwise it is counted directly (or as a group of its own).
    """
    top = int(survey.scale.top_box)
    sides = (survey.importance_codes, survey.satisfaction_codes)
    if groups is not None and n_groups:
        grouped = group_counts(sides, top, groups, n_groups)
    else:
        none = np.zeros((0, survey.n_outcomes), dtype=np.int64)
        grouped = [(none, none)] * len(sides)
    if partition and n_groups:
        base = [(valid.sum(axis=0), hits.sum(axis=0)) for valid, hits in grouped]
    elif base_mask.all():
        base = [side_counts(codes, top) for codes in sides]
    else:
        subset = base_mask.astype(np.int8) - 1  # 0 in the overall segment, -1 outside
        base = [(v[0], h[0]) for v, h in group_counts(sides, top, subset, 1)]
    per_side = [
        (np.vstack([base_valid, valid]), np.vstack([base_hits, hits]))
        for (base_valid, base_hits), (valid, hits) in zip(base, grouped, strict=True)
    ]
    (n_i, k_i), (n_s, k_s) = per_side
    return n_i, k_i, n_s, k_s


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
        An attribute: adds one segment per value (after ``where``) beside ``All``. A value
        spelled like the overall segment (``All``) or ``(blank)`` is labelled
        ``column = value`` so every (segment, outcome_id) row is unique.
    bootstrap : int
        Number of bootstrap resamples for the opportunity interval (0 to skip).
    seed : int
        Seed of the bootstrap, so results repeat. Each segment's resamples are seeded
        from ``seed`` and the segment's definition (:func:`segment_rng`).
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
    segments, base_mask, groups = _segments(survey, where, by, segment_values)
    partition = by is not None and segment_values is None
    n_groups = len(segments) - 1
    counts = _all_counts(survey, base_mask, groups, n_groups, partition)
    n_i, k_i, n_s, k_s = counts
    if bootstrap:
        boot = _bootstrap(
            survey,
            segments,
            _Members.of(base_mask, groups, n_groups),
            n_resamples=bootstrap,
            seed=seed,
            confidence=confidence,
            solid=thresholds.solid,
            point=opportunity_from_counts(k_i, n_i, k_s, n_s),
        )
    else:
        boot = np.full((3, len(segments), survey.n_outcomes), np.nan)
    columns = _scores(
        (n_i.ravel(), k_i.ravel(), n_s.ravel(), k_s.ravel()),
        (boot[0].ravel(), boot[1].ravel(), boot[2].ravel()),
        confidence=confidence,
        thresholds=thresholds,
        min_n=min_n,
    )
    seg_rows = {
        "segment": [seg.label for seg in segments],
        "definition": [seg.definition for seg in segments],
        "n_respondents": [seg.size for seg in segments],
        "value": [seg.value for seg in segments],
    }
    table = _table(survey, [seg.label for seg in segments], columns)
    return ScoreResult(
        table=table,
        segments=pd.DataFrame(seg_rows),
        confidence=confidence,
        n_bootstrap=bootstrap,
        seed=seed,
        min_n=min_n,
        thresholds=thresholds,
    )


def _table(survey: Survey, labels: list[str], columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """One frame for every segment's scores, each segment by opportunity, highest first
    (missing last)."""
    k, g = survey.n_outcomes, len(labels)
    opp = columns["opportunity"]
    order = np.lexsort((np.where(np.isnan(opp), np.inf, -opp), np.repeat(np.arange(g), k)))
    frame = {
        "segment": np.repeat(np.array(labels, dtype=object), k),
        "outcome_id": np.tile(survey.outcomes.index.to_numpy(dtype=object), g),
        "outcome": np.tile(survey.outcomes["statement"].to_numpy(dtype=object), g),
        "job_step": np.tile(survey.outcomes["job_step"].to_numpy(dtype=object), g),
        **columns,
    }
    for name in ("n_importance", "n_satisfaction", "top_importance", "top_satisfaction"):
        frame[name] = frame[name].astype(np.int64)
    return pd.DataFrame({name: values[order] for name, values in frame.items()})


def meets_threshold(table: pd.DataFrame, threshold: float) -> np.ndarray:
    """Exactly: opportunity >= ``threshold`` for each row of a score table (from its counts).

    Use this, not a float comparison of the ``opportunity`` column, wherever a threshold
    decides something (an unmet need, a replication, a filter).

    Examples
    --------
    >>> t = pd.DataFrame({"n_importance": [100], "top_importance": [82],
    ...                   "n_satisfaction": [100], "top_satisfaction": [64]})
    >>> meets_threshold(t, 10).tolist()
    [True]
    """
    return at_least(
        table["top_importance"].to_numpy(dtype=np.int64),
        table["n_importance"].to_numpy(dtype=np.int64),
        table["top_satisfaction"].to_numpy(dtype=np.int64),
        table["n_satisfaction"].to_numpy(dtype=np.int64),
        threshold,
    )


def _natural_key(text: str) -> tuple[object, ...]:
    return tuple(int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", text))
