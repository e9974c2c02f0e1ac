"""The study, its file and settings are resolved once per run: a plain rerun of a page makes a
few SQL statements, not one set per helper call (29 before the per-run context)."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from app_pages._shared import workspace
from tests.app.conftest import APP
from tests.app.test_pages import PAGES


@pytest.mark.parametrize("page", PAGES[:4], ids=lambda p: p.split("/")[-1].removesuffix(".py"))
def test_a_plain_rerun_makes_at_most_three_sql_statements(page):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    ws = workspace()
    assert ws is not None
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(ws._engine, "before_cursor_execute", count)
    try:
        at.run()
    finally:
        event.remove(ws._engine, "before_cursor_execute", count)
    assert not at.exception
    assert 1 <= len(statements) <= 3, statements
