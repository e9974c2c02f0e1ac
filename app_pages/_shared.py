"""Streamlit glue shared by the pages: cached import and scoring, and the study in use.

Pages call these; nothing here does any scoring or parsing itself. Parsing is cached
on the file's digest and the import settings, scoring on those plus the segment and
thresholds, so changing a filter never re-parses a file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from odi.load import load_survey
from odi.plain import ScaleOptions
from odi.scoring import ScoreResult, Thresholds, score
from odi.significance import SegmentComparison, segment_differences
from odi.survey import Survey

ROOT = Path(__file__).resolve().parents[1]
SURVEYS = ROOT / "surveys"
DEMO_DEFAULT = "pipeline_demo.csv"
SURVEY_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".jsonl", ".sav"}


@dataclass(frozen=True)
class StudyFile:
    """The file a study is read from: its name, bytes and digest."""

    name: str
    data: bytes
    digest: str


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def demo_studies() -> list[str]:
    """Bundled studies in surveys/, the default first."""
    if not SURVEYS.is_dir():
        return []
    names = sorted(
        p.name
        for p in SURVEYS.iterdir()
        if p.suffix.lower() in SURVEY_SUFFIXES and not p.name.startswith(("_", "."))
        and "truth" not in p.name
    )
    if DEMO_DEFAULT in names:
        names.remove(DEMO_DEFAULT)
        names.insert(0, DEMO_DEFAULT)
    return names


@st.cache_data(max_entries=16, show_spinner=False)
def _read_demo(name: str) -> bytes:
    return (SURVEYS / name).read_bytes()


def current_file() -> StudyFile | None:
    """The uploaded file if there is one, else the chosen demo study."""
    upload = st.session_state.get("uploaded_file")
    if upload is not None:
        return StudyFile(upload["name"], upload["data"], upload["digest"])
    name = st.session_state.get("study")
    if name and name in demo_studies():
        data = _read_demo(name)
        return StudyFile(name, data, digest_of(data))
    return None


def import_options() -> ScaleOptions:
    return ScaleOptions(**json.loads(st.session_state.get("import_options_json", "{}")))


@st.cache_data(max_entries=8, show_spinner=False)
def cached_import(digest: str, source: str, options_json: str, _data: bytes) -> Survey:
    """Parse a file once per (content, settings); ``_data`` is not hashed."""
    raw = json.loads(options_json)
    if raw.get("scale") is not None:
        raw["scale"] = tuple(raw["scale"])
    raw["na_codes"] = tuple(raw.get("na_codes", ()))
    return load_survey(_data, source=source, options=ScaleOptions(**raw))


def load_current() -> tuple[Survey | None, str | None]:
    """The current study's survey, or an error message to show."""
    file = current_file()
    if file is None:
        return None, None
    try:
        survey = cached_import(
            file.digest, file.name, st.session_state.get("import_options_json", "{}"), file.data
        )
    except ValueError as exc:
        return None, str(exc)
    return survey, None


@st.cache_data(max_entries=64, show_spinner=False)
def cached_score(
    digest: str,
    options_json: str,
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


def cached_differences(
    survey: Survey, by: str, where: dict[str, list[str]], min_n: int, t: Thresholds
) -> SegmentComparison:
    file = current_file()
    return _cached_differences(
        file.digest if file else "",
        st.session_state.get("import_options_json", "{}"),
        by,
        json.dumps(where, sort_keys=True),
        min_n,
        (t.solid, t.high, t.extreme),
        survey,
    )


@st.cache_data(max_entries=32, show_spinner=False)
def _cached_differences(
    digest: str,
    options_json: str,
    by: str,
    where_json: str,
    min_n: int,
    t: tuple[float, float, float],
    _survey: Survey,
) -> SegmentComparison:
    return segment_differences(
        _survey, by, where=json.loads(where_json), min_n=min_n, thresholds=Thresholds(*t)
    )


def thresholds() -> Thresholds:
    return Thresholds(
        float(st.session_state.get("t_solid", 10.0)),
        float(st.session_state.get("t_high", 12.0)),
        float(st.session_state.get("t_extreme", 15.0)),
    )


def segment_conditions() -> dict[str, list[str]]:
    """The sidebar segment filter as conditions."""
    attrs = st.session_state.get("seg_attrs") or []
    out = {}
    for attr in attrs:
        values = st.session_state.get(f"seg_v_{attr}") or []
        if values:
            out[attr] = list(values)
    return out


def scores_for(
    survey: Survey, *, where: dict[str, list[str]] | None = None, by: str | None = None,
    bootstrap: int = 1000,
) -> ScoreResult:
    file = current_file()
    digest = file.digest if file else ""
    t = thresholds()
    return cached_score(
        digest,
        st.session_state.get("import_options_json", "{}"),
        json.dumps(where or {}, sort_keys=True),
        by,
        bootstrap,
        0,
        (t.solid, t.high, t.extreme),
        int(st.session_state.get("min_n", 30)),
        survey,
    )


def empty_state(message: str) -> None:
    st.info(message, icon=":material/upload_file:")
    st.page_link("app_pages/study.py", label="Go to the Study page", icon=":material/dataset:")


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader wants, in a readable order."""
    cols = [
        "outcome_id", "outcome", "job_step", "importance", "satisfaction", "opportunity",
        "opportunity_low", "opportunity_high", "gap", "p_underserved", "n_importance",
        "n_satisfaction", "zone", "crosses_threshold", "small_n",
    ]
    return table[[c for c in cols if c in table.columns]]
