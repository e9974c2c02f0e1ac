"""Saved needs-based segmentations: a run's settings, every respondent's cluster, the names.

A saved segmentation is what personas built on a cluster point at (by its id), so it never
changes when someone re-runs the clustering: only its cluster names can be edited. Its
assignment is kept per respondent id; attached to the survey it becomes the attribute
``needs segments ID`` (see :mod:`odi.analysis.segmentation.saved`).

Examples
--------
>>> from odi.storage import open_workspace
>>> with open_workspace("sqlite://") as ws:
...     study = ws.create_study("Demo")
...     seg = save_segmentation(ws, study.id, name="Needs k=2", settings={"k": 2},
...                             assignment={"r1": "C1", "r2": "C2"},
...                             names={"C1": "Data-starved", "C2": "Others"})
...     [(s.name, s.k) for s in list_segmentations(ws, study.id)]
[('Needs k=2', 2)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import delete, select

from odi.storage.errors import NotFoundError, StorageError
from odi.storage.models import SegmentationRow
from odi.storage.store import clean_name, json_doc
from odi.storage.workspace import Workspace

__all__ = [
    "SegmentationRecord",
    "delete_segmentation",
    "get_segmentation",
    "list_segmentations",
    "rename_clusters",
    "save_segmentation",
]


@dataclass(frozen=True, slots=True)
class SegmentationRecord:
    """A saved segmentation.

    Attributes
    ----------
    id, study_id : int
    name : str
        The run's name ("Needs segments, k = 4").
    k : int
    settings : dict
        The method's settings (``SegmentationSettings.to_dict()``), seed included.
    names : dict of str to str
        Cluster label -> name.
    assignment : pandas.Series
        Cluster label per respondent id.
    summary : dict
        What the run reported (criteria per k, stability...), for display.
    source_sha256 : str or None
        The file it ran on.
    created_at, updated_at : datetime
    """

    id: int
    study_id: int
    name: str
    k: int
    settings: dict[str, Any]
    names: dict[str, str]
    assignment: pd.Series
    summary: dict[str, Any]
    source_sha256: str | None
    created_at: datetime
    updated_at: datetime

    def label(self, cluster: str) -> str:
        """``C2 Data-starved``: a cluster's label and name."""
        return f"{cluster} {self.names.get(cluster, '')}".strip()


def _record(row: SegmentationRow) -> SegmentationRecord:
    doc = row.assignment
    return SegmentationRecord(
        id=row.id,
        study_id=row.study_id,
        name=row.name,
        k=row.k,
        settings=dict(row.settings),
        names={str(k): str(v) for k, v in row.names.items()},
        assignment=pd.Series(
            doc["labels"],
            index=pd.Index(doc["respondent_ids"], name="respondent_id"),
            name="segment",
            dtype=object,
        ),
        summary=dict(row.summary or {}),
        source_sha256=row.source_sha256,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _clean_names(names: Mapping[str, str], labels: set[str]) -> dict[str, str]:
    if not isinstance(names, Mapping):
        raise StorageError(f"cluster names must map labels to names; got {type(names).__name__}")
    out = {}
    for label, name in names.items():
        out[str(label)] = clean_name(name, f"the name of cluster {label}")
    missing = sorted(labels - set(out))
    if missing:
        raise StorageError(f"every cluster needs a name; got none for {', '.join(missing)}")
    return out


def save_segmentation(
    ws: Workspace,
    study_id: int,
    *,
    name: str,
    settings: Mapping[str, Any],
    assignment: Mapping[str, str] | pd.Series,
    names: Mapping[str, str],
    summary: Mapping[str, Any] | None = None,
    source_sha256: str | None = None,
) -> SegmentationRecord:
    """Save a segmentation run in a study; it is never changed afterwards (bar names)."""
    name = clean_name(name, "segmentation name")
    pairs = assignment.items() if isinstance(assignment, (Mapping, pd.Series)) else ()
    ids, labels = [], []
    for rid, label in pairs:
        ids.append(str(rid))
        labels.append(str(label))
    if not ids:
        raise StorageError("a segmentation must assign at least one respondent; got none")
    if len(set(ids)) != len(ids):
        raise StorageError("a segmentation must assign each respondent once; got duplicates")
    clean = _clean_names(names, set(labels))
    now = datetime.now(UTC)
    with ws._session(write=True) as s:
        ws._study(s, study_id)
        row = SegmentationRow(
            study_id=study_id,
            name=name,
            k=len(set(labels)),
            settings=json_doc(settings, "segmentation settings"),
            names=clean,
            assignment={"respondent_ids": ids, "labels": labels},
            summary=json_doc(summary or {}, "segmentation summary"),
            source_sha256=source_sha256,
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        ws._touch(s, study_id, now)
        s.flush()
        return _record(row)


def list_segmentations(ws: Workspace, study_id: int) -> list[SegmentationRecord]:
    """A study's saved segmentations, oldest first."""
    with ws._session() as s:
        stmt = (
            select(SegmentationRow)
            .where(SegmentationRow.study_id == study_id)
            .order_by(SegmentationRow.id)
        )
        return [_record(r) for r in s.scalars(stmt)]


def _row(s: Any, segmentation_id: int) -> SegmentationRow:
    row = s.get(SegmentationRow, segmentation_id)
    if row is None:
        raise NotFoundError(
            f"there is no saved segmentation with id {segmentation_id}; it may have been deleted"
        )
    return row  # type: ignore[no-any-return]


def get_segmentation(ws: Workspace, segmentation_id: int) -> SegmentationRecord:
    """One saved segmentation."""
    with ws._session() as s:
        return _record(_row(s, segmentation_id))


def rename_clusters(
    ws: Workspace, segmentation_id: int, names: Mapping[str, str]
) -> SegmentationRecord:
    """Change cluster names (the assignment never changes)."""
    now = datetime.now(UTC)
    with ws._session(write=True) as s:
        row = _row(s, segmentation_id)
        labels = set(row.names)
        unknown = sorted(set(map(str, names)) - labels)
        if unknown:
            raise StorageError(
                f"segmentation {segmentation_id} has no cluster {', '.join(unknown)}; its "
                f"clusters are {', '.join(sorted(labels))}"
            )
        row.names = {**row.names, **_clean_names(names, set())}
        row.updated_at = now
        ws._touch(s, row.study_id, now)
        s.flush()
        return _record(row)


def delete_segmentation(ws: Workspace, segmentation_id: int) -> None:
    """Delete a saved segmentation (personas on its clusters then report it missing)."""
    with ws._session(write=True) as s:
        row = _row(s, segmentation_id)
        s.execute(delete(SegmentationRow).where(SegmentationRow.id == segmentation_id))
        ws._touch(s, row.study_id, datetime.now(UTC))
