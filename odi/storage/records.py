"""Plain, frozen records the workspace hands out (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["FileRecord", "PersonaRecord", "PersonaVersion", "StudyRecord"]


@dataclass(frozen=True, slots=True)
class StudyRecord:
    """A study in the workspace.

    Attributes
    ----------
    id : int
        The study's id in this workspace (another workspace gives it a new id on import).
    name : str
        The study's name.
    created_at, updated_at : datetime
        When it was created and last changed (anything in it), in UTC.
    """

    id: int
    name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class FileRecord:
    """An uploaded file kept with its original bytes (read them with ``get_file_bytes``).

    Attributes
    ----------
    id, study_id : int
        The file's id and its study's id.
    name : str
        The file name as uploaded.
    size : int
        Its size in bytes.
    sha256 : str
        The SHA-256 checksum of its bytes, as 64 hex digits.
    created_at : datetime
        When it was uploaded, in UTC.
    """

    id: int
    study_id: int
    name: str
    size: int
    sha256: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PersonaRecord:
    """A persona as currently saved.

    Attributes
    ----------
    id, study_id : int
        The persona's id and its study's id.
    name : str
        The persona's name (for lists).
    version : int
        Its version number; pass it back as ``expected_version`` when saving.
    data : dict
        The persona document (whatever ``Persona.to_dict()`` gives), pins and hides included.
    created_at, updated_at : datetime
        When it was created and last saved, in UTC.
    updated_by : str or None
        Who saved the current version.
    """

    id: int
    study_id: int
    name: str
    version: int
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


@dataclass(frozen=True, slots=True)
class PersonaVersion:
    """One saved version of a persona: a full snapshot.

    Attributes
    ----------
    persona_id : int
        The persona's id.
    version : int
        The version number, 1 for the first save.
    name : str
        The persona's name in this version.
    data : dict
        The full persona document as saved.
    author : str or None
        Who saved it (a user or session label).
    note : str or None
        What the save was: "created", "restored version 2", "merged by hand with version 4"...
    created_at : datetime
        When it was saved, in UTC.
    """

    persona_id: int
    version: int
    name: str
    data: dict[str, Any]
    author: str | None
    note: str | None
    created_at: datetime
