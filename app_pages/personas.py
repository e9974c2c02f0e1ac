"""Personas: buyer personas tied to respondent segments, their unmet needs, cards and exports.

The page is one function per section and tab; the form logic lives in
:mod:`odi.personas.form` and the export formats in :mod:`odi.exports.registry`. Only the
visible tab is drawn (``st.tabs(..., on_change="rerun")``), and the study's settings,
file and personas are read once per run (:class:`Ctx`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from app_pages._shared import (
    current_file,
    current_study,
    empty_state,
    file_sha,
    load_current,
    min_n,
    options_json,
    plain,
    save_study_settings,
    score_columns,
    study_settings,
    surveys_dir,
    thresholds,
    unlinked,
    unreadable,
    workspace,
)
from odi.analysis.unmet_needs import UnmetNeeds, compare_personas, unmet_needs
from odi.charts import landscape_figure
from odi.exports import card_markdown
from odi.exports.registry import EXPORTS, ExportFormat
from odi.personas import (
    CARD_FIELDS,
    FIELD_LABELS,
    ICP,
    BuyingRole,
    Persona,
    PersonaSet,
    personas_from_json,
)
from odi.personas.form import apply_form, field_kind, form_values, merge_imported, new_persona
from odi.storage import ConflictError, PersonaRecord, StorageError, StudyRecord, Workspace
from odi.survey import Survey

TABS = ["Unmet needs", "Edit", "Card", "History", "Compare", "Export"]
#: Formats offered for all personas at once, below the per-persona downloads.
ALL_PERSONAS = ("unmet-xlsx", "needs-xlsx", "deck", "personas-json")


@dataclass(frozen=True)
class Ctx:
    """What every section needs, resolved once per run."""

    ws: Workspace
    study: StudyRecord
    survey: Survey
    author: str
    icp: ICP | None
    cache_key: tuple[str, str, float, int]


@st.cache_data(max_entries=64, show_spinner=False)
def cached_needs(
    sha: str,
    options: str,
    threshold: float,
    n_min: int,
    persona_json: str,
    icp_json: str,
    _survey: Survey,
) -> UnmetNeeds:
    icp_raw = json.loads(icp_json)
    return unmet_needs(
        _survey,
        Persona.from_dict(json.loads(persona_json)),
        icp=ICP.from_dict(icp_raw) if icp_raw else None,
        threshold=threshold,
        min_n=n_min,
    )


def needs_for(ctx: Ctx, persona: Persona) -> UnmetNeeds:
    return cached_needs(
        *ctx.cache_key,
        json.dumps(persona.to_dict(), sort_keys=True),
        json.dumps(ctx.icp.to_dict() if ctx.icp else {}, sort_keys=True),
        ctx.survey,
    )


def attribute_values(survey: Survey, attr: str) -> list[str]:
    return sorted(survey.respondents[attr].dropna().astype(str).unique())


# ------------------------------------------------------------------ saving (autosave)


def base_versions() -> dict[int, int]:
    versions: dict[int, int] = st.session_state.setdefault("persona_base", {})
    return versions


def prefix(pid: int) -> str:
    """The key prefix of one persona's editor widgets."""
    return f"pf_{pid}_"


def reset_widgets(pid: int) -> None:
    for key in [k for k in st.session_state if str(k).startswith(prefix(pid))]:
        del st.session_state[key]


def form_state(pid: int) -> dict[str, Any]:
    """The editor's widget values present in this session, by field name."""
    p = prefix(pid)
    return {str(k)[len(p) :]: v for k, v in st.session_state.items() if str(k).startswith(p)}


def save(ctx: Ctx, pid: int, data: dict[str, Any], *, note: str | None = None) -> None:
    expected = base_versions().get(pid)
    try:
        record = ctx.ws.save_persona(
            ctx.study.id, pid, data, expected_version=expected or 0, author=ctx.author, note=note
        )
    except ConflictError as exc:
        st.session_state.persona_conflict = exc
        return
    except (StorageError, ValueError) as exc:
        st.session_state.persona_error = str(exc)
        return
    base_versions()[pid] = record.version


