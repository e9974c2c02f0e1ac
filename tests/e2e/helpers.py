"""Helpers for driving the Streamlit app in a browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def wait_for_app(page: Page, timeout: float = 30_000) -> None:
    """Wait until the script has finished running after an interaction."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout
    )
    expect(page.get_by_test_id("stSpinner")).to_have_count(0, timeout=timeout)
