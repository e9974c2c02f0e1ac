"""Saved segmentations as segment attributes, and personas built on a cluster.

A saved segmentation (see :mod:`odi.storage.segmentations`) keeps the assignment of every
respondent. Attached to a survey it is one more respondent attribute, named
``needs segments ID`` with the cluster labels (``C1``...) as values, so the sidebar filter, the
Segments page and ``--by`` use it like any attribute. A persona built on a cluster holds a
:class:`~odi.personas.ClusterRef` (the saved segmentation's id and the label): it keeps
pointing at that saved assignment, whoever re-runs the clustering later.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pandas as pd

from odi.analysis.segmentation.profile import ClusterProfile, attach_assignment
from odi.personas import ClusterRef, Persona, new_persona_id
from odi.survey import Survey

__all__ = [
    "COLUMN_PREFIX",
    "attach_segmentations",
    "attach_segments_file",
    "cluster_conditions",
    "cluster_persona",
    "segmentation_column",
]

#: What the attribute of a saved segmentation is called: ``needs segments ID``.
COLUMN_PREFIX = "needs segments "

_INFERRED_NOTE = (
    "Inferred from the cluster's attribute profile (the values it holds most often, with "
    "their over-index), not asked of these people: validate with CRM deal data or a few "
    "interviews before using it"
)


def segmentation_column(segmentation_id: str | int) -> str:
    """The attribute name of a saved segmentation.

    Examples
    --------
    >>> segmentation_column(3)
    'needs segments 3'
    """
    return f"{COLUMN_PREFIX}{segmentation_id}"


def attach_segmentations(survey: Survey, assignments: Mapping[str, pd.Series]) -> Survey:
    """The survey with each saved segmentation (id -> assignment) as an attribute."""
    for seg_id, assignment in assignments.items():
        survey = attach_assignment(survey, assignment, segmentation_column(seg_id))
    return survey


def cluster_conditions(ref: ClusterRef, respondents: pd.DataFrame) -> dict[str, list[str]]:
    """The attribute condition that selects a cluster's respondents.

    Raises a ``ValueError`` when the saved segmentation is not attached to the survey
    (deleted, or from another study).
    """
    column = segmentation_column(ref.segmentation)
    if column not in respondents.columns:
        raise ValueError(
            f"the persona points at cluster {ref.cluster} of saved segmentation "
            f"{ref.segmentation}, which this study does not have (deleted, or saved in "
            "another study); point the persona at attribute conditions or another cluster"
        )
    return {column: [ref.cluster]}


def attach_segments_file(survey: Survey, data: bytes, source: str) -> Survey:
    """Attach a segmentation CSV (``respondent_id,NAME``) as the attribute NAME."""
    try:
        table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{source} could not be read as a CSV table ({exc})") from None
    cols = [str(c).strip() for c in table.columns]
    if len(cols) != 2 or cols[0] != "respondent_id":
        raise ValueError(
            f"{source} must have two columns, respondent_id and the segment; got "
            f"{', '.join(cols) or 'none'}"
        )
    name = cols[1]
    if name in survey.attributes:
        raise ValueError(
            f"{source}: the survey already has an attribute {name!r}; rename the second "
            "column of the segments file"
        )
    ids = table.iloc[:, 0].str.strip()
    if ids.duplicated().any():
        raise ValueError(
            f"{source}: respondent ids must be unique; got {ids[ids.duplicated()].iloc[0]!r} twice"
        )
    assignment = pd.Series(table.iloc[:, 1].str.strip().to_numpy(), index=ids.to_numpy())
    assignment = assignment.loc[assignment != ""]
    matched = assignment.index.isin(survey.respondents.index).sum()
    if matched == 0:
        raise ValueError(
            f"{source}: none of its {len(assignment)} respondent ids are in the survey; "
            "was it written for another file?"
        )
    return attach_assignment(survey, assignment, name)


def _top_values(profile: ClusterProfile, keywords: Sequence[str], limit: int) -> list[str]:
    a = profile.attributes
    cols = [c for c in a["attribute"].unique() if any(k in c.casefold() for k in keywords)]
    if not cols:
        return []
    rows = a.loc[a["attribute"] == cols[0]].sort_values(
        ["n_cluster", "over_index"], ascending=False, kind="stable"
    )
    return [str(v) for v in rows.loc[rows["n_cluster"] > 0, "value"].head(limit)]


def cluster_persona(
    profile: ClusterProfile, *, segmentation_id: str | int, taken: Sequence[str] = ()
) -> Persona:
    """A draft persona on a cluster: its segment is the cluster, its name the cluster's.

    Typical titles, company size and industry are filled from the attribute profile (the
    most common values) and **marked inferred**, with a note on how to validate them.
    """
    titles = _top_values(profile, ("role", "title", "job", "position"), 3)
    sizes = _top_values(profile, ("size", "employees", "headcount"), 2)
    industries = _top_values(profile, ("industry", "vertical", "sector"), 2)
    context = "; ".join(
        part
        for part in (
            f"company size {', '.join(sizes)}" if sizes else "",
            f"industry {', '.join(industries)}" if industries else "",
        )
        if part
    )
    needs = ", ".join(profile.distinctive_needs[:5])
    inferred = {}
    if titles:
        inferred["titles"] = _INFERRED_NOTE
    if context:
        inferred["context"] = _INFERRED_NOTE
    return Persona(
        id=new_persona_id(profile.name, taken=taken),
        name=profile.name,
        titles=tuple(titles),
        context=context,
        functional_job=(
            f"Needs-based cluster {profile.label} ({profile.n} respondents, "
            f"{profile.share:.0%}); what sets it apart: {needs or 'no outcome stands out'}"
        ),
        inferred=inferred,
        cluster=ClusterRef(segmentation=str(segmentation_id), cluster=profile.label),
    )
