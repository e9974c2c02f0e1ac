"""The CLI's error boundary: every hostile input of issue 12 is one ``error:`` line that
names the file and says what to do, exit code 2, never "unexpected" or a traceback."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from odi.cli import inspect as cli_inspect
from odi.cli.main import main
from tests.hostile import files


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


def one_error_line(code: int, err: str) -> str:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert "unexpected" not in err.lower(), err
    assert "Traceback" not in err
    return lines[0]


SURVEYS: dict[str, tuple[str, Callable[[], bytes], list[str], str]] = {
    "xlsx-bomb": ("bomb.xlsx", lambda: files.xlsx_string_bomb(16), [], "ratio limit"),
    "xlsx-rows": (
        "rows.xlsx",
        lambda: files.xlsx_many_rows(1_500),
        ["--limit", "rows=1000"],
        "rows limit of 1,000",
    ),
    "xlsx-columns": ("wide.xlsx", lambda: files.xlsx_wide(5_001), [], "columns limit of 5,000"),
    "csv-long-cell": (
        "long.csv",
        lambda: files.csv_long_field(140_000),
        [],
        "longer than 131,072 characters",
    ),
    "jsonl-deep": ("deep.jsonl", lambda: files.jsonl_deep(3_000), [], "json_depth limit"),
    "sav-crashing-the-reader": (
        "crash.sav",
        lambda: (Path(__file__).parent / "crashes" / "spss-seed103.sav").read_bytes(),
        [],
        "the SPSS reader crashed",
    ),
    "csv-columns": (
        "wide.csv",
        lambda: (",".join(f"imp_{i}" for i in range(5_001)) + "\n").encode(),
        [],
        "columns limit",
    ),
}


@pytest.mark.parametrize("command", ["inspect", "score"])
@pytest.mark.parametrize("case", list(SURVEYS), ids=list(SURVEYS))
def test_hostile_survey_files_are_one_clear_line(
    case: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, build, extra, needle = SURVEYS[case]
    path = tmp_path / name
    path.write_bytes(build())
    line = one_error_line(*run(capsys, command, str(path), *extra))
    assert name in line
    assert needle in line
    if case != "sav-crashing-the-reader":
        assert "--limit" in line, "a limit says how to raise it"


def test_raising_the_limit_reads_the_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(files.csv_long_field(140_000))
    code, err = run(capsys, "inspect", str(path), "--limit", "field_chars=200000")
    assert code == 0, err


def test_a_bad_limit_option_is_one_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"id,imp_a,sat_a\n1,5,2\n")
    line = one_error_line(*run(capsys, "inspect", str(path), "--limit", "rows=lots"))
    assert "--limit must be NAME=VALUE" in line


def _archive(manifest: dict[str, object] | str) -> bytes:
    return files.archive_with_manifest(manifest)


ARCHIVES: dict[str, tuple[Callable[[], bytes], str]] = {
    "archive-bomb": (lambda: files.archive_bomb(8), "ratio limit"),
    "many-listings": (
        lambda: files.archive_bomb(1, listed=60),
        "lists the same file more than once",
    ),
    "deep-manifest": (
        lambda: _archive('{"a": ' + "[" * 5000 + "]" * 5000 + "}"),
        "nests JSON 5,001 levels deep",
    ),
    "nan-setting": (
        lambda: _archive(
            json.dumps(
                files.manifest(
                    study={
                        "name": "S",
                        "created_at": "2026-01-02T00:00:00+00:00",
                        "settings": {"top_box": math.nan},
                    }
                )
            )
        ),
        "NaN is not a number JSON allows",
    ),
    "infinite-setting": (
        lambda: _archive(
            json.dumps(files.manifest()).replace('"settings": {}', '"settings": {"t": 1e999}')
        ),
        "finite number",
    ),
    "version-2**63": (
        lambda: _archive(files.manifest(personas=[files.persona_entry(version=2**63)])),
        "whole number from 1 to 2147483647",
    ),
    "history-version-true": (
        lambda: _archive(
            files.manifest(
                personas=[
                    files.persona_entry(
                        history=[{**files.persona_entry()["history"][0], "version": True}]  # type: ignore[index]
                    )
                ]
            )
        ),
        "whole number from 1",
    ),
    "format-version-true": (
        lambda: _archive(files.manifest(format_version=True)),
        "format version True",
    ),
    "study-name-newline": (
        lambda: _archive(
            files.manifest(
                study={
                    "name": "Q3\n![x](https://evil.example/p.png)",
                    "created_at": "2026-01-02T00:00:00+00:00",
                }
            )
        ),
        "one line of plain text",
    ),
    "not-a-zip": (lambda: b"PK\x03\x04 broken", "not a study archive"),
}


@pytest.mark.parametrize("case", list(ARCHIVES), ids=list(ARCHIVES))
def test_hostile_archives_are_one_clear_line_and_store_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build, needle = ARCHIVES[case]
    path = tmp_path / "study.zip"
    path.write_bytes(build())
    db = f"sqlite:///{tmp_path / 'w.db'}"
    line = one_error_line(*run(capsys, "workspace", "--database", db, "import", str(path)))
    assert needle in line
    assert main(["workspace", "--database", db, "list"]) == 0
    assert capsys.readouterr().out.strip() == "id\tname\tfiles\tpersonas\tupdated", "no study"


def test_raising_the_ratio_limit_imports_a_compressible_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "study.zip"
    path.write_bytes(files.archive_bomb(2, listed=1))  # 2 MiB of zeros: 1,000 to 1
    db = f"sqlite:///{tmp_path / 'w.db'}"
    assert "ratio limit" in one_error_line(
        *run(capsys, "workspace", "--database", db, "import", str(path))
    )
    code, err = run(
        capsys, "workspace", "--database", db, "import", str(path), "--limit", "ratio=2000"
    )
    assert code == 0, err
    assert "imported study.zip" in err


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('{"personas": ' + "[" * 3000 + "]" * 3000 + "}", "json_depth"),
        ('{"personas": [{"name": "A", "goals": [NaN]}]}', "NaN is not a number"),
        ('{"version": true, "personas": []}', "personas file version 1; got True"),
        ('{"personas": [{"name": "A\\nB"}]}', "one line of plain text"),
    ],
    ids=["deep", "nan", "version-true", "name-newline"],
)
def test_hostile_personas_json_is_one_clear_line(
    text: str, needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = tmp_path / "s.csv"
    survey.write_bytes(b"id,role,imp_a,sat_a\n1,VP,5,2\n2,VP,4,1\n")
    personas = tmp_path / "people.json"
    personas.write_text(text)
    args = ["export", str(survey), "--personas", str(personas), "--format", "unmet-csv"]
    line = one_error_line(*run(capsys, *args, "-o", str(tmp_path / "o.csv")))
    assert "people.json" in line
    assert needle in line


def test_an_unexpected_failure_is_one_line_with_the_detail_logged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(cli_inspect, "inspect_survey", broken)
    path = tmp_path / "s.csv"
    path.write_bytes(b"id,imp_a,sat_a\n1,5,2\n")
    line = one_error_line(*run(capsys, "inspect", str(path)))
    assert line.startswith("error: s.csv could not be read: RuntimeError: a bug deep inside")
    log = Path(line.split("(details in ")[1].split(")")[0])
    detail = log.read_text()
    assert "Traceback" in detail
    assert "a bug deep inside" in detail
    log.unlink()
