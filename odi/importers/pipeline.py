"""The import pipeline: read, detect, map columns, convert labels, screen, build the survey.

:func:`import_survey` is the one entry point for every format. Reading and
detecting (the expensive part) is cached per file content, so calling it again
with other options (a screening switch, a label map) only redoes the cheap part.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from odi.importers.columns import ColumnMap, ColumnSpec
from odi.importers.detect import detect_format
from odi.importers.generic import parse_long, parse_wide
from odi.importers.googleforms import parse_googleforms
from odi.importers.labels import LabelMap, LabelResolution, resolve_labels
from odi.importers.options import ImportOptions
from odi.importers.parsed import Parsed, codes_of, ignore_empty_attributes
from odi.importers.plain import ScaleOptions, long_to_survey, outcome_ids, resolve_scale
from odi.importers.qualtrics import parse_qualtrics
from odi.importers.report import ImportReport, ImportResult, PairedOutcome
from odi.importers.screening import ScreeningInputs, ScreeningResult, screen
from odi.importers.spss import parse_spss
from odi.importers.surveymonkey import parse_surveymonkey
from odi.importers.tabular import read_table, sniff_kind
from odi.importers.text import unique_names
from odi.limits import DEFAULT_LIMITS, Limits
from odi.scale import Scale, apply_scale, infer_scale
from odi.survey import Survey

__all__ = ["DEFAULT_OPTIONS", "import_survey", "inspect_survey", "parse_file"]

#: The options :func:`import_survey` uses when none are given.
DEFAULT_OPTIONS = ImportOptions()

_CACHE: OrderedDict[tuple[str, str, str, Limits], Parsed] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_ENTRIES = 8
_CACHE_MAX_BYTES = 32 << 20


def parse_file(
    data: bytes, *, source: str, format: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Parsed:
    """Read a file and map its columns automatically (cached per content for small files).

    Raises
    ------
    ValueError
        For an empty, binary or unreadable file, ragged rows, or a header that was
        edited so the format cannot be read.
    """
    key = None
    if len(data) <= _CACHE_MAX_BYTES:
        key = (hashlib.blake2b(data, digest_size=16).hexdigest(), source, format or "", limits)
        with _CACHE_LOCK:
            if key in _CACHE:
                _CACHE.move_to_end(key)
                return _CACHE[key]
    parsed = ignore_empty_attributes(_parse(data, source=source, format=format, limits=limits))
    if key is not None:
        with _CACHE_LOCK:
            _CACHE[key] = parsed
            while len(_CACHE) > _CACHE_ENTRIES:
                _CACHE.popitem(last=False)
    return parsed


def _parse(data: bytes, *, source: str, format: str | None, limits: Limits) -> Parsed:
    kind = sniff_kind(data)
    if kind == "sav" or format == "spss":
        if kind != "sav":
            raise ValueError(
                f"{source} is not an SPSS .sav file (it does not start with $FL2); choose "
                "another format or let the importer detect it"
            )
        return parse_spss(data, source=source, limits=limits)
    table = read_table(data, source=source, limits=limits)
    fmt = format or detect_format(table, source=source)
    if fmt in ("qualtrics", "qualtrics-legacy"):
        return parse_qualtrics(table, source=source, legacy=fmt == "qualtrics-legacy")
    if fmt == "surveymonkey":
        if len(table.head) < 2:
            raise ValueError(f"{source} has one row; a SurveyMonkey export has two header rows")
        return parse_surveymonkey(table, source=source)
    if fmt == "googleforms":
        return parse_googleforms(table, source=source)
    if fmt == "long":
        return parse_long(table, source=source)
    return parse_wide(table, source=source)


def import_survey(
    data: bytes, *, source: str, options: ImportOptions = DEFAULT_OPTIONS
) -> ImportResult:
    """Import a survey export of any supported format into a :class:`Survey` and a report.

    Parameters
    ----------
    data : bytes
        The file's content; it is never modified.
    source : str
        The file's name, for messages (its extension is not used for detection).
    options : ImportOptions
        Format override, scale, N/A codes, screening rules, label and column maps.

    Returns
    -------
    ImportResult
        ``.survey`` (the respondents kept by screening) and ``.report``.

    Raises
    ------
    ValueError
        With a message naming the file and saying what to do, for every kind of
        bad input.

    Examples
    --------
    >>> data = b"id,role,imp_a,sat_a\\n1,VP,5,2\\n2,VP,4,\\n3,AE,Very important,1\\n"
    >>> r = import_survey(data, source="s.csv")
    >>> r.survey.n_respondents, r.report.format, r.report.outcomes[0].importance_column
    (3, 'wide', 'imp_a')
    >>> r.survey.importance["a"].tolist()
    [5.0, 4.0, 4.0]
    """
    parsed = parse_file(data, source=source, format=options.format, limits=options.limits)
    return _build(parsed, options)


def inspect_survey(
    data: bytes, *, source: str, options: ImportOptions = DEFAULT_OPTIONS
) -> ImportReport:
    """The import report, also for a file that cannot be scored (see ``report.problem``).

    Raises
    ------
    ValueError
        Only when the file cannot be read at all (empty, binary, ragged, ...).

    Examples
    --------
    >>> r = inspect_survey(b"id,age,city\\n1,30,Oslo\\n", source="s.csv")
    >>> r.attributes, r.problem[:43]
    (('age', 'city'), 's.csv has no importance/satisfaction column')
    """
    parsed = parse_file(data, source=source, format=options.format, limits=options.limits)
    try:
        return _build(parsed, options).report
    except ValueError as exc:
        return _partial_report(parsed, options, problem=str(exc))


@dataclass(frozen=True, slots=True)
class _Pair:
    key: str
    importance: ColumnSpec
    satisfaction: ColumnSpec


def _pairs(columns: ColumnMap, *, source: str) -> list[_Pair]:
    sides: dict[str, dict[str, ColumnSpec]] = {}
    for spec in columns.with_role("importance", "satisfaction"):
        if not spec.outcome:
            raise ValueError(
                f"{source}: column {spec.column!r} is "
                f"{'an' if spec.role == 'importance' else 'a'} {spec.role} rating without an "
                "outcome key; give it the outcome (statement) it rates in the column map"
            )
        slot = sides.setdefault(spec.outcome, {})
        if spec.role in slot:
            raise ValueError(
                f"{source}: two columns give the {spec.role} of outcome {spec.outcome!r}: "
                f"{slot[spec.role].column!r} and {spec.column!r}; keep one"
            )
        slot[spec.role] = spec
    one_sided = [(k, next(iter(v.values()))) for k, v in sides.items() if len(v) == 1]
    if one_sided:
        shown = ", ".join(f"{k!r} ({s.role} only, column {s.column!r})" for k, s in one_sided[:8])
        raise ValueError(
            f"{source}: {len(one_sided)} outcome(s) have only one side: {shown}. Each outcome "
            "needs an importance and a satisfaction column with the same outcome key"
        )
    if not sides:
        raise ValueError(
            f"{source}: no column is an importance or satisfaction rating; mark the rating "
            "columns in the column map"
        )
    pairs = [_Pair(k, v["importance"], v["satisfaction"]) for k, v in sides.items()]
    return sorted(pairs, key=lambda p: p.importance.position)


@dataclass(frozen=True, slots=True)
class _Side:
    """One side's answers: per column the codes and the texts they index, and their meaning."""

    columns: list[str]
    codes: list[np.ndarray]
    keys: list[list[str]]
    resolution: LabelResolution
    warnings: list[str]

    def values(self) -> set[float]:
        """The distinct numbers the answers map to (NaN left out)."""
        used: set[float] = set()
        lookup = self.resolution.values
        for codes, keys in zip(self.codes, self.keys, strict=True):
            present = np.unique(codes[codes >= 0])
            used.update(lookup.get(keys[i], math.nan) for i in present)
        return {v for v in used if not math.isnan(v)}

    def matrix(self, *, blank: frozenset[float] = frozenset()) -> np.ndarray:
        """Outcomes x respondents (C order, one contiguous row per outcome); ``blank``
        values (N/A codes) become NaN."""
        n = len(self.codes[0]) if self.codes else 0
        out = np.empty((len(self.codes), n), dtype=np.float64)
        lookup = self.resolution.values
        for j, (codes, keys) in enumerate(zip(self.codes, self.keys, strict=True)):
            lut = [lookup.get(k, math.nan) for k in keys]
            lut = [math.nan if v in blank else v for v in lut] + [math.nan]
            np.take(np.asarray(lut, dtype=np.float64), codes, out=out[j], mode="wrap")
        return out


