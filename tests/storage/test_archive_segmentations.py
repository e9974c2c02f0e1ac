"""Saved segmentations travel with their study (export/import, duplicate); cluster personas
keep scoring the same respondents because they are pointed at the imported copies."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from odi.analysis.segmentation.saved import attach_segmentations
from odi.analysis.segmentation.simulate import planted_survey
from odi.analysis.unmet_needs import unmet_needs
from odi.personas import ClusterRef, Persona
from odi.storage import StorageError, Workspace, open_workspace
from odi.storage.archive import MANIFEST
from odi.storage.segmentations import list_segmentations, save_segmentation

SURVEY, TRUTH = planted_survey(n=120, n_outcomes=12, k=2, per_segment=6, seed=2)


def _fill(ws: Workspace) -> tuple[int, int]:
    """Two studies, each with a segmentation (so ids differ); study A has a cluster persona."""
    other = ws.create_study("Other study")
    save_segmentation(
        ws, other.id, name="Other", settings={}, assignment={"x": "C1"}, names={"C1": "X"}
    )
    study = ws.create_study("Demo")
    seg = save_segmentation(
        ws,
        study.id,
        name="Needs k=2",
        settings={"k": 2, "seed": 0},
        assignment=TRUTH.str.replace("P", "C"),
        names={"C1": "Data-starved", "C2": "Others"},
        summary={"recommended_k": 2, "stability": 0.9},
        source_sha256="b" * 64,
    )
    ref = ClusterRef(segmentation=str(seg.id), cluster="C1")
    p = ws.create_persona(study.id, Persona(id="c1", name="Data-starved", cluster=ref).to_dict())
    ws.save_persona(study.id, p.id, {**p.data, "context": "edited"}, expected_version=1)
    return study.id, seg.id


def _needs(ws: Workspace, study_id: int) -> pd.DataFrame:
    """The cluster persona's unmet needs, with only this study's saved segmentations."""
    saved = {str(r.id): r.assignment for r in list_segmentations(ws, study_id)}
    survey = attach_segmentations(SURVEY, saved)
    (record,) = ws.list_personas(study_id)
    return unmet_needs(survey, Persona.from_dict(record.data), bootstrap=0, replicate=False).table


def _segmentations(ws: Workspace, study_id: int) -> list[tuple[object, ...]]:
    return [
        (r.name, r.k, r.settings, r.names, r.assignment.to_dict(), r.summary, r.source_sha256)
        for r in list_segmentations(ws, study_id)
    ]


@pytest.mark.parametrize("how", ["export-import", "other-workspace", "duplicate"])
def test_cluster_persona_needs_are_identical_after_the_round_trip(
    ws: Workspace, tmp_path: Path, how: str
) -> None:
    study_id, seg_id = _fill(ws)
    before = _needs(ws, study_id)
    assert len(before) > 0
    if how == "duplicate":
        target, copy = ws, ws.duplicate_study(study_id)
    elif how == "export-import":
        target, copy = ws, ws.import_study(ws.export_study(study_id))
    else:
        target = open_workspace(f"sqlite:///{tmp_path / 'colleague.sqlite3'}")
        target.create_study("already there")
        copy = target.import_study(ws.export_study(study_id))
    try:
        assert _segmentations(target, copy.id) == _segmentations(ws, study_id)
        (new,) = list_segmentations(target, copy.id)
        if target is ws:
            assert new.id != seg_id
        pd.testing.assert_frame_equal(_needs(target, copy.id), before)
        # every version of the persona points at the copy, so a restore keeps working
        (persona,) = target.list_personas(copy.id)
        refs = {v.data["cluster"]["segmentation"] for v in target.persona_history(persona.id)}
        assert refs == {str(new.id)}
        # the original study is untouched
        assert [r.id for r in list_segmentations(ws, study_id)] == [seg_id]
    finally:
        if target is not ws:
            target.close()


def _edit(archive: bytes, edit: Callable[[dict[str, object]], None]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members[MANIFEST])
    edit(manifest)
    members[MANIFEST] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("segarchive") / "source.sqlite3"
    with open_workspace(f"sqlite:///{path}") as ws:
        return ws.export_study(_fill(ws)[0])


def test_an_archive_from_before_segmentations_still_imports(archive: bytes, tmp_path: Path) -> None:
    old = _edit(archive, lambda m: m.pop("segmentations"))
    with open_workspace(f"sqlite:///{tmp_path / 'w.sqlite3'}") as ws:
        copy = ws.import_study(old)
        assert list_segmentations(ws, copy.id) == []
        (persona,) = ws.list_personas(copy.id)
        assert persona.data["context"] == "edited"
        # the persona's dangling reference is reported, as before, not silently dropped
        with pytest.raises(ValueError, match="which this study does not have"):
            _needs(ws, copy.id)


def _seg(field: str, value: object) -> Callable[[dict[str, object]], None]:
    def edit(m: dict[str, object]) -> None:
        m["segmentations"][0][field] = value  # type: ignore[index]

    return edit


def _nested(depth: int) -> object:
    doc: object = 1
    for _ in range(depth):
        doc = {"a": doc}
    return doc


SEG_DAMAGE = [
    ("not-a-list", lambda m: m.update(segmentations={"a": 1}), r"segmentations must be a list"),
    ("no-ref", _seg("ref", None), r"segmentations\[0\]\.ref must be a whole number"),
    ("huge-ref", _seg("ref", 2**80), r"segmentations\[0\]\.ref must be a whole number"),
    ("two-lines", _seg("name", "Needs\nk=2"), r"segmentation name"),
    ("empty-name", _seg("name", " "), r"segmentations\[0\]\.name must be a non-empty text"),
    (
        "out-of-range",
        _seg("settings", {"k": 1e16}),
        r"segmentations\[0\]\.settings\.k must be a fin",
    ),
    ("infinite", _seg("summary", {"s": float("inf")}), r"Infinity is not a number JSON allows"),
    ("deep", _seg("summary", _nested(200)), r"manifest\.json nests JSON 20\d levels deep"),
    (
        "short-labels",
        _seg("assignment", {"respondent_ids": ["a", "b"], "labels": ["C1"]}),
        r"segmentations\[0\]\.assignment must be respondent_ids",
    ),
    (
        "unnamed-cluster",
        _seg("names", {"C2": "Others"}),
        r"segmentations\[0\]\.names must be a text name for every cluster label",
    ),
    ("bad-sha", _seg("source_sha256", "zz"), r"source_sha256 must be 64 hexadecimal"),
    (
        "duplicate-ref",
        lambda m: m["segmentations"].append(m["segmentations"][0]),  # type: ignore[index]
        r"segmentations must be a list with distinct refs",
    ),
]


@pytest.mark.parametrize(
    ("edit", "message"), [d[1:] for d in SEG_DAMAGE], ids=[d[0] for d in SEG_DAMAGE]
)
def test_a_damaged_segmentation_is_a_clear_error_and_nothing_is_imported(
    archive: bytes, tmp_path: Path, edit: Callable[[dict[str, object]], None], message: str
) -> None:
    with open_workspace(f"sqlite:///{tmp_path / 'w.sqlite3'}") as ws:
        study = ws.create_study("already there")
        with pytest.raises(StorageError, match=message) as info:
            ws.import_study(_edit(archive, edit))
        assert "\n" not in str(info.value)
        assert ws.list_studies() == [study]
