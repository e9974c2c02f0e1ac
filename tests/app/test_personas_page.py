"""AppTest: personas are created (the form clears), edited with autosave, kept across
sessions, deleted only after a confirmation (with an undo), imported from JSON into an
empty study, and conflicts between two sessions are resolved without losing an edit.

Tests that only need personas to exist seed them through ``odi.storage``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from odi.personas import Persona, personas_to_json
from odi.storage import open_workspace
from tests.app.conftest import APP

PAGE = "app_pages/personas.py"
ROOT = Path(__file__).resolve().parents[2]


def personas_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state["persona_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def seed(*personas: Persona) -> list[int]:
    """Create personas in the demo study (opened by a first AppTest run), through storage."""
    AppTest.from_file(APP, default_timeout=90).run()  # opens the workspace with the demo
    ws = open_workspace(os.environ["ODI_DATABASE_URL"])
    study = next(s for s in ws.list_studies() if s.name == "pipeline_demo.csv")
    return [ws.create_persona(study.id, p.to_dict()).id for p in personas]


def create(at: AppTest, name: str, role: str) -> AppTest:
    at.text_input(key="new_persona_name").input(name)
    at.selectbox(key="new_persona_attr").select("role").run()
    at.multiselect(key="new_persona_values").select(role).run()
    at.button(key="create_persona").click().run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    """The first table with ``column`` (AppTest does not expose a dataframe's key)."""
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


def listed(at: AppTest) -> list[str]:
    persona_list = table(at, "last reviewed")
    return [] if persona_list is None else list(persona_list["persona"])


VP = Persona(id="vp", name="The Pipeline-Accountable VP", segment={"role": ("VP Marketing",)})
OPS = Persona(id="ops", name="The Ops Fixer", segment={"role": ("Marketing Operations",)})


def test_create_clears_the_form_so_another_click_makes_no_duplicate():
    at = create(personas_page(), "The Pipeline-Accountable VP", "VP Marketing")
    assert "The Pipeline-Accountable VP" in [s.value for s in at.subheader]
    assert at.text_input(key="new_persona_name").value == ""
    assert at.selectbox(key="new_persona_attr").value == ""
    assert at.button(key="create_persona").disabled  # another click cannot make a duplicate
    assert listed(at) == ["The Pipeline-Accountable VP"]
    fresh = personas_page()
    assert listed(fresh) == ["The Pipeline-Accountable VP"]


def test_planted_vp_needs_show_up_as_unmet_needs():
    seed(VP)
    at = personas_page()
    needs = table(at, "opportunity")
    # The demo generator plants these as the VP role's unmet needs.
    assert {"O18", "O26", "O30", "O37", "O38"} <= set(needs["outcome_id"])
    # The split-half check: found on one half, confirmed on the other, need by need.
    held = next(m for m in at.metric if m.label == "Held on the other half")
    assert " of " in held.value
    check = table(at, "share_held")
    assert check is not None
    assert {"found", "held", "confirmation_low", "confirmation_high"} <= set(check.columns)
    assert any("does not show" in c.value for c in at.caption)


def test_only_the_open_tab_is_drawn():
    seed(VP, OPS)
    at = personas_page()
    assert table(at, "opportunity") is not None  # the unmet needs tab is open
    assert table(at, "note") is None  # the history is not drawn
    assert not at.text_area  # nor the editor
    at = open_tab(at, "History")
    assert table(at, "note") is not None
    assert table(at, "opportunity") is None
    assert not at.get("plotly_chart")


def test_editing_a_field_saves_a_new_version():
    (pid,) = seed(OPS)
    at = open_tab(personas_page(), "Edit")
    at.text_area(key=f"pf_{pid}_functional_job").input("Keep the CRM and MAP in sync").run()
    assert not at.exception
    fresh = personas_page()
    persona_list = table(fresh, "last reviewed").set_index("persona")
    assert persona_list.loc["The Ops Fixer", "version"] == 2


def test_delete_asks_first_and_can_be_undone_with_its_history():
    (pid,) = seed(OPS)
    at = open_tab(personas_page(), "Edit")
    at.text_input(key=f"pf_{pid}_seniority").input("Director").run()
    at.button(key="delete_persona").click().run()
    assert listed(at) == ["The Ops Fixer"]  # nothing deleted yet: a question first
    assert any("Delete **The Ops Fixer**" in w.value for w in at.warning)
    at.button(key="delete_cancel").click().run()
    assert listed(at) == ["The Ops Fixer"]
    at.button(key="delete_persona").click().run()
    at.button(key="delete_confirm").click().run()
    assert not at.exception, at.exception
    assert listed(at) == []
    assert listed(personas_page()) == []  # gone in a fresh session too
    at.button(key="undo_delete").click().run()
    assert listed(at) == ["The Ops Fixer"]
    at = open_tab(at, "History")
    history = table(at, "note")
    assert list(history["version"]) == [1, 2]  # the edit came back with it
    assert list(history["by"])[1] is not None


def test_import_personas_json_into_an_empty_study():
    at = personas_page()
    assert listed(at) == []
    data = personas_to_json([VP, OPS]).encode()
    at.file_uploader(key="personas_json").set_value(("personas.json", data, "application/json"))
    at.run()
    at.button(key="import_personas").click().run()
    assert not at.exception, at.exception
    assert listed(at) == ["The Pipeline-Accountable VP", "The Ops Fixer"]
    assert any("Imported 2 personas" in s.value for s in at.success)
    at.button(key="import_personas").click().run()  # the same file again adds nothing
    assert listed(at) == ["The Pipeline-Accountable VP", "The Ops Fixer"]


def test_segment_filter_is_hidden_on_personas_and_kept_for_other_pages():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.multiselect(key="seg_attrs").select("role").run()
    at.switch_page(PAGE).run()
    assert not any(m.key == "seg_attrs" for m in at.sidebar.multiselect)
    at.switch_page("app_pages/landscape.py").run()
    assert at.multiselect(key="seg_attrs").value == ["role"]


def test_concurrent_edit_is_refused_and_nothing_is_lost():
    (pid,) = seed(OPS)
    a = open_tab(personas_page(), "Edit")
    b = open_tab(personas_page(), "Edit")
    # Both sessions have version 1 open; A saves first.
    a.text_input(key=f"pf_{pid}_seniority").input("Manager").run()
    b.text_input(key=f"pf_{pid}_seniority").input("Director").run()
    assert not b.exception
    assert b.session_state["persona_conflict"] is not None
    assert any("while you were editing" in e.value for e in b.error)
    b.button(key="conflict_mine").click().run()
    assert not b.exception
    final = open_tab(personas_page(), "Edit")
    assert final.text_input(key=f"pf_{pid}_seniority").value == "Director"
    # Both edits are in the history: A's "Manager" was not lost either.
    final = open_tab(final, "History")
    assert len(table(final, "note")) == 3


def test_editing_a_persona_deleted_elsewhere_shows_a_message():
    (pid,) = seed(OPS)
    a = open_tab(personas_page(), "Edit")
    b = personas_page()
    b.button(key="delete_persona").click().run()
    b.button(key="delete_confirm").click().run()
    assert not b.exception
    a.text_input(key=f"pf_{pid}_seniority").input("VP").run()
    assert not a.exception, a.exception
    assert any("persona" in e.value for e in a.error)


def test_a_bundled_demo_offers_its_example_personas_once():
    at = personas_page()
    assert any("Next:" in m.value for m in at.markdown)
    at.button(key="import_example_personas").click().run()
    assert not at.exception, at.exception
    shipped = json.loads((ROOT / "surveys" / "pipeline_demo_personas.json").read_text())
    names = sorted(p["name"] for p in shipped["personas"])
    assert sorted(listed(at)) == names
    # With personas in the study the offer is gone, in this session and a fresh one.
    assert not [b for b in at.button if b.key == "import_example_personas"]
    fresh = personas_page()
    assert sorted(listed(fresh)) == names
    assert not [b for b in fresh.button if b.key == "import_example_personas"]


def test_an_uploaded_study_gets_no_example_offer(tmp_path):
    ws = open_workspace(os.environ["ODI_DATABASE_URL"])
    AppTest.from_file(APP, default_timeout=90).run()  # opens the workspace with the demo
    data = (ROOT / "surveys" / "pipeline_demo.csv").read_bytes()
    study = ws.create_study_with_file("my upload", "my_upload.csv", data)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["study"] = str(study.id)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert listed(at) == []
    assert not [b for b in at.button if b.key == "import_example_personas"]
