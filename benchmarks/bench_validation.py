"""Pass rates of the split-half check of unmet needs, by n, beside the old check.

Simulated segments of n respondents rate 8 outcomes top box or not, with known
population shares:

- **true needs** (population O = 13: I = 8, S = 3) and **near needs** (O = 11);
- **noise needs** (O = 8) and **near noise** (O = 9), below the threshold of 10.

For each simulated segment :func:`odi.analysis.validation.split_half` makes 10 random
splits; a need *passes* a split when it is found on the discovery half and holds on
the confirmation half. Reported per class: the pass rate (share of splits, averaged
over simulated segments) and the hold rate among splits where it was found.

Beside it, **the old check** (before issue 10): the needs listed on every respondent,
re-scored on two random halves of the same respondents, "replicated" when both halves
were at or above 10. Its rate is over the needs it listed.

Run ``python benchmarks/bench_validation.py`` (``--quick`` for fewer repetitions).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from odi.analysis.simulate import top_box_survey
from odi.analysis.validation import meets_threshold, split_half
from odi.survey import Survey

#: (class, population top-box share of importance, of satisfaction): two outcomes each.
CLASSES = (
    ("true (O = 13)", 0.8, 0.3),
    ("near true (O = 11)", 0.7, 0.3),
    ("near noise (O = 9)", 0.65, 0.4),
    ("noise (O = 8)", 0.6, 0.4),
)
PER_CLASS = 2


def _survey(rng: np.random.Generator, n: int) -> Survey:
    p_imp = np.repeat([c[1] for c in CLASSES], PER_CLASS)
    p_sat = np.repeat([c[2] for c in CLASSES], PER_CLASS)
    return top_box_survey(rng, n, p_imp, p_sat)


def _meets(survey: Survey, rows: np.ndarray) -> np.ndarray:
    imp = survey.importance.to_numpy()[rows] >= 4
    sat = survey.satisfaction.to_numpy()[rows] >= 4
    n = np.full(imp.shape[1], len(rows))
    return meets_threshold(imp.sum(0), n, sat.sum(0), n, 10)


def _old_check(survey: Survey, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Listed on everyone; replicated when both halves of the same people are >= 10."""
    n = survey.n_respondents
    listed = _meets(survey, np.arange(n))
    order = np.random.default_rng(seed).permutation(n)
    both = _meets(survey, order[: n // 2]) & _meets(survey, order[n // 2 :])
    return listed, listed & both


def run(*, ns: tuple[int, ...] = (100, 200, 400), reps: int = 200, splits: int = 10) -> list:
    rows = []
    k = len(CLASSES) * PER_CLASS
    ids = [f"O{i}" for i in range(k)]
    for n in ns:
        rng = np.random.default_rng(n)
        passed = np.zeros(k)
        found = np.zeros(k)
        old_listed = np.zeros(k)
        old_rep = np.zeros(k)
        for r in range(reps):
            survey = _survey(rng, n)
            result = split_half(survey, np.ones(n, dtype=bool), splits=splits, seed=r, bootstrap=0)
            t = result.table.set_index("outcome_id")
            passed += t["share_held"].reindex(ids).fillna(0.0).to_numpy()
            found += t["share_found"].reindex(ids).fillna(0.0).to_numpy()
            listed, rep = _old_check(survey, r)
            old_listed += listed
            old_rep += rep
        for c, (name, _, _) in enumerate(CLASSES):
            cols = slice(c * PER_CLASS, (c + 1) * PER_CLASS)
            rows.append(
                {
                    "n": n,
                    "class": name,
                    "pass": passed[cols].sum() / (reps * PER_CLASS),
                    "held_when_found": passed[cols].sum() / max(found[cols].sum(), 1e-12),
                    "old_listed": old_listed[cols].sum() / (reps * PER_CLASS),
                    "old_replicated_when_listed": old_rep[cols].sum()
                    / max(old_listed[cols].sum(), 1e-12),
                }
            )
    return rows


def report(rows: list) -> str:
    lines = [
        "split-half check of unmet needs (threshold 10): pass = found on the discovery half "
        "and held on the untouched half, share of splits",
        "",
        "| n | need | pass | held when found | old check: listed | old: replicated when listed |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']} | {r['class']} | {r['pass']:.3f} | {r['held_when_found']:.3f} | "
            f"{r['old_listed']:.3f} | {r['old_replicated_when_listed']:.3f} |"
        )
    return "\n".join(lines)


def main_report(*, quick: bool = False) -> str:
    """Run and report; ``quick`` uses 40 simulated segments per n."""
    return report(run(reps=40 if quick else 200))


if __name__ == "__main__":
    print(main_report(quick="--quick" in sys.argv))
