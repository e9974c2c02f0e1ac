"""Figures for needs-based segmentation: the criteria per k, and the cluster sizes.

The cluster x outcome heatmap reuses :func:`odi.charts.heatmap.segment_heatmap_figure`.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"k": [2, 3], "stability": [0.5, 0.9], "silhouette": [0.2, 0.3],
...                   "silhouette_gain": [0.01, 0.1], "min_share": [0.4, 0.3]})
>>> [tr.name for tr in criteria_figure(t, recommended_k=3).data]
['stability (mean ARI)', 'silhouette', 'silhouette gain over shuffled', 'smallest share']
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from odi.charts.base import _base_layout

__all__ = ["criteria_figure", "sizes_figure"]

_SERIES = (
    ("stability", "stability (mean ARI)", "#0072B2"),
    ("silhouette", "silhouette", "#E69F00"),
    ("silhouette_gain", "silhouette gain over shuffled", "#009E73"),
    ("min_share", "smallest share", "#999999"),
)


def criteria_figure(
    table: pd.DataFrame, *, recommended_k: int | None, min_stability: float = 0.75
) -> go.Figure:
    """The criteria per k as lines, the stability bar dashed, the recommended k marked."""
    fig = go.Figure()
    for column, name, colour in _SERIES:
        fig.add_trace(
            go.Scatter(
                x=table["k"],
                y=table[column],
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": "dot" if column == "min_share" else "solid"},
            )
        )
    fig.add_hline(
        y=min_stability,
        line={"dash": "dash", "color": "#0072B2", "width": 1},
        annotation_text="stable from here",
    )
    if recommended_k is not None:
        fig.add_vline(
            x=recommended_k,
            line={"color": "#D55E00", "width": 2},
            annotation_text=f"recommended k = {recommended_k}",
        )
    fig.update_layout(**_base_layout(title="Criteria per k", height=360))
    fig.update_xaxes(title="k (number of segments)", dtick=1)
    fig.update_yaxes(title="value", range=[min(0.0, float(table["silhouette_gain"].min())), 1.05])
    return fig


def sizes_figure(labels: Sequence[str], sizes: Sequence[int]) -> go.Figure:
    """Respondents per cluster, as horizontal bars (largest on top)."""
    fig = go.Figure(
        go.Bar(
            x=list(sizes),
            y=list(labels),
            orientation="h",
            text=[str(n) for n in sizes],
            textposition="auto",
            marker={"color": "#0072B2"},
        )
    )
    fig.update_layout(**_base_layout(title="Cluster sizes", height=80 + 40 * len(sizes)))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="respondents")
    return fig