def _side(
    parsed: Parsed,
    pairs: list[_Pair],
    *,
    side: str,
    options: ImportOptions,
    scale_size: int | None,
) -> _Side:
    """Tally one side's distinct answers and map them to numbers (labels, codes or numbers)."""
    columns = [(p.importance if side == "importance" else p.satisfaction).column for p in pairs]
    body = parsed.body
    codes_list: list[np.ndarray] = []
    cats_list: list[list[str]] = []
    texts_list: list[list[str]] = []
    counts: dict[str, int] = {}
    raw_counts: dict[str, int] = {}
    labelled = bool(parsed.value_labels) and all(c in parsed.value_labels for c in columns)
    for column in columns:
        codes, cats = codes_of(body[column])
        labels = parsed.value_labels.get(column, {})
        texts = [labels.get(c.strip(), c) for c in cats] if labels else cats
        tally = np.bincount(codes[codes >= 0], minlength=len(cats))
        for raw, text, n in zip(cats, texts, tally, strict=True):
            if n:
                counts[text] = counts.get(text, 0) + int(n)
                raw_counts[raw] = raw_counts.get(raw, 0) + int(n)
        codes_list.append(codes)
        cats_list.append(cats)
        texts_list.append(texts)
    warnings: list[str] = []
    use_raw = False
    try:
        resolution = resolve_labels(
            counts,
            side=side,
            source=parsed.source,
            label_map=options.label_map,
            scale_size=scale_size,
        )
    except ValueError:
        if not labelled or options.label_map is not None:
            raise
        resolution = resolve_labels(raw_counts, side=side, source=parsed.source)
        use_raw = True
        warnings.append(
            f"{parsed.source}: the {side} value labels are not a known scale, so the codes "
            "themselves are used as scale points"
        )
    if (
        resolution.kind == "numbers"
        and options.label_map is None
        and (parsed.numeric_recodes and (not labelled or use_raw))
    ):
        _check_recodes(resolution, side=side, source=parsed.source, options=options)
    warnings.extend(resolution.warnings)
    return _Side(columns, codes_list, cats_list if use_raw else texts_list, resolution, warnings)


