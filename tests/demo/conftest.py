"""Fixtures for the demo-study tests: the generator module, the committed files, the truth."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from odi.importers.load import load_survey
from odi.survey import Survey

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    """surveys/generate_demo.py, imported from its path (surveys/ is not a package)."""
    spec = importlib.util.spec_from_file_location("generate_demo", SURVEYS / "generate_demo.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_demo"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    return json.loads((SURVEYS / "pipeline_demo_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def survey() -> Survey:
    data = (SURVEYS / "pipeline_demo.csv").read_bytes()
    return load_survey(data, source="pipeline_demo.csv")
