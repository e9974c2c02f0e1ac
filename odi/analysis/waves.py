"""Waves: the same outcomes measured again on a new cohort, compared and used to validate personas.

- :func:`match_outcomes` pairs the outcomes of two waves by id, then by statement text, with
  manual pairs (for reworded statements) taking precedence.
- :func:`compare_waves` scores both waves on the matched outcomes, tests the change in each
  side's top-box share (pooled two-proportion z-test, Benjamini-Hochberg adjusted over all
  outcomes and both sides as one family) and lists the new, resolved and persisting
  underserved outcomes.
- :func:`validate_persona` builds a persona's unmet needs on wave 1 and checks them on the
  respondents of wave 2 who match the same segment: an out-of-sample validation.

Examples
--------
>>> import pandas as pd
>>> from odi.scale import Scale
>>> def wave(sat):
...     return Survey.from_frames(
...         outcomes=pd.DataFrame({"statement": ["Go", "Stop"]}, index=["O1", "O2"]),
...         importance=pd.DataFrame({"O1": [5.0] * 40, "O2": [4.0] * 40}),
...         satisfaction=pd.DataFrame({"O1": sat, "O2": [2.0] * 40}),
...         scale=Scale.from_range(1, 5))
>>> c = compare_waves(wave([1.0] * 40), wave([5.0] * 40))
>>> c.table[["outcome_id", "opportunity_1", "opportunity_2", "significant", "status"]]
  outcome_id  opportunity_1  opportunity_2  significant                 status
0         O1           20.0           10.0         True  persisting underserved
1         O2           20.0           20.0        False  persisting underserved
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from odi.analysis.scoring import Thresholds, opportunity, score
from odi.analysis.segments import Conditions, segment_mask
from odi.analysis.significance import bh_adjust, two_proportion_ztest
from odi.analysis.unmet_needs import unmet_needs
from odi.importers.text import statement_key
from odi.personas import ICP, Persona, effective_conditions
from odi.survey import Survey

__all__ = [
    "COMPARE_COLUMNS",
    "OutcomeMatch",
    "PersonaValidation",
    "WaveComparison",
    "compare_waves",
    "match_outcomes",
    "validate_persona",
]

#: The columns ``python -m odi compare`` writes, in order.
COMPARE_COLUMNS: tuple[str, ...] = (
    "outcome_id",
    "outcome",
    "outcome_id_2",
    "matched_by",
    "importance_1",
    "importance_2",
    "satisfaction_1",
    "satisfaction_2",
    "opportunity_1",
    "opportunity_2",
    "change",
    "n_importance_1",
    "n_importance_2",
    "n_satisfaction_1",
    "n_satisfaction_2",
    "p_importance",
    "p_satisfaction",
    "p_adjusted",
    "significant",
    "status",
)


@dataclass(frozen=True, slots=True)
class OutcomeMatch:
    """Which outcome of wave 2 is which outcome of wave 1.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per matched pair: ``outcome_id_1, outcome_id_2, statement_1, statement_2,
        matched_by`` (``"id"``, ``"text"`` or ``"manual"``), in wave 1's order.
    unmatched_1, unmatched_2 : tuple of str
        Outcome ids of each wave left without a partner.
    """

    table: pd.DataFrame
    unmatched_1: tuple[str, ...]
    unmatched_2: tuple[str, ...]

    @property
    def pairs(self) -> dict[str, str]:
        """Wave 1 id -> wave 2 id."""
        return dict(zip(self.table["outcome_id_1"], self.table["outcome_id_2"], strict=True))


def match_outcomes(
    wave1: Survey, wave2: Survey, *, manual: Mapping[str, str] | None = None
) -> OutcomeMatch:
    """Pair the outcomes of two waves: manual pairs, then equal ids, then equal statements.

    Parameters
    ----------
    wave1, wave2 : Survey
    manual : mapping of str to str, optional
        Wave 1 id -> wave 2 id, for reworded statements; an empty value leaves the wave 1
        outcome unmatched.

    Raises
    ------
    ValueError
        When a manual pair names an id a wave does not have, or two wave 1 outcomes claim
        the same wave 2 outcome.

    Examples
    --------
    >>> import pandas as pd
    >>> from odi.scale import Scale
    >>> def s(ids, texts):
    ...     z = pd.DataFrame({i: [1.0] for i in ids})
    ...     return Survey.from_frames(outcomes=pd.DataFrame({"statement": texts}, index=ids),
    ...                               importance=z, satisfaction=z, scale=Scale.from_range(1, 5))
    >>> m = match_outcomes(s(["A", "B", "C"], ["Go", "Stop", "Wait"]),
    ...                    s(["A", "X", "Y"], ["Go!", "stop", "Hold on"]), manual={"C": "Y"})
    >>> m.table[["outcome_id_1", "outcome_id_2", "matched_by"]].values.tolist()
    [['A', 'A', 'id'], ['B', 'X', 'text'], ['C', 'Y', 'manual']]
    """
    ids1 = [str(i) for i in wave1.outcomes.index]
    ids2 = [str(i) for i in wave2.outcomes.index]
    text1 = dict(zip(ids1, wave1.outcomes["statement"].astype(str), strict=True))
    text2 = dict(zip(ids2, wave2.outcomes["statement"].astype(str), strict=True))
    pairs: dict[str, tuple[str, str]] = {}
    taken: set[str] = set()
    skip: set[str] = set()
    for a, b in (manual or {}).items():
        a, b = str(a).strip(), str(b).strip()
        if a not in text1:
            raise ValueError(f"manual match: wave 1 has no outcome {a!r}")
        if not b:
            skip.add(a)
            continue
        if b not in text2:
            raise ValueError(f"manual match: wave 2 has no outcome {b!r} (for {a!r})")
        if b in taken:
            raise ValueError(f"manual match: wave 2 outcome {b!r} is matched twice")
        pairs[a] = (b, "manual")
        taken.add(b)
    for a in ids1:
        if a not in pairs and a not in skip and a in text2 and a not in taken:
            pairs[a] = (a, "id")
            taken.add(a)
    by_text: dict[str, str] = {}
    for b in ids2:
        by_text.setdefault(statement_key(text2[b]), b)
    for a in ids1:
        if a in pairs or a in skip:
            continue
        b2 = by_text.get(statement_key(text1[a]))
        if b2 is not None and b2 not in taken:
            pairs[a] = (b2, "text")
            taken.add(b2)
    rows = [(a, pairs[a][0], text1[a], text2[pairs[a][0]], pairs[a][1]) for a in ids1 if a in pairs]
    table = pd.DataFrame(
        rows, columns=["outcome_id_1", "outcome_id_2", "statement_1", "statement_2", "matched_by"]
    )
    return OutcomeMatch(
        table=table,
        unmatched_1=tuple(a for a in ids1 if a not in pairs),
        unmatched_2=tuple(b for b in ids2 if b not in taken),
    )


@dataclass(frozen=True, slots=True)
class WaveComparison:
    """Result of :func:`compare_waves`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per matched outcome, columns :data:`COMPARE_COLUMNS`, in wave 1's order.
        Scores are unrounded; ``change`` is ``opportunity_2 - opportunity_1``; ``p_adjusted``
        is the smaller of the two sides' adjusted p-values; ``status`` is ``"new
        underserved"``, ``"resolved underserved"``, ``"persisting underserved"`` or ``""``.
    match : OutcomeMatch
    n_1, n_2 : int
        Respondents in each wave (after ``where``).
    alpha, threshold : float
    """

    table: pd.DataFrame
    match: OutcomeMatch
    n_1: int
    n_2: int
    alpha: float
    threshold: float

    def status(self, status: str) -> list[str]:
        """The outcome ids with one status, e.g. ``"new underserved"``."""
        return [str(o) for o in self.table.loc[self.table["status"] == status, "outcome_id"]]

    @property
    def significant(self) -> list[str]:
        """Outcome ids whose importance or satisfaction changed significantly."""
        return [str(o) for o in self.table.loc[self.table["significant"], "outcome_id"]]


def _counts(survey: Survey, ids: list[str], mask: np.ndarray, side: str) -> tuple[np.ndarray, ...]:
    matrix = getattr(survey, side)[ids].to_numpy(dtype=float)[mask]
    valid = ~np.isnan(matrix)
    with np.errstate(invalid="ignore"):
        top = (matrix >= survey.scale.top_box) & valid
    return top.sum(axis=0).astype(float), valid.sum(axis=0).astype(float)


def compare_waves(
    wave1: Survey,
    wave2: Survey,
    *,
    match: OutcomeMatch | None = None,
    where: Conditions | None = None,
    alpha: float = 0.05,
    thresholds: Thresholds = Thresholds(),
) -> WaveComparison:
    """Compare two waves outcome by outcome.

    Parameters
    ----------
    wave1, wave2 : Survey
    match : OutcomeMatch, optional
        Defaults to :func:`match_outcomes` without manual pairs.
    where : mapping, optional
        The same respondent filter applied to both waves.
    alpha : float
        Level of the adjusted tests (false discovery rate).
    thresholds : Thresholds
        ``solid`` is the underserved threshold.

    Returns
    -------
    WaveComparison
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1; got {alpha}")
    match = match_outcomes(wave1, wave2) if match is None else match
    if match.table.empty:
        raise ValueError(
            "the two waves share no outcome (by id or statement text); match them by hand"
        )
    ids1 = match.table["outcome_id_1"].tolist()
    ids2 = match.table["outcome_id_2"].tolist()
    m1 = segment_mask(wave1.respondents, where)
    m2 = segment_mask(wave2.respondents, where)
    for label, m in (("wave 1", m1), ("wave 2", m2)):
        if not m.any():
            raise ValueError(f"no respondent of {label} matches the filter {dict(where or {})}")
    out = pd.DataFrame(
        {
            "outcome_id": ids1,
            "outcome": match.table["statement_1"].to_numpy(),
            "outcome_id_2": ids2,
            "matched_by": match.table["matched_by"].to_numpy(),
        }
    )
    p_raw = {}
    for side in ("importance", "satisfaction"):
        k1, n1 = _counts(wave1, ids1, m1, side)
        k2, n2 = _counts(wave2, ids2, m2, side)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"{side}_1"] = np.where(n1 > 0, 10 * k1 / n1, np.nan)
            out[f"{side}_2"] = np.where(n2 > 0, 10 * k2 / n2, np.nan)
        out[f"n_{side}_1"] = n1.astype(int)
        out[f"n_{side}_2"] = n2.astype(int)
        _, p = two_proportion_ztest(k2, n2, k1, n1)
        p_raw[side] = p
    for w in ("1", "2"):
        out[f"opportunity_{w}"] = opportunity(
            out[f"importance_{w}"].to_numpy(dtype=float),
            out[f"satisfaction_{w}"].to_numpy(dtype=float),
        )
    out["change"] = out["opportunity_2"] - out["opportunity_1"]
    n = len(out)
    adjusted = bh_adjust(np.concatenate([p_raw["importance"], p_raw["satisfaction"]]))
    out["p_importance"] = p_raw["importance"]
    out["p_satisfaction"] = p_raw["satisfaction"]
    out["p_adjusted_importance"] = adjusted[:n]
    out["p_adjusted_satisfaction"] = adjusted[n:]
    out["p_adjusted"] = np.fmin(adjusted[:n], adjusted[n:])
    out["significant"] = (out["p_adjusted"] < alpha).to_numpy()
    was = out["opportunity_1"] >= thresholds.solid
    now = out["opportunity_2"] >= thresholds.solid
    out["status"] = np.select(
        [was & now, ~was & now, was & ~now],
        ["persisting underserved", "new underserved", "resolved underserved"],
        default="",
    )
    columns = [*COMPARE_COLUMNS, "p_adjusted_importance", "p_adjusted_satisfaction"]
    return WaveComparison(
        table=out[columns],
        match=match,
        n_1=int(m1.sum()),
        n_2=int(m2.sum()),
        alpha=alpha,
        threshold=thresholds.solid,
    )


