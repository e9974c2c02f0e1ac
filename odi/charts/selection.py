"""Map a Streamlit chart selection back to outcome ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from odi.charts.base import OUTCOME_ROLE


def _customdata_id(cd: Any) -> tuple[str | None, str]:
    if cd is None:
        return None, ""
    if isinstance(cd, str | int):
        return str(cd), OUTCOME_ROLE
    if isinstance(cd, Sequence | np.ndarray) and len(cd) >= 1:
        role = str(cd[1]) if len(cd) > 1 else OUTCOME_ROLE
        return (None if cd[0] is None else str(cd[0])), role
    return None, ""


def _is_figure(obj: Any) -> bool:
    return isinstance(obj, go.Figure) or (hasattr(obj, "data") and hasattr(obj, "layout"))


def selected_outcome_ids(
    event: Mapping[str, Any] | None,
    figure_or_table: go.Figure | pd.DataFrame | None = None,
) -> list[str]:
    """Outcome ids selected in a Streamlit Plotly selection event, in selection order.

    Parameters
    ----------
    event : mapping
        What ``st.plotly_chart(..., on_select="rerun")`` returns
        (``{"selection": {"points": [...], "point_indices": [...], ...}}``), or its
        ``selection`` part. ``None`` or an empty selection gives ``[]``.
    figure_or_table : Figure or DataFrame, optional
        The figure that was shown, or the score table it was built from. Used when a
        point carries no ``customdata``: with the figure, its ``curve_number`` and
        ``point_index`` are looked up in that trace's ``customdata``; with a table and
        no points, ``point_indices`` are taken as row positions (right only for a
        one-trace chart). A table also drops ids it does not contain (a stale
        selection after the data changed).

    Returns
    -------
    list of str
        Unique outcome ids; comparison (``"overall"``) points are ignored.

    Examples
    --------
    >>> ev = {"selection": {"points": [
    ...     {"curve_number": 1, "point_index": 0, "customdata": ["O7", "outcome"]},
    ...     {"curve_number": 0, "point_index": 3, "customdata": ["O7", "overall"]},
    ...     {"curve_number": 2, "point_index": 1, "customdata": ["O2", "outcome"]},
    ...     {"curve_number": 1, "point_index": 0, "customdata": ["O7", "outcome"]}],
    ...     "point_indices": [0, 3, 1]}}
    >>> selected_outcome_ids(ev)
    ['O7', 'O2']
    """
    if not event:
        return []
    selection = event.get("selection", event)
    if not isinstance(selection, Mapping):
        return []
    points = selection.get("points") or []
    figure = figure_or_table if _is_figure(figure_or_table) else None
    table = figure_or_table if isinstance(figure_or_table, pd.DataFrame) else None

    found: list[str] = []
    for point in points:
        if not isinstance(point, Mapping):
            continue
        oid, role = _customdata_id(point.get("customdata"))
        if oid is None and figure is not None:
            curve = point.get("curve_number", point.get("curveNumber"))
            index = point.get("point_index", point.get("point_number", point.get("pointIndex")))
            if isinstance(curve, int) and isinstance(index, int) and 0 <= curve < len(figure.data):
                cds = figure.data[curve].customdata
                if cds is not None and 0 <= index < len(cds):
                    oid, role = _customdata_id(cds[index])
        if oid is not None and role == OUTCOME_ROLE:
            found.append(oid)
    if not points and table is not None:
        for index in selection.get("point_indices") or []:
            if isinstance(index, int) and 0 <= index < len(table):
                found.append(str(table["outcome_id"].iloc[index]))
    if table is not None and "outcome_id" in table.columns:
        known = set(table["outcome_id"].astype(str))
        found = [o for o in found if o in known]
    return list(dict.fromkeys(found))
