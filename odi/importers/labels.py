"""Answer labels: normalising them, the built-in label sets, and the editable :class:`LabelMap`.

Survey tools export ratings either as numbers or as the answer text the respondent
saw (``Extremely important``, ``5 - Extremely important``, ``Somewhat satisfied``).
:func:`resolve_labels` turns the distinct answers of one side (importance or
satisfaction) into scale points: it matches them against built-in 5- and 7-point
importance, satisfaction and agreement sets, treats N/A answers as missing, and
fails with every unknown label and its count. The result is a :class:`LabelMap`
that a caller (or the UI) can edit and pass back to override the built-in match.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "DEFAULT_NA_CODES",
    "LABEL_SETS",
    "NA_LABELS",
    "LabelMap",
    "LabelResolution",
    "LabelSet",
    "is_na_label",
    "label_number",
    "normalise_label",
    "resolve_labels",
]

#: Numeric codes that always mean "seen but unanswered" (Qualtrics' -99 and 999).
DEFAULT_NA_CODES: tuple[float, ...] = (-99.0, 999.0)

#: Normalised answer texts that mean "no valid rating".
NA_LABELS: frozenset[str] = frozenset(
    {
        "",
        "n/a",
        "na",
        "n.a.",
        "nan",
        "null",
        "none",
        "-",
        "--",
        "(n/a)",
        "not applicable",
        "does not apply",
        "not relevant",
        "don't know",
        "dont know",
        "do not know",
        "don't know / not applicable",
        "unfamiliar (n/a)",
        "unfamiliar",
        "not sure",
        "unsure",
        "no opinion",
        "prefer not to say",
        "prefer not to answer",
        "can't say",
        "cannot say",
        "-99",
        "999",
    }
)
_NA_PATTERN = re.compile(r"\(n/?a\)|\bnot applicable\b|\bdon'?t know\b|\bdo not know\b")

_TAGS = re.compile(r"<[^>]*>")
_BREAKS = re.compile(r"<\s*/?\s*(?:br|p|div|li|tr|td|h\d)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_IS_NUMBER = re.compile(rf"^{_NUMBER}$")
# "5 - Extremely important", "5 = ...", "5. ...", "(5) ...", "5) ..."
_PREFIX = re.compile(rf"^\(?({_NUMBER})\)?\s*(?:[-–—=:.)]\s*|\s+)(?=\D)")
# "Extremely important (5)", "Extremely important - 5", "... = 5"
_SUFFIX = re.compile(rf"(?<=\D)\s*(?:\(\s*({_NUMBER})\s*\)|[-–—=:]\s*({_NUMBER}))$")


def _clean(text: str) -> str:
    text = html.unescape(_TAGS.sub("", _BREAKS.sub(" ", str(text))))
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    return _SPACES.sub(" ", text).strip().casefold()


def normalise_label(text: str) -> str:
    """The matching key of an answer label.

    Case, extra whitespace (NBSP included), HTML tags and entities, curly quotes,
    trailing full stops and numeric prefixes or suffixes are ignored. A plain
    number is returned in canonical form (``"5.00"`` -> ``"5"``).

    Examples
    --------
    >>> normalise_label("5 - Extremely&nbsp;<b>Important</b>")
    'extremely important'
    >>> normalise_label("Extremely important (5)"), normalise_label(" 4.00 ")
    ('extremely important', '4')
    >>> normalise_label("Unfamiliar (N/A)")
    'unfamiliar (n/a)'
    """
    key = _clean(text)
    if _IS_NUMBER.match(key):
        number = float(key)
        return _fmt(number)
    stripped = _SUFFIX.sub("", _PREFIX.sub("", key)).strip()
    if stripped:
        key = stripped
    return key.rstrip(".!").strip()


def label_number(text: str) -> float | None:
    """The number a label carries: the whole label, or a prefix or suffix; else ``None``.

    Examples
    --------
    >>> label_number("5 - Extremely important"), label_number("Very (4)"), label_number("Very")
    (5.0, 4.0, None)
    """
    key = _clean(text)
    if _IS_NUMBER.match(key):
        return float(key)
    for pattern in (_PREFIX, _SUFFIX):
        m = pattern.search(key)
        if m:
            return float(next(g for g in m.groups() if g is not None))
    return None


def is_na_label(text: str) -> bool:
    """Whether an answer means "no valid rating" (N/A, don't know, -99, 999, blank).

    Examples
    --------
    >>> [is_na_label(t) for t in ["(N/A)", "Don't know", "-99", "Very important", ""]]
    [True, True, True, False, True]
    """
    key = _clean(text)
    if key in NA_LABELS or _NA_PATTERN.search(key):
        return True
    return _IS_NUMBER.match(key) is not None and float(key) in DEFAULT_NA_CODES


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True, slots=True)
class LabelSet:
    """A built-in answer scale: for each point (1..k, low to high) its accepted labels."""

    name: str
    kind: str
    points: tuple[tuple[str, ...], ...]

    @property
    def size(self) -> int:
        """Number of scale points."""
        return len(self.points)

    def lookup(self) -> dict[str, int]:
        """Normalised label -> scale point."""
        return {
            normalise_label(label): i + 1
            for i, labels in enumerate(self.points)
            for label in labels
        }


def _set(name: str, kind: str, *points: str) -> LabelSet:
    return LabelSet(name, kind, tuple(tuple(p.split("|")) for p in points))


#: Built-in label sets, tried in this order; the first that fits all answers wins.
LABEL_SETS: tuple[LabelSet, ...] = (
    _set(
        "importance, 5-point",
        "importance",
        "Not at all important|Not important|Not important at all",
        "Slightly important|Not very important|Not so important|Low importance|A little important",
        "Moderately important|Somewhat important|Fairly important",
        "Very important",
        "Extremely important",
    ),
    _set(
        "importance, 5-point (unimportant to very important)",
        "importance",
        "Unimportant|Very unimportant",
        "Of little importance|Of low importance",
        "Moderately important|Of average importance|Neutral",
        "Important",
        "Very important",
    ),
    _set(
        "importance, 7-point",
        "importance",
        "Not at all important|Not important at all",
        "Low importance|Very unimportant",
        "Slightly important|Somewhat unimportant",
        "Neutral|Neither important nor unimportant",
        "Moderately important|Somewhat important",
        "Very important",
        "Extremely important",
    ),
    _set(
        "satisfaction, 5-point",
        "satisfaction",
        "Extremely dissatisfied|Very dissatisfied|Completely dissatisfied",
        "Somewhat dissatisfied|Dissatisfied|Slightly dissatisfied",
        "Neither satisfied nor dissatisfied|Neutral|Neither dissatisfied nor satisfied",
        "Somewhat satisfied|Satisfied|Slightly satisfied",
        "Extremely satisfied|Very satisfied|Completely satisfied",
    ),
    _set(
        "satisfaction, 5-point (not at all to extremely satisfied)",
        "satisfaction",
        "Not at all satisfied|Not satisfied at all|Not satisfied",
        "Slightly satisfied|Not very satisfied|A little satisfied",
        "Moderately satisfied|Somewhat satisfied",
        "Very satisfied",
        "Extremely satisfied|Completely satisfied",
    ),
    _set(
        "satisfaction, 5-point (well served)",
        "satisfaction",
        "Not at all well served|Not well served at all|Not served at all",
        "Slightly well served|Poorly served|Not very well served",
        "Moderately well served|Somewhat well served|Adequately served",
        "Very well served|Well served",
        "Extremely well served|Completely well served|Fully served",
    ),
    _set(
        "satisfaction, 7-point",
        "satisfaction",
        "Extremely dissatisfied|Completely dissatisfied|Very dissatisfied",
        "Moderately dissatisfied|Mostly dissatisfied|Dissatisfied",
        "Slightly dissatisfied|Somewhat dissatisfied",
        "Neither satisfied nor dissatisfied|Neutral|Neither dissatisfied nor satisfied",
        "Slightly satisfied|Somewhat satisfied",
        "Moderately satisfied|Mostly satisfied|Satisfied",
        "Extremely satisfied|Completely satisfied|Very satisfied",
    ),
    _set(
        "agreement, 5-point",
        "agreement",
        "Strongly disagree|Completely disagree",
        "Disagree|Somewhat disagree|Tend to disagree",
        "Neither agree nor disagree|Neutral|Neither disagree nor agree|Undecided",
        "Agree|Somewhat agree|Tend to agree",
        "Strongly agree|Completely agree",
    ),
    _set(
        "agreement, 7-point",
        "agreement",
        "Strongly disagree|Completely disagree",
        "Disagree|Moderately disagree|Mostly disagree",
        "Somewhat disagree|Slightly disagree",
        "Neither agree nor disagree|Neutral|Neither disagree nor agree|Undecided",
        "Somewhat agree|Slightly agree",
        "Agree|Moderately agree|Mostly agree",
        "Strongly agree|Completely agree",
    ),
)

_LOOKUPS: tuple[tuple[LabelSet, dict[str, int]], ...] = tuple((s, s.lookup()) for s in LABEL_SETS)


@dataclass(frozen=True, slots=True)
class LabelMap:
    """Answer label -> scale point (``None`` for "not applicable"), editable as a table.

    Labels match after :func:`normalise_label`, so ``"5 - Very important"`` matches
    an entry ``"Very important"``. ``points`` are the scale's points (the map's
    values by default), which fixes the scale even when nobody chose an end point.

    Examples
    --------
    >>> m = LabelMap.from_dict({"labels": {"Low": 1, "Mid": 2, "High": 3, "Skip": None}})
    >>> m.value_of("HIGH"), m.value_of("skip"), m.points
    (3.0, None, (1.0, 2.0, 3.0))
    >>> LabelMap.from_frame(m.to_frame()) == m
    True
    """

    entries: tuple[tuple[str, float | None], ...]
    name: str = ""
    points: tuple[float, ...] = field(default=())

    def __post_init__(self) -> None:
        seen: dict[str, float | None] = {}
        for label, value in self.entries:
            if value is not None and not math.isfinite(value):
                raise ValueError(
                    f"label map value for {label!r} must be a finite number or None (N/A); "
                    f"got {value!r}"
                )
            key = normalise_label(label)
            if key in seen and seen[key] != value:
                raise ValueError(
                    f"label map gives {label!r} two values ({seen[key]} and {value}); "
                    "each label needs one scale point"
                )
            seen[key] = value
        if not self.points:
            values = sorted({v for _, v in self.entries if v is not None})
            object.__setattr__(self, "points", tuple(float(v) for v in values))

    def lookup(self) -> dict[str, float | None]:
        """Normalised label -> value."""
        return {normalise_label(label): value for label, value in self.entries}

    def value_of(self, label: str) -> float | None:
        """The scale point of ``label`` (``None`` for N/A); ``KeyError`` if unknown."""
        return self.lookup()[normalise_label(label)]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: ``{"name": ..., "points": [...], "labels": {label: value}}``."""
        return {
            "name": self.name,
            "points": list(self.points),
            "labels": dict(self.entries),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LabelMap:
        """Build from :meth:`to_dict` output, or a plain ``{label: value}`` dict."""
        labels = data.get("labels", None if "name" in data or "points" in data else data)
        if not isinstance(labels, Mapping):
            raise ValueError(
                'a label map must be {"labels": {label: value, ...}} or {label: value, ...}; '
                f"got {type(labels).__name__}"
            )
        entries = tuple((str(k), _to_value(v, label=str(k))) for k, v in labels.items())
        raw_points = data.get("points") or ()
        if not isinstance(raw_points, Iterable):
            raise ValueError(f"label map points must be a list of numbers; got {raw_points!r}")
        points = tuple(float(p) for p in raw_points)
        return cls(entries=entries, name=str(data.get("name", "") or ""), points=points)

    def to_frame(self) -> pd.DataFrame:
        """A table with columns ``label`` and ``value`` (blank for N/A), for editing."""
        return pd.DataFrame(
            {
                "label": [label for label, _ in self.entries],
                "value": [float("nan") if v is None else v for _, v in self.entries],
            }
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, name: str = "") -> LabelMap:
        """Build from a ``label``/``value`` table; a blank value means N/A."""
        missing = [c for c in ("label", "value") if c not in frame.columns]
        if missing:
            raise ValueError(
                f"a label map table must have columns label and value; got {list(frame.columns)}"
            )
        entries = tuple(
            (str(label), _to_value(value, label=str(label)))
            for label, value in zip(frame["label"], frame["value"], strict=True)
            if not (isinstance(label, float) and math.isnan(label))
        )
        return cls(entries=entries, name=name)


def _to_value(value: object, *, label: str) -> float | None:
    if value is None or (isinstance(value, str) and value.strip().casefold() in ("", "na", "n/a")):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(
            f"label map value for {label!r} must be a number or blank (N/A); got {value!r}"
        ) from None
    return None if math.isnan(number) else number


@dataclass(frozen=True, slots=True)
class LabelResolution:
    """How the distinct answers of one side became numbers.

    Attributes
    ----------
    values : dict
        Raw answer text -> number (NaN for blank or N/A).
    label_map : LabelMap
        The map used (a built-in set, the caller's map, or the numbers seen).
    kind : str
        ``"labels"`` (a label set or the caller's map) or ``"numbers"``.
    scale_size : int or None
        Number of points when a built-in set gave the scale.
    na_answers : int
        How many answers were N/A texts or codes.
    """

    values: dict[str, float]
    label_map: LabelMap
    kind: str
    scale_size: int | None = None
    na_answers: int = 0
    warnings: tuple[str, ...] = field(default=())


def _candidate_sets(side: str, scale_size: int | None) -> list[tuple[LabelSet, dict[str, int]]]:
    order = {side: 0, "agreement": 1}
    sets = sorted(_LOOKUPS, key=lambda s: order.get(s[0].kind, 2))
    if scale_size is not None:
        sets = [s for s in sets if s[0].size == scale_size] + [
            s for s in sets if s[0].size != scale_size
        ]
    return sets


def _describe_unknown(unknown: Mapping[str, int]) -> str:
    items = sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))
    return "; ".join(f"{label!r} ({n})" for label, n in items)


