"""Round trips of every entity on SQLite and PostgreSQL, and the checks on what goes in."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from odi.storage import (
    FileRecord,
    NotFoundError,
    PersonaRecord,
    StorageError,
    StudyRecord,
    Workspace,
    open_workspace,
)

PERSONA = {
    "name": "Operations lead",
    "identity": {"titles": ["COO", "Head of Ops"], "seniority": "VP", "reports_to": "CEO"},
    "goals": ["close the books faster", "fewer errors", "audit-ready"],
    "inferred": {"identity.seniority": "from 3 interviews"},
    "segment": {"role": ["Ops"], "size": ["200-999"]},
    "pins": [{"outcome_id": "o12", "note": "from the landscape"}],
    "hides": [{"outcome_id": "o3", "reason": "out of scope"}],
    "negative": False,
    "last_reviewed": "2026-10-01",
    "unicode": "Zoë — 東京 ✓",
    "score": 12.5,
    "count": 3,
    "none": None,
}


def test_study_round_trip(ws: Workspace) -> None:
    before = datetime.now(UTC)
    study = ws.create_study("  Onboarding survey 2026  ")
    assert isinstance(study, StudyRecord)
    assert study.name == "Onboarding survey 2026"
    assert study.created_at.tzinfo is not None
    assert before <= study.created_at <= datetime.now(UTC)
    other = ws.create_study("Second")
    assert ws.list_studies() == [study, other]
    assert ws.get_study(study.id) == study
    renamed = ws.rename_study(study.id, "Renamed")
    assert renamed.name == "Renamed"
    assert renamed.updated_at >= study.updated_at
    assert ws.get_study(study.id).name == "Renamed"


def test_study_documents_round_trip(ws: Workspace, db_url: str) -> None:
    study = ws.create_study("Docs")
    assert ws.get_mapping(study.id) is None
    assert ws.get_settings(study.id) == {}
    assert ws.get_ui_state(study.id) == {}
    mapping = {
        "file_sha256": "ab" * 32,
        "columns": {"Q1_imp": {"outcome": "o1", "kind": "importance"}},
        "labels": {"Very important": 5, "Not at all": 1},
    }
    settings = {"screen": {"speeders_seconds": 120, "straightliners": True}, "threshold": 10.0}
    ui_state = {"segment": ["role=VP"], "thresholds": {"solid": 10, "high": 12, "extreme": 15}}
    ws.set_mapping(study.id, mapping)
    ws.set_settings(study.id, settings)
    ws.set_ui_state(study.id, ui_state)
    again = open_workspace(db_url)
    try:
        assert again.get_mapping(study.id) == mapping
        assert again.get_settings(study.id) == settings
        assert again.get_ui_state(study.id) == ui_state
    finally:
        again.close()
    ws.set_mapping(study.id, None)
    assert ws.get_mapping(study.id) is None


def test_file_round_trip_keeps_bytes_and_checksum(ws: Workspace) -> None:
    study = ws.create_study("Files")
    data = bytes(range(256)) * 1000 + "é,ü\r\n".encode("cp1252")
    record = ws.add_file(study.id, "export (final).csv", data)
    assert isinstance(record, FileRecord)
    assert record.size == len(data)
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert ws.get_file_bytes(record.id) == data
    assert ws.get_file(record.id) == record
    assert ws.list_files(study.id) == [record]


def test_same_upload_twice_is_stored_once(ws: Workspace) -> None:
    study = ws.create_study("Files")
    first = ws.add_file(study.id, "s.csv", b"a,b\n1,2\n")
    assert ws.add_file(study.id, "s.csv", b"a,b\n1,2\n") == first
    changed = ws.add_file(study.id, "s.csv", b"a,b\n1,3\n")
    assert changed.id != first.id
    assert [f.id for f in ws.list_files(study.id)] == [first.id, changed.id]
    ws.delete_file(first.id)
    assert ws.list_files(study.id) == [changed]
    with pytest.raises(NotFoundError, match=f"no file with id {first.id}"):
        ws.get_file_bytes(first.id)


def test_damaged_file_bytes_are_reported(ws: Workspace, raw: Engine) -> None:
    study = ws.create_study("Files")
    record = ws.add_file(study.id, "s.csv", b"a,b\n1,2\n")
    with raw.begin() as conn:
        conn.execute(
            text("UPDATE study_files SET content = :c WHERE id = :i"),
            {"c": b"a,b\n9,9\n", "i": record.id},
        )
    with pytest.raises(StorageError, match=r"s\.csv \(id \d+\) is damaged"):
        ws.get_file_bytes(record.id)


def test_persona_round_trip(ws: Workspace) -> None:
    study = ws.create_study("Personas")
    created = ws.create_persona(study.id, PERSONA, author="ann")
    assert isinstance(created, PersonaRecord)
    assert (created.name, created.version, created.updated_by) == ("Operations lead", 1, "ann")
    assert created.data == PERSONA
    assert ws.get_persona(created.id) == created
    named = ws.create_persona(study.id, {"goals": []}, name="Finance champion")
    untitled = ws.create_persona(study.id, {"goals": []})
    assert (named.name, untitled.name) == ("Finance champion", "Untitled persona")
    assert ws.list_personas(study.id) == [created, named, untitled]
    ws.delete_persona(named.id)
    assert [p.id for p in ws.list_personas(study.id)] == [created.id, untitled.id]
    with pytest.raises(NotFoundError, match=f"no persona with id {named.id}"):
        ws.get_persona(named.id)
    with pytest.raises(NotFoundError):
        ws.persona_history(named.id)


def test_persona_data_is_normalised_to_json(ws: Workspace) -> None:
    study = ws.create_study("Personas")
    p = ws.create_persona(study.id, {"name": "X", "titles": ("a", "b"), "n": {1: "one"}})
    assert p.data == {"name": "X", "titles": ["a", "b"], "n": {"1": "one"}}
    assert ws.get_persona(p.id).data == p.data


def test_deleting_a_study_removes_everything_in_it(ws: Workspace, raw: Engine) -> None:
    study = ws.create_study("Doomed")
    keep = ws.create_study("Kept")
    ws.add_file(study.id, "s.csv", b"x")
    p = ws.create_persona(study.id, {"name": "A"})
    ws.save_persona(study.id, p.id, {"name": "A2"}, expected_version=1)
    kept = ws.create_persona(keep.id, {"name": "B"})
    ws.delete_study(study.id)
    assert ws.list_studies() == [ws.get_study(keep.id)]
    with raw.connect() as conn:
        counts = {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("study_files", "personas", "persona_versions")
        }
    assert counts == {"study_files": 0, "personas": 1, "persona_versions": 1}
    assert ws.get_persona(kept.id).name == "B"


def test_ids_are_never_reused(ws: Workspace) -> None:
    study = ws.create_study("A")
    first = ws.create_persona(study.id, {"name": "one"})
    ws.delete_persona(first.id)
    second = ws.create_persona(study.id, {"name": "two"})
    assert second.id > first.id
    ws.delete_study(study.id)
    assert ws.create_study("B").id > study.id


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ws, s: ws.create_study(""), r"study name must be a text of 1 to 200"),
        (lambda ws, s: ws.create_study("x" * 201), r"study name must be a text of 1 to 200"),
        (lambda ws, s: ws.rename_study(s, "   "), r"study name must be a text"),
        (lambda ws, s: ws.create_persona(s, ["a"]), r"persona data must be a JSON object"),
        (
            lambda ws, s: ws.create_persona(s, {"score": math.nan}),
            r"persona data must hold only JSON values .*no NaN",
        ),
        (
            lambda ws, s: ws.create_persona(s, {"when": datetime.now(UTC)}),
            r"persona data must hold only JSON values.*datetime",
        ),
        (lambda ws, s: ws.set_settings(s, {"x": {1, 2}}), r"settings must hold only JSON"),
        (lambda ws, s: ws.add_file(s, "", b"x"), r"file name must be a text"),
        (lambda ws, s: ws.add_file(s, "a.csv", "text"), r"content of a\.csv must be bytes"),
        (lambda ws, s: ws.create_persona(s, {}, author=""), r"author must be a text"),
        (lambda ws, s: ws.create_persona(s + 999, {}), r"no study with id \d+"),
        (lambda ws, s: ws.add_file(s + 999, "a", b""), r"no study with id \d+"),
        (lambda ws, s: ws.get_settings(s + 999), r"no study with id \d+"),
        (lambda ws, s: ws.save_persona(s, 999, {}, expected_version=1), r"no persona with id"),
        (lambda ws, s: ws.import_study("zip"), r"a study archive must be bytes; got str"),
    ],
    ids=[
        "empty-study-name",
        "long-study-name",
        "blank-rename",
        "persona-not-a-dict",
        "persona-nan",
        "persona-datetime",
        "settings-set",
        "empty-file-name",
        "file-content-str",
        "empty-author",
        "persona-unknown-study",
        "file-unknown-study",
        "settings-unknown-study",
        "save-unknown-persona",
        "archive-str",
    ],
)
def test_bad_input_is_refused_with_a_message(
    ws: Workspace, call: Callable[[Workspace, int], object], message: str
) -> None:
    study = ws.create_study("S")
    with pytest.raises(StorageError, match=message) as info:
        call(ws, study.id)
    assert "\n" not in str(info.value)
    assert ws.list_personas(study.id) == []


def test_saving_into_the_wrong_study_is_refused(ws: Workspace) -> None:
    a = ws.create_study("A")
    b = ws.create_study("B")
    p = ws.create_persona(a.id, {"name": "P"})
    with pytest.raises(NotFoundError, match=f"persona {p.id} is not in study {b.id}"):
        ws.save_persona(b.id, p.id, {"name": "Q"}, expected_version=1)
    assert ws.get_persona(p.id).data == {"name": "P"}


def test_saving_the_same_ui_state_again_writes_nothing(ws: Workspace) -> None:
    study = ws.create_study("UI")
    ws.set_ui_state(study.id, {"threshold": 1, "segment": None})
    stamp = ws.get_study(study.id).updated_at
    ws.set_ui_state(study.id, {"segment": None, "threshold": 1})
    assert ws.get_study(study.id).updated_at == stamp
    ws.set_ui_state(study.id, {"segment": None, "threshold": True})
    assert ws.get_ui_state(study.id) == {"segment": None, "threshold": True}
    assert ws.get_ui_state(study.id)["threshold"] is True
    assert ws.get_study(study.id).updated_at > stamp
