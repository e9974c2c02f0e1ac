"""The :class:`Survey`: what every importer produces and everything downstream reads."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from odi.scale import Scale

__all__ = ["JOB_STEPS", "Survey"]

#: The steps of the universal job map, in order.
JOB_STEPS: tuple[str, ...] = (
    "Define",
    "Locate",
    "Prepare",
    "Confirm",
    "Execute",
    "Monitor",
    "Modify",
    "Conclude",
)


@dataclass(frozen=True, slots=True)
class Survey:
    """An ODI survey: outcomes, two rating matrices, respondent attributes and the scale.

    Attributes
    ----------
    outcomes : pandas.DataFrame
        Indexed by ``outcome_id`` (str), with columns ``statement`` (str) and
        ``job_step`` (str, may be empty).
    importance, satisfaction : pandas.DataFrame
        Respondents x outcomes answers on scale points, float with NaN for missing.
        Indexed by ``respondent_id`` (str); columns are the outcome ids, in order.
    respondents : pandas.DataFrame
        Indexed by ``respondent_id``; one column per attribute (role, company size, ...),
        values as strings with NaN for blank.
    scale : Scale
        The rating scale both matrices are on.
    name : str
        A display name for the study.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey.from_frames(
    ...     outcomes=pd.DataFrame({"statement": ["Minimize the time to report"]}, index=["O1"]),
    ...     importance=pd.DataFrame({"O1": [5.0, 4.0]}, index=["r1", "r2"]),
    ...     satisfaction=pd.DataFrame({"O1": [2.0, None]}, index=["r1", "r2"]),
    ...     scale=Scale.from_range(1, 5),
    ... )
    >>> s.n_respondents, s.n_outcomes
    (2, 1)
    """

    outcomes: pd.DataFrame
    importance: pd.DataFrame
    satisfaction: pd.DataFrame
    respondents: pd.DataFrame
    scale: Scale
    name: str = field(default="")

    def __post_init__(self) -> None:
        ids = list(self.outcomes.index)
        if not ids:
            raise ValueError("a survey must have at least one outcome; got none")
        if len(set(ids)) != len(ids):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"outcome ids must be unique; got duplicates {dup}")
        for label, m in (("importance", self.importance), ("satisfaction", self.satisfaction)):
            if list(m.columns) != ids:
                raise ValueError(
                    f"{label} columns must be the outcome ids {ids[:5]}...; "
                    f"got {list(m.columns)[:5]}"
                )
            if not m.index.equals(self.respondents.index):
                raise ValueError(f"{label} rows must be the respondents, in the same order")
        if self.respondents.index.has_duplicates:
            dup = self.respondents.index[self.respondents.index.duplicated()].unique().tolist()
            raise ValueError(f"respondent ids must be unique; got duplicates {dup[:10]}")
        for col in ("statement", "job_step"):
            if col not in self.outcomes.columns:
                raise ValueError(
                    f"outcomes must have a {col!r} column; got {list(self.outcomes.columns)}"
                )

    @classmethod
    def from_frames(
        cls,
        *,
        outcomes: pd.DataFrame,
        importance: pd.DataFrame,
        satisfaction: pd.DataFrame,
        scale: Scale,
        respondents: pd.DataFrame | None = None,
        name: str = "",
    ) -> Survey:
        """Build a survey, normalising dtypes and index names.

        Blank job steps become empty strings; attributes become strings with NaN for
        blank; matrices become float64.
        """
        out = outcomes.copy()
        out.index = out.index.astype(str)
        out.index.name = "outcome_id"
        if "job_step" not in out.columns:
            out["job_step"] = ""
        out["job_step"] = out["job_step"].fillna("").astype(str)
        out["statement"] = out["statement"].astype(str)
        out = out[
            [
                "statement",
                "job_step",
                *[c for c in out.columns if c not in ("statement", "job_step")],
            ]
        ]
        imp = importance.astype("float64")
        sat = satisfaction.astype("float64")
        for m in (imp, sat):
            m.index = m.index.astype(str)
            m.index.name = "respondent_id"
            m.columns = m.columns.astype(str)
            m.columns.name = "outcome_id"
        resp = pd.DataFrame(index=imp.index) if respondents is None else respondents.copy()
        resp.index = resp.index.astype(str)
        resp.index.name = "respondent_id"
        for col in resp.columns:
            resp[col] = resp[col].astype("string").astype(object).where(resp[col].notna(), np.nan)
        resp.columns = resp.columns.astype(str)
        return cls(
            outcomes=out,
            importance=imp,
            satisfaction=sat,
            respondents=resp,
            scale=scale,
            name=name,
        )

    @property
    def n_respondents(self) -> int:
        """Number of respondents."""
        return len(self.respondents)

    @property
    def n_outcomes(self) -> int:
        """Number of outcomes."""
        return len(self.outcomes)

    @property
    def attributes(self) -> list[str]:
        """Names of the respondent attribute columns."""
        return [str(c) for c in self.respondents.columns]

    def subset(self, mask: np.ndarray | pd.Series) -> Survey:
        """Return the survey restricted to the respondents where ``mask`` is true."""
        m = np.asarray(mask, dtype=bool)
        if m.shape != (self.n_respondents,):
            raise ValueError(
                f"mask must have one entry per respondent ({self.n_respondents}); got {m.shape}"
            )
        return replace(
            self,
            importance=self.importance.loc[m],
            satisfaction=self.satisfaction.loc[m],
            respondents=self.respondents.loc[m],
        )

    def select_outcomes(self, outcome_ids: list[str]) -> Survey:
        """Return the survey with only the given outcomes, in the given order."""
        missing = [o for o in outcome_ids if o not in self.outcomes.index]
        if missing:
            raise ValueError(f"outcome ids must be in the survey; got unknown {missing}")
        return replace(
            self,
            outcomes=self.outcomes.loc[outcome_ids],
            importance=self.importance[outcome_ids],
            satisfaction=self.satisfaction[outcome_ids],
        )
