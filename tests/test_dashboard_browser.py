"""The dashboard in a real browser: headless Debian chromium driven by playwright.

Starts `scamstats dashboard --headless` on a free loopback port, opens every page, waits for
the plotly charts to draw, follows the two clicks that answer "how many Indonesians were
detained after the July 2025 directive, and who says so?", opens a link with query
parameters and checks the filters come back. Screenshots go to each test's tmp_path. The
server is always stopped. No timings are asserted: waits only bound how long to wait.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 90_000  # an upper bound for slow machines, not a performance assertion
PAGES = {
    "overview": ("Cambodia's scam compounds, in sourced numbers", 1),
    "arrests": ("Arrests and deportations", 1),
    "raids": ("Raids", 2),
    "compounds": ("Compounds", 1),
    "survivors": ("Survivors", 1),
    "sources": ("Sources", 0),
    "download": ("Download and cite", 0),
}

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Debian's chromium is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard served by `scamstats dashboard` on a free loopback port; always stopped."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "scamstats.cli", "dashboard", "--port", str(port), "--headless"],
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            assert process.poll() is None, f"the server stopped:\n{log.read_text()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"the server did not come up:\n{log.read_text()}"
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        # The CLI and the streamlit process it started share one new session: stop that group.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    tab = context.new_page()
    tab.outside_requests = []
    # Everything is offline: nothing but the local server should be asked for anything.
    tab.on("request", lambda request: None if request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
           else tab.outside_requests.append(request.url))
    yield tab
    context.close()


def settle(tab, title: str, charts: int) -> None:
    """Wait for the page's title, for its charts to draw and for the script run to finish."""
    tab.get_by_role("heading", name=title, level=1).wait_for(timeout=WAIT_MS)
    if charts:
        tab.wait_for_function(
            "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n"
            " && document.querySelectorAll('.js-plotly-plot').length >= n", arg=charts, timeout=WAIT_MS)
    # The heading is drawn while the script runs; the app says when the run has finished.
    tab.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=WAIT_MS)
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS)


def no_error(tab) -> None:
    assert tab.locator('[data-testid="stException"]').count() == 0
    assert tab.outside_requests == []


@pytest.mark.parametrize("name", PAGES)
def test_each_page_draws_in_chromium(server, page, name, tmp_path):
    title, charts = PAGES[name]
    page.goto(f"{server}/?page={name}")
    settle(page, title, charts)
    assert page.locator(".js-plotly-plot").count() == charts
    page.screenshot(path=tmp_path / f"{name}.png", full_page=True)
    no_error(page)


def test_two_clicks_answer_the_indonesian_question(server, page, tmp_path):
    page.goto(server)
    settle(page, PAGES["overview"][0], 1)
    page.locator('[data-testid="stSidebar"]').get_by_text("Arrests and deportations", exact=True).click()  # 1
    settle(page, "Arrests and deportations", 1)
    page.get_by_role("radio", name="Indonesia", exact=True).click()  # 2
    page.wait_for_function("() => document.querySelector('.js-plotly-plot .gtitle')"
                           "?.textContent.startsWith('Indonesia')", timeout=WAIT_MS)
    settle(page, "Arrests and deportations", 1)
    assert "nationality=IDN" in page.url
    assert page.get_by_role("heading", name="Who says so").count() == 1
    legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
    assert any("since 14 July 2025" in text for text in legend)
    page.screenshot(path=tmp_path / "indonesians.png", full_page=True)
    no_error(page)


def test_a_link_restores_the_filters(server, page, tmp_path):
    page.goto(f"{server}/?page=arrests&nationality=IDN&sex=female&metric=arrested&baseline=2025-06-27")
    settle(page, "Arrests and deportations", 1)
    title = page.locator(".js-plotly-plot .gtitle").text_content()
    assert title.startswith("Indonesia, female: arrested")
    assert page.get_by_role("radio", name="Indonesia", exact=True).get_attribute("aria-checked") == "true"
    assert page.get_by_role("radio", name="Female", exact=True).get_attribute("aria-checked") == "true"
    expect(page.locator('[data-testid="stMultiSelect"]').first.get_by_text("arrested", exact=True)).to_have_count(
        1, timeout=WAIT_MS)
    expect(page.get_by_role("combobox", name="Baseline")).to_have_value("since 27 June 2025", timeout=WAIT_MS)
    for part in ("nationality=IDN", "sex=female", "metric=arrested", "baseline=2025-06-27"):
        assert part in page.url
    page.screenshot(path=tmp_path / "restored.png", full_page=True)
    no_error(page)


def test_an_empty_selection_shows_a_message(server, page, tmp_path):
    page.goto(f"{server}/?page=compounds&q=no-such-compound-anywhere")
    settle(page, "Compounds", 0)
    page.get_by_text("No compound matches these filters.").wait_for(timeout=WAIT_MS)
    expect(page.get_by_role("textbox", name="Search name, town or id")).to_have_value(
        "no-such-compound-anywhere", timeout=WAIT_MS)
    assert page.locator(".js-plotly-plot").count() == 0
    page.screenshot(path=tmp_path / "empty.png", full_page=True)
    no_error(page)