@dataclass(frozen=True, slots=True)
class PersonaValidation:
    """Result of :func:`validate_persona`.

    Attributes
    ----------
    persona : Persona
    table : pandas.DataFrame
        One row per unmet need built on wave 1: ``outcome_id, outcome, opportunity_1,
        outcome_id_2, opportunity_2, opportunity_2_low, opportunity_2_high, n_2, holds,
        confirmed``. ``holds``: wave 2's opportunity is at or above the threshold;
        ``confirmed``: its whole interval is.
    n_1, n_2 : int
        The persona's respondents in each wave.
    threshold : float
    reviewed : datetime.date
    """

    persona: Persona
    table: pd.DataFrame
    n_1: int
    n_2: int
    threshold: float
    reviewed: date = field(default_factory=date.today)

    @property
    def held(self) -> int:
        """How many needs hold on wave 2."""
        return int(self.table["holds"].sum())

    @property
    def summary(self) -> str:
        """One sentence for the persona's history."""
        if self.table.empty:
            return f"no unmet needs on wave 1 to validate (n = {self.n_1})"
        return (
            f"{self.held} of {len(self.table)} unmet needs hold on the new cohort "
            f"(opportunity >= {self.threshold:g}; n = {self.n_1} then {self.n_2}; "
            f"{int(self.table['confirmed'].sum())} with the whole interval above)"
        )

    def note(self, wave2_name: str) -> str:
        """The history note: review date, wave and result."""
        return f"validated on {wave2_name} ({self.reviewed.isoformat()}): {self.summary}"


