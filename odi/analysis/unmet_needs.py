"""A persona's unmet needs, scored live from the respondents who match it.

:func:`unmet_needs` filters the survey to the persona's segment (inside the study's
ICP), scores it with :func:`odi.analysis.scoring.score`, and keeps the outcomes whose
opportunity is at or above the threshold, ranked, with their intervals and n. The
persona's pins are always listed (even below the threshold); its hides are removed
from the list and reported with their reasons. Both are keyed by outcome id, so they
survive re-scoring and re-imports; ids the survey no longer has are reported.

The split-half check (:mod:`odi.analysis.validation`) builds the list on one random
half of the segment's respondents and confirms it on the other, untouched half, over
several random splits: the survey form of validating a persona on a cohort not used to
build it. See that module for what it does and does not show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from odi.analysis.scoring import DEFAULT_MIN_N, meets_threshold, score
from odi.analysis.segmentation.saved import cluster_conditions
from odi.analysis.segments import describe_conditions, resolve_column, segment_mask
from odi.analysis.validation import SplitHalf, split_half
from odi.personas import ICP, Persona, effective_conditions
from odi.scale import SCORE_INTERVAL_COLUMNS
from odi.survey import Survey

#: The split-half check's result (the name older callers use).
Replication = SplitHalf

__all__ = [
    "NEEDS_COLUMNS",
    "PersonaComparison",
    "Replication",
    "UnmetNeeds",
    "compare_personas",
    "method_text",
    "points_text",
    "unmet_needs",
]

#: Columns of :attr:`UnmetNeeds.table`, in order.
NEEDS_COLUMNS: tuple[str, ...] = (
    "rank",
    "outcome_id",
    "outcome",
    "job_step",
    *SCORE_INTERVAL_COLUMNS,
    "gap",
    "n_importance",
    "n_satisfaction",
    "zone",
    "crosses_threshold",
    "small_n",
    "pinned",
    "below_threshold",
)


def method_text(
    *,
    scale: str,
    top_box: str,
    threshold: float,
    confidence: float,
    bootstrap: int,
    seed: int,
) -> str:
    """The scoring method in one paragraph, for exports.

    Examples
    --------
    >>> method_text(scale="1-5", top_box="4-5", threshold=10, confidence=0.95,
    ...             bootstrap=1000, seed=0)[:62]
    'ODI top-box scoring on a 1-5 scale: importance and satisfactio'
    """
    boot = (
        f"a seeded percentile bootstrap over respondents ({bootstrap} resamples, seed {seed}) "
        "for opportunity"
        if bootstrap
        else "no interval for opportunity (bootstrap off)"
    )
    return (
        f"ODI top-box scoring on a {scale} scale: importance and satisfaction are 10 × the "
        f"share of valid answers in the top box ({top_box}); opportunity = importance + "
        f"max(importance − satisfaction, 0), unrounded. Unmet need: opportunity ≥ "
        f"{threshold:g}. Intervals: {confidence:.0%} Wilson for importance and satisfaction, "
        f"{boot}."
    )


@dataclass(frozen=True, slots=True)
class UnmetNeeds:
    """A persona's unmet needs, scored from its segment.

    Attributes
    ----------
    persona : Persona
        The persona scored.
    study : str
        The survey's name.
    conditions : dict of str to list of str
        The effective segment (ICP and persona), as used.
    definition : str
        ``conditions`` in words.
    n_respondents : int
        Respondents in the segment.
    table : pandas.DataFrame
        The unmet needs, ranked by opportunity, with the columns
        :data:`NEEDS_COLUMNS`: the outcomes at or above ``threshold`` plus pinned ones,
        minus hidden ones. ``crosses_threshold`` marks an opportunity interval that
        crosses the threshold; ``small_n`` fewer than ``min_n`` valid answers;
        ``below_threshold`` a pinned outcome under the threshold.
    hidden : pandas.DataFrame
        Hidden outcomes still in the survey: ``outcome_id, outcome, opportunity,
        reason, unmet`` (``unmet``: would be listed if not hidden).
    scores : pandas.DataFrame
        The segment's full score table (every outcome), from :func:`odi.analysis.scoring.score`.
    unknown_pins, unknown_hides : tuple of str
        Pinned and hidden ids the survey does not have (e.g. after a re-import).
    replication : SplitHalf or None
        The split-half check (:func:`odi.analysis.validation.split_half`); None when the
        segment has fewer than two respondents or the check is off.
    warnings : tuple of str
    threshold, min_n, bootstrap, seed, confidence
        The settings used.
    scale, top_box : str
        The survey's scale ("1-5") and top box ("4-5"), for the method text.
    """

    persona: Persona
    study: str
    conditions: dict[str, list[str]]
    definition: str
    n_respondents: int
    table: pd.DataFrame
    hidden: pd.DataFrame
    scores: pd.DataFrame
    unknown_pins: tuple[str, ...]
    unknown_hides: tuple[str, ...]
    replication: SplitHalf | None
    warnings: tuple[str, ...]
    threshold: float
    min_n: int
    bootstrap: int
    seed: int
    confidence: float
    scale: str = ""
    top_box: str = ""
    excluded_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def small_sample(self) -> bool:
        """Whether the segment has fewer than ``min_n`` respondents."""
        return self.n_respondents < self.min_n

    @property
    def unmet(self) -> pd.DataFrame:
        """The listed outcomes at or above the threshold (pinned ones below it left out)."""
        return self.table.loc[~self.table["below_threshold"]].reset_index(drop=True)

    @property
    def method(self) -> str:
        """The method in words, for exports."""
        return method_text(
            scale=self.scale or "rating",
            top_box=self.top_box or "top two points",
            threshold=self.threshold,
            confidence=self.confidence,
            bootstrap=self.bootstrap,
            seed=self.seed,
        )


def points_text(values: Sequence[float]) -> str:
    """Scale points in words: a range when consecutive, else a list.

    Examples
    --------
    >>> points_text((1.0, 2.0, 3.0, 4.0, 5.0)), points_text((4.0, 5.0)), points_text((0.0, 5.0))
    ('1-5', '4-5', '0, 5')
    """
    if len(values) >= 2 and np.allclose(np.diff(np.asarray(values, dtype=float)), 1.0):
        return f"{values[0]:g}-{values[-1]:g}"
    return ", ".join(f"{v:g}" for v in values)


def _present_conditions(
    survey: Survey, conditions: Mapping[str, Sequence[str]], *, who: str
) -> tuple[dict[str, list[str]], dict[str, tuple[str, ...]]]:
    """Resolve columns (an error if missing) and drop values no respondent has.

    A persona outlives an import: a value that no longer occurs is reported, not fatal.
    """
    kept: dict[str, list[str]] = {}
    dropped: dict[str, tuple[str, ...]] = {}
    for column, values in conditions.items():
        col = resolve_column(survey.respondents, column, option=f"{who} segment")
        present = survey.respondents[col].astype("string").str.strip().dropna().unique()
        folded = {str(v).casefold(): str(v) for v in present.tolist()}
        wanted = [folded[v.strip().casefold()] for v in values if v.strip().casefold() in folded]
        missing = tuple(v for v in values if v.strip().casefold() not in folded)
        kept[col] = list(dict.fromkeys(kept.get(col, []) + wanted))
        if missing:
            dropped[col] = missing
    return kept, dropped


def unmet_needs(
    survey: Survey,
    persona: Persona,
    *,
    icp: ICP | None = None,
    threshold: float = 10.0,
    bootstrap: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    min_n: int = DEFAULT_MIN_N,
    top_n: int = 10,
    replicate: bool = True,
    splits: int = 20,
) -> UnmetNeeds:
    """Score a persona's segment and list its unmet needs.

    Parameters
    ----------
    survey : Survey
    persona : Persona
    icp : ICP, optional
        The study's ICP; the persona's respondents match it *and* the persona.
    threshold : float
        Opportunity at or above which an outcome is an unmet need.
    bootstrap, seed, confidence
        Passed to :func:`odi.analysis.scoring.score`; ``seed`` also seeds the random splits.
    min_n : int
        A segment (or an outcome's answers) smaller than this is flagged.
    top_n : int
        How many needs (highest first) the split-half check lists on each discovery half.
    replicate : bool
        Run the split-half check.
    splits : int
        Random splits the split-half check makes.

    Returns
    -------
    UnmetNeeds

    Raises
    ------
    ValueError
        When the persona's segment names a column the survey does not have, reaches
        outside the ICP, or points at a saved segmentation the survey does not carry
        (attach it with :func:`odi.analysis.segmentation.saved.attach_segmentations`).

    Examples
    --------
    >>> import pandas as pd
    >>> from odi.scale import Scale
    >>> s = Survey.from_frames(
    ...     outcomes=pd.DataFrame({"statement": ["a", "b", "c"]}, index=["O1", "O2", "O3"]),
    ...     importance=pd.DataFrame({"O1": [5, 5, 4, 1], "O2": [5, 4, 1, 1], "O3": [1] * 4}),
    ...     satisfaction=pd.DataFrame({"O1": [1, 2, 1, 1], "O2": [5, 5, 5, 5], "O3": [5] * 4}),
    ...     respondents=pd.DataFrame({"role": ["VP", "VP", "VP", "SDR"]}),
    ...     scale=Scale.from_range(1, 5),
    ... )
    >>> p = Persona(id="vp", name="The VP", segment={"role": ["VP"]}, pins=("O3",))
    >>> u = unmet_needs(s, p, bootstrap=0, min_n=3)
    >>> u.n_respondents
    3
    >>> u.table[["rank", "outcome_id", "opportunity", "pinned", "below_threshold"]]
       rank outcome_id  opportunity  pinned  below_threshold
    0     1         O1         20.0   False            False
    1     2         O3          0.0    True             True
    """
    if threshold < 0 or threshold > 20:
        raise ValueError(f"threshold must be between 0 and 20; got {threshold}")
    if top_n < 1:
        raise ValueError(f"top_n must be 1 or more; got {top_n}")
    who = f"persona {persona.name!r}"
    wanted = effective_conditions(persona, icp)
    if persona.cluster is not None:
        # The saved segmentation is an attribute of the survey: one more condition.
        wanted.update(cluster_conditions(persona.cluster, survey.respondents))
    conditions, dropped = _present_conditions(survey, wanted, who=who)
    mask = segment_mask(survey.respondents, conditions)
    n = int(mask.sum())
    result = score(
        survey,
        where=conditions,
        bootstrap=bootstrap,
        seed=seed,
        confidence=confidence,
        min_n=min_n,
    )
    scores = result.for_segment()
    definition = describe_conditions(wanted)
    warnings = _segment_warnings(n, dropped, definition=definition, min_n=min_n)

    known = set(scores["outcome_id"])
    unknown_pins = tuple(p for p in persona.pins if p not in known)
    unknown_hides = tuple(h for h in persona.hides if h not in known)
    warnings += _unknown_outcome_warnings(unknown_pins, unknown_hides)
    table, hidden = _apply_rules(scores, persona, threshold=threshold)

    replication = None
    if replicate:
        replication, notes = _replication(
            survey,
            mask,
            table,
            persona,
            threshold=threshold,
            top_n=top_n,
            splits=splits,
            seed=seed,
            bootstrap=bootstrap,
            confidence=confidence,
            min_n=min_n,
        )
        warnings += notes

    return UnmetNeeds(
        persona=persona,
        study=survey.name,
        conditions=conditions,
        definition=definition,
        n_respondents=n,
        table=table,
        hidden=hidden,
        scores=scores,
        unknown_pins=unknown_pins,
        unknown_hides=unknown_hides,
        replication=replication,
        warnings=tuple(warnings),
        threshold=float(threshold),
        min_n=min_n,
        bootstrap=bootstrap,
        seed=seed,
        confidence=confidence,
        scale=points_text(survey.scale.points),
        top_box=points_text(survey.scale.top_points),
        excluded_values=dropped,
    )


def _replication(
    survey: Survey,
    mask: np.ndarray,
    table: pd.DataFrame,
    persona: Persona,
    *,
    threshold: float,
    top_n: int,
    splits: int,
    seed: int,
    bootstrap: int,
    confidence: float,
    min_n: int,
) -> tuple[SplitHalf | None, list[str]]:
    """The split-half check of the listed needs, and its warnings (too few to split or power)."""
    n = int(mask.sum())
    if n < 2:
        return None, ["the split-half check needs at least two respondents"]
    warnings: list[str] = []
    replication = split_half(
        survey,
        mask,
        threshold=threshold,
        top_n=top_n,
        splits=splits,
        seed=seed,
        exclude=frozenset(persona.hides),
        full_list=tuple(table.loc[~table["below_threshold"], "outcome_id"].head(top_n)),
        bootstrap=bootstrap,
        confidence=confidence,
    )
    if n >= min_n and replication.n_half_a < min_n:
        warnings.append(
            f"each random half has fewer than {min_n} respondents, so the split-half "
            "check has little power: real needs near the threshold often fail it"
        )
    return replication, warnings


def _segment_warnings(
    n: int, dropped: Mapping[str, tuple[str, ...]], *, definition: str, min_n: int
) -> list[str]:
    """Warnings on the segment: empty or small first, then values that match nobody."""
    warnings = [
        f"no respondent has {col} = {', '.join(map(repr, values))}; those values match "
        "nobody in this survey"
        for col, values in dropped.items()
    ]
    if n == 0:
        warnings.insert(
            0, f"no respondents match this persona's segment ({definition}); nothing to score"
        )
    elif n < min_n:
        warnings.insert(
            0,
            f"only {n} respondents match this persona's segment (fewer than {min_n}); treat "
            "its unmet needs as indicative",
        )
    return warnings


def _unknown_outcome_warnings(
    unknown_pins: tuple[str, ...], unknown_hides: tuple[str, ...]
) -> list[str]:
    """Warnings on pins and hides that name outcomes the survey does not have."""
    warnings = []
    if unknown_pins:
        warnings.append(
            f"pinned outcome(s) {', '.join(unknown_pins)} are not in this survey (re-imported "
            "or renamed?); re-pin them or remove the pins"
        )
    if unknown_hides:
        warnings.append(
            f"hidden outcome(s) {', '.join(unknown_hides)} are not in this survey; remove "
            "the hides if they are no longer needed"
        )
    return warnings


def _apply_rules(
    scores: pd.DataFrame, persona: Persona, *, threshold: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ranked list (needs at or above the threshold, plus pins, minus hides) and the hidden.

    Returns the :data:`NEEDS_COLUMNS` table and the hidden outcomes with their reasons.
    """
    meets = meets_threshold(scores, threshold)
    with np.errstate(invalid="ignore"):
        low = scores["opportunity_low"].to_numpy(dtype=float)
        high = scores["opportunity_high"].to_numpy(dtype=float)
        crosses = (low < threshold) & (high >= threshold)
    pinned = scores["outcome_id"].isin(persona.pins).to_numpy()
    hidden_mask = scores["outcome_id"].isin(list(persona.hides)).to_numpy()
    listed = scores.loc[(meets | pinned) & ~hidden_mask].copy()
    listed["crosses_threshold"] = crosses[(meets | pinned) & ~hidden_mask]
    listed["pinned"] = listed["outcome_id"].isin(persona.pins)
    listed["below_threshold"] = ~meets[(meets | pinned) & ~hidden_mask]
    listed = listed.sort_values("opportunity", ascending=False, na_position="last", kind="stable")
    listed.insert(0, "rank", np.arange(1, len(listed) + 1))
    table = listed[list(NEEDS_COLUMNS)].reset_index(drop=True)

    hidden = scores.loc[hidden_mask, ["outcome_id", "outcome", "opportunity"]].copy()
    hidden["reason"] = hidden["outcome_id"].map(dict(persona.hides))
    hidden["unmet"] = meets[hidden_mask]
    hidden = hidden.reset_index(drop=True)
    return table, hidden


@dataclass(frozen=True, slots=True)
class PersonaComparison:
    """Two personas' unmet needs side by side.

    Attributes
    ----------
    a_name, b_name : str
        The personas' names.
    table : pandas.DataFrame
        One row per outcome listed for either persona, sorted by the larger opportunity:
        ``outcome_id, outcome, opportunity_a, importance_a, satisfaction_a,
        n_a, rank_a, opportunity_b, importance_b, satisfaction_b, n_b, rank_b,
        difference, listed_a, listed_b, in_both``. ``rank_*`` is the rank in that
        persona's list (NaN when not listed there); ``n_*`` the smaller of the two valid
        answer counts; ``difference`` is ``opportunity_a - opportunity_b``.
    """

    a_name: str
    b_name: str
    table: pd.DataFrame

    def labelled(self) -> pd.DataFrame:
        """The table with ``_a``/``_b`` replaced by the persona names, for display."""
        rename = {}
        for col in self.table.columns:
            if col.endswith("_a"):
                rename[col] = f"{col[:-2]} ({self.a_name})"
            elif col.endswith("_b"):
                rename[col] = f"{col[:-2]} ({self.b_name})"
        return self.table.rename(columns=rename)


def compare_personas(a: UnmetNeeds, b: UnmetNeeds) -> PersonaComparison:
    """Compare two personas' unmet needs, outcome by outcome.

    Each side's scores come from its own segment, so an outcome listed for one persona
    still shows the other persona's score.
    """
    ids = list(dict.fromkeys([*a.table["outcome_id"], *b.table["outcome_id"]]))
    both = pd.concat([a.scores, b.scores]).drop_duplicates("outcome_id")
    statements = both.set_index("outcome_id")["outcome"]
    out = pd.DataFrame({"outcome_id": ids, "outcome": statements.reindex(ids).to_numpy()})
    for side, needs in (("a", a), ("b", b)):
        s = needs.scores.set_index("outcome_id").reindex(ids)
        ranks = needs.table.set_index("outcome_id")["rank"].reindex(ids)
        out[f"opportunity_{side}"] = s["opportunity"].to_numpy(dtype=float)
        out[f"importance_{side}"] = s["importance"].to_numpy(dtype=float)
        out[f"satisfaction_{side}"] = s["satisfaction"].to_numpy(dtype=float)
        out[f"n_{side}"] = np.minimum(
            s["n_importance"].to_numpy(dtype=float), s["n_satisfaction"].to_numpy(dtype=float)
        )
        out[f"rank_{side}"] = ranks.to_numpy(dtype=float)
    out["difference"] = out["opportunity_a"] - out["opportunity_b"]
    out["listed_a"] = out["outcome_id"].isin(a.table["outcome_id"])
    out["listed_b"] = out["outcome_id"].isin(b.table["outcome_id"])
    out["in_both"] = out["listed_a"] & out["listed_b"]
    order = np.fmax(out["opportunity_a"].to_numpy(), out["opportunity_b"].to_numpy())
    out = out.iloc[np.argsort(-np.nan_to_num(order, nan=-1.0), kind="stable")]
    return PersonaComparison(a.persona.name, b.persona.name, out.reset_index(drop=True))
