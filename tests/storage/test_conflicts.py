"""Two people editing the same persona: the second save is refused, and no edit is ever lost."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from odi.storage import (
    ConflictError,
    FieldChange,
    PersonaRecord,
    Workspace,
    merge_documents,
    open_workspace,
)

BASE = {"name": "Ops lead", "hook": "Save time", "goals": ["speed"], "pins": []}
ANN = {"name": "Ops lead", "hook": "Save hours every week", "goals": ["speed"], "pins": []}
BOB = {"name": "Ops lead", "hook": "Save time", "goals": ["speed"], "pins": ["o7"]}


@pytest.fixture
def two(db_url: str) -> Iterator[tuple[Workspace, Workspace]]:
    """Two independent workspaces on one database: two browser sessions, or two app servers."""
    a = open_workspace(db_url)
    b = open_workspace(db_url)
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _both_edit(two: tuple[Workspace, Workspace]) -> tuple[PersonaRecord, ConflictError]:
    """Ann and Bob open version 1; Ann saves first; Bob's save is refused."""
    ann_ws, bob_ws = two
    study = ann_ws.create_study("Shared")
    opened = ann_ws.create_persona(study.id, BASE, author="ann")
    bob_copy = bob_ws.get_persona(opened.id)
    assert bob_copy.version == 1
    saved = ann_ws.save_persona(study.id, opened.id, ANN, expected_version=1, author="ann")
    with pytest.raises(ConflictError) as info:
        bob_ws.save_persona(study.id, opened.id, BOB, expected_version=1, author="bob")
    return saved, info.value


def test_second_save_is_refused_with_both_sides(two: tuple[Workspace, Workspace]) -> None:
    saved, conflict = _both_edit(two)
    assert conflict.stored == saved
    assert (conflict.stored.version, conflict.stored.data) == (2, ANN)
    assert (conflict.attempted, conflict.expected_version, conflict.author) == (BOB, 1, "bob")
    assert conflict.base == BASE
    assert conflict.changes == [
        FieldChange("hook", "Save hours every week", "Save time"),
        FieldChange("pins", [], ["o7"]),
    ]
    message = str(conflict)
    assert "\n" not in message
    assert "saved by ann as version 2 while you were editing version 1" in message
    assert "Keep yours, take theirs or merge by hand" in message
    # the refused save changed nothing
    assert two[1].get_persona(saved.id) == saved
    assert [v.version for v in two[1].persona_history(saved.id)] == [1, 2]


def test_keep_mine_saves_over_theirs_and_theirs_stays_in_history(
    two: tuple[Workspace, Workspace],
) -> None:
    saved, conflict = _both_edit(two)
    kept = two[1].keep_mine(conflict)
    assert (kept.version, kept.data, kept.updated_by) == (3, BOB, "bob")
    history = two[0].persona_history(saved.id)
    assert [v.data for v in history] == [BASE, ANN, BOB]
    assert history[-1].note == "kept own edit over version 2"


def test_take_theirs_saves_nothing(two: tuple[Workspace, Workspace]) -> None:
    saved, conflict = _both_edit(two)
    theirs = two[1].take_theirs(conflict)
    assert theirs == saved
    assert [v.data for v in two[0].persona_history(saved.id)] == [BASE, ANN]
    assert conflict.attempted == BOB  # still at hand, should Bob change his mind


def test_merge_by_hand_saves_the_merge(two: tuple[Workspace, Workspace]) -> None:
    saved, conflict = _both_edit(two)
    assert conflict.base is not None
    proposal = merge_documents(conflict.base, conflict.attempted, conflict.stored.data)
    assert proposal.conflicts == ()
    merged = two[1].merge(conflict, proposal.data, author="bob")
    assert merged.version == 3
    assert merged.data == {**BASE, "hook": ANN["hook"], "pins": ["o7"]}
    history = two[0].persona_history(saved.id)
    assert [v.data for v in history] == [BASE, ANN, merged.data]
    assert history[-1].note == "merged by hand with version 2"


def test_resolving_against_a_newer_save_conflicts_again(
    two: tuple[Workspace, Workspace],
) -> None:
    saved, conflict = _both_edit(two)
    ann_ws, bob_ws = two
    third = {**ANN, "goals": ["speed", "audit"]}
    ann_ws.save_persona(saved.study_id, saved.id, third, expected_version=2, author="ann")
    with pytest.raises(ConflictError, match="as version 3 while you were editing version 2"):
        bob_ws.keep_mine(conflict)
    assert bob_ws.get_persona(saved.id).data == third


def test_identical_edits_do_not_conflict(two: tuple[Workspace, Workspace]) -> None:
    ann_ws, bob_ws = two
    study = ann_ws.create_study("Shared")
    p = ann_ws.create_persona(study.id, BASE)
    ann_ws.save_persona(study.id, p.id, ANN, expected_version=1)
    same = bob_ws.save_persona(study.id, p.id, ANN, expected_version=1)
    assert same.version == 2


def test_racing_saves_one_wins_the_others_get_their_edit_back(
    two: tuple[Workspace, Workspace],
) -> None:
    """Six sessions save version 1 at the same moment: exactly one wins, nothing is lost."""
    study = two[0].create_study("Race")
    p = two[0].create_persona(study.id, BASE)
    barrier = threading.Barrier(6)
    saved: list[PersonaRecord] = []
    refused: list[ConflictError] = []
    failures: list[BaseException] = []

    def edit(i: int) -> None:
        ws = two[i % 2]
        data = {**BASE, "hook": f"edit {i}"}
        barrier.wait()
        try:
            saved.append(ws.save_persona(study.id, p.id, data, expected_version=1, author=f"u{i}"))
        except ConflictError as err:
            refused.append(err)
        except BaseException as err:  # pragma: no cover - reported below
            failures.append(err)

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    assert len(saved) == 1
    assert len(refused) == 5
    winner = saved[0]
    assert winner.version == 2
    assert all(c.stored.version == 2 and c.stored.data == winner.data for c in refused)
    hooks = {winner.data["hook"]} | {c.attempted["hook"] for c in refused}
    assert hooks == {f"edit {i}" for i in range(6)}
    history = two[1].persona_history(p.id)
    assert [v.version for v in history] == [1, 2]
    assert history[-1].data == winner.data
