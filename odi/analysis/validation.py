"""Split-half validation of a persona's unmet needs: find on one half, confirm on the other.

The unmet-needs list is built by a rule (opportunity at or above the threshold) from
the segment's respondents. :func:`split_half` checks that rule honestly:

1. the segment's respondents are split at random (seeded) into two halves;
2. the list is built on the **discovery** half only: its outcomes with opportunity at
   or above the threshold (at most ``top_n``, highest first; hidden outcomes left out);
3. each listed need is scored on the **confirmation** half, which played no part in
   finding it, with its interval; it *holds* when its opportunity there is at or above
   the threshold;
4. steps 1-3 are repeated over ``splits`` random splits, and each outcome gets the
   share of splits in which it was found and held.

Threshold decisions are exact: they compare integer top-box counts, never rounded
floats.

What it shows
    Whether the needs found on some respondents are also unmet for other respondents
    of the same segment who were not used to find them. A need that held in most
    splits is not a chance high of a few respondents.
What it does not show
    That the needs hold beyond this survey: both halves come from the same sample,
    recruitment and questionnaire, so a biased sample passes. Nor that the segment is
    the right one, nor that a need that failed is unimportant. Each half has half the
    respondents, so with small segments the check has little power: real needs near
    the threshold fail often and a chance need can pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from odi.analysis.exact import at_least
from odi.analysis.scoring import score
from odi.survey import Survey

__all__ = ["EXPLANATION", "SplitHalf", "meets_threshold", "split_half"]

#: What the check does and does not show, in plain words (for the app and exports).
EXPLANATION = (
    "Split-half check: the respondents are split at random; the unmet needs are found on "
    "one half only and confirmed on the other, untouched half, and this is repeated over "
    "several random splits. It shows whether a need found on some respondents is also "
    "unmet for others in the same segment, so it is not a chance high of a few. It does "
    "not show that the needs hold beyond this survey (both halves share its sample and "
    "questionnaire), that the segment is the right one, or that a need that failed is "
    "unimportant. Each half has half the respondents, so in small segments real needs "
    "near the threshold often fail."
)


def meets_threshold(
    k_imp: np.ndarray,
    n_imp: np.ndarray,
    k_sat: np.ndarray,
    n_sat: np.ndarray,
    threshold: float,
) -> np.ndarray:
    """Exactly whether opportunity >= threshold, from integer top-box counts.

    With I = 10 k_i / n_i and S = 10 k_s / n_s, opportunity = I + max(I - S, 0). The
    comparison is made in integers (multiplied through by n_i n_s and the threshold's
    denominator), so a value that is exactly on the threshold is never lost to float
    rounding. False where either side has no valid answer.

    Examples
    --------
    n = 100, 82 top-box importance and 64 top-box satisfaction answers: I = 8.2,
    S = 6.4, O = 10 exactly (in floats 9.999999999999998):

    >>> import numpy as np
    >>> meets_threshold(np.array([82]), np.array([100]), np.array([64]), np.array([100]), 10)
    array([ True])
    >>> meets_threshold(np.array([26, 1]), np.array([30, 0]), np.array([7, 0]),
    ...                 np.array([30, 5]), 15)
    array([ True, False])
    """
    return at_least(k_imp, n_imp, k_sat, n_sat, threshold)


@dataclass(frozen=True, slots=True)
class SplitHalf:
    """Result of :func:`split_half`.

    Attributes
    ----------
    top_n : int
        At most this many needs (highest opportunity first) are listed per half.
    table : pandas.DataFrame
        One row per outcome listed on the discovery half of the first split or in the
        segment's full list, by full-sample opportunity: ``outcome_id, outcome,
        opportunity`` (full sample), ``in_full_list``; for the first split
        ``found`` (listed on the discovery half), ``opportunity_discovery``,
        ``opportunity_confirmation``, ``confirmation_low``, ``confirmation_high``
        (its interval on the confirmation half) and ``held`` (found, and at or above the
        threshold on the confirmation half); over every split ``share_found`` and
        ``share_held`` (share of splits in which it was found, and found and held).
        ``replicated`` repeats ``held``, for older readers.
    n_half_a, n_half_b : int
        Respondents in the discovery and the confirmation half.
    seed : int
        Seed of the first split (split ``i`` uses ``seed + i``).
    splits : int
        Random splits made.
    threshold : float
        The unmet-need threshold.
    found_per_split, held_per_split : tuple of int
        Needs found on the discovery half, and of them held, in each split.
    """

    top_n: int
    table: pd.DataFrame
    n_half_a: int
    n_half_b: int
    seed: int
    splits: int = 1
    threshold: float = 10.0
    found_per_split: tuple[int, ...] = ()
    held_per_split: tuple[int, ...] = ()

    @property
    def checked(self) -> int:
        """Needs found on the discovery half of the first split."""
        return int(self.table["found"].sum())

    @property
    def replicated(self) -> int:
        """Of those, the needs that held on the confirmation half."""
        return int(self.table["held"].sum())

    @property
    def held_rate(self) -> float:
        """Share of found needs that held, over every split (NaN when none was found)."""
        found = sum(self.found_per_split)
        return sum(self.held_per_split) / found if found else float("nan")

    @property
    def summary(self) -> str:
        """One sentence on the first split and the repeated splits.

        Examples
        --------
        >>> t = pd.DataFrame({"found": [True, True, False], "held": [True, False, False]})
        >>> SplitHalf(10, t, 40, 40, 0, 20, 10.0, (2,) * 20, (1,) * 20).summary[:60]
        'Split-half check: of 2 needs found on a random half (n = 40)'
        """
        if not self.found_per_split or not any(self.found_per_split):
            return (
                f"Split-half check: no need reached {self.threshold:g} on a random half "
                f"(n = {self.n_half_a}) in any of {self.splits} splits"
            )
        return (
            f"Split-half check: of {self.checked} needs found on a random half "
            f"(n = {self.n_half_a}), {self.replicated} held (opportunity ≥ "
            f"{self.threshold:g}) on the other, untouched half (n = {self.n_half_b}); over "
            f"{self.splits} random splits, {self.held_rate:.0%} of the needs found held"
        )

    @property
    def explanation(self) -> str:
        """What the check does and does not show."""
        return EXPLANATION


def _counts(top: np.ndarray, valid: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return top[rows].sum(axis=0), valid[rows].sum(axis=0)


def _opportunity(ki: np.ndarray, ni: np.ndarray, ks: np.ndarray, ns: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        imp = 10 * ki / ni
        sat = 10 * ks / ns
    return np.asarray(imp + np.maximum(imp - sat, 0), dtype=float)


def split_half(
    survey: Survey,
    mask: np.ndarray,
    *,
    threshold: float = 10.0,
    top_n: int = 10,
    splits: int = 20,
    seed: int = 0,
    exclude: frozenset[str] = frozenset(),
    full_list: tuple[str, ...] = (),
    bootstrap: int = 1000,
    confidence: float = 0.95,
) -> SplitHalf:
    """Find unmet needs on a random half of ``mask``'s respondents; confirm on the other.

    Parameters
    ----------
    survey : Survey
    mask : numpy.ndarray
        Boolean, the segment's respondents (at least two).
    threshold : float
        Opportunity at or above which an outcome is an unmet need.
    top_n : int
        At most this many needs (highest first) are listed on each discovery half.
    splits : int
        Random splits; split ``i`` is seeded with ``seed + i``.
    seed : int
    exclude : frozenset of str
        Outcome ids never listed (the persona's hidden outcomes).
    full_list : tuple of str
        The segment's unmet needs from every respondent, shown beside for reference.
    bootstrap, confidence
        The interval on the confirmation half of the first split
        (:func:`odi.analysis.scoring.score`); ``bootstrap=0`` leaves it out.

    Returns
    -------
    SplitHalf

    Examples
    --------
    >>> from odi.scale import Scale
    >>> n = 60
    >>> s = Survey.from_frames(
    ...     outcomes=pd.DataFrame({"statement": ["real", "noise"]}, index=["O1", "O2"]),
    ...     importance=pd.DataFrame({"O1": [5.0] * n, "O2": [5.0, 1.0] * (n // 2)}),
    ...     satisfaction=pd.DataFrame({"O1": [1.0] * n, "O2": [5.0] * n}),
    ...     scale=Scale.from_range(1, 5),
    ... )
    >>> r = split_half(s, np.ones(n, dtype=bool), splits=5, bootstrap=0)
    >>> r.table[["outcome_id", "found", "held", "share_held"]]
      outcome_id  found  held  share_held
    0         O1   True  True         1.0
    >>> r.n_half_a, r.n_half_b, r.replicated, r.checked
    (30, 30, 1, 1)
    """
    if splits < 1:
        raise ValueError(f"splits must be 1 or more; got {splits}")
    if top_n < 1:
        raise ValueError(f"top_n must be 1 or more; got {top_n}")
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if len(positions) < 2:
        raise ValueError(
            f"the split-half check needs at least two respondents; got {len(positions)}"
        )
    ids = [str(o) for o in survey.outcomes.index]
    allowed = np.array([o not in exclude for o in ids])
    boxes = _top_boxes(survey, positions)
    n = len(positions)
    half = n // 2
    found_n = np.zeros(len(ids))
    held_n = np.zeros(len(ids))
    found_per: list[int] = []
    held_per: list[int] = []
    first: dict[str, np.ndarray] = {}
    for i in range(splits):
        order = np.random.default_rng(seed + i).permutation(n)
        one = _one_split(
            boxes, (order[:half], order[half:]), allowed=allowed, threshold=threshold, top_n=top_n
        )
        found_n += one["found"]
        held_n += one["held"]
        found_per.append(int(one["found"].sum()))
        held_per.append(int(one["held"].sum()))
        if i == 0:
            first = {**one, "rows_b": positions[order[half:]]}
    full = score(survey.subset(np.asarray(mask, dtype=bool)), bootstrap=0).table
    full_opp = full.set_index("outcome_id")["opportunity"].reindex(ids).to_numpy(dtype=float)
    in_full = np.array([o in set(full_list) for o in ids])
    rows = first["found"] | in_full
    low = high = np.full(len(ids), np.nan)
    if bootstrap and rows.any():
        low, high = _confirmation_interval(
            survey, first["rows_b"], ids, bootstrap=bootstrap, seed=seed, confidence=confidence
        )
    statements = survey.outcomes["statement"].astype(str).to_numpy()
    table = pd.DataFrame(
        {
            "outcome_id": ids,
            "outcome": statements,
            "opportunity": full_opp,
            "in_full_list": in_full,
            "found": first["found"],
            "opportunity_discovery": first["opp_a"],
            "opportunity_confirmation": first["opp_b"],
            "confirmation_low": low,
            "confirmation_high": high,
            "held": first["held"],
            "share_found": found_n / splits,
            "share_held": held_n / splits,
        }
    ).loc[rows]
    table["replicated"] = table["held"]
    table = table.sort_values("opportunity", ascending=False, kind="stable", na_position="last")
    return SplitHalf(
        top_n=top_n,
        table=table.reset_index(drop=True),
        n_half_a=half,
        n_half_b=n - half,
        seed=seed,
        splits=splits,
        threshold=float(threshold),
        found_per_split=tuple(found_per),
        held_per_split=tuple(held_per),
    )


_Boxes = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _top_boxes(survey: Survey, positions: np.ndarray) -> _Boxes:
    """Top-box and answered flags at ``positions``: importance's pair, then satisfaction's."""
    box = survey.scale.top_box
    mats = []
    for side in (survey.importance, survey.satisfaction):
        values = side.to_numpy(dtype=float)[positions]
        valid = ~np.isnan(values)
        with np.errstate(invalid="ignore"):
            mats.append(((values >= box) & valid, valid))
    (top_i, val_i), (top_s, val_s) = mats
    return top_i, val_i, top_s, val_s


def _one_split(
    boxes: _Boxes,
    parts: tuple[np.ndarray, np.ndarray],
    *,
    allowed: np.ndarray,
    threshold: float,
    top_n: int,
) -> dict[str, np.ndarray]:
    """One split: the needs found on the discovery half and which of them hold on the other."""
    top_i, val_i, top_s, val_s = boxes
    sides = [(*_counts(top_i, val_i, p), *_counts(top_s, val_s, p)) for p in parts]
    ki_a, ni_a, ks_a, ns_a = sides[0]
    meets_a = meets_threshold(ki_a, ni_a, ks_a, ns_a, threshold) & allowed
    opp_a = _opportunity(ki_a, ni_a, ks_a, ns_a)
    ranked = np.argsort(-np.nan_to_num(opp_a, nan=-1), kind="stable")
    found = np.zeros(len(allowed), dtype=bool)
    found[[j for j in ranked if meets_a[j]][:top_n]] = True
    held = found & meets_threshold(*sides[1], threshold)
    return {"found": found, "held": held, "opp_a": opp_a, "opp_b": _opportunity(*sides[1])}


def _confirmation_interval(
    survey: Survey,
    rows: np.ndarray,
    ids: list[str],
    *,
    bootstrap: int,
    seed: int,
    confidence: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The opportunity interval of each outcome on the confirmation half's ``rows``."""
    conf_mask = np.zeros(survey.n_respondents, dtype=bool)
    conf_mask[rows] = True
    conf = score(
        survey.subset(conf_mask), bootstrap=bootstrap, seed=seed, confidence=confidence
    ).table.set_index("outcome_id")
    low = conf["opportunity_low"].reindex(ids).to_numpy(dtype=float)
    high = conf["opportunity_high"].reindex(ids).to_numpy(dtype=float)
    return low, high
