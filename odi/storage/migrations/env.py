"""Alembic's entry point; the logic lives in :func:`odi.storage.migrate.run_env`."""

from alembic import context

from odi.storage.migrate import run_env

# Alembic installs ``context.config`` only while it runs this file; importing it otherwise
# (pytest's doctest collection, mypy) must do nothing.
if hasattr(context, "config"):
    run_env(context)
