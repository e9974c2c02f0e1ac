"""The wave comparison as a slope chart: each outcome's opportunity in wave 1 and wave 2."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from odi.charts.base import FONT, GRID, INK, MUTED

__all__ = ["wave_slope_figure"]

_UP = "#D55E00"  # opportunity grew: a need got worse
_DOWN = "#0072B2"  # opportunity fell: a need got better served
_SAME = "#B8BCC6"


def wave_slope_figure(
    table: pd.DataFrame,
    *,
    threshold: float = 10.0,
    labels: tuple[str, str] = ("Wave 1", "Wave 2"),
) -> go.Figure:
    """One line per outcome from its wave-1 to its wave-2 opportunity.

    Significant changes are coloured (orange when the opportunity grew, blue when it fell) and
    labelled; the rest are grey. The dashed line is the underserved threshold.

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`odi.analysis.waves.WaveComparison.table`.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome_id": ["O1"], "outcome": ["Go"], "opportunity_1": [8.0],
    ...                   "opportunity_2": [12.5], "change": [4.5], "significant": [True],
    ...                   "p_adjusted": [0.001]})
    >>> len(wave_slope_figure(t).data)
    1
    """
    for col in ("outcome_id", "outcome", "opportunity_1", "opportunity_2", "significant"):
        if col not in table.columns:
            raise ValueError(f"the wave table needs a {col!r} column; got {list(table.columns)}")
    fig = go.Figure()
    order = np.argsort(table["significant"].to_numpy(dtype=bool), kind="stable")
    for i in order:
        row = table.iloc[i]
        o1, o2 = float(row["opportunity_1"]), float(row["opportunity_2"])
        sig = bool(row["significant"])
        colour = (_UP if o2 > o1 else _DOWN) if sig else _SAME
        text = html.escape(str(row["outcome"]))
        p = row.get("p_adjusted", np.nan)
        hover = (
            f"<b>{html.escape(str(row['outcome_id']))}</b> {text}<br>"
            f"{labels[0]} {o1:.1f} → {labels[1]} {o2:.1f} (change {o2 - o1:+.1f}; "
            f"adjusted p {float(p):.3g})<extra></extra>"
        )
        fig.add_trace(
            go.Scatter(
                x=list(labels),
                y=[o1, o2],
                mode="lines+markers+text" if sig else "lines+markers",
                line={"color": colour, "width": 2.5 if sig else 1},
                marker={"size": 7 if sig else 4, "color": colour},
                text=["", str(row["outcome_id"])] if sig else None,
                textposition="middle right",
                hovertemplate=hover,
                showlegend=False,
                name=str(row["outcome_id"]),
            )
        )
    fig.add_hline(
        y=threshold,
        line={"color": MUTED, "dash": "dash", "width": 1},
        annotation_text=f"underserved from {threshold:g}",
        annotation_position="top left",
    )
    fig.update_layout(
        font={"family": FONT, "color": INK},
        height=520,
        margin={"l": 40, "r": 60, "t": 30, "b": 30},
        plot_bgcolor="white",
        yaxis={"title": "Opportunity", "range": [0, 20], "gridcolor": GRID},
        xaxis={"range": [-0.3, 1.4]},
    )
    return fig
