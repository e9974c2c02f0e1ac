"""Static (PNG) charts for PDF and PPTX exports, drawn with matplotlib.

They need no browser (unlike Plotly's image export), render in a fraction of a second,
and use matplotlib's object API with the Agg canvas, so no global pyplot state is
touched and they are safe to call from a server.

The landscape follows :func:`odi.charts.landscape_figure`: importance on x and
satisfaction on y, both fixed at 0-10; the opportunity lines O = 10, 12 and 15 and the
diagonal S = I; points coloured *and* shaped by zone (Okabe-Ito colours from
:data:`odi.charts.ZONE_STYLES`).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from odi.analysis.scoring import ZONES, Thresholds, zone_of
from odi.charts import ZONE_STYLES, zone_label
from odi.charts.labels import place_labels

__all__ = ["MARKERS", "landscape_png"]

#: Plotly marker symbol -> matplotlib marker.
MARKERS: dict[str, str] = {
    "diamond": "D",
    "triangle-up": "^",
    "square": "s",
    "circle": "o",
    "triangle-down": "v",
}

_REQUIRED = ("outcome_id", "importance", "satisfaction")


def _zone_line(k: float) -> tuple[list[float], list[float]]:
    """Points of the line O = k (S = 2I - k) inside the 0-10 box, below the diagonal."""
    i0 = k / 2
    i1 = min(10.0, (k + 10) / 2)
    return [i0, i1], [2 * i0 - k, 2 * i1 - k]


#: Font size of the point labels, in points.
LABEL_PT = 6.5
#: Marker area in points squared (matplotlib's ``s``).
MARKER_AREA = 26


def _draw_labels(
    ax: Any,
    imp: np.ndarray,
    sat: np.ndarray,
    ids: np.ndarray,
    opp: np.ndarray,
    ring: np.ndarray,
    *,
    label_top: int,
    size: tuple[float, float],
) -> None:
    """Label the top outcomes and the ringed ones, placed clear of markers and each other
    (:func:`odi.charts.labels.place_labels`, in points: 72 per inch)."""
    order = np.argsort(-opp, kind="stable")[: max(label_top, 0)]
    chosen = list(dict.fromkeys([*np.flatnonzero(ring).tolist(), *order.tolist()]))
    side_in = min(size[0] * (0.94 - 0.11), size[1] * (0.97 - 0.2))
    boxes = place_labels(
        imp,
        sat,
        [str(i) for i in ids],
        chosen,
        px_per_unit=side_in * 72 / 10,
        font_px=LABEL_PT,
        marker_px=float(np.sqrt(MARKER_AREA)),
    )
    for box in boxes:
        ax.annotate(
            box.text,
            (imp[box.index], sat[box.index]),
            xytext=(box.x, box.y),
            textcoords="data",
            ha="center",
            va="center",
            fontsize=LABEL_PT,
            color="#262730",
            zorder=5,
            arrowprops={"arrowstyle": "-", "color": "#9A9A9A", "linewidth": 0.5}
            if box.leader
            else None,
        )


def landscape_png(
    table: pd.DataFrame,
    *,
    thresholds: Thresholds = Thresholds(),
    label_top: int = 10,
    highlight: Iterable[str] = (),
    title: str = "",
    size: tuple[float, float] = (4.6, 5.2),
    dpi: int = 150,
) -> bytes:
    """The opportunity landscape of one score table as PNG bytes.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :attr:`odi.analysis.scoring.ScoreResult.table` (one segment): ``outcome_id,
        importance, satisfaction`` at least. Rows with missing scores are left out.
    thresholds : Thresholds
        The opportunity lines and zones.
    label_top : int
        Label this many outcomes (highest opportunity first) with their ids.
    highlight : iterable of str
        Outcome ids to ring and label too (e.g. a persona's pins).
    title : str
        Chart title.
    size : tuple of float
        Width and height in inches.
    dpi : int
        Resolution.

    Returns
    -------
    bytes
        A PNG image.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome_id": ["O1", "O2"], "importance": [8.0, 3.0],
    ...                   "satisfaction": [2.0, 6.0]})
    >>> landscape_png(t, dpi=40)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    missing = [c for c in _REQUIRED if c not in table.columns]
    if missing:
        raise ValueError(
            f"the landscape needs the columns {', '.join(_REQUIRED)}; missing {', '.join(missing)}"
        )
    imp = table["importance"].to_numpy(dtype=float)
    sat = table["satisfaction"].to_numpy(dtype=float)
    ok = ~(np.isnan(imp) | np.isnan(sat))
    ids = table["outcome_id"].astype(str).to_numpy()[ok]
    imp, sat = imp[ok], sat[ok]
    opp = imp + np.maximum(imp - sat, 0.0)
    zones = zone_of(imp, sat, thresholds=thresholds)
    rings = set(map(str, highlight))

    fig = Figure(figsize=size, dpi=dpi)
    # Fixed margins: faster than a layout engine, and room below for the legend.
    fig.subplots_adjust(left=0.11, right=0.94, top=0.94 if title else 0.97, bottom=0.2)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.set_aspect("equal")
    ax.set_xlabel("Importance (0-10)")
    ax.set_ylabel("Satisfaction (0-10)")
    ax.set_xticks(range(0, 11, 2))
    ax.set_yticks(range(0, 11, 2))
    ax.grid(color="#E6E8EC", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.plot([0, 10], [0, 10], color="#9A9A9A", linewidth=0.9, linestyle=":", zorder=1)
    for k in (thresholds.solid, thresholds.high, thresholds.extreme):
        xs, ys = _zone_line(k)
        ax.plot(xs, ys, color="#6B6F7B", linewidth=0.9, linestyle="--", zorder=1)
        ax.annotate(
            f"O={k:g}",
            (xs[1], ys[1]),
            xytext=(-3, 2),
            textcoords="offset points",
            ha="right",
            fontsize=6.5,
            color="#6B6F7B",
        )
    for zone in ZONES:
        sel = zones == zone
        style = ZONE_STYLES[zone]
        ax.scatter(
            imp[sel],
            sat[sel],
            s=MARKER_AREA,
            marker=MARKERS[style.symbol],
            color=style.colour,
            edgecolors="white",
            linewidths=0.5,
            label=zone_label(zone, thresholds),
            zorder=3,
        )
    ring = np.isin(ids, list(rings))
    if ring.any():
        ax.scatter(
            imp[ring],
            sat[ring],
            s=110,
            facecolors="none",
            edgecolors="#262730",
            linewidths=1.0,
            zorder=4,
            label="Pinned",
        )
    _draw_labels(ax, imp, sat, ids, opp, ring, label_top=label_top, size=size)
    if title:
        ax.set_title(title, fontsize=9, loc="left")
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=2,
        fontsize=6.5,
        frameon=False,
    )
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # Glyphs DejaVu lacks (emoji in an id or title) are drawn as boxes.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
