"""The segment heatmap: outcomes x segment values."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from odi.analysis.scoring import DEFAULT_MIN_N
from odi.charts.base import MUTED, _base_layout, _header_tick, _short, _wrap

# white -> amber -> vermillion for opportunity (0-20); blue <-> red for differences
_OPP_SCALE = [
    [0.0, "#FFFFFF"],
    [0.5, "#FBE3B4"],
    [0.6, "#F6C27A"],
    [0.75, "#EE8E3A"],
    [1.0, "#B8420B"],
]
_DIFF_SCALE = [
    [0.0, "#2166AC"],
    [0.25, "#92C5DE"],
    [0.5, "#F7F7F7"],
    [0.75, "#F4A582"],
    [1.0, "#B2182B"],
]


def segment_heatmap_figure(
    matrix: pd.DataFrame,
    *,
    mode: Literal["opportunity", "difference"] = "opportunity",
    significance: pd.DataFrame | None = None,
    n_by_segment: Mapping[str, int] | None = None,
    min_n: int = DEFAULT_MIN_N,
    statements: Mapping[str, str] | None = None,
    label_chars: int = 44,
    title: str = "",
) -> go.Figure:
    """Outcomes x segment values, coloured by opportunity or by its difference from overall.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Rows are outcomes (index: outcome ids), columns are segments, values are
        opportunities (0-20) or differences.
        :meth:`odi.analysis.significance.SegmentComparison.matrix`
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
        raise ValueError(
            f"matrix must be a DataFrame (outcomes x segments); got {type(matrix).__name__}"
        )
    if mode not in ("opportunity", "difference"):
        raise ValueError(f"mode must be 'opportunity' or 'difference'; got {mode!r}")
    if significance is not None and not isinstance(significance, pd.DataFrame):
        raise ValueError(
            f"significance must be a DataFrame of bool like the matrix; got "
            f"{type(significance).__name__}"
        )
    segs = [str(c) for c in matrix.columns]
    ids = [str(i) for i in matrix.index]
    values = matrix.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    sig = _aligned_significance(significance, ids, segs, values.shape)
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
    cell, hover = _cell_texts(
        values,
        sig,
        small_cols,
        ids=ids,
        headers=headers,
        statements=texts_all,
        mode=mode,
        min_n=min_n,
    )
    traces = _heatmap_traces(values, cell, hover, small_cols, headers=headers, rows=rows, mode=mode)
    layout = _heatmap_layout(headers, len(ids), min_n=min_n, title=title)
    return go.Figure(data=traces, layout=layout)


def _aligned_significance(
    significance: pd.DataFrame | None, ids: list[str], segs: list[str], shape: tuple[int, ...]
) -> np.ndarray:
    """The significance flags as a bool array shaped like the matrix."""
    if significance is None:
        return np.zeros(shape, dtype=bool)
    # aligned by label: a column or row the significance table lacks (``All``) is False
    aligned = significance.copy()
    aligned.index = aligned.index.astype(str)
    aligned.columns = aligned.columns.astype(str)
    return aligned.reindex(index=ids, columns=segs).eq(True).to_numpy(dtype=bool)


def _cell_texts(
    values: np.ndarray,
    sig: np.ndarray,
    small_cols: np.ndarray,
    *,
    ids: list[str],
    headers: list[str],
    statements: Mapping[str, str],
    mode: str,
    min_n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's shown value (bold with ``*`` when significant) and its hover text."""
    sign = "+" if mode == "difference" else ""
    cell = np.empty(values.shape, dtype=object)
    hover = np.empty(values.shape, dtype=object)
    what = "Opportunity" if mode == "opportunity" else "Opportunity vs overall"
    for r in range(values.shape[0]):
        statement = _wrap(statements.get(ids[r], ""))
        for c in range(values.shape[1]):
            v = values[r, c]
            txt = "" if not math.isfinite(v) else f"{round(v, 1) + 0.0:{sign}.1f}"
            if txt and sig[r, c]:
                txt = f"<b>{txt}*</b>"
            cell[r, c] = txt
            note = "<br><b>* significant difference</b> (BH-adjusted)" if sig[r, c] else ""
            if small_cols[c]:
                note += f"<br><i>Segment too small (n &lt; {min_n}): not compared</i>"
            hover[r, c] = (
                f"<b>{html.escape(ids[r])}</b> · {html.escape(headers[c])}<br>"
                f"{statement}<br>{what}: <b>{txt or '–'}</b>{note}"
            )
    return cell, hover


def _heatmap_traces(
    values: np.ndarray,
    cell: np.ndarray,
    hover: np.ndarray,
    small_cols: np.ndarray,
    *,
    headers: list[str],
    rows: list[str],
    mode: str,
) -> list[Any]:
    """The coloured heatmap and, when a segment is too small, the grey one over it."""
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
            z=main,
            x=headers,
            y=rows,
            text=np.where(small_cols[None, :], "", cell),
            texttemplate="%{text}",
            textfont={"size": 11},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar={
                "title": {"text": bar_title, "side": "right"},
                "thickness": 12,
                "len": min(1.0, 300 / max(300, 24 * len(rows))),
                "y": 1.0,
                "yanchor": "top",
                "outlinewidth": 0,
            },
            hoverongaps=False,
            **colour,
        )
    ]
    if small_cols.any():
        grey = np.where(small_cols[None, :], 0.0, np.nan)
        traces.append(
            go.Heatmap(
                z=grey,
                x=headers,
                y=rows,
                text=np.where(small_cols[None, :], cell, ""),
                texttemplate="%{text}",
                textfont={"size": 11, "color": "#9AA0A6"},
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                xgap=2,
                ygap=2,
                colorscale=[[0, "#F1F2F4"], [1, "#F1F2F4"]],
                showscale=False,
                hoverongaps=False,
            )
        )
    return traces


def _heatmap_layout(headers: list[str], n_rows: int, *, min_n: int, title: str) -> dict[str, Any]:
    """Category axes with the segment headers on top, and the note on stars and grey."""
    height = int(max(300, 150 + 24 * n_rows))
    layout = _base_layout(title=title, height=height)
    layout.update(
        xaxis={
            "side": "top",
            "tickangle": 0,
            "tickfont": {"size": 12},
            "showgrid": False,
            "type": "category",
            "automargin": True,
            "tickvals": headers,
            "ticktext": [_header_tick(h) for h in headers],
        },
        yaxis={
            "autorange": "reversed",
            "automargin": True,
            "tickfont": {"size": 12},
            "showgrid": False,
            "type": "category",
        },
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 80 if title else 50, "b": 40},
        annotations=[
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0.0,
                "y": 0.0,
                "yanchor": "top",
                "yshift": -8,
                "xanchor": "left",
                "showarrow": False,
                "font": {"size": 11, "color": MUTED},
                "text": (
                    "<b>*</b> significant difference from the rest (two-proportion "
                    "test on importance or satisfaction, Benjamini–Hochberg "
                    f"adjusted). Grey columns: fewer than {min_n} respondents."
                ),
            }
        ],
    )
    return layout
