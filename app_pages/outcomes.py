"""Ranked outcomes: every statement with its scores in one readable table, and the chart."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages._shared import (
    context,
    display_table,
    plain,
    require_survey,
    score_columns,
    scores_for,
)
from odi.analysis.segments import describe_conditions
from odi.charts import ranked_bar_figure


def filtered(table: pd.DataFrame) -> pd.DataFrame:
    """The search and job-step filters, drawn in one row."""
    steps = [s for s in dict.fromkeys(table["job_step"]) if s]
    c1, c2 = st.columns([2, 2])
    query = c1.text_input("Search statements", key="out_search", placeholder="e.g. attribution")
    chosen_steps = c2.multiselect("Job steps", steps, key="out_steps", placeholder="All steps")
    shown = table
    if query:
        shown = shown.loc[shown["outcome"].str.contains(query, case=False, regex=False)]
    if chosen_steps:
        shown = shown.loc[shown["job_step"].isin(chosen_steps)]
    return shown


@st.fragment
def ranked(table: pd.DataFrame) -> None:
    """The search, the table and the chart: rerun alone when a filter changes."""
    ctx = context()
    shown = filtered(table)
    if shown.empty:
        st.info("No outcome matches the search.", icon=":material/search_off:")
        return
    as_table, as_chart = st.tabs(["Table", "Chart"], key="out_view", on_change="rerun")
    with as_table:
        st.dataframe(
            display_table(shown, ctx.thresholds),
            hide_index=True,
            height=min(640, 38 + 35 * len(shown)),
            column_config=score_columns(ctx.thresholds),
            key="outcomes_table",
        )
    with as_chart:
        steps = [s for s in dict.fromkeys(shown["job_step"]) if s]
        by_step = st.toggle("Group by step", key="out_group", disabled=not steps)
        st.plotly_chart(
            ranked_bar_figure(
                shown, thresholds=ctx.thresholds, group_by_step=by_step, label_chars=60
            ),
            key="ranked_chart",
            config={"displaylogo": False},
        )


ctx = context()
st.title("Ranked outcomes")
st.markdown(
    "**Next:** read the top of the list; an outcome flagged *near the threshold* needs more "
    "answers before you act on it."
)
survey = require_survey(
    "Choose a demo study in the sidebar or upload a survey to rank its outcomes."
)
with st.spinner("Scoring…"):
    result = scores_for(survey, where=ctx.where)
table = result.for_segment()
st.caption(
    f"**{plain(describe_conditions(ctx.where))}** · "
    f"n = {int(result.segments['n_respondents'].iloc[0]):,}"
    f" · ranked by opportunity, with 95% bootstrap intervals; underserved from "
    f"{ctx.thresholds.solid:g}."
)
ranked(table)
