"""Waves: link studies as waves of a programme, compare two waves, validate personas on wave 2."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from app_pages._shared import (
    _file_bytes,
    cached_import,
    database_url,
    plain,
    segment_conditions,
    thresholds,
    workspace,
)
from odi.analysis.scoring import Thresholds
from odi.analysis.segments import describe_conditions
from odi.analysis.waves import (
    PersonaValidation,
    WaveComparison,
    compare_waves,
    match_outcomes,
    validate_persona,
)
from odi.charts.waves import wave_slope_figure
from odi.exports.output import csv_bytes
from odi.personas import ICP, Persona
from odi.storage import StorageError, Workspace
from odi.storage.waves import WaveStore
from odi.survey import Survey

st.title("Waves")
st.caption(
    "Link studies as waves of one programme (this year's cohort after last year's), compare "
    "how each outcome moved, and check that each persona's unmet needs hold on the new cohort."
)

opened = workspace()
if opened is None:
    st.info("The workspace is not available.", icon=":material/database:")
    st.stop()
ws: Workspace = opened
store = WaveStore(ws)
study_names = {s.id: s.name for s in ws.list_studies()}


def study_survey(study_id: int) -> Survey:
    """A study's survey with its own import settings and outcome edits."""
    files = ws.list_files(study_id)
    if not files:
        raise ValueError(f"study {study_names.get(study_id, study_id)!r} has no survey file")
    file = files[-1]
    data = _file_bytes(database_url(), file.id, file.sha256)
    settings = ws.get_settings(study_id)
    options = json.dumps(
        {"import": settings.get("import_options", {}), "edits": settings.get("outcome_edits", {})},
        sort_keys=True,
    )
    return cached_import(file.sha256, file.name, options, data).survey


with st.expander("New programme", expanded=not store.list_programmes()):
    name = st.text_input("Programme name", key="new_programme", placeholder="Annual study")
    if st.button("Create programme", key="create_programme", disabled=not name.strip()):
        try:
            created = store.create_programme(name)
            st.session_state.wave_programme = created.id
            st.rerun()
        except StorageError as exc:
            st.error(plain(exc))

programmes = {p.id: p.name for p in store.list_programmes()}
if not programmes:
    st.info("Create a programme, then add its studies as waves.", icon=":material/timeline:")
    st.stop()
if st.session_state.get("wave_programme") not in programmes:
    st.session_state.wave_programme = next(iter(programmes))
programme_id = int(
    st.selectbox(
        "Programme",
        list(programmes),
        format_func=lambda i: programmes[i],
        key="wave_programme",
    )
    or next(iter(programmes))
)

waves = store.list_waves(programme_id)
add_cols = st.columns([3, 1])
candidates = [sid for sid in study_names if sid not in {w.study_id for w in waves}]
to_add = add_cols[0].selectbox(
    "Add a study as the next wave",
    candidates,
    format_func=lambda sid: study_names[sid],
    key="wave_add_study",
    index=None,
    placeholder="Choose a study",
)
if add_cols[1].button("Add wave", key="add_wave", disabled=to_add is None):
    try:
        store.add_wave(programme_id, int(to_add or 0))
        st.rerun()
    except StorageError as exc:
        st.error(plain(exc))
if waves:
    st.dataframe(
        pd.DataFrame(
            {
                "wave": [w.position for w in waves],
                "label": [w.label for w in waves],
                "study": [study_names.get(w.study_id, "?") for w in waves],
            }
        ),
        hide_index=True,
        key="wave_list",
    )
if len(waves) < 2:
    st.info("Add at least two waves to compare them.", icon=":material/compare_arrows:")
    st.stop()

labels = {w.study_id: f"Wave {w.position}: {w.label}" for w in waves}
c1, c2 = st.columns(2)
ids = list(labels)
first = int(c1.selectbox("Compare", ids, format_func=lambda i: labels[i], key="wave_1") or ids[0])
second = int(
    c2.selectbox("with", ids, format_func=lambda i: labels[i], key="wave_2", index=1) or ids[1]
)
if first == second:
    st.warning("Choose two different waves.")
    st.stop()
try:
    wave1, wave2 = study_survey(first), study_survey(second)
except ValueError as exc:
    st.error(plain(exc), icon=":material/error:")
    st.stop()

saved = store.get_matches(programme_id, first, second)
try:
    match = match_outcomes(wave1, wave2, manual=saved)
except ValueError as exc:
    st.warning(plain(f"The saved manual matches no longer fit: {exc}. They are ignored."))
    match = match_outcomes(wave1, wave2)

