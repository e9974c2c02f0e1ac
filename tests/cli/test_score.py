"""`python -m odi score`: outputs, options and one-line errors with exit code 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from odi.analysis.scoring import CLI_COLUMNS
from odi.cli.main import main

ROOT = Path(__file__).resolve().parents[2]

WIDE = """respondent_id,role,region,imp_a,sat_a,imp_b,sat_b
r1,VP,EMEA,5,1,2,5
r2,VP,NA,4,2,3,
r3,SDR,EMEA,5.00,4,N/A,3
r4,SDR,NA,2,5,5,1
r5,CMO,EMEA,5,1,4,4
"""


@pytest.fixture
def wide(tmp_path: Path) -> Path:
    p = tmp_path / "survey.csv"
    p.write_text(WIDE)
    return p


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_writes_exact_columns_sorted_by_opportunity(wide, capsys):
    code, out, err = run(capsys, "score", str(wide), "--bootstrap", "200")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert tuple(table.columns) == CLI_COLUMNS
    assert table["opportunity"].is_monotonic_decreasing
    a = table.set_index("outcome_id").loc["a"]
    # importance: 5,4,5,2,5 -> 4 of 5 = 8; satisfaction: 1,2,4,5,1 -> 2 of 5 = 4; O = 12
    assert (a["importance"], a["satisfaction"], a["opportunity"]) == (8.0, 4.0, 12.0)
    assert a["zone"] == "underserved-high"
    assert a["opportunity_low"] <= 12.0 <= a["opportunity_high"]


def test_numbers_are_unrounded_in_csv_and_json(tmp_path, capsys):
    p = tmp_path / "s.csv"
    p.write_text("id,imp_a,sat_a\n1,5,1\n2,5,1\n3,1,4\n")
    _, out, _ = run(capsys, "score", str(p), "--bootstrap", "0", "--scale", "1-5")
    assert ",6.666666666666667,3.3333333333333335,10.0," in out
    target = tmp_path / "s.json"
    run(capsys, "score", str(p), "--bootstrap", "0", "--scale", "1-5", "--output", str(target))
    assert json.loads(target.read_text())[0]["importance"] == 20 / 3


def test_where_repeats_mean_any_and_columns_mean_all(wide, capsys):
    code, out, err = run(
        capsys,
        "score",
        str(wide),
        "--where",
        "role=VP",
        "--where",
        "role=CMO",
        "--where",
        "region=EMEA",
        "--bootstrap",
        "0",
    )
    assert code == 0, err
    a = pd.read_csv(io.StringIO(out)).set_index("outcome_id").loc["a"]
    # VP or CMO, in EMEA: r1 and r5 -> importance 5, 5 -> 10; satisfaction 1, 1 -> 0
    assert (a["n_importance"], a["importance"], a["opportunity"]) == (2, 10.0, 20.0)


def test_by_adds_segment_rows_for_all_and_each_value(wide, capsys):
    code, out, err = run(capsys, "score", str(wide), "--by", "role", "--bootstrap", "0")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == ["segment", *CLI_COLUMNS]
    assert list(dict.fromkeys(table["segment"])) == ["All", "CMO", "SDR", "VP"]
    assert len(table) == 4 * 2


@pytest.mark.parametrize("ext", ["csv", "xlsx", "json", "md"])
def test_output_formats(wide, tmp_path, capsys, ext):
    target = tmp_path / f"scores.{ext}"
    code, out, err = run(capsys, "score", str(wide), "--bootstrap", "50", "--output", str(target))
    assert code == 0, err
    assert out == ""
    if ext == "csv":
        frame = pd.read_csv(target)
    elif ext == "xlsx":
        sheet = openpyxl.load_workbook(target).active
        rows = list(sheet.values)
        frame = pd.DataFrame(rows[1:], columns=rows[0])
    elif ext == "json":
        frame = pd.DataFrame(json.loads(target.read_text()))
    else:
        lines = target.read_text().splitlines()
        assert lines[0].startswith("| outcome_id | outcome |")
        assert len(lines) == 2 + 2
        return
    assert tuple(frame.columns) == CLI_COLUMNS
    assert frame.set_index("outcome_id").loc["a", "opportunity"] == 12.0


def test_missing_outcome_is_blank_not_zero(tmp_path, capsys):
    p = tmp_path / "s.csv"
    p.write_text("id,imp_a,sat_a,imp_b,sat_b\n1,5,1,,\n2,4,2,,3\n")
    code, out, err = run(capsys, "score", str(p), "--bootstrap", "0")
    assert code == 0
    b = pd.read_csv(io.StringIO(out)).set_index("outcome_id").loc["b"]
    assert pd.isna(b["importance"])
    assert pd.isna(b["opportunity"])
    assert b["n_importance"] == 0
    assert "warning:" in err
    assert "b" in err


def test_na_codes_and_explicit_scale(tmp_path, capsys):
    p = tmp_path / "s.csv"
    # 1-5 answers with the N/A codes 0 and 6 mixed in, like real exports.
    rows = ["1,5,0", "2,6,1", "3,4,2", "4,1,5"] + [f"{i},3,3" for i in range(5, 21)]
    p.write_text("id,imp_a,sat_a\n" + "\n".join(rows) + "\n")
    code, _, err = run(capsys, "score", str(p))
    assert code == 2
    assert "if it is 1-5" in err
    assert "0 (1 answer), 6 (1 answer)" in err
    assert "--na-codes 0,6" in err
    code, out, err = run(capsys, "score", str(p), "--na-codes", "0,6", "--bootstrap", "0")
    assert code == 0, err
    a = pd.read_csv(io.StringIO(out)).iloc[0]
    # importance: 5, 4 top of 19 valid (6 is N/A); satisfaction: 5 top of 19 (0 is N/A)
    assert a["n_importance"] == 19
    assert a["importance"] == pytest.approx(20 / 19)
    assert a["satisfaction"] == pytest.approx(10 / 19)


def test_top_box_option(tmp_path, capsys):
    p = tmp_path / "s.csv"
    p.write_text("id,imp_a,sat_a\n1,5,1\n2,4,1\n3,3,1\n4,1,1\n")
    _, out, _ = run(capsys, "score", str(p), "--top-box", "3", "--scale", "1-5", "--bootstrap", "0")
    assert pd.read_csv(io.StringIO(out)).iloc[0]["importance"] == 7.5


@pytest.mark.parametrize(
    ("content", "args", "needle"),
    [
        (None, [], "does not exist"),
        ("", [], "empty"),
        ("id,age\n1,30\n", [], "no importance/satisfaction"),
        ("id,imp_a,sat_a,imp_b\n1,5,4,3\n", [], "only one side: 'imp_b'"),
        ("id,imp_a,sat_a\n1,5,4\n2,99,1\n3,1,2\n", ["--scale", "1-5"], "99 (1 answer)"),
        ("id,imp_a,sat_a\n1,1,2\n2,3,4\n", [], "ambiguous"),
        ("id,role,imp_a,sat_a\n1,VP,5,4\n", ["--where", "team=x"], "attribute columns are: role"),
        ("id,role,imp_a,sat_a\n1,VP,5,4\n", ["--by", "team"], "attribute columns are: role"),
        ("id,imp_a,sat_a\n1,5,4\n", ["--scale", "five"], "scale must look like"),
        ("id,imp_a,sat_a\n1,5,4\n", ["--na-codes", "x"], "N/A codes must be numbers"),
        ("id,imp_a,sat_a\n1,5,4\n", ["--output", "out.pdf"], ".csv, .xlsx, .json or .md"),
        ("id,imp_a,sat_a\n1,5,4\n", ["--bootstrap", "-1"], "must be 0 or more"),
    ],
    ids=[
        "missing-file",
        "empty-file",
        "no-pairs",
        "one-side-only",
        "off-scale",
        "ambiguous-scale",
        "unknown-where",
        "unknown-by",
        "bad-scale",
        "bad-na-codes",
        "bad-output",
        "negative-bootstrap",
    ],
)
def test_errors_exit_2_with_one_line(tmp_path, capsys, content, args, needle):
    p = tmp_path / "s.csv"
    if content is not None:
        p.write_text(content)
    code, out, err = run(capsys, "score", str(p), *args)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert needle in lines[0]
    assert "Traceback" not in err


def test_module_entry_point_runs_as_a_process(wide):
    proc = subprocess.run(
        [sys.executable, "-m", "odi", "score", str(wide), "--bootstrap", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(",".join(CLI_COLUMNS))
    bad = subprocess.run(
        [sys.executable, "-m", "odi", "score", "nope.csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: ")
