"""Time needs-based segmentation of a 3,000 x 150 study: the features, the k search over
k = 2..8 and the bootstrap stability resamples (default settings: 20 resamples per k),
then the cluster profiles. Progress is printed as it runs.

Two studies: three planted needs segments, and no structure at all. Besides the time, the
report gives what the method found (recommended k, stability, ARI against the truth), and
the search's CPU time, which a busy shared machine does not inflate as much as wall time.
The aim is under 10 s for the search on this 2-core machine.

Run ``python benchmarks/bench_segmentation.py`` or ``make bench``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn.metrics import adjusted_rand_score

from odi.analysis.segmentation import profile_clusters, search_k
from odi.analysis.segmentation.simulate import planted_survey


def _progress(fraction: float, message: str) -> None:
    print(f"  {fraction:4.0%} {message}", flush=True)


def run(*, n: int = 3000, n_outcomes: int = 150) -> list[dict[str, object]]:
    rows = []
    for k, label in ((3, "three planted segments"), (1, "no structure")):
        survey, truth = planted_survey(n=n, n_outcomes=n_outcomes, k=k, seed=0)
        print(f"{label}: {n:,} x {n_outcomes}", flush=True)
        start, cpu = time.perf_counter(), time.process_time()
        search = search_k(survey, progress=_progress)
        searched = time.perf_counter() - start
        search_cpu = time.process_time() - cpu
        start = time.perf_counter()
        profile_clusters(survey, search.assignment, bootstrap=200)
        profiled = time.perf_counter() - start
        rows.append(
            {
                "study": label,
                "search_s": searched,
                "search_cpu_s": search_cpu,
                "profiles_s": profiled,
                "components": search.features.matrix.shape[1],
                "recommended_k": search.recommended_k,
                "k": search.chosen_k,
                "stability": search.chosen.stability,
                "ari_vs_truth": adjusted_rand_score(truth, search.assignment) if k > 1 else None,
            }
        )
    return rows


def report(rows: list[dict[str, object]]) -> str:
    lines = [
        "| study | k search + resamples (s) | its CPU time (s) | profiles (s) | components "
        "| recommended k | k | stability (mean ARI) | ARI vs truth |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ari = r["ari_vs_truth"]
        lines.append(
            f"| {r['study']} | {r['search_s']:.1f} | {r['search_cpu_s']:.1f} | "
            f"{r['profiles_s']:.1f} | "
            f"{r['components']} | {r['recommended_k']} | {r['k']} | {r['stability']:.2f} | "
            f"{'-' if ari is None else f'{ari:.3f}'} |"
        )
    return "\n".join(lines)


def main_report(*, quick: bool = False) -> str:
    return report(run(n=1000 if quick else 3000))


if __name__ == "__main__":
    print(report(run()))
