"""AppTest: every page runs, uploads import, the segment filter changes the scores."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP

PAGES = [
    "app_pages/study.py",
    "app_pages/landscape.py",
    "app_pages/outcomes.py",
    "app_pages/segments.py",
    "app_pages/segmentation.py",
    "app_pages/personas.py",
    "app_pages/design.py",
    "app_pages/waves.py",
]

WIDE = b"respondent_id,role,imp_a,sat_a,imp_b,sat_b,imp_c,sat_c\n" + b"".join(
    f"r{i},{'VP' if i % 2 else 'SDR'},{5 if i % 3 else 2},{1 if i % 2 else 4},"
    f"{4 if i % 2 else 1},{2},{3},{5}\n".encode()
    for i in range(40)
)


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page_file", PAGES, ids=lambda p: p.split("/")[-1].removesuffix(".py"))
def test_every_page_runs_on_the_demo_study(page_file):
    at = start(page_file)
    assert not at.exception, at.exception
    assert at.title, "each page has a title"


@pytest.mark.parametrize("page_file", PAGES, ids=lambda p: p.split("/")[-1].removesuffix(".py"))
def test_every_page_has_an_empty_state(page_file, tmp_path, monkeypatch):
    monkeypatch.setenv("ODI_SURVEYS_DIR", str(tmp_path / "none"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page_file).run()
    assert not at.exception
    assert at.info, "an empty state tells the user what to do"


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_upload_imports_and_scores():
    at = start("app_pages/study.py")
    at.file_uploader(key="survey_file").upload("mine.csv", WIDE, "text/csv").run()
    assert not at.exception, at.exception
    assert metric(at, "Respondents kept") == "40"
    assert metric(at, "Outcomes") == "3"
    at.switch_page("app_pages/outcomes.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["outcome_id"]) == {"a", "b", "c"}


def test_mapping_edit_rescores_everything():
    at = start("app_pages/study.py")
    at.file_uploader(key="survey_file").upload("mine.csv", WIDE, "text/csv").run()
    # Exclude outcome b and rename a, as a researcher would in the outcomes table.
    at.session_state[f"outcome_editor_{at.session_state['study']}_0"] = {
        "edited_rows": {0: {"statement": "Minimize the time to do a"}, 1: {"include": False}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    assert metric(at, "Outcomes") == "3", "the import itself still pairs 3 outcomes"
    at.switch_page("app_pages/outcomes.py").run()
    table = at.dataframe[0].value.set_index("outcome_id")
    assert set(table.index) == {"a", "c"}
    assert table.loc["a", "outcome"] == "Minimize the time to do a"
    # The edit is kept in the workspace: a fresh session on the same study sees it.
    study = at.session_state["study"]
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.session_state["study"] = study
    fresh.run()
    fresh.switch_page("app_pages/outcomes.py").run()
    assert set(fresh.dataframe[0].value["outcome_id"]) == {"a", "c"}


def test_screening_toggle_excludes_flagged_respondents():
    items = "abcdef"
    header = "respondent_id," + ",".join(f"imp_{x},sat_{x}" for x in items)
    rows = [
        f"r{i}," + ",".join(f"{(i + j) % 5 + 1},{(i * j) % 5 + 1}" for j in range(6))
        for i in range(30)
    ]
    rows += [f"s{k}," + ",".join("3,3" for _ in items) for k in (1, 2)]  # straight-liners
    data = (header + "\n" + "\n".join(rows) + "\n").encode()
    at = start("app_pages/study.py")
    at.file_uploader(key="survey_file").upload("sl.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    kept = int(metric(at, "Respondents kept"))
    assert kept == 32  # straight-liners are flagged and kept by default
    key = f"screen_straightliners_{at.session_state['study']}"
    toggle = at.toggle(key=key)
    assert not toggle.value
    assert "2 flagged, kept" in toggle.label
    toggle.set_value(True).run()
    assert not at.exception
    assert int(metric(at, "Respondents kept")) == kept - 2
    assert "2 excluded" in at.toggle(key=key).label


@pytest.mark.parametrize(
    ("name", "payload", "needle"),
    [
        ("empty.csv", b"", "empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        ("nopairs.csv", b"id,age,city\n1,30,Oslo\n", "no importance/satisfaction"),
        ("onesided.csv", b"id,imp_a,sat_a,imp_b\n1,5,4,3\n", "only one side"),
        ("offscale.csv", b"id,imp_a,sat_a\n1,5,4\n2,9,1\n3,1,2\n", "9"),
    ],
    ids=["empty", "image-renamed", "no-pairs", "one-sided", "off-scale"],
)
def test_bad_upload_shows_an_error_not_an_exception(name, payload, needle):
    at = start("app_pages/study.py")
    at.file_uploader(key="survey_file").upload(name, payload, "text/csv").run()
    assert not at.exception
    assert at.error, "an error element is shown"
    assert needle in at.error[0].value


def test_segments_page_states_the_family_next_to_the_table():
    at = start("app_pages/segments.py")
    assert not at.exception, at.exception
    family = [c.value for c in at.caption if "Benjamini–Hochberg over all" in c.value]
    assert len(family) == 1
    assert "tests shown" in family[0]
    assert "whole table" in family[0]


def test_segment_filter_changes_the_scores():
    at = start("app_pages/outcomes.py")
    everyone = at.dataframe[0].value.set_index("outcome_id")["opportunity"]
    at.multiselect(key="seg_attrs").set_value(["role"]).run()
    at.multiselect(key="seg_v_role").set_value(["VP Marketing"]).run()
    assert not at.exception
    segment = at.dataframe[0].value.set_index("outcome_id")["opportunity"]
    assert not segment.reindex(everyone.index).equals(everyone)
    shown = [m for m in at.metric if "segment" in m.label.lower()]
    assert len(shown) == 1
    assert 0 < int(shown[0].value.replace(",", "")) < 600


def test_unreachable_database_shows_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("ODI_DATABASE_URL", "postgresql+psycopg://odi:secret@127.0.0.1:1/odi")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert "cannot reach the workspace database" in messages
    assert "secret" not in messages
