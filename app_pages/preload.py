"""Ask the browser for Plotly's bundle at the start of a session's first run.

Kept apart from ``_shared`` (which imports pandas, SQLAlchemy and ``odi``) so that ``app.py``
can call it before importing those: the browser then loads Plotly while the run imports,
opens the workspace and computes the page.
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

__all__ = ["plotly_bundle", "preload_chart_library"]


@functools.cache
def plotly_bundle() -> str | None:
    """The file name of Streamlit's Plotly chart bundle (named by a content hash that changes
    with Streamlit's version), or None if there is not exactly one."""
    found = sorted((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    return found[0].name if len(found) == 1 else None


def preload_chart_library() -> None:
    """Start loading Plotly in the browser now, once per session.

    The browser fetches Streamlit's Plotly bundle (about 5 MB) only when the first chart
    arrives, which on a busy machine takes a second or more after the page has been computed.
    Asked for at the start of the first run, it loads while the run computes the page. The
    element is hidden, so it takes no room; without the bundle's file it does nothing.
    """
    chunk = plotly_bundle()
    if chunk is None or st.session_state.get("_chart_library_preloaded"):
        return
    st.session_state["_chart_library_preloaded"] = True
    with st.sidebar.container(key="chart_preload"):
        st.html(f'<script>import("./static/js/{chunk}")</script>', unsafe_allow_javascript=True)
    st.html("<style>.st-key-chart_preload { display: none; }</style>")
