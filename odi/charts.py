"""Plotly figures for the workbench: the opportunity landscape, ranked bars, segment heatmap.

Pure functions from score tables to :class:`plotly.graph_objects.Figure`; no Streamlit.
The landscape's axes are fixed at 0-10 so charts compare across segments, and every
zone is told apart by both colour (Okabe-Ito, colour-blind safe) and marker symbol.

Selections: every outcome point carries ``customdata = [outcome_id, "outcome"]``, so a
Streamlit ``on_select`` event maps back to outcome ids with :func:`selected_outcome_ids`.
Faint comparison points carry ``[outcome_id, "overall"]`` and are ignored there.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from odi.scoring import ZONES, Thresholds, zone_of
from odi.survey import JOB_STEPS

__all__ = [
    "ZONE_STYLES",
    "ZoneStyle",
    "landscape_figure",
    "ranked_bar_figure",
    "segment_heatmap_figure",
    "selected_outcome_ids",
    "zone_label",
]

#: ``customdata[1]`` of the points that stand for outcomes (selectable).
OUTCOME_ROLE = "outcome"
#: ``customdata[1]`` of the faint comparison points (ignored by selections).
OVERALL_ROLE = "overall"

FONT = "Inter, 'Source Sans 3', 'Helvetica Neue', Arial, sans-serif"
INK = "#262730"
MUTED = "#6B6F7B"
GRID = "#E6E8EC"


@dataclass(frozen=True, slots=True)
class ZoneStyle:
    """How one zone is drawn: point colour, marker symbol and background tint."""

    colour: str
    symbol: str
    fill: str


#: Zone -> style. Okabe-Ito colours; symbols differ too, so colour is never the only cue.
ZONE_STYLES: dict[str, ZoneStyle] = {
    "underserved-extreme": ZoneStyle("#D55E00", "diamond", "#F9DDCC"),
    "underserved-high": ZoneStyle("#E69F00", "triangle-up", "#FCEBC7"),
    "underserved-solid": ZoneStyle("#CC79A7", "square", "#F8EAF2"),
    "appropriately-served": ZoneStyle("#7A7A7A", "circle", "#FFFFFF"),
    "overserved": ZoneStyle("#0072B2", "triangle-down", "#E3EEF6"),
}

REQUIRED = ("outcome_id", "outcome", "importance", "satisfaction", "opportunity")


def _g(x: float) -> str:
    return f"{x:g}"


def zone_label(zone: str, thresholds: Thresholds = Thresholds()) -> str:
    """Legend label of a zone, with its rule.

    Examples
    --------
    >>> zone_label("underserved-high")
    'Underserved: high (12 ≤ O < 15)'
    >>> zone_label("overserved")
    'Overserved (S > I)'
    """
    t = thresholds
    labels = {
        "underserved-extreme": f"Underserved: extreme (O ≥ {_g(t.extreme)})",
        "underserved-high": f"Underserved: high ({_g(t.high)} ≤ O < {_g(t.extreme)})",
        "underserved-solid": f"Underserved: solid ({_g(t.solid)} ≤ O < {_g(t.high)})",
        "appropriately-served": "Appropriately served",
        "overserved": "Overserved (S > I)",
    }
    if zone not in labels:
        raise ValueError(f"zone must be one of {list(labels)}; got {zone!r}")
    return labels[zone]


# --------------------------------------------------------------------------- helpers


def _check_table(table: pd.DataFrame, *, what: str = "table") -> None:
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{what} must be a pandas DataFrame of scores; got {type(table).__name__}")
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise ValueError(
            f"{what} must have the score columns {list(REQUIRED)}; missing {missing} "
            f"(pass ScoreResult.for_segment(...) or one segment of ScoreResult.table)"
        )
    dup = table["outcome_id"][table["outcome_id"].duplicated()]
    if len(dup):
        raise ValueError(
            f"{what} must have one row per outcome (one segment); got outcome "
            f"{dup.iloc[0]!r} more than once. Filter to one segment with "
            "ScoreResult.for_segment(name)"
        )


def _num(table: pd.DataFrame, col: str) -> np.ndarray:
    if col not in table.columns:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float)


def _f(x: float, digits: int = 1) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def _n(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{int(x):,}"


def _interval(lo: float, hi: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return ""
    return f" ({lo:.1f}–{hi:.1f})"


def _wrap(text: str, width: int = 60) -> str:
    lines = textwrap.wrap(str(text), width=width) or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _header_tick(header: str) -> str:
    """A column header on two or more lines: the name wrapped, then its "(n=...)" part."""
    name, sep, rest = header.partition(" (")
    return _wrap(name, 18) + (f"<br>({html.escape(rest, quote=False)}" if sep else "")


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _region(k: float) -> list[tuple[float, float]]:
    """Polygon of {opportunity >= k} inside the 0-10 box (I on x, S on y)."""
    if k < 10:
        # O >= k where S <= 2I - k, or where I >= k (above the diagonal O = I).
        return [(k / 2, 0.0), (k, k), (k, 10.0), (10.0, 10.0), (10.0, 0.0)]
    return [(k / 2, 0.0), (10.0, 20.0 - k), (10.0, 0.0)]


def _line(k: float) -> list[tuple[float, float]]:
    """The boundary opportunity = k inside the box."""
    if k < 10:
        return [(k / 2, 0.0), (k, k), (k, 10.0)]
    return [(k / 2, 0.0), (10.0, 20.0 - k)]


def _path(points: Sequence[tuple[float, float]], *, closed: bool) -> str:
    coords = [f"{x:.4g},{y:.4g}" for x, y in points]
    body = " L ".join(c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1])
    return f"M {body}{' Z' if closed else ''}"


# Approximate size of label text in data units of the 0-10 landscape (11 px font,
# about 55 px per unit at the default size); good enough to keep labels apart.
_CHAR_W = 0.12
_LINE_H = 0.28
_POSITIONS: tuple[tuple[str, float, float], ...] = (
    # textposition, horizontal anchor (-1 left of point, 0 centred, 1 right), vertical
    ("top center", 0.0, 1.0),
    ("bottom center", 0.0, -1.0),
    ("middle right", 1.0, 0.0),
    ("middle left", -1.0, 0.0),
    ("top right", 1.0, 1.0),
    ("top left", -1.0, 1.0),
    ("bottom right", 1.0, -1.0),
    ("bottom left", -1.0, -1.0),
)


def _place_labels(
    x: np.ndarray, y: np.ndarray, labels: list[str], chosen: np.ndarray
) -> list[str]:
    """Greedy text positions: avoid other labels, nearby markers and the box edges."""
    positions = ["top center"] * len(x)
    boxes: list[tuple[float, float, float, float]] = []
    ok = np.isfinite(x) & np.isfinite(y)
    px, py = x[ok], y[ok]
    for i in chosen:
        w = max(len(labels[i]), 1) * _CHAR_W
        h = _LINE_H
        best, best_cost = "top center", math.inf
        for pos, hx, vy in _POSITIONS:
            gap = 0.18
            cx = x[i] + hx * (w / 2 + gap)
            cy = y[i] + vy * (h / 2 + gap)
            x0, x1, y0, y1 = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
            cost = 0.0
            # leaving the plotting box
            cost += 4 * (max(0.0, -0.25 - x0) + max(0.0, x1 - 10.25))
            cost += 4 * (max(0.0, -0.25 - y0) + max(0.0, y1 - 10.25))
            for bx0, bx1, by0, by1 in boxes:
                ox = max(0.0, min(x1, bx1) - max(x0, bx0))
                oy = max(0.0, min(y1, by1) - max(y0, by0))
                cost += 10 * ox * oy / (w * h)
            inside = (px > x0 - 0.1) & (px < x1 + 0.1) & (py > y0 - 0.1) & (py < y1 + 0.1)
            cost += 0.6 * float(inside.sum())
            if vy == 0:
                cost += 0.05  # mild preference for above / below
            if cost < best_cost:
                best, best_cost = pos, cost
        positions[i] = best
        hx, vy = next((a, b) for p, a, b in _POSITIONS if p == best)
        cx = x[i] + hx * (w / 2 + 0.18)
        cy = y[i] + vy * (h / 2 + 0.18)
        boxes.append((cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2))
    return positions


def _base_layout(*, title: str, height: int) -> dict[str, Any]:
    return {
        "template": "none",
        "height": height,
        "font": {"family": FONT, "size": 13, "color": INK},
        "title": {"text": html.escape(title), "x": 0.0, "xanchor": "left",
                  "font": {"size": 17}} if title else None,
        "hoverlabel": {"bgcolor": "white", "bordercolor": "#C9CDD4",
                       "font": {"family": FONT, "size": 12, "color": INK}, "align": "left"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
    }


# --------------------------------------------------------------------------- landscape


def _hover_texts(
    table: pd.DataFrame,
    zones: np.ndarray,
    thresholds: Thresholds,
    extra: Sequence[str] | None = None,
) -> list[str]:
    ids = table["outcome_id"].astype(str).tolist()
    statements = table["outcome"].astype(str).tolist()
    cols = {c: _num(table, c) for c in (
        "importance", "importance_low", "importance_high",
        "satisfaction", "satisfaction_low", "satisfaction_high",
        "opportunity", "opportunity_low", "opportunity_high",
        "n_importance", "n_satisfaction", "p_underserved",
    )}
    small = (
        table["small_n"].fillna(False).astype(bool).to_numpy()
        if "small_n" in table.columns else np.zeros(len(table), dtype=bool)
    )
    labels = {z: zone_label(z, thresholds) for z in ZONES}
    texts = []
    for i in range(len(table)):
        parts = [
            f"<b>{html.escape(ids[i])}</b> · {labels.get(zones[i], 'no score')}",
            _wrap(statements[i]),
            "",
            f"Importance <b>{_f(cols['importance'][i])}</b>"
            f"{_interval(cols['importance_low'][i], cols['importance_high'][i])}"
            f" · n = {_n(cols['n_importance'][i])}",
            f"Satisfaction <b>{_f(cols['satisfaction'][i])}</b>"
            f"{_interval(cols['satisfaction_low'][i], cols['satisfaction_high'][i])}"
            f" · n = {_n(cols['n_satisfaction'][i])}",
            f"Opportunity <b>{_f(cols['opportunity'][i])}</b>"
            f"{_interval(cols['opportunity_low'][i], cols['opportunity_high'][i])}",
        ]
        p = cols["p_underserved"][i]
        if math.isfinite(p):
            parts.append(f"P(O ≥ {_g(thresholds.solid)}) = {p:.2f}")
        if small[i]:
            parts.append("<i>Fewer answers than the minimum: read with care</i>")
        if extra is not None and extra[i]:
            parts.append(extra[i])
        texts.append("<br>".join(parts))
    return texts


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
        One segment's rows of :attr:`odi.scoring.ScoreResult.table` (``outcome_id,
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
            f" (ΔO {opp[i] - co[i]:+.1f})" if both[i] else ""
            for i in range(len(ids))
        ]
        cmp_hover = [
            f"<b>{html.escape(ids[i])}</b> · {html.escape(compare_label)}<br>"
            f"I {_f(ci[i])} · S {_f(cs[i])} · O {_f(co[i])}"
            for i in range(len(ids))
        ]
        traces.append(
            go.Scatter(
                x=ci[both], y=cs[both], mode="markers",
                name=f"{compare_label} (for comparison)",
                marker={"symbol": "circle-open", "size": 8, "color": "#9AA0A6",
                        "line": {"width": 1.2}},
                opacity=0.75,
                customdata=[[ids[i], OVERALL_ROLE] for i in np.flatnonzero(both)],
                hovertext=[cmp_hover[i] for i in np.flatnonzero(both)],
                hovertemplate="%{hovertext}<extra></extra>",
                legendrank=900,
            )
        )
        move = np.hypot(imp - ci, sat - cs)
        movers = np.flatnonzero(both & (move >= min_move))
        movers = movers[np.argsort(-move[movers], kind="stable")][:max(arrows_top, 0)]
        for i in movers:
            arrows.append({
                "x": float(imp[i]), "y": float(sat[i]), "ax": float(ci[i]), "ay": float(cs[i]),
                "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "text": "",
                "showarrow": True, "arrowhead": 2, "arrowsize": 1.1, "arrowwidth": 1.3,
                "arrowcolor": "rgba(70,75,85,0.55)", "standoff": 6, "startstandoff": 4,
            })

    hover = _hover_texts(table, zones, thresholds, extra)
    for rank, zone in enumerate(ZONES):
        style = ZONE_STYLES[zone]
        idx = np.flatnonzero(plotted & (zones == zone))
        traces.append(
            go.Scatter(
                x=imp[idx], y=sat[idx], mode="markers+text",
                name=zone_label(zone, thresholds),
                legendrank=rank + 1,
                marker={"symbol": style.symbol, "color": style.colour, "size": 11,
                        "line": {"color": "white", "width": 1}},
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
        annotations=[*_landscape_annotations(thresholds), *arrows,
                     *_missing_note(int((~plotted).sum()))],
        xaxis={
            "title": {"text": "Importance (share rating it top-box, 0–10)", "standoff": 10},
            "range": [-0.35, 10.35], "tickmode": "array", "tickvals": list(range(11)),
            "fixedrange": True, "showgrid": True, "gridcolor": GRID, "zeroline": False,
            "showline": False, "constrain": "domain", "ticks": "",
        },
        yaxis={
            "title": {"text": "Satisfaction (share rating it top-box, 0–10)", "standoff": 10},
            "range": [-0.35, 10.35], "tickmode": "array", "tickvals": list(range(11)),
            "fixedrange": True, "showgrid": True, "gridcolor": GRID, "zeroline": False,
            "showline": False, "scaleanchor": "x", "scaleratio": 1, "constrain": "domain",
        },
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.12,
                "yanchor": "top", "font": {"size": 12}, "itemclick": "toggle",
                "traceorder": "normal"},
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
        {**base, "path": _path([(0, 0), (0, 10), (10, 10)], closed=True),
         "fillcolor": ZONE_STYLES["overserved"].fill},
    ]
    for zone, k in (("underserved-solid", t.solid), ("underserved-high", t.high),
                    ("underserved-extreme", t.extreme)):
        if k < 20:
            shapes.append({**base, "path": _path(_region(k), closed=True),
                           "fillcolor": ZONE_STYLES[zone].fill})
    line = {"type": "path", "layer": "below", "xref": "x", "yref": "y"}
    shapes.append({**line, "path": _path([(0, 0), (10, 10)], closed=False),
                   "line": {"color": "#8A8F98", "width": 1.2, "dash": "dash"}})
    for k, dash in ((t.solid, "solid"), (t.high, "dash"), (t.extreme, "dot")):
        if k < 20:
            shapes.append({**line, "path": _path(_line(k), closed=False),
                           "line": {"color": "#5B606B", "width": 1.3, "dash": dash}})
    # a thin frame around the 0-10 box
    shapes.append({"type": "rect", "layer": "below", "xref": "x", "yref": "y",
                   "x0": 0, "y0": 0, "x1": 10, "y1": 10,
                   "line": {"color": "#B8BCC4", "width": 1}, "fillcolor": "rgba(0,0,0,0)"})
    return shapes


def _landscape_annotations(t: Thresholds) -> list[dict[str, Any]]:
    small = {"xref": "x", "yref": "y", "showarrow": False, "font": {"size": 11, "color": MUTED}}
    notes: list[dict[str, Any]] = []
    # the boundary lines, labelled where they leave the box
    for k in (t.solid, t.high, t.extreme):
        if k >= 20:
            continue
        if k >= 10:
            notes.append({**small, "x": 10.05, "y": 20 - k, "text": f"O = {_g(k)}",
                          "xanchor": "left", "yanchor": "middle"})
        else:
            notes.append({**small, "x": k, "y": 10.05, "text": f"O = {_g(k)}",
                          "xanchor": "center", "yanchor": "bottom"})
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
        notes.append({
            **small, "x": 10.05, "y": (y_top + y_bottom) / 2, "xanchor": "left",
            "yanchor": "middle",
            "text": f"<b>{name}</b><br>underserved",
            "font": {"size": 11, "color": ZONE_STYLES[zone].colour},
        })
    notes.append({**small, "x": 0.25, "y": 9.75, "xanchor": "left", "yanchor": "top",
                  "text": "Overserved<br>(S > I)",
                  "font": {"size": 12, "color": ZONE_STYLES["overserved"].colour}})
    notes.append({**small, "x": 0.25, "y": 0.2, "xanchor": "left", "yanchor": "bottom",
                  "text": "Appropriately served", "font": {"size": 12, "color": MUTED}})
    notes.append({**small, "x": 1.35, "y": 1.35, "text": "S = I", "textangle": -45,
                  "xshift": -7, "yshift": 7, "font": {"size": 11, "color": "#8A8F98"}})
    return notes


def _missing_note(n_missing: int) -> list[dict[str, Any]]:
    if not n_missing:
        return []
    return [{
        "xref": "paper", "yref": "paper", "x": 1.0, "y": 1.0, "xanchor": "right",
        "yanchor": "bottom", "showarrow": False, "font": {"size": 11, "color": MUTED},
        "text": f"{n_missing} outcome{'s' if n_missing != 1 else ''} without a score not shown",
    }]


# --------------------------------------------------------------------------- selection


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


# --------------------------------------------------------------------------- ranked bars


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
    imp = _num(table, "importance")
    sat = _num(table, "satisfaction")
    frame = table.assign(
        _opp=_num(table, "opportunity"),
        _zone=zone_of(imp, sat, thresholds=thresholds),
        _step=(table["job_step"].fillna("").astype(str) if "job_step" in table.columns
               else ""),
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

    opp = frame["_opp"].to_numpy(dtype=float)
    lo = _num(frame, "opportunity_low")
    hi = _num(frame, "opportunity_high")
    crosses = (
        frame["crosses_threshold"].fillna(False).astype(bool).to_numpy()
        if "crosses_threshold" in frame.columns
        else (lo < thresholds.solid) & (hi >= thresholds.solid)
    )
    ids = frame["outcome_id"].astype(str).tolist()
    zones = frame["_zone"].to_numpy()
    labels = [f"{oid}  {_short(s, label_chars)}" for oid, s in
              zip(ids, frame["outcome"].astype(str), strict=True)]
    hover = _hover_texts(frame, zones, thresholds)
    hover = [h + ("<br><b>± Interval crosses O = " + _g(thresholds.solid) + "</b>: the zone "
                  "is uncertain" if c else "") for h, c in zip(hover, crosses, strict=True)]
    y: Any = labels
    if group_by_step:
        y = [[s or "(no step)" for s in frame["_step"]], labels]

    colours = [ZONE_STYLES[z].colour if z in ZONE_STYLES else "#BBBBBB" for z in zones]
    has_ci = np.isfinite(lo) & np.isfinite(hi)
    traces: list[Any] = [
        go.Bar(
            x=opp, y=y, orientation="h", name="Opportunity", showlegend=False,
            marker={"color": colours, "line": {"color": [INK if c else "rgba(0,0,0,0)"
                                                         for c in crosses],
                                               "width": [1.6 if c else 0 for c in crosses]},
                    "pattern": {"shape": ["/" if c else "" for c in crosses],
                                "fillmode": "overlay", "fgcolor": "white", "fgopacity": 0.9,
                                "size": 7, "solidity": 0.3}},
            error_x={"type": "data", "symmetric": False,
                     "array": np.where(has_ci, hi - opp, np.nan),
                     "arrayminus": np.where(has_ci, opp - lo, np.nan),
                     "color": "#3C4048", "thickness": 1.1, "width": 3},
            customdata=[[oid, OUTCOME_ROLE] for oid in ids],
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        )
    ]
    for rank, zone in enumerate(ZONES):
        if zone in set(zones):
            traces.append(go.Bar(x=[None], y=[None] if not group_by_step else [[None], [None]],
                                 orientation="h", name=zone_label(zone, thresholds),
                                 marker={"color": ZONE_STYLES[zone].colour},
                                 legendrank=rank + 1, hoverinfo="skip"))
    if crosses.any():
        traces.append(go.Bar(
            x=[None], y=[None] if not group_by_step else [[None], [None]], orientation="h",
            name=f"Interval crosses O = {_g(thresholds.solid)}", legendrank=10, hoverinfo="skip",
            marker={"color": "#B0B4BB", "line": {"color": INK, "width": 1.6},
                    "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": "white",
                                "size": 7, "solidity": 0.3}},
        ))

    n = len(frame)
    height = int(max(320, 130 + 22 * n + (18 * len(set(frame["_step"])) if group_by_step else 0)))
    layout = _base_layout(title=title, height=height)
    layout.update(
        barmode="overlay",
        bargap=0.3,
        xaxis={"title": {"text": "Opportunity (0–20) · whiskers: 95% interval",
                         "font": {"size": 13}, "standoff": 8},
               "range": [0, 20.5], "tickvals": list(range(0, 21, 2)), "gridcolor": GRID,
               "zeroline": False, "side": "top", "fixedrange": True},
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 12},
               "fixedrange": False, "ticks": "", "showgrid": False},
        shapes=[
            {"type": "line", "xref": "x", "yref": "paper", "x0": k, "x1": k, "y0": 0, "y1": 1,
             "layer": layer, "line": {"color": c, "width": w, "dash": d}}
            for k, c, w, d, layer in ((thresholds.solid, INK, 1.4, "dash", "above"),
                                      (thresholds.high, "#9AA0A6", 1, "dot", "below"),
                                      (thresholds.extreme, "#9AA0A6", 1, "dot", "below"))
        ],
        annotations=[{"xref": "x", "yref": "paper", "x": thresholds.solid, "y": 0.0,
                      "yanchor": "top", "xanchor": "center", "showarrow": False,
                      "text": f"underserved ≥ {_g(thresholds.solid)}",
                      "font": {"size": 11, "color": INK}}] if n else [
                     {"xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5,
                      "showarrow": False, "text": "No scored outcomes to show",
                      "font": {"size": 14, "color": MUTED}}],
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": 0.01, "yanchor": "bottom",
                "yref": "container", "font": {"size": 12}, "traceorder": "normal"},
        margin={"l": 10, "r": 20, "t": 130 if title else 96, "b": 90},
        dragmode=False,
        hovermode="closest",
    )
    return go.Figure(data=traces, layout=layout)


# --------------------------------------------------------------------------- heatmap

# white -> amber -> vermillion for opportunity (0-20); blue <-> red for differences
_OPP_SCALE = [[0.0, "#FFFFFF"], [0.5, "#FBE3B4"], [0.6, "#F6C27A"], [0.75, "#EE8E3A"],
              [1.0, "#B8420B"]]
_DIFF_SCALE = [[0.0, "#2166AC"], [0.25, "#92C5DE"], [0.5, "#F7F7F7"], [0.75, "#F4A582"],
               [1.0, "#B2182B"]]


def segment_heatmap_figure(
    matrix: pd.DataFrame,
    *,
    mode: Literal["opportunity", "difference"] = "opportunity",
    significance: pd.DataFrame | None = None,
    n_by_segment: Mapping[str, int] | None = None,
    min_n: int = 30,
    statements: Mapping[str, str] | None = None,
    label_chars: int = 44,
    title: str = "",
) -> go.Figure:
    """Outcomes x segment values, coloured by opportunity or by its difference from overall.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Rows are outcomes (index: outcome ids), columns are segments, values are
        opportunities (0-20) or differences. :meth:`odi.significance.SegmentComparison.matrix`
        builds it.
    mode : {"opportunity", "difference"}
        Colour scale: sequential 0-20, or diverging around 0.
    significance : pandas.DataFrame of bool, optional
        Aligned to the matrix by outcome id and segment (missing cells are False): True
        cells get a bold value and a ``*``.
    n_by_segment : mapping of str to int, optional
        Respondents per segment, shown in the column header (``"SDR (n=24)"``).
        Segments with fewer than ``min_n`` are greyed out.
    min_n : int
        Smallest segment shown in colour.
    statements : mapping of str to str, optional
        Outcome id -> statement, for the row labels (cut) and hover (full).
    label_chars : int
        Cut row labels to this many characters.
    title : str
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0 is the coloured heatmap; trace 1 (if any segment is small) the grey one.

    Examples
    --------
    >>> m = pd.DataFrame({"VP": [14.0, 6.0], "SDR": [9.0, 7.0]}, index=["O1", "O2"])
    >>> fig = segment_heatmap_figure(m, n_by_segment={"VP": 120, "SDR": 12})
    >>> list(fig.layout.xaxis.ticktext)
    ['VP<br>(n=120)', 'SDR<br>(n=12, too few)']
    """
    if not isinstance(matrix, pd.DataFrame):
        raise ValueError(f"matrix must be a DataFrame (outcomes x segments); got "
                         f"{type(matrix).__name__}")
    if mode not in ("opportunity", "difference"):
        raise ValueError(f"mode must be 'opportunity' or 'difference'; got {mode!r}")
    if significance is not None and not isinstance(significance, pd.DataFrame):
        raise ValueError(f"significance must be a DataFrame of bool like the matrix; got "
                         f"{type(significance).__name__}")
    segs = [str(c) for c in matrix.columns]
    ids = [str(i) for i in matrix.index]
    values = matrix.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if significance is None:
        sig = np.zeros(values.shape, dtype=bool)
    else:
        # aligned by label: a column or row the significance table lacks (``All``) is False
        aligned = significance.copy()
        aligned.index = aligned.index.astype(str)
        aligned.columns = aligned.columns.astype(str)
        sig = aligned.reindex(index=ids, columns=segs).eq(True).to_numpy(dtype=bool)
    n_map = {str(k): int(v) for k, v in (n_by_segment or {}).items()}
    small_cols = np.array([s in n_map and n_map[s] < min_n for s in segs], dtype=bool)
    texts_all = statements or {}

    headers = []
    for s in segs:
        if s in n_map:
            headers.append(f"{s} (n={n_map[s]:,}{', too few' if n_map[s] < min_n else ''})")
        else:
            headers.append(s)
    rows = [f"{i}  {_short(texts_all.get(i, ''), label_chars)}".rstrip() for i in ids]

    sign = "+" if mode == "difference" else ""
    cell = np.empty(values.shape, dtype=object)
    hover = np.empty(values.shape, dtype=object)
    what = "Opportunity" if mode == "opportunity" else "Opportunity vs overall"
    for r in range(values.shape[0]):
        statement = _wrap(texts_all.get(ids[r], ""))
        for c in range(values.shape[1]):
            v = values[r, c]
            txt = "" if not math.isfinite(v) else f"{round(v, 1) + 0.0:{sign}.1f}"
            if txt and sig[r, c]:
                txt = f"<b>{txt}*</b>"
            cell[r, c] = txt
            note = ("<br><b>* significant difference</b> (BH-adjusted)" if sig[r, c] else "")
            if small_cols[c]:
                note += f"<br><i>Segment too small (n &lt; {min_n}): not compared</i>"
            hover[r, c] = (f"<b>{html.escape(ids[r])}</b> · {html.escape(headers[c])}<br>"
                           f"{statement}<br>{what}: <b>{txt or '–'}</b>{note}")

    if mode == "opportunity":
        colour = {"colorscale": _OPP_SCALE, "zmin": 0.0, "zmax": 20.0}
        bar_title = "Opportunity"
    else:
        finite = np.abs(values[np.isfinite(values) & ~small_cols[None, :]])
        span = max(2.0, float(np.ceil(finite.max())) if finite.size else 2.0)
        colour = {"colorscale": _DIFF_SCALE, "zmin": -span, "zmax": span, "zmid": 0.0}
        bar_title = "Δ vs overall"
    main = np.where(small_cols[None, :], np.nan, values)
    traces: list[Any] = [
        go.Heatmap(
            z=main, x=headers, y=rows, text=np.where(small_cols[None, :], "", cell),
            texttemplate="%{text}", textfont={"size": 11}, hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>", xgap=2, ygap=2,
            colorbar={"title": {"text": bar_title, "side": "right"}, "thickness": 12,
                      "len": min(1.0, 300 / max(300, 24 * len(ids))), "y": 1.0,
                      "yanchor": "top", "outlinewidth": 0},
            hoverongaps=False, **colour,
        )
    ]
    if small_cols.any():
        grey = np.where(small_cols[None, :], 0.0, np.nan)
        traces.append(go.Heatmap(
            z=grey, x=headers, y=rows, text=np.where(small_cols[None, :], cell, ""),
            texttemplate="%{text}",
            textfont={"size": 11, "color": "#9AA0A6"}, hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>", xgap=2, ygap=2,
            colorscale=[[0, "#F1F2F4"], [1, "#F1F2F4"]], showscale=False, hoverongaps=False,
        ))
    height = int(max(300, 150 + 24 * len(ids)))
    layout = _base_layout(title=title, height=height)
    layout.update(
        xaxis={"side": "top", "tickangle": 0, "tickfont": {"size": 12}, "showgrid": False,
               "type": "category", "automargin": True,
               "tickvals": headers, "ticktext": [_header_tick(h) for h in headers]},
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 12},
               "showgrid": False, "type": "category"},
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 80 if title else 50, "b": 40},
        annotations=[{"xref": "paper", "yref": "paper", "x": 0.0, "y": 0.0, "yanchor": "top",
                      "yshift": -8, "xanchor": "left", "showarrow": False,
                      "font": {"size": 11, "color": MUTED},
                      "text": ("<b>*</b> significant difference from the rest (two-proportion "
                               "test on importance or satisfaction, Benjamini–Hochberg "
                               f"adjusted). Grey columns: fewer than {min_n} respondents.")}],
    )
    return go.Figure(data=traces, layout=layout)
