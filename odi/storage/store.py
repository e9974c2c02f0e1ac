"""What every store shares: the database connection, one transaction per call, and checks.

A store is a class over :class:`Store` that adds the methods for one kind of record
(:mod:`~odi.storage.study_store`, :mod:`~odi.storage.persona_store`,
:mod:`~odi.storage.archive_store`); :class:`~odi.storage.workspace.Workspace` combines them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Engine, update
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from odi.limits import check_stored_json, one_line_name
from odi.storage.engine import WRITE_OPTION, describe_url, translate_errors
from odi.storage.errors import NotFoundError, StorageError
from odi.storage.models import NAME_LENGTH, StudyRow
from odi.storage.records import StudyRecord

__all__ = [
    "Store",
    "clean_author",
    "clean_name",
    "get_row",
    "json_doc",
    "study_record",
    "utc_now",
]

R = TypeVar("R")


def utc_now() -> datetime:
    """The current time, in UTC (every stored time is)."""
    return datetime.now(UTC)


def clean_name(value: object, what: str, limit: int = NAME_LENGTH) -> str:
    """One line of plain text of 1 to ``limit`` characters (see :func:`one_line_name`)."""
    try:
        return one_line_name(value, what=what, limit=limit)
    except ValueError as err:
        raise StorageError(str(err)) from None


def clean_author(value: str | None) -> str | None:
    """An author label checked like a name; None stays None."""
    return None if value is None else clean_name(value, "author")


def json_doc(value: object, what: str) -> dict[str, Any]:
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


def study_record(row: StudyRow) -> StudyRecord:
    """The record handed out for a study row."""
    return StudyRecord(
        id=row.id, name=row.name, created_at=row.created_at, updated_at=row.updated_at
    )


def get_row(s: Session, model: type[R], row_id: int, what: str, *, lock: bool = False) -> R:
    """The row of ``model`` with id ``row_id`` (``lock``: and lock it for this transaction);
    a NotFoundError naming ``what`` if there is none."""
    row = s.get(model, row_id, with_for_update=lock or None)
    if row is None:
        raise NotFoundError(
            f"there is no {what} with id {row_id} in this workspace; it may have been deleted"
        )
    return row


class Store:
    """The connection to a workspace database, for the stores built on it.

    Every public method of a store is one transaction (:meth:`_session`): it is saved when it
    returns, or nothing of it is.
    """

    def __init__(self, engine: Engine, url: URL, *, max_upload_bytes: int) -> None:
        self._engine = engine
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})
        self._url = url
        self._max_upload = max_upload_bytes

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
        return f"{type(self).__name__}({self.url!r})"

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
        return get_row(s, StudyRow, study_id, "study")

    @staticmethod
    def _touch(s: Session, study_id: int, when: datetime) -> None:
        s.execute(update(StudyRow).where(StudyRow.id == study_id).values(updated_at=when))
