"""Programmes: studies of the workspace linked as waves, and their manual outcome matches.

A programme is a named list of studies in wave order (wave 1, wave 2, ...). A study can be a
wave of several programmes, once each. Manual outcome matches (wave 1 id -> wave 2 id, for
reworded statements) are kept per pair of studies.

Examples
--------
>>> from odi.storage import open_workspace
>>> with open_workspace("sqlite://") as ws:
...     a, b = ws.create_study("2025"), ws.create_study("2026")
...     store = WaveStore(ws)
...     p = store.create_programme("Annual pipeline study")
...     _ = store.add_wave(p.id, a.id), store.add_wave(p.id, b.id, label="2026 cohort")
...     [(w.position, w.label) for w in store.list_waves(p.id)]
[(1, '2025'), (2, '2026 cohort')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from odi.storage.errors import NotFoundError, StorageError
from odi.storage.models import ProgrammeRow, StudyRow, WaveRow
from odi.storage.store import clean_name, utc_now
from odi.storage.workspace import Workspace

__all__ = ["ProgrammeRecord", "WaveRecord", "WaveStore"]


@dataclass(frozen=True, slots=True)
class ProgrammeRecord:
    """A programme of waves."""

    id: int
    name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class WaveRecord:
    """One wave: a study at a position of a programme."""

    id: int
    programme_id: int
    study_id: int
    position: int
    label: str


def _programme(row: ProgrammeRow) -> ProgrammeRecord:
    return ProgrammeRecord(row.id, row.name, row.created_at, row.updated_at)


def _wave(row: WaveRow) -> WaveRecord:
    return WaveRecord(row.id, row.programme_id, row.study_id, row.position, row.label)


def _pair_key(study_1: int, study_2: int) -> str:
    return f"{int(study_1)}:{int(study_2)}"


class WaveStore:
    """Programmes and waves in a :class:`~odi.storage.Workspace` (same database)."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @staticmethod
    def _get(s: Session, programme_id: int) -> ProgrammeRow:
        row = s.get(ProgrammeRow, programme_id)
        if row is None:
            raise NotFoundError(
                f"there is no programme with id {programme_id}; it may have been deleted"
            )
        return row

    def create_programme(self, name: str) -> ProgrammeRecord:
        """Create an empty programme; names are unique."""
        name = clean_name(name, "programme name")
        now = utc_now()
        with self._ws._session(write=True) as s:
            if s.scalar(select(ProgrammeRow.id).where(ProgrammeRow.name == name)) is not None:
                raise StorageError(f"a programme named {name!r} exists already; pick another name")
            row = ProgrammeRow(name=name, matches=None, created_at=now, updated_at=now)
            s.add(row)
            s.flush()
            return _programme(row)

    def list_programmes(self) -> list[ProgrammeRecord]:
        """All programmes, oldest first."""
        with self._ws._session() as s:
            rows = s.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id))
            return [_programme(r) for r in rows]

    def delete_programme(self, programme_id: int) -> None:
        """Delete a programme (its studies stay)."""
        with self._ws._session(write=True) as s:
            s.delete(self._get(s, programme_id))

    def add_wave(self, programme_id: int, study_id: int, *, label: str = "") -> WaveRecord:
        """Append a study as the programme's next wave (label defaults to the study's name)."""
        with self._ws._session(write=True) as s:
            programme = self._get(s, programme_id)
            study = s.get(StudyRow, study_id)
            if study is None:
                raise NotFoundError(f"there is no study with id {study_id} in this workspace")
            taken = s.scalar(
                select(WaveRow.position).where(
                    WaveRow.programme_id == programme_id, WaveRow.study_id == study_id
                )
            )
            if taken is not None:
                raise StorageError(
                    f"study {study.name!r} is already wave {taken} of {programme.name!r}"
                )
            last = s.scalar(
                select(func.max(WaveRow.position)).where(WaveRow.programme_id == programme_id)
            )
            row = WaveRow(
                programme_id=programme_id,
                study_id=study_id,
                position=(last or 0) + 1,
                label=clean_name(label or study.name, "wave label"),
                created_at=utc_now(),
            )
            s.add(row)
            programme.updated_at = utc_now()
            s.flush()
            return _wave(row)

    def list_waves(self, programme_id: int) -> list[WaveRecord]:
        """The programme's waves in order."""
        with self._ws._session() as s:
            self._get(s, programme_id)
            rows = s.scalars(
                select(WaveRow)
                .where(WaveRow.programme_id == programme_id)
                .order_by(WaveRow.position)
            )
            return [_wave(r) for r in rows]

    def remove_wave(self, wave_id: int) -> None:
        """Unlink a study from its programme; later waves move up one position."""
        with self._ws._session(write=True) as s:
            row = s.get(WaveRow, wave_id)
            if row is None:
                raise NotFoundError(f"there is no wave with id {wave_id}; it may have been removed")
            programme_id, position = row.programme_id, row.position
            s.execute(delete(WaveRow).where(WaveRow.id == wave_id))
            later = s.scalars(
                select(WaveRow)
                .where(WaveRow.programme_id == programme_id, WaveRow.position > position)
                .order_by(WaveRow.position)
            )
            for w in later:
                w.position -= 1
                s.flush()

    def set_matches(
        self, programme_id: int, study_1: int, study_2: int, pairs: Mapping[str, str]
    ) -> None:
        """Keep the manual outcome matches (wave 1 id -> wave 2 id) of two studies."""
        clean = {str(k).strip(): str(v).strip() for k, v in pairs.items() if str(k).strip()}
        with self._ws._session(write=True) as s:
            row = self._get(s, programme_id)
            doc = dict(row.matches or {})
            doc[_pair_key(study_1, study_2)] = clean
            row.matches = doc
            row.updated_at = utc_now()

    def get_matches(self, programme_id: int, study_1: int, study_2: int) -> dict[str, str]:
        """The manual matches of two studies (empty when none were saved)."""
        with self._ws._session() as s:
            doc = self._get(s, programme_id).matches or {}
            return dict(doc.get(_pair_key(study_1, study_2), {}))
