"""User text is text: a Markdown image and link in a study name, an outcome statement and a
persona name make the browser fetch nothing and create no image or link element.

Every hostile URL points at a path containing ``leak`` on a port nobody listens on, so a
request shows up in Playwright's request log whether or not it could succeed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from odi.personas import Persona
from odi.storage import open_workspace
from tests.e2e.conftest import serve_app
from tests.e2e.helpers import wait_for_app


def _payload(where: str) -> str:
    return (
        f"![{where}](http://127.0.0.1:9/leak-{where}.png) "
        f"[click {where}](http://127.0.0.1:9/leak-{where}-link) "
        f"<img src=http://127.0.0.1:9/leak-{where}-html.png> www.leak-{where}.example"
    )


STUDY = "Q3 " + _payload("study")
OUTCOME = "Minimize the time to report " + _payload("outcome")
PERSONA = "The VP " + _payload("persona")


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The app over a workspace holding the hostile study, outcome and persona."""
    data_dir: Path = tmp_path_factory.mktemp("hostile")
    header = f"id,role,imp_{OUTCOME},sat_{OUTCOME},imp_b,sat_b"
    rows = [
        f"{i},{'VP' if i % 2 else 'AE'},5,{1 + i % 2},{3 + i % 3},{1 + i % 5}" for i in range(40)
    ]
    data = ("\n".join([header, *rows]) + "\n").encode()
    with open_workspace(f"sqlite:///{data_dir / 'workspace.db'}") as ws:
        study = ws.create_study_with_file(STUDY, "hostile.csv", data)
        persona = Persona(id="vp", name=PERSONA, segment={"role": ("VP",)}, pins=("O01",))
        ws.create_persona(study.id, persona.to_dict())
    with serve_app(data_dir, ODI_SURVEYS_DIR=str(data_dir / "no-demos")) as url:
        yield url, study.id


def _visit(page: Page, url: str, requests: list[str]) -> None:
    page.goto(url)
    wait_for_app(page, timeout=60_000)
    page.wait_for_timeout(1_500)  # let images and fonts that would load, load


def _no_leak(page: Page, requests: list[str]) -> None:
    assert not [r for r in requests if "leak" in r], requests
    for where in ("study", "outcome", "persona"):
        assert page.locator(f"img[src*='leak-{where}']").count() == 0
        links = page.locator(f"a[href*='leak-{where}']:not([href^='#'])")  # not heading anchors
        assert links.count() == 0, links.first.evaluate(
            "e => e.outerHTML + ' in ' + e.closest('[data-testid]').outerHTML.slice(0, 600)"
        )


def test_markdown_in_user_text_fetches_nothing_and_makes_no_element(
    page: Page, hostile_app: tuple[str, int]
) -> None:
    url, study_id = hostile_app
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    _visit(page, f"{url}/study?study={study_id}", requests)
    # The study name is shown as typed: in the import status and the archive button.
    expect(page.get_by_text("Q3 ![study]").first).to_be_attached()
    _no_leak(page, requests)

    _visit(page, f"{url}/personas?study={study_id}", requests)
    expect(page.get_by_text("The VP ![persona]").first).to_be_attached()
    # The card tab shows the pinned hostile outcome and the persona's name as Markdown.
    page.get_by_role("tab", name="Card").click()
    wait_for_app(page)
    expect(page.get_by_text("leak-outcome.png").first).to_be_attached()
    page.wait_for_timeout(1_000)
    _no_leak(page, requests)

    _visit(page, f"{url}/outcomes?study={study_id}", requests)
    _no_leak(page, requests)
    assert any(f"{url}/" in r for r in requests), "the request log works"
