"""AppTest: thresholds in any order keep every page working; studies can be renamed,
duplicated and deleted (after a confirmation); the same bytes uploaded twice make one study."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from odi.storage import open_workspace
from tests.app.conftest import APP
from tests.app.test_pages import PAGES, WIDE


def _names() -> list[str]:
    with open_workspace(os.environ["ODI_DATABASE_URL"]) as ws:
        return [s.name for s in ws.list_studies()]


@pytest.mark.parametrize(
    ("solid", "high", "extreme", "ok"),
    [
        (10.0, 12.0, 15.0, True),
        (12.0, 12.0, 12.0, True),
        (13.0, 12.0, 15.0, False),
        (10.0, 16.0, 15.0, False),
        (16.0, 12.0, 11.0, False),
    ],
    ids=["defaults", "all-equal", "solid-above-high", "high-above-extreme", "reversed"],
)
@pytest.mark.parametrize("page", PAGES[1:4], ids=lambda p: p.split("/")[-1].removesuffix(".py"))
def test_threshold_orders_keep_every_page_working(page, solid, high, extreme, ok):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    at.number_input(key="t_solid").set_value(solid)
    at.number_input(key="t_high").set_value(high)
    at.number_input(key="t_extreme").set_value(extreme).run()
    assert not at.exception, at.exception
    assert at.title, "the page still draws"
    warnings = [w.value for w in at.warning if "thresholds must rise" in w.value.lower()]
    assert len(warnings) == (0 if ok else 1), "one clear message exactly when out of order"
    assert any(t.proto.body for t in at.title)


def test_thresholds_out_of_order_in_a_shared_link():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t_solid"] = "13"
    at.query_params["t_high"] = "12"
    at.run()
    at.switch_page("app_pages/landscape.py").run()
    assert not at.exception, at.exception
    assert any("thresholds must rise" in w.value.lower() for w in at.warning)


def test_captions_follow_the_thresholds():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/landscape.py").run()
    at.number_input(key="t_solid").set_value(9.0).run()
    text = " ".join(c.value for c in [*at.caption, *at.markdown])
    assert "9" in text
    assert "≥ 10" not in text


def test_rename_duplicate_and_delete_a_study_with_confirmation():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/study.py").run()
    at.file_uploader(key="survey_file").upload("mine.csv", WIDE, "text/csv").run()
    mine = at.session_state["study"]
    at.text_input(key=f"rename_{mine}").set_value("Q3 pipeline").run()
    assert not at.exception, at.exception
    assert "Q3 pipeline" in _names()
    assert "mine.csv" not in _names()

    at.button(key="duplicate_study").click().run()
    assert "Q3 pipeline (copy)" in _names()
    copy = at.session_state["study"]
    assert copy != mine, "the copy is opened"

    before = _names()
    at.button(key="delete_study").click().run()
    assert _names() == before, "nothing is deleted before the confirmation"
    assert any("cannot be undone" in w.value for w in at.warning)
    at.button(key="cancel_delete_study").click().run()
    assert _names() == before
    at.button(key="delete_study").click().run()
    at.button(key="confirm_delete_study").click().run()
    assert not at.exception, at.exception
    assert "Q3 pipeline (copy)" not in _names()
    assert "Q3 pipeline" in _names()
    assert at.session_state["study"] != copy


def test_uploading_the_same_bytes_again_offers_the_existing_study():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/study.py").run()
    at.file_uploader(key="survey_file").upload("mine.csv", WIDE, "text/csv").run()
    first = at.session_state["study"]
    n = len(_names())
    fresh = AppTest.from_file(APP, default_timeout=60).run()
    fresh.switch_page("app_pages/study.py").run()
    fresh.file_uploader(key="survey_file").upload("again.csv", WIDE, "text/csv").run()
    assert len(_names()) == n, "no second study for the same bytes"
    assert any("already in the workspace" in i.value for i in fresh.info)
    fresh.button(key="open_existing").click().run()
    assert fresh.session_state["study"] == first


def test_a_failed_upload_is_kept_only_when_asked():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/study.py").run()
    n = len(_names())
    bad = b"id,imp_a,sat_a\n1,5,4\n2,9,1\n3,1,2\n"
    at.file_uploader(key="survey_file").upload("offscale.csv", bad, "text/csv").run()
    assert not at.exception
    assert at.error
    assert "--" not in at.error[0].value, "the app names controls, not CLI flags"
    assert len(_names()) == n
    at.button(key="keep_failed_upload").click().run()
    assert len(_names()) == n + 1
    assert at.session_state["study_tab"] == "Scale and labels", "opens on the tab that fixes it"
    at.button(key="apply_fix").click().run()
    assert not at.exception, at.exception
    assert at.session_state["study_tab"] == "Scale and labels", "stays on the tab after the fix"
