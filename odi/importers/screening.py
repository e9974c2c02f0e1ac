"""Data-quality screening: which respondents to leave out of scoring, and why.

The policy
----------
**Applied by default** are only the rules that read the survey platform's own record
of a response. They never touch a plain file (no platform metadata) with unique ids:

- ``previews``: survey previews, tests and spam (Qualtrics ``Status``, as a label
  or a code, or ``DistributionChannel`` when there is no status);
- ``unfinished``: ``Finished`` is false, or ``Progress`` is below 100 when there
  is no ``Finished`` column. A platform export with no completion column
  (SurveyMonkey, Google Forms) records an abandoned response as blanks to the end of
  the questionnaire: a response whose answers stop, with the last half or more of the
  rating items (in questionnaire order) blank, counts as unfinished;
- ``duplicates``: a response id seen on an earlier kept row.

**Flagged, not applied by default** are the judgement calls, which change the scores
of a clean file: they are counted and reported (``flagged: 2 straight-liners, kept``)
and the caller switches each one on:

- ``sparse``: fewer than half of the rating items *shown* to the respondent answered
  (in a long file a missing respondent x outcome row is an item not shown, so a
  split-questionnaire design is never sparse by design);
- ``straightliners``: the same answer on every importance item (when at least
  ``straightline_min_items`` were answered);
- ``speeders``: a duration under a fraction (a third by default) of the median
  duration of the respondents still in.

A respondent is counted under the first rule that excludes (or flags) them, in the
order of :data:`RULES`, from the plainest fact to the most heuristic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

__all__ = [
    "FLAG_RULES",
    "POLICY",
    "REASONS",
    "RULES",
    "ScreeningInputs",
    "ScreeningOptions",
    "ScreeningResult",
    "screen",
]

#: The rules, in the order they are applied.
RULES: tuple[str, ...] = (
    "previews",
    "unfinished",
    "duplicates",
    "sparse",
    "straightliners",
    "speeders",
)

#: The screening policy in words, for the app and exports.
POLICY = (
    "Applied by default: only what the survey platform itself recorded about a response. "
    "Previews, tests and spam (Qualtrics Status), unfinished responses (Finished or "
    "Progress; on SurveyMonkey and Google Forms exports, which have no completion column, a "
    "response whose last half or more of the rating items are blank) and repeated response "
    "ids are excluded. Flagged, not applied by default: straight-liners, speeders and sparse "
    "respondents are counted and kept, because leaving them out is a judgement that changes "
    "the scores; switch a rule on to exclude them. An item a respondent was not shown (a "
    "missing row in a long file, as in a split questionnaire) is not an unanswered item. A "
    "plain file with unique ids and no platform columns is scored exactly as the method."
)

#: The rules that are flagged but not applied unless switched on.
FLAG_RULES: tuple[str, ...] = ("sparse", "straightliners", "speeders")

#: A readable name for each rule's exclusions.
REASONS: dict[str, str] = {
    "previews": "previews, tests and spam",
    "unfinished": "unfinished",
    "duplicates": "duplicate response ids",
    "speeders": "speeders",
    "straightliners": "straight-liners",
    "sparse": "sparse respondents",
}

# Qualtrics Status codes that are not real responses (see the .sav value labels):
# 1 Survey Preview, 2 Survey Test, 8 Spam, 9 Survey Preview Spam, 12 Imported Spam,
# 17 Offline Survey Preview, 40 EX Spam.
_STATUS_CODES_OUT = frozenset({1.0, 2.0, 8.0, 9.0, 12.0, 17.0, 40.0})
_STATUS_WORDS_OUT = ("preview", "test", "spam")
_FALSE = frozenset({"false", "0", "0.0", "no", "n", "f"})


@dataclass(frozen=True, slots=True)
class ScreeningOptions:
    """Which screening rules run, and their settings.

    Examples
    --------
    >>> ScreeningOptions().enabled
    ('previews', 'unfinished', 'duplicates')
    >>> ScreeningOptions().flagged
    ('sparse', 'straightliners', 'speeders')
    >>> ScreeningOptions.none().enabled
    ()
    >>> ScreeningOptions.from_dict(ScreeningOptions(speeders=True).to_dict()).speeders
    True
    """

    previews: bool = True
    unfinished: bool = True
    duplicates: bool = True
    speeders: bool = False
    straightliners: bool = False
    sparse: bool = False
    speeder_fraction: float = 1 / 3
    min_answered: float = 0.5
    straightline_min_items: int = 5

    def __post_init__(self) -> None:
        if not 0 < self.speeder_fraction < 1:
            raise ValueError(
                f"speeder fraction must be between 0 and 1 (a share of the median duration); "
                f"got {self.speeder_fraction}"
            )
        if not 0 < self.min_answered <= 1:
            raise ValueError(
                f"min answered must be a share between 0 and 1; got {self.min_answered}"
            )
        if self.straightline_min_items < 2:
            raise ValueError(
                "straight-liner rule needs at least 2 answered items to compare; got "
                f"{self.straightline_min_items}"
            )

    @classmethod
    def none(cls) -> ScreeningOptions:
        """Every rule switched off."""
        return cls(**dict.fromkeys(RULES, False))

    @property
    def enabled(self) -> tuple[str, ...]:
        """The rules that exclude, in order."""
        return tuple(rule for rule in RULES if getattr(self, rule))

    @property
    def flagged(self) -> tuple[str, ...]:
        """The judgement rules that are switched off: counted and reported, not applied."""
        return tuple(rule for rule in FLAG_RULES if not getattr(self, rule))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict of every setting."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ScreeningOptions:
        """Build from :meth:`to_dict` output; unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"screening settings must be among {', '.join(sorted(known))}; got {unknown}"
            )
        return cls(**data)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ScreeningInputs:
    """What the rules look at; any column may be missing (``None``).

    ``status``, ``finished``, ``progress`` and ``channel`` are the raw texts or codes;
    ``duration`` is in seconds; ``response_id`` is the id used for duplicates.
    ``importance`` and ``satisfaction`` are respondents x outcomes arrays (NaN missing).
    ``shown`` (respondents x outcomes, boolean) marks the outcomes each respondent was
    shown, when the file records it (a long file: a missing row is an outcome not shown);
    ``None`` means every outcome was shown. ``answered_in_order`` (respondents x rating
    items, boolean, in questionnaire order) is given only for a platform export with no
    completion column; the ``unfinished`` rule then recognises an abandoned response by
    its blank tail.
    """

    importance: np.ndarray
    satisfaction: np.ndarray
    shown: np.ndarray | None = None
    answered_in_order: np.ndarray | None = None
    status: pd.Series | None = None
    finished: pd.Series | None = None
    progress: pd.Series | None = None
    channel: pd.Series | None = None
    duration: pd.Series | None = None
    response_id: pd.Series | None = None


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """Which respondents are kept, and why the others are not.

    Attributes
    ----------
    keep : numpy.ndarray
        Boolean, one per respondent.
    reason : numpy.ndarray
        The rule that excluded each respondent (``""`` if kept).
    counts : tuple of (str, int)
        Exclusions per enabled rule, in rule order (zeros included).
    notes : tuple of str
        Rules that could not run and why (for example no duration column).
    flag : numpy.ndarray
        The switched-off rule that flags each kept respondent (``""`` if none); flagged
        respondents are kept and scored.
    flagged : tuple of (str, int)
        Flagged respondents per switched-off rule that could run, in rule order.
    """

    keep: np.ndarray
    reason: np.ndarray
    counts: tuple[tuple[str, int], ...]
    notes: tuple[str, ...] = field(default=())
    flag: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=str))
    flagged: tuple[tuple[str, int], ...] = field(default=())

    @property
    def n_total(self) -> int:
        """Respondents screened."""
        return len(self.keep)

    @property
    def n_kept(self) -> int:
        """Respondents kept."""
        return int(self.keep.sum())

    def summary(self) -> str:
        """One line: kept of total, the exclusions and the flags by reason.

        Examples
        --------
        >>> import numpy as np
        >>> r = ScreeningResult(np.array([True, False]), np.array(["", "speeders"]),
        ...                     (("previews", 0), ("speeders", 1)))
        >>> r.summary()
        'kept 1 of 2 respondents; excluded 1: speeders 1'
        >>> ScreeningResult(np.array([True, True]), np.array(["", ""]), (),
        ...                 flagged=(("straightliners", 2),)).summary()
        'kept all 2 respondents; none excluded; flagged: 2 straight-liners, kept'
        """
        return summary_line(self.n_total, self.n_kept, self.counts, self.flagged)


