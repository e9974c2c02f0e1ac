"""Plotly figures for the workbench: the opportunity landscape, ranked bars, segment heatmap.

Pure functions from score tables to :class:`plotly.graph_objects.Figure`; no Streamlit.
The landscape's axes are fixed at 0-10 so charts compare across segments, and every
zone is told apart by both colour (Okabe-Ito, colour-blind safe) and marker symbol.

Selections: every outcome point carries ``customdata = [outcome_id, "outcome"]``, so a
Streamlit ``on_select`` event maps back to outcome ids with :func:`selected_outcome_ids`.
Faint comparison points carry ``[outcome_id, "overall"]`` and are ignored there.
:mod:`odi.charts.static` draws the same landscape as a PNG for cards and decks.
"""

from odi.charts.bars import ranked_bar_figure
from odi.charts.base import ZONE_STYLES, ZoneStyle, zone_label
from odi.charts.heatmap import segment_heatmap_figure
from odi.charts.landscape import landscape_figure
from odi.charts.selection import selected_outcome_ids

__all__ = [
    "ZONE_STYLES",
    "ZoneStyle",
    "landscape_figure",
    "ranked_bar_figure",
    "segment_heatmap_figure",
    "selected_outcome_ids",
    "zone_label",
]
