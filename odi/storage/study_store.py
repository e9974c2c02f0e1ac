"""Studies, their uploaded files and their documents (mapping, settings, UI state)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from odi.storage.diff import diff_documents
from odi.storage.engine import MAX_UPLOAD_ENV
from odi.storage.errors import StorageError
from odi.storage.models import FILE_NAME_LENGTH, FileRow, StudyRow
from odi.storage.records import FileRecord, StudyRecord
from odi.storage.store import Store, clean_name, get_row, json_doc, study_record, utc_now

__all__ = ["StudyStore"]


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def _file_record(row: FileRow) -> FileRecord:
    return FileRecord(
        id=row.id,
        study_id=row.study_id,
        name=row.name,
        size=row.size,
        sha256=row.sha256,
        created_at=row.created_at,
    )


class StudyStore(Store):
    """Create, list, rename and delete studies; keep their files and documents."""

    def create_study(self, name: str) -> StudyRecord:
        """Create an empty study."""
        name = clean_name(name, "study name")
        now = utc_now()
        with self._session(write=True) as s:
            row = StudyRow(name=name, created_at=now, updated_at=now)
            s.add(row)
            s.flush()
            return study_record(row)

    def list_studies(self) -> list[StudyRecord]:
        """All studies, oldest first."""
        with self._session() as s:
            return [study_record(r) for r in s.scalars(select(StudyRow).order_by(StudyRow.id))]

    def get_study(self, study_id: int) -> StudyRecord:
        """One study by id (raises :class:`NotFoundError` if it is not there)."""
        with self._session() as s:
            return study_record(self._study(s, study_id))

    def rename_study(self, study_id: int, name: str) -> StudyRecord:
        """Rename a study."""
        name = clean_name(name, "study name")
        with self._session(write=True) as s:
            row = self._study(s, study_id)
            row.name = name
            row.updated_at = utc_now()
            s.flush()
            return study_record(row)

    def delete_study(self, study_id: int) -> None:
        """Delete a study with its files and personas (export it first to keep a copy)."""
        with self._session(write=True) as s:
            self._study(s, study_id)
            s.execute(delete(StudyRow).where(StudyRow.id == study_id))

    def studies_with_file(self, sha256: str) -> list[StudyRecord]:
        """The studies that hold a file with exactly these bytes (by SHA-256), oldest first."""
        with self._session() as s:
            rows = s.scalars(
                select(StudyRow)
                .where(StudyRow.id.in_(select(FileRow.study_id).where(FileRow.sha256 == sha256)))
                .order_by(StudyRow.id)
            )
            return [study_record(r) for r in rows]

    def snapshot(
        self, study_id: int | None
    ) -> tuple[list[StudyRecord], list[FileRecord], dict[str, Any]]:
        """Every study, and one study's files and settings, read in one transaction.

        What an app page needs on every run, in two queries. An unknown ``study_id`` (or
        None) gives no files and empty settings.
        """
        with self._session() as s:
            rows = list(s.scalars(select(StudyRow).order_by(StudyRow.id)))
            studies = [study_record(r) for r in rows]
            row = next((r for r in rows if r.id == study_id), None)
            if row is None:
                return studies, [], {}
            files = s.scalars(
                select(FileRow).where(FileRow.study_id == row.id).order_by(FileRow.id)
            )
            return studies, [_file_record(f) for f in files], dict(row.settings or {})

    # ----------------------------------------------------------------- files

    def add_file(self, study_id: int, name: str, data: bytes) -> FileRecord:
        """Keep an uploaded file's original bytes with their SHA-256.

        Adding the same name with the same bytes again returns the stored file (so a page that
        re-runs does not store duplicates).

        Raises
        ------
        StorageError
            If the file is larger than the upload limit (``ODI_MAX_UPLOAD_MB``).
        """
        name, content = self._upload(name, data)
        with self._session(write=True) as s:
            return self._add_file(s, study_id, name, content)

    def create_study_with_file(self, name: str, file_name: str, data: bytes) -> StudyRecord:
        """Create a study holding one uploaded file, in one transaction: if storing the file
        fails, no empty study is left behind.

        Examples
        --------
        >>> from odi.storage import open_workspace
        >>> ws = open_workspace("sqlite://", max_upload_mb=0.001)
        >>> ws.create_study_with_file("big.csv", "big.csv", b"x" * 2000)
        Traceback (most recent call last):
        ...
        odi.storage.errors.StorageError: big.csv is 0.0 MB, above the upload limit ...
        >>> ws.list_studies()
        []
        """
        name = clean_name(name, "study name")
        file_name, content = self._upload(file_name, data)
        now = utc_now()
        with self._session(write=True) as s:
            row = StudyRow(name=name, created_at=now, updated_at=now)
            s.add(row)
            s.flush()
            self._add_file(s, row.id, file_name, content)
            return study_record(row)

    def _upload(self, name: str, data: bytes) -> tuple[str, bytes]:
        name = clean_name(name, "file name", FILE_NAME_LENGTH)
        if not isinstance(data, bytes | bytearray | memoryview):
            raise StorageError(f"the content of {name} must be bytes; got {type(data).__name__}")
        content = bytes(data)
        if len(content) > self._max_upload:
            raise StorageError(
                f"{name} is {_mb(len(content))}, above the upload limit of "
                f"{_mb(self._max_upload)}; set {MAX_UPLOAD_ENV} to allow larger files"
            )
        return name, content

    def _add_file(self, s: Session, study_id: int, name: str, content: bytes) -> FileRecord:
        digest = hashlib.sha256(content).hexdigest()
        now = utc_now()
        self._study(s, study_id)
        same = s.scalars(
            select(FileRow).where(
                FileRow.study_id == study_id, FileRow.name == name, FileRow.sha256 == digest
            )
        ).first()
        if same is not None:
            return _file_record(same)
        row = FileRow(
            study_id=study_id,
            name=name,
            size=len(content),
            sha256=digest,
            content=content,
            created_at=now,
        )
        s.add(row)
        self._touch(s, study_id, now)
        s.flush()
        return _file_record(row)

    def list_files(self, study_id: int) -> list[FileRecord]:
        """A study's files, oldest first (without their bytes)."""
        with self._session() as s:
            self._study(s, study_id)
            rows = s.scalars(
                select(FileRow).where(FileRow.study_id == study_id).order_by(FileRow.id)
            )
            return [_file_record(r) for r in rows]

    def get_file(self, file_id: int) -> FileRecord:
        """One file's record (without its bytes)."""
        with self._session() as s:
            return _file_record(self._file(s, file_id))

    @staticmethod
    def _file(s: Session, file_id: int) -> FileRow:
        return get_row(s, FileRow, file_id, "file")

    def get_file_bytes(self, file_id: int) -> bytes:
        """A file's original bytes, checked against their SHA-256.

        Raises
        ------
        StorageError
            If the stored bytes no longer match their checksum.
        """
        with self._session() as s:
            row = self._file(s, file_id)
            content = row.content
            if hashlib.sha256(content).hexdigest() != row.sha256:
                raise StorageError(
                    f"the stored file {row.name} (id {file_id}) is damaged: its bytes do not "
                    "match their checksum; upload it again"
                )
            return content

    def delete_file(self, file_id: int) -> None:
        """Delete an uploaded file."""
        with self._session(write=True) as s:
            row = self._file(s, file_id)
            s.delete(row)
            self._touch(s, row.study_id, utc_now())

    # ----------------------------------------------------------------- study documents

    def _set_doc(self, study_id: int, field: str, doc: Mapping[str, Any] | None) -> None:
        value = None if doc is None else json_doc(doc, field.replace("_", " "))
        with self._session(write=True) as s:
            row = self._study(s, study_id)
            old = getattr(row, field)
            if old is value is None or (  # a page re-run saving the same state: no write
                old is not None and value is not None and not diff_documents(old, value)
            ):
                return
            setattr(row, field, value)
            flag_modified(row, field)  # the ORM compares JSON with ==, where 1 == True
            row.updated_at = utc_now()

    def _get_doc(self, study_id: int, field: str) -> dict[str, Any] | None:
        with self._session() as s:
            value: dict[str, Any] | None = getattr(self._study(s, study_id), field)
            return value

    def set_mapping(self, study_id: int, doc: Mapping[str, Any] | None) -> None:
        """Save the study's column and label mapping (a JSON object), or clear it with None.

        Refer to files by ``sha256`` or name rather than id: ids change when a study is imported.
        """
        self._set_doc(study_id, "mapping", doc)

    def get_mapping(self, study_id: int) -> dict[str, Any] | None:
        """The study's mapping, or None if none was saved."""
        return self._get_doc(study_id, "mapping")

    def set_settings(self, study_id: int, doc: Mapping[str, Any]) -> None:
        """Save the study's screening and threshold settings (a JSON object)."""
        self._set_doc(study_id, "settings", doc)

    def get_settings(self, study_id: int) -> dict[str, Any]:
        """The study's screening and threshold settings (empty if none were saved)."""
        return self._get_doc(study_id, "settings") or {}

    def set_ui_state(self, study_id: int, doc: Mapping[str, Any]) -> None:
        """Save the study's UI state (selected segment, thresholds...), so a refresh keeps it."""
        self._set_doc(study_id, "ui_state", doc)

    def get_ui_state(self, study_id: int) -> dict[str, Any]:
        """The study's UI state (empty if none was saved)."""
        return self._get_doc(study_id, "ui_state") or {}
