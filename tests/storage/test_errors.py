"""Bad things give one clear line, never a traceback: unreachable or damaged databases, uploads."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from sqlalchemy import Engine, text

from odi.storage import StorageError, Workspace, database_url, open_workspace

if TYPE_CHECKING:
    from tests.storage.conftest import PgServer


def _one_line(err: pytest.ExceptionInfo[StorageError]) -> str:
    message = str(err.value)
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def test_unreachable_postgres_server() -> None:
    with pytest.raises(StorageError) as info:
        open_workspace("postgresql://odi:secret@127.0.0.1:1/odi")
    message = _one_line(info)
    assert message.startswith("cannot reach the workspace database at postgresql://odi:***@")
    assert "secret" not in message
    assert message.endswith("check ODI_DATABASE_URL and that the server is running")


def test_database_that_goes_away_under_a_running_app(db_url: str, raw: Engine) -> None:
    """The next call explains what happened in one line: no traceback reaches the user."""
    ws = open_workspace(db_url)
    try:
        ws.create_study("x")
        if raw.dialect.name == "sqlite":
            ws.close()  # the app keeps the Workspace object; its next call reconnects
            path = Path(raw.url.database or "")
            for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            path.write_bytes(b"garbage" * 1000)
            expected = "is not a valid SQLite database"
        else:
            schema = parse_qs(urlsplit(db_url).query)["options"][0].split("=")[1]
            with raw.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            expected = 'relation "studies" does not exist'
        with pytest.raises(StorageError) as info:
            ws.list_studies()
        assert expected in _one_line(info)
    finally:
        ws.close()


@pytest.mark.postgres
def test_postgres_connections_cut_by_the_server_are_replaced(pg_server: PgServer) -> None:
    schema, url = pg_server.create_schema()
    try:
        with open_workspace(url) as ws:
            study = ws.create_study("survives")
            with psycopg.connect(
                host="127.0.0.1",
                port=pg_server.port,
                user="odi",
                dbname="postgres",
                autocommit=True,
            ) as admin:
                cut = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = 'odi_tests' AND pid <> pg_backend_pid()"
                ).fetchone()
            assert cut is not None
            assert cut[0] >= 1
            assert ws.list_studies() == [study]
    finally:
        pg_server.drop_schema(schema)


@pytest.mark.postgres
def test_missing_postgres_database(pg_server: PgServer) -> None:
    with pytest.raises(StorageError) as info:
        open_workspace(pg_server.url("no_such_database"))
    message = _one_line(info)
    assert message.startswith("cannot reach the workspace database at postgresql://odi@127.0.0.1")
    assert 'database "no_such_database" does not exist' in message


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a database\n" * 50, b"\x00" * 4096, bytes(range(256)) * 64],
    ids=["text", "zeros", "binary"],
)
def test_file_that_is_not_a_database(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "workspace.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StorageError) as info:
        open_workspace(str(path))
    message = _one_line(info)
    assert message.startswith(f"the workspace file {path} is not a valid SQLite database")
    assert message.endswith("restore it from a backup or set ODI_DATABASE_URL to another file")
    assert path.read_bytes() == content  # we never write over a file we do not understand


def _read_everything(url: str) -> None:
    with open_workspace(url) as ws:
        for study in ws.list_studies():
            for persona in ws.list_personas(study.id):
                ws.persona_history(persona.id)


def test_damaged_database_file(tmp_path: Path) -> None:
    """A real workspace whose pages are overwritten: a damaged-file message, not a traceback."""
    path = tmp_path / "workspace.sqlite3"
    with open_workspace(str(path)) as ws:
        study = ws.create_study("x")
        for i in range(50):
            ws.create_persona(study.id, {"name": f"p{i}", "text": "y" * 2000})
    data = bytearray(path.read_bytes())
    assert len(data) > 20 * 4096
    for page in range(1, len(data) // 4096):
        start = page * 4096
        data[start : start + 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError) as info:
        _read_everything(str(path))
    message = _one_line(info)
    assert str(path) in message
    assert "damaged" in message or "not a valid SQLite database" in message


def test_folder_instead_of_a_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"cannot open the workspace file .*writable folder"):
        open_workspace(f"sqlite:///{tmp_path}")


def test_unwritable_place_for_the_database(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match=r"cannot create the folder .*a-file/sub"):
        open_workspace(str(blocker / "sub" / "workspace.sqlite3"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", r"mysql://u@h/db is not supported; use a sqlite:///PATH"),
        ("oracle://x", r"is not supported"),
        ("://nothing", r"ODI_DATABASE_URL is not a database URL: '://nothing'"),
    ],
    ids=["mysql", "oracle", "garbage"],
)
def test_unsupported_database_urls(url: str, message: str) -> None:
    with pytest.raises(StorageError, match=message):
        open_workspace(url)


def test_database_url_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("ODI_DATABASE_URL", f"sqlite:///{target}")
    with open_workspace() as ws:
        ws.create_study("env")
    assert target.exists()
    monkeypatch.setenv("ODI_DATABASE_URL", "postgres://u:p@db.example.com/odi")
    assert database_url().render_as_string(False) == "postgresql+psycopg://u:p@db.example.com/odi"


def test_default_database_is_a_file_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with open_workspace() as ws:
        assert ws.backend == "sqlite"
        ws.create_study("default")
    path = tmp_path / "data" / "odi-workbench" / "workspace.sqlite3"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("SELECT name FROM studies").fetchall() == [("default",)]


def test_sqlite_connections_use_wal_and_foreign_keys(ws: Workspace) -> None:
    if ws.backend != "sqlite":
        assert ws.backend == "postgresql"
        return
    engine = ws._engine
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


# ----------------------------------------------------------------- upload size limit


def test_upload_above_the_limit_is_refused(db_url: str) -> None:
    with open_workspace(db_url, max_upload_mb=1) as ws:
        study = ws.create_study("limits")
        assert ws.max_upload_bytes == 2**20
        ok = ws.add_file(study.id, "fits.csv", b"x" * 2**20)
        assert ok.size == 2**20
        with pytest.raises(StorageError) as info:
            ws.add_file(study.id, "huge.csv", b"x" * (2**20 + 1))
        assert _one_line(info) == (
            "huge.csv is 1.0 MB, above the upload limit of 1.0 MB; "
            "set ODI_MAX_UPLOAD_MB to allow larger files"
        )
        assert [f.name for f in ws.list_files(study.id)] == ["fits.csv"]


def test_upload_limit_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    monkeypatch.setenv("ODI_MAX_UPLOAD_MB", "0.5")
    with open_workspace(url) as ws:
        study = ws.create_study("limits")
        with pytest.raises(
            StorageError, match=r"big\.xlsx is 0\.6 MB, above the upload limit of 0\.5 MB"
        ):
            ws.add_file(study.id, "big.xlsx", b"x" * 600_000)
    monkeypatch.delenv("ODI_MAX_UPLOAD_MB")
    with open_workspace(url) as ws:
        assert ws.max_upload_bytes == 200 * 2**20


@pytest.mark.parametrize("value", ["lots", "-5", "0", "inf", "nan"])
def test_bad_upload_limit_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("ODI_MAX_UPLOAD_MB", value)
    with pytest.raises(StorageError, match=r"ODI_MAX_UPLOAD_MB must be a number of megabytes"):
        open_workspace(f"sqlite:///{tmp_path / 'w.sqlite3'}")
