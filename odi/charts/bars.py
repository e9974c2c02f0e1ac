"""Ranked opportunity bars with interval whiskers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from odi.analysis.scoring import ZONES, Thresholds, zone_of
from odi.charts.base import (
    GRID,
    INK,
    MUTED,
    OUTCOME_ROLE,
    ZONE_STYLES,
    _base_layout,
    _check_table,
    _g,
    _hover_texts,
    _num,
    _short,
    zone_label,
)
from odi.survey import JOB_STEPS


def _step_order(steps: Iterable[str]) -> list[str]:
    present = list(dict.fromkeys(str(s) for s in steps))
    known = [s for s in JOB_STEPS if s in present]
    rest = sorted(s for s in present if s not in JOB_STEPS and s)
    return known + rest + ([""] if "" in present else [])


def ranked_bar_figure(
    table: pd.DataFrame,
    *,
    thresholds: Thresholds = Thresholds(),
    group_by_step: bool = False,
    top: int | None = None,
    label_chars: int = 52,
    title: str = "",
) -> go.Figure:
    """Horizontal bars of opportunity, highest first, with interval error bars.

    Bars are coloured by zone (legend entries give the rules); a hatched bar means the
    opportunity interval crosses the underserved threshold (``crosses_threshold``), so
    its zone is uncertain. A dotted line marks the threshold. The height grows with the
    number of rows (22 px each), and long statements are cut on the axis, in full on
    hover.

    Parameters
    ----------
    table : pandas.DataFrame
        One segment's score rows (as for :func:`landscape_figure`).
    thresholds : Thresholds
        Zone thresholds; the line is drawn at ``thresholds.solid``.
    group_by_step : bool
        Group the bars by job step (job-map order), highest first within each step.
    top : int, optional
        Show only the ``top`` highest-opportunity outcomes.
    label_chars : int
        Cut axis labels to this many characters.
    title : str
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0 holds every bar (``customdata = [outcome_id, "outcome"]``); the other
        traces are legend keys only.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome_id": ["O1", "O2"], "outcome": ["a", "b"],
    ...                   "importance": [8.0, 3.0], "satisfaction": [2.0, 6.0],
    ...                   "opportunity": [14.0, 3.0], "opportunity_low": [12.0, 2.0],
    ...                   "opportunity_high": [15.5, 4.0]})
    >>> fig = ranked_bar_figure(t)
    >>> fig.data[0].x.tolist(), [c[0] for c in fig.data[0].customdata]
    ([14.0, 3.0], ['O1', 'O2'])
    """
    _check_table(table)
    if top is not None and top < 1:
        raise ValueError(f"top must be a positive number of outcomes or None; got {top}")
    frame = _ranked_rows(table, thresholds=thresholds, group_by_step=group_by_step, top=top)
    lo = _num(frame, "opportunity_low")
    hi = _num(frame, "opportunity_high")
    crosses = (
        frame["crosses_threshold"].fillna(False).astype(bool).to_numpy()
        if "crosses_threshold" in frame.columns
        else (lo < thresholds.solid) & (hi >= thresholds.solid)
    )
    traces = [
        _opportunity_bars(
            frame,
            crosses,
            thresholds=thresholds,
            group_by_step=group_by_step,
            label_chars=label_chars,
        ),
        *_legend_keys(frame["_zone"], crosses, thresholds=thresholds, group_by_step=group_by_step),
    ]
    n_steps = len(set(frame["_step"])) if group_by_step else 0
    layout = _ranked_layout(len(frame), n_steps, thresholds=thresholds, title=title)
    return go.Figure(data=traces, layout=layout)


def _ranked_rows(
    table: pd.DataFrame, *, thresholds: Thresholds, group_by_step: bool, top: int | None
) -> pd.DataFrame:
    """The rows to draw, in bar order, with ``_opp``, ``_zone`` and ``_step`` added."""
    imp = _num(table, "importance")
    sat = _num(table, "satisfaction")
    frame = table.assign(
        _opp=_num(table, "opportunity"),
        _zone=zone_of(imp, sat, thresholds=thresholds),
        _step=(table["job_step"].fillna("").astype(str) if "job_step" in table.columns else ""),
    )
    frame = frame.loc[np.isfinite(frame["_opp"].to_numpy(dtype=float))]
    frame = frame.sort_values("_opp", ascending=False, kind="stable")
    if top is not None:
        frame = frame.head(top)
    if group_by_step:
        steps = _step_order(frame["_step"])
        step_rank = {s: i for i, s in enumerate(steps)}
        frame = frame.assign(_rank=frame["_step"].map(step_rank)).sort_values(
            ["_rank", "_opp"], ascending=[True, False], kind="stable"
        )
    ranked: pd.DataFrame = frame
    return ranked


def _opportunity_bars(
    frame: pd.DataFrame,
    crosses: np.ndarray,
    *,
    thresholds: Thresholds,
    group_by_step: bool,
    label_chars: int,
) -> go.Bar:
    """Trace 0: every bar, coloured by zone, hatched where the interval crosses."""
    opp = frame["_opp"].to_numpy(dtype=float)
    lo = _num(frame, "opportunity_low")
    hi = _num(frame, "opportunity_high")
    ids = frame["outcome_id"].astype(str).tolist()
    zones = frame["_zone"].to_numpy()
    labels = [
        f"{oid}  {_short(s, label_chars)}"
        for oid, s in zip(ids, frame["outcome"].astype(str), strict=True)
    ]
    hover = _hover_texts(frame, zones, thresholds)
    hover = [
        h
        + (
            "<br><b>± Interval crosses O = " + _g(thresholds.solid) + "</b>: the zone is uncertain"
            if c
            else ""
        )
        for h, c in zip(hover, crosses, strict=True)
    ]
    y: Any = labels
    if group_by_step:
        y = [[s or "(no step)" for s in frame["_step"]], labels]

    colours = [ZONE_STYLES[z].colour if z in ZONE_STYLES else "#BBBBBB" for z in zones]
    has_ci = np.isfinite(lo) & np.isfinite(hi)
    return go.Bar(
        x=opp,
        y=y,
        orientation="h",
        name="Opportunity",
        showlegend=False,
        marker={
            "color": colours,
            "line": {
                "color": [INK if c else "rgba(0,0,0,0)" for c in crosses],
                "width": [1.6 if c else 0 for c in crosses],
            },
            "pattern": {
                "shape": ["/" if c else "" for c in crosses],
                "fillmode": "overlay",
                "fgcolor": "white",
                "fgopacity": 0.9,
                "size": 7,
                "solidity": 0.3,
            },
        },
        error_x={
            "type": "data",
            "symmetric": False,
            "array": np.where(has_ci, hi - opp, np.nan),
            "arrayminus": np.where(has_ci, opp - lo, np.nan),
            "color": "#3C4048",
            "thickness": 1.1,
            "width": 3,
        },
        customdata=[[oid, OUTCOME_ROLE] for oid in ids],
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _legend_keys(
    zones: pd.Series, crosses: np.ndarray, *, thresholds: Thresholds, group_by_step: bool
) -> list[go.Bar]:
    """Empty bars that only give the legend its entries: each zone shown, and the hatch."""
    empty_y: Any = [None] if not group_by_step else [[None], [None]]
    present = set(zones)
    keys = [
        go.Bar(
            x=[None],
            y=empty_y,
            orientation="h",
            name=zone_label(zone, thresholds),
            marker={"color": ZONE_STYLES[zone].colour},
            legendrank=rank + 1,
            hoverinfo="skip",
        )
        for rank, zone in enumerate(ZONES)
        if zone in present
    ]
    if crosses.any():
        keys.append(
            go.Bar(
                x=[None],
                y=empty_y,
                orientation="h",
                name=f"Interval crosses O = {_g(thresholds.solid)}",
                legendrank=10,
                hoverinfo="skip",
                marker={
                    "color": "#B0B4BB",
                    "line": {"color": INK, "width": 1.6},
                    "pattern": {
                        "shape": "/",
                        "fillmode": "overlay",
                        "fgcolor": "white",
                        "size": 7,
                        "solidity": 0.3,
                    },
                },
            )
        )
    return keys


def _ranked_layout(n: int, n_steps: int, *, thresholds: Thresholds, title: str) -> dict[str, Any]:
    """Axes, threshold lines, the threshold note (or the empty-chart note) and legend."""
    height = int(max(320, 130 + 22 * n + 18 * n_steps))
    layout = _base_layout(title=title, height=height)
    layout.update(
        barmode="overlay",
        bargap=0.3,
        xaxis={
            "title": {
                "text": "Opportunity (0–20) · whiskers: 95% interval",
                "font": {"size": 13},
                "standoff": 8,
            },
            "range": [0, 20.5],
            "tickvals": list(range(0, 21, 2)),
            "gridcolor": GRID,
            "zeroline": False,
            "side": "top",
            "fixedrange": True,
        },
        yaxis={
            "autorange": "reversed",
            "automargin": True,
            "tickfont": {"size": 12},
            "fixedrange": False,
            "ticks": "",
            "showgrid": False,
        },
        shapes=_threshold_lines(thresholds),
        annotations=_threshold_note(thresholds, n),
        legend={
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 0.01,
            "yanchor": "bottom",
            "yref": "container",
            "font": {"size": 12},
            "traceorder": "normal",
        },
        margin={"l": 10, "r": 20, "t": 130 if title else 96, "b": 90},
        dragmode=False,
        hovermode="closest",
    )
    return layout


def _threshold_lines(thresholds: Thresholds) -> list[dict[str, Any]]:
    """Vertical lines: dashed at the underserved threshold, dotted at the higher ones."""
    return [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": k,
            "x1": k,
            "y0": 0,
            "y1": 1,
            "layer": layer,
            "line": {"color": c, "width": w, "dash": d},
        }
        for k, c, w, d, layer in (
            (thresholds.solid, INK, 1.4, "dash", "above"),
            (thresholds.high, "#9AA0A6", 1, "dot", "below"),
            (thresholds.extreme, "#9AA0A6", 1, "dot", "below"),
        )
    ]


def _threshold_note(thresholds: Thresholds, n: int) -> list[dict[str, Any]]:
    """The note under the threshold line, or the empty-chart note when there are no rows."""
    if not n:
        return [
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "text": "No scored outcomes to show",
                "font": {"size": 14, "color": MUTED},
            }
        ]
    return [
        {
            "xref": "x",
            "yref": "paper",
            "x": thresholds.solid,
            "y": 0.0,
            "yanchor": "top",
            "xanchor": "center",
            "showarrow": False,
            "text": f"underserved ≥ {_g(thresholds.solid)}",
            "font": {"size": 11, "color": INK},
        }
    ]
