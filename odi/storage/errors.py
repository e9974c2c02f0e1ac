"""The errors the workspace store raises: one-line messages a user can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from odi.storage.diff import FieldChange
    from odi.storage.records import PersonaRecord

__all__ = ["ConflictError", "NotFoundError", "StorageError"]


class StorageError(ValueError):
    """Anything the workspace store refuses or cannot do, as one line for the app or the CLI.

    Examples
    --------
    >>> str(StorageError("the database file x.db is damaged; restore it from a backup"))
    'the database file x.db is damaged; restore it from a backup'
    """


class NotFoundError(StorageError):
    """A study, file, persona or version id that is not in the workspace."""


class ConflictError(StorageError):
    """A persona save refused because someone else saved the persona first.

    Nothing is lost: the stored version (theirs) is still in the database and the attempted
    data (yours) travels with this error. Resolve it with
    :meth:`~odi.storage.Workspace.keep_mine`, :meth:`~odi.storage.Workspace.take_theirs` or
    :meth:`~odi.storage.Workspace.merge`.

    Attributes
    ----------
    stored : PersonaRecord
        The persona as saved now (theirs), with its current version number.
    attempted : dict
        The data the refused save tried to store (yours).
    attempted_name : str
        The name the refused save tried to store.
    expected_version : int
        The version the refused save was based on.
    base : dict or None
        The data of ``expected_version`` (what both edits started from), if it is in the history.
    changes : list of FieldChange
        Field-by-field differences from the stored data to the attempted data.
    author : str or None
        Who made the refused save.
    """

    def __init__(
        self,
        *,
        stored: PersonaRecord,
        attempted: dict[str, Any],
        attempted_name: str,
        expected_version: int,
        base: dict[str, Any] | None,
        changes: list[FieldChange],
        author: str | None,
    ) -> None:
        who = f" by {stored.updated_by}" if stored.updated_by else ""
        n = len(changes)
        super().__init__(
            f"persona {stored.name!r} was saved{who} as version {stored.version} while you were "
            f"editing version {expected_version}; {n} field{'s' if n != 1 else ''} differ. "
            "Keep yours, take theirs or merge by hand"
        )
        self.stored = stored
        self.attempted = attempted
        self.attempted_name = attempted_name
        self.expected_version = expected_version
        self.base = base
        self.changes = changes
        self.author = author

    @property
    def persona_id(self) -> int:
        """The id of the persona both edits are about."""
        return self.stored.id
