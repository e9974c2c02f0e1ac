"""Needs-based segmentation: cluster respondents on their per-outcome answers.

The method, step by step (every choice is a keyword option with this default):

1. **Input** (``input="opportunity"``): each respondent's *individual opportunity* per
   outcome, ``importance + max(importance - satisfaction, 0)`` on the raw scale points.
   ``input="topbox"`` uses the same formula on top-box indicators (0/1) instead. This
   per-respondent form is only an input to clustering: it is never averaged into a score.
2. **Missing answers** are imputed *within the outcome*: a blank or N/A on either side of
   an outcome is replaced by that outcome's mean over the respondents who answered it. The
   share imputed is reported. Outcomes nobody answered, or answered alike by everyone,
   carry no information and are left out.
3. **Response style** (``center=True``): each respondent's own mean over the outcomes is
   subtracted, so "rates everything high" does not become a segment of its own.
4. **Standardise** every outcome to mean 0 and variance 1, then **reduce** with PCA to the
   components that stand above noise by Horn's parallel analysis (``components=None``;
   at least 2, at most 30). When none does, the first 10 are clustered, and the
   stability shows how arbitrary any split of them is.
5. **Cluster** with k-means (scikit-learn, ``n_init`` restarts, seeded) for every k in
   ``ks=range(2, 9)``. Labels are ordered by size (largest first, ties by the first
   respondent), so the same seed gives the same labels: ``C1``, ``C2``, ...
6. **Criteria per k**: the silhouette score (on at most 1,000 sampled respondents), the
   share of the smallest cluster, and **stability**: k-means is re-run on ``resamples``
   bootstrap resamples of the respondents, and the adjusted Rand index (ARI) between each
   resample's clustering and the full-sample clustering of the same respondents is
   averaged. Each cluster also gets a **Jaccard stability**: the mean, over resamples, of
   its best Jaccard overlap with a resample's cluster (Hennig's ``clusterboot``).
7. **Structure check**: the same k-means is run on a *null reference*: the standardised
   answers with every outcome's column shuffled on its own (same answers per outcome, no
   relation between outcomes), reduced to as many components. Real segments make the
   silhouette clearly higher than on the reference.
8. **Recommendation**: among the k whose mean ARI is at least ``min_stability`` (0.75),
   whose smallest cluster holds at least ``min_share`` (5 %) of respondents and whose
   silhouette beats the null reference's by at least ``min_gain`` (0.02), the k with the
   highest silhouette. When no k qualifies the data show no stable segments and the
   recommendation is *not to segment* (``recommended_k`` is None).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from odi.scale import Scale
>>> from odi.survey import Survey
>>> rng = np.random.default_rng(0)
>>> group = np.repeat([0, 1], 60)
>>> imp = np.where(group[:, None] == np.arange(6)[None, :] % 2, 5, 2)
>>> imp = np.clip(imp + rng.integers(-1, 1, size=imp.shape), 1, 5)
>>> ids = [f"O{j}" for j in range(6)]
>>> s = Survey.from_frames(
...     outcomes=pd.DataFrame({"statement": ids}, index=ids),
...     importance=pd.DataFrame(imp, columns=ids),
...     satisfaction=pd.DataFrame(np.full(imp.shape, 2), columns=ids),
...     scale=Scale.from_range(1, 5))
>>> search = search_k(s, ks=range(2, 4), resamples=5, seed=0)
>>> search.recommended_k, search.table["k"].tolist()
(2, [2, 3])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from odi.survey import Survey

__all__ = [
    "INPUTS",
    "Clustering",
    "Features",
    "KSearch",
    "SegmentationSettings",
    "cluster_features",
    "jaccard_stability",
    "label_names",
    "needs_features",
    "search_k",
]

Input = Literal["opportunity", "topbox"]
#: The inputs :func:`needs_features` can build.
INPUTS: tuple[str, ...] = ("opportunity", "topbox")
#: Most respondents the silhouette is computed on (a seeded sample above this).
SILHOUETTE_SAMPLE = 1000
#: Most PCA components kept.
MAX_COMPONENTS = 30
#: Components clustered when none stands above noise.
NOISE_COMPONENTS = 10

Progress = Callable[[float, str], None]


@dataclass(frozen=True, slots=True)
class SegmentationSettings:
    """The settings of a segmentation run (saved with it, so it can be repeated).

    Examples
    --------
    >>> SegmentationSettings.from_dict(SegmentationSettings(k=3).to_dict()).k
    3
    """

    input: Input = "opportunity"
    center: bool = True
    components: int | None = None
    ks: tuple[int, ...] = (2, 3, 4, 5, 6, 7, 8)
    k: int | None = None
    resamples: int = 20
    n_init: int = 4
    seed: int = 0
    min_stability: float = 0.75
    min_share: float = 0.05
    min_gain: float = 0.02

    def __post_init__(self) -> None:
        if self.input not in INPUTS:
            raise ValueError(f"input must be one of {', '.join(INPUTS)}; got {self.input!r}")
        if self.components is not None and self.components < 1:
            raise ValueError(f"components must be 1 or more; got {self.components}")
        ks = tuple(int(k) for k in self.ks)
        if not ks or min(ks) < 2:
            raise ValueError(f"ks must be whole numbers of 2 or more; got {list(self.ks)}")
        object.__setattr__(self, "ks", tuple(sorted(set(ks))))
        if self.k is not None and self.k < 2:
            raise ValueError(f"k must be 2 or more; got {self.k}")
        if self.resamples < 2:
            raise ValueError(f"resamples must be 2 or more; got {self.resamples}")
        if self.n_init < 1:
            raise ValueError(f"n_init must be 1 or more; got {self.n_init}")
        for name in ("min_stability", "min_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1; got {getattr(self, name)}")

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "input": self.input,
            "center": self.center,
            "components": self.components,
            "ks": list(self.ks),
            "k": self.k,
            "resamples": self.resamples,
            "n_init": self.n_init,
            "seed": self.seed,
            "min_stability": self.min_stability,
            "min_share": self.min_share,
            "min_gain": self.min_gain,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SegmentationSettings:
        """Build from :meth:`to_dict` output; unknown keys are an error."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"segmentation settings have unknown key(s) {', '.join(unknown)}; "
                f"the keys are {', '.join(sorted(known))}"
            )
        kwargs = dict(data)
        if "ks" in kwargs:
            kwargs["ks"] = tuple(kwargs["ks"])  # type: ignore[arg-type]
        return cls(**kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Features:
    """The clustering input.

    Attributes
    ----------
    matrix : numpy.ndarray
        Respondents x components: the PCA scores that are clustered.
    null_matrix : numpy.ndarray
        The same for the null reference: every standardised outcome shuffled on its own,
        then reduced to as many components.
    respondent_ids : tuple of str
    outcome_ids : tuple of str
        The outcomes used (those with information).
    dropped_outcomes : tuple of str
        Outcomes left out: nobody answered them, or everyone alike.
    imputed_share : float
        Share of respondent x outcome cells that were imputed.
    explained_variance : float
        Share of the standardised variance the kept components explain.
    """

    matrix: np.ndarray
    null_matrix: np.ndarray
    respondent_ids: tuple[str, ...]
    outcome_ids: tuple[str, ...]
    dropped_outcomes: tuple[str, ...]
    imputed_share: float
    explained_variance: float
    above_noise: int = 0


def needs_features(
    survey: Survey,
    *,
    input: Input = "opportunity",
    center: bool = True,
    components: int | None = None,
    seed: int = 0,
) -> Features:
    """Build the standardised, reduced per-respondent needs matrix (steps 1-4 above).

    Examples
    --------
    >>> import pandas as pd
    >>> from odi.scale import Scale
    >>> s = Survey.from_frames(
    ...     outcomes=pd.DataFrame({"statement": ["a", "b", "c"]}, index=["O1", "O2", "O3"]),
    ...     importance=pd.DataFrame({"O1": [5, 4, None, 1], "O2": [5, 1, 2, 2], "O3": [3] * 4}),
    ...     satisfaction=pd.DataFrame({"O1": [1, 2, 3, 1], "O2": [5, 1, 1, 2], "O3": [3] * 4}),
    ...     scale=Scale.from_range(1, 5))
    >>> f = needs_features(s, center=False)
    >>> f.matrix.shape, f.dropped_outcomes, f.imputed_share
    ((4, 2), ('O3',), 0.125)
    """
    from sklearn.decomposition import PCA  # here: scikit-learn takes seconds to import

    if survey.n_respondents < 4:
        raise ValueError(f"segmentation needs at least 4 respondents; got {survey.n_respondents}")
    imp = survey.importance.to_numpy(dtype=float)
    sat = survey.satisfaction.to_numpy(dtype=float)
    if input == "topbox":
        top = float(min(survey.scale.top_points))
        missing = np.isnan(imp) | np.isnan(sat)
        imp = (imp >= top).astype(float)
        sat = (sat >= top).astype(float)
        x = imp + np.maximum(imp - sat, 0.0)
        x[missing] = np.nan
    elif input == "opportunity":
        x = imp + np.maximum(imp - sat, 0.0)
    else:
        raise ValueError(f"input must be one of {', '.join(INPUTS)}; got {input!r}")
    missing = np.isnan(x)
    answered = (~missing).sum(axis=0)
    means = np.where(answered > 0, np.nansum(x, axis=0) / np.maximum(answered, 1), 0.0)
    x = np.where(missing, means, x)
    sd = x.std(axis=0)
    keep = ~missing.all(axis=0) & (sd > 1e-9)
    ids = [str(o) for o in survey.outcomes.index]
    if keep.sum() < 2:
        raise ValueError(
            "segmentation needs at least 2 outcomes whose answers vary between respondents; "
            f"got {int(keep.sum())}"
        )
    x = x[:, keep]
    if center:
        x = x - x.mean(axis=1, keepdims=True)
    z = (x - x.mean(axis=0)) / np.maximum(x.std(axis=0), 1e-9)
    n_max = min(z.shape[0] - 1, z.shape[1], MAX_COMPONENTS)
    pca = PCA(
        n_components=min(z.shape[0] - 1, z.shape[1]),
        random_state=seed,
        svd_solver="covariance_eigh",
    )
    scores = pca.fit_transform(z)
    above_noise = parallel_analysis(z, seed=seed)
    # With no component above noise nothing is reduced away: any split is then arbitrary,
    # and the stability over resamples shows it.
    n_comp = components or above_noise or NOISE_COMPONENTS
    n_comp = int(np.clip(n_comp, min(2, n_max), n_max))
    cum = np.cumsum(pca.explained_variance_ratio_)
    shuffled = _null_reference(z, np.random.default_rng([seed, 1]))
    null = PCA(n_components=n_comp, random_state=seed, svd_solver="covariance_eigh")
    return Features(
        matrix=np.ascontiguousarray(scores[:, :n_comp]),
        null_matrix=np.ascontiguousarray(null.fit_transform(shuffled)),
        respondent_ids=tuple(str(r) for r in survey.respondents.index),
        outcome_ids=tuple(o for o, k in zip(ids, keep, strict=True) if k),
        dropped_outcomes=tuple(o for o, k in zip(ids, keep, strict=True) if not k),
        imputed_share=float(missing[:, keep].mean()),
        explained_variance=float(cum[n_comp - 1]),
        above_noise=above_noise,
    )


def parallel_analysis(z: np.ndarray, *, seed: int = 0, references: int = 10) -> int:
    """How many principal components stand above noise (Horn's parallel analysis).

    A component is kept while its eigenvalue exceeds the 95th percentile of the same
    eigenvalue on ``references`` copies of ``z`` with every column shuffled on its own.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(300, 2))
    >>> z = np.hstack([f[:, :1] + 0.5 * rng.normal(size=(300, 4)),
    ...                f[:, 1:] + 0.5 * rng.normal(size=(300, 4)), rng.normal(size=(300, 6))])
    >>> parallel_analysis(z)
    2
    """
    rng = np.random.default_rng([seed, 2])
    n = len(z)

    def eig(m: np.ndarray) -> np.ndarray:
        c = (m - m.mean(axis=0)) / np.maximum(m.std(axis=0), 1e-12)
        return np.sort(np.linalg.eigvalsh(c.T @ c / n))[::-1]

    data = eig(z)
    null = np.array([eig(_null_reference(z, rng)) for _ in range(references)])
    above = data > np.percentile(null, 95, axis=0)
    return int(np.argmin(above)) if not above.all() else len(above)


def _ordered(labels: np.ndarray, k: int) -> np.ndarray:
    """Relabel 0..k-1 by size, largest first; ties by the first respondent in each."""
    sizes = np.bincount(labels, minlength=k)
    first = np.array(
        [np.flatnonzero(labels == c)[0] if sizes[c] else len(labels) for c in range(k)]
    )
    order = np.lexsort((first, -sizes))
    rank = np.empty(k, dtype=int)
    rank[order] = np.arange(k)
    out: np.ndarray = rank[labels]
    return out


def _kmeans(x: np.ndarray, k: int, *, seed: int, n_init: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    km = KMeans(n_clusters=k, n_init=n_init, random_state=seed)
    return _ordered(km.fit_predict(x).astype(int), k)


def label_names(k: int) -> tuple[str, ...]:
    """Cluster labels in size order.

    Examples
    --------
    >>> label_names(3)
    ('C1', 'C2', 'C3')
    """
    return tuple(f"C{i + 1}" for i in range(k))


def jaccard_stability(full: np.ndarray, boot: np.ndarray, index: np.ndarray, k: int) -> np.ndarray:
    """Per full-sample cluster, the best Jaccard overlap with a resample's cluster.

    ``full`` are the full-sample labels, ``boot`` the resample's labels of the respondents
    at positions ``index`` (drawn with replacement; each respondent counts once).

    Examples
    --------
    >>> import numpy as np
    >>> jaccard_stability(np.array([0, 0, 1, 1]), np.array([1, 1, 0]), np.array([0, 1, 2]), 2)
    array([1., 1.])
    """
    idx, first = np.unique(index, return_index=True)
    f = full[idx]
    b = boot[first]
    out = np.zeros(k)
    for c in range(k):
        in_c = f == c
        if not in_c.any():
            out[c] = np.nan
            continue
        best = 0.0
        for d in np.unique(b):
            in_d = b == d
            best = max(best, (in_c & in_d).sum() / (in_c | in_d).sum())
        out[c] = best
    return out


@dataclass(frozen=True, slots=True)
class Clustering:
    """One k's clustering of the full sample and its criteria.

    Attributes
    ----------
    k : int
    labels : numpy.ndarray
        0-based cluster per respondent, ordered by size (0 is the largest).
    silhouette, null_silhouette : float
        Silhouette on the data and on the null reference (columns shuffled).
    stability : float
        Mean adjusted Rand index over the bootstrap resamples.
    stability_low, stability_high : float
        The 5th and 95th percentiles of the resamples' ARI.
    cluster_stability : numpy.ndarray
        Mean best Jaccard per cluster over the resamples.
    min_share : float
        Share of the smallest cluster.
    """

    k: int
    labels: np.ndarray
    silhouette: float
    null_silhouette: float
    stability: float
    stability_low: float
    stability_high: float
    cluster_stability: np.ndarray
    min_share: float

    @property
    def sizes(self) -> np.ndarray:
        """Respondents per cluster, in label order."""
        return np.bincount(self.labels, minlength=self.k)


@dataclass(frozen=True, slots=True)
class KSearch:
    """Result of :func:`search_k`.

    Attributes
    ----------
    features : Features
    settings : SegmentationSettings
    clusterings : dict of int to Clustering
    table : pandas.DataFrame
        One row per k: ``k, silhouette, null_silhouette, silhouette_gain, stability,
        stability_low, stability_high, min_share, qualifies``.
    recommended_k : int or None
        None when no k gives stable, balanced, real segments: do not segment.
    chosen_k : int
        The k asked for; else the recommended k; else the best-scoring k (highest
        stability x silhouette gain).
    """

    features: Features
    settings: SegmentationSettings
    clusterings: dict[int, Clustering]
    table: pd.DataFrame
    recommended_k: int | None
    chosen_k: int
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def chosen(self) -> Clustering:
        """The clustering at the chosen k."""
        return self.clusterings[self.chosen_k]

    @property
    def assignment(self) -> pd.Series:
        """Cluster label (``C1``...) per respondent id, at the chosen k."""
        names = np.array(label_names(self.chosen_k))
        return pd.Series(
            names[self.chosen.labels],
            index=pd.Index(self.features.respondent_ids, name="respondent_id"),
            name="segment",
        )


def _null_reference(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.column_stack([rng.permutation(col) for col in x.T])


def cluster_features(
    x: np.ndarray,
    k: int,
    *,
    resamples: int = 20,
    n_init: int = 4,
    seed: int = 0,
    null: np.ndarray | None = None,
) -> Clustering:
    """Cluster ``x`` into ``k`` groups and measure the criteria (steps 5-7 above)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, silhouette_score

    n = len(x)
    if k >= n:
        raise ValueError(f"k must be smaller than the number of respondents ({n}); got {k}")
    labels = _kmeans(x, k, seed=seed, n_init=n_init)
    rng = np.random.default_rng([seed, k])
    sample = min(n, SILHOUETTE_SAMPLE)
    sil_state = int(rng.integers(2**31))
    sil = (
        float(silhouette_score(x, labels, sample_size=sample, random_state=sil_state))
        if len(np.unique(labels)) > 1
        else float("nan")
    )
    null_sil = float("nan")
    if null is not None:
        null_labels = _kmeans(null, k, seed=seed, n_init=n_init)
        if len(np.unique(null_labels)) > 1:
            null_sil = float(
                silhouette_score(null, null_labels, sample_size=sample, random_state=sil_state)
            )
    aris = np.empty(resamples)
    jac = np.zeros((resamples, k))
    for b in range(resamples):
        index = rng.integers(0, n, size=n)
        boot = KMeans(n_clusters=k, n_init=n_init, random_state=int(rng.integers(2**31)))
        boot_labels = boot.fit_predict(x[index])
        aris[b] = adjusted_rand_score(labels[index], boot_labels)
        jac[b] = jaccard_stability(labels, boot_labels, index, k)
    sizes = np.bincount(labels, minlength=k)
    return Clustering(
        k=k,
        labels=labels,
        silhouette=sil,
        null_silhouette=null_sil,
        stability=float(aris.mean()),
        stability_low=float(np.percentile(aris, 5)),
        stability_high=float(np.percentile(aris, 95)),
        cluster_stability=np.nanmean(jac, axis=0),
        min_share=float(sizes.min() / n),
    )


def search_k(
    survey: Survey,
    *,
    settings: SegmentationSettings | None = None,
    progress: Progress | None = None,
    **options: object,
) -> KSearch:
    """Build the features, cluster for every k, measure and recommend (the whole method).

    Parameters
    ----------
    survey : Survey
    settings : SegmentationSettings, optional
        All settings at once; or pass any of its fields as keyword options.
    progress : callable, optional
        Called as ``progress(fraction_done, message)`` after each step.

    Returns
    -------
    KSearch
    """
    if settings is None:
        settings = SegmentationSettings(**options)  # type: ignore[arg-type]
    elif options:
        raise ValueError("pass either settings or keyword options, not both")
    # Many small fits and products: one thread each is several times faster than
    # OpenMP/BLAS start-up on every call, and friendlier to a shared machine.
    with threadpool_limits(1):
        return _search(survey, settings, progress)


def _search(survey: Survey, settings: SegmentationSettings, progress: Progress | None) -> KSearch:
    ks: list[int] = list(settings.ks)
    if settings.k is not None and settings.k not in ks:
        ks = sorted({*ks, settings.k})
    ks = [k for k in ks if k < survey.n_respondents]
    if not ks:
        raise ValueError(
            f"k must be smaller than the number of respondents ({survey.n_respondents})"
        )
    features = needs_features(
        survey,
        input=settings.input,
        center=settings.center,
        components=settings.components,
        seed=settings.seed,
    )
    null = features.null_matrix
    clusterings: dict[int, Clustering] = {}
    for i, k in enumerate(ks):
        if progress is not None:
            progress(i / len(ks), f"k = {k}: clustering and {settings.resamples} resamples")
        clusterings[k] = cluster_features(
            features.matrix,
            k,
            resamples=settings.resamples,
            n_init=settings.n_init,
            seed=settings.seed,
            null=null,
        )
    if progress is not None:
        progress(1.0, "done")
    table = _search_table(clusterings, settings, above_noise=features.above_noise)
    recommended, chosen = _choose_k(table, settings)
    reasons: tuple[str, ...] = ()
    if recommended is None:
        reasons = (_why_not(table, settings),)
        if features.above_noise == 0:
            reasons = (
                "no structure: no principal component of the answers stands above what "
                "shuffled answers give (parallel analysis), so the outcomes do not vary "
                "together in any group of respondents",
                *reasons,
            )
    return KSearch(
        features=features,
        settings=settings,
        clusterings=clusterings,
        table=table,
        recommended_k=recommended,
        chosen_k=chosen,
        reasons=reasons,
    )


def _search_table(
    clusterings: dict[int, Clustering], settings: SegmentationSettings, *, above_noise: int
) -> pd.DataFrame:
    """One row per k: fit, stability, smallest share and whether it meets every bar."""
    rows = []
    for k, c in clusterings.items():
        gain = c.silhouette - c.null_silhouette
        rows.append(
            {
                "k": k,
                "silhouette": c.silhouette,
                "null_silhouette": c.null_silhouette,
                "silhouette_gain": gain,
                "stability": c.stability,
                "stability_low": c.stability_low,
                "stability_high": c.stability_high,
                "min_share": c.min_share,
                "qualifies": bool(
                    c.stability >= settings.min_stability
                    and c.min_share >= settings.min_share
                    and gain >= settings.min_gain
                ),
            }
        )
    table = pd.DataFrame(rows)
    if above_noise == 0:
        table["qualifies"] = False
    return table


def _choose_k(table: pd.DataFrame, settings: SegmentationSettings) -> tuple[int | None, int]:
    """The recommended k (best silhouette among those that qualify) and the k shown."""
    ok = table.loc[table["qualifies"]]
    recommended = None if ok.empty else int(ok.sort_values("silhouette").iloc[-1]["k"])
    if settings.k is not None:
        chosen = settings.k
    elif recommended is not None:
        chosen = recommended
    else:
        merit = (table["stability"] * table["silhouette_gain"].clip(lower=0)).to_numpy()
        chosen = int(table["k"].to_numpy()[int(np.argmax(merit))])
    return recommended, chosen


def _why_not(table: pd.DataFrame, s: SegmentationSettings) -> str:
    best = table.sort_values("stability").iloc[-1]
    gain = table["silhouette_gain"].max()
    return (
        "no stable segments: at no k are the clusters both stable (mean adjusted Rand index "
        f"at least {s.min_stability:g}; best {best['stability']:.2f} at k = {int(best['k'])}) "
        f"and clearly better separated than on shuffled answers (silhouette gain at least "
        f"{s.min_gain:g}; best {gain:.3f})"
    )


def ks_from(values: Iterable[int]) -> tuple[int, ...]:
    """Validated k values."""
    return SegmentationSettings(ks=tuple(values)).ks
