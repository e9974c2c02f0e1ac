"""The workspace: studies, their files, mapping, settings and versioned personas.

:class:`Workspace` is the one object the app and the CLI use. It combines one store per kind of
record, each in its own module over :class:`~odi.storage.store.Store` (the connection and one
transaction per call): :class:`~odi.storage.study_store.StudyStore` (studies, files,
documents), :class:`~odi.storage.persona_store.PersonaStore` (versioned personas) and
:class:`~odi.storage.archive_store.ArchiveStore` (study archives). To add a kind of record,
write ``odi/storage/NAME_store.py`` with a ``Store`` subclass and add it to the bases of
:class:`Workspace`.

Every method is one transaction: it is saved when it returns, or nothing of it is. Persona saves
use optimistic locking: pass the version you edited as ``expected_version``; if someone saved
in between, :class:`~odi.storage.errors.ConflictError` refuses the save and carries both sides.
"""

from __future__ import annotations

from odi.storage import migrate
from odi.storage.archive_store import ArchiveStore
from odi.storage.engine import database_url, make_engine, max_upload_bytes, translate_errors
from odi.storage.persona_store import PersonaStore
from odi.storage.study_store import StudyStore

__all__ = ["Workspace", "open_workspace"]


class Workspace(StudyStore, PersonaStore, ArchiveStore):
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
