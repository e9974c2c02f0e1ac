"""The app in Chromium (Playwright), on the bundled demo study, against a trivial page.

Measured in one run, each on a fresh server with a fresh workspace:

- first open → first chart visible (the landscape's points drawn), for ``make run``
  (``streamlit run app.py``), for ``make serve`` (``serve.py``, warmed up before it answers)
  and for a trivial Streamlit page that draws one Plotly scatter: the ratio shows what is
  ours (medians, the three taken in turn); and launch → server healthy for each;
- segment change → chart redrawn (median over several sidebar value changes);
- box-select → selected-outcomes table filled (median);
- a persona field edit (Enter) → the new version stored, and → the page settled (medians);
- the SQL statements of a plain rerun are counted by the AppTest suite
  (tests/app/test_run_context.py), not here.

Goals (issue 13): segment change under 500 ms median, first chart under 3 s.
Run: ``python benchmarks/bench_browser.py`` (or ``make bench``). Needs /usr/bin/chromium.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"

TRIVIAL = """
import plotly.graph_objects as go
import streamlit as st

st.title("Trivial page")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], mode="markers")))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(
    script: Path,
    env: dict[str, str],
    *,
    launcher: bool = False,
    startup: list[float] | None = None,
) -> Iterator[str]:
    """``streamlit run script`` (or, with ``launcher``, ``python serve.py``: what ``make serve``
    starts) on a free loopback port until the block ends; the seconds from launch to a
    healthy server are appended to ``startup``."""
    port = _free_port()
    launched = time.perf_counter()
    start = [str(ROOT / "serve.py")] if launcher else ["-m", "streamlit", "run", str(script)]
    proc = subprocess.Popen(
        [
            sys.executable,
            *start,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.05)
        if startup is not None:
            startup.append(time.perf_counter() - launched)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _idle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(50)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=120_000
    )


def first_chart(browser, url: str, path: str = "") -> float:  # type: ignore[no-untyped-def]
    """Seconds from navigation to the first Plotly points drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"{url}/{path}")
    page.locator("g.scatterlayer path.point").first.wait_for(timeout=120_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def segment_changes(browser, url: str, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from picking another role in the sidebar to the landscape redrawn for it."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/landscape?seg_attrs=role")
    page.locator("g.scatterlayer path.point").first.wait_for(timeout=120_000)
    _idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    role = sidebar.get_by_role("combobox", name="role")
    role.click()
    options = [
        o.inner_text() for o in page.get_by_role("option").all() if o.inner_text() != "Select all"
    ]
    page.keyboard.press("Escape")
    times = []
    for i in range(repeats + 1):
        value = options[i % len(options)]
        role.click()
        page.get_by_role("option", name=value, exact=True).click()
        start = time.perf_counter()
        page.keyboard.press("Escape")
        page.get_by_text(f"role = {value}").first.wait_for(timeout=120_000)
        page.locator("g.scatterlayer path.point").first.wait_for(timeout=120_000)
        _idle(page)
        if i:  # the first change also warms the segment's scores
            times.append(time.perf_counter() - start)
        # remove the value again (one value at a time)
        sidebar.get_by_role("button", name=f"Remove {value}").click()
        _idle(page)
    context.close()
    return times


def box_selects(browser, url: str, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from releasing a box selection to the selected-outcomes table shown."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/landscape")
    page.locator("g.scatterlayer path.point").first.wait_for(timeout=120_000)
    _idle(page)
    times = []
    for i in range(repeats):
        plot = page.locator(".nsewdrag").first.bounding_box()
        assert plot is not None
        left = 0.4 + 0.05 * (i % 3)
        page.mouse.move(plot["x"] + left * plot["width"], plot["y"] + 0.02 * plot["height"])
        page.mouse.down()
        page.mouse.move(
            plot["x"] + 0.99 * plot["width"], plot["y"] + 0.98 * plot["height"], steps=5
        )
        start = time.perf_counter()
        page.mouse.up()
        page.get_by_test_id("stDataFrame").filter(
            has=page.locator("[data-testid='stDataFrameResizable']")
        ).last.wait_for(timeout=120_000)
        page.get_by_text("Selected outcomes (0)").wait_for(state="detached", timeout=120_000)
        _idle(page)
        times.append(time.perf_counter() - start)
        page.keyboard.press("Escape")
        page.mouse.dblclick(plot["x"] + 5, plot["y"] + 5)  # clear the selection
        _idle(page)
    context.close()
    return times


def _versions(db: Path) -> int:
    """Persona versions saved in the workspace database so far."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return int(con.execute("SELECT count(*) FROM persona_versions").fetchone()[0])


