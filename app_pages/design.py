"""Design: lint outcome statements and generate the questionnaire, before fielding."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages._shared import current_study, load_current, plain, study_settings, workspace
from odi.design.instrument import (
    FORMATS,
    Instrument,
    RespondentQuestion,
    default_questions,
    instrument_bytes,
)
from odi.design.lint import RULES, findings_frame, lint_statements, read_statement_list
from odi.personas import ICP, Persona
from odi.survey import JOB_STEPS

st.title("Design")
st.caption(
    "Check outcome statements against the statement grammar (a direction, a metric, one "
    "object of control, an optional clarifier) and generate the questionnaire for Qualtrics, "
    "Google Forms or print. The generated files come back through the importer with no mapping."
)


@st.cache_data(max_entries=16, show_spinner=False)
def _read(data: bytes, name: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    listing = read_statement_list(data, source=name)
    return listing.statements, listing.steps


@st.cache_data(max_entries=32, show_spinner="Writing the file…")
def _file(
    items: tuple[tuple[str, str], ...],
    questions: tuple[tuple[str, str, tuple[str, ...]], ...],
    title: str,
    fmt: str,
) -> bytes:
    qs = tuple(RespondentQuestion(*q) for q in questions)
    return instrument_bytes(Instrument.from_statements(items, questions=qs, title=title), fmt)


source = st.segmented_control(
    "Statements from",
    ["Paste", "Upload", "Current study"],
    default="Paste",
    key="design_source",
)
statements: pd.DataFrame | None = None
steps: tuple[str, ...] = ()
error = ""
if source == "Paste":
    pasted = st.text_area(
        "One statement a line",
        key="design_paste",
        height=200,
        placeholder="Minimize the time it takes to find a qualified lead",
    )
    if pasted.strip():
        try:
            statements, steps = _read(pasted.encode("utf-8"), "pasted list")
        except ValueError as exc:
            error = str(exc)
elif source == "Upload":
    up = st.file_uploader(
        "CSV or XLSX with id and statement columns (job_step optional), or a text file",
        type=["csv", "xlsx", "txt"],
        key="design_file",
    )
    if up is not None:
        try:
            statements, steps = _read(up.getvalue(), up.name)
        except ValueError as exc:
            error = str(exc)
else:
    survey, load_error = load_current()
    if survey is not None:
        statements = pd.DataFrame(
            {
                "id": survey.outcomes.index.astype(str),
                "statement": survey.outcomes["statement"].to_numpy(),
                "job_step": survey.outcomes["job_step"].to_numpy(),
            }
        )
    else:
        error = load_error or "Choose a study in the sidebar first."

if error:
    st.error(plain(error), icon=":material/error:")
if statements is None:
    st.info(
        "Paste or upload outcome statements to check them and build the questionnaire.",
        icon=":material/edit_note:",
    )
    st.stop()

if st.toggle(
    "Every step of the universal job map needs outcomes",
    key="design_job_map",
    help="Also flag the steps of Define ... Conclude that have no statement (needs job steps).",
):
    steps = tuple(dict.fromkeys([*steps, *JOB_STEPS]))
findings = lint_statements(statements, steps=steps)
frame = findings_frame(findings)
c1, c2 = st.columns(2)
c1.metric("Statements", f"{len(statements):,}")
c2.metric("Findings", f"{len(findings):,}")
if findings:
    st.dataframe(
        frame,
        hide_index=True,
        key="design_findings",
        column_config={
            "id": st.column_config.TextColumn("Id", width="small"),
            "rule": st.column_config.TextColumn("Rule", width="small"),
            "message": st.column_config.TextColumn("What to change", width="large"),
            "suggestion": st.column_config.TextColumn("Suggested rewrite", width="large"),
        },
    )
else:
    st.success("Every statement follows the grammar.", icon=":material/check_circle:")
with st.expander("The rules"):
    st.dataframe(
        pd.DataFrame({"rule": list(RULES), "checks that the statement": list(RULES.values())}),
        hide_index=True,
        key="design_rules",
    )

st.subheader("Questionnaire")
settings = study_settings()
icp = ICP.from_dict(settings["icp"]) if settings.get("icp") else None
ws, study = workspace(), current_study()
personas = []
if ws is not None and study is not None:
    for record in ws.list_personas(study.id):
        try:
            personas.append(Persona.from_dict(record.data))
        except ValueError:
            continue
study_survey, _ = load_current()
defaults = default_questions(study_survey, icp=icp, personas=personas)
title = st.text_input("Survey title", value="Outcome survey", key="design_title")
st.caption(
    "Respondent questions: edit the text or the choices (separated by ';'); add or delete rows."
)
edited = st.data_editor(
    pd.DataFrame(
        {
            "name": [q.name for q in defaults],
            "text": [q.text for q in defaults],
            "choices": ["; ".join(q.choices) for q in defaults],
        }
    ),
    key="design_questions",
    num_rows="dynamic",
    hide_index=True,
    column_config={
        "name": st.column_config.TextColumn("Export tag", required=True),
        "text": st.column_config.TextColumn("Question", width="large", required=True),
        "choices": st.column_config.TextColumn("Choices", width="large", required=True),
    },
)
try:
    questions = tuple(
        (
            str(r["name"]).strip(),
            str(r["text"]).strip(),
            tuple(c.strip() for c in str(r["choices"]).split(";") if c.strip()),
        )
        for _, r in edited.dropna(how="all").iterrows()
    )
    for q in questions:
        RespondentQuestion(*q)
    items = tuple(zip(statements["id"], statements["statement"], strict=True))
except ValueError as exc:
    st.error(plain(exc), icon=":material/error:")
    st.stop()

cols = st.columns(len(FORMATS))
for col, (fmt, (ext, mime, label)) in zip(cols, FORMATS.items(), strict=True):
    try:
        data = _file(items, questions, title or "Outcome survey", fmt)
    except ValueError as exc:
        col.error(str(exc))
        continue
    col.download_button(
        label,
        data,
        file_name=f"questionnaire{ext}",
        mime=mime,
        key=f"dl_{fmt}",
        on_click="ignore",
        icon=":material/download:",
    )
