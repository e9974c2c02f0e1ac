"""Streamlit glue shared by the pages: the workspace, the study in use, cached import and scoring.

Pages call these; nothing here parses or scores by itself. Every study lives in the
workspace database (SQLite by default, PostgreSQL with ``ODI_DATABASE_URL``), so an upload,
its settings and its personas survive a refresh. Parsing is cached on the file's checksum
and the import settings, scoring on those plus the segment and thresholds, so changing a
filter never re-parses a file.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from odi.analysis.scoring import (
    DEFAULT_MIN_N,
    DEFAULT_THRESHOLDS,
    ZONES,
    ScoreResult,
    Thresholds,
    score,
)
from odi.analysis.segmentation.saved import attach_segmentations
from odi.analysis.significance import SegmentComparison, segment_differences
from odi.charts import zone_label
from odi.importers import ImportOptions, ImportReport, ImportResult, import_survey, inspect_survey
from odi.importers.mapping import apply_outcome_edits
from odi.limits import DEFAULT_LIMITS, Limits
from odi.storage import FileRecord, StorageError, StudyRecord, Workspace, open_workspace
from odi.storage.segmentations import list_segmentations
from odi.survey import Survey

LOG = logging.getLogger("odi.app")
ROOT = Path(__file__).resolve().parents[1]
DEMO_DEFAULT = "pipeline_demo.csv"
SURVEY_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".jsonl", ".sav"}


# Markdown lets any ASCII punctuation be backslash-escaped. These characters start inline
# markup anywhere (emphasis, code, links and images, HTML, maths, tables, strikethrough);
# the block markers only at the start of a line.
_INLINE = re.compile(r"([\\`*_\[\]<>~$|&])")
_BLOCK = re.compile(r"^(\s*\d*)([#+\-=>.)])", re.MULTILINE)
# Bare URLs ("https://", "www.") and e-mail addresses are linked after parsing, so escapes do
# not stop them: an invisible word joiner (U+2060) breaks the pattern instead.
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(?=://)|(?<=\bwww)(?=\.)|(?<=@)", re.IGNORECASE)
_JOINER = "\u2060"


def plain(text: object) -> str:
    """User text for ``st.markdown``, ``st.caption``, ``st.subheader``, messages and widget
    labels: shown exactly as typed, never interpreted as Markdown or HTML.

    A persona named ``![x](https://evil/pixel.png)`` stays those characters: no image is
    fetched, no link is made. Ordinary text (``The Pipeline-Accountable VP``) is unchanged.

    Examples
    --------
    >>> print(plain("![x](https://e.com/p.png) <b>hi</b> *a*").replace(_JOINER, "+"))
    !\\[x\\](https+://e.com/p.png) \\<b\\>hi\\</b\\> \\*a\\*
    >>> print(plain("# Top-box share"), plain("1. First"), plain("The Pipeline-Accountable VP"))
    \\# Top-box share 1\\. First The Pipeline-Accountable VP
    """
    out = _INLINE.sub(r"\\\1", str(text))
    out = _AUTOLINK.sub(_JOINER, out)
    return _BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2), out)


def unlinked(markdown: str) -> str:
    """Markdown the workbench wrote itself (user text already escaped, as in the persona
    card), with bare URLs and e-mail addresses in it left unlinked.

    Examples
    --------
    >>> unlinked("**VP** see https://e.com").replace(_JOINER, "+")
    '**VP** see https+://e.com'
    """
    return _AUTOLINK.sub(_JOINER, markdown)


def unreadable(exc: BaseException, *, source: str) -> str:
    """The message for an unexpected failure while reading ``source``; the detail is logged.

    Expected failures are ``ValueError`` (their message already says what to do); anything
    else is a bug or a hostile file, so the user sees one line and the log gets the traceback.
    """
    LOG.error("reading %s failed unexpectedly", source, exc_info=exc)
    return (
        f"{source} could not be read: {type(exc).__name__}. Check that it is a survey export "
        "or study archive made by the tool it claims to come from; the details are in the log"
    )


def surveys_dir() -> Path:
    return Path(os.environ.get("ODI_SURVEYS_DIR", ROOT / "surveys"))


def demo_files() -> list[Path]:
    """Bundled studies in surveys/, the default first."""
    folder = surveys_dir()
    if not folder.is_dir():
        return []
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SURVEY_SUFFIXES
        and not p.name.startswith(("_", "."))
        and "truth" not in p.name
    )
    files.sort(key=lambda p: p.name != DEMO_DEFAULT)
    return files


def limits() -> Limits:
    """The reading limits: the defaults, raised by ``ODI_LIMITS`` (``rows=2000000,ratio=500``)
    for a deployment that must read larger files."""
    raw = os.environ.get("ODI_LIMITS", "")
    try:
        return DEFAULT_LIMITS.with_overrides(i for i in raw.split(",") if i.strip())
    except ValueError:
        LOG.warning("ignoring ODI_LIMITS=%r: it must be NAME=VALUE,...", raw)
        return DEFAULT_LIMITS


def database_url() -> str:
    return os.environ.get("ODI_DATABASE_URL", "")


@st.cache_resource(show_spinner="Opening the workspace…")
def _open(url: str, surveys: str) -> Workspace:
    ws = open_workspace(url or None)
    have = {s.name for s in ws.list_studies()}
    for path in demo_files():
        if path.name not in have:
            study = ws.create_study(path.name)
            ws.add_file(study.id, path.name, path.read_bytes())
            ws.set_settings(study.id, {"demo": True})
    return ws


@st.cache_resource(show_spinner=False)
def freeze_long_lived_objects() -> bool:
    """Once per process, at the end of a run: set every object alive now (the imported
    modules, classes and functions, the workspace) aside from the garbage collector.

    Streamlit collects all garbage after every run (``runner.postScriptGC``); without this,
    each collection walks the whole of pandas, SQLAlchemy and Plotly, a few hundred ms per
    run on a busy machine. These objects live as long as the process anyway.
    """
    gc.freeze()
    return True


def workspace() -> Workspace | None:
    """The workspace, opened (and migrated) once per process; None if it cannot be opened."""
    try:
        return _open(database_url(), str(surveys_dir()))
    except StorageError as exc:
        st.session_state["workspace_error"] = str(exc)
        return None


@dataclass(frozen=True, slots=True)
class RunContext:
    """What every page needs, resolved once per run in ``app.py`` (a few queries in all).

    Attributes
    ----------
    workspace : Workspace or None
        The workspace (None when the database cannot be opened).
    studies : tuple of StudyRecord
        Every study, oldest first.
    study, file : StudyRecord, FileRecord or None
        The study picked in the sidebar and its newest file.
    settings : dict
        The study's saved settings.
    thresholds : Thresholds
        The opportunity thresholds in use (the defaults while the sidebar's are out of order).
    threshold_problem : str or None
        Why the sidebar's thresholds are not used, to show once.
    min_n : int
        The small-sample limit.
    where : dict
        The sidebar's segment filter.
    """

    workspace: Workspace | None
    studies: tuple[StudyRecord, ...] = ()
    study: StudyRecord | None = None
    file: FileRecord | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    threshold_problem: str | None = None
    min_n: int = DEFAULT_MIN_N
    where: dict[str, list[str]] = field(default_factory=dict)

    @property
    def sha(self) -> str:
        return self.file.sha256 if self.file else ""

    @property
    def options_json(self) -> str:
        """The study's import options and outcome edits: the cache key of everything derived."""
        return json.dumps(
            {
                "import": self.settings.get("import_options", {}),
                "edits": self.settings.get("outcome_edits", {}),
            },
            sort_keys=True,
        )

    def key(self, name: str) -> str:
        """A widget key that belongs to the current study (so no value leaks between studies)."""
        return f"{name}_{self.study.id if self.study else 'none'}"


_CONTEXT = "_run_context"


def resolve_study() -> RunContext:
    """The study part of the run context: studies, the picked study, its file and settings
    (one transaction, two queries)."""
    ws = workspace()
    if ws is None:
        return RunContext(workspace=None)
    key = str(st.session_state.get("study"))
    study_id = int(key) if key.isdigit() else None
    all_studies, files, settings = ws.snapshot(study_id)
    study = next((s for s in all_studies if s.id == study_id), None)
    return RunContext(
        workspace=ws,
        studies=tuple(all_studies),
        study=study,
        file=files[-1] if files else None,
        settings=settings,
    )


def set_context(ctx: RunContext) -> None:
    st.session_state[_CONTEXT] = ctx


def context() -> RunContext:
    """The run context ``app.py`` resolved for this run (resolved here if it has not)."""
    ctx = st.session_state.get(_CONTEXT)
    if not isinstance(ctx, RunContext):
        ctx = resolve_study()
        set_context(ctx)
    return ctx


def studies() -> list[StudyRecord]:
    return list(context().studies)


def current_study() -> StudyRecord | None:
    return context().study


def current_file() -> FileRecord | None:
    return context().file


@st.cache_data(max_entries=16, show_spinner=False)
def _file_bytes(url: str, file_id: int, sha256: str) -> bytes:
    ws = workspace()
    if ws is None:
        raise StorageError("the workspace is not available")
    return ws.get_file_bytes(file_id)


def study_settings() -> dict[str, Any]:
    return dict(context().settings)


def save_settings_of(study_id: int, **changes: Any) -> None:
    """Merge changes into one study's settings, saved at once (for widget callbacks, which
    run before the page and so name their study)."""
    ws = workspace()
    if ws is not None:
        ws.set_settings(study_id, {**ws.get_settings(study_id), **changes})
    ctx = st.session_state.get(_CONTEXT)
    if isinstance(ctx, RunContext) and ctx.study is not None and ctx.study.id == study_id:
        set_context(replace(ctx, settings={**ctx.settings, **changes}))


def save_study_settings(**changes: Any) -> None:
    """Merge changes into the current study's settings, saved at once."""
    study = current_study()
    if study is not None:
        save_settings_of(study.id, **changes)


def file_sha() -> str:
    return context().sha


def options_json() -> str:
    """The study's import options and outcome edits, as the cache key of everything derived."""
    return context().options_json


def import_options() -> ImportOptions:
    raw = study_settings().get("import_options") or {}
    try:
        return ImportOptions.from_dict(raw)
    except ValueError:
        return ImportOptions()


def save_import_options(options: ImportOptions) -> None:
    save_study_settings(import_options=options.to_dict())


@st.cache_data(max_entries=8, show_spinner=False)
def cached_raw_import(sha256: str, source: str, options: str, _data: bytes) -> ImportResult:
    """Parse a file once per (content, import settings); ``_data`` is not hashed."""
    options_ = replace(ImportOptions.from_dict(json.loads(options)), limits=limits())
    return import_survey(_data, source=source, options=options_)


def cached_import(sha256: str, source: str, options: str, _data: bytes) -> ImportResult:
    """The import with the researcher's outcome edits applied (cheap, on the cached parse)."""
    raw = json.loads(options)
    result = cached_raw_import(sha256, source, json.dumps(raw["import"], sort_keys=True), _data)
    return ImportResult(
        survey=apply_outcome_edits(result.survey, raw["edits"]), report=result.report
    )


def _raw_import_of(file: FileRecord, settings: dict[str, Any]) -> ImportResult:
    """A study file's cached parse under the study's import settings (before outcome edits)."""
    data = _file_bytes(database_url(), file.id, file.sha256)
    options = json.dumps(settings.get("import_options", {}), sort_keys=True)
    return cached_raw_import(file.sha256, file.name, options, data)


def current_raw_survey() -> Survey | None:
    """The current study's survey before outcome edits (what the file says)."""
    file = current_file()
    if file is None:
        return None
    try:
        return _raw_import_of(file, study_settings()).survey
    except Exception:  # current_import() shows the message
        return None


def prepare_first_screen() -> None:
    """Open the workspace (creating, migrating and seeding it on first use) and parse the
    first study's file, into the caches a run reads: what ``serve.py`` does before the first
    visitor arrives. A no-op for whatever is cached already; may raise what opening raises.
    """
    ws = _open(database_url(), str(surveys_dir()))
    listed = ws.list_studies()
    if not listed:
        return
    _, files, settings = ws.snapshot(listed[0].id)  # the sidebar's first (default) study
    if files:
        _raw_import_of(files[-1], settings)


@st.cache_data(max_entries=8, show_spinner=False)
def cached_inspect(sha256: str, source: str, options: str, _data: bytes) -> ImportReport:
    raw = json.loads(options)
    options_ = replace(ImportOptions.from_dict(raw["import"]), limits=limits())
    return inspect_survey(_data, source=source, options=options_)


def current_import() -> tuple[ImportResult | None, ImportReport | None, str | None]:
    """The import of the current study: its result, or the report of what was found and an
    error message to show."""
    if st.session_state.get("workspace_error") and workspace() is None:
        return None, None, st.session_state["workspace_error"]
    file = current_file()
    if file is None:
        return None, None, None
    try:
        data = _file_bytes(database_url(), file.id, file.sha256)
    except ValueError as exc:
        return None, None, str(exc)
    try:
        result = cached_import(file.sha256, file.name, options_json(), data)
        return with_saved_segmentations(result), None, None
    except ValueError as exc:
        try:
            report = cached_inspect(file.sha256, file.name, options_json(), data)
        except Exception:  # the error below already says why
            report = None
        return None, report, str(exc)
    except Exception as exc:  # the app's error boundary for reading a study's file
        return None, None, unreadable(exc, source=file.name)


@st.cache_data(max_entries=16, show_spinner=False)
def _saved_assignments(url: str, study_id: int, updated: str) -> dict[str, pd.Series]:
    ws = workspace()
    return {str(r.id): r.assignment for r in list_segmentations(ws, study_id)} if ws else {}


def with_saved_segmentations(result: ImportResult) -> ImportResult:
    """The import with the study's saved segmentations as attributes (``needs segments ID``), so
    filters, the Segments page and cluster personas use them like any attribute."""
    study = current_study()
    if study is None:
        return result
    saved = _saved_assignments(database_url(), study.id, study.updated_at.isoformat())
    if not saved:
        return result
    return ImportResult(survey=attach_segmentations(result.survey, saved), report=result.report)


def load_current() -> tuple[Survey | None, str | None]:
    """The current study's survey, or an error message to show."""
    result, _, error = current_import()
    return (result.survey if result else None), error


@st.cache_data(max_entries=64, show_spinner=False)
def cached_score(
    sha256: str,
    options: str,
    where_json: str,
    by: str | None,
    bootstrap: int,
    seed: int,
    thresholds: tuple[float, float, float],
    min_n: int,
    _survey: Survey,
) -> ScoreResult:
    """Score once per (content, settings, segment); ``_survey`` is not hashed."""
    return score(
        _survey,
        where=json.loads(where_json),
        by=by,
        bootstrap=bootstrap,
        seed=seed,
        thresholds=Thresholds(*thresholds),
        min_n=min_n,
    )


def thresholds() -> Thresholds:
    return context().thresholds


def min_n() -> int:
    return context().min_n


def sidebar_thresholds() -> tuple[Thresholds, str | None]:
    """The sidebar's thresholds, or the defaults and one message when they are out of order."""
    values = [
        st.session_state.get(k, getattr(DEFAULT_THRESHOLDS, f))
        for k, f in (("t_solid", "solid"), ("t_high", "high"), ("t_extreme", "extreme"))
    ]
    try:
        return Thresholds(*(float(v) for v in values)), None
    except (TypeError, ValueError):
        d = DEFAULT_THRESHOLDS
        return d, (
            "The thresholds must rise: underserved ≤ high ≤ extreme, within 0–20. "
            f"The pages use the defaults ({d.solid:g}, {d.high:g}, {d.extreme:g}) until "
            "they do."
        )


def segment_conditions() -> dict[str, list[str]]:
    """The sidebar segment filter as conditions."""
    out = {}
    for attr in st.session_state.get("seg_attrs") or []:
        values = st.session_state.get(f"seg_v_{attr}") or []
        if values:
            out[attr] = list(values)
    return out


def scores_for(
    survey: Survey,
    *,
    where: dict[str, list[str]] | None = None,
    by: str | None = None,
    bootstrap: int = 1000,
) -> ScoreResult:
    ctx = context()
    t = ctx.thresholds
    return cached_score(
        ctx.sha,
        ctx.options_json,
        json.dumps(where or {}, sort_keys=True),
        by,
        bootstrap,
        0,
        (t.solid, t.high, t.extreme),
        ctx.min_n,
        survey,
    )


def cached_differences(
    survey: Survey, by: str, where: dict[str, list[str]], n_min: int, t: Thresholds
) -> SegmentComparison:
    ctx = context()
    return _cached_differences(
        ctx.sha,
        ctx.options_json,
        by,
        json.dumps(where, sort_keys=True),
        n_min,
        (t.solid, t.high, t.extreme),
        survey,
    )


@st.cache_data(max_entries=32, show_spinner=False)
def _cached_differences(
    sha256: str,
    options: str,
    by: str,
    where_json: str,
    n_min: int,
    t: tuple[float, float, float],
    _survey: Survey,
) -> SegmentComparison:
    return segment_differences(
        _survey, by, where=json.loads(where_json), min_n=n_min, thresholds=Thresholds(*t)
    )


def require_survey(empty_message: str) -> Survey:
    """The current study's survey; otherwise show the error or the empty state and stop."""
    survey, error = load_current()
    if error:
        show_import_error(error)
    if survey is None:
        if not error:
            empty_state(empty_message)
        st.stop()
    return survey


def show_import_error(error: str) -> AppFix:
    """Show an import error in the app's words, with a link to the tab that fixes it."""
    fix = app_fix(error)
    st.error(plain(fix.message), icon=":material/error:")
    if fix.tab:
        # The Study data page opens on the tab that holds the fix.
        st.session_state["study_tab_request"] = fix.tab
        st.page_link(
            "app_pages/study.py", label=f"Fix it on Study data › {fix.tab}", icon=":material/build:"
        )
    return fix


def p_text(p: float) -> str:
    """A p-value for people: ``"< 0.001"`` below a thousandth, else three decimals.

    Examples
    --------
    >>> p_text(2e-11), p_text(0.0412), p_text(float("nan"))
    ('< 0.001', '0.041', '–')
    """
    if not math.isfinite(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def interval_text(lo: float, hi: float) -> str:
    """An interval as "10.8–14.4" (one decimal).

    Examples
    --------
    >>> interval_text(10.84, 14.36), interval_text(float("nan"), 2.0)
    ('10.8–14.4', '–')
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "–"
    return f"{lo:.1f}–{hi:.1f}"


def score_columns(t: Thresholds | None = None) -> dict[str, Any]:
    """Column formats for any table of scores (from :func:`display_table`)."""
    t = t or thresholds()
    cc = st.column_config
    return {
        "outcome_id": cc.TextColumn("Id", width="small"),
        "outcome": cc.TextColumn("Outcome", width="large"),
        "job_step": cc.TextColumn("Job step", width="small"),
        "importance": cc.NumberColumn("Importance", format="%.1f", width=100),
        "satisfaction": cc.NumberColumn("Satisfaction", format="%.1f", width=100),
        "opportunity": cc.NumberColumn("Opportunity", format="%.1f", width=100),
        "opportunity_interval": cc.TextColumn(
            "95% interval", width=100, help="Bootstrap interval of the opportunity"
        ),
        "p_underserved": cc.ProgressColumn(
            f"P(O ≥ {t.solid:g})",
            min_value=0.0,
            max_value=1.0,
            format="percent",
            width="small",
            help="Share of bootstrap resamples in which the outcome is underserved",
        ),
        "n": cc.NumberColumn("n", format="%d", width="small", help="Fewest valid answers"),
        "zone": cc.TextColumn("Zone", width="medium"),
        "flags": cc.TextColumn("Read with care", width="medium"),
    }


def empty_state(message: str) -> None:
    st.info(message, icon=":material/upload_file:")
    st.page_link("app_pages/study.py", label="Go to the Study page", icon=":material/dataset:")


def display_table(table: pd.DataFrame, t: Thresholds | None = None) -> pd.DataFrame:
    """The columns a reader wants, in a readable order (format them with
    :func:`score_columns`): zones in words, the interval as text, flags in words."""
    t = t or thresholds()
    out = pd.DataFrame(index=table.index)
    for col in ("outcome_id", "outcome", "job_step", "opportunity"):
        if col in table.columns:
            out[col] = table[col]
    if {"opportunity_low", "opportunity_high"} <= set(table.columns):
        out["opportunity_interval"] = [
            interval_text(lo, hi)
            for lo, hi in zip(table["opportunity_low"], table["opportunity_high"], strict=True)
        ]
    for col in ("importance", "satisfaction", "p_underserved"):
        if col in table.columns:
            out[col] = table[col]
    if {"n_importance", "n_satisfaction"} <= set(table.columns):
        out["n"] = table[["n_importance", "n_satisfaction"]].min(axis=1)
    if "zone" in table.columns:
        out["zone"] = [zone_label(z, t) if z in ZONES else "No score" for z in table["zone"]]
    none = pd.Series(False, index=table.index)
    near = table.get("crosses_threshold", none).fillna(False)
    small = table.get("small_n", none).fillna(False)
    # A weak interval (few answers in or outside the top box) under-covers even at n >= 30.
    weak = table.get("weak_interval", none).fillna(False) & ~small.astype(bool)
    notes = ("near the threshold", "small sample", "weak interval")
    out["flags"] = [
        ", ".join(note for note, on in zip(notes, flags, strict=True) if bool(on))
        for flags in zip(near, small, weak, strict=True)
    ]
    if "job_step" in out.columns and not out["job_step"].fillna("").astype(str).str.strip().any():
        out = out.drop(columns="job_step")
    # The statement and its scores first, so they show together on a laptop screen.
    order = [
        "outcome",
        "opportunity",
        "opportunity_interval",
        "importance",
        "satisfaction",
        "zone",
        "flags",
        "p_underserved",
        "n",
        "job_step",
        "outcome_id",
    ]
    return out[[c for c in order if c in out.columns]]


def readable_differences(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The significant-differences table in words and percentages, with its column formats."""
    out = pd.DataFrame(
        {
            "segment": table["segment"],
            "outcome_id": table["outcome_id"],
            "outcome": table["outcome"],
            "measure": table["measure"].str.capitalize(),
            "share_segment": table["share_segment"],
            "share_rest": table["share_rest"],
            "difference": (table["share_segment"] - table["share_rest"]) * 100,
            "p_adjusted": [p_text(p) for p in table["p_adjusted"]],
            "n_segment": table["n_segment"],
        }
    )
    cc = st.column_config
    config = {
        "segment": cc.TextColumn("Segment", width="medium"),
        "outcome_id": cc.TextColumn("Id", width="small"),
        "outcome": cc.TextColumn("Outcome", width="large"),
        "measure": cc.TextColumn("Rating", width="small"),
        "share_segment": cc.NumberColumn("Top box, segment", format="percent", width="small"),
        "share_rest": cc.NumberColumn("Top box, others", format="percent", width="small"),
        "difference": cc.NumberColumn(
            "Difference", format="%+.1f pts", width="small", help="Percentage points"
        ),
        "p_adjusted": cc.TextColumn(
            "p (adjusted)", width="small", help="Benjamini–Hochberg adjusted p-value"
        ),
        "n_segment": cc.NumberColumn("n", format="%d", width="small"),
    }
    return out, config


def study_from_param(value: str) -> str | None:
    """The study a link names: its id (``7``, or ``7-anything``), or for older links its
    name (the newest study of that name)."""
    head = value.split("-", 1)[0]
    all_studies = studies()
    if head.isdigit() and any(str(s.id) == head for s in all_studies):
        return head
    named = [s for s in all_studies if s.name == value]
    return str(named[-1].id) if named else None


def study_labels(all_studies: tuple[StudyRecord, ...] | list[StudyRecord]) -> dict[str, str]:
    """Study id (the stable key in the URL) -> its name, with the id added where names repeat."""
    counts: dict[str, int] = {}
    for s in all_studies:
        counts[s.name] = counts.get(s.name, 0) + 1
    return {
        str(s.id): s.name if counts[s.name] == 1 else f"{s.name} (#{s.id})" for s in all_studies
    }


#: An attribute with more distinct values than this is free text, not a segment.
MAX_SEGMENT_VALUES = 30


def segmentable_attributes(survey: Survey) -> list[str]:
    """The attributes worth segmenting by: few distinct values, each shared by respondents."""
    out = []
    for attr in survey.attributes:
        values = survey.respondents[attr].dropna().astype(str)
        distinct = values.nunique()
        if 1 < distinct <= MAX_SEGMENT_VALUES and distinct <= max(2, len(values) // 2):
            out.append(attr)
    return out


@dataclass(frozen=True, slots=True)
class AppFix:
    """An import error reworded for the app: which tab fixes it, with values to prefill.

    Attributes
    ----------
    message : str
        The error in the app's words (controls named instead of CLI flags).
    tab : str or None
        The Study data tab that holds the fix.
    na_codes : str or None
        N/A codes to prefill, e.g. ``"0,6"``.
    scale : str or None
        A scale to prefill, e.g. ``"1-7"``.
    """

    message: str
    tab: str | None = None
    na_codes: str | None = None
    scale: str | None = None


SCALE_TAB = "Scale and labels"
QUALITY_TAB = "Data quality"
_WHERE_SCALE = f"on Study data › **{SCALE_TAB}**"


def app_fix(message: str) -> AppFix:
    """Reword an importer error (written for the CLI) to point at the app's controls.

    Examples
    --------
    >>> fix = app_fix("values outside the 1-5 scale: 0 (3x). If they mean 'not applicable', "
    ...               "pass --na-codes 0,6; if the scale is different, pass --scale")
    >>> fix.tab, fix.na_codes, "--" in fix.message
    ('Scale and labels', '0,6', False)
    """
    na = re.search(r"--na-codes (-?[0-9.]+(?:,-?[0-9.]+)*)", message)
    scale = re.search(r"--scale (\d+-\d+)", message)
    text = re.sub(
        r"pass --na-codes (\S+?); if the scale is different, pass --scale",
        rf"set **N/A codes** to \1 {_WHERE_SCALE} (prefilled there); if the scale is "
        "different, choose the **Scale** there",
        message,
    )
    text = re.sub(
        r"\(--na-codes (\S+?)\) or give the scale \(--scale\)",
        rf"(**N/A codes** \1 {_WHERE_SCALE}, prefilled there) or choose the **Scale** there",
        text,
    )
    text = text.replace(
        "declare those codes with --na-codes", f"declare them in **N/A codes** {_WHERE_SCALE}"
    )
    text = re.sub(
        r"Give the scale with --scale \(for example --scale (\d+-\d+)\)",
        rf"Choose the **Scale** {_WHERE_SCALE} (for example \1, prefilled there)",
        text,
    )
    quality = "--keep-unfinished" in text or "--no-screen" in text
    text = re.sub(
        r"\(for example --keep-unfinished or --no-screen\)",
        f"on Study data › **{QUALITY_TAB}**",
        text,
    )
    tab = (
        SCALE_TAB
        if (na or scale or "--na-codes" in message)
        else (QUALITY_TAB if quality else None)
    )
    return AppFix(
        text,
        tab=tab,
        na_codes=na.group(1).rstrip(".;,") if na else None,
        scale=scale.group(1) if scale else None,
    )


def change_import_options(study_id: int, change: Callable[[ImportOptions], ImportOptions]) -> None:
    """Apply a change to one study's saved import options (for widget callbacks)."""
    ws = workspace()
    if ws is None:
        return
    try:
        opts = ImportOptions.from_dict(ws.get_settings(study_id).get("import_options") or {})
    except ValueError:
        opts = ImportOptions()
    save_settings_of(study_id, import_options=change(opts).to_dict())
