"""The real public exports in ../shared/fixtures/real, through `inspect` and `score`.

These files are not part of the repository (see their SOURCES.md); the module is
skipped, with the reason, where the folder is absent.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from odi.cli.main import main

#: ODI_REAL_FIXTURES names the folder where the checkout is not beside ../shared (a worktree).
REAL = Path(
    os.environ.get("ODI_REAL_FIXTURES")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "real"
)

pytestmark = pytest.mark.skipif(
    not REAL.is_dir(),
    reason=f"the real exports are not present at {REAL} (they live beside the repository, "
    "in ../shared/fixtures/real, on the development machine)",
)

FILES = sorted(p.name for p in REAL.iterdir() if p.name != "SOURCES.md") if REAL.is_dir() else []

# What inspect must find in each file (format, header rows, encoding, responses, outcomes).
EXPECTED = {
    "perth_parks_long.jsonl": ("long", 1, "utf-8", 393, 22),
    "messy_wide_gracevor.csv": ("wide", 1, "utf-8", 177, 23),
    "qualtrics_unescaped_importid.csv": ("qualtrics", 3, "utf-8", 10, 4),
    "qualtrics_sample_de.csv": ("qualtrics", 3, "utf-8", 1, 0),
    "qualtrics_legacy.csv": ("qualtrics-legacy", 2, "utf-8-sig", 1, 0),
    "qualtrics_choice_text.csv": ("qualtrics", 3, "utf-8", 44, 0),
    "qualtrics_large_matrix.csv": ("qualtrics", 3, "utf-8", 60, 0),
    "qualtrics_numeric_utf16.tsv": ("qualtrics", 3, "utf-16", 14, 0),
    "qualtrics_spss.sav": ("spss", 0, "UTF-8", 14, 0),
}
# The ODI surveys (the first three in SOURCES.md) and the options they need.
ODI = {
    "perth_parks_long.jsonl": [],
    "messy_wide_gracevor.csv": ["--na-codes", "0,6"],
    "qualtrics_unescaped_importid.csv": [],
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_real_file_has_expectations():
    assert set(FILES) == set(EXPECTED), "add the new real file's expectations to EXPECTED"


@pytest.mark.parametrize("name", FILES)
def test_inspect_reads_every_real_file(capsys, name):
    extra = ODI.get(name, [])
    code, out, err = run(capsys, "inspect", str(REAL / name), "--json", *extra)
    assert code == 0, err
    report = json.loads(out)
    fmt, header_rows, encoding, total, outcomes = EXPECTED[name]
    assert report["format"] == fmt
    assert report["header_rows"] == header_rows
    assert report["encoding"] == encoding
    assert report["respondents"]["total"] == total
    assert len(report["outcomes"]) == outcomes
    assert len(report["columns"]) >= 4
    if outcomes == 0:
        assert "none of them importance/satisfaction pairs" in report["problem"]
    else:
        assert report["problem"] == ""
    code, out, err = run(capsys, "inspect", str(REAL / name), *extra)
    assert code == 0, err
    assert out.startswith(f"file: {name}\nformat: ")


@pytest.mark.parametrize("name", sorted(ODI))
def test_score_the_real_odi_surveys(capsys, name):
    code, out, err = run(capsys, "score", str(REAL / name), "--bootstrap", "0", *ODI[name])
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert len(table) == EXPECTED[name][4]
    assert table["opportunity"].between(0, 20).all()
    assert err.count("screening: ") == 1


def test_hand_checked_scores_of_the_unescaped_qualtrics_file(capsys):
    code, out, _ = run(
        capsys, "score", str(REAL / "qualtrics_unescaped_importid.csv"), "--bootstrap", "0"
    )
    assert code == 0
    first = (
        pd.read_csv(io.StringIO(out)).set_index("outcome").loc["Minimize the time to find options"]
    )
    # Q1_1 5,4,5,3,4,5,4,3,5,4 -> 8 of 10; Q2_1 3,2,3,4,2,1,3,4,2,3 -> 2 of 10; O = 8 + 6
    assert (first["importance"], first["satisfaction"], first["opportunity"]) == (8.0, 2.0, 14.0)


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - set(ODI)))
def test_score_refuses_the_exports_without_pairs(capsys, name):
    code, out, err = run(capsys, "score", str(REAL / name))
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {name}: found ")
    assert "none of them importance/satisfaction pairs" in err
    assert len(err.strip().splitlines()) == 1
