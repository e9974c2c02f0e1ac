"""Whole studies in and out as zip archives (files, documents, personas and their history,
saved segmentations).

A persona built on a cluster names its saved segmentation by id; an import gives each
segmentation a new id and points the personas (every version) at it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select

from odi import __version__
from odi.limits import DEFAULT_LIMITS, Limits
from odi.storage.archive import (
    ArchivedFile,
    ArchivedPersona,
    ArchivedSegmentation,
    ArchivedVersion,
    StudyArchive,
    read_archive,
    write_archive,
)
from odi.storage.errors import StorageError
from odi.storage.models import (
    FILE_NAME_LENGTH,
    NOTE_LENGTH,
    FileRow,
    PersonaRow,
    PersonaVersionRow,
    SegmentationRow,
    StudyRow,
)
from odi.storage.records import StudyRecord
from odi.storage.store import Store, clean_author, clean_name, study_record, utc_now

__all__ = ["ArchiveStore"]


def _repoint(data: dict[str, Any], refs: dict[str, str]) -> dict[str, Any]:
    """Persona data with its cluster's segmentation id mapped to the imported copy's id."""
    cluster = data.get("cluster")
    if not isinstance(cluster, dict) or str(cluster.get("segmentation")) not in refs:
        return data
    return {**data, "cluster": {**cluster, "segmentation": refs[str(cluster["segmentation"])]}}


class ArchiveStore(Store):
    """Export a study as archive bytes; import an archive as a new study; copy a study."""

    def duplicate_study(self, study_id: int, *, name: str | None = None) -> StudyRecord:
        """Copy a study with its files, settings, segmentations and personas (their history too).

        The copy is named ``name``, by default the original's name with " (copy)".
        """
        with self._session() as s:
            original = study_record(self._study(s, study_id))
        copy_name = name if name is not None else f"{original.name} (copy)"
        return self.import_study(self.export_study(study_id), name=copy_name)

    def export_study(self, study_id: int) -> bytes:
        """The whole study (files, mapping, settings, personas, history, segmentations) as zip."""
        with self._session(snapshot=True) as s:
            study = self._study(s, study_id)
            files = s.scalars(
                select(FileRow).where(FileRow.study_id == study_id).order_by(FileRow.id)
            ).all()
            personas = s.scalars(
                select(PersonaRow).where(PersonaRow.study_id == study_id).order_by(PersonaRow.id)
            ).all()
            versions: dict[int, list[ArchivedVersion]] = {p.id: [] for p in personas}
            for v in s.scalars(
                select(PersonaVersionRow)
                .join(PersonaRow, PersonaRow.id == PersonaVersionRow.persona_id)
                .where(PersonaRow.study_id == study_id)
                .order_by(PersonaVersionRow.persona_id, PersonaVersionRow.version)
            ):
                versions[v.persona_id].append(
                    ArchivedVersion(
                        version=v.version,
                        name=v.name,
                        data=v.data,
                        author=v.author,
                        note=v.note,
                        created_at=v.created_at,
                    )
                )
            segmentations = s.scalars(
                select(SegmentationRow)
                .where(SegmentationRow.study_id == study_id)
                .order_by(SegmentationRow.id)
            ).all()
            archive = StudyArchive(
                name=study.name,
                created_at=study.created_at,
                mapping=study.mapping,
                settings=study.settings,
                ui_state=study.ui_state,
                files=tuple(
                    ArchivedFile(
                        name=f.name, sha256=f.sha256, created_at=f.created_at, content=f.content
                    )
                    for f in files
                ),
                personas=tuple(
                    ArchivedPersona(
                        name=p.name,
                        version=p.version,
                        data=p.data,
                        created_at=p.created_at,
                        updated_at=p.updated_at,
                        updated_by=p.updated_by,
                        history=tuple(versions[p.id]),
                    )
                    for p in personas
                ),
                segmentations=tuple(
                    ArchivedSegmentation(
                        ref=g.id,
                        name=g.name,
                        settings=g.settings,
                        names=g.names,
                        assignment=g.assignment,
                        summary=g.summary,
                        source_sha256=g.source_sha256,
                        created_at=g.created_at,
                        updated_at=g.updated_at,
                    )
                    for g in segmentations
                ),
            )
        for f in archive.files:
            if hashlib.sha256(f.content).hexdigest() != f.sha256:
                raise StorageError(
                    f"the stored file {f.name} is damaged: its bytes do not match their "
                    "checksum; upload it again before exporting the study"
                )
        return write_archive(archive, workbench_version=__version__)

    def import_study(
        self, data: bytes, *, name: str | None = None, limits: Limits = DEFAULT_LIMITS
    ) -> StudyRecord:
        """Add a study from an archive made by :meth:`export_study`, with new ids.

        Parameters
        ----------
        data : bytes
            The archive's bytes.
        name : str, optional
            A new name for the study (default: the name in the archive).
        limits : Limits
            Inflated sizes, compression ratio and JSON nesting allowed.

        Raises
        ------
        StorageError
            If the archive is not one, is damaged (a checksum fails) or holds a file above the
            upload limit; nothing is imported then.
        """
        if not isinstance(data, bytes | bytearray | memoryview):
            raise StorageError(f"a study archive must be bytes; got {type(data).__name__}")
        archive = read_archive(bytes(data), max_member_bytes=self._max_upload, limits=limits)
        label = clean_name(name if name is not None else archive.name, "study name")
        for p in archive.personas:
            for v in p.history:
                clean_name(v.name, "persona name")
                clean_author(v.author)
            clean_author(p.updated_by)
        for g in archive.segmentations:
            clean_name(g.name, "segmentation name")
            for label, cluster_name in g.names.items():
                clean_name(cluster_name, f"the name of cluster {label}")
        now = utc_now()
        with self._session(write=True) as s:
            study = StudyRow(
                name=label,
                mapping=archive.mapping,
                settings=archive.settings,
                ui_state=archive.ui_state,
                created_at=archive.created_at,
                updated_at=now,
            )
            s.add(study)
            s.flush()
            for f in archive.files:
                s.add(
                    FileRow(
                        study_id=study.id,
                        name=clean_name(f.name, "file name", FILE_NAME_LENGTH),
                        size=len(f.content),
                        sha256=f.sha256,
                        content=f.content,
                        created_at=f.created_at,
                    )
                )
            refs: dict[str, str] = {}
            for g in archive.segmentations:
                seg = SegmentationRow(
                    study_id=study.id,
                    name=g.name,
                    k=len(set(g.assignment["labels"])),
                    settings=g.settings,
                    names=g.names,
                    assignment=g.assignment,
                    summary=g.summary,
                    source_sha256=g.source_sha256,
                    created_at=g.created_at,
                    updated_at=g.updated_at,
                )
                s.add(seg)
                s.flush()
                refs[str(g.ref)] = str(seg.id)
            for p in archive.personas:
                row = PersonaRow(
                    study_id=study.id,
                    name=clean_name(p.name, "persona name"),
                    version=p.version,
                    data=_repoint(p.data, refs),
                    created_at=p.created_at,
                    updated_at=p.updated_at,
                    updated_by=p.updated_by,
                )
                s.add(row)
                s.flush()
                s.add_all(
                    PersonaVersionRow(
                        persona_id=row.id,
                        version=v.version,
                        name=v.name,
                        data=_repoint(v.data, refs),
                        author=v.author,
                        note=None if v.note is None else v.note[:NOTE_LENGTH],
                        created_at=v.created_at,
                    )
                    for v in p.history
                )
            s.flush()
            return study_record(study)
