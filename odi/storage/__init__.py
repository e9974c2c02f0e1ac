"""The workspace store: studies, uploaded files, mappings, settings and versioned personas.

:class:`Workspace` combines a store per kind of record (:mod:`~odi.storage.study_store`,
:mod:`~odi.storage.persona_store`, :mod:`~odi.storage.archive_store`) over one connection
(:mod:`~odi.storage.store`).

SQLite by default (a file in the user's data directory), PostgreSQL for a team: set
``ODI_DATABASE_URL``. The schema is created and upgraded by Alembic at start-up.

Examples
--------
>>> from odi.storage import open_workspace
>>> with open_workspace("sqlite://") as ws:
...     study = ws.create_study("Demo")
...     [s.name for s in ws.list_studies()]
['Demo']
"""

from odi.storage.diff import FieldChange, MergeResult, diff_documents, merge_documents
from odi.storage.engine import database_url, default_database_url
from odi.storage.errors import ConflictError, NotFoundError, StorageError
from odi.storage.records import FileRecord, PersonaRecord, PersonaVersion, StudyRecord
from odi.storage.workspace import Workspace, open_workspace

__all__ = [
    "ConflictError",
    "FieldChange",
    "FileRecord",
    "MergeResult",
    "NotFoundError",
    "PersonaRecord",
    "PersonaVersion",
    "StorageError",
    "StudyRecord",
    "Workspace",
    "database_url",
    "default_database_url",
    "diff_documents",
    "merge_documents",
    "open_workspace",
]
