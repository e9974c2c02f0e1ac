"""Shared fixtures of the importer tests: the module-level builders live in builders.py."""

from __future__ import annotations

import pytest

from odi.importers import pipeline


@pytest.fixture(autouse=True)
def _fresh_parse_cache():
    """Each test parses its own bytes; the content cache must not leak between tests."""
    pipeline._CACHE.clear()
    yield
    pipeline._CACHE.clear()