def _agree(
    parsed: Parsed, pairs: list[_Pair], imp: _Side, sat: _Side, *, options: ImportOptions
) -> tuple[_Side, _Side]:
    """When the sides' labels fit label sets of different sizes, try each side on the
    other's size: 'Very important' is point 4 of 5 or 6 of 7, and the other side can tell."""
    a, b = imp.resolution.scale_size, sat.resolution.scale_size
    if a is None or b is None or a == b:
        return imp, sat
    for size in (max(a, b), min(a, b)):
        try:
            imp2 = (
                imp
                if a == size
                else _side(parsed, pairs, side="importance", options=options, scale_size=size)
            )
            sat2 = (
                sat
                if b == size
                else _side(parsed, pairs, side="satisfaction", options=options, scale_size=size)
            )
        except ValueError:
            continue
        if imp2.resolution.scale_size == sat2.resolution.scale_size:
            return imp2, sat2
    return imp, sat


def _check_recodes(
    resolution: LabelResolution, *, side: str, source: str, options: ImportOptions
) -> None:
    """Numbers from a survey tool are recode values: only 1..k is taken as the scale."""
    values = {v for v in resolution.values.values() if not math.isnan(v)}
    values -= set(options.na_codes)
    whole = all(float(v).is_integer() for v in values)
    top = max(values) if values else 0
    # Accepted: whole numbers within 1..5, 1..7 or 1..10, or exactly 1..k.
    one_to_k = (
        whole
        and min(values, default=0) >= 1
        and (top in (5, 7, 10) or values == set(map(float, range(1, int(top) + 1))))
    )
    if values and not one_to_k:
        shown = ", ".join(str(int(v)) if float(v).is_integer() else str(v) for v in sorted(values))
        raise ValueError(
            f"{side} answers in {source} are the survey tool's recode values {{{shown}}}, which "
            "do not run 1..k, so what each one means is unknown. Export with choice text "
            "('Use choice text'), upload the SPSS .sav (its value labels give the scale), or "
            "give a label map (--label-map) that maps each code to a scale point"
        )


