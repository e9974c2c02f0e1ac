import streamlit as st

from app_pages._shared import (
    cached_differences,
    require_survey,
    segment_conditions,
    thresholds,
)
from odi.charts import segment_heatmap_figure

st.title("Segments")
st.caption(
    "Opportunity for every outcome in each value of one attribute. Cells marked * differ "
    "significantly from the respondents outside the segment (two-proportion test on top-box "
    "shares, Benjamini–Hochberg adjusted over every cell of the heatmap and the table "
    "together, both sides). Small segments are greyed out."
)

survey = require_survey(
    "Choose a demo study in the sidebar or upload a survey to compare segments."
)
if not survey.attributes:
    st.info("This study has no respondent attributes to segment by.", icon=":material/info:")
    st.stop()

c1, c2 = st.columns([1, 1])
by = c1.selectbox("Compare values of", survey.attributes, key="seg_by")
mode = c2.segmented_control(
    "Show",
    ["opportunity", "difference"],
    key="seg_mode",
    default="opportunity",
    format_func=lambda m: "Opportunity" if m == "opportunity" else "Difference from overall",
)
min_n = int(st.session_state.get("min_n", 30))
where = segment_conditions()
with st.spinner("Comparing segments…"):
    comparison = cached_differences(survey, by, where, min_n, thresholds())
fig = segment_heatmap_figure(
    comparison.matrix(mode or "opportunity"),
    mode=mode or "opportunity",
    significance=comparison.significance_matrix(),
    n_by_segment=comparison.n_by_segment,
    min_n=min_n,
    statements=comparison.statements,
)
st.plotly_chart(fig, key="segment_heatmap", config={"displaylogo": False})
sig = comparison.table.loc[comparison.table["significant"]]
st.subheader(f"Significant differences ({len(sig)})")
st.caption(comparison.family)
if sig.empty:
    st.caption("No segment differs significantly from the rest on any outcome.")
else:
    st.dataframe(sig, hide_index=True, key="sig_table")
