"""SPSS ``.sav`` files (as exported by Qualtrics) through pyreadstat.

The raw codes are read and mapped with the file's value labels (the labels give
the scale and its direction), never with ``formats_as_ordered_category``, which
fails on labelled columns with missing values. Variable names are sanitised by
SPSS (``QID22#1_1`` becomes ``QID22_1_1``), so questions are grouped by the
variable label's question text and the name's trailing statement number.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import re
import threading
import warnings as _warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pandas as pd

from odi.importers.columns import ColumnSpec
from odi.importers.pairing import Candidate
from odi.importers.parsed import ID_NAMES, Parsed, attribute_name, finish, meta_kind
from odi.importers.plain import normalise_name
from odi.importers.text import (
    clean_text,
    split_question,
    statement_from_question,
)
from odi.limits import DEFAULT_LIMITS, LimitError, Limits

__all__ = ["parse_spss", "read_sav"]

_GROUP = re.compile(r"^(?P<q>[A-Za-z@#$][\w.@#$]*?)_(?P<k>\d+)$")
_TIMING = re.compile(r"_(?:First_Click|Last_Click|Page_Submit|Click_Count)$", re.IGNORECASE)


def read_sav(
    data: bytes, *, source: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[pd.DataFrame, object]:
    """Read a .sav file's raw codes and metadata from bytes (no temporary file).

    The header's row and variable counts are checked against the limits first, and
    at most ``limits.rows + 1`` rows are read, so a file that lies about its size
    cannot grow past them either.

    Raises
    ------
    ValueError
        When pyreadstat is missing or the file is not a readable .sav;
        :class:`~odi.limits.LimitError` for a file over a limit.
    """
    try:
        import pyreadstat  # noqa: F401 - checked here, used in the child process
    except ImportError:  # pragma: no cover - installed with the project
        raise ValueError(
            f"{source} is an SPSS .sav file; reading it needs the pyreadstat package "
            "(pip install pyreadstat)"
        ) from None
    try:
        frame, meta = _pool().submit(_read_sav_bytes, data, source, limits).result()
    except BrokenProcessPool:
        _POOL.clear()  # the child died with the crash; the next file gets a new one
        raise ValueError(
            f"{source} starts like an SPSS .sav file but is damaged: the SPSS reader crashed "
            "on it. Export it again, or export CSV"
        ) from None
    except LimitError:
        raise
    except Exception as exc:  # pyreadstat raises its own error types for damaged files
        raise ValueError(
            f"{source} starts like an SPSS .sav file but could not be read ({exc}); "
            "export it again, or export CSV"
        ) from None
    return frame, meta


_POOL: list[ProcessPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _pool() -> ProcessPoolExecutor:
    """The child process that reads .sav files: pyreadstat (C code) can crash on a damaged
    file, and the crash must end the child, not the app or the CLI. Started once (forked
    from a clean server process with pyreadstat loaded) and replaced after a crash."""
    with _POOL_LOCK:
        if not _POOL:
            method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
            context = mp.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(["pyreadstat", "pandas", "odi.importers.spss"])
            _POOL.append(ProcessPoolExecutor(max_workers=1, mp_context=context))
        return _POOL[0]


def _read_sav_bytes(data: bytes, source: str, limits: Limits) -> tuple[pd.DataFrame, object]:
    """The read itself (run in the child): the header's size first, then at most the limit."""
    import pyreadstat

    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        _, header = pyreadstat.read_sav(io.BytesIO(data), metadataonly=True)
        declared = header.number_rows if header.number_rows is not None else 0
        limits.check_shape(source, rows=max(declared, 0), columns=header.number_columns or 0)
        frame, meta = pyreadstat.read_sav(
            io.BytesIO(data), apply_value_formats=False, row_limit=limits.rows + 1
        )
    limits.check_shape(source, rows=len(frame), columns=frame.shape[1])
    return frame, meta


