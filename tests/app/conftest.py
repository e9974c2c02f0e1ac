from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every AppTest runs the whole app, for seconds: they are all slow."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each AppTest gets its own throwaway workspace database."""
    monkeypatch.setenv("ODI_DATABASE_URL", f"sqlite:///{tmp_path / 'workspace.db'}")
    monkeypatch.chdir(ROOT)