def edited(ctx: Ctx, pid: int) -> dict[str, Any] | None:
    """The stored persona with this session's editor values applied; None if it is gone."""
    try:
        record = ctx.ws.get_persona(pid)
    except StorageError as exc:  # deleted in another session, or the database went away
        st.session_state.persona_error = str(exc)
        return None
    return apply_form(record.data, form_state(pid), attributes=ctx.survey.attributes)


def on_edit(ctx: Ctx, pid: int) -> None:
    data = edited(ctx, pid)
    if data is None:
        return
    try:
        Persona.from_dict(data)
    except ValueError as exc:
        st.session_state.persona_error = str(exc)
        return
    save(ctx, pid, data)


def set_pins_hides(
    ctx: Ctx, pid: int, *, pins: list[str], hides: dict[str, str], note: str
) -> None:
    try:
        data = ctx.ws.get_persona(pid).data
    except StorageError as exc:
        st.session_state.persona_error = str(exc)
        return
    save(ctx, pid, {**data, "pins": pins, "hides": hides}, note=note)


# ------------------------------------------------------------------ create, import, delete


def create(ctx: Ctx, taken: list[str]) -> None:
    """The "Create persona" callback: create, select it, and clear the form."""
    ss = st.session_state
    try:
        persona = new_persona(
            str(ss.get("new_persona_name", "")),
            attribute=str(ss.get("new_persona_attr") or ""),
            values=list(ss.get("new_persona_values") or []),
            taken=taken,
            icp=ctx.icp,
            today=date.today(),
        )
        created = ctx.ws.create_persona(ctx.study.id, persona.to_dict(), author=ctx.author)
    except (ValueError, StorageError) as exc:
        ss.persona_error = str(exc)
        return
    ss.persona_pick = str(created.id)
    ss.new_persona_name = ""
    ss.new_persona_attr = ""
    ss.pop("new_persona_values", None)
    ss.persona_notice = f"Created {persona.name}."


def import_json(ctx: Ctx, existing: list[Persona]) -> None:
    """The "Import" callback: add the uploaded file's personas."""
    upload = st.session_state.get("personas_json")
    if upload is not None:
        import_personas(ctx, existing, upload.getvalue(), upload.name)


def example_personas(ctx: Ctx) -> Path | None:
    """The example personas shipped beside a bundled study (``surveys/NAME_personas.json``)."""
    file = current_file()
    if file is None or not (surveys_dir() / file.name).is_file():
        return None
    path = surveys_dir() / f"{Path(file.name).stem}_personas.json"
    return path if path.is_file() else None


def import_example(ctx: Ctx, path: Path) -> None:
    """The "Add the example personas" callback of a bundled study."""
    import_personas(ctx, [], path.read_bytes(), path.name)


def import_personas(ctx: Ctx, existing: list[Persona], data: bytes, source: str) -> None:
    """Add a personas file's personas (and its ICP if the study has none)."""
    ss = st.session_state
    try:
        incoming = personas_from_json(data, source=source)
        add, skipped = merge_imported(incoming, existing=existing)
        for p in add:
            ctx.ws.create_persona(ctx.study.id, p.to_dict(), author=ctx.author)
        if incoming.icp is not None and ctx.icp is None:
            save_study_settings(icp=incoming.icp.to_dict())
    except (ValueError, StorageError) as exc:
        ss.persona_error = str(exc)
        return
    except Exception as exc:  # the personas import's error boundary
        ss.persona_error = unreadable(exc, source=source)
        return
    note = f" ({len(skipped)} already here: {', '.join(skipped)})" if skipped else ""
    ss.persona_notice = f"Imported {len(add)} personas from {source}{note}."


