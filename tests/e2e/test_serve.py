"""`make serve` (serve.py): the workspace is ready before anyone connects; and under it and
under `make run` (plain `streamlit run`), the browser starts loading Plotly before the first
chart arrives (from the page's ``Link`` header, and from the first run)."""

from __future__ import annotations

import re
import sqlite3
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import serve_app
from tests.e2e.helpers import wait_for_app

DEMOS = {p.name for p in (Path(__file__).resolve().parents[2] / "surveys").glob("*.csv")}


def _study_names(db: Path) -> set[str]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            return {name for (name,) in con.execute("SELECT name FROM studies")}
    except sqlite3.Error:  # not created (or not migrated) yet
        return set()


@pytest.mark.parametrize(
    ("launcher", "seeded"), [(True, DEMOS), (False, set())], ids=["make-serve", "make-run"]
)
def test_only_make_serve_has_the_workspace_seeded_before_any_visitor(
    tmp_path: Path, launcher: bool, seeded: set[str]
):
    # serve.py answers its health check only once its lifespan has prepared the workspace;
    # plain streamlit run opens it on the first visit. No browser has connected here.
    with serve_app(tmp_path, launcher=launcher):
        assert _study_names(tmp_path / "workspace.db") == seeded


def test_every_page_asks_the_browser_to_preload_the_plotly_bundle(tmp_path: Path, page: Page):
    with serve_app(tmp_path, launcher=True) as url:
        for path in ("", "/landscape", "/study"):
            with urllib.request.urlopen(f"{url}{path}", timeout=30) as response:
                assert response.headers.get_content_type() == "text/html"
                links = response.headers["Link"] or ""
            pattern = r"</static/js/PlotlyChart\.[^/>]+\.js>; rel=modulepreload"
            assert re.search(pattern, links), links
        _plotly_requested_on_study_data(page, url)  # and the app works under it


def test_the_plotly_bundle_is_requested_on_a_page_without_charts(page: Page, app_url: str):
    _plotly_requested_on_study_data(page, app_url)


def _plotly_requested_on_study_data(page: Page, app_url: str) -> None:
    bundle = re.compile(r"/static/js/PlotlyChart\.[^/]+\.js$")
    with page.expect_request(bundle, timeout=60_000):
        page.goto(f"{app_url}/study")
    expect(page.get_by_role("heading", name="Study data")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)  # Study data draws no chart
    # The element that asks for it takes no room in the sidebar.
    assert page.locator(".st-key-chart_preload").bounding_box() is None