def flagged_text(flagged: tuple[tuple[str, int], ...]) -> str:
    """The flags in words, e.g. ``flagged: 2 straight-liners, kept`` (``""`` if none).

    Examples
    --------
    >>> flagged_text((("sparse", 0), ("straightliners", 2), ("speeders", 1)))
    'flagged: 2 straight-liners, 1 speeders, kept'
    """
    parts = [f"{n} {REASONS.get(rule, rule)}" for rule, n in flagged if n]
    return f"flagged: {', '.join(parts)}, kept" if parts else ""


def summary_line(
    total: int,
    kept: int,
    counts: tuple[tuple[str, int], ...],
    flagged: tuple[tuple[str, int], ...] = (),
) -> str:
    """One line: kept of total, the exclusions by reason, and what was flagged but kept."""
    excluded = [(rule, n) for rule, n in counts if n]
    if not excluded:
        line = f"kept all {total} respondents; none excluded"
    else:
        parts = ", ".join(f"{REASONS.get(rule, rule)} {n}" for rule, n in excluded)
        line = f"kept {kept} of {total} respondents; excluded {total - kept}: {parts}"
    flags = flagged_text(flagged)
    return f"{line}; {flags}" if flags else line


def _text(series: pd.Series) -> pd.Series:
    """Stripped, case-folded text; worked out once per distinct value."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    folded = [str(v).strip().casefold() for v in np.asarray(uniques, dtype=object).tolist()]
    lut = np.array([*folded, ""], dtype=object)
    return pd.Series(lut[codes], index=series.index, dtype=object)


def _flags(text: pd.Series, test: Callable[[str], bool]) -> np.ndarray:
    """``test`` applied once per distinct value of ``text``."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    lut = np.array([*(test(str(v)) for v in np.asarray(uniques, dtype=object)), False])
    return np.asarray(lut[codes], dtype=bool)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _not_a_response(status: str) -> bool:
    """A Qualtrics status (label or code) of a preview, test or spam."""
    return _number(status) in _STATUS_CODES_OUT or any(w in status for w in _STATUS_WORDS_OUT)


