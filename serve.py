"""Start the ODI Workbench: ``python serve.py [streamlit options]`` (what ``make run`` does).

The same as ``streamlit run app.py [options]``, plus a warm-up, so that the first visitor's
first screen waits for none of it:

- before the server starts, the first screen's modules are imported (pandas, SQLAlchemy,
  Plotly, ``odi``: about a second, which a first run would otherwise spend);
- once the Streamlit runtime exists, a background thread opens the workspace (creating,
  migrating and seeding it on first use) and parses the default study's file into the app's
  own caches, while the browser loads Streamlit's page.

If any of it fails, the first run simply does the work itself and shows any error as usual.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: What the first screen (the landscape) imports, in the order a run would.
WARM_MODULES = ("app_pages._shared", "odi.charts.landscape", "plotly.graph_objects")
#: Seconds the warm-up waits for the Streamlit runtime before giving up.
RUNTIME_WAIT = 60.0

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


def warm_up() -> None:
    """Fill the workspace and import caches the first run reads.

    Runs in a background thread of the server process. It waits until the Streamlit runtime
    exists (so the caches it fills are the ones the app's runs read), and never raises.
    """
    from streamlit import runtime

    deadline = time.monotonic() + RUNTIME_WAIT
    while not runtime.exists():
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)
    # Cached functions called outside a script run warn that there is no ScriptRunContext;
    # that is expected here.
    with _quiet("streamlit.runtime.scriptrunner_utils.script_run_context"):
        try:
            importlib.import_module("app_pages._shared").prepare_first_screen()
        except Exception:  # the first run does the work itself and reports any error
            LOG.warning("warm-up skipped", exc_info=True)


def main(argv: list[str]) -> None:
    """Import the first screen's modules, start the warm-up thread, then ``streamlit run
    app.py`` with ``argv`` as options (Streamlit's command line exits when the server stops)."""
    from streamlit.web import cli

    import_first_screen()
    threading.Thread(target=warm_up, name="odi-warm-up", daemon=True).start()
    cli.main(["run", str(Path(__file__).resolve().parent / "app.py"), *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
