import json
import uuid
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from app_pages._shared import (
    current_study,
    empty_state,
    file_sha,
    load_current,
    min_n,
    options_json,
    save_study_settings,
    score_columns,
    study_settings,
    thresholds,
    workspace,
)
from odi import exports
from odi.analysis.unmet_needs import UnmetNeeds, compare_personas, unmet_needs
from odi.charts import landscape_figure
from odi.personas import (
    CARD_FIELDS,
    FIELD_LABELS,
    ICP,
    BuyingRole,
    Persona,
    PersonaSet,
    check_within_icp,
    new_persona_id,
    personas_from_json,
    personas_to_json,
)
from odi.storage import ConflictError, PersonaRecord, StorageError
from odi.survey import Survey

LIST_FIELDS = {
    "titles",
    "goals",
    "challenges",
    "trigger_events",
    "objections",
    "information_sources",
}
LONG_FIELDS = {
    "context",
    "functional_job",
    "emotional_job",
    "social_job",
    "buying_process",
    "messaging_hook",
}

st.title("Personas")
st.caption(
    "Two to four buyer personas, each tied to a respondent segment. A persona's **unmet needs** "
    "are the outcomes its respondents rate important and poorly satisfied (opportunity at or "
    "above the threshold), with their intervals and n. Every change is saved as you make it; "
    "fields marked *inferred* carry an asterisk on cards and exports."
)

survey, error = load_current()
ws = workspace()
study = current_study()
if error:
    st.error(error, icon=":material/error:")
if survey is None or ws is None or study is None:
    empty_state("Open a study first: personas are built on its respondents' scores.")
    st.stop()
the_survey: Survey = survey

if "session_label" not in st.session_state:
    st.session_state.session_label = f"session {uuid.uuid4().hex[:6]}"
author = st.session_state.get("author_name") or st.session_state.session_label


def load_icp() -> ICP | None:
    raw = study_settings().get("icp")
    return ICP.from_dict(raw) if raw else None


