"""Outcome edits a researcher makes after an import: rename, assign a job step, exclude.

Pairing fixes and column roles go through the importer's
:class:`~odi.importers.ColumnMap`; these edits apply to the imported
:class:`~odi.survey.Survey` and are kept as a plain JSON-ready mapping
``{outcome_id: {"statement": ..., "job_step": ..., "include": ...}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from odi.survey import JOB_STEPS, Survey

__all__ = ["OutcomeEdits", "apply_outcome_edits", "edits_from_table", "outcome_table"]

OutcomeEdits = Mapping[str, Mapping[str, Any]]

_KEYS = {"statement", "job_step", "include"}


def outcome_table(survey: Survey, edits: OutcomeEdits | None = None) -> pd.DataFrame:
    """The outcomes as an editable table: ``outcome_id, statement, job_step, include``.

    Examples
    --------
    >>> import pandas as pd
    >>> from odi.scale import Scale
    >>> s = Survey.from_frames(
    ...     outcomes=pd.DataFrame({"statement": ["a", "b"]}, index=["O1", "O2"]),
    ...     importance=pd.DataFrame({"O1": [5.0], "O2": [4.0]}),
    ...     satisfaction=pd.DataFrame({"O1": [1.0], "O2": [2.0]}),
    ...     scale=Scale.from_range(1, 5),
    ... )
    >>> outcome_table(s, {"O2": {"include": False}})["include"].tolist()
    [True, False]
    """
    table = survey.outcomes.reset_index()[["outcome_id", "statement", "job_step"]].copy()
    table["include"] = True
    for i, oid in enumerate(table["outcome_id"]):
        for key, value in (edits or {}).get(str(oid), {}).items():
            if key in _KEYS:
                table.loc[i, key] = value
    return table


def edits_from_table(survey: Survey, table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The differences between an edited :func:`outcome_table` and the imported outcomes."""
    base = outcome_table(survey).set_index("outcome_id")
    out: dict[str, dict[str, Any]] = {}
    for row in table.to_dict(orient="records"):
        oid = str(row["outcome_id"])
        if oid not in base.index:
            continue
        change: dict[str, Any] = {}
        for key in ("statement", "job_step"):
            value = "" if pd.isna(row.get(key)) else str(row.get(key)).strip()
            if value != str(base.loc[oid, key]):
                change[key] = value
        if not bool(row.get("include", True)):
            change["include"] = False
        if change:
            out[oid] = change
    return out


def apply_outcome_edits(survey: Survey, edits: OutcomeEdits | None) -> Survey:
    """Return the survey with statements renamed, job steps set and outcomes excluded.

    Edits naming outcomes the survey does not have (after a re-import) are ignored.

    Raises
    ------
    ValueError
        When every outcome would be excluded, or a statement is made empty.

    Examples
    --------
    >>> import pandas as pd
    >>> from odi.scale import Scale
    >>> s = Survey.from_frames(
    ...     outcomes=pd.DataFrame({"statement": ["a", "b"]}, index=["O1", "O2"]),
    ...     importance=pd.DataFrame({"O1": [5.0], "O2": [4.0]}),
    ...     satisfaction=pd.DataFrame({"O1": [1.0], "O2": [2.0]}),
    ...     scale=Scale.from_range(1, 5),
    ... )
    >>> t = apply_outcome_edits(s, {"O1": {"statement": "Minimize a", "job_step": "Define"},
    ...                             "O2": {"include": False}})
    >>> t.outcomes[["statement", "job_step"]].values.tolist()
    [['Minimize a', 'Define']]
    """
    if not edits:
        return survey
    outcomes = survey.outcomes.copy()
    keep = []
    for oid in outcomes.index:
        edit = edits.get(str(oid), {})
        unknown = set(edit) - _KEYS
        if unknown:
            raise ValueError(
                f"outcome edits must use {sorted(_KEYS)}; got {sorted(unknown)} for {oid}"
            )
        if "statement" in edit:
            text = str(edit["statement"]).strip()
            if not text:
                raise ValueError(f"the statement of outcome {oid} must not be empty")
            outcomes.loc[oid, "statement"] = text
        if "job_step" in edit:
            step = str(edit["job_step"] or "").strip()
            if step and step not in JOB_STEPS:
                raise ValueError(
                    f"job step of outcome {oid} must be one of {', '.join(JOB_STEPS)} or "
                    f"blank; got {step!r}"
                )
            outcomes.loc[oid, "job_step"] = step
        if edit.get("include", True):
            keep.append(str(oid))
    if not keep:
        raise ValueError("every outcome is excluded; include at least one outcome to score")
    edited = replace(survey, outcomes=outcomes)
    return edited if len(keep) == survey.n_outcomes else edited.select_outcomes(keep)
