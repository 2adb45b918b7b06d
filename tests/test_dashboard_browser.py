"""The dashboard in a real browser: headless Debian chromium driven by playwright.

Starts `scamstats dashboard --headless` on a free loopback port, opens every page, waits for
the plotly charts to draw, and follows a journalist's tasks: the two clicks that answer "how
many Indonesians were detained after the July 2025 directive, and who says so?"; nationalities
compared; compounds in Preah Sihanouk and their status after raids; where sources disagree;
citing with a public link and clickable sources. Then the unattended start (stdin closed, a
fresh HOME) and a phone's width (390 px: sidebar collapsed, nothing wider than the screen,
legends below the plots, tick labels, cell counts and map labels apart). Screenshots go to each test's tmp_path. Every server is always
stopped. No timings are asserted: waits only bound how long to wait.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from scamstats import labels, serve, stats
from scamstats.package import load_package

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 90_000  # an upper bound for slow machines, not a performance assertion
PAGES = {
    "overview": ("Cambodia's scam compounds, in sourced numbers", 1),
    "arrests": ("Arrests and deportations", 1),
    "raids": ("Raids", 1),
    "compounds": ("Compounds", 1),
    "disagree": ("Where sources disagree", 0),
    "survivors": ("Survivors", 1),
    "search": ("Search quotes", 0),
    "sources": ("Sources", 0),
    "download": ("Download and cite", 0),
}
HOMEPAGE = "https://github.com/scamstats/scamstats"

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Debian's chromium is not installed")


def serving(log: Path, *options: str, env: dict | None = None):
    """`scamstats dashboard OPTIONS` on a free loopback port, stdin closed; yields its URL; always stopped."""
    return serve.serving(lambda port: serve.dashboard_command(port, *options), log, env=env, timeout=WAIT_MS / 1000)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard served by `scamstats dashboard --headless`; always stopped."""
    with serving(tmp_path_factory.mktemp("server") / "server.log", "--headless") as url:
        yield url


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
    page.get_by_role("heading", name="Indonesia: arrested, detained").wait_for(timeout=WAIT_MS)
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
    page.get_by_role("heading", name="Indonesia, female: arrested").wait_for(timeout=WAIT_MS)
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
    expect(page.get_by_role("textbox", name="Search name, alias, town or province")).to_have_value(
        "no-such-compound-anywhere", timeout=WAIT_MS)
    assert page.locator(".js-plotly-plot").count() == 0
    page.screenshot(path=tmp_path / "empty.png", full_page=True)
    no_error(page)


# ------------------------------------------------------------------------------------------
# A journalist's tasks


def choose_part(tab, name: str, title: str, charts: int) -> None:
    """Click one of the buttons that choose what part of a page to show."""
    tab.locator('[data-testid="stMain"]').get_by_role("radio", name=name, exact=True).click()
    settle(tab, title, charts)


def test_nationalities_compared_side_by_side(server, page, tmp_path):
    page.goto(f"{server}/?page=arrests")
    settle(page, "Arrests and deportations", 1)
    choose_part(page, "Nationalities compared", "Arrests and deportations", 4)
    page.wait_for_function("() => location.search.includes('show=compare')", timeout=WAIT_MS)
    page.get_by_text("Ranking: nationwide figures published for each nationality").wait_for(timeout=WAIT_MS)
    page.get_by_text("Over time, one chart per nationality").wait_for(timeout=WAIT_MS)
    # The ranking, the latest breakdown, one small chart per nationality (4 chosen at first), the dots over time.
    expect(page.locator(".js-plotly-plot")).to_have_count(6, timeout=WAIT_MS)
    page.screenshot(path=tmp_path / "nationalities.png", full_page=True)
    no_error(page)


def test_compounds_in_preah_sihanouk_and_their_status_after_raids(server, page, tmp_path):
    page.goto(f"{server}/?page=compounds")
    settle(page, "Compounds", 1)
    search = page.get_by_role("textbox", name="Search name, alias, town or province")
    search.fill("Preah Sihanouk")
    search.press("Enter")
    page.wait_for_function("() => location.search.includes('q=Preah')", timeout=WAIT_MS)
    settle(page, "Compounds", 1)
    heading = page.get_by_role("heading", name="named compounds and sites")
    expect(heading).to_have_count(1, timeout=WAIT_MS)
    choose_part(page, "Status after raids", "Compounds", 1)
    page.wait_for_function("() => location.search.includes('show=after')", timeout=WAIT_MS)
    assert "show=after" in page.url and "q=Preah" in page.url
    page.get_by_text("raided compounds and their status after the last operation").wait_for(timeout=WAIT_MS)
    # Its dates at their precision: a raid known only to the month or year reads so, no ISO date.
    after = stats.compound_outcomes_after_raids(load_package())
    after = after.filter((after["province_code"] == "KH-18") & (after["last_operation_precision"] != "day"))
    cells = page.locator('[data-testid="stDataFrame"]').first.locator('[role="gridcell"]')
    cells.first.wait_for(state="attached", timeout=WAIT_MS)  # the grid's cells, read as a screen reader does
    shown = [cell.inner_text() for cell in cells.all()]
    assert after.height and not [text for text in shown if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)]
    for row in after.iter_rows(named=True):
        assert labels.format_date(row["last_operation"], row["last_operation_precision"]) in shown
    page.screenshot(path=tmp_path / "preah-sihanouk.png", full_page=True)
    no_error(page)


