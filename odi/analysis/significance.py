"""Significance of segment differences: two-proportion z-tests on top-box shares.

For one attribute (``role``), every value of it is a segment. For each segment, each
outcome and each side (importance, satisfaction), the share of valid answers in the top
box among the segment's respondents is compared with the same share among the
respondents **not** in the segment. Comparing against the rest rather than against
everyone keeps the two samples independent, which the z-test assumes; a segment is part
of "everyone", so testing it against the overall share would understate the difference.

The test is the pooled two-proportion z-test (equivalent to a 2 x 2 chi-square test
without continuity correction: ``z**2`` is the chi-square statistic). The p-values are
two-sided and adjusted with Benjamini-Hochberg over **the whole table**: one family of
every cell shown (all segments x outcomes x sides) that has enough answers to be tested.
The heatmap and the table show the same cells, so a reader scanning either for "what
differs" is protected as a whole: under no real difference, the share of false
discoveries among the cells marked significant is at most ``alpha`` (BH is valid for
the positively dependent tests of one attribute's segments; see the simulation in the
tests and ``benchmarks/bench_significance.py``). Cells with fewer than ``min_n`` valid
answers in the segment or the rest are shown greyed out and are not tested: they are
left out of the family (a rule on n alone, fixed before any p-value is seen), so their
``p_adjusted`` is NaN.

The opportunity numbers beside the tests come from :func:`odi.analysis.scoring.score` (without a
bootstrap), so they always match the rest of the workbench.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from odi.analysis.scoring import ALL_SEGMENT, DEFAULT_MIN_N, Thresholds, score
from odi.analysis.segments import Conditions, resolve_column, segment_mask
from odi.survey import Survey

__all__ = [
    "MEASURES",
    "SegmentComparison",
    "bh_adjust",
    "segment_differences",
    "two_proportion_ztest",
]

#: The two sides that are tested, in table order.
MEASURES: tuple[str, ...] = ("importance", "satisfaction")

#: Label of respondents whose attribute is blank (as in :func:`odi.analysis.scoring.score`).
BLANK_SEGMENT = "(blank)"

MatrixMode = Literal["opportunity", "difference"]


def two_proportion_ztest(
    k1: np.ndarray, n1: np.ndarray, k2: np.ndarray, n2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pooled two-proportion z-test, vectorised; returns ``(z, two-sided p)``.

    ``z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2))`` with the pooled share
    ``p = (k1 + k2) / (n1 + n2)``. NaN where either sample is empty. Where the pooled
    share is 0 or 1 both shares are equal, so ``z = 0`` and ``p = 1``.

    Parameters
    ----------
    k1, n1 : array_like
        Successes and trials of the first sample (the segment).
    k2, n2 : array_like
        Successes and trials of the second sample (the rest).

    Returns
    -------
    z, p : numpy.ndarray
        The z statistic (positive when the first share is higher) and its two-sided
        p-value, broadcast to a common shape.

    Examples
    --------
    60 of 100 against 45 of 100:

    >>> z, p = two_proportion_ztest(np.array([60]), np.array([100]),
    ...                             np.array([45]), np.array([100]))
    >>> round(float(z[0]), 3), round(float(p[0]), 4)
    (2.124, 0.0337)
    """
    k1f, n1f, k2f, n2f = np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (k1, n1, k2, n2))
    )
    if (np.nan_to_num(k1f) > np.nan_to_num(n1f)).any() or (
        np.nan_to_num(k2f) > np.nan_to_num(n2f)
    ).any():
        raise ValueError("successes must be at most the trials (k <= n) in every cell; got k > n")
    with np.errstate(invalid="ignore", divide="ignore"):
        p1 = k1f / n1f
        p2 = k2f / n2f
        pooled = (k1f + k2f) / (n1f + n2f)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1f + 1 / n2f))
        z = np.where(se > 0, (p1 - p2) / se, 0.0)
    empty = (n1f <= 0) | (n2f <= 0) | np.isnan(n1f) | np.isnan(n2f)
    z = np.where(empty, np.nan, z)
    from scipy import stats  # here: SciPy takes seconds to import, and most runs never test

    p = np.where(empty, np.nan, 2 * stats.norm.sf(np.abs(z)))
    return z, p


