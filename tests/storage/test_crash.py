"""A process killed by SIGKILL in the middle of a write leaves the old or the new state, no mix.

A child process (``killed_writer.py``) starts a big write transaction (importing a study with an
4 MB file and 120 persona versions, or saving a 2 MB persona), signals through a file from inside
the transaction, and is killed by the parent. The database must then open and hold exactly the
state before the write (killed before COMMIT) or exactly the state after it (killed after).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from odi.storage import Workspace, open_workspace

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("killed_writer.py")

pytestmark = pytest.mark.slow  # each test starts and kills a writer process


def _state(ws: Workspace) -> list[object]:
    """Everything in the workspace, ids included."""
    out: list[object] = []
    for s in ws.list_studies():
        out.append(
            (
                s,
                ws.get_mapping(s.id),
                ws.get_settings(s.id),
                [(f, ws.get_file_bytes(f.id)) for f in ws.list_files(s.id)],
                [(p, ws.persona_history(p.id)) for p in ws.list_personas(s.id)],
            )
        )
    return out


def _content_without_ids(ws: Workspace, study_id: int) -> list[object]:
    return [
        [(f.name, f.sha256, ws.get_file_bytes(f.id)) for f in ws.list_files(study_id)],
        [
            (p.name, p.version, p.data, [(v.version, v.data) for v in ws.persona_history(p.id)])
            for p in ws.list_personas(study_id)
        ],
        ws.get_mapping(study_id),
    ]


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[object]]:
    """A study archive whose import is one big transaction, and its expected content."""
    folder = tmp_path_factory.mktemp("big")
    with open_workspace(f"sqlite:///{folder / 'source.sqlite3'}") as src:
        study = src.create_study("Big study")
        # 4 MB is above SQLite's 2 MB page cache, so pages spill to the WAL before COMMIT
        src.add_file(study.id, "big.bin", os.urandom(4 * 2**20))
        src.add_file(study.id, "survey.csv", b"id,imp_a,sat_a\n1,5,2\n" * 1000)
        src.set_mapping(study.id, {"columns": {"imp_a": "o1"}})
        for i in range(30):
            p = src.create_persona(study.id, {"name": f"Persona {i}", "pins": []})
            for v in range(1, 4):
                p = src.save_persona(
                    study.id, p.id, {"name": f"Persona {i}", "pins": [f"o{v}"]}, expected_version=v
                )
        path = folder / "big.zip"
        path.write_bytes(src.export_study(study.id))
        return path, _content_without_ids(src, study.id)


def _run_and_kill(url: str, action: str, phase: str, tmp_path: Path, archive: Path) -> None:
    ready = tmp_path / "ready"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), url, action, phase, str(ready), str(archive)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            if proc.poll() is not None:
                _, err = proc.communicate()
                pytest.fail(
                    f"the writer exited ({proc.returncode}) before the kill: {err[-800:]!r}"
                )
            if time.monotonic() > deadline:
                pytest.fail("the writer never reached the middle of its write")
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.communicate()


def _check(
    db_url: str,
    raw: Engine,
    tmp_path: Path,
    archive: Path,
    action: str,
    phase: str,
    expect: str,
    imported_content: list[object],
) -> None:
    with open_workspace(db_url) as ws:
        study = ws.create_study("Existing")
        ws.add_file(study.id, "s.csv", b"a,b\n1,2\n")
        ws.create_persona(study.id, {"name": "Kept", "pins": ["o1"]})
        before = _state(ws)

    _run_and_kill(db_url, action, phase, tmp_path, archive)

    if raw.dialect.name == "sqlite":
        # the killed writer really had megabytes on disk: its pages are in the write-ahead log
        wal = Path(f"{raw.url.database}-wal")
        assert wal.stat().st_size > 2**20
        with raw.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    with open_workspace(db_url) as ws:
        after = _state(ws)
        if expect == "old":
            assert after == before
        else:
            assert after[: len(before)] == before
            studies = ws.list_studies()
            assert [s.name for s in studies] == ["Existing", "Big study"]
            assert _content_without_ids(ws, studies[1].id) == imported_content
        # and the database still takes writes
        persona = ws.list_personas(study.id)[0]
        saved = ws.save_persona(
            study.id, persona.id, {"name": "Kept", "pins": []}, expected_version=persona.version
        )
        assert saved.version == persona.version + 1


def test_killed_import_leaves_the_old_state(
    db_url: str, raw: Engine, tmp_path: Path, big_archive: tuple[Path, list[object]]
) -> None:
    """Killed with everything written but not committed, on each backend."""
    archive, content = big_archive
    _check(db_url, raw, tmp_path, archive, "import", "uncommitted", "old", content)


@pytest.mark.parametrize(
    ("action", "phase", "expect"),
    [
        ("import", "partial", "old"),
        ("import", "committed", "new"),
        ("save", "uncommitted", "old"),
    ],
    ids=[
        "import-killed-after-some-rows",
        "import-killed-after-commit",
        "save-killed-before-commit",
    ],
)
def test_killed_sqlite_writer_leaves_old_or_new_state(
    tmp_path: Path,
    big_archive: tuple[Path, list[object]],
    action: str,
    phase: str,
    expect: str,
) -> None:
    """More kill points on SQLite, whose own file is what a crash could damage."""
    url = f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
    engine = create_engine(url)
    try:
        archive, content = big_archive
        _check(url, engine, tmp_path, archive, action, phase, expect, content)
    finally:
        engine.dispose()
