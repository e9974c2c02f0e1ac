"""`python -m odi lint` and `python -m odi instrument`: outputs, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from odi.cli.main import main
from odi.importers import import_survey
from tests.design import returns

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "surveys" / "pipeline_demo.csv"

GOOD = "Minimize the time it takes to find a qualified lead"
BAD = "Quickly find leads in the dashboard"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_list(tmp_path: Path) -> Path:
    frame = pd.read_csv(DEMO, dtype=str, keep_default_na=False).drop_duplicates("outcome_id")
    path = tmp_path / "outcomes.csv"
    frame.rename(columns={"outcome_id": "id", "outcome": "statement"})[
        ["id", "statement", "job_step"]
    ].to_csv(path, index=False)
    return path


def test_lint_demo_is_clean(capsys: pytest.CaptureFixture[str], demo_list: Path) -> None:
    code, out, err = run(capsys, "lint", str(demo_list))
    assert (code, out) == (0, "")
    assert "40 statement(s), no findings" in err


def test_lint_text_file_uses_line_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "s.txt"
    path.write_text(f"{GOOD}\n\n{BAD}\n")
    code, out, _ = run(capsys, "lint", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("3: direction: ")
    assert {line.split(": ")[1] for line in lines} == {"direction", "solution", "vague"}
    assert all(line.startswith("3: ") for line in lines)


def test_lint_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(f"id,statement\nA,{GOOD}\nB,Reduce the time it takes to plan the quarter\n")
    code, out, _ = run(capsys, "lint", str(path), "--json")
    assert code == 1
    found = json.loads(out)
    assert [(f["id"], f["rule"]) for f in found] == [("B", "direction")]
    assert set(found[0]) >= {"id", "rule", "message"}
    assert found[0]["suggestion"] == "Minimize the time it takes to plan the quarter"


def test_lint_xlsx_with_empty_step(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "statement", "job_step"])
    sheet.append(["O1", GOOD, "Locate"])
    sheet.append([None, None, "Monitor"])
    path = tmp_path / "s.xlsx"
    book.save(path)
    code, out, _ = run(capsys, "lint", str(path))
    assert code == 1
    assert out.startswith("Monitor: empty-step: the job step 'Monitor' has no outcome")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"id,statement\nA,\n", "has no statements"),
        (b"id,outcome_text,step\nA,x,y\n", ""),
        (b"id,statement\nA,Go\nA,Again\n", "ids must be unique"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"PK\x03\x04broken", "could not be read as an XLSX"),
    ],
    ids=["empty", "no-statements", "text-with-commas", "duplicate-ids", "binary", "broken-xlsx"],
)
def test_lint_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(content)
    code, _out, err = run(capsys, "lint", str(path))
    if not message:  # no statement column: read as one statement a line
        assert code == 1
        return
    assert code == 2
    assert err.startswith("error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["qualtrics-txt", "qsf", "google-apps-script", "html", "pdf"])
def test_instrument_writes_each_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_list: Path, fmt: str
) -> None:
    out_path = tmp_path / f"survey.{fmt}"
    code, _, err = run(capsys, "instrument", str(demo_list), "--format", fmt, "-o", str(out_path))
    assert code == 0, err
    data = out_path.read_bytes()
    assert "40 outcomes" in err
    if fmt == "qualtrics-txt":
        form = returns.read_qualtrics_txt(data.decode())
        ans = returns.simulate(40, [list(q[2]) for q in form.questions], n=30)
        imported = import_survey(returns.qualtrics_export(form, ans), source="r.csv")
        assert imported.survey.outcomes.index.tolist() == [f"O{i:02d}" for i in range(1, 41)]
    elif fmt == "pdf":
        assert data.startswith(b"%PDF-")
    elif fmt == "qsf":
        assert json.loads(data)["SurveyEntry"]["SurveyName"] == "Outcome survey"


def test_instrument_questions_from_personas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_list: Path
) -> None:
    out_path = tmp_path / "s.txt"
    personas = ROOT / "surveys" / "pipeline_demo_personas.json"
    code, _, err = run(
        capsys,
        "instrument",
        str(demo_list),
        "-f",
        "qualtrics-txt",
        "-o",
        str(out_path),
        "--personas",
        str(personas),
    )
    assert code == 0, err
    form = returns.read_qualtrics_txt(out_path.read_text())
    roles = {q[0]: q[2] for q in form.questions}["role"]
    assert "VP Marketing" in roles


def test_instrument_bad_questions_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_list: Path
) -> None:
    q = tmp_path / "q.json"
    q.write_text('[{"name": "role", "text": "Role?"}]')
    code, _, err = run(
        capsys,
        "instrument",
        str(demo_list),
        "-f",
        "html",
        "-o",
        str(tmp_path / "x.html"),
        "--questions",
        str(q),
    )
    assert code == 2
    assert err.startswith("error: ")
    assert "list of choices" in err


def test_instrument_custom_questions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_list: Path
) -> None:
    q = tmp_path / "q.json"
    q.write_text('[{"name": "team", "text": "Which team?", "choices": ["Red", "Blue"]}]')
    out_path = tmp_path / "x.html"
    code, _, _ = run(
        capsys,
        "instrument",
        str(demo_list),
        "-f",
        "html",
        "-o",
        str(out_path),
        "--questions",
        str(q),
    )
    assert code == 0
    names, rows = returns.read_html(out_path.read_text())
    assert names == ["team"]
    assert len(rows) == 40
    assert io.StringIO(out_path.read_text()).read().count("Which team?") == 1


def test_lint_suggest_adds_the_rewrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("Reduce the time it takes to plan the quarter\n")
    code, out, _ = run(capsys, "lint", str(path), "--suggest")
    assert code == 1
    assert out.strip().endswith("(suggested: Minimize the time it takes to plan the quarter)")
