"""Alembic migrations of the workspace schema (run by :func:`odi.storage.migrate.upgrade`)."""
