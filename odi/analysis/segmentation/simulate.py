"""Surveys with planted needs-based segments, to prove the method (tests, benchmarks).

:func:`planted_survey` draws 1-5 answers for respondents who belong to one of ``k``
needs segments, drawn independently of every attribute. Each segment has its own block of
``per_segment`` outcomes that are important and poorly satisfied only for its members;
with ``k=1`` there is no structure at all. Respondents also get a personal response style
(an offset on every answer) and a few blank answers, as real surveys do.

Examples
--------
>>> s, truth = planted_survey(n=90, n_outcomes=12, k=3, per_segment=4, seed=1)
>>> s.n_respondents, s.n_outcomes, sorted(truth.unique().tolist())
(90, 12, ['P1', 'P2', 'P3'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from odi.scale import Scale
from odi.survey import Survey

__all__ = ["planted_survey"]


def _answers(rng: np.random.Generator, p_top: np.ndarray) -> np.ndarray:
    """1-5 answers: top box (4-5) with chance ``p_top``, else 1-3."""
    top = rng.random(p_top.shape) < p_top
    return np.where(top, rng.integers(4, 6, p_top.shape), rng.integers(1, 4, p_top.shape))


def planted_survey(
    *,
    n: int = 600,
    n_outcomes: int = 40,
    k: int = 3,
    per_segment: int = 10,
    seed: int = 0,
    missing: float = 0.02,
    style_sd: float = 0.4,
) -> tuple[Survey, pd.Series]:
    """A survey with ``k`` planted needs segments (``k=1``: no structure) and the truth.

    Returns the survey and each respondent's planted segment (``P1``...; ``P1`` for
    everyone when ``k=1``).
    """
    if k < 1 or (k > 1 and k * per_segment > n_outcomes):
        raise ValueError(
            f"k * per_segment must fit in n_outcomes ({n_outcomes}); got k={k}, "
            f"per_segment={per_segment}"
        )
    rng = np.random.default_rng(seed)
    segment = rng.integers(0, k, size=n)
    base_imp = rng.uniform(0.4, 0.65, size=n_outcomes)
    p_imp = np.tile(base_imp, (n, 1))
    p_sat = np.tile(base_imp + rng.uniform(-0.1, 0.05, size=n_outcomes), (n, 1))
    if k > 1:
        for g in range(k):
            block = slice(g * per_segment, (g + 1) * per_segment)
            rows = segment == g
            p_imp[rows, block] = 0.88
            p_sat[rows, block] = 0.15
    style = rng.normal(0, style_sd, size=(n, 1))
    logit = np.log(p_imp / (1 - p_imp)) + style
    imp = _answers(rng, 1 / (1 + np.exp(-logit))).astype(float)
    logit = np.log(np.clip(p_sat, 0.02, 0.98) / (1 - np.clip(p_sat, 0.02, 0.98))) + style
    sat = _answers(rng, 1 / (1 + np.exp(-logit))).astype(float)
    imp[rng.random(imp.shape) < missing] = np.nan
    sat[rng.random(sat.shape) < missing] = np.nan
    ids = [f"O{j + 1:03d}" for j in range(n_outcomes)]
    rids = [f"R{i + 1:05d}" for i in range(n)]
    respondents = pd.DataFrame(
        {
            "role": rng.choice(["VP", "Manager", "Analyst"], size=n),
            "company_size": rng.choice(["1-99", "100-999", "1000+"], size=n),
        },
        index=rids,
    )
    survey = Survey.from_frames(
        outcomes=pd.DataFrame(
            {
                "statement": [
                    f"Minimize the time it takes to do task {j + 1}" for j in range(n_outcomes)
                ]
            },
            index=ids,
        ),
        importance=pd.DataFrame(imp, index=rids, columns=ids),
        satisfaction=pd.DataFrame(sat, index=rids, columns=ids),
        respondents=respondents,
        scale=Scale.from_range(1, 5),
        name=f"planted k={k}",
    )
    truth = pd.Series([f"P{g + 1}" for g in segment], index=pd.Index(rids, name="respondent_id"))
    return survey, truth
