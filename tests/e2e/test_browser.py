"""What only a browser shows: the rendered landscape, uploads, and box selection."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.helpers import wait_for_app

ROOT = Path(__file__).resolve().parents[2]


def open_page(page: Page, app_url: str, path: str = "") -> None:
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)


def landscape_chart(page: Page):  # type: ignore[no-untyped-def]
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart).to_be_visible(timeout=30_000)
    chart.locator(".main-svg").first.wait_for(timeout=30_000)
    return chart


def test_demo_study_opens_on_the_landscape_with_zones(page: Page, app_url: str, artifacts: Path):
    open_page(page, app_url, "landscape")
    expect(page.get_by_role("heading", name="Opportunity landscape")).to_be_visible()
    chart = landscape_chart(page)
    # Zone lines and shading are drawn as shapes; the legend names the zones.
    expect(chart.locator("g.shapelayer path").first).to_be_attached()
    legend = chart.locator("g.legend")
    expect(legend).to_contain_text("Underserved")
    expect(legend).to_contain_text("Overserved")
    points = chart.locator("g.scatterlayer path.point")
    assert points.count() >= 40
    page.screenshot(path=str(artifacts / "landscape-demo.png"), full_page=True)


def test_box_select_shows_the_selected_outcomes(page: Page, app_url: str, artifacts: Path):
    open_page(page, app_url, "landscape")
    chart = landscape_chart(page)
    expect(page.get_by_text("Selected outcomes (0)")).to_be_visible()
    plot = chart.locator(".nsewdrag").first
    box = plot.bounding_box()
    assert box is not None
    # Drag over the right-hand half of the plot, where the important outcomes sit.
    page.mouse.move(box["x"] + 0.45 * box["width"], box["y"] + 0.02 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.99 * box["width"], box["y"] + 0.98 * box["height"], steps=12)
    page.mouse.up()
    wait_for_app(page)
    heading = page.get_by_text("Selected outcomes (")
    expect(heading).not_to_have_text("Selected outcomes (0)", timeout=30_000)
    table = page.get_by_test_id("stDataFrame")
    expect(table.first).to_be_visible()
    page.screenshot(path=str(artifacts / "landscape-selection.png"), full_page=True)


def test_outcomes_and_segments_pages_render(page: Page, app_url: str, artifacts: Path):
    open_page(page, app_url, "outcomes")
    expect(page.get_by_role("heading", name="Ranked outcomes")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=30_000)
    page.screenshot(path=str(artifacts / "outcomes.png"), full_page=True)
    open_page(page, app_url, "segments")
    expect(page.get_by_role("heading", name="Segments")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=30_000)
    page.screenshot(path=str(artifacts / "segments.png"), full_page=True)


def test_uploading_a_qualtrics_export_updates_the_landscape(
    page: Page, app_url: str, artifacts: Path
):
    from tests.importers.builders import csv_bytes, qualtrics_rows

    export = csv_bytes(qualtrics_rows())
    open_page(page, app_url, "study")
    # Upload only once the page has rendered its study: a file set while the first run is
    # still building the page can be dropped by the rerun that follows it.
    expect(page.get_by_text("Read as").first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        files=[{"name": "qualtrics_export.csv", "mimeType": "text/csv", "buffer": export}]
    )
    wait_for_app(page)
    expect(page.get_by_text("Qualtrics export").first).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Landscape").click()
    wait_for_app(page)
    chart = landscape_chart(page)
    # The 6 outcomes of the uploaded export, not the demo study's 40.
    expect(chart.locator("g.scatterlayer path.point")).to_have_count(6, timeout=30_000)
    page.screenshot(path=str(artifacts / "landscape-uploaded-qualtrics.png"), full_page=True)


def test_a_shared_link_reopens_the_same_segment(page: Page, app_url: str):
    open_page(page, app_url, "outcomes?seg_attrs=role&seg_v_role=VP+Marketing&t_solid=11")
    segment = page.get_by_test_id("stMetric").filter(has_text="Respondents in segment").first
    expect(segment.get_by_test_id("stMetricValue")).to_have_text("106", timeout=30_000)
    expect(page.get_by_text("role = VP Marketing").first).to_be_visible()
