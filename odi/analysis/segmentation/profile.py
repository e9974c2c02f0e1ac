"""What each needs-based cluster gets: size, top unmet needs, distinctive outcomes, the
attributes it over- or under-represents, and a suggested name.

- **Top unmet needs** are the cluster's respondents scored by the existing top-box
  scoring (:func:`odi.analysis.scoring.score`), with Wilson and bootstrap intervals.
- **Distinctive outcomes** come from the segment statistics the workbench already has
  (:func:`odi.analysis.significance.segment_differences`): a two-proportion test of the
  cluster against the rest on each side of each outcome, Benjamini-Hochberg adjusted.
- **Attribute profile**: for each attribute, a chi-square test of independence of
  (in the cluster, not in it) x the attribute's values (no continuity correction), its
  Cramér's V, and per value the over-index: 100 x the value's share in the cluster / its
  share in the whole sample (above 100: over-represented).
- **Suggested name**: the object of the cluster's most distinctive unmet need, e.g.
  "Obtain historical conversion rates by channel"; the user can rename it.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"in": [30, 10], "out": [20, 40]}, index=["VP", "Analyst"])
>>> chi2, p, v = chi_square(table.to_numpy())
>>> round(chi2, 3), round(v, 3)
(16.667, 0.408)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from odi.analysis.scoring import Thresholds, score
from odi.analysis.significance import segment_differences
from odi.survey import Survey

__all__ = [
    "ClusterProfile",
    "attach_assignment",
    "attribute_profile",
    "chi_square",
    "profile_clusters",
    "suggest_name",
]

_PREFIX = re.compile(
    r"^(minimi[sz]e|maximi[sz]e|increase|reduce|decrease)\s+(the\s+)?"
    r"(time it takes to|likelihood (of|that)|number of|amount of|effort (it takes )?to|"
    r"cost of|risk of|chance (of|that))?\s*",
    re.IGNORECASE,
)


_TRAILING = {"a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def chi_square(table: np.ndarray) -> tuple[float, float, float]:
    """Chi-square test of independence on a contingency table, and Cramér's V.

    Rows or columns that are all zero are dropped first. Returns ``(chi2, p_value, v)``;
    NaN when fewer than two rows or columns remain.
    """
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.shape[0] < 2 or t.shape[1] < 2:
        return float("nan"), float("nan"), float("nan")
    from scipy.stats import chi2_contingency  # here: SciPy takes seconds to import

    result = chi2_contingency(t, correction=False)
    chi2 = float(result.statistic)
    v = float(np.sqrt(chi2 / (t.sum() * (min(t.shape) - 1))))
    return chi2, float(result.pvalue), v


def attach_assignment(survey: Survey, assignment: pd.Series, column: str) -> Survey:
    """The survey with a cluster assignment as one more respondent attribute.

    Respondents the assignment does not cover (e.g. kept by a later import) get a blank.

    Examples
    --------
    >>> from odi.analysis.segmentation.simulate import planted_survey
    >>> s, truth = planted_survey(n=30, n_outcomes=10, k=2, per_segment=3)
    >>> attach_assignment(s, truth.iloc[:20], "needs").respondents["needs"].isna().sum()
    np.int64(10)
    """
    respondents = survey.respondents.copy()
    values = assignment.astype(str).reindex(respondents.index)
    respondents[column] = values.astype(object).where(values.notna(), np.nan)
    return replace(survey, respondents=respondents)


def attribute_profile(
    respondents: pd.DataFrame, in_cluster: np.ndarray, *, attributes: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cluster's attribute profile: per-value shares and over-index, per-attribute tests.

    Returns ``(values, tests)``: ``values`` has ``attribute, value, n_cluster,
    share_cluster, share_all, over_index``; ``tests`` has ``attribute, chi2, dof,
    p_value, cramers_v`` (blank attribute values are left out of both).
    """
    rows, tests = [], []
    mask = np.asarray(in_cluster, dtype=bool)
    for attr in attributes:
        col = respondents[attr].astype("string").str.strip()
        known = col.notna().to_numpy()
        if not known.any():
            continue
        values = sorted(col[known].unique().tolist())
        counts = np.array(
            [
                [int((mask & known & (col == v).fillna(False).to_numpy()).sum()) for v in values],
                [int((~mask & known & (col == v).fillna(False).to_numpy()).sum()) for v in values],
            ]
        )
        chi2, p, v = chi_square(counts)
        tests.append(
            {
                "attribute": attr,
                "chi2": chi2,
                "dof": len(values) - 1,
                "p_value": p,
                "cramers_v": v,
            }
        )
        n_in = counts[0].sum()
        n_all = counts.sum()
        for j, value in enumerate(values):
            share_in = counts[0, j] / n_in if n_in else float("nan")
            share_all = counts[:, j].sum() / n_all
            rows.append(
                {
                    "attribute": attr,
                    "value": value,
                    "n_cluster": int(counts[0, j]),
                    "share_cluster": share_in,
                    "share_all": share_all,
                    "over_index": 100 * share_in / share_all if share_all else float("nan"),
                }
            )
    values_table = pd.DataFrame(
        rows,
        columns=["attribute", "value", "n_cluster", "share_cluster", "share_all", "over_index"],
    )
    tests_table = pd.DataFrame(tests, columns=["attribute", "chi2", "dof", "p_value", "cramers_v"])
    return values_table, tests_table


