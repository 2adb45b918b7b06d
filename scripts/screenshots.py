"""Screenshots of every dashboard page at a desktop's and a phone's width, to look at.

Serves the dashboard (`scamstats dashboard --headless` on a free loopback port), opens each
page in headless Debian chromium (playwright, `executable_path`: no browser is downloaded),
waits for its charts to draw and its script to finish, and saves a full-page screenshot:

  build/screenshots/<page>-<width>.png            every page, at 1280 and 390 px
  build/screenshots/<page>-<part>-<width>.png     with --parts, each part of a page (show=...)

The phone's context is a touch screen 390 px wide (Streamlit collapses the sidebar there).
A screenshot is the whole page, however long: the window is made as tall as the page.

  .venv/bin/python scripts/screenshots.py [--widths 1280 390] [--pages arrests raids] [--parts]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scamstats.serve import dashboard_command, serving

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
WAIT_MS = 120_000  # an upper bound for a slow machine
# Every page (its `page=` value) and the parts it can show (`show=`), the first the default.
PAGES = {
    "overview": [],
    "arrests": ["series", "compare", "official", "returns", "women"],
    "raids": ["month", "provinces", "map"],
    "compounds": ["map", "provinces", "after"],
    "disagree": ["claims_disagree", "reports_disagree", "operations"],
    "survivors": [],
    "search": [],
    "sources": [],
    "download": [],
}
# A page shown with a query, as a reader would first use it (the search page is empty without one).
QUERIES = {"search": "q=2%2C137"}


def settle(tab) -> None:
    """Wait for the page's title, its script to finish and every chart on it to be drawn."""
    tab.locator("h1").first.wait_for(timeout=WAIT_MS)
    tab.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=WAIT_MS)
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS)
    tab.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')]"
                          ".every(plot => plot.querySelector('.main-svg'))", timeout=WAIT_MS)
    tab.evaluate("document.fonts.ready")
    tab.wait_for_timeout(800)  # plotly's last relayout, the tables' first paint


def shoot(browser, url: str, width: int, path: Path) -> None:
    phone = width < 600
    context = browser.new_context(viewport={"width": width, "height": 900 if phone else 1000},
                                  is_mobile=phone, has_touch=phone, device_scale_factor=1)
    try:
        tab = context.new_page()
        tab.goto(url)
        settle(tab)
        # Streamlit scrolls its main area, not the document: make the window as tall as the page.
        height = tab.evaluate("""() => Math.max(document.documentElement.scrollHeight,
            ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
              .map(e => e.scrollHeight))""")
        tab.set_viewport_size({"width": width, "height": min(int(height) + 40, 30_000)})
        settle(tab)
        tab.screenshot(path=path, full_page=True)
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--widths", type=int, nargs="+", default=[1280, 390], help="window widths in px")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="pages to take")
    parser.add_argument("--parts", action="store_true", help="also each part of a page (show=...)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    shots = []
    for page in args.pages:
        query = "&".join(part for part in (f"page={page}", QUERIES.get(page)) if part)
        shots.append((page, query))
        if args.parts:
            shots += [(f"{page}-{part}", f"{query}&show={part}") for part in PAGES[page][1:]]
    log = OUT / "server.log"
    with serving(lambda port: dashboard_command(port, "--headless"), log, timeout=WAIT_MS / 1000) as url, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for name, query in shots:
                for width in args.widths:
                    path = OUT / f"{name}-{width}.png"
                    shoot(browser, f"{url}/?{query}", width, path)
                    print(path.relative_to(REPO), flush=True)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
