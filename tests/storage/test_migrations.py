"""The schema comes from the Alembic migrations, and their head matches the models."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from odi.storage import StorageError, open_workspace
from odi.storage.engine import database_url, make_engine
from odi.storage.migrate import VERSION_TABLE, current_revision, downgrade, head_revision, upgrade
from odi.storage.models import Base

TABLES = {
    "studies",
    "study_files",
    "personas",
    "persona_versions",
    "programmes",
    "programme_waves",
    "segmentations",
}


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _schema_diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        return list(compare_metadata(ctx, Base.metadata))


def test_empty_database_is_migrated_to_head_at_open(db_url: str, raw: Engine) -> None:
    assert _tables(raw) == set()
    with open_workspace(db_url) as ws:
        assert ws.list_studies() == []
    assert _tables(raw) == TABLES | {VERSION_TABLE}
    assert current_revision(raw) == head_revision()


def test_migration_head_matches_the_models(db_url: str) -> None:
    engine = make_engine(database_url(db_url))
    try:
        upgrade(engine)
        assert _schema_diff(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_upgrade_again(db_url: str) -> None:
    engine = make_engine(database_url(db_url))
    try:
        upgrade(engine)
        with open_workspace(db_url) as ws:
            ws.create_study("before")
        downgrade(engine, "base")
        assert _tables(engine) == {VERSION_TABLE}
        assert current_revision(engine) is None
        upgrade(engine)
        assert _tables(engine) == TABLES | {VERSION_TABLE}
        assert _schema_diff(engine) == []
        with open_workspace(db_url) as ws:
            assert ws.list_studies() == []
    finally:
        engine.dispose()


def test_reopening_keeps_the_data(db_url: str) -> None:
    with open_workspace(db_url) as ws:
        study = ws.create_study("kept")
    with open_workspace(db_url) as ws:
        assert ws.list_studies() == [study]


def test_database_from_a_newer_workbench_is_refused(db_url: str, raw: Engine) -> None:
    with open_workspace(db_url):
        pass
    with raw.begin() as conn:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '9999_future'"))
    with pytest.raises(StorageError, match=r"revision 9999_future.*newer workbench") as info:
        open_workspace(db_url)
    assert "\n" not in str(info.value)


def test_two_app_instances_starting_together_migrate_once(db_url: str, raw: Engine) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def start() -> None:
        barrier.wait()
        try:
            open_workspace(db_url).close()
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert current_revision(raw) == head_revision()