@st.cache_data(max_entries=64, show_spinner=False)
def cached_needs(
    sha: str,
    options: str,
    persona_json: str,
    icp_json: str,
    threshold: float,
    n_min: int,
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


def needs_for(persona: Persona, icp: ICP | None) -> UnmetNeeds:
    return cached_needs(
        file_sha(),
        options_json(),
        json.dumps(persona.to_dict(), sort_keys=True),
        json.dumps(icp.to_dict() if icp else {}, sort_keys=True),
        thresholds().solid,
        min_n(),
        the_survey,
    )


def records() -> list[PersonaRecord]:
    return ws.list_personas(study.id)


def parse(record: PersonaRecord) -> Persona | None:
    try:
        return Persona.from_dict(record.data)
    except ValueError as exc:
        st.error(f"Persona {record.name!r} could not be read: {exc}", icon=":material/error:")
        return None


# ------------------------------------------------------------------ saving (autosave)


def base_versions() -> dict[int, int]:
    return st.session_state.setdefault("persona_base", {})


def widget_key(pid: int, name: str) -> str:
    return f"pf_{pid}_{name}"


def reset_widgets(pid: int) -> None:
    for key in [k for k in st.session_state if str(k).startswith(f"pf_{pid}_")]:
        del st.session_state[key]


def save(pid: int, data: dict[str, Any], *, note: str | None = None) -> None:
    expected = base_versions().get(pid)
    try:
        record = ws.save_persona(
            study.id, pid, data, expected_version=expected or 0, author=author, note=note
        )
    except ConflictError as exc:
        st.session_state.persona_conflict = exc
        return
    except (StorageError, ValueError) as exc:
        st.session_state.persona_error = str(exc)
        return
    base_versions()[pid] = record.version


def edited_persona(pid: int, record: PersonaRecord) -> dict[str, Any]:
    """The stored persona with every editor widget's current value applied."""
    data = dict(record.data)
    for name in CARD_FIELDS:
        key = widget_key(pid, name)
        if key not in st.session_state:
            continue
        value = st.session_state[key]
        if name in LIST_FIELDS:
            data[name] = [line.strip() for line in str(value).splitlines() if line.strip()]
        elif name == "buying_role":
            data[name] = value or None
        else:
            data[name] = str(value)
    inferred = {}
    for name in CARD_FIELDS:
        if st.session_state.get(widget_key(pid, f"inf_{name}")):
            inferred[name] = str(st.session_state.get(widget_key(pid, f"note_{name}"), ""))
    if any(widget_key(pid, f"inf_{n}") in st.session_state for n in CARD_FIELDS):
        data["inferred"] = inferred
    for key in ("negative",):
        if widget_key(pid, key) in st.session_state:
            data[key] = bool(st.session_state[widget_key(pid, key)])
    if widget_key(pid, "last_reviewed") in st.session_state:
        day = st.session_state[widget_key(pid, "last_reviewed")]
        data["last_reviewed"] = day.isoformat() if day else None
    segment = {}
    for attr in the_survey.attributes:
        values = st.session_state.get(widget_key(pid, f"seg_{attr}"))
        if values:
            segment[attr] = list(values)
    if any(widget_key(pid, f"seg_{a}") in st.session_state for a in the_survey.attributes):
        data["segment"] = segment
    return data


def on_edit(pid: int) -> None:
    try:
        record = ws.get_persona(pid)
    except StorageError as exc:  # deleted in another session, or the database went away
        st.session_state.persona_error = str(exc)
        return
    data = edited_persona(pid, record)
    try:
        Persona.from_dict(data)
    except ValueError as exc:
        st.session_state.persona_error = str(exc)
        return
    save(pid, data)


def set_pins_hides(pid: int, *, pins: list[str], hides: dict[str, str], note: str) -> None:
    try:
        record = ws.get_persona(pid)
    except StorageError as exc:
        st.session_state.persona_error = str(exc)
        return
    data = edited_persona(pid, record)
    data["pins"] = pins
    data["hides"] = hides
    save(pid, data, note=note)


# ------------------------------------------------------------------ the list

recs = records()
parsed = {r.id: p for r in recs if (p := parse(r)) is not None}
icp = load_icp()
persona_set = PersonaSet(personas=tuple(parsed.values()), icp=icp)
for warning in persona_set.warnings(today=date.today()):
    st.warning(warning.message, icon=":material/warning:")

with st.sidebar:
    st.text_input(
        "Your name (for the history)", key="author_name", placeholder=st.session_state.session_label
    )

top_left, top_right = st.columns([3, 2])
with top_left:
    if recs:
        overview = pd.DataFrame(
            [
                {
                    "persona": r.name,
                    "buying role": (parsed[r.id].buying_role or "") if r.id in parsed else "",
                    "segment": parsed[r.id].definition if r.id in parsed else "",
                    "negative": bool(parsed[r.id].negative) if r.id in parsed else False,
                    "last reviewed": (parsed[r.id].last_reviewed if r.id in parsed else None),
                    "version": r.version,
                }
                for r in recs
            ]
        )
        st.dataframe(overview, hide_index=True, key="persona_list")
    else:
        st.info(
            "No personas yet. Most B2B teams need two to four: one or two economic buyers, a "
            "champion, and perhaps a technical evaluator.",
            icon=":material/person_add:",
        )
with top_right, st.expander("New persona", icon=":material/person_add:", expanded=not recs):
    new_name = st.text_input(
        "Archetype name", key="new_persona_name", placeholder="The Pipeline-Accountable VP"
    )
    seg_attr = st.selectbox(
        "Segment attribute", ["", *the_survey.attributes], key="new_persona_attr"
    )
    seg_values: list[str] = []
    if seg_attr:
        seg_values = st.multiselect(
            "Values",
            sorted(the_survey.respondents[seg_attr].dropna().astype(str).unique()),
            key="new_persona_values",
        )
    if st.button(
        "Create persona", key="create_persona", type="primary", disabled=not new_name.strip()
    ):
        try:
            persona = Persona(
                id=new_persona_id(new_name, taken=[p.id for p in parsed.values()]),
                name=new_name.strip(),
                segment={seg_attr: tuple(seg_values)} if seg_attr and seg_values else {},
                last_reviewed=date.today(),
            )
            check_within_icp(persona, icp)
            created = ws.create_persona(study.id, persona.to_dict(), author=author)
        except (ValueError, StorageError) as exc:
            st.error(str(exc), icon=":material/error:")
        else:
            st.session_state.persona_pick = str(created.id)
            st.rerun()

with st.expander("Ideal customer profile (ICP) for this study", icon=":material/domain:"):
    st.caption(
        "Company-level conditions every persona's segment sits inside (industry, company size, "
        "region…). Leave empty to use every respondent."
    )
    icp_conditions: dict[str, list[str]] = {}
    for attr in the_survey.attributes:
        values = sorted(the_survey.respondents[attr].dropna().astype(str).unique())
        if len(values) > 60:
            continue
        current = [v for v in (icp.conditions.get(attr, ()) if icp else ()) if v in values]
        chosen = st.multiselect(attr, values, default=current, key=f"icp_{attr}")
        if chosen:
            icp_conditions[attr] = chosen
    new_icp = ICP(conditions={k: tuple(v) for k, v in icp_conditions.items()})
    if (icp.to_dict() if icp else ICP().to_dict()) != new_icp.to_dict():
        save_study_settings(icp=new_icp.to_dict())
        st.rerun()

if not recs:
    st.stop()

names = {str(r.id): r.name for r in recs}
pick = st.selectbox("Persona", list(names), key="persona_pick", format_func=names.get)
record = next(r for r in recs if str(r.id) == pick)
persona = parsed.get(record.id)
if persona is None:
    st.stop()

# Someone else saved, and this session has no edit in flight: show their version.
if "persona_conflict" not in st.session_state:
    known = base_versions().get(record.id)
    if known is not None and known != record.version:
        reset_widgets(record.id)
        st.toast(
            f"{record.name} was updated to version {record.version} by "
            f"{record.updated_by or 'someone else'}.",
            icon=":material/sync:",
        )
    base_versions()[record.id] = record.version

if msg := st.session_state.pop("persona_error", None):
    st.error(msg, icon=":material/error:")

# ------------------------------------------------------------------ conflicts

conflict: ConflictError | None = st.session_state.get("persona_conflict")
if conflict is not None and conflict.persona_id == record.id:
    with st.container(border=True):
        st.error(str(conflict), icon=":material/sync_problem:")
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
            saved = ws.keep_mine(conflict, author=author)
            base_versions()[record.id] = saved.version
            del st.session_state["persona_conflict"]
            st.rerun()
        if c2.button("Take theirs", key="conflict_theirs", icon=":material/group:"):
            latest = ws.take_theirs(conflict)
            base_versions()[record.id] = latest.version
            reset_widgets(record.id)
            del st.session_state["persona_conflict"]
            st.rerun()
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
                    saved = ws.merge(conflict, merged, author=author)
                except ConflictError as again:
                    st.session_state.persona_conflict = again
                else:
                    base_versions()[record.id] = saved.version
                    reset_widgets(record.id)
                    del st.session_state["persona_conflict"]
                st.rerun()

# ------------------------------------------------------------------ the persona

try:
    needs = needs_for(persona, icp)
except ValueError as exc:
    st.error(f"The persona's segment cannot be scored: {exc}", icon=":material/error:")
    st.stop()

st.subheader(persona.name + (" (negative persona)" if persona.negative else ""))
m1, m2, m3, m4 = st.columns(4)
m1.metric("Respondents in segment", f"{needs.n_respondents:,}")
m2.metric(
    "Unmet needs",
    int((~needs.table["below_threshold"]).sum())
    if "below_threshold" in needs.table
    else len(needs.table),
)
m3.metric("Pinned", len(persona.pins))
if needs.replication is not None:
    m4.metric(
        "Replicate in both halves",
        f"{needs.replication.replicated} of {needs.replication.checked}",
        help=needs.replication.summary,
    )
st.caption(f"Segment: {needs.definition}")
for w in needs.warnings:
    st.warning(w, icon=":material/warning:")

tab_needs, tab_edit, tab_card, tab_history, tab_compare, tab_export = st.tabs(
    ["Unmet needs", "Edit", "Card", "History", "Compare", "Export"]
)

with tab_needs:
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(
            landscape_figure(needs.scores, thresholds=thresholds(), label_top=8, height=560),
            key=f"persona_landscape_{record.id}",
            config={"displaylogo": False},
        )
    with right:
        selected = [
            o for o in st.session_state.get("selected_outcomes", []) if o not in persona.pins
        ]
        if st.button(
            f"Add selected outcomes from the landscape ({len(selected)})",
            key="add_selected",
            disabled=not selected,
            icon=":material/push_pin:",
            help="Box- or lasso-select outcomes on the Landscape page, then pin them here.",
        ):
            set_pins_hides(
                record.id,
                pins=[*persona.pins, *selected],
                hides=dict(persona.hides),
                note="pinned selected outcomes",
            )
            st.rerun()
        all_ids = list(the_survey.outcomes.index)
        statements = the_survey.outcomes["statement"].to_dict()
        pins = st.multiselect(
            "Pinned outcomes",
            all_ids,
            default=[p for p in persona.pins if p in all_ids],
            key=f"pins_{record.id}_{record.version}",
            format_func=lambda o: f"{o} · {statements.get(o, '')[:60]}",
            help="Pinned outcomes stay in the list even below the threshold.",
        )
        if pins != [p for p in persona.pins if p in all_ids]:
            set_pins_hides(record.id, pins=pins, hides=dict(persona.hides), note="pins changed")
            st.rerun()
        with st.popover("Hide an outcome", icon=":material/visibility_off:"):
            hide_id = st.selectbox(
                "Outcome",
                ["", *all_ids],
                key="hide_pick",
                format_func=lambda o: f"{o} · {statements.get(o, '')[:50]}" if o else "Choose…",
            )
            reason = st.text_input(
                "Reason", key="hide_reason", placeholder="e.g. out of scope for this product"
            )
            if st.button("Hide", key="hide_go", disabled=not (hide_id and reason.strip())):
                set_pins_hides(
                    record.id,
                    pins=list(persona.pins),
                    hides={**persona.hides, hide_id: reason.strip()},
                    note=f"hid {hide_id}",
                )
                st.rerun()
    table = needs.table
    st.dataframe(
        table,
        hide_index=True,
        key="needs_table",
        column_config=score_columns(),
    )
    if not needs.hidden.empty:
        st.caption("Hidden outcomes")
        st.dataframe(needs.hidden, hide_index=True, key="hidden_table")
        unhide = st.multiselect("Unhide", list(needs.hidden["outcome_id"]), key="unhide_pick")
        if unhide and st.button("Unhide", key="unhide_go"):
            set_pins_hides(
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
        st.caption(f"Replication: {needs.replication.summary}")

with tab_edit:
    pid = record.id
    st.caption("Changes are saved as you make them, each as a new version.")
    for name in CARD_FIELDS:
        key = widget_key(pid, name)
        value = record.data.get(name)
        if key not in st.session_state:
            if name in LIST_FIELDS:
                st.session_state[key] = "\n".join(value or [])
            elif name == "buying_role":
                st.session_state[key] = value or ""
            else:
                st.session_state[key] = value or ""
        inf_key = widget_key(pid, f"inf_{name}")
        note_key = widget_key(pid, f"note_{name}")
        if inf_key not in st.session_state:
            st.session_state[inf_key] = name in (record.data.get("inferred") or {})
            st.session_state[note_key] = (record.data.get("inferred") or {}).get(name, "")
        c1, c2 = st.columns([5, 1])
        label = FIELD_LABELS[name] + (" (one per line)" if name in LIST_FIELDS else "")
        if name == "buying_role":
            c1.selectbox(
                label,
                [""] + [r.value for r in BuyingRole],
                key=key,
                on_change=on_edit,
                args=(pid,),
                format_func=lambda v: v.capitalize() if v else "Not set",
            )
        elif name in LIST_FIELDS or name in LONG_FIELDS:
            c1.text_area(label, key=key, on_change=on_edit, args=(pid,), height=90)
        else:
            c1.text_input(label, key=key, on_change=on_edit, args=(pid,))
        c2.checkbox(
            "Inferred",
            key=inf_key,
            on_change=on_edit,
            args=(pid,),
            help="Filled by inference, not research: shown with an asterisk.",
        )
        if st.session_state[inf_key]:
            c1.text_input(
                "Validation note",
                key=note_key,
                on_change=on_edit,
                args=(pid,),
                placeholder="How to validate this field",
            )
    st.markdown("**Segment**")
    for attr in the_survey.attributes:
        key = widget_key(pid, f"seg_{attr}")
        options = sorted(the_survey.respondents[attr].dropna().astype(str).unique())
        if len(options) > 60:
            continue
        if key not in st.session_state:
            st.session_state[key] = [
                v for v in (record.data.get("segment") or {}).get(attr, []) if v in options
            ]
        st.multiselect(
            attr, options, key=key, on_change=on_edit, args=(pid,), placeholder="Any value"
        )
    c1, c2 = st.columns(2)
    neg_key = widget_key(pid, "negative")
    if neg_key not in st.session_state:
        st.session_state[neg_key] = bool(record.data.get("negative"))
    c1.toggle(
        "Negative persona (a buyer you do not want to win)",
        key=neg_key,
        on_change=on_edit,
        args=(pid,),
    )
    rev_key = widget_key(pid, "last_reviewed")
    if rev_key not in st.session_state:
        raw = record.data.get("last_reviewed")
        st.session_state[rev_key] = date.fromisoformat(raw) if raw else None
    c2.date_input("Last reviewed", key=rev_key, on_change=on_edit, args=(pid,))
    if st.button("Delete this persona", key="delete_persona", icon=":material/delete:"):
        try:
            ws.delete_persona(pid, expected_version=base_versions().get(pid))
        except StorageError as exc:  # someone saved it meanwhile: do not delete their edit
            st.error(str(exc), icon=":material/error:")
        else:
            st.session_state.pop("persona_pick", None)
            st.rerun()

with tab_card:
    st.markdown(exports.card_markdown(needs).decode("utf-8"))

with tab_history:
    history = ws.persona_history(record.id)
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
    versions = [v.version for v in history]
    if len(versions) >= 2:
        c1, c2 = st.columns(2)
        old = c1.selectbox(
            "Compare version", versions, index=1 if len(versions) > 1 else 0, key="hist_old"
        )
        new = c2.selectbox("with version", versions, index=0, key="hist_new")
        changes = ws.diff_versions(record.id, old, new)
        if changes:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "field": c.path,
                            f"v{old}": json.dumps(c.old, ensure_ascii=False),
                            f"v{new}": json.dumps(c.new, ensure_ascii=False),
                        }
                        for c in changes
                    ]
                ),
                hide_index=True,
                key="diff_table",
            )
        else:
            st.caption("No differences.")
        if old != record.version and st.button(f"Restore version {old}", key="restore"):
            try:
                restored = ws.restore_version(
                    record.id, old, expected_version=record.version, author=author
                )
            except StorageError as exc:  # a conflict: someone saved since this page loaded
                st.error(str(exc), icon=":material/error:")
            else:
                base_versions()[record.id] = restored.version
                reset_widgets(record.id)
                st.rerun()

