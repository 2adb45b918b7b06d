"""Benchmark: the dashboard against a minimal Streamlit app, measured side by side.

The minimal app (written to a temporary folder at run time) is one selectbox and one plotly
chart of a four-row frame: what any Streamlit app with a chart costs. Both measurements
alternate the two apps run by run.

(a) rerun: the server-side time of `AppTest.run()` after a filter change. Dashboard: the
    arrests page, its nationality pills switched between IDN and ALL; minimal app: its
    selectbox switched between two values. Each app is run and changed once before timing.
(b) first chart: `streamlit run` serves each app on a free loopback port (headless, no usage
    statistics, the flags of `scamstats dashboard`); headless Debian chromium (playwright) opens
    the page in a fresh browser context each run; the time is the page's `performance.now()`
    (milliseconds since navigation start) at the first animation frame after a plotly trace
    (`.js-plotly-plot .main-svg .trace`) is in the page. Each server is loaded once, untimed,
    before the runs (the first load, which fills the data cache, is reported apart). The
    dashboard page is the overview (where a link to the dashboard lands) unless `--page`
    names another (`--page arrests`).

  .venv/bin/python scripts/bench_dashboard.py --runs 5 [--page arrests] [--markdown]

Wall times depend on the machine: compare the ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from bench import machine

from scamstats.serve import serving, streamlit_command, streamlit_environment

DASHBOARD = REPO / "dashboard" / "app.py"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_S = 120  # an upper bound for a slow machine, not a performance limit
MINIMAL_APP = '''\
import plotly.express as px
import polars as pl
import streamlit as st

choice = st.selectbox("Series", ["a", "b"], key="choice")
frame = pl.DataFrame({"x": [1, 2, 3, 4], "y": [1, 3, 2, 4] if choice == "a" else [4, 2, 3, 1]})
st.plotly_chart(px.bar(frame, x="x", y="y"), key="chart")
'''
# Records, once, the page's clock at the first frame drawn after a plotly trace is in the page.
FIRST_CHART = """
new MutationObserver((_, observer) => {
  if (document.querySelector('.js-plotly-plot .main-svg .trace')) {
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstChartMs = performance.now(); });
  }
}).observe(document, {childList: true, subtree: true});
"""


def progress(message: str) -> None:
    print(f"[bench-dashboard] {message}", file=sys.stderr, flush=True)


def alternate(runs: int, names: tuple[str, str]) -> Iterator[tuple[int, str]]:
    """(run, name) pairs, the two names taking turns to go first."""
    for run in range(runs):
        for name in names if run % 2 == 0 else names[::-1]:
            yield run, name


# ------------------------------------------------------------------------------------------
# (a) Server-side rerun after a filter change


def bench_rerun(runs: int, minimal: Path) -> dict[str, list[float]]:
    from streamlit.testing.v1 import AppTest

    def checked(app: AppTest) -> AppTest:
        assert not app.exception, [e.value for e in app.exception]
        return app

    dashboard = AppTest.from_file(str(DASHBOARD), default_timeout=WAIT_S)
    dashboard.query_params["page"] = "arrests"
    small = AppTest.from_file(str(minimal), default_timeout=WAIT_S)
    apps = {
        "dashboard": (checked(dashboard.run()), lambda app: app.pills(key="arrests.nationality"), ("IDN", "ALL")),
        "minimal": (checked(small.run()), lambda app: app.selectbox(key="choice"), ("b", "a")),
    }
    times: dict[str, list[float]] = {name: [] for name in apps}
    for name, (app, widget, values) in apps.items():  # one untimed change each
        checked(widget(app).set_value(values[1]).run())
    for run, name in alternate(runs, tuple(apps)):
        app, widget, values = apps[name]
        changed = widget(app).set_value(values[run % 2])
        start = time.perf_counter()
        checked(changed.run())
        times[name].append(time.perf_counter() - start)
        progress(f"rerun {run + 1}/{runs}: {name} {times[name][-1] * 1000:.0f} ms")
    return times


# ------------------------------------------------------------------------------------------
# (b) Time to first chart in headless chromium


def served(script: Path, log: Path) -> contextlib.AbstractContextManager[str]:
    """Serve a Streamlit script with the flags and environment of `scamstats dashboard`; its URL."""
    return serving(lambda port: streamlit_command(port, script), log, cwd=script.parent,
                   env=streamlit_environment(), timeout=WAIT_S)


def first_chart_ms(browser, url: str) -> float:
    """Open url in a fresh context; return ms from navigation start to the first drawn chart."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.add_init_script(FIRST_CHART)
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=WAIT_S * 1000)
        page.wait_for_function("() => window.__firstChartMs !== undefined", timeout=WAIT_S * 1000)
        return page.evaluate("window.__firstChartMs")
    finally:
        context.close()


