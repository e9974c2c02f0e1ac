"""Time scoring against a straightforward pandas baseline, in the same run.

Two cases, as issue 2 asks:

- 3,000 respondents x 150 outcomes with a 1,000-resample bootstrap;
- 1,000,000 respondents x 150 outcomes without the bootstrap.

The baseline is the obvious pandas code: per outcome, ``value_counts`` of each side,
then the top-box shares (and, for the bootstrap case, the same per resample on a
small number of resamples, extrapolated linearly, since running 1,000 resamples that
way takes minutes). Peak memory is the traced Python allocation peak (tracemalloc,
which sees NumPy's buffers) of each run.

Run ``python benchmarks/bench_scoring.py`` or ``make bench``.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from odi.analysis.scoring import score
from odi.scale import Scale
from odi.survey import Survey


@dataclass(frozen=True)
class Measurement:
    case: str
    seconds: float
    peak_mib: float
    baseline_seconds: float
    baseline_peak_mib: float
    baseline_note: str

    @property
    def speedup(self) -> float:
        return self.baseline_seconds / self.seconds


def synthetic_survey(n_respondents: int, n_outcomes: int, *, seed: int = 0) -> Survey:
    rng = np.random.default_rng(seed)
    p_imp = rng.uniform(0.2, 0.9, n_outcomes)
    p_sat = rng.uniform(0.1, 0.8, n_outcomes)

    def side(p: np.ndarray) -> np.ndarray:
        top = rng.random((n_respondents, n_outcomes), dtype=np.float32) < p.astype(np.float32)
        low = rng.integers(1, 4, size=(n_respondents, n_outcomes), dtype=np.int8)
        high = rng.integers(4, 6, size=(n_respondents, n_outcomes), dtype=np.int8)
        values = np.where(top, high, low).astype(np.float64)
        values[rng.random((n_respondents, n_outcomes), dtype=np.float32) < 0.03] = np.nan
        return values

    ids = [f"O{i:03d}" for i in range(n_outcomes)]
    index = pd.RangeIndex(n_respondents).astype(str)
    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": ids}, index=ids),
        importance=pd.DataFrame(side(p_imp), columns=ids, index=index),
        satisfaction=pd.DataFrame(side(p_sat), columns=ids, index=index),
        scale=Scale.from_range(1, 5),
    )


def baseline_scores(survey: Survey) -> pd.DataFrame:
    """Per-outcome value_counts: what a careful analyst writes first."""
    rows = []
    for oid in survey.outcomes.index:
        shares = []
        for matrix in (survey.importance, survey.satisfaction):
            counts = matrix[oid].value_counts(dropna=True)
            n = counts.sum()
            top = counts[counts.index >= survey.scale.top_box].sum()
            shares.append(10 * top / n if n else np.nan)
        imp, sat = shares
        rows.append((oid, imp, sat, imp + max(imp - sat, 0)))
    return pd.DataFrame(rows, columns=["outcome_id", "importance", "satisfaction", "opportunity"])


def baseline_bootstrap(survey: Survey, resamples: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    n = survey.n_respondents
    for _ in range(resamples):
        idx = rng.integers(0, n, n)
        sample = Survey.from_frames(
            outcomes=survey.outcomes,
            importance=survey.importance.iloc[idx].reset_index(drop=True),
            satisfaction=survey.satisfaction.iloc[idx].reset_index(drop=True),
            scale=survey.scale,
        )
        baseline_scores(sample)


def measure(fn: Callable[[], object]) -> tuple[float, float]:
    tracemalloc.start()
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20


def best_of(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    results = [measure(fn) for _ in range(repeats)]
    return min(r[0] for r in results), max(r[1] for r in results)


def run(*, large_respondents: int = 1_000_000, quick: bool = False) -> list[Measurement]:
    out = []
    small = synthetic_survey(3_000, 150, seed=1)
    score(small, bootstrap=50)  # warm up imports and BLAS
    t, mem = best_of(lambda: score(small, bootstrap=1000, seed=0), 1 if quick else 3)
    few = 3 if quick else 10
    bt, bmem = measure(lambda: baseline_bootstrap(small, few))
    out.append(
        Measurement(
            "3,000 x 150, bootstrap 1,000",
            t,
            mem,
            bt * 1000 / few,
            bmem,
            f"baseline: {few} resamples timed, scaled to 1,000",
        )
    )
    large = synthetic_survey(large_respondents, 150, seed=2)
    t, mem = best_of(lambda: score(large, bootstrap=0), 1 if quick else 2)
    bt, bmem = measure(lambda: baseline_scores(large))
    out.append(
        Measurement(
            f"{large_respondents:,} x 150, no bootstrap",
            t,
            mem,
            bt,
            bmem,
            "baseline: timed in full",
        )
    )
    return out


def report(results: list[Measurement]) -> str:
    lines = [
        "| case | odi time (s) | odi peak (MiB) | baseline time (s) | baseline peak (MiB) "
        "| speed-up |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.case} | {r.seconds:.3f} | {r.peak_mib:.0f} | {r.baseline_seconds:.2f} "
            f"| {r.baseline_peak_mib:.0f} | {r.speedup:.1f}x |"
        )
    lines += ["", *{f"- {r.case}: {r.baseline_note}" for r in results}]
    return "\n".join(lines)


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    print(report(run(large_respondents=100_000 if quick else 1_000_000, quick=quick)))
