"""`python -m odi compare`: one row per matched outcome, unmatched on stderr, one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from odi.analysis.waves import COMPARE_COLUMNS
from odi.cli.main import main
from tests.analysis.wave2 import SURVEYS, wave2_bytes

REQUIRED = [
    "outcome_id",
    "outcome",
    "opportunity_1",
    "opportunity_2",
    "change",
    "p_adjusted",
    "significant",
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def wave2_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("w") / "wave2.csv"
    path.write_bytes(wave2_bytes())
    return path


def test_compare_demo_waves(capsys: pytest.CaptureFixture[str], wave2_path: Path) -> None:
    code, out, err = run(
        capsys, "compare", str(SURVEYS / "pipeline_demo_qualtrics.csv"), str(wave2_path)
    )
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == list(COMPARE_COLUMNS)
    assert set(REQUIRED) <= set(table.columns)
    assert len(table) == 40
    assert set(table.loc[table["significant"], "outcome_id"]) == {"O06", "O21", "O30"}
    assert "unmatched" not in err
    assert "3 changed significantly (n = 600 and 600)" in err


def test_compare_lists_unmatched_and_uses_manual_matches(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, wave2_path: Path
) -> None:
    frame = pd.read_csv(wave2_path, dtype=str, keep_default_na=False)
    reworded = "Minimize the time it takes to see which programs create qualified pipeline"
    frame.loc[frame["outcome_id"] == "O26", ["outcome_id", "outcome"]] = ["N26", reworded]
    w2 = tmp_path / "w2.csv"
    frame.to_csv(w2, index=False)
    code, out, err = run(capsys, "compare", str(SURVEYS / "pipeline_demo.csv"), str(w2), "--json")
    assert code == 0
    assert "unmatched in wave 1: O26" in err
    assert "unmatched in wave 2: N26" in err
    assert len(json.loads(out)) == 39
    m = tmp_path / "m.csv"
    m.write_text("outcome_id_1,outcome_id_2\nO26,N26\n")
    code, out, err = run(
        capsys,
        "compare",
        str(SURVEYS / "pipeline_demo.csv"),
        str(w2),
        "--match",
        str(m),
        "--where",
        "role=VP Marketing",
        "-o",
        str(tmp_path / "c.json"),
    )
    assert code == 0
    rows = json.loads((tmp_path / "c.json").read_text())
    row = next(r for r in rows if r["outcome_id"] == "O26")
    assert (row["outcome_id_2"], row["matched_by"]) == ("N26", "manual")
    assert "unmatched" not in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--where", "role=Astronaut"], "no respondent has role"),
        (["--match", "missing.json"], "does not exist"),
        (["--alpha", "2"], "alpha must be between 0 and 1"),
    ],
    ids=["empty-segment", "missing-match-file", "bad-alpha"],
)
def test_compare_errors(
    capsys: pytest.CaptureFixture[str], wave2_path: Path, extra: list[str], message: str
) -> None:
    code, _, err = run(
        capsys, "compare", str(SURVEYS / "pipeline_demo.csv"), str(wave2_path), *extra
    )
    assert code == 2
    assert err.startswith("error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1
