"""Where the workspace lives: the database URL, the engine, and one-line database errors.

The URL comes from the ``url`` argument, else ``ODI_DATABASE_URL``, else a SQLite file in the
user's data directory. A bare path (no ``://``) means a SQLite file at that path, and
``postgresql://`` / ``postgres://`` URLs use the psycopg 3 driver.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

from odi.storage.errors import StorageError

__all__ = [
    "DATABASE_URL_ENV",
    "MAX_UPLOAD_ENV",
    "database_url",
    "default_database_url",
    "describe_url",
    "make_engine",
    "max_upload_bytes",
    "translate_errors",
]

DATABASE_URL_ENV = "ODI_DATABASE_URL"
MAX_UPLOAD_ENV = "ODI_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 200.0
WRITE_OPTION = "odi_write"
"""Execution option marking a connection that will write (SQLite then takes the write lock)."""


def default_database_url() -> str:
    """The SQLite file used when ``ODI_DATABASE_URL`` is not set.

    Examples
    --------
    >>> url = default_database_url()
    >>> url.startswith("sqlite:///") and "odi-workbench" in url
    True
    """
    path = Path(user_data_dir("odi-workbench", appauthor=False)) / "workspace.sqlite3"
    return f"sqlite:///{path}"


def database_url(url: str | None = None) -> URL:
    """Resolve the workspace's database URL.

    Parameters
    ----------
    url : str, optional
        An explicit URL or SQLite file path; else ``ODI_DATABASE_URL``; else the default file.

    Raises
    ------
    StorageError
        If the URL cannot be parsed or names a database the workbench does not support.

    Examples
    --------
    >>> database_url("postgresql://odi:secret@db.example.com/odi").drivername
    'postgresql+psycopg'
    >>> database_url("/tmp/team.db").render_as_string()
    'sqlite:////tmp/team.db'
    >>> database_url("mysql://x@y/z")
    Traceback (most recent call last):
    ...
    odi.storage.errors.StorageError: the database URL mysql://x@y/z is not supported; use a \
sqlite:///PATH or postgresql://USER@HOST/DB URL in ODI_DATABASE_URL
    """
    text = url if url is not None else os.environ.get(DATABASE_URL_ENV, "").strip()
    if not text:
        text = default_database_url()
    if "://" not in text:
        text = f"sqlite:///{Path(text).expanduser()}"
    try:
        parsed = make_url(text)
    except exc.ArgumentError:
        raise StorageError(
            f"{DATABASE_URL_ENV} is not a database URL: {text!r}; use sqlite:///PATH or "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgres" or parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise StorageError(
            f"the database URL {describe_url(parsed)} is not supported; use a sqlite:///PATH "
            f"or postgresql://USER@HOST/DB URL in {DATABASE_URL_ENV}"
        )
    return parsed


def describe_url(url: URL) -> str:
    """The URL for messages: password hidden, driver name dropped.

    Examples
    --------
    >>> describe_url(database_url("postgresql://odi:secret@db:5433/odi"))
    'postgresql://odi:***@db:5433/odi'
    """
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


def _sqlite_path(url: URL) -> Path | None:
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db)


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to write-ahead logging (kept in the file, so once is enough).

    Switching needs a moment alone with the file and SQLite does not wait for it, so when two
    app instances open a new file together, the loser retries for up to 10 s.
    """
    for attempt in range(100):
        (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
        if str(mode).lower() in ("wal", "memory"):
            return
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or attempt == 99:
                raise
            time.sleep(0.1)


def make_engine(url: URL) -> Engine:
    """Create the engine; for SQLite: WAL, foreign keys, and our own BEGIN statements.

    SQLite gets ``BEGIN IMMEDIATE`` on connections marked for writing, so two writers queue
    (up to 30 s) instead of failing half-way, and plain ``BEGIN`` for readers.

    Raises
    ------
    StorageError
        If a SQLite file's folder cannot be created.
    """
    if url.get_backend_name() != "sqlite":
        return create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": 5}, future=True
        )
    path = _sqlite_path(url)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": 30, "check_same_thread": False}}
    if path is None:
        kwargs["poolclass"] = StaticPool
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(
                f"cannot create the folder {path.parent} for the workspace database "
                f"({err.strerror}); set {DATABASE_URL_ENV} to a writable place"
            ) from None
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see below)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            _use_wal(cursor)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def max_upload_bytes(limit_mb: float | None = None) -> int:
    """The largest upload accepted, from ``limit_mb`` or ``ODI_MAX_UPLOAD_MB`` (default 200).

    Examples
    --------
    >>> max_upload_bytes(1.5)
    1572864
    >>> max_upload_bytes(0)
    Traceback (most recent call last):
    ...
    odi.storage.errors.StorageError: ODI_MAX_UPLOAD_MB must be a number of megabytes above 0; got 0
    """
    if limit_mb is None:
        text = os.environ.get(MAX_UPLOAD_ENV, "").strip()
        if not text:
            limit_mb = DEFAULT_MAX_UPLOAD_MB
        else:
            try:
                limit_mb = float(text)
            except ValueError:
                raise StorageError(
                    f"{MAX_UPLOAD_ENV} must be a number of megabytes above 0; got {text!r}"
                ) from None
    if not limit_mb > 0 or limit_mb == float("inf"):
        raise StorageError(
            f"{MAX_UPLOAD_ENV} must be a number of megabytes above 0; got {limit_mb}"
        )
    return int(limit_mb * 1024 * 1024)


