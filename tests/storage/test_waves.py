"""Programmes of waves in the workspace, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from odi.storage import NotFoundError, StorageError, Workspace
from odi.storage.waves import WaveStore


def test_programme_with_two_waves_and_matches(ws: Workspace) -> None:
    a, b, c = (ws.create_study(n) for n in ("2025", "2026", "2027"))
    store = WaveStore(ws)
    p = store.create_programme("Annual study")
    q = store.create_programme("Other programme")
    store.add_wave(p.id, a.id)
    w2 = store.add_wave(p.id, b.id, label="2026 cohort")
    store.add_wave(p.id, c.id)
    store.add_wave(q.id, b.id)  # a study can be a wave of two programmes
    assert [(w.position, w.study_id, w.label) for w in store.list_waves(p.id)] == [
        (1, a.id, "2025"),
        (2, b.id, "2026 cohort"),
        (3, c.id, "2027"),
    ]
    store.set_matches(p.id, a.id, b.id, {"O26": "N26", " ": "x"})
    assert store.get_matches(p.id, a.id, b.id) == {"O26": "N26"}
    assert store.get_matches(p.id, b.id, a.id) == {}
    assert store.get_matches(q.id, a.id, b.id) == {}
    store.remove_wave(w2.id)
    assert [(w.position, w.study_id) for w in store.list_waves(p.id)] == [(1, a.id), (2, c.id)]
    assert [x.name for x in store.list_programmes()] == ["Annual study", "Other programme"]


def test_deleting_a_study_removes_its_waves(ws: Workspace) -> None:
    a, b = ws.create_study("A"), ws.create_study("B")
    store = WaveStore(ws)
    p = store.create_programme("P")
    store.add_wave(p.id, a.id)
    store.add_wave(p.id, b.id)
    ws.delete_study(a.id)
    assert [w.study_id for w in store.list_waves(p.id)] == [b.id]
    store.delete_programme(p.id)
    assert store.list_programmes() == []
    assert [s.name for s in ws.list_studies()] == ["B"]


@pytest.mark.parametrize(
    "action",
    ["duplicate-name", "study-twice", "unknown-study", "unknown-programme", "unknown-wave"],
)
def test_refusals(ws: Workspace, action: str) -> None:
    a = ws.create_study("A")
    store = WaveStore(ws)
    p = store.create_programme("P")
    store.add_wave(p.id, a.id)
    if action == "duplicate-name":
        with pytest.raises(StorageError, match="exists already"):
            store.create_programme(" P ")
    elif action == "study-twice":
        with pytest.raises(StorageError, match="already wave 1"):
            store.add_wave(p.id, a.id)
    elif action == "unknown-study":
        with pytest.raises(NotFoundError, match="no study"):
            store.add_wave(p.id, 999)
    elif action == "unknown-programme":
        with pytest.raises(NotFoundError, match="no programme"):
            store.list_waves(999)
    else:
        with pytest.raises(NotFoundError, match="no wave"):
            store.remove_wave(999)
