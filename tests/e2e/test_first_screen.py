"""What a new user meets in the browser: the landscape first, readable labels, settings that
stay with their study, and a delete that asks first. Screenshots of the five pages go to
test-artifacts/ at 1280x720 and 1440x900."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.app.test_pages import WIDE
from tests.e2e.helpers import wait_for_app

PAGES = ["landscape", "study", "outcomes", "segments", "personas"]
OTHER = WIDE.replace(b"r1,", b"x1,")  # other bytes: another study


def _plot_ready(page: Page) -> None:
    page.locator("g.scatterlayer path.point").first.wait_for(timeout=60_000)


def _open(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1440, 900)], ids=["1280", "1440"])
def test_first_screen_is_the_landscape_with_its_plot_area_in_view(
    browser: Browser, app_url: str, artifacts: Path, width: int, height: int
):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    _open(page, app_url)
    expect(page.get_by_role("heading", name="Opportunity landscape")).to_be_visible(timeout=30_000)
    _plot_ready(page)
    plot = page.locator(".nsewdrag").first.bounding_box()
    assert plot is not None
    assert plot["y"] >= 0
    assert plot["y"] + plot["height"] <= height, f"plot area cut off at {width}x{height}: {plot}"
    assert plot["x"] + plot["width"] <= width
    for name in PAGES:
        _open(page, f"{app_url}/{name}")
        if name == "landscape":
            _plot_ready(page)
        page.wait_for_timeout(800)
        page.screenshot(path=str(artifacts / f"{name}-{width}x{height}.png"))
    context.close()


def _boxes(locator) -> list[dict[str, float]]:  # type: ignore[no-untyped-def]
    return [b for b in (locator.nth(i).bounding_box() for i in range(locator.count())) if b]


def _intersect(a: dict[str, float], b: dict[str, float], slack: float = 0.5) -> bool:
    return (
        a["x"] + slack < b["x"] + b["width"]
        and b["x"] + slack < a["x"] + a["width"]
        and a["y"] + slack < b["y"] + b["height"]
        and b["y"] + slack < a["y"] + a["height"]
    )


def test_labels_on_the_demo_landscape_do_not_overlap(page: Page, app_url: str):
    _open(page, f"{app_url}/landscape")
    _plot_ready(page)
    chart = page.get_by_test_id("stPlotlyChart").first
    notes = chart.locator("g.annotation").filter(has_text=re.compile(r"^\d+$"))
    labels = _boxes(notes.locator("rect.bg"))
    assert len(labels) >= 8, "the top outcomes are numbered"
    clashes = [
        (i, j) for i in range(len(labels)) for j in range(i) if _intersect(labels[i], labels[j])
    ]
    assert clashes == []
    markers = _boxes(chart.locator("g.scatterlayer path.point"))
    on_markers = [
        (i, j) for i, a in enumerate(labels) for j, m in enumerate(markers) if _intersect(a, m, 1.5)
    ]
    assert on_markers == []


def _upload(page: Page, name: str, data: bytes) -> None:
    """Upload a file and wait until its study is the one open."""
    # Only once the page is idle with its uploader rendered: a file set while a run is
    # still building the page can be dropped by the rerun that follows it.
    expect(page.get_by_test_id("stFileUploaderDropzoneInput").first).to_be_attached(timeout=60_000)
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    wait_for_app(page)
    study = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Study")
    expect(study).to_have_value(name, timeout=30_000)
    wait_for_app(page)


def _top_box(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stSelectbox").filter(has_text="Top box from")


def _top_box_value(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("combobox", name="Top box from")


def _scale_tab(page: Page) -> None:
    page.get_by_role("tab", name="Scale and labels").click()
    wait_for_app(page)


def _study_id(page: Page) -> str:
    expect(page).to_have_url(re.compile(r"[?&]study=\d+"), timeout=30_000)
    match = re.search(r"[?&]study=(\d+)", page.url)
    assert match, page.url
    return match.group(1)


def test_settings_stay_with_their_study_across_uploads_and_a_fresh_session(
    browser: Browser, app_url: str, artifacts: Path
):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    _open(page, f"{app_url}/study")
    _upload(page, "first.csv", WIDE)
    expect(page.get_by_text("Respondents kept")).to_be_visible(timeout=30_000)
    first = _study_id(page)
    _scale_tab(page)
    _top_box(page).click()
    page.get_by_role("option", name="4", exact=True).click()
    wait_for_app(page)
    expect(_top_box_value(page)).to_have_value("4")

    _upload(page, "second.csv", OTHER)
    expect(page.get_by_text("Respondents kept")).to_be_visible(timeout=30_000)
    second = _study_id(page)
    assert second != first
    _scale_tab(page)
    expect(_top_box_value(page)).to_have_value(re.compile("^Automatic"))
    page.screenshot(path=str(artifacts / "settings-second-study.png"))
    context.close()

    fresh = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = fresh.new_page()
    _open(page, f"{app_url}/study?study={first}")
    _scale_tab(page)
    expect(_top_box_value(page)).to_have_value("4")
    _open(page, f"{app_url}/study?study={second}")
    _scale_tab(page)
    expect(_top_box_value(page)).to_have_value(re.compile("^Automatic"))
    fresh.close()


def test_delete_asks_for_confirmation(page: Page, app_url: str, artifacts: Path):
    _open(page, f"{app_url}/study")
    _upload(page, "to-delete.csv", WIDE.replace(b"r2,", b"z2,"))
    expect(page.get_by_text("Respondents kept")).to_be_visible(timeout=30_000)
    page.get_by_text("Manage to-delete.csv").click()
    page.get_by_role("button", name="Delete…").click()
    wait_for_app(page)
    expect(page.get_by_text("cannot be undone")).to_be_visible()
    page.screenshot(path=str(artifacts / "delete-confirmation.png"))
    page.get_by_role("button", name="Delete for good").click()
    wait_for_app(page)
    selector = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first
    expect(selector).not_to_contain_text("to-delete.csv", timeout=30_000)
    selector.click()
    expect(page.get_by_role("option", name="to-delete.csv")).to_have_count(0)
