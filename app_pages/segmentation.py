import json
from dataclasses import replace

import streamlit as st

from app_pages._shared import (
    current_study,
    file_sha,
    min_n,
    plain,
    require_survey,
    thresholds,
    workspace,
)
from odi.analysis.segmentation import SegmentationSettings, segment
from odi.analysis.segmentation.saved import COLUMN_PREFIX, cluster_persona, segmentation_column
from odi.charts import segment_heatmap_figure
from odi.charts.segmentation import criteria_figure, sizes_figure
from odi.personas import MAX_PERSONAS
from odi.storage import NotFoundError, StorageError
from odi.storage.segmentations import (
    delete_segmentation,
    get_segmentation,
    list_segmentations,
    rename_clusters,
    save_segmentation,
)

st.title("Segmentation")
st.caption(
    "Needs-based segments: respondents clustered on their own answers (individual "
    "opportunity per outcome, importance + max(importance − satisfaction, 0)), not on their "
    "titles. k-means tries k = 2–8; k is recommended only where the clusters are stable "
    "over bootstrap resamples (mean adjusted Rand index ≥ 0.75), not tiny, and better "
    "separated than on shuffled answers. Otherwise the advice is not to segment."
)

survey = require_survey("Choose a demo study in the sidebar or upload a survey to segment it.")
study = current_study()
ws = workspace()
if study is None or ws is None:
    st.stop()
# Needs-based clusters come from the answers, not from earlier saved segmentations.
saved_columns = [c for c in survey.attributes if c.startswith(COLUMN_PREFIX)]
raw = replace(survey, respondents=survey.respondents.drop(columns=saved_columns))

c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
mode = c1.segmented_control(
    "Input per outcome",
    ["opportunity", "topbox"],
    default="opportunity",
    key="segm_input",
    format_func=lambda m: "Opportunity (raw ratings)" if m == "opportunity" else "Top-box",
)
k_choice = c2.selectbox(
    "k", ["recommended", *range(2, 9)], key="segm_k", help="Number of segments to show."
)
seed = c3.number_input("Seed", 0, 2**31 - 1, 0, 1, key="segm_seed")
resamples = c4.number_input(
    "Resamples", 4, 200, 20, 1, key="segm_resamples", help="Bootstrap resamples per k."
)
settings = SegmentationSettings(
    input="topbox" if mode == "topbox" else "opportunity",
    k=None if k_choice == "recommended" else int(k_choice),
    seed=int(seed),
    resamples=int(resamples),
)
run_key = f"segm_run_{study.id}"
key = json.dumps({"sha": file_sha(), "settings": settings.to_dict(), "n": survey.n_respondents})