def delete(ctx: Ctx, record: PersonaRecord) -> None:
    """The confirmed delete: keep the history in this session for an undo, then delete."""
    ss = st.session_state
    try:
        history = ctx.ws.persona_history(record.id)
        ctx.ws.delete_persona(record.id, expected_version=base_versions().get(record.id))
    except StorageError as exc:  # someone saved it meanwhile: do not delete their edit
        ss.persona_error = str(exc)
        return
    ss.pop("confirm_delete", None)
    ss.pop("persona_pick", None)
    ss.deleted_persona = {
        "study": ctx.study.id,
        "name": record.name,
        "versions": [(v.data, v.name, v.author, v.note) for v in history],
    }


def undo_delete(ctx: Ctx) -> None:
    """Bring a deleted persona back with its versions (saved again, in order)."""
    ss = st.session_state
    gone = ss.pop("deleted_persona", None)
    if not gone:
        return
    (data, name, author, _), *rest = gone["versions"]
    try:
        record = ctx.ws.create_persona(ctx.study.id, data, name=name, author=author)
        for data, name, author, note in rest:
            record = ctx.ws.save_persona(
                ctx.study.id,
                record.id,
                data,
                expected_version=record.version,
                name=name,
                author=author,
                note=note,
            )
    except (ValueError, StorageError) as exc:
        ss.persona_error = f"The persona could not be restored: {exc}"
        return
    ss.persona_pick = str(record.id)
    ss.persona_notice = f"Restored {gone['name']} with {len(gone['versions'])} versions."


# ------------------------------------------------------------------ sections


def messages(ctx: Ctx) -> None:
    ss = st.session_state
    if msg := ss.pop("persona_error", None):
        st.error(plain(msg), icon=":material/error:")
    if msg := ss.pop("persona_notice", None):
        st.success(plain(msg), icon=":material/check_circle:")
    gone = ss.get("deleted_persona")
    if gone and gone["study"] == ctx.study.id:
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.info(f"Deleted {plain(gone['name'])}.", icon=":material/delete:")
        c2.button(
            "Undo", key="undo_delete", icon=":material/undo:", on_click=undo_delete, args=(ctx,)
        )


