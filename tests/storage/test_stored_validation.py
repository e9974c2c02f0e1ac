"""What is stored is validated the same way from archives, the API and the app's forms:
finite numbers in range, bounded whole-number versions (booleans are not numbers), names of
one line of plain text; and a failed upload leaves no empty study."""

from __future__ import annotations

import math

import pytest

from odi.storage import StorageError, Workspace
from tests.hostile import files


@pytest.mark.parametrize(
    "settings",
    [{"top_box": math.nan}, {"t": [1, math.inf]}, {"n": 2**63}, {"deep": [[[[[1]]]]] * 1}],
    ids=["nan", "inf-in-list", "int-2**63", "ok-nesting"],
)
def test_settings_hold_finite_numbers_in_range(ws: Workspace, settings: dict) -> None:
    study = ws.create_study("S")
    if "deep" in settings:
        ws.set_settings(study.id, settings)
        assert ws.get_settings(study.id) == settings
        return
    with pytest.raises(StorageError, match=r"finite|NaN"):
        ws.set_settings(study.id, settings)
    assert ws.get_settings(study.id) == {}


def test_persona_data_with_infinity_is_refused(ws: Workspace) -> None:
    study = ws.create_study("S")
    with pytest.raises(StorageError, match=r"no NaN|finite"):
        ws.create_persona(study.id, {"name": "A", "weight": 1e308 * 10})
    with pytest.raises(StorageError, match="finite number within"):
        ws.create_persona(study.id, {"name": "A", "weight": 10**20})
    assert ws.list_personas(study.id) == []


@pytest.mark.parametrize(
    "name",
    ["Q3\nsurvey", "tab\there", "bell\x07", "rtl\u202eevil", "x" * 201, "  "],
    ids=["newline", "tab", "control", "bidi-override", "too-long", "blank"],
)
def test_names_are_one_line_of_plain_text(ws: Workspace, name: str) -> None:
    with pytest.raises(StorageError, match="study name must be"):
        ws.create_study(name)
    study = ws.create_study("Fine")
    with pytest.raises(StorageError, match="persona name must be"):
        ws.create_persona(study.id, {"name": "A"}, name=name)
    assert [s.name for s in ws.list_studies()] == ["Fine"]


def test_markup_in_a_name_is_kept_as_typed(ws: Workspace) -> None:
    """Markup is not refused (R&D <beta> is a fine name); the app shows it as text."""
    study = ws.create_study("R&D <beta> ![x](https://example.com/p.png)")
    assert ws.get_study(study.id).name == "R&D <beta> ![x](https://example.com/p.png)"


@pytest.mark.parametrize(
    ("manifest", "needle"),
    [
        (files.manifest(personas=[files.persona_entry(version=2**63)]), "2147483647"),
        (files.manifest(personas=[files.persona_entry(version=1.0)]), "whole number"),
        (files.manifest(format_version=True), "format version True"),
        (
            files.manifest(personas=[files.persona_entry(data={"name": "A", "w": 10**16})]),
            "finite number within",
        ),
        (files.manifest(personas=[files.persona_entry(name="A\nB")]), "one line"),
    ],
    ids=["version-2**63", "version-float", "format-version-true", "huge-int", "name-newline"],
)
def test_archives_are_validated_before_anything_is_stored(
    ws: Workspace, manifest: dict, needle: str
) -> None:
    with pytest.raises(StorageError, match=needle):
        ws.import_study(files.archive_with_manifest(manifest))
    assert ws.list_studies() == []


def test_a_valid_manifest_built_here_imports(ws: Workspace) -> None:
    """The builders make archives the workspace accepts, so the refusals above are real."""
    study = ws.import_study(
        files.archive_with_manifest(files.manifest(personas=[files.persona_entry()]))
    )
    assert [p.version for p in ws.list_personas(study.id)] == [1]


def test_a_failed_upload_leaves_no_empty_study(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(StorageError, match="above the upload limit"):
        ws.create_study_with_file("big.csv", "big.csv", b"x" * (ws.max_upload_bytes + 1))

    def fail(*args: object, **kwargs: object) -> None:
        raise StorageError("the database went away mid-write")

    monkeypatch.setattr(Workspace, "_add_file", fail)
    with pytest.raises(StorageError, match="went away"):
        ws.create_study_with_file("s.csv", "s.csv", b"id,imp_a,sat_a\n1,5,2\n")
    assert ws.list_studies() == []
    monkeypatch.undo()
    study = ws.create_study_with_file("s.csv", "s.csv", b"id,imp_a,sat_a\n1,5,2\n")
    assert [f.name for f in ws.list_files(study.id)] == ["s.csv"]
