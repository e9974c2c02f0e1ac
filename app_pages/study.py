from dataclasses import replace

import pandas as pd
import streamlit as st

from app_pages._shared import (
    current_import,
    current_raw_survey,
    current_study,
    import_options,
    save_import_options,
    save_study_settings,
    studies,
    study_settings,
    workspace,
)
from odi.design.lint import findings_by_id, lint_statements
from odi.importers import FORMAT_LABELS, ROLES, ColumnMap, ImportReport, LabelMap
from odi.importers.mapping import edits_from_table, outcome_table
from odi.importers.screening import FLAG_RULES, POLICY
from odi.scale import STANDARD_SCALES, parse_na_codes
from odi.storage import StorageError
from odi.survey import JOB_STEPS

st.title("Study data")
st.caption(
    "Open a bundled demo study or upload your survey export: Qualtrics, SurveyMonkey, Google "
    "Forms, SPSS, Excel, or a plain wide or long CSV. The format is detected from the content. "
    "Your file is kept exactly as uploaded, so you can re-import it with other settings."
)

ws = workspace()
upload = st.file_uploader(
    "Upload a survey export",
    key="survey_file",
    help="CSV, TSV, XLSX, JSON Lines or SPSS .sav.",
)
if upload is not None and ws is not None:
    data = upload.getvalue()
    marker = f"{upload.name}:{len(data)}:{hash(data)}"
    if st.session_state.get("handled_upload") != marker:
        st.session_state.handled_upload = marker
        progress = st.progress(0.1, text=f"Saving {upload.name} to the workspace…")
        try:
            study = ws.create_study(upload.name)
            ws.add_file(study.id, upload.name, data)
        except StorageError as exc:
            progress.empty()
            st.error(str(exc), icon=":material/error:")
            st.stop()
        progress.progress(0.6, text=f"Reading {upload.name}…")
        st.session_state.pending_study = str(study.id)
        st.rerun()

study = current_study()
with st.status("Reading the survey…", expanded=False) as status:
    result, found, error = current_import()
    if error:
        status.update(label="The file could not be imported", state="error", expanded=False)
    elif result is not None:
        status.update(
            label=f"Imported {study.name if study else result.survey.name}", state="complete"
        )

if error:
    st.error(error, icon=":material/error:")
report: ImportReport | None = result.report if result is not None else found

