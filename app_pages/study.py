"""Study data: upload a survey, manage studies, check the import and fix its settings.

Every widget that edits a study's settings is keyed by the study and saves from its own
``on_change`` callback, so a study switch never carries one study's settings into another.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from app_pages._shared import (
    QUALITY_TAB,
    SCALE_TAB,
    AppFix,
    RunContext,
    app_fix,
    cached_raw_import,
    change_import_options,
    context,
    current_import,
    current_raw_survey,
    import_options,
    limits,
    plain,
    save_import_options,
    save_study_settings,
    segmentable_attributes,
    unreadable,
)
from odi.design.lint import findings_by_id, lint_statements
from odi.importers import FORMAT_LABELS, ROLES, ColumnMap, ImportOptions, ImportReport, LabelMap
from odi.importers.mapping import edits_from_table, outcome_table
from odi.importers.screening import FLAG_RULES, POLICY
from odi.scale import STANDARD_SCALES, parse_na_codes
from odi.storage import StorageError, Workspace
from odi.survey import JOB_STEPS

TABS = [QUALITY_TAB, "Outcomes", "Column mapping", SCALE_TAB]
SCALES = ["auto", *(f"{a}-{b}" for a, b in STANDARD_SCALES)]
RULES = [
    ("previews", "Previews, tests and spam"),
    ("unfinished", "Unfinished responses"),
    ("duplicates", "Duplicate response ids"),
    ("speeders", "Speeders (under a third of the median duration)"),
    ("straightliners", "Straight-liners (same answer on every importance item)"),
    ("sparse", "Sparse: answered fewer than half of the items shown"),
]
ENCODINGS = {
    "utf-8-sig": "Unicode (UTF-8) with a byte-order mark",
    "utf-16": "Unicode (UTF-16)",
    "utf-16-le": "Unicode (UTF-16)",
    "utf-16-be": "Unicode (UTF-16)",
    "cp1252": "Western European (Windows-1252)",
    "windows-1252": "Western European (Windows-1252)",
    "latin-1": "Western European (ISO 8859-1)",
    "iso-8859-1": "Western European (ISO 8859-1)",
}


def switch_to(study_id: int) -> None:
    st.session_state.pending_study = str(study_id)
    st.rerun()


# ----------------------------------------------------------------------------- upload


def store_upload(ws: Workspace, name: str, data: bytes, fix: AppFix | None = None) -> None:
    """Keep an upload as a new study and open it (on the tab that fixes it, if it failed)."""
    try:  # one transaction: a failed upload leaves no empty study
        study = ws.create_study_with_file(name, name, data)
    except Exception as exc:  # the upload's error boundary
        message = str(exc) if isinstance(exc, ValueError) else unreadable(exc, source=name)
        st.error(plain(message), icon=":material/error:")
        return
    if fix is not None and fix.tab:
        st.session_state["study_tab_request"] = fix.tab
    switch_to(study.id)


def upload_section(ws: Workspace | None) -> None:
    upload = st.file_uploader(
        "Upload a survey export",
        key="survey_file",
        help="CSV, TSV, XLSX, JSON Lines or SPSS .sav: Qualtrics, SurveyMonkey, Google Forms, "
        "SPSS, Excel or a plain wide or long table. The format is detected from the content.",
    )
    if upload is None or ws is None:
        return
    data = upload.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    if st.session_state.get("handled_upload") == sha:
        return
    same = ws.studies_with_file(sha)
    if same:
        st.info(
            f"**{plain(upload.name)}** is already in the workspace as **{plain(same[-1].name)}**.",
            icon=":material/content_copy:",
        )
        c1, c2, _ = st.columns([1, 1, 2])
        if c1.button(f"Open {plain(same[-1].name)}", key="open_existing", type="primary"):
            st.session_state.handled_upload = sha
            switch_to(same[-1].id)
        if c2.button("Add it again as a new study", key="add_again"):
            st.session_state.handled_upload = sha
            store_upload(ws, upload.name, data)
        return
    try:
        cached_raw_import(sha, upload.name, "{}", data)
    except Exception as exc:  # the upload's error boundary: expected errors say what to do
        message = str(exc) if isinstance(exc, ValueError) else unreadable(exc, source=upload.name)
        fix = app_fix(message)
        st.error(
            plain(f"{upload.name} could not be imported: {fix.message}"), icon=":material/error:"
        )
        if st.button(
            "Keep it to fix its settings",
            key="keep_failed_upload",
            help="Adds the file as a study so you can set its scale, N/A codes or columns.",
        ):
            st.session_state.handled_upload = sha
            store_upload(ws, upload.name, data, fix)
        return
    st.session_state.handled_upload = sha
    store_upload(ws, upload.name, data)


# ----------------------------------------------------------------------------- manage


def _rename(ws: Workspace, study_id: int, key: str) -> None:
    name = str(st.session_state.get(key) or "").strip()
    if name:
        try:
            ws.rename_study(study_id, name)
        except (StorageError, ValueError) as exc:
            st.session_state["manage_error"] = str(exc)


def manage_section(ctx: RunContext) -> None:
    """Rename, duplicate or delete the current study (delete asks first)."""
    ws, study = ctx.workspace, ctx.study
    if ws is None or study is None:
        return
    with st.expander(f"Manage {plain(study.name)}", icon=":material/edit:"):
        if error := st.session_state.pop("manage_error", None):
            st.error(plain(error), icon=":material/error:")
        c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        c1.text_input(
            "Study name",
            value=study.name,
            key=ctx.key("rename"),
            on_change=_rename,
            args=(ws, study.id, ctx.key("rename")),
        )
        if c2.button("Duplicate", key="duplicate_study", icon=":material/content_copy:"):
            copy = ws.duplicate_study(study.id)
            switch_to(copy.id)
        if c3.button("Delete…", key="delete_study", icon=":material/delete:"):
            st.session_state["confirm_delete"] = study.id
        if st.session_state.get("confirm_delete") == study.id:
            n_files, n_personas = len(ws.list_files(study.id)), len(ws.list_personas(study.id))
            st.warning(
                f"Delete **{plain(study.name)}** with its {n_files} file(s) and {n_personas} "
                "persona(s)? This cannot be undone; download an archive below first to keep a "
                "copy.",
                icon=":material/warning:",
            )
            d1, d2, _ = st.columns([1, 1, 3])
            if d1.button("Delete for good", key="confirm_delete_study", type="primary"):
                ws.delete_study(study.id)
                st.session_state.pop("confirm_delete", None)
                st.session_state.pop("study", None)
                st.toast(f"Deleted {plain(study.name)}.", icon=":material/delete:")
                st.rerun()
            if d2.button("Cancel", key="cancel_delete_study"):
                st.session_state.pop("confirm_delete", None)
                st.rerun()


# ----------------------------------------------------------------------------- summary


def summary_line(report: ImportReport) -> str:
    """What was read, in one line: the format in full, header rows, and the encoding in words
    only when it is not plain UTF-8."""
    parts = [f"Read as **{FORMAT_LABELS.get(report.format, report.format)}**"]
    if report.detail:
        parts.append(report.detail)
    if report.header_rows > 1:
        parts.append(f"{report.header_rows} header rows")
    enc = (report.encoding or "").lower()
    if enc in ENCODINGS:
        parts.append(ENCODINGS[enc])
    elif enc and enc not in ("utf-8", "ascii", "binary"):
        parts.append(f"text encoding {report.encoding}")
    return " · ".join(parts)


def summary_section(report: ImportReport | None, ok: bool) -> None:
    if report is None:
        return
    st.caption(summary_line(report))
    if not ok:
        return  # counts of a failed import would contradict the error above
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Respondents kept",
        f"{report.respondents_kept:,}",
        delta=f"of {report.respondents_total:,}",
        delta_color="off",
        delta_arrow="off",
    )
    c2.metric(
        "Outcomes",
        f"{len(report.outcomes):,}",
        help=f"Paired by {report.paired_by}" if report.paired_by else None,
    )
    c3.metric("Respondent attributes", f"{len(report.attributes):,}")
    for warning in report.warnings:
        st.warning(plain(warning), icon=":material/warning:")


# ----------------------------------------------------------------------------- tabs


def _set_rule(study_id: int, field: str, key: str) -> None:
    on = bool(st.session_state.get(key))
    change_import_options(
        study_id, lambda o: replace(o, screening=replace(o.screening, **{field: on}))
    )


def quality_tab(ctx: RunContext, report: ImportReport, opts: ImportOptions) -> None:
    st.caption(POLICY)
    excluded, flagged = dict(report.excluded), dict(report.flagged)
    assert ctx.study is not None
    for field, label in RULES:
        on = bool(getattr(opts.screening, field))
        count = (
            f"{excluded.get(field, 0):,} excluded"
            if on
            else f"{flagged.get(field, 0):,} flagged, kept"
            if field in FLAG_RULES
            else "off"
        )
        key = ctx.key(f"screen_{field}")
        st.toggle(
            f"{label}: {count}",
            value=on,
            key=key,
            on_change=_set_rule,
            args=(ctx.study.id, field, key),
        )
    for note in report.screening_notes:
        st.caption(note)
    if not report.exclusions.empty:
        with st.expander(f"Excluded respondents ({len(report.exclusions):,})"):
            st.dataframe(report.exclusions, hide_index=True, key="exclusions_table")
    if not report.flagged_respondents.empty:
        with st.expander(f"Flagged and kept ({len(report.flagged_respondents):,})"):
            st.dataframe(report.flagged_respondents, hide_index=True, key="flagged_table")


def outcomes_tab(ctx: RunContext, report: ImportReport, ok: bool) -> None:
    result, _, _ = current_import()
    if not ok or result is None:
        st.info("Fix the problem above to edit the outcomes.", icon=":material/info:")
        return
    st.caption(
        "Rename a statement, assign a job-map step or exclude an outcome; scores update at "
        "once. To fix which columns pair up, use the Column mapping tab."
    )
    edits = ctx.settings.get("outcome_edits", {})
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
    version = st.session_state.setdefault(ctx.key("outcome_editor_version"), 0)
    edited = st.data_editor(
        table,
        key=f"{ctx.key('outcome_editor')}_{version}",
        hide_index=True,
        disabled=["outcome_id", "importance column", "satisfaction column", "lint"],
        column_config={
            "outcome_id": st.column_config.TextColumn("Id", width="small"),
            "statement": st.column_config.TextColumn("Statement", width="large", required=True),
            "job_step": st.column_config.SelectboxColumn("Job step", options=["", *JOB_STEPS]),
            "include": st.column_config.CheckboxColumn("Include"),
            "importance column": st.column_config.TextColumn("Importance column"),
            "satisfaction column": st.column_config.TextColumn("Satisfaction column"),
            "lint": st.column_config.TextColumn(
                "Statement check",
                help="What the outcome-statement linter would change (Design page)",
            ),
        },
    )
    new_edits = edits_from_table(raw_survey, edited)
    if new_edits != edits:
        save_study_settings(outcome_edits=new_edits)
        st.session_state[ctx.key("outcome_editor_version")] = version + 1
        st.rerun()


COLUMN_HEADERS = {
    "column": "Column",
    "role": "Role",
    "position": "Position",
    "header": "Header",
    "question": "Question",
    "statement": "Statement",
    "import_id": "Import id",
    "outcome": "Outcome key",
    "name": "Name",
    "detail": "Why",
}


def columns_tab(ctx: RunContext, report: ImportReport, opts: ImportOptions) -> None:
    st.caption(
        "What the importer decided each column is. Change a column's role, or its "
        "**outcome** key to fix which importance and satisfaction columns pair up "
        "(they pair when the keys match). Nothing is dropped silently: ignored columns say why."
    )
    frame = report.columns.to_frame()
    editable = ("role", "outcome", "statement", "name")
    version = st.session_state.setdefault(ctx.key("column_editor_version"), 0)
    config: dict[str, Any] = {
        c: st.column_config.Column(COLUMN_HEADERS.get(c, c.replace("_", " ").capitalize()))
        for c in frame.columns
    }
    config["role"] = st.column_config.SelectboxColumn("Role", options=list(ROLES), required=True)
    edited_cols = st.data_editor(
        frame,
        key=f"{ctx.key('column_editor')}_{version}",
        hide_index=True,
        disabled=[c for c in frame.columns if c not in editable],
        column_config=config,
    )
    changed = edited_cols.loc[
        (edited_cols[list(editable)].astype(str) != frame[list(editable)].astype(str)).any(axis=1)
    ]
    if not changed.empty:
        override = ColumnMap.from_frame(changed)
        previous = opts.column_map.merge(override) if opts.column_map else override
        try:
            save_import_options(replace(opts, column_map=previous))
        except ValueError as exc:
            st.error(plain(exc), icon=":material/error:")
        else:
            st.session_state[ctx.key("column_editor_version")] = version + 1
            st.rerun()
    if opts.column_map is not None and st.button("Reset the column mapping", key="reset_columns"):
        save_import_options(replace(opts, column_map=None))
        st.session_state[ctx.key("column_editor_version")] = version + 1
        st.rerun()


def _set_scale(study_id: int, key: str) -> None:
    chosen = str(st.session_state.get(key) or "auto")
    scale = None if chosen == "auto" else tuple(int(x) for x in chosen.split("-"))
    change_import_options(study_id, lambda o: replace(o, scale=scale))  # type: ignore[arg-type]


def _set_top_box(study_id: int, key: str) -> None:
    value = st.session_state.get(key)
    top = None if value in (None, "auto") else float(value)
    change_import_options(study_id, lambda o: replace(o, top_box=top))


def top_box_choices(report: ImportReport, opts: ImportOptions) -> list[str]:
    """The scale points a top box can start from (so it cannot be set off the scale)."""
    if report.scale is not None:
        values = [float(v) for v in report.scale.points]
    elif opts.scale is not None:
        values = [float(v) for v in range(opts.scale[0], opts.scale[1] + 1)]
    else:
        values = [float(v) for v in range(0, 11)]
    if opts.top_box is not None and opts.top_box not in values:
        values.append(opts.top_box)  # a saved value off the scale stays visible to be fixed
    return [f"{v:g}" for v in sorted(values)]


def _set_na_codes(study_id: int, key: str) -> None:
    text = str(st.session_state.get(key) or "")
    try:
        codes = tuple(parse_na_codes(text)) if text.strip() else ()
    except ValueError as exc:
        st.session_state[f"{key}_error"] = str(exc)
        return
    st.session_state.pop(f"{key}_error", None)
    change_import_options(study_id, lambda o: replace(o, na_codes=codes))


def scale_tab(ctx: RunContext, report: ImportReport, opts: ImportOptions, fix: AppFix) -> None:
    assert ctx.study is not None
    sid = ctx.study.id
    scale_key, top_key, na_key = ctx.key("scale_pick"), ctx.key("top_box_pick"), ctx.key("na")
    current = f"{opts.scale[0]}-{opts.scale[1]}" if opts.scale else "auto"
    if fix.na_codes or fix.scale:
        suggested = " and ".join(
            x
            for x in (
                f"N/A codes {fix.na_codes}" if fix.na_codes else "",
                f"scale {fix.scale}" if fix.scale else "",
            )
            if x
        )
        if st.button(f"Use the suggested {suggested}", key="apply_fix", type="primary"):
            if fix.na_codes:
                st.session_state[na_key] = fix.na_codes
                _set_na_codes(sid, na_key)
            if fix.scale:
                st.session_state[scale_key] = fix.scale
                _set_scale(sid, scale_key)
            st.rerun()
    c1, c2, c3 = st.columns(3)
    c1.selectbox(
        "Scale",
        SCALES,
        index=SCALES.index(current) if current in SCALES else 0,
        key=scale_key,
        on_change=_set_scale,
        args=(sid, scale_key),
        help="Inferred from the labels or answers when 'auto'.",
    )
    points = top_box_choices(report, opts)
    top_now = "auto" if opts.top_box is None else f"{opts.top_box:g}"
    c2.selectbox(
        "Top box from",
        ["auto", *points],
        index=["auto", *points].index(top_now) if top_now in points else 0,
        key=top_key,
        on_change=_set_top_box,
        args=(sid, top_key),
        format_func=lambda v: "Automatic (the top two points)" if v == "auto" else v,
        help="Lowest scale point counted as top box; 'Automatic' counts the top two.",
    )
    c3.text_input(
        "N/A codes",
        value=",".join(f"{c:g}" for c in opts.na_codes),
        key=na_key,
        on_change=_set_na_codes,
        args=(sid, na_key),
        placeholder=f"e.g. {fix.na_codes}" if fix.na_codes else "e.g. 0,6,99",
        help="Answer codes that mean 'not applicable' (left out of the scores).",
    )
    if error := st.session_state.get(f"{na_key}_error"):
        st.error(plain(error), icon=":material/error:")
    if report.scale is not None:
        st.caption(f"Scale in use: {report.scale}, top box {report.scale.top_box:g} and up.")
    labels_editor(ctx, report, opts)


def labels_editor(ctx: RunContext, report: ImportReport, opts: ImportOptions) -> None:
    sides = [m for m in (report.importance_labels, report.satisfaction_labels) if m]
    if not sides:
        return
    st.markdown("**Answer labels → scale points** (both sides share one map)")
    frame = pd.concat([m.to_frame() for m in sides]).drop_duplicates().reset_index(drop=True)
    version = st.session_state.setdefault(ctx.key("label_editor_version"), 0)
    edited_labels = st.data_editor(frame, key=f"{ctx.key('labels')}_{version}", hide_index=True)
    if not edited_labels.equals(frame):
        try:
            new_map = LabelMap.from_frame(edited_labels, name="edited")
        except ValueError as exc:
            st.error(plain(exc), icon=":material/error:")
        else:
            save_import_options(replace(opts, label_map=new_map))
            st.session_state[ctx.key("label_editor_version")] = version + 1
            st.rerun()
    if opts.label_map is not None and st.button("Reset the label map", key="reset_labels"):
        save_import_options(replace(opts, label_map=None))
        st.session_state[ctx.key("label_editor_version")] = version + 1
        st.rerun()


def import_section(ctx: RunContext) -> None:
    result, found, error = current_import()
    fix = app_fix(error) if error else AppFix("")
    if error:
        st.error(plain(fix.message), icon=":material/error:")
    report = result.report if result is not None else found
    if report is None:
        if not error:
            st.info(
                "**First step:** upload your survey export above, or pick a demo study in the "
                "sidebar.",
                icon=":material/upload_file:",
            )
        return
    ok = result is not None
    summary_section(report, ok)
    if report.problem and not error:
        st.error(plain(report.problem), icon=":material/error:")
    if requested := st.session_state.pop("study_tab_request", None):
        st.session_state["study_tab"] = requested
    elif fix.tab and "study_tab" not in st.session_state:
        st.session_state["study_tab"] = fix.tab
    opts = import_options()
    quality, outcomes, columns, scale = st.tabs(TABS, key="study_tab", on_change="rerun")
    with quality:
        quality_tab(ctx, report, opts)
    with outcomes:
        outcomes_tab(ctx, report, ok)
    with columns:
        columns_tab(ctx, report, opts)
    with scale:
        scale_tab(ctx, report, opts, fix)
    if ok:
        attributes_section(report)


def attributes_section(report: ImportReport) -> None:
    st.subheader("Respondent attributes")
    if not report.attributes:
        st.caption("No attribute columns: segments are not available for this study.")
        return
    survey, _, _ = current_import()
    usable = segmentable_attributes(survey.survey) if survey else []
    st.text(", ".join(report.attributes))
    free = [a for a in report.attributes if a not in usable]
    if free:
        st.caption(f"Not offered as segments (free text or one value): {plain(', '.join(free))}.")


# ----------------------------------------------------------------------------- archive


def archive_section(ctx: RunContext) -> None:
    ws, study = ctx.workspace, ctx.study
    if ws is None:
        return
    with st.expander("Move a study: export or import an archive", icon=":material/archive:"):
        st.caption(
            "An archive holds the study's files, settings and personas with their full history: "
            "for backups, or to hand a study to a colleague."
        )
        if study is not None:
            st.download_button(
                f"Download {plain(study.name)} as an archive",
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
                st.session_state.archive_error = None
                try:
                    imported_study = ws.import_study(archive.getvalue(), limits=limits())
                except ValueError as exc:  # StorageError, a limit: the message says what to do
                    st.session_state.archive_error = str(exc)
                except Exception as exc:  # the archive import's error boundary
                    st.session_state.archive_error = unreadable(exc, source=archive.name)
                else:
                    switch_to(imported_study.id)
            if st.session_state.get("archive_error"):
                st.error(plain(st.session_state.archive_error), icon=":material/error:")
    st.caption(f"{len(ctx.studies)} studies in the workspace ({ws.url}).")


# ----------------------------------------------------------------------------- page

ctx = context()
st.title("Study data")
if ctx.study is None:
    st.markdown("**Next:** upload your survey export, or pick a demo study in the sidebar.")
else:
    st.markdown(
        f"**Next:** check how **{plain(ctx.study.name)}** was read, fix anything flagged, then "
        "open the landscape."
    )
    st.page_link(
        "app_pages/landscape.py",
        label="See which outcomes are underserved",
        icon=":material/scatter_plot:",
    )
upload_section(ctx.workspace)
manage_section(ctx)
if ctx.study is not None:
    import_section(ctx)
elif ctx.workspace is not None:
    st.info(
        "**First step:** upload your survey export above, or pick a demo study in the sidebar.",
        icon=":material/upload_file:",
    )
archive_section(ctx)
