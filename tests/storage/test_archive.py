"""Moving a study: export it as one zip, import it elsewhere; damaged archives are refused."""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from odi.storage import StorageError, Workspace, open_workspace
from odi.storage.archive import MANIFEST

SURVEY = b"respondent,imp_o1,sat_o1\n1,5,2\n2,4,1\n" * 200
EXTRA = bytes(range(256)) * 40


def _fill(ws: Workspace) -> int:
    """A study with two files, documents, and two personas with history."""
    study = ws.create_study("Payroll survey 2026")
    ws.add_file(study.id, "survey export.csv", SURVEY)
    ws.add_file(study.id, "../../etc/attributes.xlsx", EXTRA)
    ws.set_mapping(study.id, {"file_sha256": hashlib.sha256(SURVEY).hexdigest(), "map": {"a": 1}})
    ws.set_settings(study.id, {"threshold": 10.0, "screen": {"speeders": True}})
    ws.set_ui_state(study.id, {"segment": ["role=VP"]})
    a = ws.create_persona(study.id, {"name": "Ops lead", "pins": ["o1"]}, author="ann")
    ws.save_persona(study.id, a.id, {"name": "Ops lead", "pins": ["o1", "o2"]}, expected_version=1)
    ws.restore_version(a.id, 1, author="bob")
    ws.create_persona(study.id, {"name": "Blocker", "negative": True, "note": "東京 ✓"})
    return study.id


def _content(ws: Workspace, study_id: int) -> dict[str, object]:
    """Everything in a study except ids."""
    return {
        "name": ws.get_study(study_id).name,
        "created_at": ws.get_study(study_id).created_at,
        "mapping": ws.get_mapping(study_id),
        "settings": ws.get_settings(study_id),
        "ui_state": ws.get_ui_state(study_id),
        "files": [
            (f.name, f.size, f.sha256, f.created_at, ws.get_file_bytes(f.id))
            for f in ws.list_files(study_id)
        ],
        "personas": [
            (
                p.name,
                p.version,
                p.data,
                p.created_at,
                p.updated_at,
                p.updated_by,
                [
                    (v.version, v.name, v.data, v.author, v.note, v.created_at)
                    for v in ws.persona_history(p.id)
                ],
            )
            for p in ws.list_personas(study_id)
        ],
    }


def test_study_archive_round_trip(ws: Workspace, tmp_path: Path) -> None:
    study_id = _fill(ws)
    archive = ws.export_study(study_id)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read(MANIFEST))
    assert MANIFEST in names
    assert all(".." not in n and not n.startswith("/") for n in names)
    assert manifest["format"] == "odi-workbench-study"
    assert len(manifest["files"]) == 2
    assert [len(p["history"]) for p in manifest["personas"]] == [3, 1]
    with open_workspace(f"sqlite:///{tmp_path / 'colleague.sqlite3'}") as other:
        other.create_study("already there")
        imported = other.import_study(archive)
        assert imported.name == "Payroll survey 2026"
        assert _content(other, imported.id) == _content(ws, study_id)
        again = other.import_study(archive, name="Second copy")
        assert again.id != imported.id
        assert [s.name for s in other.list_studies()] == [
            "already there",
            "Payroll survey 2026",
            "Second copy",
        ]
        # imported personas keep working: history continues, optimistic locking holds
        p = other.list_personas(imported.id)[0]
        assert p.version == 3
        p = other.save_persona(imported.id, p.id, {"name": "Ops lead"}, expected_version=3)
        assert [v.version for v in other.persona_history(p.id)] == [1, 2, 3, 4]


def test_import_into_the_same_workspace_gets_new_ids(ws: Workspace) -> None:
    study_id = _fill(ws)
    copy = ws.import_study(ws.export_study(study_id))
    assert copy.id != study_id
    assert _content(ws, copy.id) == _content(ws, study_id)
    old_ids = {p.id for p in ws.list_personas(study_id)}
    assert old_ids.isdisjoint({p.id for p in ws.list_personas(copy.id)})
    assert {f.id for f in ws.list_files(study_id)}.isdisjoint(
        {f.id for f in ws.list_files(copy.id)}
    )


