"""Shared fixtures: a synthetic 600 x 150 study with role segments (charts, significance)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from odi.analysis.scoring import score
from odi.scale import Scale
from odi.survey import JOB_STEPS, Survey

VERBS = (
    "Minimize the time it takes to",
    "Minimize the likelihood of",
    "Increase the accuracy of",
    "Minimize the effort required to",
    "Increase the number of",
)
OBJECTS = (
    "reconcile marketing-sourced pipeline with the CRM",
    "forecast quarterly revenue",
    "identify accounts that are ready to buy",
    "hand a qualified lead to sales",
    "report campaign results to the board",
    "find the right contact at an account",
    "prepare a territory plan",
    "confirm a deal's next step with the buyer",
)


def make_study(n_respondents: int = 600, n_outcomes: int = 150, *, seed: int = 0) -> Survey:
    """A study with segments of 300 / 200 / 76 / 24 respondents (role) and real-ish
    statements; the VP segment rates O1-O10 much more important than everyone else."""
    rng = np.random.default_rng(seed)
    ids = [f"O{i + 1}" for i in range(n_outcomes)]
    statements = [
        f"{VERBS[i % len(VERBS)]} {OBJECTS[(i * 7) % len(OBJECTS)]}"
        + (" when the quarter is closing and data is incomplete" if i % 3 == 0 else "")
        for i in range(n_outcomes)
    ]
    steps = [JOB_STEPS[i % len(JOB_STEPS)] for i in range(n_outcomes)]
    sizes = {"Manager": 0.5, "Director": 1 / 3, "VP": 0.1267, "SDR": 0.04}
    role = np.repeat(list(sizes), [round(v * n_respondents) for v in sizes.values()])
    role = np.resize(role, n_respondents)
    p_imp = rng.uniform(0.25, 0.95, n_outcomes)
    p_sat = rng.uniform(0.1, 0.9, n_outcomes)
    pi = np.broadcast_to(p_imp, (n_respondents, n_outcomes)).copy()
    vp = role == "VP"
    pi[np.ix_(vp, np.arange(min(10, n_outcomes)))] = 0.97
    pi[np.ix_(~vp, np.arange(min(10, n_outcomes)))] = 0.45
    top_i = rng.random((n_respondents, n_outcomes)) < pi
    top_s = rng.random((n_respondents, n_outcomes)) < p_sat
    imp = np.where(top_i, rng.integers(4, 6, top_i.shape), rng.integers(1, 4, top_i.shape))
    sat = np.where(top_s, rng.integers(4, 6, top_s.shape), rng.integers(1, 4, top_s.shape))
    imp = imp.astype(float)
    sat = sat.astype(float)
    imp[rng.random(imp.shape) < 0.04] = np.nan
    sat[rng.random(sat.shape) < 0.06] = np.nan
    index = [f"r{i}" for i in range(n_respondents)]
    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": statements, "job_step": steps}, index=ids),
        importance=pd.DataFrame(imp, index=index, columns=ids),
        satisfaction=pd.DataFrame(sat, index=index, columns=ids),
        respondents=pd.DataFrame({"role": role}, index=index),
        scale=Scale.from_range(1, 5),
        name="synthetic",
    )


@pytest.fixture(scope="session")
def study() -> Survey:
    return make_study()


@pytest.fixture(scope="session")
def scored(study: Survey):
    return score(study, by="role", bootstrap=200, seed=1)


@pytest.fixture(scope="session")
def overall(scored) -> pd.DataFrame:
    return scored.for_segment("All")


@pytest.fixture(scope="session")
def vp(scored) -> pd.DataFrame:
    return scored.for_segment("VP")