def overview(ctx: Ctx, recs: list[PersonaRecord], parsed: dict[int, Persona]) -> None:
    if not recs:
        st.info(
            "No personas yet. Most B2B teams need two to four: one or two economic buyers, a "
            "champion, and perhaps a technical evaluator. Create one, or import a personas JSON.",
            icon=":material/person_add:",
        )
        example = example_personas(ctx)
        if example is not None:
            st.button(
                "Add this demo's example personas",
                key="import_example_personas",
                icon=":material/group_add:",
                on_click=import_example,
                args=(ctx, example),
                help=f"Imports {example.name}: personas built on this study's role segments.",
            )
        return
    rows = []
    for r in recs:
        p = parsed.get(r.id)
        rows.append(
            {
                "persona": r.name,
                "buying role": (p.buying_role or "") if p else "",
                "segment": p.definition if p else "",
                "negative": bool(p.negative) if p else False,
                "last reviewed": p.last_reviewed if p else None,
                "version": r.version,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="persona_list")


def create_form(ctx: Ctx, taken: list[str], *, expanded: bool) -> None:
    with st.expander("New persona", icon=":material/person_add:", expanded=expanded):
        name = st.text_input(
            "Archetype name", key="new_persona_name", placeholder="The Pipeline-Accountable VP"
        )
        attr = st.selectbox(
            "Segment attribute", ["", *ctx.survey.attributes], key="new_persona_attr"
        )
        if attr:
            st.multiselect("Values", attribute_values(ctx.survey, attr), key="new_persona_values")
        st.button(
            "Create persona",
            key="create_persona",
            type="primary",
            disabled=not name.strip(),
            on_click=create,
            args=(ctx, taken),
        )


def import_form(ctx: Ctx, existing: list[Persona]) -> None:
    with st.expander("Import personas (JSON)", icon=":material/upload_file:"):
        st.caption("A personas file exported from the workbench, e.g. from version control.")
        upload = st.file_uploader("Personas JSON", type=["json"], key="personas_json")
        st.button(
            "Import",
            key="import_personas",
            disabled=upload is None,
            on_click=import_json,
            args=(ctx, existing),
        )


def icp_section(ctx: Ctx) -> None:
    with st.expander("Ideal customer profile (ICP) for this study", icon=":material/domain:"):
        st.caption(
            "Company-level conditions every persona's segment sits inside (industry, company "
            "size, region…). Leave empty to use every respondent."
        )
        chosen: dict[str, tuple[str, ...]] = {}
        for attr in ctx.survey.attributes:
            values = attribute_values(ctx.survey, attr)
            if len(values) > 60:
                continue
            current = [
                v for v in (ctx.icp.conditions.get(attr, ()) if ctx.icp else ()) if v in values
            ]
            picked = st.multiselect(plain(attr), values, default=current, key=f"icp_{attr}")
            if picked:
                chosen[attr] = tuple(picked)
        new_icp = ICP(conditions=chosen)
        if (ctx.icp or ICP()).to_dict() != new_icp.to_dict():
            save_study_settings(icp=new_icp.to_dict())
            st.rerun()


def sync_version(record: PersonaRecord) -> None:
    """Someone else saved, and this session has no edit in flight: show their version."""
    if "persona_conflict" in st.session_state:
        return
    known = base_versions().get(record.id)
    if known is not None and known != record.version:
        reset_widgets(record.id)
        st.toast(
            plain(
                f"{record.name} was updated to version {record.version} by "
                f"{record.updated_by or 'someone else'}."
            ),
            icon=":material/sync:",
        )
    base_versions()[record.id] = record.version


def resolve_and_rerun(ctx: Ctx, record: PersonaRecord, saved: PersonaRecord) -> None:
    base_versions()[record.id] = saved.version
    reset_widgets(record.id)
    del st.session_state["persona_conflict"]
    st.rerun()


def conflict_section(ctx: Ctx, record: PersonaRecord) -> None:
    conflict: ConflictError | None = st.session_state.get("persona_conflict")
    if conflict is None or conflict.persona_id != record.id:
        return
    with st.container(border=True):
        st.error(plain(conflict), icon=":material/sync_problem:")
        rows = [
            {
                "field": c.path,
                "theirs (saved)": json.dumps(c.old, ensure_ascii=False),
                "yours": json.dumps(c.new, ensure_ascii=False),
            }
            for c in conflict.changes
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="conflict_table")
        c1, c2, c3 = st.columns(3)
        if c1.button("Keep mine", key="conflict_mine", icon=":material/person:"):
            saved = ctx.ws.keep_mine(conflict, author=ctx.author)
            base_versions()[record.id] = saved.version
            del st.session_state["persona_conflict"]
            st.rerun()
        if c2.button("Take theirs", key="conflict_theirs", icon=":material/group:"):
            resolve_and_rerun(ctx, record, ctx.ws.take_theirs(conflict))
        with c3.popover("Merge by hand", icon=":material/merge:"):
            merged = dict(conflict.stored.data)
            for change in conflict.changes:
                top = change.path.split(".")[0]
                choice = st.radio(
                    FIELD_LABELS.get(top, top),
                    ["theirs", "mine"],
                    horizontal=True,
                    key=f"merge_{record.id}_{change.path}",
                )
                if choice == "mine":
                    merged[top] = conflict.attempted.get(top)
            if st.button("Save the merge", key="conflict_merge", type="primary"):
                try:
                    saved = ctx.ws.merge(conflict, merged, author=ctx.author)
                except ConflictError as again:
                    st.session_state.persona_conflict = again
                    st.rerun()
                resolve_and_rerun(ctx, record, saved)


def delete_section(ctx: Ctx, record: PersonaRecord) -> None:
    ss = st.session_state
    if ss.get("confirm_delete") != record.id:
        if st.button("Delete this persona", key="delete_persona", icon=":material/delete:"):
            ss.confirm_delete = record.id
            st.rerun()
        return
    with st.container(border=True, key="delete_box"):
        st.warning(
            f"Delete **{plain(record.name)}** and its {record.version} saved versions? You can "
            "undo this right after, in this session.",
            icon=":material/warning:",
        )
        c1, c2 = st.columns(2)
        c1.button(
            "Yes, delete",
            key="delete_confirm",
            type="primary",
            icon=":material/delete:",
            on_click=delete,
            args=(ctx, record),
        )
        c2.button("Cancel", key="delete_cancel", on_click=ss.pop, args=("confirm_delete", None))


def persona_header(persona: Persona, needs: UnmetNeeds) -> None:
    st.subheader(plain(persona.name) + (" (negative persona)" if persona.negative else ""))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Respondents in segment", f"{needs.n_respondents:,}")
    m2.metric("Unmet needs", int((~needs.table["below_threshold"]).sum()))
    m3.metric("Pinned", len(persona.pins))
    if needs.replication is not None:
        m4.metric(
            "Held on the other half",
            f"{needs.replication.replicated} of {needs.replication.checked}",
            help=f"{needs.replication.summary}. {needs.replication.explanation}",
        )
    st.caption(f"Segment: {plain(needs.definition)}")
    for w in needs.warnings:
        st.warning(plain(w), icon=":material/warning:")


# ------------------------------------------------------------------ tabs


def outcome_label(statements: dict[str, str], width: int) -> Callable[[str], str]:
    return lambda o: f"{o} · {statements.get(o, '')[:width]}" if o else "Choose…"


def pins_panel(ctx: Ctx, record: PersonaRecord, persona: Persona) -> None:
    selected = [o for o in st.session_state.get("selected_outcomes", []) if o not in persona.pins]
    if st.button(
        f"Add selected outcomes from the landscape ({len(selected)})",
        key="add_selected",
        disabled=not selected,
        icon=":material/push_pin:",
        help="Box- or lasso-select outcomes on the Landscape page, then pin them here.",
    ):
        set_pins_hides(
            ctx,
            record.id,
            pins=[*persona.pins, *selected],
            hides=dict(persona.hides),
            note="pinned selected outcomes",
        )
        st.rerun()
    all_ids: list[str] = [str(o) for o in ctx.survey.outcomes.index]
    statements = {str(k): str(v) for k, v in ctx.survey.outcomes["statement"].items()}
    current = [p for p in persona.pins if p in all_ids]
    pins = st.multiselect(
        "Pinned outcomes",
        all_ids,
        default=current,
        key=f"pins_{record.id}_{record.version}",
        format_func=outcome_label(statements, 60),
        help="Pinned outcomes stay in the list even below the threshold.",
    )
    if pins != current:
        set_pins_hides(ctx, record.id, pins=pins, hides=dict(persona.hides), note="pins changed")
        st.rerun()
    with st.popover("Hide an outcome", icon=":material/visibility_off:"):
        hide_id: str = (
            st.selectbox(
                "Outcome",
                ["", *all_ids],
                key="hide_pick",
                format_func=outcome_label(statements, 50),
            )
            or ""
        )
        reason = st.text_input(
            "Reason", key="hide_reason", placeholder="e.g. out of scope for this product"
        )
        if st.button("Hide", key="hide_go", disabled=not (hide_id and reason.strip())):
            set_pins_hides(
                ctx,
                record.id,
                pins=list(persona.pins),
                hides={**persona.hides, hide_id: reason.strip()},
                note=f"hid {hide_id}",
            )
            st.rerun()


def needs_tab(ctx: Ctx, record: PersonaRecord, persona: Persona, needs: UnmetNeeds) -> None:
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(
            landscape_figure(needs.scores, thresholds=thresholds(), label_top=8, height=560),
            key=f"persona_landscape_{record.id}",
            config={"displaylogo": False},
        )
    with right:
        pins_panel(ctx, record, persona)
    st.dataframe(needs.table, hide_index=True, key="needs_table", column_config=score_columns())
    if not needs.hidden.empty:
        st.caption("Hidden outcomes")
        st.dataframe(needs.hidden, hide_index=True, key="hidden_table")
        unhide = st.multiselect("Unhide", list(needs.hidden["outcome_id"]), key="unhide_pick")
        if unhide and st.button("Unhide", key="unhide_go"):
            set_pins_hides(
                ctx,
                record.id,
                pins=list(persona.pins),
                hides={k: v for k, v in persona.hides.items() if k not in unhide},
                note="unhid outcomes",
            )
            st.rerun()
    if needs.unknown_pins or needs.unknown_hides:
        st.info(
            "Some pinned or hidden outcomes are not in this import: "
            + ", ".join([*needs.unknown_pins, *needs.unknown_hides])
            + ". They are kept on the persona.",
            icon=":material/info:",
        )
    if needs.replication is not None:
        st.caption(f"{needs.replication.summary}. {needs.replication.explanation}")
        with st.expander("Split-half check, need by need"):
            st.dataframe(needs.replication.table, hide_index=True, key="split_half_table")


def field_widget(ctx: Ctx, pid: int, name: str) -> None:
    """One card field with its "inferred" box and validation note."""
    p = prefix(pid)
    kind = field_kind(name)
    label = FIELD_LABELS[name] + (" (one per line)" if kind == "list" else "")
    c1, c2 = st.columns([5, 1])
    common: dict[str, Any] = {"key": p + name, "on_change": on_edit, "args": (ctx, pid)}
    if kind == "role":
        c1.selectbox(
            label,
            ["", *(r.value for r in BuyingRole)],
            format_func=lambda v: v.capitalize() if v else "Not set",
            **common,
        )
    elif kind == "text":
        c1.text_input(label, **common)
    else:
        c1.text_area(label, height=90, **common)
    c2.checkbox(
        "Inferred",
        key=f"{p}inf_{name}",
        on_change=on_edit,
        args=(ctx, pid),
        help="Filled by inference, not research: shown with an asterisk.",
    )
    if st.session_state[f"{p}inf_{name}"]:
        c1.text_input(
            "Validation note",
            key=f"{p}note_{name}",
            on_change=on_edit,
            args=(ctx, pid),
            placeholder="How to validate this field",
        )


def edit_tab(ctx: Ctx, record: PersonaRecord) -> None:
    pid, p = record.id, prefix(record.id)
    for key, value in form_values(record.data, attributes=ctx.survey.attributes).items():
        st.session_state.setdefault(p + key, value)
    st.caption("Changes are saved as you make them, each as a new version.")
    for name in CARD_FIELDS:
        field_widget(ctx, pid, name)
    st.markdown("**Segment**")
    for attr in ctx.survey.attributes:
        options = attribute_values(ctx.survey, attr)
        if len(options) > 60:
            continue
        key = f"{p}seg_{attr}"
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
        st.multiselect(
            plain(attr),
            options,
            key=key,
            on_change=on_edit,
            args=(ctx, pid),
            placeholder="Any value",
        )
    c1, c2 = st.columns(2)
    c1.toggle(
        "Negative persona (a buyer you do not want to win)",
        key=f"{p}negative",
        on_change=on_edit,
        args=(ctx, pid),
    )
    c2.date_input("Last reviewed", key=f"{p}last_reviewed", on_change=on_edit, args=(ctx, pid))


def history_tab(ctx: Ctx, record: PersonaRecord) -> None:
    history = ctx.ws.persona_history(record.id)
    st.dataframe(
        pd.DataFrame(
            [
                {"version": v.version, "saved": v.created_at, "by": v.author, "note": v.note}
                for v in history
            ]
        ),
        hide_index=True,
        key="history_table",
    )
    versions = [v.version for v in reversed(history)]
    if len(versions) < 2:
        return
    c1, c2 = st.columns(2)
    old = c1.selectbox("Compare version", versions, index=1, key="hist_old")
    new = c2.selectbox("with version", versions, index=0, key="hist_new")
    changes = ctx.ws.diff_versions(record.id, old, new)
    if changes:
        rows = [
            {
                "field": c.path,
                f"v{old}": json.dumps(c.old, ensure_ascii=False),
                f"v{new}": json.dumps(c.new, ensure_ascii=False),
            }
            for c in changes
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="diff_table")
    else:
        st.caption("No differences.")
    if old != record.version and st.button(f"Restore version {old}", key="restore"):
        try:
            restored = ctx.ws.restore_version(
                record.id, old, expected_version=record.version, author=ctx.author
            )
        except StorageError as exc:  # a conflict: someone saved since this page loaded
            st.error(plain(exc), icon=":material/error:")
        else:
            base_versions()[record.id] = restored.version
            reset_widgets(record.id)
            st.rerun()


def compare_tab(ctx: Ctx, needs: UnmetNeeds, others: dict[str, Persona]) -> None:
    if not others:
        st.caption("Create a second persona to compare their unmet needs side by side.")
        return
    keys = list(others)
    other = st.selectbox(
        "Compare with", keys, format_func=lambda k: others[k].name, key="compare_pick"
    )
    comparison = compare_personas(needs, needs_for(ctx, others[other or keys[0]]))
    st.dataframe(comparison.labelled(), hide_index=True, key="compare_table")


def writer(fmt: ExportFormat, payload: object) -> Callable[[], bytes]:
    """The download's bytes, written only when the button is clicked."""
    return lambda: fmt.write(payload)


def export_tab(ctx: Ctx, needs: UnmetNeeds, persona_set: PersonaSet) -> None:
    stem = needs.persona.id
    sales, analyst = st.columns(2)
    sales.markdown("**For sales and marketing**: plain words, why each need matters.")
    analyst.markdown("**For analysts**: scores with intervals and n; the method once.")
    for fmt in EXPORTS.values():
        if fmt.takes != "needs":
            continue
        (sales if fmt.audience == "sales" else analyst).download_button(
            fmt.label,
            data=writer(fmt, [needs]),
            file_name=fmt.file_name(stem),
            mime=fmt.mime,
            key=f"dl_{fmt.key}",
            on_click="ignore",
            icon=":material/download:",
        )
    st.markdown("**All personas**")
    everyone = [needs_for(ctx, p) for p in persona_set.personas]
    cols = st.columns(len(ALL_PERSONAS))
    for col, key in zip(cols, ALL_PERSONAS, strict=True):
        fmt = EXPORTS[key]
        payload: Any = persona_set if fmt.takes == "personas" else everyone
        col.download_button(
            fmt.label,
            data=writer(fmt, payload),
            file_name=fmt.file_name(),
            mime=fmt.mime,
            key=f"dl_all_{key}",
            on_click="ignore",
            icon=":material/download:",
        )


def persona_tabs(
    ctx: Ctx,
    record: PersonaRecord,
    persona: Persona,
    needs: UnmetNeeds,
    parsed: dict[int, Persona],
    persona_set: PersonaSet,
) -> None:
    """The persona's tabs; only the open one is drawn."""
    tabs = dict(zip(TABS, st.tabs(TABS, key="persona_tab", on_change="rerun"), strict=True))
    with tabs["Unmet needs"]:
        if tabs["Unmet needs"].open:
            needs_tab(ctx, record, persona, needs)
    with tabs["Edit"]:
        if tabs["Edit"].open:
            edit_tab(ctx, record)
    with tabs["Card"]:
        if tabs["Card"].open:
            st.markdown(unlinked(card_markdown(needs, audience="sales").decode("utf-8")))
    with tabs["History"]:
        if tabs["History"].open:
            history_tab(ctx, record)
    with tabs["Compare"]:
        if tabs["Compare"].open:
            others = {str(k): p for k, p in parsed.items() if k != record.id}
            compare_tab(ctx, needs, others)
    with tabs["Export"]:
        if tabs["Export"].open:
            export_tab(ctx, needs, persona_set)


# ------------------------------------------------------------------ the page


def context() -> Ctx | None:
    survey, error = load_current()
    ws = workspace()
    study = current_study()
    if error:
        st.error(plain(error), icon=":material/error:")
    if survey is None or ws is None or study is None:
        empty_state("Open a study first: personas are built on its respondents' scores.")
        return None
    if "session_label" not in st.session_state:
        st.session_state.session_label = f"session {uuid.uuid4().hex[:6]}"
    with st.sidebar:
        st.text_input(
            "Your name (for the history)",
            key="author_name",
            placeholder=st.session_state.session_label,
        )
    icp_raw = study_settings().get("icp")
    return Ctx(
        ws=ws,
        study=study,
        survey=survey,
        author=st.session_state.get("author_name") or st.session_state.session_label,
        icp=ICP.from_dict(icp_raw) if icp_raw else None,
        cache_key=(file_sha(), options_json(), thresholds().solid, min_n()),
    )


def parse_all(recs: list[PersonaRecord]) -> dict[int, Persona]:
    out = {}
    for r in recs:
        try:
            out[r.id] = Persona.from_dict(r.data)
        except ValueError as exc:
            st.error(plain(f"Persona {r.name!r} could not be read: {exc}"), icon=":material/error:")
    return out


def page() -> None:
    st.title("Personas")
    st.caption(
        "Two to four buyer personas, each tied to a respondent segment. A persona's **unmet "
        "needs** are the outcomes its respondents rate important and poorly satisfied "
        "(opportunity at or above the threshold), with their intervals and n. Every change is "
        "saved as you make it; fields marked *inferred* carry an asterisk on cards and exports."
    )
    ctx = context()
    if ctx is None:
        return
    recs = ctx.ws.list_personas(ctx.study.id)
    st.markdown(
        "**Next:** check each persona's unmet needs, pin what matters, then export its card."
        if recs
        else "**Next:** create a persona from a segment (or import personas), then read its "
        "unmet needs."
    )
    parsed = parse_all(recs)
    persona_set = PersonaSet(personas=tuple(parsed.values()), icp=ctx.icp)
    for warning in persona_set.warnings(today=date.today()):
        st.warning(plain(warning.message), icon=":material/warning:")
    messages(ctx)
    left, right = st.columns([3, 2])
    with left:
        overview(ctx, recs, parsed)
    with right:
        create_form(ctx, [p.id for p in parsed.values()], expanded=not recs)
        import_form(ctx, list(parsed.values()))
    icp_section(ctx)
    if not recs:
        return
    by_key = {str(r.id): r for r in recs}
    pick = st.selectbox(
        "Persona", list(by_key), key="persona_pick", format_func=lambda k: by_key[k].name
    )
    record = by_key.get(str(pick), recs[0])
    persona = parsed.get(record.id)
    if persona is None:
        return
    sync_version(record)
    conflict_section(ctx, record)
    try:
        needs = needs_for(ctx, persona)
    except ValueError as exc:
        st.error(plain(f"The persona's segment cannot be scored: {exc}"), icon=":material/error:")
        return
    persona_header(persona, needs)
    delete_section(ctx, record)
    persona_tabs(ctx, record, persona, needs, parsed, persona_set)


page()
