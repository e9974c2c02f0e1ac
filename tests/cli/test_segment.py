"""``python -m odi segment``: JSON keys, the assignment file, no structure, errors, and
``score --segments`` reading the assignment back for ``--by``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from odi.analysis.segmentation.simulate import planted_survey
from odi.cli.main import main
from tests.personas.conftest import long_csv

FAST = ("--resamples", "4")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, pd.Series]:
    survey, truth = planted_survey(n=150, n_outcomes=18, k=3, per_segment=6, seed=8)
    path = tmp_path / "planted.csv"
    path.write_bytes(long_csv(survey))
    return path, truth


@pytest.fixture
def noise(tmp_path: Path) -> Path:
    survey, _ = planted_survey(n=150, n_outcomes=18, k=1, seed=8)
    path = tmp_path / "noise.csv"
    path.write_bytes(long_csv(survey))
    return path


def test_json_has_the_documented_keys_and_the_recommended_k(planted, capsys, tmp_path):
    path, truth = planted
    out_csv = tmp_path / "seg.csv"
    code, out, err = run(capsys, "segment", str(path), *FAST, "--json", "-o", str(out_csv))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["recommended_k"] == 3
    assert doc["k"] == 3
    assert 0.75 <= doc["stability"] <= 1
    assert [s["segment"] for s in doc["segments"]] == ["C1", "C2", "C3"]
    assert sum(s["n"] for s in doc["segments"]) == 150
    assert sum(s["share"] for s in doc["segments"]) == pytest.approx(1.0, abs=1e-3)
    for s in doc["segments"]:
        assert {"segment", "n", "share", "stability", "top_outcomes"} <= set(s)
        assert s["top_outcomes"][0]["opportunity"] >= s["top_outcomes"][-1]["opportunity"]
    assert "k = 8" in err or "100%" in err, "progress goes to stderr"
    table = pd.read_csv(out_csv, dtype=str)
    assert list(table.columns) == ["respondent_id", "segment"]
    assert len(table) == 150
    assert set(table["respondent_id"]) == set(truth.index)


def test_no_structure_gives_null_recommended_k_and_says_so(noise, capsys):
    code, out, err = run(capsys, "segment", str(noise), *FAST, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["recommended_k"] is None
    assert doc["stability"] < 0.5
    assert doc["k"] in range(2, 9)
    assert doc["message"].startswith("Do not segment")
    code, text, _ = run(capsys, "segment", str(noise), *FAST, "--k", "3")
    assert code == 0
    assert text.startswith("Do not segment")
    assert "C3" in text


def test_asked_k_and_plain_summary(planted, capsys):
    path, _ = planted
    code, out, err = run(capsys, "segment", str(path), *FAST, "--k", "4", "--seed", "2")
    assert code == 0, err
    assert "Recommended k = 3; shown: k = 4" in out
    blocks = [line for line in out.splitlines() if line.startswith("C")]
    assert [b.split()[0] for b in blocks] == ["C1", "C2", "C3", "C4"]
    assert all("stability" in b and "n = " in b for b in blocks)


@pytest.mark.parametrize(
    ("args", "needle"),
    [(("--k", "1"), "must be 2 or more"), (("--k", "x"), "whole number")],
    ids=["k-too-small", "k-not-a-number"],
)
def test_bad_options_are_one_error_line(planted, capsys, args, needle):
    path, _ = planted
    code, _, err = run(capsys, "segment", str(path), *args)
    assert code == 2
    assert err.startswith("error:")
    assert needle in err
    assert len(err.strip().splitlines()) == 1


def test_score_by_a_saved_segmentation(planted, capsys, tmp_path):
    path, _ = planted
    seg = tmp_path / "seg.csv"
    assert run(capsys, "segment", str(path), *FAST, "-o", str(seg))[0] == 0
    code, out, err = run(
        capsys, "score", str(path), "--segments", str(seg), "--by", "segment", "--bootstrap", "0"
    )
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert sorted(table["segment"].unique()) == ["All", "C1", "C2", "C3"]
    code, out, err = run(
        capsys,
        "score",
        str(path),
        "--segments",
        str(seg),
        "--where",
        "segment=C2",
        "--bootstrap",
        "0",
    )
    assert code == 0, err
    bad = tmp_path / "bad.csv"
    bad.write_text("who,segment\nx,C1\n")
    code, _, err = run(capsys, "score", str(path), "--segments", str(bad))
    assert code == 2
    assert "respondent_id" in err