def _frames(imp: _Side, sat: _Side) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondents x outcomes frames of both sides, for the core's checks and messages."""
    return (
        pd.DataFrame(imp.matrix().T, columns=imp.columns),
        pd.DataFrame(sat.matrix().T, columns=sat.columns),
    )


def _scale(imp: _Side, sat: _Side, *, options: ImportOptions, source: str) -> Scale:
    """Settle the scale from the labels, the caller's map or the numbers, and check that
    every answer is on it (on the distinct values; the full matrices only for a message)."""
    imp_res, sat_res = imp.resolution, sat.resolution
    sizes = sorted({r.scale_size for r in (imp_res, sat_res) if r.scale_size})
    label_map = options.label_map
    values = imp.values() | sat.values()
    if label_map is not None and label_map.points and "labels" in (imp_res.kind, sat_res.kind):
        points = tuple(sorted(label_map.points))
        top = (
            options.top_box
            if options.top_box is not None
            else (points[-2] if len(points) > 1 else points[-1])
        )
        scale = Scale(points=points, top_box=float(top), na_codes=options.na_codes)
    elif sizes:
        if len(sizes) > 1:
            raise ValueError(
                f"{source}: importance answers are on a {imp_res.scale_size}-point scale but "
                f"satisfaction answers on a {sat_res.scale_size}-point scale; both sides must "
                "use the same scale (give a label map to put them on one)"
            )
        k = sizes[0]
        if options.scale is not None and tuple(options.scale) != (1, k):
            raise ValueError(
                f"{source}: the answer labels form a {k}-point scale (1-{k}) but the scale was "
                f"given as {options.scale[0]}-{options.scale[1]}; leave the scale out or give a "
                "label map"
            )
        scale = Scale.from_range(1, k, top_box=options.top_box, na_codes=options.na_codes)
    elif options.scale is not None:
        scale = Scale.from_range(*options.scale, top_box=options.top_box, na_codes=options.na_codes)
    else:
        try:
            scale = infer_scale(
                np.array(sorted(values), dtype=float),
                na_codes=options.na_codes,
                top_box=options.top_box,
            )
        except ValueError:
            # The decision depends only on the distinct values; the message needs counts.
            imp_df, sat_df = _frames(imp, sat)
            resolve_scale(imp_df, sat_df, options.scale_options, source=source)
            raise
    off = {v for v in values if v not in scale.points and v not in scale.na_codes}
    if off:
        imp_df, sat_df = _frames(imp, sat)
        apply_scale(imp_df, scale, what="importance ratings", source=source)
        apply_scale(sat_df, scale, what="satisfaction ratings", source=source)
    return scale


def _maybe_text(parsed: Parsed, column: str | None) -> pd.Series | None:
    return None if column is None else _column_text(parsed, column)


def _column_text(parsed: Parsed, column: str) -> pd.Series:
    """A column's cells as stripped text (SPSS attribute codes as their labels)."""
    codes, cats = codes_of(parsed.body[column])
    labels = parsed.value_labels.get(column, {})
    lut = np.array([*(c.strip() for c in cats), ""], dtype=object)
    if labels and column in parsed.columns.columns_with("attribute"):
        lut = np.array([*(labels.get(c.strip(), c).strip() for c in cats), ""], dtype=object)
    return pd.Series(lut[codes], dtype=object)