def test_where_sources_disagree(server, page, tmp_path):
    page.goto(server)
    settle(page, PAGES["overview"][0], 1)
    page.locator('[data-testid="stSidebar"]').get_by_text("Where sources disagree", exact=True).click()
    settle(page, "Where sources disagree", 0)
    ranges = page.get_by_role("heading", level=4).filter(has_text="–")  # each card opens with its range
    expect(ranges.first).to_be_visible(timeout=WAIT_MS)
    assert page.get_by_text("(1 report)").count() + page.get_by_text("reports from").count() >= 1
    # Who says what, inline on the first card: each number in bold beside its publishers.
    card = page.locator('[data-testid="stVerticalBlock"]').filter(has=ranges.first).last  # the innermost: the card
    said = card.locator("li")
    assert said.count() >= 2 and all(item.locator("strong").count() >= 1 for item in said.all())
    assert all(item.is_visible() for item in said.all())
    page.screenshot(path=tmp_path / "disagree.png", full_page=True)
    # On the arrests page the chart's disagreements are written under it, not folded away.
    page.goto(f"{server}/?page=arrests")
    settle(page, "Arrests and deportations", 1)
    expect(page.get_by_text("Where sources disagree here:")).to_be_visible(timeout=WAIT_MS)
    no_error(page)


def test_citing_a_view_with_a_public_link_and_clickable_sources(server, page, tmp_path):
    page.goto(f"{server}/?page=arrests&nationality=IDN")
    settle(page, "Arrests and deportations", 1)
    citation = page.locator(".st-key-view-citation").inner_text()
    assert f"{HOMEPAGE}?page=arrests&nationality=IDN" in citation.replace("&amp;", "&")
    assert "127.0.0.1" not in citation and "localhost" not in citation
    # A chart's own citation, a click away, is a code block to copy.
    page.get_by_text("Cite this figure · the quotes behind its numbers").first.click()
    expect(page.locator('[data-testid="stExpander"] [data-testid="stCode"]').first).to_contain_text(
        HOMEPAGE, timeout=WAIT_MS)
    page.goto(f"{server}/?page=search&q=b%E1%BA%AFt%20gi%E1%BB%AF")  # bắt giữ
    settle(page, "Search quotes", 0)
    links = page.locator('[data-testid="stMarkdownContainer"] a[href^="http"]')
    expect(links.first).to_be_visible(timeout=WAIT_MS)
    assert "127.0.0.1" not in links.first.get_attribute("href")
    expect(page.get_by_text("English (vi original):").first).to_be_visible(timeout=WAIT_MS)
    # Sources dated only to the month read as the month, never as its first day.
    lines = page.locator('[data-testid="stMain"]').inner_text().splitlines()
    found = stats.search_quotes(load_package(), "bắt giữ").head(25)
    months = found.filter(found["published_precision"] == "month").select("publisher", "published").unique()
    assert months.height
    for publisher, day in months.iter_rows():
        dated = [line for line in lines if line.startswith(f"{publisher} · ")]  # the source under a quote
        assert dated and all(line.endswith(f" · {labels.format_date(day, 'month')}") for line in dated), dated
    page.screenshot(path=tmp_path / "citing.png", full_page=True)
    no_error(page)


# ------------------------------------------------------------------------------------------
# The unattended start, and a phone's width