def bench_first_chart(runs: int, minimal: Path, logs: Path, page: str = "overview",
                      ) -> tuple[dict[str, list[float]], dict[str, float]]:
    from playwright.sync_api import sync_playwright

    scripts = {"dashboard": DASHBOARD, "minimal": minimal}
    queries = {"dashboard": "" if page == "overview" else f"?page={page}", "minimal": ""}
    times: dict[str, list[float]] = {name: [] for name in scripts}
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(served(script, logs / f"{name}.log")) + "/" + queries[name]
                for name, script in scripts.items()}
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        stack.callback(browser.close)
        cold = {name: first_chart_ms(browser, url) for name, url in urls.items()}
        progress(f"first loads (untimed warm-up): {', '.join(f'{n} {ms:.0f} ms' for n, ms in cold.items())}")
        for run, name in alternate(runs, tuple(scripts)):
            times[name].append(first_chart_ms(browser, urls[name]))
            progress(f"first chart {run + 1}/{runs}: {name} {times[name][-1]:.0f} ms")
    return times, cold


# ------------------------------------------------------------------------------------------
# Report


def summary(times: dict[str, list[float]]) -> dict:
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {"medians": medians, "ratio": medians["dashboard"] / medians["minimal"], "runs": times}


def markdown(result: dict) -> str:
    tools = f"streamlit {version('streamlit')}, playwright {version('playwright')}, plotly {version('plotly')}"
    lines = [f"Machine: {machine()}; {tools}", f"First chart of the dashboard's {result['page']} page.", "",
             "| measurement | app | median ms | ratio (dashboard / minimal) | runs (ms) |",
             "| --- | --- | ---: | ---: | --- |"]
    for key, label, scale in (("rerun", "rerun after a filter change (AppTest)", 1000),
                              ("first_chart", "navigation start to first chart (chromium)", 1)):
        part = result[key]
        for name in ("dashboard", "minimal"):
            ratio = f"{part['ratio']:.1f}x" if name == "dashboard" else ""
            runs = ", ".join(f"{t * scale:.0f}" for t in part["runs"][name])
            lines.append(f"| {label} | {name} | {part['medians'][name] * scale:.0f} | {ratio} | {runs} |")
    cold = result["first_load_ms"]
    lines += ["", (f"First load of each freshly started server (untimed warm-up, one run): "
                   f"dashboard {cold['dashboard']:.0f} ms, minimal {cold['minimal']:.0f} ms.")]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each app in each measurement (default 5)")
    parser.add_argument("--page", default="overview",
                        help="the dashboard page whose first chart is timed (default overview; e.g. arrests)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown report")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
        minimal = Path(folder) / "minimal_app.py"
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        result = {"rerun": summary(bench_rerun(args.runs, minimal))}
        first, cold = bench_first_chart(args.runs, minimal, Path(folder), args.page)
        result["first_chart"] = summary(first)
        result["page"] = args.page
        result["first_load_ms"] = cold
    print(markdown(result) if args.markdown else json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
