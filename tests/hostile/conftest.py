"""Hostile-input tests reuse the importer's fresh-cache fixture."""

from tests.importers.conftest import _fresh_parse_cache

__all__ = ["_fresh_parse_cache"]
