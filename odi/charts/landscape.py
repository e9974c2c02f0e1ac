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
    _place_labels,
    _region,
    _short,
    zone_label,
)


def landscape_figure(
    table: pd.DataFrame,
    *,
    thresholds: Thresholds = Thresholds(),
    label_top: int = 10,
    label_by: Literal["id", "statement"] = "id",
    compare: pd.DataFrame | None = None,
    compare_label: str = "Everyone",
    arrows_top: int = 20,
    min_move: float = 0.5,
    title: str = "",
    height: int = 700,
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
    label_by : {"id", "statement"}
        Label text: the outcome id, or the statement cut to 28 characters.
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

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: [comparison points], then one scatter per zone in :data:`ZONES` order
        (always present, possibly empty, so the legend is a complete key). Outcome
        points carry ``customdata = [outcome_id, "outcome"]``.

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
    """
    _check_table(table)
    if label_top < 0:
        raise ValueError(f"label_top must be 0 or more; got {label_top}")
    if label_by not in ("id", "statement"):
        raise ValueError(f"label_by must be 'id' or 'statement'; got {label_by!r}")

    imp = _num(table, "importance")
    sat = _num(table, "satisfaction")
    opp = _num(table, "opportunity")
    zones = zone_of(imp, sat, thresholds=thresholds)
    ids = table["outcome_id"].astype(str).to_numpy()
    plotted = np.isfinite(imp) & np.isfinite(sat)

    # labels: the top outcomes by opportunity
    order = np.argsort(np.where(plotted, -np.nan_to_num(opp, nan=-1.0), np.inf), kind="stable")
    chosen = order[: min(label_top, int(plotted.sum()))]
    if label_by == "id":
        label_text = list(ids)
    else:
        label_text = [_short(s, 28) for s in table["outcome"].astype(str)]
    positions = _place_labels(imp, sat, label_text, chosen)
    is_labelled = np.zeros(len(table), dtype=bool)
    is_labelled[chosen] = True

    extra: list[str] | None = None
    arrows: list[dict[str, Any]] = []
    traces: list[Any] = []
    if compare is not None:
        _check_table(compare, what="compare")
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
        cmp_hover = [
            f"<b>{html.escape(ids[i])}</b> · {html.escape(compare_label)}<br>"
            f"I {_f(ci[i])} · S {_f(cs[i])} · O {_f(co[i])}"
            for i in range(len(ids))
        ]
        traces.append(
            go.Scatter(
                x=ci[both],
                y=cs[both],
                mode="markers",
                name=f"{compare_label} (for comparison)",
                marker={
                    "symbol": "circle-open",
                    "size": 8,
                    "color": "#9AA0A6",
                    "line": {"width": 1.2},
                },
                opacity=0.75,
                customdata=[[ids[i], OVERALL_ROLE] for i in np.flatnonzero(both)],
                hovertext=[cmp_hover[i] for i in np.flatnonzero(both)],
                hovertemplate="%{hovertext}<extra></extra>",
                legendrank=900,
            )
        )
        move = np.hypot(imp - ci, sat - cs)
        movers = np.flatnonzero(both & (move >= min_move))
        movers = movers[np.argsort(-move[movers], kind="stable")][: max(arrows_top, 0)]
        for i in movers:
            arrows.append(
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
            )

    hover = _hover_texts(table, zones, thresholds, extra)
    for rank, zone in enumerate(ZONES):
        style = ZONE_STYLES[zone]
        idx = np.flatnonzero(plotted & (zones == zone))
        traces.append(
            go.Scatter(
                x=imp[idx],
                y=sat[idx],
                mode="markers+text",
                name=zone_label(zone, thresholds),
                legendrank=rank + 1,
                marker={
                    "symbol": style.symbol,
                    "color": style.colour,
                    "size": 11,
                    "line": {"color": "white", "width": 1},
                },
                text=[label_text[i] if is_labelled[i] else "" for i in idx],
                textposition=[positions[i] for i in idx],
                textfont={"size": 11, "color": INK},
                customdata=[[ids[i], OUTCOME_ROLE] for i in idx],
                hovertext=[hover[i] for i in idx],
                hovertemplate="%{hovertext}<extra></extra>",
                selected={"marker": {"opacity": 1.0}},
                unselected={"marker": {"opacity": 0.3}},
                cliponaxis=False,
            )
        )

    layout = _base_layout(title=title, height=height)
    layout.update(
        shapes=_landscape_shapes(thresholds),
        annotations=[
            *_landscape_annotations(thresholds),
            *arrows,
            *_missing_note(int((~plotted).sum())),
        ],
        xaxis={
            "title": {"text": "Importance (share rating it top-box, 0–10)", "standoff": 10},
            "range": [-0.35, 10.35],
            "tickmode": "array",
            "tickvals": list(range(11)),
            "fixedrange": True,
            "showgrid": True,
            "gridcolor": GRID,
            "zeroline": False,
            "showline": False,
            "constrain": "domain",
            "ticks": "",
        },
        yaxis={
            "title": {"text": "Satisfaction (share rating it top-box, 0–10)", "standoff": 10},
            "range": [-0.35, 10.35],
            "tickmode": "array",
            "tickvals": list(range(11)),
            "fixedrange": True,
            "showgrid": True,
            "gridcolor": GRID,
            "zeroline": False,
            "showline": False,
            "scaleanchor": "x",
            "scaleratio": 1,
            "constrain": "domain",
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
    return go.Figure(data=traces, layout=layout)


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
    notes: list[dict[str, Any]] = []
    # the boundary lines, labelled where they leave the box
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
    # the underserved bands, named in the right margin beside the box
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
