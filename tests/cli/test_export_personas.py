"""``python -m odi export``: every format written from a survey file and a personas JSON,
and bad input reported as a ValueError (which odi.cli.main prints as one ``error:`` line)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from odi.cli.common import CliError
from odi.cli.main import build_parser
from odi.exports.registry import EXPORTS
from odi.personas import ICP, Persona, personas_to_json
from odi.survey import Survey


def run(argv: list[str]) -> int:
    args = build_parser(["export"]).parse_args(["export", *argv])
    return int(args.handler(args))


@pytest.fixture(scope="module")
def files(
    tmp_path_factory: pytest.TempPathFactory, survey: Survey, to_long_csv, persona_factory
) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    survey_path = root / "pipeline study.csv"
    survey_path.write_bytes(to_long_csv(survey))
    personas = [
        persona_factory().pin(["O3"]),
        Persona(id="sdr", name="The Quota-Chasing SDR", segment={"role": ["SDR"]}),
    ]
    personas_path = root / "personas.json"
    personas_path.write_text(
        personas_to_json(personas, icp=ICP({"company_size": ["SMB", "Enterprise"]})),
        encoding="utf-8",
    )
    return survey_path, personas_path


def export(files: tuple[Path, Path], tmp_path: Path, fmt: str, *extra: str) -> Path:
    survey_path, personas_path = files
    out = tmp_path / EXPORTS[fmt].file_name("out")
    code = run(
        [
            str(survey_path),
            "--personas",
            str(personas_path),
            "--format",
            fmt,
            "-o",
            str(out),
            "--bootstrap",
            "100",
            "--date",
            "2026-05-01",
            *extra,
        ]
    )
    assert code == 0
    assert out.stat().st_size > 0
    return out


def test_unmet_csv_for_all_personas(files: tuple[Path, Path], tmp_path: Path) -> None:
    out = export(files, tmp_path, "unmet-csv")
    frame = pd.read_csv(out, encoding="utf-8-sig", comment="#")
    assert list(dict.fromkeys(frame["persona_id"])) == ["vp-sales", "sdr"]
    vp = frame[frame["persona_id"] == "vp-sales"]
    assert vp["outcome_id"].tolist() == ["O1", "O2", "O6", "O3"]
    head = [line for line in out.read_text(encoding="utf-8-sig").splitlines() if line[:1] == "#"]
    assert head[0] == "# Unmet needs: pipeline study"
    assert "# Exported 2026-05-01" in head
    assert any("segment company_size in {SMB, Enterprise} and role = VP Sales" in h for h in head)


def test_one_persona_card_pdf(files: tuple[Path, Path], tmp_path: Path) -> None:
    out = export(files, tmp_path, "card-pdf", "--persona", "sdr")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert "The Quota-Chasing SDR" in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    "fmt",
    [
        "card-html",
        "card-md",
        "analyst-card-html",
        "analyst-card-md",
        "needs-csv",
        "needs-xlsx",
        "personas-json",
        "unmet-md",
        "unmet-json",
        "unmet-xlsx",
        "deck",
        "scores-csv",
        "scores-xlsx",
        "landscape-html",
    ],
)
def test_every_format_writes_a_readable_file(
    files: tuple[Path, Path], tmp_path: Path, fmt: str
) -> None:
    extra = ["--persona", "vp-sales"] if fmt == "landscape-html" else []
    out = export(files, tmp_path, fmt, *extra)
    data = out.read_bytes()
    if fmt == "unmet-json":
        assert [p["id"] for p in json.loads(data)["personas"]] == ["vp-sales", "sdr"]
    elif fmt == "unmet-xlsx":
        assert load_workbook(io.BytesIO(data)).sheetnames[:3] == [
            "About",
            "The Pipeline-Accountable VP",
            "The Quota-Chasing SDR",
        ]
    elif fmt == "deck":
        assert len(Presentation(io.BytesIO(data)).slides) == 3
    elif fmt == "needs-csv":
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", comment="#")
        assert list(dict.fromkeys(frame["Persona"])) == [
            "The Pipeline-Accountable VP",
            "The Quota-Chasing SDR",
        ]
    elif fmt == "needs-xlsx":
        assert load_workbook(io.BytesIO(data)).sheetnames == ["Unmet needs", "About"]
    elif fmt == "personas-json":
        assert [p["id"] for p in json.loads(data)["personas"]] == ["vp-sales", "sdr"]
    elif fmt == "scores-csv":
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", comment="#")
        assert len(frame) == 6
        assert set(frame["n_respondents"]) == {122}  # the ICP holds everyone here
    elif fmt == "scores-xlsx":
        assert "scores" in load_workbook(io.BytesIO(data)).sheetnames
    else:
        text = data.decode("utf-8")
        assert "pipeline study" in text
        assert "2026-05-01" in text
        if fmt == "landscape-html":
            assert "role = VP Sales" in text


def test_scores_without_personas(files: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    assert run([str(files[0]), "--format", "scores-csv", "-o", str(out), "--bootstrap", "0"]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig", comment="#")
    assert set(frame["definition"]) == {"all respondents"}


def test_warnings_go_to_stderr(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path
    personas = root / "small.json"
    personas.write_text(
        personas_to_json([Persona(id="cfo", name="CFO", segment={"role": ["CFO"]})])
    )
    out = root / "cfo.md"
    assert (
        run(
            [
                str(files[0]),
                "--personas",
                str(personas),
                "-f",
                "unmet-md",
                "-o",
                str(out),
                "--bootstrap",
                "0",
            ]
        )
        == 0
    )
    assert "warning: CFO: only 12 respondents" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "card-pdf", "-o", "{tmp}/x.pdf"], "needs personas: give --personas FILE"),
        (
            ["--personas", "{personas}", "--format", "card-pdf", "-o", "{tmp}/x.html"],
            "writes a .pdf file; got --output 'x.html'. Name it x.pdf",
        ),
        (
            [
                "--personas",
                "{personas}",
                "--format",
                "deck",
                "-o",
                "{tmp}/x.pptx",
                "--persona",
                "cfo",
            ],
            "no persona has the id 'cfo'; the ids are: vp-sales, sdr",
        ),
        (
            ["--personas", "{tmp}/missing.json", "--format", "deck", "-o", "{tmp}/x.pptx"],
            "missing.json does not exist",
        ),
        (["--personas", "{survey}", "--format", "deck", "-o", "{tmp}/x.pptx"], "is not valid JSON"),
        (["--format", "scores-csv", "-o", "{tmp}/no/such/dir/x.csv"], "does not exist"),
        (
            ["--format", "scores-csv", "-o", "{tmp}/x.csv", "--threshold", "25"],
            "--threshold must be between 0 and 20",
        ),
        (
            [
                "--personas",
                "{personas}",
                "--format",
                "landscape-html",
                "-o",
                "{tmp}/x.html",
                "--persona",
                "sdr",
                "--persona",
                "vp-sales",
            ],
            "takes one --persona",
        ),
    ],
    ids=[
        "no-personas",
        "wrong-extension",
        "unknown-persona",
        "missing-file",
        "not-json",
        "no-folder",
        "threshold",
        "two-personas-for-landscape",
    ],
)
def test_bad_input_is_a_clear_value_error(
    files: tuple[Path, Path], tmp_path: Path, argv: list[str], message: str
) -> None:
    survey_path, personas_path = files
    filled = [a.format(tmp=tmp_path, personas=personas_path, survey=survey_path) for a in argv]
    with pytest.raises(
        ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        run([str(survey_path), *filled])


def test_unknown_format_is_a_usage_error(files: tuple[Path, Path]) -> None:
    with pytest.raises(CliError, match="invalid choice: 'docx'"):
        run([str(files[0]), "--format", "docx", "-o", "x.docx"])
