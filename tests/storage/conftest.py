"""Fixtures for the storage tests: a workspace on SQLite and on a real, throwaway PostgreSQL.

The PostgreSQL server is started once per test session on a free loopback port, in a temporary
data directory (unix socket there too), and stopped and removed afterwards. As root it runs as
the ``postgres`` system user (or ``nobody``), since PostgreSQL refuses to run as root. Where no
server can be started, the PostgreSQL tests are skipped with the reason; under ``CI=true`` they
fail instead.
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, create_engine

from odi.storage import Workspace, database_url, open_workspace

PG_USER = "odi"
TEST_DATABASE = "odi_tests"


class PgUnavailable(Exception):
    """No PostgreSQL server could be started here; the message says why."""


@dataclass(frozen=True, slots=True)
class PgServer:
    """A running throwaway PostgreSQL server."""

    port: int
    root: Path

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=PG_USER, dbname=database, autocommit=True
        )

    def create_schema(self) -> tuple[str, str]:
        """A fresh, empty schema in the test database; returns (name, URL that uses it).

        A schema per test is much faster than a database per test (CREATE DATABASE copies
        files and checkpoints); the URL sets ``search_path`` so the workspace sees only it.
        """
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self._admin(TEST_DATABASE) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return name, f"{self.url(TEST_DATABASE)}?options=-csearch_path%3D{name}"

    def drop_schema(self, name: str) -> None:
        with self._admin(TEST_DATABASE) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)


def _pg_bindir() -> Path | None:
    """Where initdb and pg_ctl live: $ODI_PG_BINDIR if set, else PATH,
    /usr/lib/postgresql/*/bin (newest first), /usr/local/bin."""
    chosen = os.environ.get("ODI_PG_BINDIR")
    if chosen:
        d = Path(chosen)
        return d if (d / "initdb").is_file() and (d / "pg_ctl").is_file() else None
    candidates: list[Path] = []
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    candidates.append(Path("/usr/local/bin"))
    for d in candidates:
        if (d / "initdb").is_file() and (d / "pg_ctl").is_file():
            return d
    return None


def _unprivileged_user() -> pwd.struct_passwd:
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PgUnavailable("running as root and there is no 'postgres' or 'nobody' user to run as")


def _command(args: list[str], user: pwd.struct_passwd | None) -> list[str]:
    if user is None:
        return args
    if shutil.which("runuser"):
        return ["runuser", "-u", user.pw_name, "--", *args]
    return ["su", "-s", "/bin/sh", user.pw_name, "-c", shlex.join(args)]


def _run(args: list[str], user: pwd.struct_passwd | None, cwd: Path, what: str) -> None:
    try:
        done = subprocess.run(
            _command(args, user), cwd=cwd, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise PgUnavailable(f"{what} could not run: {err}") from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["no output"]
        raise PgUnavailable(f"{what} failed (exit {done.returncode}): {lines[-1]}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start_server(root: Path) -> tuple[PgServer, Path, pwd.struct_passwd | None]:
    bindir = _pg_bindir()
    if bindir is None:
        raise PgUnavailable(
            "initdb/pg_ctl not found ($ODI_PG_BINDIR, PATH, /usr/lib/postgresql/*/bin, "
            "/usr/local/bin); "
            "run scripts/ensure-postgres.sh as root or install postgresql"
        )
    user = _unprivileged_user() if os.geteuid() == 0 else None
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    data = root / "data"
    _run(
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            PG_USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        user,
        root,
        "initdb",
    )
    last: PgUnavailable | None = None
    for _attempt in range(3):
        port = _free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {shlex.quote(str(root))} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        try:
            _run(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(root / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "30",
                    "start",
                ],
                user,
                root,
                "pg_ctl start",
            )
        except PgUnavailable as err:  # most likely the port was taken meanwhile
            last = err
            continue
        server = PgServer(port=port, root=root)
        try:
            with server._admin() as conn:
                conn.execute(f'CREATE DATABASE "{TEST_DATABASE}"')
        except psycopg.Error as err:
            raise PgUnavailable(f"the test database could not be created: {err}") from None
        return server, bindir, user
    assert last is not None
    log = root / "server.log"
    tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
    raise PgUnavailable(f"{last}; server log: {tail[0] if tail else 'empty'}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for this test session (skipped, or failed under CI, if impossible)."""
    root = Path(tempfile.mkdtemp(prefix="odi-pg-"))
    started: tuple[PgServer, Path, pwd.struct_passwd | None] | None = None
    try:
        try:
            started = _start_server(root)
        except PgUnavailable as err:
            reason = f"no PostgreSQL server for the storage tests: {err}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
            pytest.skip(reason)
        server, bindir, user = started
        yield server
    finally:
        if started is not None:
            server, bindir, user = started
            subprocess.run(
                _command(
                    [
                        str(bindir / "pg_ctl"),
                        "-D",
                        str(root / "data"),
                        "-m",
                        "immediate",
                        "-w",
                        "stop",
                    ],
                    user,
                ),
                cwd=root,
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's own settings must not leak into the tests."""
    monkeypatch.delenv("ODI_DATABASE_URL", raising=False)
    monkeypatch.delenv("ODI_MAX_UPLOAD_MB", raising=False)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    schema, url = server.create_schema()
    try:
        yield url
    finally:
        server.drop_schema(schema)


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    """A workspace on an empty database of each backend."""
    workspace = open_workspace(db_url)
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def raw(db_url: str) -> Iterator[Engine]:
    """A plain engine on the same database, to look at or damage tables behind the workspace."""
    engine = create_engine(database_url(db_url))
    try:
        yield engine
    finally:
        engine.dispose()
