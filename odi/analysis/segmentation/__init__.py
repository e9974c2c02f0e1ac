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
from odi.analysis.segmentation.profile import (
    ClusterProfile,
    attach_assignment,
    attribute_profile,
    chi_square,
    profile_clusters,
    suggest_name,
)
from odi.analysis.segmentation.run import Segmentation, cluster_opportunity, segment

__all__ = [
    "INPUTS",
    "ClusterProfile",
    "Clustering",
    "Features",
    "KSearch",
    "Segmentation",
    "SegmentationSettings",
    "attach_assignment",
    "attribute_profile",
    "chi_square",
    "cluster_features",
    "cluster_opportunity",
    "jaccard_stability",
    "label_names",
    "needs_features",
    "profile_clusters",
    "search_k",
    "segment",
    "suggest_name",
]
