"""ODI Workbench: the Streamlit entrypoint. Routes the pages and draws the shared sidebar.

The study, its file and settings are resolved once per run here (a few queries) and handed to
the pages as a :class:`app_pages._shared.RunContext`; the pages read it with ``context()``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from app_pages.preload import preload_chart_library

st.set_page_config(
    page_title="ODI Workbench",
    # A local image: an icon name would be fetched from the internet, and fail offline.
    page_icon=str(Path(__file__).parent / "app_pages" / "assets" / "icon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)
# Before the imports below (a second or more in a fresh process): the browser loads Plotly
# while this run imports, opens the workspace and computes the page.
preload_chart_library()

from app_pages._shared import (  # noqa: E402
    RunContext,
    freeze_long_lived_objects,
    load_current,
    plain,
    resolve_study,
    segment_conditions,
    segmentable_attributes,
    set_context,
    sidebar_thresholds,
    study_from_param,
    study_labels,
)
from odi.analysis.scoring import DEFAULT_MIN_N, DEFAULT_THRESHOLDS  # noqa: E402
from odi.analysis.segments import segment_mask  # noqa: E402

# Per-user state, initialised once.
if "selected_outcomes" not in st.session_state:
    st.session_state.selected_outcomes = []
# A page asked to switch study (after an upload, a duplicate or an archive import): do it
# before the study selector is drawn, as a widget's value can only be set before it exists.
if "pending_study" in st.session_state:
    st.session_state.study = st.session_state.pop("pending_study")
elif "study" not in st.session_state and "study" in st.query_params:
    # A shared link names the study by its id (stable across renames).
    st.session_state.study = study_from_param(st.query_params["study"])

ctx = resolve_study()
set_context(ctx)
has_study = bool(ctx.studies)

study_page = st.Page(
    "app_pages/study.py", title="Study data", icon=":material/dataset:", url_path="study"
)
landscape_page = st.Page(
    "app_pages/landscape.py",
    title="Landscape",
    icon=":material/scatter_plot:",
    url_path="landscape",
)


def home() -> None:
    """The first screen: the landscape when there is a study, else Study data's first step."""
    st.switch_page(landscape_page if has_study else study_page)


pages = {
    "Study": [study_page],
    "Explore": [
        landscape_page,
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
    "": [st.Page(home, title="Home", url_path="home", default=True, visibility="hidden")],
}
nav = st.navigation(pages)


def _sidebar(ctx: RunContext) -> RunContext:
    """Draw the shared sidebar; return the context completed with the study's segment and
    thresholds."""
    if ctx.workspace is None:
        st.error(
            f"The workspace database cannot be opened: {st.session_state.get('workspace_error')}",
            icon=":material/database:",
        )
    names = study_labels(ctx.studies)
    picked = st.selectbox(
        "Study",
        list(names),
        key="study",
        format_func=lambda key: names.get(key, key),
        help="Bundled demo studies and your uploads. Upload, rename or delete on Study data.",
        placeholder="No study yet",
    )
    if picked is not None:
        st.query_params["study"] = str(picked)
    if str(picked) != (str(ctx.study.id) if ctx.study else "None"):
        # The URL named a study that is not there (or none): resolve the one shown.
        ctx = resolve_study()
        set_context(ctx)

    survey, _ = load_current()
    if survey is None:
        return ctx
    # Personas carry their own segments: the sidebar filter would do nothing there.
    if nav.url_path == "personas":
        for key in ["seg_attrs", *(k for k in st.session_state if str(k).startswith("seg_v_"))]:
            if key in st.session_state:  # keep the filter for the other pages
                st.session_state[key] = st.session_state[key]
    else:
        st.subheader("Segment", help="Score only the respondents who match every condition.")
        attrs = st.multiselect(
            "Filter on",
            segmentable_attributes(survey),
            key="seg_attrs",
            bind="query-params",
            placeholder="Everyone",
        )
        for attr in attrs:
            # Plain values: a bound widget writes its labels into the shared URL.
            values = sorted(survey.respondents[attr].dropna().astype(str).unique())
            st.multiselect(
                plain(attr),
                values,
                key=f"seg_v_{attr}",
                bind="query-params",
                placeholder="Any value",
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
    d = DEFAULT_THRESHOLDS
    with st.expander("Thresholds", icon=":material/tune:"):
        st.caption("Opportunity at or above which an outcome counts as underserved.")
        for label, key, default in (
            ("Underserved from", "t_solid", d.solid),
            ("High from", "t_high", d.high),
            ("Extreme from", "t_extreme", d.extreme),
        ):
            st.number_input(label, 0.0, 20.0, default, 0.5, key=key, bind="query-params")
        st.number_input(
            "Small sample below (n)",
            min_value=1,
            max_value=1000,
            value=DEFAULT_MIN_N,
            step=1,
            key="min_n",
            help="Outcomes or segments with fewer valid answers are flagged.",
        )
    chosen, problem = sidebar_thresholds()
    if problem:
        st.warning(problem, icon=":material/warning:")
    return replace(
        ctx,
        thresholds=chosen,
        threshold_problem=problem,
        min_n=int(st.session_state.get("min_n") or DEFAULT_MIN_N),
        where=segment_conditions(),
    )


with st.sidebar:
    set_context(_sidebar(ctx))

nav.run()
freeze_long_lived_objects()