with tab_compare:
    others = {k: v for k, v in names.items() if k != pick}
    if not others:
        st.caption("Create a second persona to compare their unmet needs side by side.")
    else:
        other_key = st.selectbox(
            "Compare with", list(others), format_func=others.get, key="compare_pick"
        )
        other = parsed.get(int(other_key))
        if other is not None:
            comparison = compare_personas(needs, needs_for(other, icp))
            st.dataframe(comparison.labelled(), hide_index=True, key="compare_table")

with tab_export:
    study_name = study.name
    all_needs = [needs_for(p, icp) for p in parsed.values()]
    stem = persona.id
    items = [
        (
            "Unmet needs (CSV)",
            lambda: exports.unmet_needs_csv(needs),
            f"{stem}-unmet-needs.csv",
            "text/csv",
            "dl_unmet_csv",
        ),
        (
            "Unmet needs (XLSX)",
            lambda: exports.unmet_needs_xlsx(needs),
            f"{stem}-unmet-needs.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "dl_unmet_xlsx",
        ),
        (
            "Unmet needs (Markdown)",
            lambda: exports.unmet_needs_markdown(needs),
            f"{stem}-unmet-needs.md",
            "text/markdown",
            "dl_unmet_md",
        ),
        (
            "Unmet needs (JSON)",
            lambda: exports.unmet_needs_json(needs),
            f"{stem}-unmet-needs.json",
            "application/json",
            "dl_unmet_json",
        ),
        (
            "Persona card (PDF)",
            lambda: exports.card_pdf(needs),
            f"{stem}-card.pdf",
            "application/pdf",
            "dl_card_pdf",
        ),
        (
            "Persona card (HTML)",
            lambda: exports.card_html(needs),
            f"{stem}-card.html",
            "text/html",
            "dl_card_html",
        ),
        (
            "Persona card (Markdown)",
            lambda: exports.card_markdown(needs),
            f"{stem}-card.md",
            "text/markdown",
            "dl_card_md",
        ),
        (
            "All personas: unmet needs (XLSX)",
            lambda: exports.unmet_needs_xlsx(all_needs),
            "unmet-needs.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "dl_all_xlsx",
        ),
        (
            "All personas: slide deck (PPTX)",
            lambda: exports.persona_deck(all_needs),
            "personas.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "dl_deck",
        ),
        (
            "All personas (JSON, for version control)",
            lambda: personas_to_json(persona_set).encode(),
            "personas.json",
            "application/json",
            "dl_personas_json",
        ),
    ]
    cols = st.columns(2)
    for i, (label, make, file_name, mime, key) in enumerate(items):
        cols[i % 2].download_button(
            label,
            data=make,
            file_name=file_name,
            mime=mime,
            key=key,
            on_click="ignore",
            icon=":material/download:",
        )
    st.divider()
    upload = st.file_uploader("Import personas from JSON", type=["json"], key="personas_json")
    if upload is not None and st.button("Import", key="import_personas"):
        try:
            incoming = personas_from_json(upload.getvalue(), source=upload.name)
            for p in incoming.personas:
                ws.create_persona(study.id, p.to_dict(), author=author)
        except (ValueError, StorageError) as exc:
            st.error(str(exc), icon=":material/error:")
        else:
            st.success(f"Imported {len(incoming.personas)} personas.")
            st.rerun()