def _first_line(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0].strip()


def _describe(err: BaseException, url: URL) -> str:
    where = describe_url(url)
    orig = err.orig if isinstance(err, exc.DBAPIError) and err.orig is not None else err
    detail = _first_line(orig)
    if url.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        name = str(path) if path is not None else where
        lowered = detail.lower()
        if "file is not a database" in lowered or "not a database" in lowered:
            return (
                f"the workspace file {name} is not a valid SQLite database ({detail}); restore "
                f"it from a backup or set {DATABASE_URL_ENV} to another file"
            )
        if "malformed" in lowered or "corrupt" in lowered:
            return (
                f"the workspace file {name} is damaged ({detail}); restore it from a backup "
                f"or set {DATABASE_URL_ENV} to another file"
            )
        if "unable to open" in lowered:
            return (
                f"cannot open the workspace file {name} ({detail}); check that the path is a "
                f"file in a writable folder, or set {DATABASE_URL_ENV}"
            )
        if "locked" in lowered or "busy" in lowered:
            return (
                f"the workspace file {name} is busy ({detail}); another program holds it; "
                "try again in a moment"
            )
        if "readonly" in lowered or "read-only" in lowered:
            return f"the workspace file {name} is read-only ({detail}); make it writable"
        return f"the workspace file {name} failed: {detail}"
    if isinstance(err, exc.OperationalError | exc.InterfaceError):
        return (
            f"cannot reach the workspace database at {where} ({detail}); check "
            f"{DATABASE_URL_ENV} and that the server is running"
        )
    return f"the workspace database at {where} failed: {detail}"


@contextmanager
def translate_errors(url: URL) -> Iterator[None]:
    """Turn database driver errors into a one-line :class:`StorageError`.

    Examples
    --------
    >>> with translate_errors(database_url("sqlite:////no/such/dir/x.db")):
    ...     raise sqlite3.OperationalError("unable to open database file")
    Traceback (most recent call last):
    ...
    odi.storage.errors.StorageError: cannot open the workspace file /no/such/dir/x.db (unable to \
open database file); check that the path is a file in a writable folder, or set ODI_DATABASE_URL
    """
    try:
        yield
    except StorageError:
        raise
    except (exc.SQLAlchemyError, sqlite3.Error) as err:
        raise StorageError(_describe(err, url)) from err