def _durations(parsed: Parsed, columns: ColumnMap) -> pd.Series | None:
    col = columns.metadata("duration")
    if col is not None:
        codes, cats = codes_of(parsed.body[col])
        numbers = pd.to_numeric(pd.Series(cats, dtype=object), errors="coerce")
        lut = np.append(numbers.to_numpy(dtype=float), np.nan)
        return pd.Series(lut[codes], dtype=float)
    start, end = columns.metadata("start"), columns.metadata("end")
    if start is None or end is None:
        return None
    times = []
    for column in (start, end):
        codes, cats = codes_of(parsed.body[column])
        parsed_cats = pd.to_datetime(pd.Series(cats, dtype=object), errors="coerce", format="mixed")
        lut = np.append(parsed_cats.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT"))
        times.append(lut[codes])
    seconds = (times[1] - times[0]) / np.timedelta64(1, "s")
    series = pd.Series(seconds, dtype=float)
    return series if series.notna().any() else None


def _respondent_ids(parsed: Parsed, columns: ColumnMap) -> tuple[np.ndarray, pd.Series | None]:
    """Each response's id (row number where there is none) and the key for duplicates."""
    n = len(parsed.body)
    ids = columns.columns_with("respondent_id")
    if ids:
        text = _column_text(parsed, ids[0])
        values = text.to_numpy(dtype=object, copy=True)
        blank = values == ""
        values[blank] = [f"row {i + 1}" for i in np.flatnonzero(blank)]
        return values.astype(str), text
    email = columns.metadata("email")
    return np.array([str(i + 1) for i in range(n)]), _maybe_text(parsed, email)


#: Platform exports with no completion column: an abandoned response shows as blanks.
_NO_COMPLETION_COLUMN = frozenset({"surveymonkey", "googleforms"})


def _answered_in_order(parsed: Parsed, sides: tuple[_Side, ...]) -> np.ndarray:
    """Respondents x rating items, True where a cell holds an answer, in file order."""
    spec = parsed.columns
    position = {s.column: s.position for s in spec.specs}
    items = [
        (position.get(column, 0), codes, cats)
        for side in sides
        for column, codes, cats in zip(side.columns, side.codes, side.keys, strict=True)
    ]
    items.sort(key=lambda item: item[0])
    cols = []
    for _, codes, cats in items:
        lut = np.array([*(bool(str(c).strip()) for c in cats), False], dtype=bool)
        cols.append(lut[codes])
    n = len(parsed.body)
    return np.column_stack(cols) if cols else np.zeros((n, 0), dtype=bool)


def _screen(
    parsed: Parsed,
    columns: ColumnMap,
    imp: np.ndarray,
    sat: np.ndarray,
    options: ImportOptions,
    dup_key: pd.Series | None,
    answered_in_order: np.ndarray | None = None,
) -> ScreeningResult:
    finished = columns.metadata("finished") or columns.metadata("progress")
    inputs = ScreeningInputs(
        importance=imp,
        satisfaction=sat,
        answered_in_order=answered_in_order
        if parsed.format in _NO_COMPLETION_COLUMN and finished is None
        else None,
        status=_maybe_text(parsed, columns.metadata("status")),
        finished=_maybe_text(parsed, columns.metadata("finished")),
        progress=_maybe_text(parsed, columns.metadata("progress")),
        channel=_maybe_text(parsed, columns.metadata("channel")),
        duration=_durations(parsed, columns),
        response_id=dup_key,
    )
    return screen(inputs, options.screening)


def _no_one_left(source: str, result: ScreeningResult) -> ValueError:
    return ValueError(
        f"{source}: no respondents are left after screening ({result.summary()}). If they "
        "should count, switch off the rule that removed them (for example --keep-unfinished "
        "or --no-screen)"
    )


def _exclusions(ids: np.ndarray, result: ScreeningResult, *, flagged: bool = False) -> pd.DataFrame:
    """Excluded respondents (or, with ``flagged``, the kept ones a switched-off rule flags)."""
    reason = result.flag if flagged else result.reason
    out = np.flatnonzero(reason != "") if flagged else np.flatnonzero(~result.keep)
    return pd.DataFrame(
        {
            "respondent_id": ids[out].astype(str),
            "row": out + 1,
            "reason": reason[out],
        }
    )


def _named_attributes(columns: ColumnMap) -> list[tuple[ColumnSpec, str]]:
    """The attribute columns with their names, made unique."""
    specs = columns.with_role("attribute")
    names = unique_names([s.name or s.column for s in specs], [s.column for s in specs])
    return list(zip(specs, names, strict=True))


def _attributes(parsed: Parsed, columns: ColumnMap, keep: np.ndarray) -> pd.DataFrame:
    data: dict[str, pd.Series] = {}
    for spec, name in _named_attributes(columns):
        text = _column_text(parsed, spec.column)
        values = text.to_numpy(dtype=object)[keep]
        data[name] = pd.Series(values, dtype=object).replace("", np.nan)
    return pd.DataFrame(data) if data else pd.DataFrame(index=pd.RangeIndex(int(keep.sum())))


def _unique_ids(ids: np.ndarray) -> tuple[np.ndarray, list[str]]:
    series = pd.Series(ids)
    dup = series.duplicated(keep="first")
    if not dup.any():
        return ids, []
    counter: dict[str, int] = {}
    out = ids.copy()
    for i in np.flatnonzero(dup.to_numpy()):
        counter[ids[i]] = counter.get(ids[i], 1) + 1
        out[i] = f"{ids[i]} ({counter[ids[i]]})"
    shown = ", ".join(sorted({str(ids[i]) for i in np.flatnonzero(dup.to_numpy())})[:5])
    return out, [f"respondent ids repeat ({shown}); the repeats are numbered, e.g. 'id (2)'"]


def _ratings(
    parsed: Parsed, pairs: list[_Pair], options: ImportOptions
) -> tuple[_Side, _Side, Scale, list[str]]:
    """Both sides' answers as scale points, the scale, and the warnings so far."""
    source = parsed.source
    size = options.scale[1] - options.scale[0] + 1 if options.scale else None
    imp_side = _side(parsed, pairs, side="importance", options=options, scale_size=size)
    sat_side = _side(
        parsed,
        pairs,
        side="satisfaction",
        options=options,
        scale_size=imp_side.resolution.scale_size or size,
    )
    imp_side, sat_side = _agree(parsed, pairs, imp_side, sat_side, options=options)
    scale = _scale(imp_side, sat_side, options=options, source=source)
    warnings = [*parsed.warnings, *imp_side.warnings, *sat_side.warnings]
    if (
        "numbers" in (imp_side.resolution.kind, sat_side.resolution.kind)
        and parsed.numeric_recodes
        and (options.label_map is None and not parsed.value_labels)
    ):
        warnings.append(
            f"{source}: ratings are numbers (a numeric-values export), taken as scale points "
            f"with {scale.low:g} the lowest and {scale.high:g} the highest; if the survey's "
            "recode values differ, export choice text or give a label map"
        )
    return imp_side, sat_side, scale, warnings


def _build(parsed: Parsed, options: ImportOptions) -> ImportResult:
    source = parsed.source
    columns = parsed.columns.merge(options.column_map) if options.column_map else parsed.columns
    if parsed.format == "long":
        return _build_long(parsed, columns, options)
    if parsed.pairing_error and options.column_map is None:
        raise ValueError(parsed.pairing_error)
    pairs = _pairs(columns, source=source)
    if parsed.body.empty or len(parsed.body) == 0:
        raise ValueError(
            f"{source} has its header row(s) but no responses: there are no respondents to score"
        )
    imp_side, sat_side, scale, warnings = _ratings(parsed, pairs, options)
    imp_res, sat_res = imp_side.resolution, sat_side.resolution
    imp_t = imp_side.matrix(blank=frozenset(scale.na_codes))
    sat_t = sat_side.matrix(blank=frozenset(scale.na_codes))
    imp, sat = imp_t.T, sat_t.T
    ids, dup_key = _respondent_ids(parsed, columns)
    answered = (
        _answered_in_order(parsed, (imp_side, sat_side))
        if parsed.format in _NO_COMPLETION_COLUMN
        else None
    )
    result = _screen(parsed, columns, imp, sat, options, dup_key, answered)
    if result.n_kept == 0:
        raise _no_one_left(source, result)
    keep = result.keep
    kept_ids, id_warnings = _unique_ids(ids[keep])
    warnings.extend(id_warnings)
    keys = [p.key for p in pairs]
    oids = (
        outcome_ids(keys)
        if parsed.plain_ids
        else [f"O{i:0{max(2, len(str(len(keys))))}d}" for i in range(1, len(keys) + 1)]
    )
    statements = [p.importance.statement or p.key for p in pairs]
    index = pd.Index(kept_ids, name="respondent_id")
    attrs = _attributes(parsed, columns, keep)
    attrs.index = index
    survey = Survey.from_frames(
        outcomes=pd.DataFrame({"statement": statements}, index=pd.Index(oids)),
        importance=pd.DataFrame(imp_t[:, keep].T, index=index, columns=oids, copy=False),
        satisfaction=pd.DataFrame(sat_t[:, keep].T, index=index, columns=oids, copy=False),
        respondents=attrs,
        scale=scale,
        name=options.name or Path(source).stem,
    )
    report = _report(
        parsed,
        columns,
        (ids, result),
        warnings,
        outcomes=[
            PairedOutcome(oid, st, p.importance.column, p.satisfaction.column)
            for oid, st, p in zip(oids, statements, pairs, strict=True)
        ],
        attributes=survey.attributes,
        paired_by="column map" if options.column_map else parsed.paired_by,
        questions=parsed.questions,
        scale=scale,
        labels=(imp_res.label_map, sat_res.label_map),
    )
    return ImportResult(survey=survey, report=report)


def _long_table(
    parsed: Parsed, columns: ColumnMap, role: dict[str, str], options: ImportOptions
) -> tuple[pd.DataFrame, list[LabelResolution], list[str]]:
    """A long file's columns under their standard names, answers as scale points (text)."""
    source = parsed.source
    renames = {
        "respondent_id": "respondent_id",
        "outcome_id": "outcome_id",
        "outcome_text": "outcome",
        "importance": "importance",
        "satisfaction": "satisfaction",
        "job_step": "job_step",
    }
    frame: dict[str, pd.Series] = {}
    for r, name in renames.items():
        if r in role:
            frame[name] = _column_text(parsed, role[r])
    for spec, name in _named_attributes(columns):
        frame[name] = _column_text(parsed, spec.column)
    table = pd.DataFrame(frame)
    resolutions: list[LabelResolution] = []
    warnings = list(parsed.warnings)
    size = options.scale[1] - options.scale[0] + 1 if options.scale else None
    for side in ("importance", "satisfaction"):
        if side not in table.columns:
            continue
        counts = table[side].value_counts().to_dict()
        res = resolve_labels(
            {str(k): int(v) for k, v in counts.items()},
            side=side,
            source=source,
            label_map=options.label_map,
            scale_size=size,
        )
        resolutions.append(res)
        warnings.extend(res.warnings)
        table[side] = table[side].map(
            lambda v, r=res: "" if math.isnan(r.values[v]) else repr(r.values[v])
        )
    return table, resolutions, warnings


def _build_long(parsed: Parsed, columns: ColumnMap, options: ImportOptions) -> ImportResult:
    source = parsed.source
    role = {s.role: s.column for s in reversed(columns.specs)}
    table, resolutions, warnings = _long_table(parsed, columns, role, options)
    sizes = {r.scale_size for r in resolutions if r.scale_size}
    scale_range = options.scale
    if sizes and scale_range is None and len(sizes) == 1:
        scale_range = (1, sizes.pop())
    survey = long_to_survey(
        table,
        source=source,
        options=ScaleOptions(scale=scale_range, top_box=options.top_box, na_codes=options.na_codes),
        name=options.name or Path(source).stem,
    )
    ids = survey.respondents.index.to_numpy(dtype=object).astype(str)
    result = screen(
        ScreeningInputs(
            importance=survey.importance.to_numpy(),
            satisfaction=survey.satisfaction.to_numpy(),
            shown=_shown(table, n_respondents=len(ids), n_outcomes=len(survey.outcomes)),
            # One respondent per id once the long rows are gathered: the rule checks that.
            response_id=pd.Series(ids),
        ),
        options.screening,
    )
    if result.n_kept == 0:
        raise _no_one_left(source, result)
    kept = survey.subset(result.keep)
    imp_col, sat_col = role.get("importance", ""), role.get("satisfaction", "")
    report = _report(
        parsed,
        columns,
        (ids, result),
        warnings,
        outcomes=[
            PairedOutcome(str(oid), str(st), imp_col, sat_col)
            for oid, st in survey.outcomes["statement"].items()
        ],
        attributes=survey.attributes,
        paired_by="long layout",
        questions=2,
        scale=survey.scale,
        labels=(
            resolutions[0].label_map if resolutions else None,
            resolutions[1].label_map if len(resolutions) > 1 else None,
        ),
    )
    return ImportResult(survey=kept, report=report)


def _report(
    parsed: Parsed,
    columns: ColumnMap,
    screened: tuple[np.ndarray, ScreeningResult] | None,
    warnings: Sequence[str],
    *,
    outcomes: Sequence[PairedOutcome],
    attributes: Sequence[str],
    paired_by: str,
    questions: int,
    scale: Scale | None = None,
    labels: tuple[LabelMap | None, LabelMap | None] = (None, None),
    problem: str = "",
) -> ImportReport:
    """The import report: the file, its columns and the screening (``screened``: every
    respondent's id and the screening result, if it ran), then what this import found."""
    n = len(parsed.body)
    result = screened[1] if screened is not None else None
    if screened is not None:
        excluded_rows = _exclusions(*screened)
        flagged_rows = _exclusions(*screened, flagged=True)
    else:
        excluded_rows = flagged_rows = ImportReport("", "").exclusions
    return ImportReport(
        source=parsed.source,
        format=parsed.format,
        detail=parsed.detail,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        header_rows=parsed.header_rows,
        respondents_total=result.n_total if result is not None else n,
        respondents_kept=result.n_kept if result is not None else n,
        excluded=result.counts if result is not None else (),
        flagged=result.flagged if result is not None else (),
        screening_notes=result.notes if result is not None else (),
        outcomes=tuple(outcomes),
        paired_by=paired_by,
        questions=questions,
        scale=scale,
        importance_labels=labels[0],
        satisfaction_labels=labels[1],
        attributes=tuple(attributes),
        ignored=tuple((s.column, s.detail) for s in columns.with_role("ignore")),
        columns=columns,
        warnings=tuple(dict.fromkeys(warnings)),
        problem=problem,
        exclusions=excluded_rows,
        flagged_respondents=flagged_rows,
    )


def _shown(table: pd.DataFrame, *, n_respondents: int, n_outcomes: int) -> np.ndarray:
    """Respondents x outcomes, True where the long file has a row: a missing row is an
    outcome the respondent was not shown (a split questionnaire), not a blank answer.

    Rows and columns are in order of first appearance, as in ``long_to_survey``.
    """
    outcome = "outcome_id" if "outcome_id" in table.columns else "outcome"
    r_codes, _ = pd.factorize(table["respondent_id"].astype(str).str.strip())
    o_codes, _ = pd.factorize(table[outcome].astype(str).str.strip())
    shown = np.zeros((n_respondents, n_outcomes), dtype=bool)
    shown[r_codes, o_codes] = True
    return shown


def _partial_report(parsed: Parsed, options: ImportOptions, *, problem: str) -> ImportReport:
    columns = parsed.columns
    with contextlib.suppress(ValueError):
        columns = columns.merge(options.column_map) if options.column_map else columns
    n = len(parsed.body)
    empty = np.empty((n, 0))
    screened: tuple[np.ndarray, ScreeningResult] | None = None
    if parsed.format != "long" and n:
        ids, dup_key = _respondent_ids(parsed, columns)
        screened = ids, _screen(parsed, columns, empty, empty, options, dup_key)
    outcomes: list[PairedOutcome] = []
    try:
        pairs = _pairs(columns, source=parsed.source)
        outcomes = [
            PairedOutcome(
                f"O{i:02d}",
                p.importance.statement or p.key,
                p.importance.column,
                p.satisfaction.column,
            )
            for i, p in enumerate(pairs, start=1)
        ]
    except ValueError:
        pass
    return _report(
        parsed,
        columns,
        screened,
        parsed.warnings,
        outcomes=outcomes,
        attributes=[s.name or s.column for s in columns.with_role("attribute")],
        paired_by=parsed.paired_by,
        questions=parsed.questions,
        problem=problem,
    )
