"""Settings belong to their study: switching study never carries or saves another's settings.

The widgets are found by their labels, so the same test runs against older code (where the
bug lived: a "Top box from" set on one study was saved into the next study picked).
"""

from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest

from odi.importers import ImportOptions
from odi.storage import open_workspace
from tests.app.conftest import APP

FIVE_POINT = b"respondent_id,role,imp_a,sat_a,imp_b,sat_b,imp_c,sat_c\n" + b"".join(
    f"r{i},{'VP' if i % 2 else 'SDR'},{5 if i % 3 else 2},{1 if i % 2 else 4},"
    f"{4 if i % 2 else 1},{2},{3},{5}\n".encode()
    for i in range(40)
)


def _widget(elements, label: str):
    return next(w for w in elements if w.label == label)


def _options(study_id: str) -> ImportOptions:
    with open_workspace(os.environ["ODI_DATABASE_URL"]) as ws:
        raw = ws.get_settings(int(study_id)).get("import_options") or {}
    return ImportOptions.from_dict(raw)


def _top_box(at: AppTest):
    """The "Top box from" control: a choice of scale points ("auto" for automatic), or a
    number input in older versions of the page."""
    return _widget([*at.selectbox, *at.number_input], "Top box from")


def _set_top_box(at: AppTest, value: float | None) -> None:
    widget = _top_box(at)
    if widget.type == "number_input":
        widget.set_value(value).run()
    else:
        widget.set_value("auto" if value is None else f"{value:g}").run()


def _top_box_value(at: AppTest) -> float | None:
    value = _top_box(at).value
    return None if value in (None, "auto") else float(value)


def _screening(at: AppTest, field_label: str):
    return next(t for t in at.toggle if t.label.startswith(field_label))


def test_settings_stay_with_their_study_across_a_switch_and_a_fresh_session():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/study.py").run()
    demo = at.session_state["study"]
    at.file_uploader(key="survey_file").upload("five.csv", FIVE_POINT, "text/csv").run()
    assert not at.exception, at.exception
    mine = at.session_state["study"]
    assert mine != demo

    _set_top_box(at, 4.0)
    _widget(at.text_input, "N/A codes").set_value("9").run()
    default_rule = ImportOptions().screening.straightliners
    _screening(at, "Straight-liners").set_value(not default_rule).run()
    assert not at.exception, at.exception
    assert _options(mine).top_box == 4.0
    assert _options(mine).na_codes == (9.0,)
    assert _options(mine).screening.straightliners is (not default_rule)

    # Switching to the demo neither shows nor saves the other study's settings.
    at.selectbox(key="study").set_value(demo).run()
    at.run()
    assert not at.exception, at.exception
    assert _options(demo) == ImportOptions(), "the demo study's settings were changed"
    assert _top_box_value(at) is None
    assert _widget(at.text_input, "N/A codes").value == ""
    assert _screening(at, "Straight-liners").value is default_rule
    assert not at.error, [e.value for e in at.error]

    # Back on the first study, its own settings are shown.
    at.selectbox(key="study").set_value(mine).run()
    assert _top_box_value(at) == 4.0
    assert _widget(at.text_input, "N/A codes").value == "9"

    # Clearing "Top box from" returns it to automatic.
    _set_top_box(at, None)
    assert _options(mine).top_box is None

    # A fresh session on the demo sees the demo's own (default) settings.
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.session_state["study"] = demo
    fresh.run()
    fresh.switch_page("app_pages/study.py").run()
    assert not fresh.exception
    assert _top_box_value(fresh) is None
    assert _options(demo) == ImportOptions()
    assert _options(mine).na_codes == (9.0,)
