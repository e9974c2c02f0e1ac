"""ODI Workbench: the Streamlit entrypoint. Routes the pages and draws the shared sidebar."""

from __future__ import annotations

import streamlit as st

from app_pages._shared import load_current, segment_conditions, studies, workspace
from odi.analysis.segments import segment_mask

st.set_page_config(
    page_title="ODI Workbench",
    page_icon=":material/target:",
    layout="wide",
    initial_sidebar_state="expanded",
)

# Per-user state, initialised once.
if "selected_outcomes" not in st.session_state:
    st.session_state.selected_outcomes = []
# A page asked to switch study (after an upload or an archive import): do it before the
# study selector is drawn, as a widget's value can only be set before it exists.
if "pending_study" in st.session_state:
    st.session_state.study = st.session_state.pop("pending_study")

pages = {
    "Study": [
        st.Page("app_pages/study.py", title="Study data", icon=":material/dataset:", default=True),
    ],
    "Explore": [
        st.Page("app_pages/landscape.py", title="Landscape", icon=":material/scatter_plot:"),
        st.Page("app_pages/outcomes.py", title="Outcomes", icon=":material/format_list_numbered:"),
        st.Page("app_pages/segments.py", title="Segments", icon=":material/grid_view:"),
        st.Page("app_pages/segmentation.py", title="Segmentation", icon=":material/hub:"),
    ],
    "Personas": [
        st.Page("app_pages/personas.py", title="Personas", icon=":material/person:"),
    ],
    "Cycle": [
        st.Page("app_pages/design.py", title="Design", icon=":material/edit_note:"),
        st.Page("app_pages/waves.py", title="Waves", icon=":material/timeline:"),
    ],
}
nav = st.navigation(pages)

with st.sidebar:
    if workspace() is None:
        st.error(
            f"The workspace database cannot be opened: {st.session_state.get('workspace_error')}",
            icon=":material/database:",
        )
    names = {str(s.id): s.name for s in studies()}
    st.selectbox(
        "Study",
        list(names),
        key="study",
        bind="query-params",
        format_func=lambda key: names.get(key, key),
        help="Bundled demo studies and your uploads. Upload on the Study data page.",
        placeholder="No study yet",
    )

    survey, error = load_current()
    # Personas carry their own segments: the sidebar filter would do nothing there.
    if nav.url_path == "personas":
        for key in ["seg_attrs", *(k for k in st.session_state if str(k).startswith("seg_v_"))]:
            if key in st.session_state:  # keep the filter for the other pages
                st.session_state[key] = st.session_state[key]
    elif survey is not None:
        st.subheader("Segment", help="Score only the respondents who match every condition.")
        attrs = st.multiselect(
            "Filter on",
            survey.attributes,
            key="seg_attrs",
            bind="query-params",
            placeholder="Everyone",
        )
        for attr in attrs:
            # Plain values: a bound widget writes its labels into the shared URL.
            values = sorted(survey.respondents[attr].dropna().astype(str).unique())
            st.multiselect(
                attr, values, key=f"seg_v_{attr}", bind="query-params", placeholder="Any value"
            )
        try:
            n_match = int(segment_mask(survey.respondents, segment_conditions()).sum())
        except ValueError:
            n_match = 0
        st.metric(
            "Respondents in segment",
            f"{n_match:,}",
            delta=f"of {survey.n_respondents:,}",
            delta_color="off",
            delta_arrow="off",
        )
    if survey is not None:
        with st.expander("Thresholds", icon=":material/tune:"):
            st.number_input(
                "Underserved from",
                0.0,
                20.0,
                10.0,
                0.5,
                key="t_solid",
                bind="query-params",
                help="Opportunity at or above which an outcome counts as underserved.",
            )
            st.number_input("High from", 0.0, 20.0, 12.0, 0.5, key="t_high", bind="query-params")
            st.number_input(
                "Extreme from", 0.0, 20.0, 15.0, 0.5, key="t_extreme", bind="query-params"
            )
            st.number_input(
                "Small sample below (n)",
                1,
                1000,
                30,
                1,
                key="min_n",
                help="Outcomes or segments with fewer valid answers are flagged.",
            )

nav.run()
