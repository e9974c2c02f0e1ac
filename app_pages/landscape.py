"""The opportunity landscape: the first screen when a study is loaded.

The chart and its numbered list fit a 1280 x 720 window; the method note is one click away.
The selection is kept per study, so it survives leaving and returning to the page.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages._shared import (
    RunContext,
    context,
    display_table,
    plain,
    require_survey,
    score_columns,
    scores_for,
)
from odi.analysis.segments import describe_conditions
from odi.charts import landscape_figure, selected_outcome_ids
from odi.charts.landscape import top_outcomes
from odi.survey import Survey

CHART_HEIGHT = 500
SELECTED = "selected_outcomes"
SELECTED_STUDY = "selected_outcomes_study"


def method_note(ctx: RunContext) -> None:
    t = ctx.thresholds
    with st.popover("How to read it", icon=":material/help:"):
        st.markdown(
            "Each point is a desired outcome: how important it is (x) and how satisfied people "
            "are with today's solutions (y), as the share of top-box answers on 0–10.\n\n"
            "**Opportunity** = importance + max(importance − satisfaction, 0). Outcomes in "
            f"the shaded bands are **underserved** (opportunity ≥ {t.solid:g}; high from "
            f"{t.high:g}, extreme from {t.extreme:g}); above the diagonal they are "
            "**overserved**. Change the thresholds in the sidebar."
        )


def restore_selection(fig: go.Figure, ids: list[str]) -> None:
    """Show a kept selection on a freshly drawn chart."""
    wanted = set(ids)
    for trace in fig.data:
        data = trace.customdata
        if data is None or not len(data) or data[0][1] != "outcome":
            continue
        trace.selectedpoints = [i for i, cd in enumerate(data) if cd[0] in wanted]


def kept_selection(ctx: RunContext) -> list[str]:
    if ctx.study is None or st.session_state.get(SELECTED_STUDY) != ctx.study.id:
        return []
    return list(st.session_state.get(SELECTED, []))


def chart_options(ctx: RunContext) -> tuple[int, bool]:
    with st.popover("Chart options", icon=":material/tune:"):
        label_top = st.slider(
            "Number the top outcomes",
            0,
            30,
            10,
            key="land_label_top",
            help="The highest-opportunity outcomes get a number, listed beside the chart.",
        )
        compare = st.toggle(
            "Compare the segment with everyone",
            key="land_compare",
            disabled=not ctx.where,
            help="Draws an arrow from each outcome's position for all respondents to its "
            "position in the segment. Pick a segment in the sidebar first.",
        )
    return label_top, compare


@st.fragment
def landscape(survey: Survey) -> None:
    ctx = context()
    head, opts, note = st.columns([4, 1.3, 1.3], vertical_alignment="center")
    with opts:
        label_top, compare = chart_options(ctx)
    with note:
        method_note(ctx)
    with st.spinner("Scoring…"):
        result = scores_for(survey, where=ctx.where)
        table = result.for_segment()
        base = scores_for(survey).for_segment() if (compare and ctx.where) else None
    n = int(result.segments["n_respondents"].iloc[0])
    head.markdown(f"**{plain(describe_conditions(ctx.where))}** · n = {n:,}")
    if n < ctx.min_n:
        st.warning(
            f"This segment has only {n} respondents: its scores are uncertain. Widen the "
            "segment or read the intervals before acting on the ranking.",
            icon=":material/warning:",
        )
    fig = landscape_figure(
        table,
        thresholds=ctx.thresholds,
        label_top=label_top,
        label_by="rank",
        compare=base,
        height=CHART_HEIGHT,
        label_px_per_unit=32,
    )
    chart_key = ctx.key("landscape_chart")
    fresh = chart_key not in st.session_state
    kept = kept_selection(ctx)
    if fresh and kept:
        restore_selection(fig, kept)
    left, right = st.columns([2, 1])
    with left:
        event = st.plotly_chart(
            fig,
            key=chart_key,
            on_select="rerun",
            selection_mode=("box", "lasso", "points"),
            config={"displaylogo": False},
        )
    with right:
        top_list(top_outcomes(table, label_top))
    ids = selected_outcome_ids(event, fig)
    if fresh and not ids:
        ids = kept
    st.session_state[SELECTED] = ids
    st.session_state[SELECTED_STUDY] = ctx.study.id if ctx.study else None
    selected_table(table, ids, ctx)


def top_list(top: pd.DataFrame) -> None:
    """The numbered outcomes of the chart, in full words, beside it."""
    with st.container(height=CHART_HEIGHT - 20, border=False):
        if top.empty:
            st.caption("Number the top outcomes in Chart options to list them here.")
            return
        st.markdown(
            "\n".join(
                f"{r.rank}. {safe(str(r.outcome))} · **{r.opportunity:.1f}**"
                for r in top.itertuples()
            )
        )


def safe(text: str) -> str:
    """User text shown as Markdown literally."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~" else c for c in text)


def selected_table(table: pd.DataFrame, ids: list[str], ctx: RunContext) -> None:
    st.subheader(f"Selected outcomes ({len(ids)})")
    if not ids:
        st.caption("Drag a box or a lasso around points on the chart to select outcomes.")
        return
    chosen = table.loc[table["outcome_id"].isin(ids)]
    st.dataframe(
        display_table(chosen, ctx.thresholds),
        hide_index=True,
        key="selected_table",
        column_config=score_columns(ctx.thresholds),
    )
    st.caption("These are ready for the Personas page: add them to a persona's unmet needs.")
    st.page_link("app_pages/personas.py", label="Add them to a persona", icon=":material/person:")


st.title("Opportunity landscape")
t = context().thresholds
st.markdown(
    f"**Next:** lower right = underserved (O ≥ {t.solid:g}). Drag a box around points to list them."
)
landscape(
    require_survey("Choose a demo study in the sidebar or upload a survey to see its landscape.")
)
