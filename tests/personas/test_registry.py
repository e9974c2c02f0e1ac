"""The export registry: one entry per format, used by the CLI and the app alike."""

from __future__ import annotations

import argparse
import mimetypes
import subprocess
import sys

import pytest

from odi.cli.export import add_arguments
from odi.exports.registry import EXPORTS, export_format


@pytest.mark.parametrize("key", list(EXPORTS))
def test_each_format_names_a_real_writer_and_a_matching_type(key: str) -> None:
    fmt = EXPORTS[key]
    assert fmt.key == key
    assert callable(fmt.function())
    assert fmt.extension.startswith(".")
    known = mimetypes.guess_type(f"x{fmt.extension}")[0]
    assert known is None or known == fmt.mime or fmt.extension == ".md", (known, fmt.mime)
    assert fmt.file_name("vp").startswith("vp-")
    assert fmt.file_name("vp").endswith(fmt.extension)


def test_the_cli_offers_exactly_the_registry() -> None:
    export = argparse.ArgumentParser()
    add_arguments(export)
    choices = next(a.choices for a in export._actions if a.dest == "format")
    assert list(choices or []) == list(EXPORTS)


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="export format must be one of card-pdf"):
        export_format("gif")


def test_reading_the_registry_loads_no_writer_library() -> None:
    code = (
        "import sys, odi.exports.registry; "
        "print(sorted(m for m in ('matplotlib', 'fpdf', 'pptx', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
