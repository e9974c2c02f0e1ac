"""Without any switch, `python -m odi score` reproduces the published method.

The method is computed here independently, in plain pandas, from the raw file: valid
answers are the scale points (blanks and N/A codes left out of both numerator and
denominator), importance and satisfaction are 10 x the top-box share of the valid
answers, and opportunity = I + max(I - S, 0). Every respondent counts: the default
screening policy reads only the platform's own record, which these files do not have.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from odi.cli.main import main

# Beside the repository (../shared), or beside the worktrees' folder on the dev machine.
_ROOT = Path(__file__).resolve().parents[2]
REAL = next(
    (
        p
        for p in (_ROOT.parent / "shared/fixtures/real", _ROOT.parents[1] / "shared/fixtures/real")
        if p.is_dir()
    ),
    _ROOT.parent / "shared/fixtures/real",
)
SCALE = (1, 2, 3, 4, 5)
TOP = 4


def method(importance: pd.DataFrame, satisfaction: pd.DataFrame) -> pd.DataFrame:
    """The method on respondents x outcomes frames of raw numbers (NaN blank)."""
    rows = {}
    for outcome in importance.columns:
        out = {}
        for side, frame in (("importance", importance), ("satisfaction", satisfaction)):
            valid = frame[outcome][frame[outcome].isin(SCALE)]
            out[f"n_{side}"] = len(valid)
            out[side] = 10 * (valid >= TOP).sum() / len(valid)
        out["opportunity"] = out["importance"] + max(out["importance"] - out["satisfaction"], 0)
        rows[str(outcome)] = out
    return pd.DataFrame.from_dict(rows, orient="index")


def cli_scores(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> pd.DataFrame:
    code = main(["score", str(path), "--bootstrap", "0", *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "none excluded" in err  # every respondent kept
    return pd.read_csv(io.StringIO(out), dtype={"outcome": str}).set_index("outcome")


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    got = got.loc[want.index]
    for col in ("n_importance", "n_satisfaction"):
        assert got[col].tolist() == want[col].tolist(), col
    for col in ("importance", "satisfaction", "opportunity"):
        np.testing.assert_allclose(got[col], want[col], rtol=1e-12, atol=1e-12, err_msg=col)


real = pytest.mark.skipif(not REAL.is_dir(), reason=f"the real exports are not present at {REAL}")


@real
def test_perth_parks_long_file_scores_as_the_method(capsys):
    path = REAL / "perth_parks_long.jsonl"
    rows = pd.DataFrame([json.loads(line) for line in path.read_text().splitlines() if line])
    imp = rows.pivot(index="respondentId", columns="outcomeId", values="importance")
    sat = rows.pivot(index="respondentId", columns="outcomeId", values="satisfaction")
    want = method(imp, sat)
    got = cli_scores(capsys, path)
    assert len(got) == len(want) == 22
    assert_same(got, want)


@real
def test_messy_wide_file_scores_as_the_method(capsys):
    path = REAL / "messy_wide_gracevor.csv"
    frame = pd.read_csv(path)
    imp = frame.filter(like="imp_").rename(columns=lambda c: c.removeprefix("imp_"))
    sat = frame.filter(like="sat_").rename(columns=lambda c: c.removeprefix("sat_"))
    want = method(imp, sat)  # 0 and 6 are N/A codes: not on the scale, so not valid
    got = cli_scores(capsys, path, "--scale", "1-5", "--na-codes", "0,6")
    assert len(got) == len(want) == 23
    assert_same(got, want)


def split_questionnaire(seed: int = 7, respondents: int = 120, outcomes: int = 12) -> pd.DataFrame:
    """Each respondent rates a random 4 of the outcomes (one row per item shown); a few
    leave an item they were shown blank."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(respondents):
        for o in rng.choice(outcomes, size=4, replace=False):
            imp = int(rng.integers(1, 6))
            sat = int(rng.integers(1, 6))
            rows.append(
                {
                    "respondent_id": f"r{r:03d}",
                    "outcome_id": f"o{o:02d}",
                    "importance": "" if rng.random() < 0.05 else str(imp),
                    "satisfaction": str(sat),
                    "role": "VP" if r % 3 == 0 else "Analyst",
                }
            )
    return pd.DataFrame(rows)


def test_a_split_questionnaire_keeps_every_respondent_and_scores_as_the_method(tmp_path, capsys):
    long = split_questionnaire()
    path = tmp_path / "split.csv"
    long.to_csv(path, index=False)
    numbers = long.assign(
        importance=pd.to_numeric(long["importance"], errors="coerce"),
        satisfaction=pd.to_numeric(long["satisfaction"], errors="coerce"),
    )
    imp = numbers.pivot(index="respondent_id", columns="outcome_id", values="importance")
    sat = numbers.pivot(index="respondent_id", columns="outcome_id", values="satisfaction")
    want = method(imp, sat)
    got = cli_scores(capsys, path)
    assert_same(got, want)
    # Each respondent was shown a third of the outcomes: no "sparse" flag either, because
    # an outcome not shown is not an unanswered item.
    code = main(["inspect", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["respondents"]["kept"] == 120
    assert report["respondents"]["flagged_kept_by_reason"].get("sparse", 0) == 0
    # Switching the sparse rule on still keeps them all.
    main(["score", str(path), "--bootstrap", "0", "--exclude-sparse"])
    assert "kept all 120 respondents" in capsys.readouterr().err
