"""How often the opportunity interval covers the truth: a seeded simulation.

Each replicate is one outcome column of a simulated survey whose importance and
satisfaction answers are top box with known probabilities, so one call to
:func:`odi.analysis.scoring.score` scores every replicate at once. The test suite runs a
short version; ``benchmarks/bench_coverage.py`` a larger one that prints coverage by n.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from odi.analysis.scoring import score
from odi.scale import Scale
from odi.survey import Survey

__all__ = ["Coverage", "interval_coverage"]


@dataclass(frozen=True, slots=True)
class Coverage:
    """Coverage of the opportunity interval over the replicates of one setting.

    ``strong`` is the coverage among replicates whose interval is not flagged
    ``weak_interval`` (NaN if all are), ``weak_share`` the share flagged.
    """

    n: int
    p_importance: float
    p_satisfaction: float
    replicates: int
    overall: float
    strong: float
    weak_share: float


def interval_coverage(
    n: int,
    p_importance: float,
    p_satisfaction: float,
    *,
    replicates: int = 200,
    bootstrap: int = 400,
    seed: int = 0,
    confidence: float = 0.95,
) -> Coverage:
    """Simulate ``replicates`` outcomes with ``n`` respondents and measure coverage.

    Examples
    --------
    >>> c = interval_coverage(40, 0.6, 0.3, replicates=20, bootstrap=100, seed=1)
    >>> c.replicates, 0.5 <= c.overall <= 1
    (20, True)
    """
    if n < 1 or replicates < 1:
        raise ValueError(f"n and replicates must be at least 1; got {n} and {replicates}")
    rng = np.random.default_rng(seed)
    shape = (n, replicates)
    imp = np.where(rng.random(shape) < p_importance, 5, 1).astype(np.int8)
    sat = np.where(rng.random(shape) < p_satisfaction, 5, 1).astype(np.int8)
    ids = [f"R{j}" for j in range(replicates)]
    survey = Survey(
        outcomes=pd.DataFrame({"statement": ids, "job_step": ""}, index=pd.Index(ids)),
        importance_codes=imp,
        satisfaction_codes=sat,
        respondents=pd.DataFrame(index=pd.RangeIndex(n).astype(str)),
        scale=Scale.from_range(1, 5),
    )
    table = score(survey, bootstrap=bootstrap, seed=seed, confidence=confidence).table
    truth = 10 * p_importance + max(10 * p_importance - 10 * p_satisfaction, 0.0)
    covered = (table["opportunity_low"] <= truth) & (truth <= table["opportunity_high"])
    weak = table["weak_interval"].to_numpy(dtype=bool)
    return Coverage(
        n=n,
        p_importance=p_importance,
        p_satisfaction=p_satisfaction,
        replicates=replicates,
        overall=float(covered.mean()),
        strong=float(covered[~weak].mean()) if (~weak).any() else float("nan"),
        weak_share=float(weak.mean()),
    )
