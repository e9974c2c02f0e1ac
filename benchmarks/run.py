"""Run every benchmark and print its report: `make bench` (add --quick for a smaller run)."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

SUITES = [
    "bench_scoring",
    "bench_coverage",
    "bench_import",
    "bench_ui",
    "bench_validation",
    "bench_significance",
    "bench_segmentation",
    "bench_browser",
    "bench_hostile",
    "bench_speed",
    "bench_persona_sql",
]


def main() -> None:
    quick = "--quick" in sys.argv
    for name in SUITES:
        if not (HERE / f"{name}.py").exists():
            continue
        module = importlib.import_module(name)
        print(f"\n## {name}\n", flush=True)
        start = time.perf_counter()
        if name == "bench_scoring":
            print(module.ratio_report(module.ratios(quick=quick)), "\n", flush=True)
            print(
                module.report(
                    module.run(large_respondents=100_000 if quick else 1_000_000, quick=quick)
                )
            )
        elif hasattr(module, "main_report"):
            print(module.main_report(quick=quick))
        else:
            print(module.report(module.run()))
        print(f"\n({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
