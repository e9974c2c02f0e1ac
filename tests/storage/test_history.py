"""Each persona save is a version; versions can be listed, compared field by field and restored."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odi.storage import (
    FieldChange,
    NotFoundError,
    StorageError,
    Workspace,
    diff_documents,
    merge_documents,
)

V1 = {"name": "Ops lead", "goals": ["speed"], "identity": {"seniority": "VP", "titles": ["COO"]}}
V2 = {"name": "Ops lead", "goals": ["speed", "accuracy"], "identity": {"seniority": "VP"}}
V3 = {"name": "Operations lead", "goals": ["accuracy"], "identity": {"seniority": "Director"}}


def _three_versions(ws: Workspace) -> tuple[int, int]:
    study = ws.create_study("History")
    p = ws.create_persona(study.id, V1, author="ann")
    p = ws.save_persona(study.id, p.id, V2, expected_version=1, author="bob")
    p = ws.save_persona(study.id, p.id, V3, expected_version=2, author="ann", note="renamed")
    return study.id, p.id


def test_every_save_is_a_version_with_a_full_snapshot(ws: Workspace) -> None:
    start = datetime.now(UTC)
    _, pid = _three_versions(ws)
    history = ws.persona_history(pid)
    assert [v.version for v in history] == [1, 2, 3]
    assert [v.data for v in history] == [V1, V2, V3]
    assert [v.author for v in history] == ["ann", "bob", "ann"]
    assert [v.note for v in history] == ["created", "edited", "renamed"]
    assert [v.name for v in history] == ["Ops lead", "Ops lead", "Operations lead"]
    times = [v.created_at for v in history]
    assert times == sorted(times)
    assert start <= times[0] <= datetime.now(UTC)
    current = ws.get_persona(pid)
    assert (current.version, current.data, current.updated_by) == (3, V3, "ann")
    assert ws.get_version(pid, 2).data == V2


def test_diff_between_two_versions_is_field_by_field(ws: Workspace) -> None:
    _, pid = _three_versions(ws)
    assert ws.diff_versions(pid, 1, 2) == [
        FieldChange("goals", ["speed"], ["speed", "accuracy"]),
        FieldChange("identity.titles", ["COO"], None),
    ]
    assert ws.diff_versions(pid, 2, 3) == [
        FieldChange("name", "Ops lead", "Operations lead"),
        FieldChange("goals", ["speed", "accuracy"], ["accuracy"]),
        FieldChange("identity.seniority", "VP", "Director"),
    ]
    assert ws.diff_versions(pid, 3, 3) == []
    with pytest.raises(NotFoundError, match=f"persona {pid} has no version 9"):
        ws.diff_versions(pid, 1, 9)


def test_restore_makes_a_new_version_and_loses_nothing(ws: Workspace) -> None:
    _, pid = _three_versions(ws)
    restored = ws.restore_version(pid, 1, expected_version=3, author="cy")
    assert (restored.version, restored.data, restored.name) == (4, V1, "Ops lead")
    assert ws.get_persona(pid) == restored
    history = ws.persona_history(pid)
    assert [v.data for v in history] == [V1, V2, V3, V1]
    assert (history[-1].note, history[-1].author) == ("restored version 1", "cy")


def test_restore_with_a_stale_version_is_a_conflict(ws: Workspace) -> None:
    _, pid = _three_versions(ws)
    with pytest.raises(StorageError, match="saved by ann as version 3 while you were editing"):
        ws.restore_version(pid, 1, expected_version=2)
    assert ws.get_persona(pid).version == 3
    assert ws.restore_version(pid, 2).version == 4


def test_saving_unchanged_data_makes_no_version(ws: Workspace) -> None:
    study_id, pid = _three_versions(ws)
    same = ws.save_persona(study_id, pid, dict(V3), expected_version=3)
    assert same.version == 3
    assert len(ws.persona_history(pid)) == 3


def test_persona_name_follows_the_data_unless_given(ws: Workspace) -> None:
    study = ws.create_study("Names")
    p = ws.create_persona(study.id, {"name": "A"})
    p = ws.save_persona(study.id, p.id, {"name": "B"}, expected_version=p.version)
    assert p.name == "B"
    p = ws.save_persona(study.id, p.id, {"name": "B"}, expected_version=p.version, name="Shown")
    assert (p.name, p.version) == ("Shown", 3)
    assert ws.diff_versions(p.id, 2, 3) == []
    assert [v.name for v in ws.persona_history(p.id)] == ["A", "B", "Shown"]


def test_deleting_with_a_stale_version_is_refused(ws: Workspace) -> None:
    study_id, pid = _three_versions(ws)
    with pytest.raises(StorageError, match="saved by ann as version 3 after the version 2"):
        ws.delete_persona(pid, expected_version=2)
    ws.delete_persona(pid, expected_version=3)
    assert ws.list_personas(study_id) == []


# ----------------------------------------------------------------- diff and merge, pure

json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.text("xy", max_size=2), st.floats(-2, 2)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from("abc"), inner),
    max_leaves=6,
)
documents = st.dictionaries(st.sampled_from("abcd"), json_value, max_size=4)
quick = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _apply(old: dict[str, Any], changes: list[FieldChange], new: dict[str, Any]) -> dict[str, Any]:
    """Replay the changes on a copy of ``old`` (values and removals read from ``new``)."""
    out = copy.deepcopy(old)
    for change in changes:
        *parents, last = change.path.split(".")
        src: Any = new
        dst: Any = out
        for key in parents:
            src, dst = src[key], dst[key]
        if last in src:
            dst[last] = copy.deepcopy(src[last])
        else:
            del dst[last]
    return out


@quick
@given(documents, documents)
def test_diff_lists_exactly_what_changed(old: dict[str, Any], new: dict[str, Any]) -> None:
    changes = diff_documents(old, new)
    assert diff_documents(old, old) == []
    assert (changes == []) == (diff_documents(new, old) == [])
    assert len({c.path for c in changes}) == len(changes)
    assert diff_documents(_apply(old, changes, new), new) == []


def _same(a: Any, b: Any) -> bool:
    return diff_documents({"v": a}, {"v": b}) == []


@quick
@given(documents, documents, documents)
def test_merge_keeps_one_sided_changes(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> None:
    assert merge_documents(base, mine, base) == merge_documents(base, mine, mine)
    assert merge_documents(base, mine, base).data == mine
    assert merge_documents(base, base, theirs).data == theirs
    assert merge_documents(base, mine, base).conflicts == ()
    merged = merge_documents(base, mine, theirs).data
    missing = object()
    for key in {*base, *mine, *theirs}:
        b, m, t = (d.get(key, missing) for d in (base, mine, theirs))
        if _same(b, t) if missing not in (b, t) else b is t:
            assert _same(merged.get(key, missing), m) if m is not missing else key not in merged
        elif _same(b, m) if missing not in (b, m) else b is m:
            assert _same(merged.get(key, missing), t) if t is not missing else key not in merged


def test_merge_reports_fields_both_sides_changed() -> None:
    base = {"hook": "Save time", "goals": ["a"], "identity": {"seniority": "VP", "titles": []}}
    mine = {
        "hook": "Save hours",
        "goals": ["a"],
        "identity": {"seniority": "VP", "titles": ["COO"]},
    }
    theirs = {
        "hook": "Save days",
        "goals": ["a", "b"],
        "identity": {"seniority": "SVP", "titles": []},
    }
    result = merge_documents(base, mine, theirs)
    assert result.conflicts == ("hook",)
    assert result.data == {
        "hook": "Save hours",
        "goals": ["a", "b"],
        "identity": {"seniority": "SVP", "titles": ["COO"]},
    }


def test_diff_is_strict_about_json_types() -> None:
    assert diff_documents({"a": 1}, {"a": True}) == [FieldChange("a", 1, True)]
    assert diff_documents({"a": 1}, {"a": 1.5}) == [FieldChange("a", 1, 1.5)]
    assert diff_documents({"a": {"x": 1, "y": 2}}, {"a": {"y": 2, "x": 1}}) == []