@pytest.fixture(scope="module")
def good_archive(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("archive") / "source.sqlite3"
    with open_workspace(f"sqlite:///{path}") as ws:
        return ws.export_study(_fill(ws))


def _rezip(archive: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def _edit_manifest(edit: Callable[[dict[str, object]], None]) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        manifest = json.loads(members[MANIFEST])
        edit(manifest)
        members[MANIFEST] = json.dumps(manifest).encode()

    return change


def _first_file(members: dict[str, bytes]) -> str:
    return next(n for n in members if n.startswith("files/"))


def _flip_file_byte(members: dict[str, bytes]) -> None:
    name = _first_file(members)
    members[name] = b"X" + members[name][1:]


def _drop_file(members: dict[str, bytes]) -> None:
    del members[_first_file(members)]


def _flip_raw_byte(archive: bytes) -> bytes:
    """Damage the compressed bytes of the survey file inside the zip (CRC or deflate fails)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("files/"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 5
    damaged = bytearray(archive)
    damaged[start] ^= 0xFF
    return bytes(damaged)


DAMAGE: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("not-a-zip", lambda a: b"PK\x03\x04 definitely not a zip", r"this is not a study archive"),
    ("truncated", lambda a: a[: len(a) // 2], r"this is not a study archive"),
    ("damaged-bytes", _flip_raw_byte, r"the study archive is damaged"),
    (
        "file-changed",
        lambda a: _rezip(a, _flip_file_byte),
        r"damaged: files/001-survey_export\.csv does not match its checksum",
    ),
    ("file-missing", lambda a: _rezip(a, _drop_file), r"incomplete: files/001-.* is missing"),
    (
        "no-manifest",
        lambda a: _rezip(a, lambda m: m.pop(MANIFEST) and None),
        r"incomplete: manifest\.json is missing",
    ),
    (
        "manifest-not-json",
        lambda a: _rezip(a, lambda m: m.update({MANIFEST: b"{nope"})),
        r"manifest\.json is not valid JSON",
    ),
    (
        "other-zip",
        lambda a: _rezip(a, _edit_manifest(lambda m: m.update(format="something-else"))),
        r"not an ODI Workbench study archive",
    ),
    (
        "newer-format",
        lambda a: _rezip(a, _edit_manifest(lambda m: m.update(format_version=99))),
        r"format version 99; this workbench reads version 1",
    ),
    (
        "bad-history",
        lambda a: _rezip(
            a,
            _edit_manifest(lambda m: m["personas"][0]["history"].reverse()),  # type: ignore[index]
        ),
        r"personas\[0\]\.history must be a non-empty list in rising version order",
    ),
    (
        "bad-time",
        lambda a: _rezip(
            a,
            _edit_manifest(lambda m: m["personas"][1].update(created_at="yesterday")),  # type: ignore[index]
        ),
        r"personas\[1\]\.created_at must be an ISO 8601 time",
    ),
    (
        "bad-data",
        lambda a: _rezip(
            a,
            _edit_manifest(lambda m: m["personas"][1].update(data=[1, 2])),  # type: ignore[index]
        ),
        r"personas\[1\]\.data must be an object; got \[1, 2\]",
    ),
]


@pytest.mark.parametrize(("damage", "message"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_damaged_archive_is_refused_and_nothing_is_imported(
    good_archive: bytes, tmp_path: Path, damage: Callable[[bytes], bytes], message: str
) -> None:
    """The archive is checked before the database is touched, so SQLite stands for both."""
    with open_workspace(f"sqlite:///{tmp_path / 'w.sqlite3'}") as ws:
        study = ws.create_study("already there")
        with pytest.raises(StorageError, match=message) as info:
            ws.import_study(damage(good_archive))
        assert "\n" not in str(info.value)
        assert ws.list_studies() == [study]


def test_archive_with_a_file_above_the_upload_limit_is_refused(ws: Workspace, db_url: str) -> None:
    study = ws.create_study("Big")
    ws.add_file(study.id, "big.csv", random.Random(0).randbytes(2 * 2**20))  # not compressible
    archive = ws.export_study(study.id)
    with open_workspace(db_url, max_upload_mb=1) as small:
        with pytest.raises(StorageError, match=r"2\.0 MB, above the upload limit of 1\.0 MB"):
            small.import_study(archive)
        assert len(small.list_studies()) == 1


def test_study_moves_from_a_laptop_file_to_the_team_database(ws: Workspace, tmp_path: Path) -> None:
    with open_workspace(f"sqlite:///{tmp_path / 'laptop.sqlite3'}") as laptop:
        study_id = _fill(laptop)
        archive = laptop.export_study(study_id)
        expected = _content(laptop, study_id)
    imported = ws.import_study(archive)
    assert _content(ws, imported.id) == expected
