import streamlit as st

from app_pages._shared import (
    display_table,
    require_survey,
    score_columns,
    scores_for,
    segment_conditions,
    thresholds,
)
from odi.analysis.segments import describe_conditions
from odi.charts import ranked_bar_figure

st.title("Ranked outcomes")
st.caption(
    "Outcomes ranked by opportunity, with 95% bootstrap intervals. An outcome whose interval "
    "crosses the underserved threshold is flagged: the data cannot yet say which side it is on."
)

survey = require_survey(
    "Choose a demo study in the sidebar or upload a survey to rank its outcomes."
)

where = segment_conditions()
with st.spinner("Scoring…"):
    result = scores_for(survey, where=where)
table = result.for_segment()
st.markdown(
    f"**{describe_conditions(where)}** · n = {int(result.segments['n_respondents'].iloc[0]):,}"
)

steps = [s for s in dict.fromkeys(table["job_step"]) if s]
c1, c2, c3 = st.columns([2, 2, 1])
query = c1.text_input("Search statements", key="out_search", placeholder="e.g. attribution")
chosen_steps = c2.multiselect("Job steps", steps, key="out_steps", placeholder="All steps")
by_step = c3.toggle("Group by step", key="out_group", disabled=not steps)

shown = table
if query:
    shown = shown.loc[shown["outcome"].str.contains(query, case=False, regex=False)]
if chosen_steps:
    shown = shown.loc[shown["job_step"].isin(chosen_steps)]

if shown.empty:
    st.info("No outcome matches the search.", icon=":material/search_off:")
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.plotly_chart(
        ranked_bar_figure(shown, thresholds=thresholds(), group_by_step=by_step, label_chars=38),
        key="ranked_chart",
        config={"displaylogo": False},
    )
with right:
    st.dataframe(
        display_table(shown),
        hide_index=True,
        height=min(900, 38 + 35 * len(shown)),
        column_config=score_columns(),
    )
