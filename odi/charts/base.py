"""Shared pieces of the workbench charts: zone styles, labels, number formats, label placement."""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from odi.analysis.scoring import ZONES, Thresholds
from odi.scale import SCORE_INTERVAL_COLUMNS

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


def _base_layout(*, title: str, height: int) -> dict[str, Any]:
    return {
        "template": "none",
        "height": height,
        "font": {"family": FONT, "size": 13, "color": INK},
        "title": {"text": html.escape(title), "x": 0.0, "xanchor": "left", "font": {"size": 17}}
        if title
        else None,
        "hoverlabel": {
            "bgcolor": "white",
            "bordercolor": "#C9CDD4",
            "font": {"family": FONT, "size": 12, "color": INK},
            "align": "left",
        },
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
    }


def _hover_texts(
    table: pd.DataFrame,
    zones: np.ndarray,
    thresholds: Thresholds,
    extra: Sequence[str] | None = None,
) -> list[str]:
    ids = table["outcome_id"].astype(str).tolist()
    statements = table["outcome"].astype(str).tolist()
    cols = {
        c: _num(table, c)
        for c in (*SCORE_INTERVAL_COLUMNS, "n_importance", "n_satisfaction", "p_underserved")
    }
    small, weak = (
        table[c].fillna(False).astype(bool).to_numpy()
        if c in table.columns
        else np.zeros(len(table), dtype=bool)
        for c in ("small_n", "weak_interval")
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
        elif weak[i]:
            parts.append("<i>Few answers in or outside the top box: the interval is unsure</i>")
        if extra is not None and extra[i]:
            parts.append(extra[i])
        texts.append("<br>".join(parts))
    return texts
