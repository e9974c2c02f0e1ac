"""Versioned personas with optimistic locking, conflicts and their resolution.

Persona saves use optimistic locking: pass the version you edited as ``expected_version``; if
someone saved in between, :class:`~odi.storage.errors.ConflictError` refuses the save and
carries both sides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from odi.storage.diff import FieldChange, diff_documents
from odi.storage.errors import ConflictError, NotFoundError, StorageError
from odi.storage.models import NAME_LENGTH, NOTE_LENGTH, PersonaRow, PersonaVersionRow
from odi.storage.records import PersonaRecord, PersonaVersion
from odi.storage.store import Store, clean_author, clean_name, get_row, json_doc, utc_now

__all__ = ["UNTITLED_PERSONA", "PersonaStore"]

UNTITLED_PERSONA = "Untitled persona"


def _persona_name(name: str | None, data: dict[str, Any]) -> str:
    if name is not None:
        return clean_name(name, "persona name")
    raw = data.get("name")
    if isinstance(raw, str) and raw.strip():
        return raw.strip()[:NAME_LENGTH]
    return UNTITLED_PERSONA


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


class PersonaStore(Store):
    """Create, save, resolve conflicts, delete and restore a study's personas."""

    @staticmethod
    def _persona(s: Session, persona_id: int, *, lock: bool = False) -> PersonaRow:
        return get_row(s, PersonaRow, persona_id, "persona", lock=lock)

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
        doc = json_doc(data, "persona data")
        label = _persona_name(name, doc)
        who = clean_author(author)
        now = utc_now()
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
        doc = json_doc(data, "persona data")
        label = _persona_name(name, doc)
        with self._session(write=True) as s:
            return self._save(
                s,
                persona_id,
                doc,
                label,
                study_id=study_id,
                expected_version=expected_version,
                author=clean_author(author),
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
        now = utc_now()
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
            self._touch(s, row.study_id, utc_now())

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
                author=clean_author(author),
                note=f"restored version {version}",
            )