def validate_persona(
    wave1: Survey,
    wave2: Survey,
    persona: Persona,
    *,
    icp: ICP | None = None,
    match: OutcomeMatch | None = None,
    threshold: float = 10.0,
    bootstrap: int = 1000,
    seed: int = 0,
    min_n: int = 30,
    reviewed: date | None = None,
) -> PersonaValidation:
    """Build a persona's unmet needs on wave 1 and check them on wave 2's respondents.

    The persona's segment (within the ICP) selects respondents in both waves; wave 2's
    cohort was not used to find the needs, so this is an out-of-sample check.

    Returns
    -------
    PersonaValidation
    """
    match = match_outcomes(wave1, wave2) if match is None else match
    needs = unmet_needs(
        wave1,
        persona,
        icp=icp,
        threshold=threshold,
        bootstrap=0,
        seed=seed,
        min_n=min_n,
        replicate=False,
    )
    conditions = effective_conditions(persona, icp)
    mask2 = segment_mask(wave2.respondents, conditions)
    unmet = needs.unmet
    pairs = match.pairs
    rows = unmet.loc[:, ["outcome_id", "outcome", "opportunity"]].rename(
        columns={"opportunity": "opportunity_1"}
    )
    rows["outcome_id_2"] = [pairs.get(o, "") for o in rows["outcome_id"]]
    if mask2.any():
        scored = score(
            wave2, where=conditions, bootstrap=bootstrap, seed=seed, min_n=min_n
        ).table.set_index("outcome_id")
    else:
        scored = pd.DataFrame(
            columns=["opportunity", "opportunity_low", "opportunity_high", "n_importance"]
        )
    get = scored.reindex(rows["outcome_id_2"])
    rows["opportunity_2"] = get["opportunity"].to_numpy(dtype=float)
    rows["opportunity_2_low"] = get["opportunity_low"].to_numpy(dtype=float)
    rows["opportunity_2_high"] = get["opportunity_high"].to_numpy(dtype=float)
    rows["n_2"] = get["n_importance"].fillna(0).to_numpy(dtype=int)
    rows["holds"] = (rows["opportunity_2"] >= threshold).to_numpy()
    rows["confirmed"] = (rows["opportunity_2_low"] >= threshold).to_numpy()
    return PersonaValidation(
        persona=persona,
        table=rows.reset_index(drop=True),
        n_1=needs.n_respondents,
        n_2=int(mask2.sum()),
        threshold=threshold,
        reviewed=reviewed or date.today(),
    )
