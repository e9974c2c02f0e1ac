"""The opportunity landscape: importance against satisfaction, zones shaded."""

from __future__ import annotations

import html
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from odi.analysis.scoring import ZONES, Thresholds, zone_of
from odi.charts.base import (
    GRID,
    INK,
    MUTED,
    OUTCOME_ROLE,
    OVERALL_ROLE,
    ZONE_STYLES,
    _base_layout,
    _check_table,
    _f,
    _g,
    _hover_texts,
    _line,
    _num,
    _path,
    _region,
    _short,
    zone_label,
)
from odi.charts.labels import LabelBox, place_labels

#: Marker diameter and label font size in pixels.
MARKER_PX = 11
LABEL_FONT_PX = 11
#: Labels stay inside the drawn axes.
LABEL_BOUNDS = (-0.3, 10.3, -0.3, 10.3)


LabelBy = Literal["id", "statement", "rank"]


def landscape_figure(
    table: pd.DataFrame,
    *,
    thresholds: Thresholds = Thresholds(),
    label_top: int = 10,
    label_by: LabelBy = "id",
    compare: pd.DataFrame | None = None,
    compare_label: str = "Everyone",
    arrows_top: int = 20,
    min_move: float = 0.5,
    title: str = "",
    height: int = 700,
    label_px_per_unit: float | None = None,
) -> go.Figure:
    """The opportunity landscape: importance (x) against satisfaction (y), both 0-10.

    Parameters
    ----------
    table : pandas.DataFrame
        One segment's rows of :attr:`odi.analysis.scoring.ScoreResult.table` (``outcome_id,
        outcome, importance, satisfaction, opportunity`` at least; the interval, ``n_*``,
        ``p_underserved`` and ``small_n`` columns are shown on hover when present).
        Zones are recomputed from ``thresholds`` so points and lines always agree.
    thresholds : Thresholds
        The opportunity lines and zone bands.
    label_top : int
        Label only this many outcomes, the highest opportunity first (0 for none).
    label_by : {"id", "statement", "rank"}
        Label text: the outcome id, the statement cut to 28 characters, or the rank by
        opportunity (1 = highest; list the statements beside the chart with
        :func:`top_outcomes`).
    compare : pandas.DataFrame, optional
        Another table (usually everyone) of the same shape. Its positions are drawn
        faintly and arrows go from there to this table's positions.
    compare_label : str
        What ``compare`` is, for the legend and hover.
    arrows_top : int
        Draw at most this many arrows, the largest moves first.
    min_move : float
        Draw no arrow for a move shorter than this (in points of the 0-10 axes).
    title : str
        Figure title.
    height : int
        Figure height in pixels.
    label_px_per_unit : float, optional
        Pixels per axis unit assumed when placing labels (default: from ``height``). Give a
        smaller value when the chart is drawn narrower than it is tall.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: [comparison points], then one scatter per zone in :data:`ZONES` order
        (always present, possibly empty, so the legend is a complete key). Outcome
        points carry ``customdata = [outcome_id, "outcome"]``. Labels are annotations
        named ``"label:<outcome_id>"``, placed by :func:`odi.charts.labels.place_labels` so
        they overlap neither markers nor each other.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome_id": ["O1", "O2"], "outcome": ["Minimize a", "Increase b"],
    ...                   "importance": [8.0, 3.0], "satisfaction": [2.0, 6.0],
    ...                   "opportunity": [14.0, 3.0]})
    >>> fig = landscape_figure(t)
    >>> [tr.name for tr in fig.data if len(tr.x)]
    ['Underserved: high (12 ≤ O < 15)', 'Overserved (S > I)']
    >>> list(fig.layout.xaxis.range), fig.layout.dragmode
    ([-0.35, 10.35], 'select')
    >>> [a.text for a in fig.layout.annotations if (a.name or "").startswith("label:")]
    ['O1', 'O2']
    """
    _check_table(table)
    if label_top < 0:
        raise ValueError(f"label_top must be 0 or more; got {label_top}")
    if label_by not in ("id", "statement", "rank"):
        raise ValueError(f"label_by must be 'id', 'statement' or 'rank'; got {label_by!r}")

    imp = _num(table, "importance")
    sat = _num(table, "satisfaction")
    zones = zone_of(imp, sat, thresholds=thresholds)
    ids = table["outcome_id"].astype(str).to_numpy()
    plotted = np.isfinite(imp) & np.isfinite(sat)

    traces: list[Any] = []
    arrows: list[dict[str, Any]] = []
    extra: list[str] | None = None
    if compare is not None:
        cmp_trace, arrows, extra = _comparison(
            table, compare, compare_label, arrows_top=arrows_top, min_move=min_move
        )
        traces.append(cmp_trace)
    hover = _hover_texts(table, zones, thresholds, extra)
    traces.extend(_zone_traces(imp, sat, zones, plotted, ids, hover, thresholds))

    px_per_unit = label_px_per_unit or max(10.0, (height - 134) / 10.7)
    boxes = label_boxes(table, label_top=label_top, label_by=label_by, px_per_unit=px_per_unit)
    labels = _label_annotations(table, boxes)
    layout = _landscape_layout(thresholds, title=title, height=height)
    layout["annotations"] = [
        *_landscape_annotations(thresholds),
        *arrows,
        *labels,
        *_missing_note(int((~plotted).sum())),
    ]
    return go.Figure(data=traces, layout=layout)


