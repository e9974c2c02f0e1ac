"""Create and upgrade the workspace schema with Alembic, from code (no ``alembic.ini``).

To add a migration after changing :mod:`odi.storage.models`::

    python -c "from alembic import command; from odi.storage.migrate import alembic_config; \
command.revision(alembic_config('sqlite:////tmp/dev.db'), autogenerate=True, message='...')"

(upgrade ``/tmp/dev.db`` to head first, e.g. with ``open_workspace``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, text

from odi.storage.engine import WRITE_OPTION, database_url, make_engine
from odi.storage.errors import StorageError
from odi.storage.models import Base

__all__ = [
    "VERSION_TABLE",
    "alembic_config",
    "current_revision",
    "downgrade",
    "head_revision",
    "upgrade",
]

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
VERSION_TABLE = "odi_schema_version"
"""Alembic's version table; named for the workbench so a shared database cannot mix it up."""
_PG_LOCK_KEY = 0x0D1_5703
"""Advisory-lock key that serialises migrations of app instances starting together."""


def alembic_config(url: str | None = None, *, connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` for the workbench's migrations, built in code.

    Parameters
    ----------
    url : str, optional
        Database URL for Alembic commands run by hand; ``open_workspace`` passes a connection.
    connection : Connection, optional
        An open connection to migrate within (its transaction is used).

    Examples
    --------
    >>> alembic_config().get_main_option("script_location").endswith("migrations")
    True
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", database_url(url).render_as_string(False))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration's revision id.

    Examples
    --------
    >>> len(head_revision()) > 0
    True
    """
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise StorageError(f"no migrations found in {MIGRATIONS}; reinstall the workbench")
    return head


def _current(connection: Connection) -> str | None:
    ctx = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    rev: str | None = ctx.get_current_revision()
    return rev


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, or None for an empty database."""
    with engine.connect() as conn:
        return _current(conn)


def _migrate(engine: Engine, revision: str, *, down: bool) -> None:
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        current = _current(conn)
        script = ScriptDirectory.from_config(alembic_config())
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise StorageError(
                f"the workspace database is at schema revision {current}, which this version "
                "of the workbench does not know; it was made by a newer workbench, so upgrade "
                "the workbench (or use another database)"
            )
        cfg = alembic_config(connection=conn)
        try:
            if down:
                command.downgrade(cfg, revision)
            elif current != script.get_current_head():
                command.upgrade(cfg, revision)
        except CommandError as err:
            raise StorageError(f"the workspace schema could not be migrated: {err}") from err


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` in one transaction (one at a time)."""
    _migrate(engine, revision, down=False)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the schema to ``revision`` (``"base"`` drops every workbench table)."""
    _migrate(engine, revision, down=True)


def run_env(context: Any) -> None:
    """The body of ``migrations/env.py``: run the migrations on the given or configured DB."""
    if context.is_offline_mode():
        raise StorageError("offline (SQL script) migrations are not supported; give a database")
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(context, connection)
        return
    engine = make_engine(database_url(config.get_main_option("sqlalchemy.url")))
    try:
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            _run_on(context, conn)
    finally:
        engine.dispose()


def _run_on(context: Any, connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