if report is not None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Format", FORMAT_LABELS.get(report.format, report.format), help=report.detail or None)
    c2.metric(
        "Respondents kept",
        f"{report.respondents_kept:,}",
        delta=f"of {report.respondents_total:,}",
        delta_color="off",
        delta_arrow="off",
    )
    c3.metric(
        "Outcomes",
        f"{len(report.outcomes):,}",
        help=f"Paired by {report.paired_by}" if report.paired_by else None,
    )
    enc = report.encoding or "binary"
    c4.metric(
        "Encoding",
        enc,
        help=f"{report.header_rows} header row(s)"
        + (f", delimiter {report.delimiter!r}" if report.delimiter else ""),
    )
    for warning in report.warnings:
        st.warning(warning, icon=":material/warning:")
    if report.problem and not error:
        st.error(report.problem, icon=":material/error:")

    opts = import_options()
    tab_quality, tab_outcomes, tab_columns, tab_scale = st.tabs(
        ["Data quality", "Outcomes", "Column mapping", "Scale and labels"]
    )

    with tab_quality:
        st.caption(POLICY)
        excluded, flagged = dict(report.excluded), dict(report.flagged)
        rules = [
            ("previews", "Previews, tests and spam"),
            ("unfinished", "Unfinished responses"),
            ("duplicates", "Duplicate response ids"),
            ("speeders", "Speeders (under a third of the median duration)"),
            ("straightliners", "Straight-liners (same answer on every importance item)"),
            ("sparse", "Sparse: answered fewer than half of the items shown"),
        ]
        changes = {}
        for field, label in rules:
            on = bool(getattr(opts.screening, field))
            count = (
                f"{excluded.get(field, 0):,} excluded"
                if on
                else f"{flagged.get(field, 0):,} flagged, kept"
                if field in FLAG_RULES
                else "off"
            )
            on_now = st.toggle(f"{label}: {count}", value=on, key=f"screen_{field}")
            if on_now != on:
                changes[field] = on_now
        if changes:
            save_import_options(replace(opts, screening=replace(opts.screening, **changes)))
            st.rerun()
        if report.screening_notes:
            for note in report.screening_notes:
                st.caption(note)
        if not report.exclusions.empty:
            with st.expander(f"Excluded respondents ({len(report.exclusions):,})"):
                st.dataframe(report.exclusions, hide_index=True, key="exclusions_table")
        if not report.flagged_respondents.empty:
            with st.expander(f"Flagged and kept ({len(report.flagged_respondents):,})"):
                st.dataframe(report.flagged_respondents, hide_index=True, key="flagged_table")

    with tab_outcomes:
        if result is None:
            st.info("Fix the problem above to edit the outcomes.", icon=":material/info:")
        else:
            st.caption(
                "Rename a statement, assign a job-map step or exclude an outcome; scores update "
                "at once. To fix which columns pair up, use the Column mapping tab."
            )
            edits = study_settings().get("outcome_edits", {})
            raw_survey = current_raw_survey() or result.survey
            table = outcome_table(raw_survey, edits)
            paired = {p.outcome_id: p for p in report.outcomes}
            table["importance column"] = [
                paired[o].importance_column if o in paired else "" for o in table["outcome_id"]
            ]
            table["satisfaction column"] = [
                paired[o].satisfaction_column if o in paired else "" for o in table["outcome_id"]
            ]
            lint = findings_by_id(lint_statements(table.rename(columns={"outcome_id": "id"})))
            table["lint"] = [lint.get(o, "") for o in table["outcome_id"]]
            version = st.session_state.setdefault("outcome_editor_version", 0)
            edited = st.data_editor(
                table,
                key=f"outcome_editor_{version}",
                hide_index=True,
                disabled=["outcome_id", "importance column", "satisfaction column", "lint"],
                column_config={
                    "statement": st.column_config.TextColumn(
                        "Statement", width="large", required=True
                    ),
                    "job_step": st.column_config.SelectboxColumn(
                        "Job step", options=["", *JOB_STEPS]
                    ),
                    "include": st.column_config.CheckboxColumn("Include"),
                    "lint": st.column_config.TextColumn(
                        "Statement check",
                        help="What the outcome-statement linter would change (Design page)",
                    ),
                },
            )
            new_edits = edits_from_table(raw_survey, edited)
            if new_edits != edits:
                save_study_settings(outcome_edits=new_edits)
                st.session_state.outcome_editor_version = version + 1
                st.rerun()

    with tab_columns:
        st.caption(
            "What the importer decided each column is. Change a column's role, or its "
            "**outcome** key to fix which importance and satisfaction columns pair up "
            "(they pair when the keys match). Nothing is dropped silently: ignored columns say why."
        )
        frame = report.columns.to_frame()
        version = st.session_state.setdefault("column_editor_version", 0)
        edited_cols = st.data_editor(
            frame,
            key=f"column_editor_{version}",
            hide_index=True,
            disabled=[
                c for c in frame.columns if c not in ("role", "outcome", "statement", "name")
            ],
            column_config={
                "role": st.column_config.SelectboxColumn(
                    "role", options=list(ROLES), required=True
                ),
            },
        )
        changed = edited_cols.loc[
            (
                edited_cols[["role", "outcome", "statement", "name"]].astype(str)
                != frame[["role", "outcome", "statement", "name"]].astype(str)
            ).any(axis=1)
        ]
        if not changed.empty:
            override = ColumnMap.from_frame(changed)
            previous = opts.column_map.merge(override) if opts.column_map else override
            try:
                save_import_options(replace(opts, column_map=previous))
            except ValueError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                st.session_state.column_editor_version = version + 1
                st.rerun()
        if opts.column_map is not None and st.button(
            "Reset the column mapping", key="reset_columns"
        ):
            save_import_options(replace(opts, column_map=None))
            st.session_state.column_editor_version = version + 1
            st.rerun()

    with tab_scale:
        scales = ["auto", *(f"{a}-{b}" for a, b in STANDARD_SCALES)]
        current = f"{opts.scale[0]}-{opts.scale[1]}" if opts.scale else "auto"
        c1, c2, c3 = st.columns(3)
        chosen = c1.selectbox(
            "Scale",
            scales,
            index=scales.index(current) if current in scales else 0,
            key="scale_pick",
            help="Inferred from the labels or answers when 'auto'.",
        )
        top = c2.number_input(
            "Top box from",
            value=opts.top_box,
            min_value=-100.0,
            max_value=100.0,
            step=1.0,
            key="top_box_pick",
            help="Lowest point counted as top box; blank = the top two.",
        )
        na_text = c3.text_input(
            "N/A codes",
            value=",".join(f"{c:g}" for c in opts.na_codes),
            key="na_codes_pick",
            placeholder="e.g. 0,6,99",
        )
        try:
            na = parse_na_codes(na_text) if na_text.strip() else ()
        except ValueError as exc:
            st.error(str(exc), icon=":material/error:")
            na = opts.na_codes
        scale = None if chosen == "auto" else tuple(int(x) for x in chosen.split("-"))
        if (scale, top, tuple(na)) != (opts.scale, opts.top_box, tuple(opts.na_codes)):
            save_import_options(replace(opts, scale=scale, top_box=top, na_codes=tuple(na)))
            st.rerun()
        if report.scale is not None:
            st.caption(f"Scale in use: {report.scale}, top box {report.scale.top_box:g} and up.")
        sides = [m for m in (report.importance_labels, report.satisfaction_labels) if m]
        if sides:
            st.markdown("**Answer labels → scale points** (both sides share one map)")
            frame = (
                pd.concat([m.to_frame() for m in sides]).drop_duplicates().reset_index(drop=True)
            )
            version = st.session_state.setdefault("label_editor_version", 0)
            edited_labels = st.data_editor(frame, key=f"labels_{version}", hide_index=True)
            if not edited_labels.equals(frame):
                try:
                    new_map = LabelMap.from_frame(edited_labels, name="edited")
                except ValueError as exc:
                    st.error(str(exc), icon=":material/error:")
                else:
                    save_import_options(replace(opts, label_map=new_map))
                    st.session_state.label_editor_version = version + 1
                    st.rerun()
            if opts.label_map is not None and st.button("Reset the label map", key="reset_labels"):
                save_import_options(replace(opts, label_map=None))
                st.session_state.label_editor_version = version + 1
                st.rerun()

    st.subheader("Respondent attributes")
    if report.attributes:
        st.write(", ".join(report.attributes))
    else:
        st.caption("No attribute columns: segments are not available for this study.")
elif not error:
    st.info("Upload a survey export, or pick a demo study in the sidebar.", icon=":material/info:")

if ws is not None:
    with st.expander("Move a study: export or import an archive", icon=":material/archive:"):
        st.caption(
            "An archive holds the study's files, settings and personas with their full history: "
            "for backups, or to hand a study to a colleague."
        )
        if study is not None:
            st.download_button(
                f"Download {study.name} as an archive",
                data=lambda: ws.export_study(study.id),
                file_name=f"{study.name}.odi.zip",
                mime="application/zip",
                key="export_archive",
                on_click="ignore",
                icon=":material/download:",
            )
        archive = st.file_uploader("Import an archive", type=["zip"], key="archive_file")
        if archive is not None:
            marker = f"{archive.name}:{archive.size}"
            if st.session_state.get("handled_archive") != marker:
                st.session_state.handled_archive = marker
                try:
                    imported_study = ws.import_study(archive.getvalue())
                except StorageError as exc:
                    st.error(str(exc), icon=":material/error:")
                else:
                    st.session_state.pending_study = str(imported_study.id)
                    st.rerun()
    st.caption(f"{len(studies())} studies in the workspace ({ws.url}).")