def _as_text(series: pd.Series) -> pd.Series:
    """Cells as text: whole numbers without ``.0``, dates as ISO, missing as ``""``."""
    if pd.api.types.is_numeric_dtype(series):
        values = series.to_numpy(dtype=float)
        out = np.full(len(values), "", dtype=object)
        finite = np.isfinite(values)
        whole = finite & (values == np.round(values))
        out[whole] = values[whole].astype(np.int64).astype(str)
        rest = finite & ~whole
        out[rest] = values[rest].astype(str)
        return pd.Series(out, index=series.index, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d %H:%M:%S")
        return pd.Series(text.fillna("").to_numpy(dtype=object), index=series.index)
    return series.astype("string").fillna("").astype(object)


def _code_text(code: object) -> str:
    value = float(code)  # type: ignore[arg-type]
    return str(int(value)) if value.is_integer() else str(value)


def _ignore_reason(name: str, label: str) -> str:
    if normalise_name(name) == "solutionrevision":
        return "SolutionRevision (export metadata)"
    if "_DO_" in name:
        return "display order"
    if name.upper().endswith("_TEXT"):
        return "text typed into an 'other' option"
    if _TIMING.search(name) or label.startswith("Timing - "):
        return "timing"
    if re.search(r" - (?:Parent Topics|Topics|Sentiment\w*|Topic Sentiment \w+)$", label):
        return "Text iQ topics or sentiment"
    return ""


def _sort_columns(
    names: list[str], labels: dict[str, str]
) -> tuple[dict[int, ColumnSpec], dict[str, list[int]], dict[int, str]]:
    """The id, metadata and ignored columns' specs; the other columns grouped by question
    (with each one's statement id)."""
    specs: dict[int, ColumnSpec] = {}
    groups: dict[str, list[int]] = {}
    ids: dict[int, str] = {}
    seen_id = False
    for i, name in enumerate(names):
        label = clean_text(labels.get(name) or "")
        norm = normalise_name(name)
        if norm in ID_NAMES and not seen_id:
            specs[i] = ColumnSpec(name, "respondent_id", i + 1, header=name, question=label)
            seen_id = True
        elif meta_kind(name) is not None or name.startswith("Q_"):
            specs[i] = ColumnSpec(
                name,
                "metadata",
                i + 1,
                header=name,
                question=label,
                detail=meta_kind(name) or "info",
            )
        elif reason := _ignore_reason(name, label):
            specs[i] = ColumnSpec(name, "ignore", i + 1, header=name, question=label, detail=reason)
        else:
            m = _GROUP.match(name)
            key = m.group("q") if m else f"column {i}"
            ids[i] = m.group("k") if m else ""
            groups.setdefault(key, []).append(i)
    return specs, groups, ids


def parse_spss(data: bytes, *, source: str, limits: Limits = DEFAULT_LIMITS) -> Parsed:
    """Read an SPSS .sav file into a :class:`Parsed`."""
    frame, meta = read_sav(data, source=source, limits=limits)
    labels: dict[str, str] = dict(getattr(meta, "column_names_to_labels", {}) or {})
    value_labels_raw: dict[str, dict[object, str]] = dict(
        getattr(meta, "variable_value_labels", {}) or {}
    )
    names = [str(c) for c in frame.columns]
    specs, groups, ids = _sort_columns(names, labels)
    candidates: list[Candidate] = []
    for members in groups.values():
        texts = [clean_text(labels.get(names[i]) or names[i]) for i in members]
        main, subs, side = split_question(texts)
        single = len(members) == 1
        for i, text, sub in zip(members, texts, subs, strict=True):
            name = names[i]
            statement = sub if main and sub else statement_from_question(text)
            if side is not None:
                candidates.append(Candidate(name, side, main or text, statement, ids[i], single))
            specs[i] = ColumnSpec(
                name,
                side or "attribute",
                i + 1,
                header=name,
                question=main or text,
                statement=statement if side else "",
                name="" if side else attribute_name(name, text),
            )
    questions = len(
        {
            clean_text(labels.get(names[i]) or names[i]).split(" - ")[0]
            for members in groups.values()
            for i in members
        }
    )
    settled = finish(
        [specs[i] for i in range(len(names))], candidates, questions=questions, source=source
    )
    body = pd.DataFrame({name: _as_text(frame[name]) for name in names})
    value_labels = {
        name: {_code_text(code): str(text) for code, text in mapping.items()}
        for name, mapping in value_labels_raw.items()
        if name in body.columns
    }
    encoding = str(getattr(meta, "file_encoding", "") or "")
    return Parsed(
        source=source,
        format="spss",
        body=body,
        columns=settled.columns,
        detail="value labels" if value_labels else "no value labels",
        encoding=encoding,
        header_rows=0,
        questions=questions,
        paired_by=settled.paired_by,
        pairing_error=settled.pairing_error,
        warnings=settled.warnings,
        value_labels=value_labels,
        numeric_recodes=True,
    )