def rank_order(table: pd.DataFrame) -> np.ndarray:
    """Row positions of the scored outcomes, highest opportunity first (ties by row order).

    Examples
    --------
    >>> t = pd.DataFrame({"importance": [5.0, 9.0, np.nan], "satisfaction": [5.0, 2.0, 1.0],
    ...                   "opportunity": [5.0, 16.0, np.nan]})
    >>> rank_order(t).tolist()
    [1, 0]
    """
    imp, sat, opp = (_num(table, c) for c in ("importance", "satisfaction", "opportunity"))
    plotted = np.flatnonzero(np.isfinite(imp) & np.isfinite(sat))
    keys = np.nan_to_num(opp[plotted], nan=-1.0)
    return plotted[np.argsort(-keys, kind="stable")]


def top_outcomes(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` highest-opportunity outcomes with their rank (the numbers on a chart drawn
    with ``label_by="rank"``): ``rank, outcome_id, outcome, opportunity``.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome_id": ["a", "b"], "outcome": ["A", "B"],
    ...                   "importance": [5.0, 9.0], "satisfaction": [5.0, 2.0],
    ...                   "opportunity": [5.0, 16.0]})
    >>> top_outcomes(t, 5)[["rank", "outcome_id"]].values.tolist()
    [[1, 'b'], [2, 'a']]
    """
    rows = table.iloc[rank_order(table)[: max(n, 0)]]
    out = rows[["outcome_id", "outcome", "opportunity"]].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def label_boxes(
    table: pd.DataFrame,
    *,
    label_top: int = 10,
    label_by: LabelBy = "id",
    px_per_unit: float = 40.0,
) -> list[LabelBox]:
    """Where :func:`landscape_figure` puts its labels: the top outcomes' boxes, clear of
    every marker and of each other (see :func:`odi.charts.labels.overlaps`).

    Examples
    --------
    >>> t = pd.DataFrame({"outcome_id": ["a", "b"], "outcome": ["A", "B"],
    ...                   "importance": [5.0, 5.1], "satisfaction": [5.0, 5.0],
    ...                   "opportunity": [5.0, 5.2]})
    >>> [b.text for b in label_boxes(t, label_by="rank")]
    ['1', '2']
    """
    chosen = rank_order(table)[: max(label_top, 0)]
    ids = table["outcome_id"].astype(str).tolist()
    if label_by == "id":
        texts = ids
    elif label_by == "statement":
        texts = [_short(s, 28) for s in table["outcome"].astype(str)]
    else:
        texts = [""] * len(table)
        for rank, i in enumerate(chosen, start=1):
            texts[i] = str(rank)
    return place_labels(
        _num(table, "importance"),
        _num(table, "satisfaction"),
        texts,
        chosen,
        px_per_unit=px_per_unit,
        font_px=LABEL_FONT_PX,
        marker_px=MARKER_PX,
        bounds=LABEL_BOUNDS,
    )


def _label_annotations(table: pd.DataFrame, boxes: list[LabelBox]) -> list[dict[str, Any]]:
    ids = table["outcome_id"].astype(str).tolist()
    imp, sat = _num(table, "importance"), _num(table, "satisfaction")
    notes = []
    for box in boxes:
        note: dict[str, Any] = {
            "name": f"label:{ids[box.index]}",
            "text": html.escape(box.text),
            "x": box.x,
            "y": box.y,
            "xref": "x",
            "yref": "y",
            "showarrow": False,
            "font": {"size": LABEL_FONT_PX, "color": INK},
            "bgcolor": "rgba(255,255,255,0.8)",
        }
        if box.leader:
            note.update(
                showarrow=True,
                ax=box.x,
                ay=box.y,
                axref="x",
                ayref="y",
                x=float(imp[box.index]),
                y=float(sat[box.index]),
                arrowhead=0,
                arrowwidth=0.8,
                arrowcolor=MUTED,
                standoff=MARKER_PX / 2,
            )
        notes.append(note)
    return notes


def _comparison(
    table: pd.DataFrame,
    compare: pd.DataFrame,
    compare_label: str,
    *,
    arrows_top: int,
    min_move: float,
) -> tuple[Any, list[dict[str, Any]], list[str]]:
    """The faint comparison points, the arrows from them, and the hover line they add."""
    _check_table(compare, what="compare")
    imp, sat, opp = (_num(table, c) for c in ("importance", "satisfaction", "opportunity"))
    ids = table["outcome_id"].astype(str).to_numpy()
    plotted = np.isfinite(imp) & np.isfinite(sat)
    other = compare.set_index(compare["outcome_id"].astype(str))
    ci = pd.Series(_num(compare, "importance"), index=other.index).reindex(ids).to_numpy()
    cs = pd.Series(_num(compare, "satisfaction"), index=other.index).reindex(ids).to_numpy()
    co = pd.Series(_num(compare, "opportunity"), index=other.index).reindex(ids).to_numpy()
    both = plotted & np.isfinite(ci) & np.isfinite(cs)
    extra = [
        f"{html.escape(compare_label)}: I {_f(ci[i])}, S {_f(cs[i])}, O {_f(co[i])}"
        f" (ΔO {opp[i] - co[i]:+.1f})"
        if both[i]
        else ""
        for i in range(len(ids))
    ]
    shown = np.flatnonzero(both)
    trace = go.Scatter(
        x=ci[both],
        y=cs[both],
        mode="markers",
        name=f"{compare_label} (for comparison)",
        marker={"symbol": "circle-open", "size": 8, "color": "#9AA0A6", "line": {"width": 1.2}},
        opacity=0.75,
        customdata=[[ids[i], OVERALL_ROLE] for i in shown],
        hovertext=[
            f"<b>{html.escape(ids[i])}</b> · {html.escape(compare_label)}<br>"
            f"I {_f(ci[i])} · S {_f(cs[i])} · O {_f(co[i])}"
            for i in shown
        ],
        hovertemplate="%{hovertext}<extra></extra>",
        legendrank=900,
    )
    move = np.hypot(imp - ci, sat - cs)
    movers = np.flatnonzero(both & (move >= min_move))
    movers = movers[np.argsort(-move[movers], kind="stable")][: max(arrows_top, 0)]
    arrows = [
        {
            "x": float(imp[i]),
            "y": float(sat[i]),
            "ax": float(ci[i]),
            "ay": float(cs[i]),
            "xref": "x",
            "yref": "y",
            "axref": "x",
            "ayref": "y",
            "text": "",
            "showarrow": True,
            "arrowhead": 2,
            "arrowsize": 1.1,
            "arrowwidth": 1.3,
            "arrowcolor": "rgba(70,75,85,0.55)",
            "standoff": 6,
            "startstandoff": 4,
        }
        for i in movers
    ]
    return trace, arrows, extra


def _zone_traces(
    imp: np.ndarray,
    sat: np.ndarray,
    zones: np.ndarray,
    plotted: np.ndarray,
    ids: np.ndarray,
    hover: list[str],
    thresholds: Thresholds,
) -> list[Any]:
    """One scatter per zone, in :data:`ZONES` order (empty ones too, for a full legend)."""
    traces = []
    for rank, zone in enumerate(ZONES):
        style = ZONE_STYLES[zone]
        idx = np.flatnonzero(plotted & (zones == zone))
        traces.append(
            go.Scatter(
                x=imp[idx],
                y=sat[idx],
                mode="markers",
                name=zone_label(zone, thresholds),
                legendrank=rank + 1,
                marker={
                    "symbol": style.symbol,
                    "color": style.colour,
                    "size": MARKER_PX,
                    "line": {"color": "white", "width": 1},
                },
                customdata=[[ids[i], OUTCOME_ROLE] for i in idx],
                hovertext=[hover[i] for i in idx],
                hovertemplate="%{hovertext}<extra></extra>",
                selected={"marker": {"opacity": 1.0}},
                unselected={"marker": {"opacity": 0.3}},
                cliponaxis=False,
            )
        )
    return traces


def _landscape_layout(t: Thresholds, *, title: str, height: int) -> dict[str, Any]:
    axis = {
        "range": [-0.35, 10.35],
        "tickmode": "array",
        "tickvals": list(range(11)),
        "fixedrange": True,
        "showgrid": True,
        "gridcolor": GRID,
        "zeroline": False,
        "showline": False,
        "constrain": "domain",
    }
    layout = _base_layout(title=title, height=height)
    layout.update(
        shapes=_landscape_shapes(t),
        xaxis={
            **axis,
            "title": {"text": "Importance (share rating it top-box, 0–10)", "standoff": 10},
            "ticks": "",
        },
        yaxis={
            **axis,
            "title": {"text": "Satisfaction (share rating it top-box, 0–10)", "standoff": 10},
            "scaleanchor": "x",
            "scaleratio": 1,
        },
        legend={
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": -0.12,
            "yanchor": "top",
            "font": {"size": 12},
            "itemclick": "toggle",
            "traceorder": "normal",
        },
        margin={"l": 60, "r": 130, "t": 56 if title else 24, "b": 110},
        dragmode="select",
        clickmode="event+select",
        hovermode="closest",
        selectdirection="any",
        newselection={"line": {"color": MUTED, "width": 1, "dash": "dot"}},
        uirevision="landscape",
    )
    return layout


def _landscape_shapes(t: Thresholds) -> list[dict[str, Any]]:
    base = {"type": "path", "layer": "below", "line": {"width": 0}, "xref": "x", "yref": "y"}
    shapes: list[dict[str, Any]] = [
        # overserved: above the diagonal (the underserved bands are painted over it
        # where a low threshold reaches above the diagonal)
        {
            **base,
            "path": _path([(0, 0), (0, 10), (10, 10)], closed=True),
            "fillcolor": ZONE_STYLES["overserved"].fill,
        },
    ]
    for zone, k in (
        ("underserved-solid", t.solid),
        ("underserved-high", t.high),
        ("underserved-extreme", t.extreme),
    ):
        if k < 20:
            shapes.append(
                {
                    **base,
                    "path": _path(_region(k), closed=True),
                    "fillcolor": ZONE_STYLES[zone].fill,
                }
            )
    line = {"type": "path", "layer": "below", "xref": "x", "yref": "y"}
    shapes.append(
        {
            **line,
            "path": _path([(0, 0), (10, 10)], closed=False),
            "line": {"color": "#8A8F98", "width": 1.2, "dash": "dash"},
        }
    )
    for k, dash in ((t.solid, "solid"), (t.high, "dash"), (t.extreme, "dot")):
        if k < 20:
            shapes.append(
                {
                    **line,
                    "path": _path(_line(k), closed=False),
                    "line": {"color": "#5B606B", "width": 1.3, "dash": dash},
                }
            )
    # a thin frame around the 0-10 box
    shapes.append(
        {
            "type": "rect",
            "layer": "below",
            "xref": "x",
            "yref": "y",
            "x0": 0,
            "y0": 0,
            "x1": 10,
            "y1": 10,
            "line": {"color": "#B8BCC4", "width": 1},
            "fillcolor": "rgba(0,0,0,0)",
        }
    )
    return shapes


def _landscape_annotations(t: Thresholds) -> list[dict[str, Any]]:
    small = {"xref": "x", "yref": "y", "showarrow": False, "font": {"size": 11, "color": MUTED}}
    return [*_boundary_labels(t, small), *_band_labels(t, small), *_region_labels(small)]


def _boundary_labels(t: Thresholds, small: dict[str, Any]) -> list[dict[str, Any]]:
    """The boundary lines, labelled where they leave the box."""
    notes: list[dict[str, Any]] = []
    for k in (t.solid, t.high, t.extreme):
        if k >= 20:
            continue
        if k >= 10:
            notes.append(
                {
                    **small,
                    "x": 10.05,
                    "y": 20 - k,
                    "text": f"O = {_g(k)}",
                    "xanchor": "left",
                    "yanchor": "middle",
                }
            )
        else:
            notes.append(
                {
                    **small,
                    "x": k,
                    "y": 10.05,
                    "text": f"O = {_g(k)}",
                    "xanchor": "center",
                    "yanchor": "bottom",
                }
            )
    return notes


def _band_labels(t: Thresholds, small: dict[str, Any]) -> list[dict[str, Any]]:
    """The underserved bands, named in the right margin beside the box."""
    notes: list[dict[str, Any]] = []
    bands = (
        ("underserved-solid", t.solid, t.high, "Solid"),
        ("underserved-high", t.high, t.extreme, "High"),
        ("underserved-extreme", t.extreme, 20.0, "Extreme"),
    )
    for zone, lo, hi, name in bands:
        y_top, y_bottom = min(10.0, 20 - lo), max(0.0, 20 - hi)
        if lo < 10 or y_top - y_bottom < 0.8:
            continue
        notes.append(
            {
                **small,
                "x": 10.05,
                "y": (y_top + y_bottom) / 2,
                "xanchor": "left",
                "yanchor": "middle",
                "text": f"<b>{name}</b><br>underserved",
                "font": {"size": 11, "color": ZONE_STYLES[zone].colour},
            }
        )
    return notes


def _region_labels(small: dict[str, Any]) -> list[dict[str, Any]]:
    """The overserved and appropriately served regions, and the diagonal S = I."""
    notes: list[dict[str, Any]] = []
    notes.append(
        {
            **small,
            "x": 0.25,
            "y": 9.75,
            "xanchor": "left",
            "yanchor": "top",
            "text": "Overserved<br>(S > I)",
            "font": {"size": 12, "color": ZONE_STYLES["overserved"].colour},
        }
    )
    notes.append(
        {
            **small,
            "x": 0.25,
            "y": 0.2,
            "xanchor": "left",
            "yanchor": "bottom",
            "text": "Appropriately served",
            "font": {"size": 12, "color": MUTED},
        }
    )
    notes.append(
        {
            **small,
            "x": 1.35,
            "y": 1.35,
            "text": "S = I",
            "textangle": -45,
            "xshift": -7,
            "yshift": 7,
            "font": {"size": 11, "color": "#8A8F98"},
        }
    )
    return notes


def _missing_note(n_missing: int) -> list[dict[str, Any]]:
    if not n_missing:
        return []
    return [
        {
            "xref": "paper",
            "yref": "paper",
            "x": 1.0,
            "y": 1.0,
            "xanchor": "right",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 11, "color": MUTED},
            "text": f"{n_missing} outcome{'s' if n_missing != 1 else ''} without a score not shown",
        }
    ]