if st.button("Find segments", key="segm_go", type="primary", icon=":material/hub:"):
    bar = st.progress(0.0, text="Building the needs matrix…")

    def report(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    try:
        result = segment(
            raw,
            settings=settings,
            progress=report,
            thresholds=thresholds(),
            min_n=min_n(),
        )
    except ValueError as exc:
        bar.empty()
        st.error(plain(exc), icon=":material/error:")
        st.stop()
    bar.empty()
    st.session_state[run_key] = (key, result)

stored = st.session_state.get(run_key)
if stored is None:
    st.info("Choose the settings and press **Find segments**.", icon=":material/hub:")
elif stored[0] != key:
    st.info("The settings changed: press **Find segments** to run again.", icon=":material/hub:")
if stored is not None:
    run = stored[1]
    if run.recommended_k is None:
        st.warning(run.message, icon=":material/block:")
    else:
        st.success(run.message, icon=":material/check_circle:")
    st.plotly_chart(
        criteria_figure(
            run.search.table,
            recommended_k=run.recommended_k,
            min_stability=run.search.settings.min_stability,
        ),
        key="segm_criteria",
    )
    st.dataframe(run.search.table.round(3), hide_index=True, key="segm_criteria_table")

    names: dict[str, str] = {}
    for p in run.profiles:
        names[p.label] = st.session_state.get(f"segm_name_{study.id}_{p.label}", p.name)
    shown = [f"{p.label} {names[p.label]}" for p in run.profiles]
    st.plotly_chart(sizes_figure(shown, [p.n for p in run.profiles]), key="segm_sizes")
    matrix = run.opportunity.T.copy()
    matrix.columns = shown
    st.plotly_chart(
        segment_heatmap_figure(
            matrix,
            n_by_segment={s: p.n for s, p in zip(shown, run.profiles, strict=True)},
            min_n=min_n(),
            statements={str(k): str(v) for k, v in survey.outcomes["statement"].items()},
            title="Opportunity by cluster",
        ),
        key="segm_heatmap",
    )

    saved_id = st.session_state.get(f"segm_saved_{study.id}", {}).get(key)
    saved_names: dict[str, str] = {}
    if saved_id is not None:
        try:
            saved_names = get_segmentation(ws, saved_id).names
        except NotFoundError:  # deleted here or in another session
            st.session_state[f"segm_saved_{study.id}"].pop(key, None)
            saved_id = None
    st.subheader("Save")
    s1, s2 = st.columns([3, 1])
    save_name = s1.text_input(
        "Name of this segmentation",
        value=f"Needs segments, k = {run.k}",
        key="segm_save_name",
    )
    if s2.button("Save segmentation", key="segm_save", disabled=saved_id is not None):
        try:
            rec = save_segmentation(
                ws,
                study.id,
                name=save_name,
                settings=run.search.settings.to_dict(),
                assignment=run.assignment,
                names=names,
                summary={
                    "recommended_k": run.recommended_k,
                    "stability": run.stability,
                    "message": run.message,
                },
                source_sha256=file_sha(),
            )
        except StorageError as exc:
            st.error(plain(exc), icon=":material/error:")
        else:
            st.session_state.setdefault(f"segm_saved_{study.id}", {})[key] = rec.id
            st.rerun()  # the sidebar filter lists the new attribute
    if saved_id is not None:
        st.caption(
            f"Saved as segmentation {saved_id}: the attribute **{segmentation_column(saved_id)}** "
            "in the sidebar filter and on the Segments page, and the segment of personas "
            "made from its clusters."
        )
        if saved_names != names and st.button("Save the new names", key="segm_rename"):
            try:
                rename_clusters(ws, saved_id, names)
            except StorageError as exc:
                st.error(plain(exc), icon=":material/error:")
            else:
                st.rerun()

    st.subheader("Clusters")
    tabs = st.tabs(shown)
    for tab, p in zip(tabs, run.profiles, strict=True):
        with tab:
            st.text_input(
                "Name",
                value=p.name,
                key=f"segm_name_{study.id}_{p.label}",
                help="Suggested from the cluster's most distinctive need; edit it, then save.",
            )
            m1, m2, m3 = st.columns(3)
            m1.metric("Respondents", f"{p.n:,}")
            m2.metric("Share", f"{p.share:.0%}")
            m3.metric("Stability (Jaccard)", f"{p.stability:.2f}")
            if p.n < min_n():
                st.warning(
                    f"Only {p.n} respondents: too few to score reliably (fewer than {min_n()}).",
                    icon=":material/warning:",
                )
            st.markdown("**Top unmet needs**")
            st.dataframe(p.top_needs.round(2), hide_index=True, key=f"segm_top_{p.label}")
            st.markdown("**What sets it apart** (significant vs the rest, BH-adjusted)")
            st.dataframe(p.distinctive.round(3), hide_index=True, key=f"segm_dist_{p.label}")
            st.markdown("**Attribute profile** (chi-square, Cramér's V; over-index 100 = as usual)")
            st.dataframe(p.attribute_tests.round(4), hide_index=True, key=f"segm_tests_{p.label}")
            st.dataframe(p.attributes.round(3), hide_index=True, key=f"segm_attrs_{p.label}")
            if st.button(
                "Create persona from this cluster",
                key=f"segm_persona_{p.label}",
                disabled=saved_id is None,
                help=None if saved_id is not None else "Save the segmentation first.",
                icon=":material/person_add:",
            ):
                existing = ws.list_personas(study.id)
                taken = [str(r.data.get("id", "")) for r in existing]
                persona = cluster_persona(
                    replace(p, name=names[p.label]), segmentation_id=saved_id, taken=taken
                )
                created = ws.create_persona(study.id, persona.to_dict())
                st.session_state.persona_pick = str(created.id)  # opens on it
                st.success(
                    f"Draft persona **{plain(created.name)}** created: its segment is cluster "
                    f"{p.label}; typical titles and context are marked inferred.",
                    icon=":material/person:",
                )
                if len(existing) + 1 > MAX_PERSONAS:
                    st.warning(
                        f"This study now has {len(existing) + 1} personas; more than "
                        f"{MAX_PERSONAS} usually means the ICP is not focused.",
                        icon=":material/warning:",
                    )
                st.page_link(
                    "app_pages/personas.py", label="Open Personas", icon=":material/person:"
                )

st.subheader("Saved segmentations")
saved = list_segmentations(ws, study.id)
if not saved:
    st.caption("None yet.")
else:
    st.dataframe(
        [
            {
                "id": r.id,
                "name": r.name,
                "attribute": segmentation_column(r.id),
                "k": r.k,
                "clusters": ", ".join(r.label(c) for c in sorted(r.names)),
                "saved": r.created_at.strftime("%Y-%m-%d %H:%M"),
            }
            for r in saved
        ],
        hide_index=True,
        key="segm_saved_table",
    )
    d1, d2 = st.columns([3, 1])
    doomed = d1.selectbox("Delete", [r.id for r in saved], key="segm_delete_pick", format_func=str)
    if d2.button("Delete", key="segm_delete"):
        delete_segmentation(ws, int(doomed))
        st.rerun()