def _previews(inputs: ScreeningInputs) -> tuple[np.ndarray | None, str]:
    if inputs.status is not None:
        return _flags(_text(inputs.status), _not_a_response), ""
    if inputs.channel is not None:
        return _flags(_text(inputs.channel), lambda v: v in ("preview", "test")), ""
    return None, "previews: no Status column, so previews and tests cannot be told apart"


def _unfinished(inputs: ScreeningInputs) -> tuple[np.ndarray | None, str]:
    if inputs.finished is not None:
        return _flags(_text(inputs.finished), lambda v: v in _FALSE), ""
    if inputs.progress is not None:
        return _flags(_text(inputs.progress), lambda v: _number(v) < 100), ""
    if inputs.answered_in_order is not None:
        return abandoned(inputs.answered_in_order), ""
    return None, "unfinished: no Finished or Progress column"


def abandoned(answered_in_order: np.ndarray) -> np.ndarray:
    """Responses that stop: the last half or more of the items (in order) are blank.

    Examples
    --------
    >>> a = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0], [1, 1, 1, 0]])
    >>> abandoned(a.astype(bool)).tolist()
    [False, True, False, True, False]
    """
    answered = np.asarray(answered_in_order, dtype=bool)
    items = answered.shape[1]
    if items == 0:
        return np.zeros(answered.shape[0], dtype=bool)
    # Index of the last answered item, -1 when none: the blank tail is what follows.
    last = np.where(answered.any(axis=1), items - 1 - np.argmax(answered[:, ::-1], axis=1), -1)
    tail = items - 1 - last
    return np.asarray(2 * tail >= items, dtype=bool)


def _duplicates(inputs: ScreeningInputs, out: np.ndarray) -> tuple[np.ndarray | None, str]:
    if inputs.response_id is None:
        return None, "duplicates: no response id column"
    ids = _text(inputs.response_id).reset_index(drop=True)
    frame = ids.mask(pd.Series(out))  # rows already excluded do not claim an id
    dup = frame.duplicated(keep="first") & frame.notna() & frame.ne("")
    return dup.to_numpy(dtype=bool), ""