def resolve_labels(
    counts: Mapping[str, int],
    *,
    side: str,
    source: str,
    label_map: LabelMap | None = None,
    scale_size: int | None = None,
) -> LabelResolution:
    """Map the distinct answers of one side to numbers.

    Parameters
    ----------
    counts : mapping of str to int
        Each distinct raw answer and how often it occurs.
    side : str
        ``"importance"`` or ``"satisfaction"``: which built-in sets to try first.
    source : str
        The file name, for messages.
    label_map : LabelMap, optional
        The caller's map; it replaces the built-in sets.
    scale_size : int, optional
        Prefer built-in sets with this many points (from ``--scale``).

    Raises
    ------
    ValueError
        Listing every unknown label with its count.

    Examples
    --------
    >>> r = resolve_labels({"Very important": 3, "5 - Extremely important": 2, "(N/A)": 1},
    ...                    side="importance", source="s.csv")
    >>> r.values["5 - Extremely important"], r.scale_size, r.label_map.name, r.na_answers
    (5.0, 5, 'importance, 5-point', 1)
    >>> resolve_labels({"4": 2, "2.0": 1}, side="importance", source="s.csv").values
    {'4': 4.0, '2.0': 2.0}
    """
    values: dict[str, float] = {}
    na_answers = 0
    texts: dict[str, str] = {}
    numbers: dict[str, float] = {}
    for raw in counts:
        if is_na_label(raw):
            values[raw] = math.nan
            if raw.strip():
                na_answers += counts[raw]
            continue
        key = normalise_label(raw)
        if _IS_NUMBER.match(key):
            numbers[raw] = float(key)
        else:
            texts[raw] = key
    if label_map is not None:
        return _by_label_map(
            counts, values, texts, numbers, na_answers, label_map, side=side, source=source
        )
    for raw, number in numbers.items():
        values[raw] = number
    if not texts:
        observed = tuple(sorted(set(numbers.values())))
        label_map = LabelMap(tuple((_fmt(v), v) for v in observed), name="numbers")
        return LabelResolution(values, label_map, "numbers", None, na_answers)
    label_set, lookup_set = _choose_set(counts, texts, side, scale_size, source=source)
    warnings: list[str] = []
    for raw, key in texts.items():
        if key in lookup_set:
            point = float(lookup_set[key])
            carried = label_number(raw)
            if carried is not None and carried != point:
                warnings.append(
                    f"{side} label {raw!r} carries the number {_fmt(carried)} but means "
                    f"{_fmt(point)} on the {label_set.name} scale; used {_fmt(point)}"
                )
            values[raw] = point
        else:  # only labels carrying a number are left unmatched
            values[raw] = label_number(raw) or math.nan
    label_map = _resolved_map(counts, values, texts, label_set, lookup_set)
    return LabelResolution(values, label_map, "labels", label_set.size, na_answers, tuple(warnings))