def suggest_name(statement: str, *, words: int = 6) -> str:
    """A short name from an outcome statement: its object of control.

    Examples
    --------
    >>> suggest_name("Minimize the time it takes to obtain historical conversion rates by channel")
    'Obtain historical conversion rates by channel'
    >>> suggest_name("Minimize the likelihood that reports disagree with the CRM")
    'Reports disagree with the CRM'
    """
    text = _PREFIX.sub("", statement.strip()).strip() or statement.strip()
    kept = text.split()[:words]
    while len(kept) > 1 and kept[-1].casefold() in _TRAILING:
        kept.pop()
    short = " ".join(kept)
    return short[:1].upper() + short[1:]


@dataclass(frozen=True, slots=True)
class ClusterProfile:
    """One cluster's description.

    Attributes
    ----------
    label : str
        ``C1``, ``C2``... (by size).
    name : str
        The suggested name (editable; saved with the segmentation).
    n : int
    share : float
    stability : float
        Mean best Jaccard overlap with the resamples' clusters.
    top_needs : pandas.DataFrame
        The cluster's highest opportunities with their intervals: ``outcome_id, outcome,
        importance, satisfaction, opportunity, opportunity_low, opportunity_high,
        n_importance, n_satisfaction, zone``.
    distinctive : pandas.DataFrame
        Outcomes whose top-box shares differ significantly from the rest's: ``outcome_id,
        outcome, opportunity_cluster, opportunity_overall, difference, measures,
        p_adjusted``, higher opportunity first.
    attributes : pandas.DataFrame
        See :func:`attribute_profile` (values).
    attribute_tests : pandas.DataFrame
        See :func:`attribute_profile` (tests).
    """

    label: str
    name: str
    n: int
    share: float
    stability: float
    top_needs: pd.DataFrame
    distinctive: pd.DataFrame
    attributes: pd.DataFrame
    attribute_tests: pd.DataFrame

    @property
    def distinctive_needs(self) -> list[str]:
        """Ids of the distinctive outcomes with a higher opportunity than overall."""
        d = self.distinctive
        return d.loc[d["difference"] > 0, "outcome_id"].tolist()


_TOP_COLUMNS = [
    "outcome_id",
    "outcome",
    "importance",
    "satisfaction",
    "opportunity",
    "opportunity_low",
    "opportunity_high",
    "n_importance",
    "n_satisfaction",
    "zone",
]


def _distinctive(differences: pd.DataFrame, label: str) -> pd.DataFrame:
    rows = differences.loc[(differences["segment"] == label) & differences["significant"]]
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "outcome_id",
                "outcome",
                "opportunity_cluster",
                "opportunity_overall",
                "difference",
                "measures",
                "p_adjusted",
            ]
        )
    grouped = rows.groupby("outcome_id", sort=False).agg(
        outcome=("outcome", "first"),
        opportunity_cluster=("opportunity_segment", "first"),
        opportunity_overall=("opportunity_overall", "first"),
        difference=("opportunity_difference", "first"),
        measures=("measure", lambda m: ", ".join(sorted(m))),
        p_adjusted=("p_adjusted", "min"),
    )
    out = grouped.reset_index().sort_values("difference", ascending=False, kind="stable")
    return out.reset_index(drop=True)


def profile_clusters(
    survey: Survey,
    assignment: pd.Series,
    *,
    stability: Mapping[str, float] | None = None,
    names: Mapping[str, str] | None = None,
    top_n: int = 5,
    bootstrap: int = 200,
    seed: int = 0,
    min_n: int = 30,
    thresholds: Thresholds = Thresholds(),
) -> tuple[ClusterProfile, ...]:
    """Describe every cluster of an assignment (cluster label per respondent id).

    ``names`` overrides the suggested names (the user's edits); ``stability`` gives each
    label's Jaccard stability (NaN when not known, e.g. for a loaded assignment).
    """
    column = "__cluster__"
    s = attach_assignment(survey, assignment, column)
    labels = sorted(
        s.respondents[column].dropna().unique().tolist(), key=lambda v: (len(str(v)), str(v))
    )
    scored = score(
        s,
        by=column,
        bootstrap=bootstrap,
        seed=seed,
        min_n=min_n,
        thresholds=thresholds,
        segment_values=labels,
    )
    differences = segment_differences(s, column, min_n=min_n, thresholds=thresholds).table
    attrs = list(survey.attributes)
    member = s.respondents[column]
    profiles = []
    taken: set[str] = set()
    for label in labels:
        in_cluster = (member == label).fillna(False).to_numpy(dtype=bool)
        top = scored.for_segment(label).head(top_n)[_TOP_COLUMNS].reset_index(drop=True)
        distinct = _distinctive(differences, label)
        values, tests = attribute_profile(s.respondents, in_cluster, attributes=attrs)
        up = distinct.loc[distinct["difference"] > 0]
        suggested = suggest_name(str(up["outcome"].iloc[0])) if len(up) else f"Segment {label}"
        if suggested in taken:
            suggested = f"{suggested} ({label})"
        taken.add(suggested)
        profiles.append(
            ClusterProfile(
                label=str(label),
                name=(names or {}).get(str(label), suggested),
                n=int(in_cluster.sum()),
                share=float(in_cluster.sum() / max(member.notna().sum(), 1)),
                stability=float((stability or {}).get(str(label), float("nan"))),
                top_needs=top,
                distinctive=distinct,
                attributes=values,
                attribute_tests=tests,
            )
        )
    return tuple(profiles)
