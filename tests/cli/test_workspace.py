"""`python -m odi workspace`: list, export and import studies; one-line database errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from odi.cli.main import main
from odi.storage import open_workspace


def test_export_and_import_a_study_between_workspaces(tmp_path: Path, capsys):
    a = f"sqlite:///{tmp_path / 'a.db'}"
    b = f"sqlite:///{tmp_path / 'b.db'}"
    with open_workspace(a) as ws:
        study = ws.create_study("Pipeline study")
        ws.add_file(study.id, "s.csv", b"id,imp_x,sat_x\n1,5,1\n")
        ws.create_persona(study.id, {"id": "vp", "name": "The VP"})
    assert main(["workspace", "--database", a, "list"]) == 0
    assert "Pipeline study\t1\t1" in capsys.readouterr().out
    archive = tmp_path / "study.zip"
    assert main(["workspace", "--database", a, "export", str(study.id), "-o", str(archive)]) == 0
    assert main(["workspace", "--database", b, "import", str(archive)]) == 0
    with open_workspace(b) as ws:
        [copy] = ws.list_studies()
        assert ws.get_file_bytes(ws.list_files(copy.id)[0].id) == b"id,imp_x,sat_x\n1,5,1\n"
        assert [p.name for p in ws.list_personas(copy.id)] == ["The VP"]


@pytest.mark.parametrize("kind", ["unreachable-server", "corrupt-file"])
def test_unreachable_or_corrupt_database_is_one_line(kind, tmp_path, capsys):
    if kind == "unreachable-server":
        url = "postgresql+psycopg://odi:secret@127.0.0.1:1/odi"
    else:
        bad = tmp_path / "workspace.db"
        bad.write_bytes(b"this is not a database file" * 100)
        url = f"sqlite:///{bad}"
    code = main(["workspace", "--database", url, "list"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ")
    assert len(err.strip().splitlines()) == 1
    assert "secret" not in err, "the password is never shown"


def test_unknown_study_is_one_line(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    code = main(["workspace", "--database", url, "export", "42", "-o", str(tmp_path / "x.zip")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no study with id 42" in err


def test_rename_duplicate_and_delete_a_study(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    with open_workspace(url) as ws:
        study = ws.create_study("Pipeline study")
        ws.add_file(study.id, "s.csv", b"id,imp_x,sat_x\n1,5,1\n")
        ws.set_settings(study.id, {"import_options": {"top_box": 4}})
        ws.create_persona(study.id, {"id": "vp", "name": "The VP"})
    assert main(["workspace", "--database", url, "rename", str(study.id), "Q3 pipeline"]) == 0
    assert main(["workspace", "--database", url, "duplicate", str(study.id)]) == 0
    with open_workspace(url) as ws:
        original, copy = ws.list_studies()
        assert (original.name, copy.name) == ("Q3 pipeline", "Q3 pipeline (copy)")
        assert ws.get_settings(copy.id) == ws.get_settings(original.id)
        assert [p.name for p in ws.list_personas(copy.id)] == ["The VP"]
        assert [s.id for s in ws.studies_with_file(ws.list_files(copy.id)[0].sha256)] == [
            original.id,
            copy.id,
        ]
    capsys.readouterr()
    # Deleting asks for --yes, in one line, and keeps the study until given.
    assert main(["workspace", "--database", url, "delete", str(copy.id)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "--yes" in err
    assert len(err.strip().splitlines()) == 1
    with open_workspace(url) as ws:
        assert len(ws.list_studies()) == 2
    assert main(["workspace", "--database", url, "delete", str(copy.id), "--yes"]) == 0
    with open_workspace(url) as ws:
        assert [s.name for s in ws.list_studies()] == ["Q3 pipeline"]
