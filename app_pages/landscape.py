import streamlit as st

from app_pages._shared import (
    display_table,
    require_survey,
    scores_for,
    segment_conditions,
    thresholds,
)
from odi.analysis.segments import describe_conditions
from odi.charts import landscape_figure, selected_outcome_ids

st.title("Opportunity landscape")
st.caption(
    "Each point is a desired outcome: how important it is (x) and how satisfied people are "
    "with today's solutions (y), as the share of top-box answers on 0–10. **Opportunity** = "
    "importance + max(importance − satisfaction, 0). Outcomes in the shaded band below the "
    "lines are **underserved** (opportunity ≥ 10, 12, 15); above the diagonal they are "
    "**overserved**."
)

survey = require_survey(
    "Choose a demo study in the sidebar or upload a survey to see its landscape."
)

where = segment_conditions()


@st.fragment
def landscape() -> None:
    c1, c2 = st.columns([1, 1])
    label_top = c1.slider(
        "Label the top outcomes",
        0,
        40,
        10,
        key="land_label_top",
        help="Only the highest-opportunity outcomes get a text label; hover for the rest.",
    )
    compare = c2.toggle(
        "Compare the segment with everyone",
        key="land_compare",
        disabled=not where,
        help="Draws an arrow from each outcome's position for all respondents to its "
        "position in the segment. Pick a segment in the sidebar first.",
    )
    with st.spinner("Scoring…"):
        result = scores_for(survey, where=where)
        table = result.for_segment()
        base = scores_for(survey).for_segment() if (compare and where) else None
    n = int(result.segments["n_respondents"].iloc[0])
    st.markdown(f"**{describe_conditions(where)}** · n = {n:,}")
    if n < int(st.session_state.get("min_n", 30)):
        st.warning(
            f"This segment has only {n} respondents: its scores are uncertain. Widen the "
            "segment or read the intervals before acting on the ranking.",
            icon=":material/warning:",
        )
    fig = landscape_figure(table, thresholds=thresholds(), label_top=label_top, compare=base)
    event = st.plotly_chart(
        fig,
        key="landscape_chart",
        on_select="rerun",
        selection_mode=("box", "lasso", "points"),
        config={"displaylogo": False},
    )
    ids = selected_outcome_ids(event, fig)
    st.session_state.selected_outcomes = ids
    st.subheader(f"Selected outcomes ({len(ids)})")
    if ids:
        chosen = table.loc[table["outcome_id"].isin(ids)]
        st.dataframe(display_table(chosen), hide_index=True, key="selected_table")
        st.caption("These are ready for the Personas page: add them to a persona's unmet needs.")
    else:
        st.caption("Drag a box or a lasso around points on the chart to select outcomes.")


landscape()
