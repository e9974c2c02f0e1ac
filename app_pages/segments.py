"""Segments: opportunity per value of one attribute, and the differences that are significant."""

from __future__ import annotations

from typing import Literal, cast

import streamlit as st

from app_pages._shared import (
    cached_differences,
    context,
    readable_differences,
    require_survey,
    segmentable_attributes,
)
from odi.charts import segment_heatmap_figure
from odi.survey import Survey

Mode = Literal["opportunity", "difference"]


@st.fragment
def heatmap(survey: Survey, attributes: list[str]) -> None:
    """The attribute picker, the heatmap and its table: reruns alone when they change."""
    ctx = context()
    c1, c2 = st.columns([1, 1])
    by = c1.selectbox("Compare values of", attributes, key="seg_by")
    picked = c2.segmented_control(
        "Show",
        ["opportunity", "difference"],
        key="seg_mode",
        default="opportunity",
        format_func=lambda m: "Opportunity" if m == "opportunity" else "Difference from overall",
    )
    mode = cast(Mode, picked or "opportunity")
    st.caption(
        "Two-proportion test on top-box shares, Benjamini–Hochberg adjusted over every cell of "
        f"the heatmap and the table together, both sides. Segments under {ctx.min_n} "
        "respondents are greyed out."
    )
    with st.spinner("Comparing segments…"):
        comparison = cached_differences(survey, by, ctx.where, ctx.min_n, ctx.thresholds)
    fig = segment_heatmap_figure(
        comparison.matrix(mode),
        mode=mode,
        significance=comparison.significance_matrix(),
        n_by_segment=comparison.n_by_segment,
        min_n=ctx.min_n,
        statements=comparison.statements,
    )
    st.plotly_chart(fig, key="segment_heatmap", config={"displaylogo": False})
    sig = comparison.table.loc[comparison.table["significant"]]
    st.subheader(f"Significant differences ({len(sig)})")
    st.caption(comparison.family)
    if sig.empty:
        st.caption("No segment differs significantly from the rest on any outcome.")
    else:
        frame, config = readable_differences(sig)
        st.dataframe(frame, hide_index=True, key="sig_table", column_config=config)


ctx = context()
st.title("Segments")
st.markdown(
    "**Next:** pick the attribute to compare; cells marked * differ significantly from the "
    "other respondents and are worth a persona."
)
survey = require_survey(
    "Choose a demo study in the sidebar or upload a survey to compare segments."
)
attributes = segmentable_attributes(survey)
if not attributes:
    st.info("This study has no respondent attributes to segment by.", icon=":material/info:")
    st.stop()

heatmap(survey, attributes)
