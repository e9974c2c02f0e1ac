"""Browser: box-select outcomes, add them to a persona, download its unmet-needs CSV, then
delete the persona after a confirmation and undo it."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from playwright.sync_api import Page, expect

from tests.e2e.helpers import wait_for_app

VP_PLANTED = {"O18", "O26", "O30", "O37", "O38"}


def choose(page: Page, key: str, option: str) -> None:
    page.locator(f".st-key-{key}").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_selected_outcomes_flow_into_a_persona_and_its_csv(
    page: Page, app_url: str, artifacts: Path
) -> None:
    page.goto(f"{app_url}/personas")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Personas", exact=True)).to_be_visible()
    new = page.get_by_text("New persona")
    if not page.locator(".st-key-new_persona_name").is_visible():
        new.click()
    page.locator(".st-key-new_persona_name input").fill("The Pipeline-Accountable VP")
    page.locator(".st-key-new_persona_name input").press("Enter")
    wait_for_app(page)
    choose(page, "new_persona_attr", "role")
    choose(page, "new_persona_values", "VP Marketing")
    page.keyboard.press("Escape")
    page.locator(".st-key-create_persona button[data-testid^='stBaseButton']").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="The Pipeline-Accountable VP")).to_be_visible()

    # Box-select the low-satisfaction, high-importance corner of the landscape.
    page.get_by_role("link", name="Landscape").click()
    wait_for_app(page)
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.locator(".main-svg").first.wait_for()
    plot = chart.locator(".nsewdrag").first.bounding_box()
    assert plot is not None
    page.mouse.move(plot["x"] + 0.45 * plot["width"], plot["y"] + 0.35 * plot["height"])
    page.mouse.down()
    page.mouse.move(plot["x"] + 0.99 * plot["width"], plot["y"] + 0.99 * plot["height"], steps=12)
    page.mouse.up()
    wait_for_app(page)
    heading = page.get_by_text("Selected outcomes (")
    expect(heading).not_to_have_text("Selected outcomes (0)", timeout=30_000)
    n_selected = int(heading.inner_text().split("(")[1].rstrip(")"))

    page.get_by_role("link", name="Personas").click()
    wait_for_app(page)
    add = page.locator(".st-key-add_selected button[data-testid^='stBaseButton']").first
    expect(add).to_contain_text(f"({n_selected})")
    add.click()
    wait_for_app(page)
    pinned = page.get_by_test_id("stMetric").filter(has_text="Pinned")
    expect(pinned.get_by_test_id("stMetricValue")).to_have_text(str(n_selected))
    page.screenshot(path=str(artifacts / "persona.png"), full_page=True)

    expect(page.locator(".st-key-new_persona_name input")).to_have_value("")  # form cleared
    page.get_by_role("tab", name="Export").click()
    wait_for_app(page)
    with page.expect_download() as download:
        page.locator(".st-key-dl_unmet-csv button[data-testid^='stBaseButton']").click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    table = pd.read_csv(io.StringIO(text), comment="#")
    listed = set(table["outcome_id"])
    assert listed >= VP_PLANTED
    assert "The Pipeline-Accountable VP" in text

    # Delete asks first; the undo brings the persona back.
    page.locator(".st-key-delete_persona button").click()
    wait_for_app(page)
    expect(page.get_by_text("and its", exact=False)).to_be_visible()
    page.locator(".st-key-delete_confirm button").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="The Pipeline-Accountable VP")).to_have_count(0)
    page.locator(".st-key-undo_delete button").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="The Pipeline-Accountable VP")).to_be_visible()
