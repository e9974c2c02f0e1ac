"""The opportunity landscape as a standalone, interactive HTML page that works offline.

The figure is :func:`odi.charts.landscape_figure`; plotly.js is embedded in the page
(about 4.8 MB), so it opens without a network. A header carries the study, the segment
definition, n, the method and the export date, all escaped.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from odi.analysis.scoring import Thresholds
from odi.charts import landscape_figure
from odi.exports.safety import html_text

__all__ = ["landscape_html"]

_CSS = """
body { margin: 16px 24px; color: #262730;
  font: 14px/1.4 "Source Sans 3", "Segoe UI", Helvetica, Arial, sans-serif; }
h1 { font-size: 20px; margin: 0 0 4px; }
.meta { color: #6B6F7B; margin: 0 0 2px; font-size: 13px; }
"""


def landscape_html(
    table: pd.DataFrame,
    *,
    study: str,
    definition: str,
    n: int,
    method: str,
    exported: date | None = None,
    title: str = "",
    thresholds: Thresholds = Thresholds(),
    highlight: tuple[str, ...] = (),
) -> bytes:
    """An interactive landscape page (UTF-8 bytes) with plotly.js embedded.

    Parameters
    ----------
    table : pandas.DataFrame
        One segment's score rows (see :func:`odi.charts.landscape_figure`).
    study, definition, n, method
        The study's name, the segment definition, its respondents and the method text.
    exported : datetime.date, optional
        Export date (today by default).
    title : str
        Page heading (default: "Opportunity landscape: <study>").
    thresholds : Thresholds
    highlight : tuple of str
        Outcome ids to label in any case (e.g. a persona's pins).
    """
    day = date.today() if exported is None else exported
    heading = title or f"Opportunity landscape: {study}"
    fig = landscape_figure(table, thresholds=thresholds, title="", height=720)
    if highlight:
        ids = table["outcome_id"].astype(str)
        pinned = table.loc[ids.isin(highlight)]
        fig.add_scatter(
            x=pinned["importance"],
            y=pinned["satisfaction"],
            mode="markers",
            name="Pinned",
            hoverinfo="skip",
            marker={
                "symbol": "circle-open",
                "size": 18,
                "color": "#262730",
                "line": {"width": 1.5},
            },
        )
    plot = fig.to_html(full_html=False, include_plotlyjs=True, config={"displaylogo": False})
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html_text(heading)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{html_text(heading)}</h1>\n"
        f'<p class="meta">Study: {html_text(study)} · Segment: {html_text(definition)} · '
        f"n = {int(n)} respondents · Exported {day.isoformat()}</p>\n"
        f'<p class="meta">Method: {html_text(method)}</p>\n'
        f"{plot}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
