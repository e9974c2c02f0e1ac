"""Browser: paste outcome statements on the Design page, see the findings, download Qualtrics."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.design import returns
from tests.e2e.helpers import wait_for_app

GOOD = "Minimize the time it takes to find a qualified lead"
BAD = "Quickly find leads in the dashboard"


def test_lint_a_pasted_list_and_download_the_qualtrics_file(
    page: Page, app_url: str, artifacts: Path
) -> None:
    page.goto(f"{app_url}/design")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Design", exact=True)).to_be_visible()
    box = page.locator(".st-key-design_paste textarea")
    box.fill(f"{GOOD}\n{BAD}")
    box.press("Control+Enter")
    wait_for_app(page)
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Findings")).to_contain_text("3")
    expect(metrics.filter(has_text="Statements")).to_contain_text("2")
    page.screenshot(path=str(artifacts / "design_findings.png"), full_page=True)
    with page.expect_download() as download:
        page.locator(".st-key-dl_qualtrics-txt button[data-testid^='stBaseButton']").click()
    assert download.value.suggested_filename == "questionnaire.txt"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    form = returns.read_qualtrics_txt(text)
    assert [m["tag"] for m in form.matrices] == ["importance", "satisfaction"]
    assert form.matrices[0]["rows"] == [("1", GOOD), ("2", BAD)]