def test_unattended_start_serves_the_page(browser, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["HOME"] = str(home)
    log = tmp_path / "server.log"
    with serving(log, env=env) as url:  # no --headless: it must still ask nothing
        context = browser.new_context(viewport={"width": 1400, "height": 1200})
        tab = context.new_page()
        tab.goto(url)
        settle(tab, PAGES["overview"][0], 1)
        assert tab.locator('[data-testid="stException"]').count() == 0
        assert tab.get_by_role("dialog").count() == 0  # no pop-up over the page
        tab.screenshot(path=tmp_path / "unattended.png")
        context.close()
    said = log.read_text()
    assert "Email" not in said and "usage statistics" not in said.lower()
    assert not (home / ".streamlit" / "credentials.toml").exists()


def shrunk(box: dict, by: float = 2) -> dict:
    """A box a little smaller on every side: boxes that only touch do not overlap."""
    return {"x": box["x"] + by, "y": box["y"] + by, "width": box["width"] - 2 * by, "height": box["height"] - 2 * by}


def overlaps(a: dict | None, b: dict | None) -> bool:
    return bool(a and b) and a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] \
        and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def text_boxes(chart, selector: str) -> list[dict]:
    """The boxes of the words a chart draws in its SVG elements matching `selector`, with their
    text (each one box however many lines; none for an empty text)."""
    return chart.locator(selector).evaluate_all("""texts => texts.filter(t => t.textContent.trim()).map(t => {
        const r = t.getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height, text: t.textContent};
    })""")


def clashes(boxes: list[dict], by: float) -> list[tuple[str, str]]:
    """The pairs of boxes that overlap once each is grown by `by` pixels on every side (a
    negative `by` shrinks them: boxes that only touch do not overlap)."""
    grown = [{**box, **shrunk(box, -by)} for box in boxes]
    return [(a["text"], b["text"]) for i, a in enumerate(grown) for b in grown[i + 1:] if overlaps(a, b)]


@pytest.mark.parametrize("query, title, charts", [
    ("page=overview", PAGES["overview"][0], 1),
    ("page=overview&show=headlines", PAGES["overview"][0], 2),  # the link opens the folded chart
    ("page=arrests", "Arrests and deportations", 1),
    ("page=arrests&show=compare", "Arrests and deportations", 4),
    ("page=arrests&show=official", "Arrests and deportations", 2),
    ("page=arrests&show=returns", "Arrests and deportations", 1),
    ("page=raids", "Raids", 1),
    ("page=raids&show=provinces", "Raids", 2),
    ("page=raids&show=map", "Raids", 1),
    ("page=compounds", "Compounds", 1),
    ("page=compounds&show=provinces", "Compounds", 2),
    ("page=compounds&show=after", "Compounds", 1),
    ("page=survivors", "Survivors", 1),
    ("page=disagree", "Where sources disagree", 0),
])
def test_a_phone_sized_screen(server, browser, tmp_path, query, title, charts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(f"{server}/?{query}")
    settle(tab, title, charts)
    sidebar = tab.locator('[data-testid="stSidebar"]')
    assert sidebar.get_attribute("data-collapsed") == "true"  # collapsed: not over the content
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    widths = tab.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == 390  # nothing wider than the screen
    for chart in tab.locator(".js-plotly-plot").all():
        chart.scroll_into_view_if_needed()
        plot = chart.locator(".nsewdrag").first.bounding_box() if chart.locator(".nsewdrag").count() else None
        legend = chart.locator("g.legend").first.bounding_box() if chart.locator("g.legend").count() else None
        assert not overlaps(plot, legend), f"legend over the plot in {query}"
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1
        # The words written in the chart (labels, panel titles, notes) stay in it and apart.
        words = [b for b in (n.bounding_box() for n in chart.locator("g.annotation").all()) if b and b["width"]]
        for word in words:
            assert box["x"] - 1 <= word["x"] and word["x"] + word["width"] <= box["x"] + box["width"] + 1, query
        clashing = [(a, b) for i, a in enumerate(words) for b in words[i + 1:] if overlaps(shrunk(a), shrunk(b))]
        assert not clashing, f"chart labels over each other in {query}: {clashing[:2]}"
        # Tick labels of the x axes, a heat map's counts and a map's names stand apart (2 px at least),
        assert not clashes(text_boxes(chart, "g.xaxislayer-above text"), 1), f"x tick labels touch in {query}"
        assert not clashes(text_boxes(chart, "g[class^='heatmap-label'] text"), 1), f"cell counts touch in {query}"
        assert not clashes(text_boxes(chart, "g.textpoint text"), 1), f"map labels touch in {query}"
        # and no two words of the picture (but its legend's) overlap: a tick label, a count, a label.
        drawn = [box for box in text_boxes(chart, ".main-svg text:not(g.legend text)") if box["width"]]
        assert not clashes(drawn, -1), f"words over each other in {query}: {clashes(drawn, -1)[:2]}"
    tab.screenshot(path=tmp_path / f"phone-{query.replace('&', '-').replace('=', '-')}.png", full_page=True)
    assert tab.locator('[data-testid="stException"]').count() == 0
    context.close()
