"""`python -m odi export` is wired into the CLI: files out, one-line errors."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation

from odi.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "surveys" / "pipeline_demo.csv"
PERSONAS = ROOT / "surveys" / "pipeline_demo_personas.json"


def test_export_unmet_needs_csv_for_the_demo_personas(tmp_path, capsys):
    out = tmp_path / "unmet.csv"
    code = main(
        [
            "export",
            str(DEMO),
            "--personas",
            str(PERSONAS),
            "--format",
            "unmet-csv",
            "--output",
            str(out),
            "--bootstrap",
            "200",
        ]
    )
    assert code == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8-sig")
    table = pd.read_csv(io.StringIO(text), comment="#")
    vp = table.loc[table["persona"] == "The Pipeline-Accountable VP", "outcome_id"]
    assert {"O18", "O26", "O30", "O37", "O38"} <= set(vp)


def test_export_deck_has_a_slide_per_persona(tmp_path, capsys):
    out = tmp_path / "deck.pptx"
    code = main(
        [
            "export",
            str(DEMO),
            "--personas",
            str(PERSONAS),
            "--format",
            "deck",
            "--output",
            str(out),
            "--bootstrap",
            "100",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert len(Presentation(str(out)).slides) == 1 + 4


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--personas", "missing.json", "--format", "deck"], "does not exist"),
        (["--personas", str(PERSONAS), "--format", "gif"], "format"),
    ],
    ids=["missing-personas", "unknown-format"],
)
def test_export_errors_are_one_line(tmp_path, capsys, args, needle):
    code = main(["export", str(DEMO), *args, "--output", str(tmp_path / "x.pptx")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ")
    assert len(err.strip().splitlines()) == 1
    assert needle in err
