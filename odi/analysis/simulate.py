"""Seeded simulated studies for the statistics' simulations (validation power, coverage).

Each respondent answers every outcome either in the top box (5) or not (2), with a chance per
outcome, so the population's importance and satisfaction are known exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from odi.scale import Scale
from odi.survey import Survey

__all__ = ["top_box_survey"]


def top_box_survey(
    rng: np.random.Generator, n: int, p_importance: np.ndarray, p_satisfaction: np.ndarray
) -> Survey:
    """``n`` respondents answering 5 with the given chances per outcome, else 2.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> s = top_box_survey(rng, 100, np.array([0.8, 0.6]), np.array([0.3, 0.4]))
    >>> s.n_respondents, s.n_outcomes
    (100, 2)
    """
    p_imp = np.asarray(p_importance, dtype=float)
    p_sat = np.asarray(p_satisfaction, dtype=float)
    if p_imp.shape != p_sat.shape or p_imp.ndim != 1:
        raise ValueError(
            "p_importance and p_satisfaction must be 1-d and of one length; "
            f"got shapes {p_imp.shape} and {p_sat.shape}"
        )
    k = len(p_imp)
    ids = [f"O{i}" for i in range(k)]
    imp = np.where(rng.random((n, k)) < p_imp, 5.0, 2.0)
    sat = np.where(rng.random((n, k)) < p_sat, 5.0, 2.0)
    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": ids}, index=ids),
        importance=pd.DataFrame(imp, columns=ids),
        satisfaction=pd.DataFrame(sat, columns=ids),
        scale=Scale.from_range(1, 5),
    )
