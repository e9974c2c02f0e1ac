import streamlit as st

from app_pages._shared import digest_of, load_current

st.title("Study data")
st.caption(
    "Open a bundled demo study or upload your survey export: Qualtrics, SurveyMonkey, Google "
    "Forms, SPSS, Excel, or a plain wide or long CSV. Nothing is changed in your file."
)

upload = st.file_uploader(
    "Upload a survey export",
    type=None,
    key="survey_file",
    help="CSV, TSV, XLSX, JSON Lines or SPSS .sav. The format is detected from the content.",
)
if upload is not None:
    data = upload.getvalue()
    digest = digest_of(data)
    current = st.session_state.uploaded_file
    if current is None or current["digest"] != digest:
        st.session_state.uploaded_file = {"name": upload.name, "data": data, "digest": digest}
elif st.session_state.uploaded_file is not None and st.session_state.get("survey_file") is None:
    # The uploader was cleared: go back to the demo study.
    st.session_state.uploaded_file = None

with st.status("Reading the survey…", expanded=False) as status:
    survey, error = load_current()
    if error:
        status.update(label="The file could not be imported", state="error", expanded=True)
    elif survey is not None:
        status.update(label=f"Imported {survey.name}", state="complete")

if error:
    st.error(error, icon=":material/error:")
    st.stop()
if survey is None:
    st.info("Upload a survey export, or pick a demo study in the sidebar.", icon=":material/info:")
    st.stop()

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
