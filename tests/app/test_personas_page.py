"""AppTest: personas are created, edited with autosave, kept across sessions, and conflicts
between two sessions are resolved without losing an edit."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP

PAGE = "app_pages/personas.py"


def personas_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def create(at: AppTest, name: str, role: str) -> AppTest:
    at.text_input(key="new_persona_name").input(name)
    at.selectbox(key="new_persona_attr").select("role").run()
    at.multiselect(key="new_persona_values").select(role).run()
    at.button(key="create_persona").click().run()
    assert not at.exception, at.exception
    return at


def test_persona_created_in_one_session_is_there_in_a_fresh_session():
    at = create(personas_page(), "The Pipeline-Accountable VP", "VP Marketing")
    assert "The Pipeline-Accountable VP" in [s.value for s in at.subheader]
    fresh = personas_page()
    listed = fresh.dataframe[0].value
    assert "The Pipeline-Accountable VP" in set(listed["persona"])


def test_planted_vp_needs_show_up_as_unmet_needs():
    at = create(personas_page(), "The Pipeline-Accountable VP", "VP Marketing")
    needs = next(df.value for df in at.dataframe if "opportunity" in df.value.columns)
    listed = set(needs["outcome_id"])
    # The demo generator plants these as the VP role's unmet needs.
    assert {"O18", "O26", "O30", "O37", "O38"} <= listed


def test_editing_a_field_saves_a_new_version():
    at = create(personas_page(), "The Ops Fixer", "Marketing Operations")
    pid = at.session_state["persona_pick"]
    at.text_area(key=f"pf_{pid}_functional_job").input("Keep the CRM and MAP in sync").run()
    assert not at.exception
    fresh = personas_page()
    listed = fresh.dataframe[0].value.set_index("persona")
    assert listed.loc["The Ops Fixer", "version"] == 2


def test_concurrent_edit_is_refused_and_nothing_is_lost():
    a = create(personas_page(), "The Champion", "Demand Generation Manager")
    pid = a.session_state["persona_pick"]
    b = personas_page()
    b.selectbox(key="persona_pick").set_value(pid).run()
    # Both sessions have version 1 open; A saves first.
    a.text_input(key=f"pf_{pid}_seniority").input("Manager").run()
    b.text_input(key=f"pf_{pid}_seniority").input("Director").run()
    assert not b.exception
    assert b.session_state["persona_conflict"] is not None
    assert any("while you were editing" in e.value for e in b.error)
    b.button(key="conflict_mine").click().run()
    assert not b.exception
    final = personas_page()
    final.selectbox(key="persona_pick").set_value(pid).run()
    assert final.text_input(key=f"pf_{pid}_seniority").value == "Director"
    # Both edits are in the history: A's "Manager" was not lost either.
    history = next(d.value for d in final.dataframe if "note" in d.value.columns)
    assert len(history) == 3


def test_editing_a_persona_deleted_elsewhere_shows_a_message():
    a = create(personas_page(), "The Doomed Persona", "VP Marketing")
    pid = a.session_state["persona_pick"]
    b = personas_page()
    b.selectbox(key="persona_pick").set_value(pid).run()
    b.button(key="delete_persona").click().run()
    assert not b.exception
    a.text_input(key=f"pf_{pid}_seniority").input("VP").run()
    assert not a.exception, a.exception