def _speeders(
    inputs: ScreeningInputs, out: np.ndarray, fraction: float
) -> tuple[np.ndarray | None, str]:
    if inputs.duration is None:
        return None, "speeders: no duration (or start and end times)"
    seconds = pd.to_numeric(inputs.duration, errors="coerce").to_numpy(dtype=float)
    valid = ~np.isnan(seconds) & ~out
    if not valid.any():
        return None, "speeders: no durations recorded"
    median = float(np.median(seconds[valid]))
    return np.where(np.isnan(seconds), False, seconds < fraction * median), ""


def _straightliners(inputs: ScreeningInputs, min_items: int) -> tuple[np.ndarray | None, str]:
    imp = inputs.importance
    if imp.shape[1] < min_items:
        return None, (
            f"straight-liners: the survey has {imp.shape[1]} importance items; the rule needs "
            f"at least {min_items}"
        )
    answered = imp.shape[1] - np.isnan(imp).sum(axis=1)
    low = np.fmin.reduce(imp, axis=1)  # fmin and fmax skip NaN
    high = np.fmax.reduce(imp, axis=1)
    return (answered >= min_items) & (low == high), ""


def _sparse(inputs: ScreeningInputs, share: float) -> np.ndarray:
    imp, sat = inputs.importance, inputs.satisfaction
    if inputs.shown is None:
        items = np.full(imp.shape[0], imp.shape[1] + sat.shape[1])
    else:
        items = 2 * np.asarray(inputs.shown, dtype=bool).sum(axis=1)
    answered = (~np.isnan(imp)).sum(axis=1) + (~np.isnan(sat)).sum(axis=1)
    return np.asarray(answered < share * items, dtype=bool)


def _rule(
    rule: str, inputs: ScreeningInputs, options: ScreeningOptions, out: np.ndarray
) -> tuple[np.ndarray | None, str]:
    """One rule's hits (``None`` with a note when it cannot run)."""
    if rule == "previews":
        return _previews(inputs)
    if rule == "unfinished":
        return _unfinished(inputs)
    if rule == "duplicates":
        return _duplicates(inputs, out)
    if rule == "speeders":
        return _speeders(inputs, out, options.speeder_fraction)
    if rule == "straightliners":
        return _straightliners(inputs, options.straightline_min_items)
    return _sparse(inputs, options.min_answered), ""


def screen(inputs: ScreeningInputs, options: ScreeningOptions) -> ScreeningResult:
    """Apply the enabled rules in order, then flag the kept respondents by the others.

    Each respondent is counted under the first rule that excludes them; a kept
    respondent is flagged under the first switched-off judgement rule that hits.

    Parameters
    ----------
    inputs : ScreeningInputs
        The metadata columns and rating matrices, one row per respondent.
    options : ScreeningOptions
        Which rules run and their settings.

    Returns
    -------
    ScreeningResult

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> imp = np.array([[5, 4.0], [5, 4], [1, 2], [np.nan, np.nan]])
    >>> r = screen(ScreeningInputs(imp, imp, status=pd.Series(["IP Address", "Survey Preview",
    ...            "IP Address", "IP Address"])), ScreeningOptions())
    >>> r.keep.tolist(), r.reason.tolist(), r.flag.tolist()
    ([True, False, True, True], ['', 'previews', '', ''], ['', '', '', 'sparse'])
    >>> r.summary().split("; ")[1:]
    ['excluded 1: previews, tests and spam 1', 'flagged: 1 sparse respondents, kept']
    """
    n = inputs.importance.shape[0]
    out = np.zeros(n, dtype=bool)
    reason = np.full(n, "", dtype=object)
    counts: list[tuple[str, int]] = []
    notes: list[str] = []
    for rule in options.enabled:
        hit, note = _rule(rule, inputs, options, out)
        if hit is None:
            notes.append(note)
            continue
        new = hit & ~out
        reason[new] = rule
        out |= new
        counts.append((rule, int(new.sum())))
    flag = np.full(n, "", dtype=object)
    flagged: list[tuple[str, int]] = []
    for rule in options.flagged:
        hit, note = _rule(rule, inputs, options, out)
        if hit is None:
            notes.append(note)
            continue
        new = hit & ~out & (flag == "")
        flag[new] = rule
        flagged.append((rule, int(new.sum())))
    return ScreeningResult(
        keep=~out,
        reason=reason.astype(str),
        counts=tuple(counts),
        notes=tuple(notes),
        flag=flag.astype(str),
        flagged=tuple(flagged),
    )
