"""The scamstats dashboard: explore the figures over time, trace each number to its source,
download what is on screen and cite it.

Thin on purpose: each page is settings → stats → figure → display. Statistics come from
`scamstats.stats`, charts from `scamstats.figures`, citations from `scamstats.cite`, words from
`scamstats.labels`; the app only selects rows (the filters) and lays things out. Filters live
in the URL, so a link restores a view. Text from the CSVs goes through st.dataframe, st.code
or `plain()` (markdown escaped); never through unsafe HTML.

This file holds the page setup, the one cached loader and the router. `widgets.py` holds what
pages share (URL state, tables, the chart frame); `views/` one module per page.

Run:  scamstats dashboard   (or: streamlit run dashboard/app.py, from any folder)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import streamlit as st

# `streamlit run` puts this folder on sys.path; Streamlit's AppTest and other runners do not.
APP_DIR = str(Path(__file__).resolve().parent)
if APP_DIR not in sys.path:
    sys.path.insert(0, APP_DIR)

from views import arrests, compounds, download, overview, raids, sources, survivors
from widgets import PAGES, View, offer_download, publish, seed

from scamstats.package import Package, load_package
from scamstats.paths import PACKAGE_DIR

# Each page's `page=` value and the function that draws it (titles in `widgets.PAGES`).
PAGE_VIEWS: dict[str, Callable[[Package], View]] = {
    "overview": overview.show,
    "arrests": arrests.show,
    "raids": raids.show,
    "compounds": compounds.show,
    "survivors": survivors.show,
    "sources": sources.show,
    "download": download.show,
}


@st.cache_data(show_spinner="Loading the data package…")
def load(package_dir: str) -> Package:
    """Return the data package (read once per server; the CSVs are the source of truth)."""
    return load_package(Path(package_dir))


def package_dir() -> str:
    """The shipped package, unless SCAMSTATS_PACKAGE points elsewhere (tests use this)."""
    return os.environ.get("SCAMSTATS_PACKAGE") or str(PACKAGE_DIR)


def main() -> None:
    st.set_page_config(page_title="scamstats · Cambodia's scam compounds", page_icon=":bar_chart:",
                       layout="wide", initial_sidebar_state="expanded")
    package = load(package_dir())
    seed("page", "overview", valid=PAGES)
    with st.sidebar:
        st.markdown("### scamstats")
        page = st.radio("Page", list(PAGES), key="page", format_func=PAGES.get, label_visibility="collapsed")
        st.divider()
        st.caption(f"Data package {package.descriptor.get('name', '')} version {package.version}. "
                   "Data CC BY 4.0; code MIT. Every figure links to its source.")
    view = PAGE_VIEWS[page](package)
    publish(view)
    if page != "download":
        offer_download(package, view)


main()
