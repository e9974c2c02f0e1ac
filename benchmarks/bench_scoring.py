"""Time scoring against baselines measured in the same run.

Two cases against a pandas baseline, as issue 2 asks:

- 3,000 respondents x 150 outcomes with a 1,000-resample bootstrap;
- 1,000,000 respondents x 150 outcomes without the bootstrap.

And the ratios issue 13 asks for (:func:`ratios`), each against its own baseline in
this run:

- scoring 100,000 x 150 (survey built) against a plain float64 numpy count of the same
  answers, ``((m >= top).sum(0) / (~isnan(m)).sum(0))`` for both sides (goal >= 2x);
- everyone plus 6 segments against everyone alone (goal <= 2x);
- row-major against column-major codes, and a half-sample ``where=`` subset, at
  1,000,000 x 150 (goal within 1.5x);
- the peak memory of building (``Survey.from_frames``) and scoring 1,000,000 x 150 from
  float64 frames, against the compact int8 matrices (goal <= 3x);
- the peak memory of a bootstrap at 1,000,000 x 150 (respondent blocks).

Timings are the best of several runs, interleaved, since the machine is shared.

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

from dataclasses import replace

from odi.analysis.counting import side_counts
from odi.analysis.scoring import score
from odi.scale import MISSING_CODE, Scale
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
    sides = (survey.importance, survey.satisfaction)  # float frames, decoded once
    for oid in survey.outcomes.index:
        shares = []
        for matrix in sides:
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
    imp, sat = survey.importance, survey.satisfaction  # float frames, decoded once
    for _ in range(resamples):
        idx = rng.integers(0, n, n)
        sample = Survey.from_frames(
            outcomes=survey.outcomes,
            importance=imp.iloc[idx].reset_index(drop=True),
            satisfaction=sat.iloc[idx].reset_index(drop=True),
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


def synthetic_codes(n_respondents: int, n_outcomes: int, *, seed: int = 0) -> Survey:
    """A survey built straight from int8 codes (fast to make at a million rows)."""
    rng = np.random.default_rng(seed)

    def side() -> np.ndarray:
        codes = rng.integers(1, 6, size=(n_respondents, n_outcomes), dtype=np.int8)
        codes[rng.random((n_respondents, n_outcomes), dtype=np.float32) < 0.03] = MISSING_CODE
        return codes

    ids = [f"O{i:03d}" for i in range(n_outcomes)]
    roles = np.array(["Manager", "Director", "VP", "SDR", "Ops", "Analyst"])
    return Survey(
        outcomes=pd.DataFrame({"statement": ids, "job_step": ""}, index=pd.Index(ids)),
        importance_codes=side(),
        satisfaction_codes=side(),
        respondents=pd.DataFrame(
            {"role": roles[rng.integers(0, 6, n_respondents)].astype(object)},
            index=pd.RangeIndex(n_respondents).astype(str),
        ),
        scale=Scale.from_range(1, 5),
    )


@dataclass(frozen=True)
class Ratio:
    goal: str
    ours: str
    ours_value: float
    baseline: str
    baseline_value: float
    unit: str
    target: str

    @property
    def ratio(self) -> float:
        return self.ours_value / self.baseline_value


def interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Best time of each function, run in turn ``repeats`` times (fair under shared load)."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def peak_mib(fn: Callable[[], object]) -> float:
    return measure(fn)[1]


def ratios(*, quick: bool = False) -> list[Ratio]:
    """The issue 13 goals, each as a ratio to a baseline from this run."""
    out = []
    n = 20_000 if quick else 100_000
    reps = 3 if quick else 7
    survey = synthetic_codes(n, 150, seed=3)
    everyone = replace(survey, respondents=survey.respondents.iloc[:, :0])
    m_i = survey.importance.to_numpy()
    m_s = survey.satisfaction.to_numpy()
    top = survey.scale.top_box

    def numpy_count() -> None:
        for m in (m_i, m_s):
            (m >= top).sum(0) / (~np.isnan(m)).sum(0)

    t = interleaved(
        {
            "ours": lambda: score(everyone, bootstrap=0),
            "numpy": numpy_count,
            "segments": lambda: score(survey, by="role", bootstrap=0),
        },
        reps,
    )
    out.append(
        Ratio(
            ">= 2x faster",
            f"score, {n:,} x 150, built",
            t["ours"],
            "float64 numpy count, both sides",
            t["numpy"],
            "s",
            "<= 0.5",
        )
    )
    out.append(
        Ratio(
            "<= 2x everyone",
            f"everyone + 6 roles, {n:,} x 150",
            t["segments"],
            "everyone alone",
            t["ours"],
            "s",
            "<= 2",
        )
    )
    small = synthetic_codes(5_000, 150, seed=4)
    small_everyone = replace(small, respondents=small.respondents.iloc[:, :0])
    b = 50 if quick else 200
    tb = interleaved(
        {
            "everyone": lambda: score(small_everyone, bootstrap=b),
            "segments": lambda: score(small, by="role", bootstrap=b),
        },
        2 if quick else 3,
    )
    out.append(
        Ratio(
            "<= 2x everyone",
            f"everyone + 6 roles, bootstrap {b}, 5,000 x 150",
            tb["segments"],
            "everyone alone, same bootstrap",
            tb["everyone"],
            "s",
            "<= 2",
        )
    )

    big_n = 200_000 if quick else 1_000_000
    out += _layouts(big_n, quick=quick)
    return out


def _layouts(big_n: int, *, quick: bool) -> list[Ratio]:
    """Row- vs column-major input, a half-sample subset, and peak memory at ``big_n``."""
    out = []
    codes = synthetic_codes(big_n, 150, seed=5)
    big = replace(
        codes,
        respondents=pd.DataFrame(
            {"half": np.where(np.arange(big_n) % 2 == 0, "a", "b").astype(object)},
            index=codes.respondents.index,
        ),
    )
    col_major = np.asfortranarray(big.importance_codes)
    t = interleaved(
        {
            "counts_row": lambda: side_counts(big.importance_codes, 4),
            "counts_col": lambda: side_counts(col_major, 4),
        },
        2 if quick else 3,
    )
    out.append(
        Ratio(
            "within 1.5x",
            f"count row-major codes, {big_n:,} x 150 (one side)",
            t["counts_row"],
            "column-major codes",
            t["counts_col"],
            "s",
            "0.67-1.5",
        )
    )

    def frames(order: str) -> dict[str, pd.DataFrame]:
        return {
            side: pd.DataFrame(
                np.asarray(np.where(c == MISSING_CODE, np.nan, c.astype(np.float64)), order=order),
                index=big.respondents.index,
                columns=big.outcomes.index,
                copy=False,
            )
            for side, c in (
                ("importance", big.importance_codes),
                ("satisfaction", big.satisfaction_codes),
            )
        }

    def build_and_score(answers: dict[str, pd.DataFrame]) -> None:
        built = Survey.from_frames(
            outcomes=big.outcomes,
            scale=Scale.from_range(1, 5),
            respondents=big.respondents,
            **answers,
        )
        score(built, bootstrap=0)
        score(built, where={"half": ["a"]}, bootstrap=0)

    compact = (big.importance_codes.nbytes + big.satisfaction_codes.nbytes) / 2**20
    # Both pairs of float frames at once (4.8 GB at a million), so the builds interleave.
    answers = {order: frames(order) for order in ("C", "F")}
    build = interleaved(
        {order: lambda a=pair: build_and_score(a) for order, pair in answers.items()},
        2,
    )
    peaks = {order: peak_mib(lambda a=pair: build_and_score(a)) for order, pair in answers.items()}
    del answers
    t = interleaved(
        {
            "everyone": lambda: score(big, bootstrap=0),
            "where": lambda: score(big, where={"half": ["a"]}, bootstrap=0),
        },
        2 if quick else 3,
    )
    out.append(
        Ratio(
            "within 1.5x",
            f"build + score + half where=, row-major float frames, {big_n:,} x 150",
            build["C"],
            "the same from column-major frames",
            build["F"],
            "s",
            "0.67-1.5",
        )
    )
    out.append(
        Ratio(
            "within 1.5x",
            f"half-sample where= (subset), {big_n:,} x 150",
            t["where"],
            "everyone",
            t["everyone"],
            "s",
            "<= 1.5",
        )
    )
    for order, label in (("C", "row-major"), ("F", "column-major")):
        out.append(
            Ratio(
                "<= 3x",
                f"peak of build from {label} float64 frames + score, {big_n:,} x 150",
                peaks[order],
                "compact int8 matrices",
                compact,
                "MiB",
                "<= 3",
            )
        )
    boot = 10 if quick else 20
    out.append(
        Ratio(
            "bounded",
            f"peak of bootstrap {boot} at {big_n:,} x 150",
            peak_mib(lambda: score(big, bootstrap=boot)),
            "compact int8 matrices",
            compact,
            "MiB",
            "small",
        )
    )
    return out


def ratio_report(results: list[Ratio]) -> str:
    lines = [
        "| goal | ours | value | baseline (same run) | value | ratio | target |",
        "| --- | --- | ---: | --- | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.goal} | {r.ours} | {r.ours_value:.3f} {r.unit} | {r.baseline} "
            f"| {r.baseline_value:.3f} {r.unit} | {r.ratio:.2f} | {r.target} |"
        )
    return "\n".join(lines)


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
    print(ratio_report(ratios(quick=quick)))
    print()
    print(report(run(large_respondents=100_000 if quick else 1_000_000, quick=quick)))