def bh_adjust(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values, ignoring NaN (kept as NaN).

    Uses :func:`scipy.stats.false_discovery_control` on the finite values; the family
    is the finite values of ``p_values``.

    Examples
    --------
    >>> bh_adjust(np.array([0.01, 0.04, np.nan, 0.03])).round(3).tolist()
    [0.03, 0.04, nan, 0.04]
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    finite = np.isfinite(p)
    if finite.any():
        if ((p[finite] < 0) | (p[finite] > 1)).any():
            raise ValueError(f"p-values must be between 0 and 1; got {p[finite].tolist()[:5]}...")
        from scipy import stats

        out[finite] = stats.false_discovery_control(p[finite], method="bh")
    return out


@dataclass(frozen=True, slots=True)
class SegmentComparison:
    """Result of :func:`segment_differences`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per segment x outcome x measure, in segment order, then overall
        opportunity descending, then measure. Columns:

        ``segment, outcome_id, outcome, measure, n_segment, n_rest, share_segment,
        share_rest, z, p_value, p_adjusted, significant, small_n, opportunity_segment,
        opportunity_overall, opportunity_difference``.

        ``measure`` is ``importance`` or ``satisfaction``; ``n_*`` are valid answers on
        that side; ``share_*`` are top-box proportions (0-1); ``z`` is positive when the
        segment's share is higher. ``p_adjusted`` is Benjamini-Hochberg over the whole
        table (see :attr:`family_size`). ``small_n`` is set when either side has fewer
        than ``min_n`` valid answers; such rows are not tested (``p_adjusted`` NaN) and
        never ``significant``.
        ``opportunity_*`` are on 0-20; ``opportunity_difference`` = segment - overall.
    segments : pandas.DataFrame
        One row per segment: ``segment, n_respondents, n_rest, small``.
    attribute : str
        The attribute whose values are the segments.
    alpha : float
        Significance level applied to ``p_adjusted``.
    min_n : int
        Minimum valid answers on each side for a difference to be called significant.
    """

    table: pd.DataFrame
    segments: pd.DataFrame
    attribute: str
    alpha: float
    min_n: int
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def family_size(self) -> int:
        """Tests in the Benjamini-Hochberg family: every cell with a ``p_adjusted``."""
        return int(self.table["p_adjusted"].notna().sum())

    @property
    def family(self) -> str:
        """The family and the adjustment, in words, for display next to the table.

        Examples
        --------
        >>> t = pd.DataFrame({"p_adjusted": [0.01, float("nan"), 0.5]})
        >>> SegmentComparison(t, pd.DataFrame({"segment": ["a", "b"]}), "role", 0.05,
        ...                   30).family[:64]
        'Benjamini–Hochberg over all 2 tests shown (2 segments × outcomes'
        """
        return (
            f"Benjamini–Hochberg over all {self.family_size:,} tests shown "
            f"({len(self.segments)} segments × outcomes × importance and satisfaction, "
            f"leaving out cells with fewer than {self.min_n} answers); "
            f"false discovery rate at most {self.alpha:g} over the whole table"
        )

    @property
    def n_by_segment(self) -> dict[str, int]:
        """Respondents in each segment, and in all of them under ``All``."""
        counts = {
            str(s): int(n)
            for s, n in zip(self.segments["segment"], self.segments["n_respondents"], strict=True)
        }
        n_all = (
            int(self.segments["n_respondents"].iloc[0] + self.segments["n_rest"].iloc[0])
            if len(self.segments)
            else 0
        )
        return {ALL_SEGMENT: n_all, **counts}

    @property
    def statements(self) -> dict[str, str]:
        """Outcome id -> statement."""
        first = self.table.drop_duplicates("outcome_id")
        return dict(zip(first["outcome_id"], first["outcome"], strict=True))

    def _order(self) -> list[str]:
        seen = self.table.drop_duplicates("outcome_id")
        order = seen.sort_values("opportunity_overall", ascending=False, kind="stable")
        return [str(o) for o in order["outcome_id"]]

    def matrix(
        self, mode: MatrixMode = "opportunity", *, include_overall: bool = False
    ) -> pd.DataFrame:
        """Outcomes x segments matrix for :func:`odi.charts.segment_heatmap_figure`.

        Rows are outcome ids ordered by overall opportunity (highest first), columns the
        segments in order. ``mode="opportunity"`` gives the segment's opportunity,
        ``"difference"`` the segment's minus the overall one. ``include_overall`` adds a
        first ``All`` column (opportunity mode only).
        """
        if mode not in ("opportunity", "difference"):
            raise ValueError(f"mode must be 'opportunity' or 'difference'; got {mode!r}")
        value = "opportunity_segment" if mode == "opportunity" else "opportunity_difference"
        once = self.table.loc[self.table["measure"] == MEASURES[0]]
        wide = once.pivot(index="outcome_id", columns="segment", values=value)
        segs = [str(s) for s in self.segments["segment"]]
        wide = wide.reindex(index=self._order(), columns=segs)
        if include_overall and mode == "opportunity":
            overall = once.drop_duplicates("outcome_id").set_index("outcome_id")
            wide.insert(0, ALL_SEGMENT, overall["opportunity_overall"].reindex(wide.index))
        wide.index.name = "outcome_id"
        wide.columns.name = "segment"
        return wide

    def significance_matrix(self) -> pd.DataFrame:
        """Outcomes x segments, True where importance or satisfaction differs significantly.

        Same row and column order as :meth:`matrix` (without the ``All`` column).
        """
        any_sig = self.table.groupby(["outcome_id", "segment"], sort=False)["significant"].any()
        wide = any_sig.unstack("segment")
        segs = [str(s) for s in self.segments["segment"]]
        wide = wide.reindex(index=self._order(), columns=segs).eq(True)
        wide.index.name = "outcome_id"
        wide.columns.name = "segment"
        return wide


def _segment_masks(
    survey: Survey, by: str, labels: list[str | None], base: np.ndarray
) -> np.ndarray:
    """Respondents x segments membership; ``labels`` are the segments' values (None: blank)."""
    col = resolve_column(survey.respondents, by, option="by")
    values = survey.respondents[col].astype("string").str.strip()
    masks = []
    for label in labels:
        if label is None:
            m = values.isna().to_numpy(dtype=bool)
        else:
            m = values.eq(label).fillna(False).to_numpy(dtype=bool)
        masks.append(m & base)
    return np.column_stack(masks) if masks else np.zeros((len(values), 0), dtype=bool)


def segment_differences(
    survey: Survey,
    by: str,
    *,
    where: Conditions | None = None,
    min_n: int = DEFAULT_MIN_N,
    alpha: float = 0.05,
    thresholds: Thresholds = Thresholds(),
) -> SegmentComparison:
    """Test every segment of ``by`` against the rest, per outcome, on both sides.

    Parameters
    ----------
    survey : Survey
        The survey.
    by : str
        The attribute whose values are the segments (matched as in ``score``).
    where : mapping of str to list of str, optional
        Restrict everything (segments, rest, overall) to these respondents first.
    min_n : int
        Fewer valid answers than this in the segment or the rest (on that outcome and
        side) marks the row ``small_n`` and keeps it from being ``significant``.
    alpha : float
        Level for ``p_adjusted``.
    thresholds : Thresholds
        Passed to :func:`odi.analysis.scoring.score`.

    Returns
    -------
    SegmentComparison

    Examples
    --------
    >>> from odi.scale import Scale
    >>> s = Survey.from_frames(
    ...     outcomes=pd.DataFrame({"statement": ["a"]}, index=["O1"]),
    ...     importance=pd.DataFrame({"O1": [5] * 40 + [1] * 40}),
    ...     satisfaction=pd.DataFrame({"O1": [1] * 80}),
    ...     respondents=pd.DataFrame({"role": ["VP"] * 40 + ["SDR"] * 40}),
    ...     scale=Scale.from_range(1, 5),
    ... )
    >>> c = segment_differences(s, "role")
    >>> c.table[["segment", "measure", "share_segment", "share_rest", "significant"]]
      segment       measure  share_segment  share_rest  significant
    0     SDR    importance            0.0         1.0         True
    1     SDR  satisfaction            0.0         0.0        False
    2      VP    importance            1.0         0.0         True
    3      VP  satisfaction            0.0         0.0        False
    >>> c.matrix("difference").round(1).to_dict()
    {'SDR': {'O1': -10.0}, 'VP': {'O1': 10.0}}
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1; got {alpha}")
    if min_n < 0:
        raise ValueError(f"min_n must be 0 or more; got {min_n}")
    scored = score(survey, where=where, by=by, bootstrap=0, min_n=min_n, thresholds=thresholds)
    by_rows = scored.segments.iloc[1:]  # the first row is everyone
    seg_labels = [str(s) for s in by_rows["segment"]]
    seg_values = [None if pd.isna(v) else str(v) for v in by_rows["value"]]
    col = resolve_column(survey.respondents, by, option="by")
    base = segment_mask(survey.respondents, where)
    masks = _segment_masks(survey, col, seg_values, base)  # respondents x segments

    outcome_ids = [str(o) for o in survey.outcomes.index]
    overall = scored.for_segment(ALL_SEGMENT).set_index("outcome_id")
    order = overall["opportunity"].sort_values(ascending=False, kind="stable").index
    order_ids = [str(o) for o in order]
    pos = np.array([outcome_ids.index(o) for o in order_ids], dtype=int)

    member = masks.astype(np.float64)
    base_f = base.astype(np.float64)
    parts = [
        _measure_tests(
            survey,
            measure,
            pos,
            member,
            base_f,
            seg_labels=seg_labels,
            order_ids=order_ids,
            min_n=min_n,
        )
        for measure in MEASURES
    ]
    table = _adjusted(pd.concat(parts, ignore_index=True), alpha=alpha)
    opp = scored.table.set_index(["segment", "outcome_id"])["opportunity"]
    keys = pd.MultiIndex.from_arrays([table["segment"], table["outcome_id"]])
    table["opportunity_segment"] = opp.reindex(keys).to_numpy()
    table["opportunity_overall"] = overall["opportunity"].reindex(table["outcome_id"]).to_numpy()
    table["opportunity_difference"] = table["opportunity_segment"] - table["opportunity_overall"]
    statements = survey.outcomes["statement"]
    table.insert(2, "outcome", statements.reindex(table["outcome_id"]).to_numpy())
    table = table.reset_index(drop=True)

    seg_n = scored.segments.set_index("segment")["n_respondents"]
    n_base = int(base.sum())
    segments = pd.DataFrame(
        {
            "segment": seg_labels,
            "n_respondents": [int(seg_n[s]) for s in seg_labels],
        }
    )
    segments["n_rest"] = n_base - segments["n_respondents"]
    segments["small"] = (segments["n_respondents"] < min_n) | (segments["n_rest"] < min_n)
    return SegmentComparison(
        table=table,
        segments=segments,
        attribute=col,
        alpha=alpha,
        min_n=min_n,
        thresholds=thresholds,
    )


def _measure_tests(
    survey: Survey,
    measure: str,
    pos: np.ndarray,
    member: np.ndarray,
    base_f: np.ndarray,
    *,
    seg_labels: list[str],
    order_ids: list[str],
    min_n: int,
) -> pd.DataFrame:
    """One side's tests: each segment against the rest on each outcome's top-box share."""
    matrix = getattr(survey, measure).to_numpy(dtype=float)[:, pos]
    valid = ~np.isnan(matrix)
    with np.errstate(invalid="ignore"):
        top = (matrix >= survey.scale.top_box) & valid
    n_seg = member.T @ valid  # segments x outcomes
    k_seg = member.T @ top
    n_all = base_f @ valid
    k_all = base_f @ top
    n_rest = n_all[None, :] - n_seg
    k_rest = k_all[None, :] - k_seg
    z, p = two_proportion_ztest(k_seg, n_seg, k_rest, n_rest)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_seg = k_seg / n_seg
        share_rest = k_rest / n_rest
    small = (n_seg < min_n) | (n_rest < min_n)
    n_s, n_o = n_seg.shape
    return pd.DataFrame(
        {
            "segment": np.repeat(seg_labels, n_o),
            "outcome_id": np.tile(order_ids, n_s),
            "measure": measure,
            "n_segment": n_seg.ravel().astype(np.int64),
            "n_rest": n_rest.ravel().astype(np.int64),
            "share_segment": share_seg.ravel(),
            "share_rest": share_rest.ravel(),
            "z": z.ravel(),
            "p_value": p.ravel(),
            "small_n": small.ravel(),
            "_seg": np.repeat(np.arange(n_s), n_o),
            "_out": np.tile(np.arange(n_o), n_s),
            "_meas": MEASURES.index(measure),
        }
    )


def _adjusted(table: pd.DataFrame, *, alpha: float) -> pd.DataFrame:
    """Add ``p_adjusted`` (Benjamini-Hochberg) and ``significant``; sort segment, outcome, side."""
    # One family: every tested cell of the whole table (segments x outcomes x sides).
    tested = table["p_value"].notna().to_numpy() & ~table["small_n"].to_numpy(dtype=bool)
    p_adj = np.full(len(table), np.nan)
    p_adj[tested] = bh_adjust(table["p_value"].to_numpy(dtype=float)[tested])
    at = list(table.columns).index("p_value") + 1
    table.insert(at, "p_adjusted", p_adj)
    table.insert(at + 1, "significant", p_adj < alpha)
    table = table.sort_values(["_seg", "_out", "_meas"], kind="stable").drop(
        columns=["_seg", "_out", "_meas"]
    )
    return table