with st.expander(
    f"Outcome matching: {len(match.table)} matched, {len(match.unmatched_1)} + "
    f"{len(match.unmatched_2)} unmatched",
    expanded=bool(match.unmatched_1 or match.unmatched_2),
):
    st.caption(
        "Outcomes pair by id, then by statement text. For a reworded statement, choose its "
        "wave-2 outcome here; the choice is saved with the programme."
    )
    options = ["", *map(str, wave2.outcomes.index)]
    editor = pd.DataFrame(
        {
            "outcome_id_1": [str(i) for i in wave1.outcomes.index],
            "statement_1": wave1.outcomes["statement"].to_numpy(),
            "outcome_id_2": [match.pairs.get(str(i), "") for i in wave1.outcomes.index],
        }
    )
    edited = st.data_editor(
        editor,
        key=f"wave_match_{programme_id}_{first}_{second}",
        hide_index=True,
        disabled=["outcome_id_1", "statement_1"],
        column_config={
            "statement_1": st.column_config.TextColumn("Wave 1 statement", width="large"),
            "outcome_id_2": st.column_config.SelectboxColumn("Wave 2 outcome", options=options),
        },
    )
    manual = {
        a: (b or "")
        for a, b in zip(edited["outcome_id_1"], edited["outcome_id_2"].fillna(""), strict=True)
        if (b or "") != match.pairs.get(a, "") or a in saved
    }
    if manual != saved:
        try:
            match_outcomes(wave1, wave2, manual=manual)
            store.set_matches(programme_id, first, second, manual)
            st.rerun()
        except ValueError as exc:
            st.error(plain(exc))
    if match.unmatched_2:
        st.caption(f"Only in wave 2: {plain(', '.join(match.unmatched_2))}")


@st.cache_data(max_entries=8, show_spinner="Comparing…")
def _compare(
    key: str,
    _w1: Survey,
    _w2: Survey,
    pairs: str,
    where: str,
    levels: tuple[float, float, float],
) -> WaveComparison:
    match = match_outcomes(_w1, _w2, manual=json.loads(pairs))
    return compare_waves(
        _w1, _w2, match=match, where=json.loads(where), thresholds=Thresholds(*levels)
    )


t = thresholds()
where = segment_conditions()
state = [
    (
        ws.list_files(s)[-1].sha256,
        ws.get_settings(s).get("import_options"),
        ws.get_settings(s).get("outcome_edits"),
    )
    for s in (first, second)
]
try:
    comparison = _compare(
        json.dumps([first, second, state], sort_keys=True, default=str),
        wave1,
        wave2,
        json.dumps(saved, sort_keys=True),
        json.dumps(where, sort_keys=True),
        (t.solid, t.high, t.extreme),
    )
except ValueError as exc:
    st.error(plain(f"The segment in the sidebar cannot be applied to both waves: {exc}"))
    st.stop()
st.markdown(
    f"**{plain(describe_conditions(where))}** · n = {comparison.n_1:,} (wave 1) and "
    f"{comparison.n_2:,} (wave 2)"
)
table = comparison.table
m1, m2, m3, m4 = st.columns(4)
m1.metric("Changed significantly", len(comparison.significant))
m2.metric("New underserved", len(comparison.status("new underserved")))
m3.metric("Resolved", len(comparison.status("resolved underserved")))
m4.metric("Persisting underserved", len(comparison.status("persisting underserved")))
st.plotly_chart(
    wave_slope_figure(table, threshold=comparison.threshold),
    key="wave_chart",
    config={"displaylogo": False},
)
only_changed = st.toggle("Only significant changes", key="wave_only_significant")
shown = table.loc[table["significant"]] if only_changed else table
st.dataframe(
    shown.round(2),
    hide_index=True,
    key="wave_table",
    column_config={
        "outcome": st.column_config.TextColumn("Outcome", width="large"),
        "p_adjusted": st.column_config.NumberColumn("p (adjusted)", format="%.4f"),
    },
)
st.download_button(
    "Download the comparison (CSV)",
    csv_bytes(table),
    file_name="wave_comparison.csv",
    mime="text/csv",
    key="wave_download",
    on_click="ignore",
)

st.subheader("Validate personas on the new cohort")
records = ws.list_personas(first)
if not records:
    st.info(
        "Wave 1's study has no personas yet. Add them on the Personas page to validate them.",
        icon=":material/person:",
    )
    st.stop()
icp_raw = ws.get_settings(first).get("icp")
icp = ICP.from_dict(icp_raw) if icp_raw else None
by_id = {r.id: r for r in records}
pid = st.selectbox("Persona", list(by_id), format_func=lambda i: by_id[i].name, key="wave_persona")
record = by_id[pid]
persona = Persona.from_dict(record.data)
try:
    validation: PersonaValidation = validate_persona(
        wave1, wave2, persona, icp=icp, match=match, threshold=thresholds().solid, bootstrap=500
    )
except ValueError as exc:
    st.error(plain(exc))
    st.stop()
st.markdown(validation.summary)
st.dataframe(
    validation.table.round(2),
    hide_index=True,
    key="wave_validation",
    column_config={
        "outcome": st.column_config.TextColumn("Outcome", width="large"),
        "holds": st.column_config.CheckboxColumn("Holds"),
        "confirmed": st.column_config.CheckboxColumn("Interval above"),
    },
)
if st.button("Record this review in the persona's history", key="wave_record"):
    reviewed = persona.reviewed(date.today())
    try:
        ws.save_persona(
            first,
            pid,
            reviewed.to_dict(),
            expected_version=record.version,
            note=validation.note(labels[second])[:500],
        )
        st.success("Recorded: the persona's last review date and the result are in its history.")
    except StorageError as exc:
        st.error(plain(exc))
