"""The workspace: studies, their files, mapping, settings and versioned personas.

Every method is one transaction: it is saved when it returns, or nothing of it is. Persona saves
use optimistic locking: pass the version you edited as ``expected_version``; if someone saved
in between, :class:`~odi.storage.errors.ConflictError` refuses the save and carries both sides.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, cast

from sqlalchemy import CursorResult, Engine, delete, select, update
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from odi import __version__
from odi.limits import DEFAULT_LIMITS, Limits, check_stored_json, one_line_name
from odi.storage import migrate
from odi.storage.archive import (
    ArchivedFile,
    ArchivedPersona,
    ArchivedVersion,
    StudyArchive,
    read_archive,
    write_archive,
)
from odi.storage.diff import FieldChange, diff_documents
from odi.storage.engine import (
    MAX_UPLOAD_ENV,
    WRITE_OPTION,
    database_url,
    describe_url,
    make_engine,
    max_upload_bytes,
    translate_errors,
)
from odi.storage.errors import ConflictError, NotFoundError, StorageError
from odi.storage.models import (
    FILE_NAME_LENGTH,
    NAME_LENGTH,
    NOTE_LENGTH,
    FileRow,
    PersonaRow,
    PersonaVersionRow,
    StudyRow,
)
from odi.storage.records import FileRecord, PersonaRecord, PersonaVersion, StudyRecord

__all__ = ["Workspace", "open_workspace"]

UNTITLED_PERSONA = "Untitled persona"


def _now() -> datetime:
    return datetime.now(UTC)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def _clean_name(value: object, what: str, limit: int = NAME_LENGTH) -> str:
    """One line of plain text of 1 to ``limit`` characters (see :func:`one_line_name`)."""
    try:
        return one_line_name(value, what=what, limit=limit)
    except ValueError as err:
        raise StorageError(str(err)) from None


def _clean_author(value: str | None) -> str | None:
    return None if value is None else _clean_name(value, "author")


def _json_doc(value: object, what: str) -> dict[str, Any]:
    """A JSON object, normalised by a JSON round trip (tuples become lists, and so on)."""
    if not isinstance(value, Mapping):
        raise StorageError(f"{what} must be a JSON object (a dict); got {type(value).__name__}")
    try:
        text = json.dumps(dict(value), allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as err:
        raise StorageError(
            f"{what} must hold only JSON values (text, numbers, true/false, null, lists and "
            f"objects; no NaN); {err}"
        ) from None
    doc: dict[str, Any] = json.loads(text)
    try:
        check_stored_json(doc, what=what)
    except ValueError as err:
        raise StorageError(str(err)) from None
    return doc


def _persona_name(name: str | None, data: dict[str, Any]) -> str:
    if name is not None:
        return _clean_name(name, "persona name")
    raw = data.get("name")
    if isinstance(raw, str) and raw.strip():
        return raw.strip()[:NAME_LENGTH]
    return UNTITLED_PERSONA


def _study_record(row: StudyRow) -> StudyRecord:
    return StudyRecord(
        id=row.id, name=row.name, created_at=row.created_at, updated_at=row.updated_at
    )


def _file_record(row: FileRow) -> FileRecord:
    return FileRecord(
        id=row.id,
        study_id=row.study_id,
        name=row.name,
        size=row.size,
        sha256=row.sha256,
        created_at=row.created_at,
    )


def _persona_record(row: PersonaRow) -> PersonaRecord:
    return PersonaRecord(
        id=row.id,
        study_id=row.study_id,
        name=row.name,
        version=row.version,
        data=row.data,
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _version_record(row: PersonaVersionRow) -> PersonaVersion:
    return PersonaVersion(
        persona_id=row.persona_id,
        version=row.version,
        name=row.name,
        data=row.data,
        author=row.author,
        note=row.note,
        created_at=row.created_at,
    )


class Workspace:
    """A workspace database holding studies. Get one with :func:`open_workspace`.

    A workspace is safe to share between threads (each call uses its own session) and between
    processes or machines on the same database (optimistic locking on personas).

    Examples
    --------
    >>> ws = open_workspace("sqlite://")
    >>> study = ws.create_study("Onboarding survey")
    >>> f = ws.add_file(study.id, "survey.csv", b"id,imp_a,sat_a\\n1,5,2\\n")
    >>> ws.get_file_bytes(f.id)[:2], f.size
    (b'id', 21)
    >>> p = ws.create_persona(study.id, {"name": "Ops lead", "pins": ["o1"]}, author="ann")
    >>> p = ws.save_persona(study.id, p.id, {"name": "Ops lead", "pins": ["o1", "o7"]},
    ...                     expected_version=p.version, author="ann")
    >>> p.version, [v.note for v in ws.persona_history(p.id)]
    (2, ['created', 'edited'])
    >>> ws.diff_versions(p.id, 1, 2)
    [FieldChange(path='pins', old=['o1'], new=['o1', 'o7'])]
    >>> ws.close()
    """

    def __init__(self, engine: Engine, url: URL, *, max_upload_bytes: int) -> None:
        self._engine = engine
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})
        self._url = url
        self._max_upload = max_upload_bytes

    # ----------------------------------------------------------------- plumbing

    @property
    def url(self) -> str:
        """The database URL, password hidden (for display)."""
        return describe_url(self._url)

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._url.get_backend_name()

    @property
    def max_upload_bytes(self) -> int:
        """The largest file :meth:`add_file` accepts, in bytes."""
        return self._max_upload

    def close(self) -> None:
        """Close the database connections (the workspace can be opened again later)."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.url!r})"

    @contextmanager
    def _session(self, *, write: bool = False, snapshot: bool = False) -> Iterator[Session]:
        bind = self._write_engine if write else self._engine
        if snapshot and self.backend == "postgresql":
            bind = bind.execution_options(isolation_level="REPEATABLE READ")
        with (
            translate_errors(self._url),
            Session(bind, expire_on_commit=False, autoflush=False) as session,
            session.begin(),
        ):
            yield session

    @staticmethod
    def _study(s: Session, study_id: int) -> StudyRow:
        row = s.get(StudyRow, study_id)
        if row is None:
            raise NotFoundError(
                f"there is no study with id {study_id} in this workspace; it may have been deleted"
            )
        return row

    @staticmethod
    def _persona(s: Session, persona_id: int, *, lock: bool = False) -> PersonaRow:
        stmt = select(PersonaRow).where(PersonaRow.id == persona_id)
        row = s.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
        if row is None:
            raise NotFoundError(
                f"there is no persona with id {persona_id} in this workspace; "
                "it may have been deleted"
            )
        return row

    @staticmethod
    def _touch(s: Session, study_id: int, when: datetime) -> None:
        s.execute(update(StudyRow).where(StudyRow.id == study_id).values(updated_at=when))

    # ----------------------------------------------------------------- studies

    def create_study(self, name: str) -> StudyRecord:
        """Create an empty study."""
        name = _clean_name(name, "study name")
        now = _now()
        with self._session(write=True) as s:
            row = StudyRow(name=name, created_at=now, updated_at=now)
            s.add(row)
            s.flush()
            return _study_record(row)

    def list_studies(self) -> list[StudyRecord]:
        """All studies, oldest first."""
        with self._session() as s:
            return [_study_record(r) for r in s.scalars(select(StudyRow).order_by(StudyRow.id))]

    def get_study(self, study_id: int) -> StudyRecord:
        """One study by id (raises :class:`NotFoundError` if it is not there)."""
        with self._session() as s:
            return _study_record(self._study(s, study_id))

    def rename_study(self, study_id: int, name: str) -> StudyRecord:
        """Rename a study."""
        name = _clean_name(name, "study name")
        with self._session(write=True) as s:
            row = self._study(s, study_id)
            row.name = name
            row.updated_at = _now()
            s.flush()
            return _study_record(row)

    def delete_study(self, study_id: int) -> None:
        """Delete a study with its files and personas (export it first to keep a copy)."""
        with self._session(write=True) as s:
            self._study(s, study_id)
            s.execute(delete(StudyRow).where(StudyRow.id == study_id))

    def duplicate_study(self, study_id: int, *, name: str | None = None) -> StudyRecord:
        """Copy a study with its files, settings and personas (their history too).

        The copy is named ``name``, by default the original's name with " (copy)".
        """
        original = self.get_study(study_id)
        copy_name = name if name is not None else f"{original.name} (copy)"
        return self.import_study(self.export_study(study_id), name=copy_name)

    def studies_with_file(self, sha256: str) -> list[StudyRecord]:
        """The studies that hold a file with exactly these bytes (by SHA-256), oldest first."""
        with self._session() as s:
            rows = s.scalars(
                select(StudyRow)
                .where(StudyRow.id.in_(select(FileRow.study_id).where(FileRow.sha256 == sha256)))
                .order_by(StudyRow.id)
            )
            return [_study_record(r) for r in rows]

    def snapshot(
        self, study_id: int | None
    ) -> tuple[list[StudyRecord], list[FileRecord], dict[str, Any]]:
        """Every study, and one study's files and settings, read in one transaction.

        What an app page needs on every run, in two queries. An unknown ``study_id`` (or
        None) gives no files and empty settings.
        """
        with self._session() as s:
            rows = list(s.scalars(select(StudyRow).order_by(StudyRow.id)))
            studies = [_study_record(r) for r in rows]
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
        >>> ws = open_workspace("sqlite://", max_upload_mb=0.001)
        >>> ws.create_study_with_file("big.csv", "big.csv", b"x" * 2000)
        Traceback (most recent call last):
        ...
        odi.storage.errors.StorageError: big.csv is 0.0 MB, above the upload limit ...
        >>> ws.list_studies()
        []
        """
        name = _clean_name(name, "study name")
        file_name, content = self._upload(file_name, data)
        now = _now()
        with self._session(write=True) as s:
            row = StudyRow(name=name, created_at=now, updated_at=now)
            s.add(row)
            s.flush()
            self._add_file(s, row.id, file_name, content)
            return _study_record(row)

    def _upload(self, name: str, data: bytes) -> tuple[str, bytes]:
        name = _clean_name(name, "file name", FILE_NAME_LENGTH)
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
        now = _now()
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
        row = s.get(FileRow, file_id)
        if row is None:
            raise NotFoundError(
                f"there is no file with id {file_id} in this workspace; it may have been deleted"
            )
        return row

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
            self._touch(s, row.study_id, _now())

    # ----------------------------------------------------------------- study documents

    def _set_doc(self, study_id: int, field: str, doc: Mapping[str, Any] | None) -> None:
        value = None if doc is None else _json_doc(doc, field.replace("_", " "))
        with self._session(write=True) as s:
            row = self._study(s, study_id)
            old = getattr(row, field)
            if old is value is None or (  # a page re-run saving the same state: no write
                old is not None and value is not None and not diff_documents(old, value)
            ):
                return
            setattr(row, field, value)
            flag_modified(row, field)  # the ORM compares JSON with ==, where 1 == True
            row.updated_at = _now()

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

    # ----------------------------------------------------------------- personas

    def create_persona(
        self,
        study_id: int,
        data: Mapping[str, Any],
        *,
        name: str | None = None,
        author: str | None = None,
    ) -> PersonaRecord:
        """Add a persona to a study as version 1.

        Parameters
        ----------
        study_id : int
            The study.
        data : dict
            The persona document (a JSON object), e.g. ``Persona.to_dict()``.
        name : str, optional
            The name shown in lists; defaults to ``data["name"]``, else "Untitled persona".
        author : str, optional
            Who made it (a user or session label), kept in the history.
        """
        doc = _json_doc(data, "persona data")
        label = _persona_name(name, doc)
        who = _clean_author(author)
        now = _now()
        with self._session(write=True) as s:
            self._study(s, study_id)
            row = PersonaRow(
                study_id=study_id,
                name=label,
                version=1,
                data=doc,
                created_at=now,
                updated_at=now,
                updated_by=who,
            )
            s.add(row)
            s.flush()
            s.add(
                PersonaVersionRow(
                    persona_id=row.id,
                    version=1,
                    name=label,
                    data=doc,
                    author=who,
                    note="created",
                    created_at=now,
                )
            )
            self._touch(s, study_id, now)
            s.flush()
            return _persona_record(row)

    def list_personas(self, study_id: int) -> list[PersonaRecord]:
        """A study's personas, oldest first."""
        with self._session() as s:
            self._study(s, study_id)
            rows = s.scalars(
                select(PersonaRow).where(PersonaRow.study_id == study_id).order_by(PersonaRow.id)
            )
            return [_persona_record(r) for r in rows]

    def get_persona(self, persona_id: int) -> PersonaRecord:
        """A persona as currently saved."""
        with self._session() as s:
            return _persona_record(self._persona(s, persona_id))

    def save_persona(
        self,
        study_id: int,
        persona_id: int,
        data: Mapping[str, Any],
        *,
        expected_version: int,
        name: str | None = None,
        author: str | None = None,
        note: str | None = None,
    ) -> PersonaRecord:
        """Save a persona as a new version, if nobody saved it since ``expected_version``.

        Saving exactly what is stored creates no version and never conflicts.

        Parameters
        ----------
        study_id, persona_id : int
            The persona and the study it belongs to.
        data : dict
            The whole persona document.
        expected_version : int
            The version the edit started from (``PersonaRecord.version``).
        name : str, optional
            The list name; defaults to ``data["name"]``.
        author : str, optional
            Who saves (a user or session label), kept in the history.
        note : str, optional
            What the save was, for the history (default "edited").

        Returns
        -------
        PersonaRecord
            The saved persona with its new version number.

        Raises
        ------
        ConflictError
            If the stored version is not ``expected_version``: someone else saved first. The
            error carries both sides; see :meth:`keep_mine`, :meth:`take_theirs`, :meth:`merge`.
        """
        doc = _json_doc(data, "persona data")
        label = _persona_name(name, doc)
        with self._session(write=True) as s:
            return self._save(
                s,
                persona_id,
                doc,
                label,
                study_id=study_id,
                expected_version=expected_version,
                author=_clean_author(author),
                note=note or "edited",
            )

    def _save(
        self,
        s: Session,
        persona_id: int,
        doc: dict[str, Any],
        label: str,
        *,
        study_id: int | None,
        expected_version: int | None,
        author: str | None,
        note: str,
    ) -> PersonaRecord:
        row = self._persona(s, persona_id, lock=expected_version is None)
        if study_id is not None and row.study_id != study_id:
            raise NotFoundError(
                f"persona {persona_id} is not in study {study_id}; reload the study's personas"
            )
        if label == row.name and not diff_documents(row.data, doc):
            return _persona_record(row)
        expected = row.version if expected_version is None else expected_version
        if row.version != expected:
            raise self._conflict(s, row, doc, label, expected, author)
        now = _now()
        result = cast(
            CursorResult[Any],
            s.execute(
                update(PersonaRow)
                .where(PersonaRow.id == persona_id, PersonaRow.version == expected)
                .values(
                    version=expected + 1, name=label, data=doc, updated_at=now, updated_by=author
                )
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:  # another transaction saved between our read and our update
            s.refresh(row)
            raise self._conflict(s, row, doc, label, expected, author)
        s.add(
            PersonaVersionRow(
                persona_id=persona_id,
                version=expected + 1,
                name=label,
                data=doc,
                author=author,
                note=note[:NOTE_LENGTH],
                created_at=now,
            )
        )
        self._touch(s, row.study_id, now)
        s.flush()
        return PersonaRecord(
            id=row.id,
            study_id=row.study_id,
            name=label,
            version=expected + 1,
            data=doc,
            created_at=row.created_at,
            updated_at=now,
            updated_by=author,
        )

    @staticmethod
    def _conflict(
        s: Session,
        row: PersonaRow,
        doc: dict[str, Any],
        label: str,
        expected: int,
        author: str | None,
    ) -> ConflictError:
        stored = _persona_record(row)
        base = s.scalars(
            select(PersonaVersionRow.data).where(
                PersonaVersionRow.persona_id == row.id, PersonaVersionRow.version == expected
            )
        ).one_or_none()
        return ConflictError(
            stored=stored,
            attempted=doc,
            attempted_name=label,
            expected_version=expected,
            base=base,
            changes=diff_documents(stored.data, doc),
            author=author,
        )

    def keep_mine(self, conflict: ConflictError, *, author: str | None = None) -> PersonaRecord:
        """Resolve a conflict by saving your data over theirs (theirs stays in the history)."""
        stored = conflict.stored
        return self.save_persona(
            stored.study_id,
            stored.id,
            conflict.attempted,
            expected_version=stored.version,
            name=conflict.attempted_name,
            author=author if author is not None else conflict.author,
            note=f"kept own edit over version {stored.version}",
        )

    def take_theirs(self, conflict: ConflictError) -> PersonaRecord:
        """Resolve a conflict by dropping your edit: returns the persona as saved now.

        Your attempted data stays available in ``conflict.attempted`` until you discard it.
        """
        return self.get_persona(conflict.persona_id)

    def merge(
        self,
        conflict: ConflictError,
        data: Mapping[str, Any],
        *,
        name: str | None = None,
        author: str | None = None,
    ) -> PersonaRecord:
        """Resolve a conflict by saving data merged by hand on top of the stored version.

        :func:`odi.storage.merge_documents` can pre-fill the merge from ``conflict.base``,
        ``conflict.attempted`` and ``conflict.stored.data``. Raises :class:`ConflictError`
        again if yet another save came in meanwhile.
        """
        stored = conflict.stored
        return self.save_persona(
            stored.study_id,
            stored.id,
            data,
            expected_version=stored.version,
            name=name,
            author=author if author is not None else conflict.author,
            note=f"merged by hand with version {stored.version}",
        )

    def delete_persona(self, persona_id: int, *, expected_version: int | None = None) -> None:
        """Delete a persona and its history.

        Raises
        ------
        StorageError
            If ``expected_version`` is given and someone saved the persona since.
        """
        with self._session(write=True) as s:
            row = self._persona(s, persona_id, lock=True)
            if expected_version is not None and row.version != expected_version:
                who = f" by {row.updated_by}" if row.updated_by else ""
                raise StorageError(
                    f"persona {row.name!r} was saved{who} as version {row.version} after the "
                    f"version {expected_version} you are deleting; review it, then delete again"
                )
            s.execute(delete(PersonaRow).where(PersonaRow.id == persona_id))
            self._touch(s, row.study_id, _now())

    def persona_history(self, persona_id: int) -> list[PersonaVersion]:
        """Every saved version of a persona, oldest first."""
        with self._session() as s:
            self._persona(s, persona_id)
            rows = s.scalars(
                select(PersonaVersionRow)
                .where(PersonaVersionRow.persona_id == persona_id)
                .order_by(PersonaVersionRow.version)
            )
            return [_version_record(r) for r in rows]

    @staticmethod
    def _version(s: Session, persona_id: int, version: int) -> PersonaVersionRow:
        row = s.scalars(
            select(PersonaVersionRow).where(
                PersonaVersionRow.persona_id == persona_id, PersonaVersionRow.version == version
            )
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"persona {persona_id} has no version {version}")
        return row

    def get_version(self, persona_id: int, version: int) -> PersonaVersion:
        """One saved version of a persona."""
        with self._session() as s:
            return _version_record(self._version(s, persona_id, version))

    def diff_versions(self, persona_id: int, old: int, new: int) -> list[FieldChange]:
        """What changed from version ``old`` to version ``new``, field by field."""
        with self._session() as s:
            a = self._version(s, persona_id, old)
            b = self._version(s, persona_id, new)
            changes = diff_documents(a.data, b.data)
            if a.name != b.name and "name" not in b.data:
                changes.insert(0, FieldChange("name", a.name, b.name))
            return changes

    def restore_version(
        self,
        persona_id: int,
        version: int,
        *,
        expected_version: int | None = None,
        author: str | None = None,
    ) -> PersonaRecord:
        """Make an old version current again, as a new version (the history keeps everything).

        Raises
        ------
        ConflictError
            If ``expected_version`` is given and someone saved the persona since.
        """
        with self._session(write=True) as s:
            old = self._version(s, persona_id, version)
            return self._save(
                s,
                persona_id,
                old.data,
                old.name,
                study_id=None,
                expected_version=expected_version,
                author=_clean_author(author),
                note=f"restored version {version}",
            )

    # ----------------------------------------------------------------- archives

    def export_study(self, study_id: int) -> bytes:
        """The whole study (files, mapping, settings, personas and history) as zip bytes."""
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
        label = _clean_name(name if name is not None else archive.name, "study name")
        for p in archive.personas:
            for v in p.history:
                _clean_name(v.name, "persona name")
                _clean_author(v.author)
            _clean_author(p.updated_by)
        now = _now()
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
                        name=_clean_name(f.name, "file name", FILE_NAME_LENGTH),
                        size=len(f.content),
                        sha256=f.sha256,
                        content=f.content,
                        created_at=f.created_at,
                    )
                )
            for p in archive.personas:
                row = PersonaRow(
                    study_id=study.id,
                    name=_clean_name(p.name, "persona name"),
                    version=p.version,
                    data=p.data,
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
                        data=v.data,
                        author=v.author,
                        note=None if v.note is None else v.note[:NOTE_LENGTH],
                        created_at=v.created_at,
                    )
                    for v in p.history
                )
            s.flush()
            return _study_record(study)


