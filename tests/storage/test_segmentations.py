"""Saved segmentations on SQLite and PostgreSQL: round trip, names, deletes, validation."""

from __future__ import annotations

import pytest

from odi.storage import NotFoundError, StorageError, Workspace
from odi.storage.segmentations import (
    delete_segmentation,
    get_segmentation,
    list_segmentations,
    rename_clusters,
    save_segmentation,
)

ASSIGNMENT = {f"R{i:03d}": f"C{1 + i % 3}" for i in range(30)}
NAMES = {"C1": "Data-starved", "C2": "Attribution-first", "C3": "Content crunch"}


def _save(ws: Workspace, study_id: int, **changes: object):
    kwargs: dict[str, object] = {
        "name": "Needs k=3",
        "settings": {"k": None, "seed": 0, "ks": [2, 3, 4]},
        "assignment": ASSIGNMENT,
        "names": NAMES,
        "summary": {"recommended_k": 3, "stability": 0.91},
        "source_sha256": "a" * 64,
    }
    kwargs.update(changes)
    return save_segmentation(ws, study_id, **kwargs)  # type: ignore[arg-type]


def test_round_trip_keeps_every_respondent_and_the_settings(ws):
    study = ws.create_study("Demo")
    saved = _save(ws, study.id)
    again = get_segmentation(ws, saved.id)
    assert again.k == 3
    assert again.assignment.to_dict() == ASSIGNMENT
    assert again.names == NAMES
    assert again.settings == {"k": None, "seed": 0, "ks": [2, 3, 4]}
    assert again.summary["stability"] == 0.91
    assert again.label("C1") == "C1 Data-starved"
    assert [s.id for s in list_segmentations(ws, study.id)] == [saved.id]


def test_state_belongs_to_its_study(ws):
    a, b = ws.create_study("A"), ws.create_study("B")
    sa = _save(ws, a.id)
    sb = _save(ws, b.id, name="Other")
    assert [s.id for s in list_segmentations(ws, a.id)] == [sa.id]
    assert [s.name for s in list_segmentations(ws, b.id)] == ["Other"]
    assert sa.id != sb.id


def test_renaming_changes_names_never_the_assignment(ws):
    study = ws.create_study("Demo")
    saved = _save(ws, study.id)
    renamed = rename_clusters(ws, saved.id, {"C2": "Pipeline defenders"})
    assert renamed.names["C2"] == "Pipeline defenders"
    assert renamed.names["C1"] == "Data-starved"
    assert renamed.assignment.equals(saved.assignment)
    with pytest.raises(StorageError, match="no cluster C9"):
        rename_clusters(ws, saved.id, {"C9": "x"})


def test_delete_and_study_delete_remove_it(ws):
    study = ws.create_study("Demo")
    one, two = _save(ws, study.id), _save(ws, study.id, name="Second")
    delete_segmentation(ws, one.id)
    with pytest.raises(NotFoundError, match="no saved segmentation"):
        get_segmentation(ws, one.id)
    ws.delete_study(study.id)
    with pytest.raises(NotFoundError):
        get_segmentation(ws, two.id)
    # Ids never come back, so a persona's reference cannot point at a new run.
    other = ws.create_study("Again")
    assert _save(ws, other.id).id > two.id


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"name": " "}, "segmentation name must be"),
        ({"assignment": {}}, "at least one respondent"),
        ({"names": {"C1": "a", "C2": "b"}}, "none for C3"),
        ({"settings": {"x": float("nan")}}, "no NaN"),
    ],
    ids=["blank-name", "empty", "unnamed-cluster", "nan-settings"],
)
def test_bad_input_is_refused_with_a_message(ws, changes, needle):
    study = ws.create_study("Demo")
    with pytest.raises(StorageError, match=needle):
        _save(ws, study.id, **changes)
    assert list_segmentations(ws, study.id) == []


def test_unknown_study_is_not_found(ws):
    with pytest.raises(NotFoundError):
        _save(ws, 999)
