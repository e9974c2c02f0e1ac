"""Needs-based segmentation: the method (:mod:`.method`) and what each cluster gets
(:mod:`.profile`). See :mod:`odi.analysis.segmentation.method` for the method in words."""

from odi.analysis.segmentation.method import (
    INPUTS,
    Clustering,
    Features,
    KSearch,
    SegmentationSettings,
    cluster_features,
    jaccard_stability,
    label_names,
    needs_features,
    search_k,
)

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
