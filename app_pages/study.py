import streamlit as st

from app_pages._shared import current_study, load_current, studies, workspace
from odi.storage import StorageError

st.title("Study data")
st.caption(
    "Open a bundled demo study or upload your survey export: Qualtrics, SurveyMonkey, Google "
    "Forms, SPSS, Excel, or a plain wide or long CSV. Your file is kept as it is, in the "
    "workspace, so you can come back to it and re-import it with other settings."
)

ws = workspace()
upload = st.file_uploader(
    "Upload a survey export",
    key="survey_file",
    help="CSV, TSV, XLSX, JSON Lines or SPSS .sav. The format is detected from the content.",
)
if upload is not None and ws is not None:
    data = upload.getvalue()
    marker = f"{upload.name}:{len(data)}:{hash(data)}"
    if st.session_state.get("handled_upload") != marker:
        st.session_state.handled_upload = marker
        progress = st.progress(0.0, text=f"Saving {upload.name}…")
        try:
            study = ws.create_study(upload.name)
            ws.add_file(study.id, upload.name, data)
        except StorageError as exc:
            progress.empty()
            st.error(str(exc), icon=":material/error:")
            st.stop()
        progress.progress(0.5, text=f"Reading {upload.name}…")
        st.session_state.pending_study = str(study.id)
        st.rerun()

study = current_study()
with st.status("Reading the survey…", expanded=False) as status:
    survey, error = load_current()
    if error:
        status.update(label="The file could not be imported", state="error", expanded=True)
    elif survey is not None:
        status.update(label=f"Imported {study.name if study else survey.name}", state="complete")

if error:
    st.error(error, icon=":material/error:")
if survey is None:
    if not error:
        st.info(
            "Upload a survey export, or pick a demo study in the sidebar.", icon=":material/info:"
        )
else:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Respondents", f"{survey.n_respondents:,}")
    c2.metric("Outcomes", f"{survey.n_outcomes:,}")
    c3.metric("Scale", str(survey.scale), help=f"Top box: {survey.scale.top_box:g} and above")
    c4.metric("Attributes", len(survey.attributes))

    st.subheader("Outcomes")
    st.dataframe(survey.outcomes.reset_index(), hide_index=True, key="outcomes_table")
    st.subheader("Respondent attributes")
    if survey.attributes:
        st.write(", ".join(survey.attributes))
    else:
        st.caption("No attribute columns: segments are not available for this study.")

if ws is not None:
    with st.expander("Move a study: export or import an archive", icon=":material/archive:"):
        st.caption(
            "An archive holds the study's files, mapping, settings and personas with their full "
            "history: for backups, or to hand a study to a colleague."
        )
        if study is not None:
            st.download_button(
                f"Download {study.name} as an archive",
                data=lambda: ws.export_study(study.id),
                file_name=f"{study.name}.odi.zip",
                mime="application/zip",
                key="export_archive",
                on_click="ignore",
                icon=":material/download:",
            )
        archive = st.file_uploader("Import an archive", type=["zip"], key="archive_file")
        if archive is not None:
            marker = f"{archive.name}:{archive.size}"
            if st.session_state.get("handled_archive") != marker:
                st.session_state.handled_archive = marker
                try:
                    imported = ws.import_study(archive.getvalue())
                except StorageError as exc:
                    st.error(str(exc), icon=":material/error:")
                else:
                    st.session_state.pending_study = str(imported.id)
                    st.rerun()
    st.caption(f"{len(studies())} studies in the workspace ({ws.url}).")
