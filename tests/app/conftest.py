from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def _workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each AppTest gets its own throwaway workspace database."""
    monkeypatch.setenv("ODI_DATABASE_URL", f"sqlite:///{tmp_path / 'workspace.db'}")
    monkeypatch.chdir(ROOT)
