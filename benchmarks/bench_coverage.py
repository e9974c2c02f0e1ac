"""Coverage of the opportunity interval by n, from a seeded simulation (issue 10 item 5).

For each sample size and each pair of true top-box shares (importance close to
satisfaction, far apart, and near the edges of the scale), simulate many outcomes and
count how often the 95 % interval contains the true opportunity: overall, and among the
intervals not flagged ``weak_interval``.

Run ``python benchmarks/bench_coverage.py`` (``--quick`` for fewer replicates) or
``make bench``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from odi.analysis.coverage import Coverage, interval_coverage

SIZES = (10, 20, 30, 50, 100, 200)
SHARES = ((0.6, 0.6), (0.55, 0.5), (0.7, 0.4), (0.85, 0.85), (0.9, 0.5))


def run(*, quick: bool = False) -> list[Coverage]:
    replicates = 200 if quick else 1000
    bootstrap = 200 if quick else 1000
    return [
        interval_coverage(n, p_i, p_s, replicates=replicates, bootstrap=bootstrap, seed=n)
        for n in SIZES
        for p_i, p_s in SHARES
    ]


def report(results: list[Coverage]) -> str:
    lines = [
        "Coverage of the 95 % opportunity interval (share of replicates containing the true "
        "O); in brackets: among intervals not flagged weak_interval, and the share flagged.",
        "",
        "| n | " + " | ".join(f"I {p:.0%} / S {q:.0%}" for p, q in SHARES) + " |",
        "| ---: |" + " ---: |" * len(SHARES),
    ]
    for n in SIZES:
        cells = []
        for p, q in SHARES:
            c = next(r for r in results if (r.n, r.p_importance, r.p_satisfaction) == (n, p, q))
            strong = "-" if c.strong != c.strong else f"{c.strong:.3f}"
            cells.append(f"{c.overall:.3f} ({strong}; {c.weak_share:.0%} weak)")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    replicates = results[0].replicates if results else 0
    lines += ["", f"({replicates} replicates per cell; standard error about 0.7 points.)"]
    return "\n".join(lines)


def main_report(*, quick: bool = False) -> str:
    return report(run(quick=quick))


if __name__ == "__main__":
    print(main_report(quick="--quick" in sys.argv))
