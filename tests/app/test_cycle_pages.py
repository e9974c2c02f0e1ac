"""AppTest: the Design page (lint, questionnaire) and the Waves page (compare, validate)."""

from __future__ import annotations

import io
import json
import os

import pandas as pd
from streamlit.testing.v1 import AppTest

from odi.personas import personas_from_json
from odi.storage import open_workspace
from tests.analysis.wave2 import SURVEYS, wave2_bytes
from tests.app.conftest import APP

BAD = "Quickly find leads in the dashboard"
GOOD = "Minimize the time it takes to find a qualified lead"


def start(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(page).run()
    return at


def frame_with(at: AppTest, column: str):
    """The first table showing a column (plain dataframes carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_design_page_lints_a_pasted_list_and_offers_every_file() -> None:
    at = start("app_pages/design.py")
    assert not at.exception, at.exception
    assert at.info, "asks for statements first"
    at.text_area(key="design_paste").input(f"{GOOD}\n{BAD}\n").run()
    assert not at.exception, at.exception
    assert metric(at, "Statements") == "2"
    assert metric(at, "Findings") == "3"
    found = frame_with(at, "suggestion")
    assert set(found["id"]) == {"2"}
    assert set(found["rule"]) == {"direction", "solution", "vague"}
    buttons = {b.proto.label for b in at.get("download_button")}
    assert {"Qualtrics Advanced-format TXT import", "printable questionnaire (PDF)"} <= buttons


def test_design_page_on_the_demo_study_is_clean() -> None:
    at = start("app_pages/design.py")
    at.segmented_control(key="design_source").set_value("Current study").run()
    assert not at.exception, at.exception
    assert metric(at, "Statements") == "40"
    assert metric(at, "Findings") == "0"
    assert at.success
    # The demo covers every step of the universal job map.
    at.toggle(key="design_job_map").set_value(True).run()
    assert metric(at, "Findings") == "0"


def test_design_page_flags_job_map_steps_without_outcomes() -> None:
    at = start("app_pages/design.py")
    at.text_area(key="design_paste").input(GOOD).run()
    at.toggle(key="design_job_map").set_value(True).run()
    assert not at.exception, at.exception
    assert metric(at, "Findings") == "8"  # pasted lines have no step: all eight are empty
    assert set(frame_with(at, "suggestion")["rule"]) == {"empty-step"}


def test_design_page_reports_a_bad_question() -> None:
    at = start("app_pages/design.py")
    at.text_area(key="design_paste").input(GOOD).run()
    at.session_state["design_questions"] = {
        "edited_rows": {0: {"name": "1 bad tag"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert any("export tag" in e.value for e in at.error)


def test_study_page_shows_lint_findings_beside_statements() -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/study.py").run()  # the app opens on the landscape
    data = (
        "respondent_id,imp_a,sat_a,imp_b,sat_b\n"
        + "".join(
            f"r{i},{i % 5 + 1},{(i * 2) % 5 + 1},{(i + 1) % 5 + 1},{(i * 3) % 5 + 1}\n"
            for i in range(40)
        )
    ).encode()
    at.file_uploader(key="survey_file").upload("mine.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    lint = frame_with(at, "lint").set_index("outcome_id")["lint"]
    assert lint["a"].startswith("direction: ")  # the statement 'a' has no direction


def test_waves_page_compares_the_demo_waves_and_records_a_review() -> None:
    at = start("app_pages/waves.py")
    assert not at.exception, at.exception
    url = os.environ["ODI_DATABASE_URL"]
    with open_workspace(url) as ws:
        wave1 = next(s for s in ws.list_studies() if s.name == "pipeline_demo.csv")
        wave2 = ws.create_study("pipeline_demo_wave2.csv")
        ws.add_file(wave2.id, "pipeline_demo_wave2.csv", wave2_bytes())
        pset = personas_from_json((SURVEYS / "pipeline_demo_personas.json").read_bytes())
        ws.set_settings(wave1.id, {**ws.get_settings(wave1.id), "icp": pset.icp.to_dict()})
        vp = next(p for p in pset.personas if p.id == "vp-marketing")
        record = ws.create_persona(wave1.id, vp.to_dict())
    at.text_input(key="new_programme").input("Annual pipeline study").run()
    at.button(key="create_programme").click().run()
    assert not at.exception, at.exception
    for study in (wave1, wave2):
        at.selectbox(key="wave_add_study").set_value(study.id).run()
        at.button(key="add_wave").click().run()
        assert not at.exception, at.exception
    assert metric(at, "Changed significantly") == "3"
    assert metric(at, "New underserved") == "1"
    assert metric(at, "Resolved") == "1"
    table = frame_with(at, "p_adjusted")
    assert set(table.loc[table["significant"], "outcome_id"]) == {"O06", "O21", "O30"}
    # The sidebar segment applies to both waves.
    at.multiselect(key="seg_attrs").set_value(["role"]).run()
    at.multiselect(key="seg_v_role").set_value(["VP Marketing"]).run()
    assert not at.exception, at.exception
    vp_only = frame_with(at, "p_adjusted")
    assert 80 < vp_only["n_importance_1"].max() < 200
    assert 80 < vp_only["n_importance_2"].max() < 200
    at.multiselect(key="seg_attrs").set_value([]).run()
    validation = frame_with(at, "holds")
    assert {"O18", "O26", "O30", "O37", "O38"} <= set(
        validation.loc[validation["holds"], "outcome_id"]
    )
    at.button(key="wave_record").click().run()
    assert not at.exception, at.exception
    with open_workspace(url) as ws:
        history = ws.persona_history(record.id)
        saved = ws.get_persona(record.id)
    assert history[-1].note.startswith("validated on Wave 2: pipeline_demo_wave2.csv (")
    assert "unmet needs hold on the new cohort" in history[-1].note
    assert json.loads(json.dumps(saved.data))["last_reviewed"]


def test_waves_page_saves_an_edited_match_for_a_reworded_statement() -> None:
    at = start("app_pages/waves.py")
    frame = pd.read_csv(io.BytesIO(wave2_bytes()), dtype=str, keep_default_na=False)
    reworded = "Minimize the time it takes to see which programs create qualified pipeline"
    frame.loc[frame["outcome_id"] == "O26", ["outcome_id", "outcome"]] = ["N26", reworded]
    url = os.environ["ODI_DATABASE_URL"]
    with open_workspace(url) as ws:
        wave1 = next(s for s in ws.list_studies() if s.name == "pipeline_demo.csv")
        wave2 = ws.create_study("reworded.csv")
        ws.add_file(wave2.id, "reworded.csv", frame.to_csv(index=False).encode())
    at.text_input(key="new_programme").input("P").run()
    at.button(key="create_programme").click().run()
    for study in (wave1, wave2):
        at.selectbox(key="wave_add_study").set_value(study.id).run()
        at.button(key="add_wave").click().run()
    assert not at.exception, at.exception
    assert "O26" not in set(frame_with(at, "p_adjusted")["outcome_id"])
    programme = at.session_state["wave_programme"]
    at.session_state[f"wave_match_{programme}_{wave1.id}_{wave2.id}"] = {
        "edited_rows": {25: {"outcome_id_2": "N26"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    table = frame_with(at, "p_adjusted").set_index("outcome_id")
    assert (table.loc["O26", "outcome_id_2"], table.loc["O26", "matched_by"]) == ("N26", "manual")
    # Saved with the programme: a new session sees the same match.
    fresh = start("app_pages/waves.py")
    fresh.selectbox(key="wave_programme").set_value(programme).run()
    assert "O26" in set(frame_with(fresh, "p_adjusted")["outcome_id"])
