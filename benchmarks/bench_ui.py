"""Rerun time of a segment-filter change in the app, through AppTest, on a 3,000 x 150 study.

The baseline, measured in the same run, is the cold first load of the same page (parse +
score + draw); the ratio shows what caching saves. Target: median rerun under 300 ms.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def study_csv(n: int = 3_000, k: int = 150, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    roles = rng.choice(["VP Marketing", "Demand Gen", "Marketing Ops", "SDR Lead"], n)
    sizes = rng.choice(["1-49", "50-249", "250-999", "1000+"], n)
    cols: dict[str, object] = {
        "respondent_id": [f"R{i}" for i in range(n)],
        "role": roles,
        "company_size": sizes,
    }
    for j in range(k):
        cols[f"imp_O{j:03d}"] = rng.integers(1, 6, n)
        cols[f"sat_O{j:03d}"] = rng.integers(1, 6, n)
    return pd.DataFrame(cols).to_csv(index=False).encode()


def run(repeats: int = 7) -> dict[str, float]:
    import os

    from streamlit.testing.v1 import AppTest

    data = study_csv()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ODI_DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        start = time.perf_counter()
        at.run()  # opens on the landscape of the bundled demo
        at.switch_page("app_pages/study.py").run()
        at.file_uploader(key="survey_file").upload("big.csv", data, "text/csv").run()
        at.switch_page("app_pages/landscape.py").run()
        cold = time.perf_counter() - start
        at.multiselect(key="seg_attrs").set_value(["role"]).run()
        values = ["VP Marketing", "Demand Gen", "Marketing Ops", "SDR Lead"]
        # Warm each segment once (first scoring of a segment is not a "rerun").
        for v in values:
            at.multiselect(key="seg_v_role").set_value([v]).run()
        times = []
        for i in range(repeats):
            at.multiselect(key="seg_v_role").set_value([values[i % len(values)]])
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
            if at.exception:
                raise RuntimeError(str(at.exception))
    median = statistics.median(times)
    return {"cold_load_s": cold, "rerun_median_s": median, "ratio_rerun_to_cold": median / cold}


def report(result: dict[str, float]) -> str:
    return (
        "| case | cold load (s) | filter-change rerun, median (s) | rerun / cold |\n"
        "| --- | ---: | ---: | ---: |\n"
        f"| 3,000 x 150, landscape page | {result['cold_load_s']:.2f} | "
        f"{result['rerun_median_s']:.3f} | {result['ratio_rerun_to_cold']:.2f} |"
    )


if __name__ == "__main__":
    print(report(run()))
