"""The CLI tests reuse the persona fixtures and the importer's fresh-cache fixture."""

from tests.importers.conftest import _fresh_parse_cache
from tests.personas.conftest import (
    build,
    exported,
    icp,
    persona_factory,
    sdr,
    survey,
    to_long_csv,
    vp,
)

__all__ = [
    "_fresh_parse_cache",
    "build",
    "exported",
    "icp",
    "persona_factory",
    "sdr",
    "survey",
    "to_long_csv",
    "vp",
]