def persona_edits(browser, url: str, db: Path, repeats: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Seconds from committing a persona field (Enter) to the new version in the database,
    and to the page settled again."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/personas")
    page.get_by_role("heading", name="Personas", exact=True).wait_for(timeout=120_000)
    _idle(page)
    example = page.get_by_role("button", name="Add this demo's example personas")
    if example.count():  # the demo's example personas, while the study has none
        example.first.click()
        _idle(page)
    page.get_by_role("tab", name="Edit").click()
    _idle(page)
    field = page.locator("[class*='st-key-pf_'][class*='_seniority'] input").first
    saved, settled = [], []
    for i in range(repeats + 1):
        before = _versions(db)
        field.fill(f"Director, {i + 1} levels from the CEO")
        start = time.perf_counter()
        field.press("Enter")
        deadline = start + 60
        while _versions(db) == before and time.perf_counter() < deadline:
            time.sleep(0.005)
        stored = time.perf_counter() - start
        _idle(page)
        if i:  # the first edit also warms the editor
            saved.append(stored)
            settled.append(time.perf_counter() - start)
    context.close()
    return saved, settled


def first_opens(browser, tmp: Path, trivial: Path, repeats: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Median first open → first chart of the trivial page, ``streamlit run app.py``
    (``make run``) and ``python serve.py`` (``make serve``), each on a fresh server and a
    fresh workspace, taken in turn ``repeats`` times so that load on the machine falls on all
    three alike; and the median launch → healthy server of each (``NAME_start``)."""
    times: dict[str, list[float]] = {"trivial": [], "make_run": [], "make_serve": []}
    starts: dict[str, list[float]] = {name: [] for name in times}
    for i in range(repeats):
        with served(trivial, {}, startup=starts["trivial"]) as url:
            times["trivial"].append(first_chart(browser, url))
        for name, launcher in (("make_run", False), ("make_serve", True)):
            env = {"ODI_DATABASE_URL": f"sqlite:///{tmp}/first_{name}_{i}.db"}
            with served(ROOT / "app.py", env, launcher=launcher, startup=starts[name]) as url:
                # The app opens on the landscape; ODI_BENCH_FIRST_PATH=landscape measures
                # older versions that opened on Study data.
                path = os.environ.get("ODI_BENCH_FIRST_PATH", "")
                times[name].append(first_chart(browser, url, path))
    return {
        **{name: statistics.median(values) for name, values in times.items()},
        **{f"{name}_start": statistics.median(values) for name, values in starts.items()},
    }


def run(repeats: int = 5) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        trivial = Path(tmp) / "trivial.py"
        trivial.write_text(TRIVIAL)
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        browser.new_context().new_page().goto("about:blank")  # Chromium's own start-up
        first = first_opens(browser, Path(tmp), trivial, max(3, repeats // 2))
        db = Path(tmp) / "bench.db"
        with served(ROOT / "app.py", {"ODI_DATABASE_URL": f"sqlite:///{db}"}) as url:
            first_chart(browser, url)  # the first open of this server is measured above
            segments = segment_changes(browser, url, repeats)
            boxes = box_selects(browser, url, repeats)
            saved, settled = persona_edits(browser, url, db, repeats)
        browser.close()
    return {
        "trivial_start_s": first["trivial_start"],
        "run_start_s": first["make_run_start"],
        "serve_start_s": first["make_serve_start"],
        "trivial_first_chart_s": first["trivial"],
        "run_first_chart_s": first["make_run"],
        "serve_first_chart_s": first["make_serve"],
        "segment_change_median_s": statistics.median(segments),
        "box_select_median_s": statistics.median(boxes),
        "persona_saved_median_s": statistics.median(saved),
        "persona_settled_median_s": statistics.median(settled),
    }


def report(r: dict[str, float]) -> str:
    trivial, trivial_start = r["trivial_first_chart_s"], r["trivial_start_s"]
    rows = []
    for label, key in (("`make run` (streamlit run)", "run"), ("`make serve` (serve.py)", "serve")):
        first, start = r[f"{key}_first_chart_s"], r[f"{key}_start_s"]
        rows += [
            f"| first open → first chart, {label}, median (s) | {first:.2f} | {trivial:.2f} "
            f"| {first / trivial:.2f} |",
            f"| launch → server healthy, {label}, median (s) | {start:.2f} "
            f"| {trivial_start:.2f} | {start / trivial_start:.2f} |",
        ]
    return "\n".join(
        [
            "| measure (Chromium, demo study) | app | trivial page | app / trivial |",
            "| --- | ---: | ---: | ---: |",
            *rows,
            f"| segment change → chart redrawn, median (s) | {r['segment_change_median_s']:.3f}"
            " | | |",
            f"| box-select → table filled, median (s) | {r['box_select_median_s']:.3f} | | |",
            f"| persona field edit → saved (new version stored), median (s) "
            f"| {r['persona_saved_median_s']:.3f} | | |",
            f"| persona field edit → page settled, median (s) "
            f"| {r['persona_settled_median_s']:.3f} | | |",
        ]
    )


def main_report(*, quick: bool = False) -> str:
    return report(run(repeats=3 if quick else 7))


if __name__ == "__main__":
    print(main_report(quick="--quick" in sys.argv))