def _by_label_map(
    counts: Mapping[str, int],
    values: dict[str, float],
    texts: dict[str, str],
    numbers: dict[str, float],
    na_answers: int,
    label_map: LabelMap,
    *,
    side: str,
    source: str,
) -> LabelResolution:
    """The resolution by the caller's map; numbers it does not list stay themselves."""
    lookup = label_map.lookup()
    unknown: dict[str, int] = {}
    for raw in [*texts, *numbers]:
        key = texts.get(raw) or normalise_label(raw)
        if key in lookup:
            mapped = lookup[key]
            values[raw] = math.nan if mapped is None else mapped
            if mapped is None:
                na_answers += counts[raw]
        elif raw in numbers:
            values[raw] = numbers[raw]
        else:
            unknown[raw] = counts[raw]
    if unknown:
        raise ValueError(
            f"{side} answers in {source} include labels that are not in the label map: "
            f"{_describe_unknown(unknown)}. Add them to the label map with a scale point "
            "(or leave the value blank for N/A)"
        )
    by_map = bool(texts) or any(normalise_label(r) in lookup for r in numbers)
    kind = "labels" if by_map else "numbers"
    return LabelResolution(values, label_map, kind, None, na_answers)


def _choose_set(
    counts: Mapping[str, int],
    texts: dict[str, str],
    side: str,
    scale_size: int | None,
    *,
    source: str,
) -> tuple[LabelSet, dict[str, int]]:
    """The built-in label set (and its lookup) that knows the answers ``texts``."""
    keys = set(texts.values())
    best_unknown: dict[str, int] | None = None
    # First a set that knows every label; only then one that leaves numbered labels
    # ("5 - Totally") to their number.
    for allow_numbered in (False, True):
        for label_set, lookup_set in _candidate_sets(side, scale_size):
            unknown = {
                raw: counts[raw]
                for raw, key in texts.items()
                if key not in lookup_set and (not allow_numbered or label_number(raw) is None)
            }
            known = {key for key in keys if key in lookup_set}
            points = [lookup_set[k] for k in known]
            if len(set(points)) != len(points) or not known:
                continue  # two different answers would share a point: not this set
            if not unknown:
                return label_set, lookup_set
            if best_unknown is None or sum(unknown.values()) < sum(best_unknown.values()):
                best_unknown = unknown
    unknown = best_unknown or {raw: counts[raw] for raw in texts}
    raise ValueError(
        f"{side} answers in {source} include labels that are not on a known "
        f"{side}, satisfaction or agreement scale: {_describe_unknown(unknown)}. Give a "
        "label map that maps each answer to a scale point (--label-map), or export numbers"
    )


def _resolved_map(
    counts: Mapping[str, int],
    values: dict[str, float],
    texts: dict[str, str],
    label_set: LabelSet,
    lookup_set: dict[str, int],
) -> LabelMap:
    """The label map that was used: the file's labels, the set's unused points, then N/A."""
    entries: list[tuple[str, float | None]] = []
    seen_points: set[int] = set()
    for raw, key in texts.items():
        if key in lookup_set:
            seen_points.add(lookup_set[key])
        entries.append((raw, values[raw]))
    for i, labels in enumerate(label_set.points, start=1):
        if i not in seen_points:
            entries.append((labels[0], float(i)))
    entries.sort(key=lambda e: (e[1] is None, e[1] or 0.0))
    entries += [(raw, None) for raw in counts if raw.strip() and math.isnan(values[raw])]
    return LabelMap(
        tuple(entries),
        name=label_set.name,
        points=tuple(float(p) for p in range(1, label_set.size + 1)),
    )