def open_workspace(url: str | None = None, *, max_upload_mb: float | None = None) -> Workspace:
    """Open the workspace database, creating or upgrading its schema first.

    Parameters
    ----------
    url : str, optional
        A database URL (``sqlite:///PATH``, ``postgresql://USER:PASSWORD@HOST:PORT/DB``) or a
        SQLite file path. Default: ``ODI_DATABASE_URL``, else ``workspace.sqlite3`` in the
        user's data directory.
    max_upload_mb : float, optional
        The largest file accepted, in MB. Default: ``ODI_MAX_UPLOAD_MB``, else 200.

    Raises
    ------
    StorageError
        With a one-line message if the database cannot be reached or opened, the SQLite file is
        damaged, or the schema is newer than this workbench.

    Examples
    --------
    >>> with open_workspace("sqlite://") as ws:
    ...     ws.backend, ws.list_studies()
    ('sqlite', [])
    >>> open_workspace("postgresql://odi@127.0.0.1:1/odi")
    Traceback (most recent call last):
    ...
    odi.storage.errors.StorageError: cannot reach the workspace database at \
postgresql://odi@127.0.0.1:1/odi (...); check ODI_DATABASE_URL and that the server is running
    """
    limit = max_upload_bytes(max_upload_mb)
    resolved = database_url(url)
    engine = make_engine(resolved)
    try:
        with translate_errors(resolved):
            migrate.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Workspace(engine, resolved, max_upload_bytes=limit)
