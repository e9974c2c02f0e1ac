"""False discoveries over the whole segment heatmap, under the null and with planted effects.

Simulated surveys of n respondents in k segments (one attribute) rate outcomes top box
or not. :func:`odi.analysis.significance.segment_differences` tests every segment x
outcome x side against the rest and adjusts over the whole table (one
Benjamini-Hochberg family).

- **Null**: nobody differs. Every cell marked significant is a false discovery, so the
  false-discovery rate is the share of heatmaps with any cell marked. Beside it, the
  same p-values adjusted the old way (one family per segment and side).
- **Planted**: the first segment answers importance top box 25 points more often on
  three outcomes. A cell is truly different when its segment's population share differs
  from the rest's (so the other segments' cells on those outcomes are, slightly, too).
  FDR = mean over heatmaps of false / marked (0 when none marked).

Run ``python benchmarks/bench_significance.py`` (``--quick`` for fewer runs).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from odi.analysis.significance import bh_adjust, segment_differences
from odi.scale import Scale
from odi.survey import Survey

LIFT = 0.25
PLANTED = 3


def _survey(
    rng: np.random.Generator, *, n: int, outcomes: int, segments: int, planted: bool
) -> tuple[Survey, np.ndarray]:
    """The survey and the planted outcomes (their position)."""
    ids = [f"O{i}" for i in range(outcomes)]
    p_imp = rng.uniform(0.2, 0.6, size=outcomes)
    p_sat = rng.uniform(0.2, 0.8, size=outcomes)
    seg = rng.integers(0, segments, n)
    prob = np.tile(p_imp, (n, 1))
    hit = np.arange(PLANTED) if planted else np.arange(0)
    prob[np.ix_(seg == 0, hit)] += LIFT
    imp = np.where(rng.random((n, outcomes)) < prob, 5.0, 2.0)
    sat = np.where(rng.random((n, outcomes)) < p_sat, 5.0, 2.0)
    labels = np.array([f"S{i}" for i in range(segments)])[seg]
    survey = Survey.from_frames(
        outcomes=pd.DataFrame({"statement": ids}, index=ids),
        importance=pd.DataFrame(imp, columns=ids),
        satisfaction=pd.DataFrame(sat, columns=ids),
        respondents=pd.DataFrame({"segment": labels}),
        scale=Scale.from_range(1, 5),
    )
    return survey, hit


def run(
    *, runs: int = 400, n: int = 600, outcomes: int = 20, segments: tuple[int, ...] = (2, 4, 6, 10)
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for k in segments:
        for planted in (False, True):
            rng = np.random.default_rng(1000 * k + planted)
            any_whole = any_old = 0
            fdp: list[float] = []
            family = 0
            for _ in range(runs):
                survey, hit = _survey(rng, n=n, outcomes=outcomes, segments=k, planted=planted)
                comp = segment_differences(survey, "segment", min_n=20)
                t = comp.table
                family = comp.family_size
                marked = t["significant"].to_numpy(dtype=bool)
                real = (
                    t["outcome_id"].isin([f"O{i}" for i in hit]) & (t["measure"] == "importance")
                ).to_numpy()
                false = marked & ~real
                fdp.append(false.sum() / marked.sum() if marked.any() else 0.0)
                any_whole += bool(marked.any())
                old = t.groupby(["segment", "measure"])["p_value"].transform(
                    lambda p: bh_adjust(p.to_numpy())
                )
                any_old += bool((old < comp.alpha).any())
            rows.append(
                {
                    "segments": k,
                    "planted": planted,
                    "family": family,
                    "fdr": float(np.mean(fdp)),
                    "se": float(np.std(fdp) / np.sqrt(runs)),
                    "any_marked": any_whole / runs,
                    "old_any_marked": any_old / runs,
                }
            )
    return rows


def report(rows: list[dict[str, object]]) -> str:
    lines = [
        "false-discovery rate over the whole segment heatmap (alpha 0.05, one BH family of "
        "segments x outcomes x sides)",
        "",
        "| segments | effects | family | FDR (± s.e.) | any cell marked | old families: any "
        "marked |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        effects = f"{PLANTED} planted" if r["planted"] else "none (null)"
        lines.append(
            f"| {r['segments']} | {effects} | {r['family']} | {r['fdr']:.3f} ± {r['se']:.3f} | "
            f"{r['any_marked']:.3f} | {r['old_any_marked']:.3f} |"
        )
    return "\n".join(lines)


def main_report(*, quick: bool = False) -> str:
    """Run and report; ``quick`` uses 60 runs, 300 respondents and 10 outcomes."""
    if quick:
        return report(run(runs=60, n=300, outcomes=10, segments=(2, 6)))
    return report(run())


if __name__ == "__main__":
    print(main_report(quick="--quick" in sys.argv))
