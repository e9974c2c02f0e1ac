"""The :class:`Survey`: what every importer produces and everything downstream reads."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from odi.scale import Scale, check_codes, decode_ratings, encode_ratings

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


@dataclass(frozen=True, slots=True, eq=False)
class Survey:
    """An ODI survey: outcomes, two compact rating matrices, respondent attributes, the scale.

    Answers are stored as int8 codes (the scale point, :data:`~odi.scale.MISSING_CODE`
    for blank), one byte per answer; :attr:`importance` and :attr:`satisfaction` give
    them as float frames for code that wants floats. Every code is checked against the
    scale however the survey is built, so an off-scale value or an N/A code is never
    counted as an answer.

    Attributes
    ----------
    outcomes : pandas.DataFrame
        Indexed by ``outcome_id`` (str), with columns ``statement`` (str) and
        ``job_step`` (str, may be empty).
    importance_codes, satisfaction_codes : numpy.ndarray
        Respondents x outcomes int8 codes, read-only and row-major (codes given in
        another memory order are copied to row-major once, here).
    respondents : pandas.DataFrame
        Indexed by ``respondent_id``; one column per attribute (role, company size, ...),
        values as strings with NaN for blank, stored as categoricals of the values present
        (so a segment column is factorised once, here, not on every score).
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
    >>> s.satisfaction_codes.tolist(), s.satisfaction["O1"].tolist()
    ([[2], [-128]], [2.0, nan])
    """

    outcomes: pd.DataFrame
    importance_codes: np.ndarray
    satisfaction_codes: np.ndarray
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
        shape = (len(self.respondents), len(ids))
        for label in ("importance", "satisfaction"):
            codes = getattr(self, f"{label}_codes")
            if not isinstance(codes, np.ndarray):
                raise ValueError(
                    f"{label}_codes must be an int8 numpy array; got {type(codes).__name__} "
                    "(use Survey.from_frames to build a survey from float answers)"
                )
            check_codes(codes, self.scale, what=f"{label} ratings")
            if codes.shape != shape:
                raise ValueError(
                    f"{label} codes must be respondents x outcomes {shape}; got {codes.shape}"
                )
            if codes.flags.writeable or not codes.flags.c_contiguous:
                # Row-major, read-only: counting and respondent blocks read whole rows.
                view = np.ascontiguousarray(codes).view()
                view.flags.writeable = False
                object.__setattr__(self, f"{label}_codes", view)
        if self.respondents.index.has_duplicates:
            dup = self.respondents.index[self.respondents.index.duplicated()].unique().tolist()
            raise ValueError(f"respondent ids must be unique; got duplicates {dup[:10]}")
        object.__setattr__(self, "respondents", _categorical(self.respondents))
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
        """Build a survey from answer frames, normalising dtypes and index names.

        Blank job steps become empty strings; attributes become strings with NaN for
        blank; answers become int8 codes: N/A codes of the scale are blanked, and a value
        that is not a scale point raises a :class:`~odi.scale.ScaleError` naming it.
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
        ids = list(out.index)
        index = importance.index.astype(str)
        for label, m in (("importance", importance), ("satisfaction", satisfaction)):
            if list(m.columns.astype(str)) != ids:
                raise ValueError(
                    f"{label} columns must be the outcome ids {ids[:5]}...; "
                    f"got {list(m.columns)[:5]}"
                )
            if not m.index.astype(str).equals(index):
                raise ValueError(f"{label} rows must be the respondents, in the same order")
        resp = pd.DataFrame(index=index) if respondents is None else respondents.copy()
        resp.index = resp.index.astype(str)
        resp.index.name = "respondent_id"
        if not resp.index.equals(index):
            raise ValueError("importance rows must be the respondents, in the same order")
        for col in resp.columns:
            resp[col] = resp[col].astype("string").astype(object).where(resp[col].notna(), np.nan)
        resp.columns = resp.columns.astype(str)
        return cls(
            outcomes=out,
            importance_codes=encode_ratings(importance, scale, what="importance ratings"),
            satisfaction_codes=encode_ratings(satisfaction, scale, what="satisfaction ratings"),
            respondents=resp,
            scale=scale,
            name=name,
        )

    def _frame(self, codes: np.ndarray) -> pd.DataFrame:
        index = self.respondents.index.copy()
        index.name = "respondent_id"
        columns = self.outcomes.index.copy()
        columns.name = "outcome_id"
        return pd.DataFrame(decode_ratings(codes), index=index, columns=columns, copy=False)

    @property
    def importance(self) -> pd.DataFrame:
        """Importance answers as floats (NaN for blank), respondents x outcomes.

        A new float64 frame on every call: hot paths read :attr:`importance_codes`.
        """
        return self._frame(self.importance_codes)

    @property
    def satisfaction(self) -> pd.DataFrame:
        """Satisfaction answers as floats (NaN for blank), respondents x outcomes."""
        return self._frame(self.satisfaction_codes)

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
            importance_codes=self.importance_codes[m],
            satisfaction_codes=self.satisfaction_codes[m],
            respondents=self.respondents.loc[m],
        )

    def select_outcomes(self, outcome_ids: list[str]) -> Survey:
        """Return the survey with only the given outcomes, in the given order."""
        missing = [o for o in outcome_ids if o not in self.outcomes.index]
        if missing:
            raise ValueError(f"outcome ids must be in the survey; got unknown {missing}")
        pos = self.outcomes.index.get_indexer(pd.Index(outcome_ids))
        return replace(
            self,
            outcomes=self.outcomes.loc[outcome_ids],
            importance_codes=self.importance_codes[:, pos],
            satisfaction_codes=self.satisfaction_codes[:, pos],
        )


def _categorical(respondents: pd.DataFrame) -> pd.DataFrame:
    """The attributes as categoricals of the values that occur (a new frame if any changes).

    Examples
    --------
    >>> r = pd.DataFrame({"role": ["VP", None, "VP"]}).astype({"role": "category"})
    >>> _categorical(r.iloc[:2])["role"].cat.categories.tolist()
    ['VP']
    >>> _categorical(pd.DataFrame({0: ["a", "b"]}))[0].dtype
    CategoricalDtype(categories=['a', 'b'], ordered=False, categories_dtype=str)
    """
    changed = {}
    for col in respondents.columns:
        values = respondents[col]
        if not isinstance(values.dtype, pd.CategoricalDtype):
            changed[col] = values.astype("category")
        else:
            n = len(values.cat.categories)
            used = np.bincount(values.cat.codes.to_numpy() + 1, minlength=n + 1)[1:]
            if (used == 0).any():  # after a subset of the rows, say
                changed[col] = values.cat.remove_unused_categories()
    if not changed:
        return respondents
    out = respondents.copy(deep=False)  # the caller's frame is left as it is
    for col, values in changed.items():
        out[col] = values
    return out
