"""Serve the ODI Workbench to a team: ``python serve.py [streamlit options]`` (``make serve``).

The same app as ``streamlit run app.py [options]`` (``make run``), served as an ``st.App``
that is ready before anyone connects, so the first visitor's first screen waits for none of
the set-up. It takes about a second longer to start, so on your own machine, where you open
the app as it starts, ``make run`` shows the first chart sooner; on a server that starts
before its visitors arrive, this is quicker:

- the first screen's modules are imported before the server listens (pandas, SQLAlchemy,
  Plotly, ``odi``: about a second, which a first run would otherwise spend);
- at start-up (the app's lifespan), the workspace is opened (created, migrated and seeded on
  first use) and the default study's file parsed into the app's own caches;
- every page is served with a ``Link`` header asking the browser to preload Streamlit's
  Plotly bundle (about 5 MB) and the bundles of the first screen's widgets, which it would
  otherwise fetch one after another as the first run's elements arrive; they then load
  alongside Streamlit's own scripts.

If any of the warm-up fails, the first run does the work itself and shows any error as usual.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app_pages.preload import plotly_bundle

#: What the first screen (the landscape) imports, in the order a run would.
WARM_MODULES = ("app_pages._shared", "odi.charts.landscape", "plotly.graph_objects")

LOG = logging.getLogger("odi.serve")


@contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Only errors from ``logger`` while the block runs."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def import_first_screen() -> None:
    """Import what the first screen imports (a no-op for a module that fails to import: the
    first run then reports it)."""
    with _quiet("streamlit.runtime.caching.cache_data_api"):
        # Decorating a cached function before the runtime exists warns that there is no
        # runtime; the caches themselves are looked up when called, in the runtime's storage.
        for name in WARM_MODULES:
            try:
                importlib.import_module(name)
            except Exception:
                LOG.warning("warm-up: cannot import %s", name, exc_info=True)


def prepare_first_screen() -> None:
    """Fill the workspace and import caches the first run reads; never raises."""
    # Cached functions called outside a script run warn that there is no ScriptRunContext;
    # that is expected here.
    with _quiet("streamlit.runtime.scriptrunner_utils.script_run_context"):
        try:
            importlib.import_module("app_pages._shared").prepare_first_screen()
        except Exception:  # the first run does the work itself and reports any error
            LOG.warning("warm-up skipped", exc_info=True)


@asynccontextmanager
async def _lifespan(_app: st.App) -> AsyncIterator[None]:
    """Runs once the Streamlit runtime has started, before the server takes requests."""
    await asyncio.to_thread(prepare_first_screen)
    yield


#: Streamlit's bundles of what the first screen draws besides its chart (file names start
#: with these; a name Streamlit no longer ships is skipped).
FIRST_SCREEN_BUNDLES = ("Html", "Selectbox", "Multiselect", "Metric", "NumberInput", "TextField")


@functools.cache
def _preload_links() -> bytes | None:
    """The ``Link`` header value: Plotly's bundle and the first screen's other bundles."""
    plotly = plotly_bundle()
    if plotly is None:
        return None
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    names = [plotly, *(p.name for n in FIRST_SCREEN_BUNDLES for p in folder.glob(f"{n}.*.js"))]
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}/static/js/" if base else "/static/js/"
    return ", ".join(f"<{prefix}{name}>; rel=modulepreload" for name in names).encode()


class PreloadBundles:
    """ASGI middleware: a ``Link: <...PlotlyChart...js>; rel=modulepreload, ...`` header on
    every HTML response (the app's page, whatever its path)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        link = _preload_links()
        if scope["type"] != "http" or link is None:
            await self.app(scope, receive, send)
            return

        async def send_with_link(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if dict(headers).get(b"content-type", b"").startswith(b"text/html"):
                    message = {**message, "headers": [*headers, (b"link", link)]}
            await send(message)

        await self.app(scope, receive, send_with_link)


def main(argv: list[str]) -> None:
    """``streamlit run serve.py`` with ``argv`` as options: Streamlit finds ``app`` below and
    serves it (its command line exits when the server stops)."""
    from streamlit.web import cli

    cli.main(["run", str(Path(__file__).resolve()), *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
else:  # imported by the server: warm up, then the app it serves
    import_first_screen()
    app = st.App(
        str(Path(__file__).resolve().with_name("app.py")),
        lifespan=_lifespan,
        middleware=[Middleware(PreloadBundles)],
    )
