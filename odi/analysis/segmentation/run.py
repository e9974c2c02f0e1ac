"""One segmentation run: the k search (:mod:`.method`) plus each cluster's profile
(:mod:`.profile`), with the summaries the CLI and the app show.

Examples
--------
>>> from odi.analysis.segmentation.simulate import planted_survey
>>> s, truth = planted_survey(n=150, n_outcomes=12, k=2, per_segment=6, seed=3)
>>> run = segment(s, ks=(2, 3), resamples=4, bootstrap=0)
>>> run.k, run.recommended_k, [p.n for p in run.profiles]
(2, 2, [81, 69])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from odi.analysis.scoring import Thresholds, score
from odi.analysis.segmentation.method import (
    KSearch,
    Progress,
    SegmentationSettings,
    label_names,
    search_k,
)
from odi.analysis.segmentation.profile import ClusterProfile, attach_assignment, profile_clusters
from odi.survey import Survey

__all__ = ["Segmentation", "cluster_opportunity", "segment"]


def cluster_opportunity(survey: Survey, assignment: pd.Series) -> pd.DataFrame:
    """Cluster x outcome opportunity (top-box scoring of each cluster's respondents)."""
    column = "__cluster__"
    s = attach_assignment(survey, assignment, column)
    labels = sorted(assignment.astype(str).unique().tolist(), key=lambda v: (len(v), v))
    table = score(s, by=column, bootstrap=0, segment_values=labels).table
    table = table.loc[table["segment"].isin(labels)]
    matrix = table.pivot(index="segment", columns="outcome_id", values="opportunity")
    return matrix.reindex(index=labels, columns=list(survey.outcomes.index))


@dataclass(frozen=True, slots=True)
class Segmentation:
    """A segmentation run and what each cluster gets.

    Attributes
    ----------
    search : KSearch
        The k search: criteria per k, recommendation, clusterings.
    profiles : tuple of ClusterProfile
        One per cluster at the chosen k, in label order.
    opportunity : pandas.DataFrame
        Cluster label x outcome opportunity.
    """

    search: KSearch
    profiles: tuple[ClusterProfile, ...]
    opportunity: pd.DataFrame

    @property
    def k(self) -> int:
        """The k used (asked for, recommended, or best-scoring)."""
        return self.search.chosen_k

    @property
    def recommended_k(self) -> int | None:
        """The recommended k; None when the data show no stable segments."""
        return self.search.recommended_k

    @property
    def stability(self) -> float:
        """Mean adjusted Rand index over the resamples at the chosen k."""
        return self.search.chosen.stability

    @property
    def assignment(self) -> pd.Series:
        """Cluster label per respondent id."""
        return self.search.assignment

    @property
    def names(self) -> dict[str, str]:
        """Label -> name."""
        return {p.label: p.name for p in self.profiles}

    def to_dict(self, *, top: int = 5) -> dict[str, Any]:
        """The JSON summary (``python -m odi segment --json``)."""
        return {
            "k": self.k,
            "recommended_k": self.recommended_k,
            "stability": _num(self.stability),
            "message": self.message,
            "settings": self.search.settings.to_dict(),
            "features": {
                "outcomes_used": len(self.search.features.outcome_ids),
                "outcomes_dropped": list(self.search.features.dropped_outcomes),
                "components": int(self.search.features.matrix.shape[1]),
                "components_above_noise": self.search.features.above_noise,
                "imputed_share": _num(self.search.features.imputed_share),
            },
            "criteria": [
                {key: _num(value) for key, value in row.items()}
                for row in self.search.table.to_dict(orient="records")
            ],
            "segments": [
                {
                    "segment": p.label,
                    "name": p.name,
                    "n": p.n,
                    "share": _num(p.share),
                    "stability": _num(p.stability),
                    "top_outcomes": [
                        {
                            "outcome_id": r["outcome_id"],
                            "outcome": r["outcome"],
                            "opportunity": _num(r["opportunity"]),
                            "opportunity_low": _num(r["opportunity_low"]),
                            "opportunity_high": _num(r["opportunity_high"]),
                        }
                        for r in p.top_needs.head(top).to_dict(orient="records")
                    ],
                    "distinctive_outcomes": p.distinctive_needs[:top],
                }
                for p in self.profiles
            ],
        }

    @property
    def message(self) -> str:
        """The recommendation in one sentence."""
        s = self.search
        if s.recommended_k is None:
            return (
                f"Do not segment: {'; '.join(s.reasons)}. Shown: k = {self.k} "
                f"(stability {self.stability:.2f})"
            )
        if self.k != s.recommended_k:
            return f"Recommended k = {s.recommended_k}; shown: k = {self.k} as asked"
        return (
            f"Recommended k = {s.recommended_k}: stable (mean adjusted Rand index "
            f"{self.stability:.2f}) and balanced"
        )

    def to_text(self, *, top: int = 3) -> str:
        """The plain-text summary: the recommendation and one block per cluster."""
        lines = [self.message, ""]
        for p in self.profiles:
            lines.append(
                f"{p.label} {p.name}: n = {p.n} ({p.share:.0%}), stability {p.stability:.2f}"
            )
            for r in p.top_needs.head(top).itertuples():
                lines.append(
                    f"  {r.outcome_id} O = {r.opportunity:.1f} "
                    f"({r.opportunity_low:.1f}-{r.opportunity_high:.1f}) {r.outcome}"
                )
        return "\n".join(lines)


def _num(value: object) -> object:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else round(float(value), 4)
    return value


def segment(
    survey: Survey,
    *,
    settings: SegmentationSettings | None = None,
    progress: Progress | None = None,
    names: Mapping[str, str] | None = None,
    bootstrap: int = 200,
    top_n: int = 5,
    min_n: int = 30,
    thresholds: Thresholds = Thresholds(),
    **options: object,
) -> Segmentation:
    """Run the whole method and profile the clusters at the chosen k.

    Keyword ``options`` are :class:`SegmentationSettings` fields (``k``, ``seed``,
    ``resamples``...); ``bootstrap`` is for the clusters' opportunity intervals.
    """
    search = search_k(survey, settings=settings, progress=progress, **options)
    stability = dict(
        zip(label_names(search.chosen_k), search.chosen.cluster_stability.tolist(), strict=True)
    )
    profiles = profile_clusters(
        survey,
        search.assignment,
        stability=stability,
        names=names,
        top_n=top_n,
        bootstrap=bootstrap,
        seed=search.settings.seed,
        min_n=min_n,
        thresholds=thresholds,
    )
    return Segmentation(
        search=search,
        profiles=profiles,
        opportunity=cluster_opportunity(survey, search.assignment),
    )
