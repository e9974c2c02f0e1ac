"""Wall-clock checks that used to be timed tests, with their former bounds as targets.

Timing assertions fail when the machine is busy, so the suite checks what these produce and
this benchmark times them (``make bench``, or ``python benchmarks/bench_speed.py``):

- the landscape of a 150-outcome study, one segment against everyone (was
  ``test_150_outcome_landscape_builds_fast``; target: median under 0.25 s);
- whole-table significance on a 3,000 x 150 study by role, warm (was
  ``test_fast_on_a_large_study``; target: under 2 s);
- importing the bundled demo study (was ``test_loading_the_demo_is_fast``; target: under 3 s);
- the start-up of ``python -m odi score`` on the demo study without bootstrap, against a process
  that only imports pandas (the least scoring needs), measured alternately in the same run
  (issue 13: score loads no storage, charts or persona exports; target: within 2x of it).

Each case reports the median of ``repeats`` runs after one warm-up run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median_seconds(action: Callable[[], object], repeats: int) -> float:
    action()  # warm-up: plotly's validators, pandas' caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _process_seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def startup(*, repeats: int = 5) -> tuple[float, float]:
    """Median seconds of ``python -m odi score`` and of ``python -c "import pandas"``."""
    score = [sys.executable, "-m", "odi", "score", "surveys/pipeline_demo.csv", "--bootstrap", "0"]
    bare = [sys.executable, "-c", "import pandas"]
    pairs = [(_process_seconds(score), _process_seconds(bare)) for _ in range(repeats)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def run(*, repeats: int = 5) -> list[tuple[str, float, float]]:
    """``(case, median seconds, target seconds)`` for every case."""
    from odi.analysis.scoring import score
    from odi.analysis.significance import segment_differences
    from odi.charts import landscape_figure
    from odi.importers.load import load_survey
    from tests.conftest import make_study

    scored = score(make_study(), by="role", bootstrap=200, seed=0)
    overall, vp = scored.for_segment("All"), scored.for_segment("VP")
    big = make_study(3000, 150, seed=2)
    demo = (ROOT / "surveys" / "pipeline_demo.csv").read_bytes()
    odi_start, pandas_start = startup(repeats=repeats)
    return [
        (
            "landscape, 150 outcomes, VP against everyone",
            _median_seconds(lambda: landscape_figure(vp, compare=overall), repeats),
            0.25,
        ),
        (
            "significance, 3,000 x 150 by role",
            _median_seconds(lambda: segment_differences(big, "role"), max(1, repeats // 2)),
            2.0,
        ),
        (
            "import the demo study (600 x 40)",
            _median_seconds(lambda: load_survey(demo, source="pipeline_demo.csv"), repeats),
            3.0,
        ),
        (f"python -c 'import pandas' (baseline, {pandas_start:.2f} s)", pandas_start, 0.0),
        ("python -m odi score, demo study, no bootstrap", odi_start, 2 * pandas_start),
    ]


def report(results: list[tuple[str, float, float]]) -> str:
    lines = ["| case | median (s) | target (s) | within |", "| --- | ---: | ---: | --- |"]
    for case, seconds, target in results:
        if not target:  # a baseline
            lines.append(f"| {case} | {seconds:.3f} | | |")
            continue
        lines.append(
            f"| {case} | {seconds:.3f} | {target:g} | {'yes' if seconds < target else 'NO'} |"
        )
    return "\n".join(lines)


def main_report(*, quick: bool = False) -> str:
    return report(run(repeats=3 if quick else 5))


if __name__ == "__main__":
    print(main_report(quick="--quick" in sys.argv))
