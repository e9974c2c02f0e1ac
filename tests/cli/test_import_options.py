"""`python -m odi inspect` and the import options of `score`; bad input is one error line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from odi.analysis.scoring import CLI_COLUMNS
from odi.cli.main import main
from tests.importers import builders as b


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def qualtrics(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(b.csv_bytes(b.qualtrics_rows()))
    return path


def test_inspect_prints_the_report(qualtrics, capsys):
    code, out, err = run(capsys, "inspect", str(qualtrics))
    assert code == 0, err
    assert "format: Qualtrics export (choice text); 3 header rows, encoding utf-8" in out
    assert "respondents: kept 13 of 16 respondents; excluded 3" in out
    assert "flagged: 1 sparse respondents, 1 straight-liners, 1 speeders, kept" in out
    assert f"O01: {b.STATEMENTS[0]}  [importance: Q1_1; satisfaction: Q2_1]" in out
    assert "importance labels (importance, 5-point): Not at all important = 1" in out


def test_inspect_json(qualtrics, capsys):
    code, out, _ = run(capsys, "inspect", str(qualtrics), "--json", "--exclude-speeders")
    assert code == 0
    report = json.loads(out)
    assert report["respondents"]["kept"] == 12
    assert report["respondents"]["excluded_by_reason"]["speeders"] == 1
    assert "speeders" not in report["respondents"]["flagged_kept_by_reason"]
    assert [r["reason"] for r in report["flagged_respondents"]] == ["straightliners", "sparse"]
    assert len(report["outcomes"]) == 6
    assert report["columns"][0] == {
        "column": "StartDate",
        "role": "metadata",
        "position": 1,
        "header": "StartDate",
        "question": "Start Date",
        "statement": "",
        "import_id": "startDate",
        "outcome": "",
        "name": "",
        "detail": "start",
    }


def test_inspect_a_file_that_cannot_be_scored(tmp_path, capsys):
    path = tmp_path / "plain.csv"
    path.write_text("id,age,city\n1,30,Oslo\n")
    code, out, _ = run(capsys, "inspect", str(path))
    assert code == 0
    assert "cannot score: plain.csv has no importance/satisfaction column pairs" in out
    assert "attributes: age, city" in out


def test_score_prints_the_exclusions_on_one_stderr_line(qualtrics, capsys):
    code, out, err = run(capsys, "score", str(qualtrics), "--bootstrap", "0")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert tuple(table.columns) == CLI_COLUMNS
    assert len(table) == 6
    screening = [line for line in err.splitlines() if line.startswith("screening:")]
    assert screening == [
        "screening: kept 13 of 16 respondents; excluded 3: previews, tests and spam 1, "
        "unfinished 1, duplicate response ids 1; flagged: 1 sparse respondents, "
        "1 straight-liners, 1 speeders, kept"
    ]


@pytest.mark.parametrize(
    ("flags", "kept"),
    [
        ([], 13),
        (["--keep-previews"], 14),
        (["--keep-unfinished"], 14),
        (["--keep-duplicates"], 14),
        (["--exclude-speeders"], 12),
        (["--exclude-straightliners"], 12),
        (["--exclude-sparse"], 12),
        (["--keep-straightliners"], 13),  # the old switch: accepted, and keeping is the default
        (["--no-screen"], 16),
        (["--no-screen", "--exclude-sparse"], 16),
        (["--keep-previews", "--exclude-sparse"], 13),
        (["--exclude-speeders", "--speeder-fraction", "0.01"], 13),
        (["--exclude-sparse", "--exclude-straightliners", "--exclude-speeders"], 10),
    ],
    ids=[
        "default",
        "previews",
        "unfinished",
        "duplicates",
        "speeders",
        "straightliners",
        "sparse",
        "old-keep-alias",
        "no-screen",
        "no-screen-wins",
        "two-rules",
        "speeder-fraction",
        "every-rule",
    ],
)
def test_screening_switches(qualtrics, capsys, flags, kept):
    code, _, err = run(capsys, "score", str(qualtrics), "--bootstrap", "0", *flags)
    assert code == 0, err
    assert (f"kept {kept} of 16" if kept < 16 else "kept all 16") in err


def test_format_scale_and_na_code_options(tmp_path, capsys):
    path = tmp_path / "numeric.csv"
    rows = b.qualtrics_rows(numeric=True, screening=False)
    rows[3][rows[0].index("Q1_1")] = "0"
    path.write_bytes(b.csv_bytes(rows))
    code, _, err = run(capsys, "score", str(path), "--bootstrap", "0")
    assert code == 2
    assert "recode values" in err
    code, out, err = run(
        capsys,
        "score",
        str(path),
        "--bootstrap",
        "0",
        "--na-codes",
        "0",
        "--format",
        "qualtrics",
        "--scale",
        "1-5",
        "--top-box",
        "5",
    )
    assert code == 0, err
    first = pd.read_csv(io.StringIO(out)).set_index("outcome").loc[b.STATEMENTS[0]]
    assert first["n_importance"] == 9
    # importance 4,5,2,3,5,4,1,5,4 with top box 5: three of nine
    assert first["importance"] == pytest.approx(30 / 9)


def test_label_and_column_map_files(tmp_path, capsys):
    imp = ["Irrelevant", "Minor", "Useful", "Key", "Crucial"]
    path = tmp_path / "odd.csv"
    path.write_bytes(b.csv_bytes(b.qualtrics_rows(imp_labels=imp, screening=False)))
    labels = tmp_path / "labels.csv"
    lines = ["label,value"] + [f"{x},{i}" for i, x in enumerate(imp, start=1)]
    lines += [f"{x},{i}" for i, x in enumerate(b.SATISFACTION_LABELS, start=1)]
    lines += ["Not applicable,"]
    labels.write_text("\n".join(lines) + "\n")
    columns = tmp_path / "columns.json"
    columns.write_text(json.dumps([{"column": "company_size", "role": "ignore"}]))
    code, out, err = run(
        capsys,
        "inspect",
        str(path),
        "--json",
        "--label-map",
        str(labels),
        "--column-map",
        str(columns),
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["problem"] == ""
    assert report["importance_labels"]["labels"]["Crucial"] == 5
    assert "company_size" not in report["attributes"]


def test_help_documents_the_screening_rules(capsys):
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    out = capsys.readouterr().out
    for flag in (
        "--keep-previews",
        "--keep-unfinished",
        "--keep-duplicates",
        "--exclude-speeders",
        "--exclude-straightliners",
        "--exclude-sparse",
        "--no-screen",
        "--format",
        "--label-map",
        "--column-map",
    ):
        assert flag in out


def _rows_only_headers() -> bytes:
    return b.csv_bytes(b.qualtrics_rows()[:3])


def _ragged() -> bytes:
    rows = b.qualtrics_rows()
    rows[6] = [*rows[6], "extra"]
    return b.csv_bytes(rows)


def _differing() -> bytes:
    rows = b.qualtrics_rows()
    position = rows[0].index("Q2_4")
    rows[0][position], rows[2][position] = "Q2_5", '{"ImportId":"QID2_5"}'
    rows[1][position] = f"{b.SAT_QUESTION} - Minimize the time it takes to renew"
    return b.csv_bytes(rows)


def _nobody_left() -> bytes:
    rows = b.qualtrics_rows(screening=False)
    for row in rows[3:]:
        row[2] = "Survey Test"
    return b.csv_bytes(rows)


def _no_pairs() -> bytes:
    return b.csv_bytes(
        [
            [
                c.replace("How important", "How often").replace("How satisfied", "How sure")
                for c in row
            ]
            for row in b.qualtrics_rows()
        ]
    )


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        (b"", "is empty"),
        (_rows_only_headers(), "no responses"),
        (bytes(range(256)) * 16, "binary data"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "a PNG image"),
        # Line 9: header row 2 and the first response each hold an embedded line break.
        (_ragged(), "line 9 has 34 columns but the header has 33"),
        (b.csv_bytes([b.qualtrics_rows()[0], *b.qualtrics_rows()[3:]]), "header rows 2 and 3"),
        (_differing(), "only rated for importance: 'Minimize the time it takes to agree"),
        (
            _nobody_left(),
            "no respondents are left after screening (kept 0 of 10 respondents; "
            "excluded 10: previews, tests and spam 10)",
        ),
        (_no_pairs(), "found 6 questions, none of them importance/satisfaction pairs"),
    ],
    ids=[
        "empty",
        "only-headers",
        "binary-junk",
        "image-renamed",
        "ragged-row",
        "header-rows-deleted",
        "statements-differ",
        "nobody-left",
        "not-an-odi-survey",
    ],
)
def test_bad_input_is_one_error_line(tmp_path, capsys, payload, needle):
    path = tmp_path / "upload.csv"
    path.write_bytes(payload)
    code, out, err = run(capsys, "score", str(path), "--bootstrap", "0")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: upload.csv")
    assert needle in lines[0]
    assert "Traceback" not in err
