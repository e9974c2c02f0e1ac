"""Browser: find needs-based segments, save them, make a persona from the data-starved
cluster, and find that cluster's distinctive needs in the persona's unmet-needs CSV."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from playwright.sync_api import Page, expect

from odi.analysis.segmentation import segment
from odi.importers import import_survey
from tests.e2e.helpers import wait_for_app

ROOT = Path(__file__).resolve().parents[2]
# Another rendition of the demo than the one other browser tests make personas in, so the
# tests share no study state whatever order they run in.
STUDY = "pipeline_demo_surveymonkey.csv"


def choose(page: Page, key: str, option: str) -> None:
    page.locator(f".st-key-{key}").get_by_role("combobox").click()
    # Type to filter: the drop-down list is virtualised, so with many studies the option
    # may not be rendered until the list is narrowed.
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def click(page: Page, key: str) -> None:
    page.locator(f".st-key-{key} button[data-testid^='stBaseButton']").first.click()
    wait_for_app(page, timeout=120_000)


def expected_cluster() -> tuple[str, str, set[str]]:
    """The data-starved cluster at k = 5, computed here the way the page does."""
    data = (ROOT / "surveys" / STUDY).read_bytes()
    survey = import_survey(data, source=STUDY).survey
    planted = set(
        json.loads((ROOT / "surveys" / "pipeline_demo_truth.json").read_text())["planted"][
            "needs_segment"
        ]["outcomes"]
    )
    run = segment(survey, k=5, resamples=4, bootstrap=0)
    profile = max(run.profiles, key=lambda p: len(planted & set(p.distinctive_needs)))
    return profile.label, profile.name, set(profile.distinctive_needs)


def test_a_cluster_becomes_a_persona_whose_csv_lists_its_distinctive_needs(
    page: Page, app_url: str, artifacts: Path
) -> None:
    label, name, distinctive = expected_cluster()
    assert len(distinctive) >= 5
    page.goto(f"{app_url}/segmentation")
    wait_for_app(page)
    choose(page, "study", STUDY)
    expect(page.get_by_role("heading", name="Segmentation", exact=True)).to_be_visible()
    resamples = page.locator(".st-key-segm_resamples input")
    resamples.fill("4")
    resamples.press("Enter")
    wait_for_app(page)
    choose(page, "segm_k", "5")
    click(page, "segm_go")
    expect(page.get_by_role("tab")).to_have_count(5, timeout=120_000)
    click(page, "segm_save")
    expect(page.get_by_text("Saved as segmentation")).to_be_visible()

    page.get_by_role("tab", name=f"{label} {name}").click()
    click(page, f"segm_persona_{label}")
    expect(page.get_by_text("Draft persona")).to_be_visible()
    page.screenshot(path=str(artifacts / "segmentation.png"), full_page=True)

    page.get_by_role("link", name="Open Personas").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="Export").click()
    wait_for_app(page)
    with page.expect_download() as download:
        page.locator(".st-key-dl_unmet-csv button[data-testid^='stBaseButton']").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert distinctive <= set(table["outcome_id"]), (distinctive, set(table["outcome_id"]))
    assert name in text
