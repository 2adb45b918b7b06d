"""The scamstats dashboard: explore the figures over time, trace each number to its source,
download what is on screen and cite it.

Thin on purpose: each page is settings → stats → figure → display. Statistics come from
`scamstats.stats`, charts from `scamstats.figures`, citations from `scamstats.cite`, words from
`scamstats.labels`; the app only selects rows (the filters) and lays things out. Filters live
in the URL, so a link restores a view. Text from the CSVs goes through st.dataframe, st.code
or `plain()` (markdown escaped); never through unsafe HTML.

This file holds the page setup, the one loader and the router. `widgets.py` holds what pages
share (the version on screen and its caches, URL state, text and tables), `charts.py` the
chart frame and claim cards, `views/` one module per page.

One version on screen: each run reads the sha256 of `datapackage.json` (one small file) and
loads the package under that digest, so when the package is updated while the server runs,
the next run shows the new numbers, and every cache and citation names the same digest.

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

from views import (
    arrests,
    compounds,
    disagree,
    download,
    overview,
    raids,
    search,
    sources,
    survivors,
)
from widgets import PAGES, Version, View, offer_download, publish, seed

from scamstats import cite
from scamstats.package import Package, load_package
from scamstats.paths import PACKAGE_DIR

# Each page's `page=` value and the function that draws it (titles in `widgets.PAGES`).
PAGE_VIEWS: dict[str, Callable[[Version], View]] = {
    "overview": overview.show,
    "arrests": arrests.show,
    "raids": raids.show,
    "compounds": compounds.show,
    "disagree": disagree.show,
    "survivors": survivors.show,
    "search": search.show,
    "sources": sources.show,
    "download": download.show,
}


@st.cache_resource(max_entries=2, show_spinner="Loading the data package…")
def load(package_dir: str, digest: str) -> Package:
    """Return the data package whose descriptor has this sha256 (read once per version and
    shared, never copied: nothing changes a loaded package)."""
    return load_package(Path(package_dir))


def package_dir() -> str:
    """The shipped package, unless SCAMSTATS_PACKAGE points elsewhere (tests use this)."""
    return os.environ.get("SCAMSTATS_PACKAGE") or str(PACKAGE_DIR)


def current_version() -> Version:
    """The package as it is on disk now, keyed on its descriptor's sha256."""
    folder = package_dir()
    digest = cite.file_sha256(Path(folder))
    package = load(folder, digest)
    if cite.file_sha256(Path(folder)) != digest:  # changed while it was read: read it again
        load.clear()
        digest = cite.file_sha256(Path(folder))
        package = load(folder, digest)
    return Version(package, digest)


def main() -> None:
    st.set_page_config(page_title="scamstats · Cambodia's scam compounds", page_icon=":bar_chart:",
                       layout="wide", initial_sidebar_state="auto")
    version = current_version()
    seed("page", "overview", valid=PAGES)
    with st.sidebar:
        st.markdown("### scamstats")
        page = st.radio("Page", list(PAGES), key="page", format_func=PAGES.get, label_visibility="collapsed")
        st.divider()
        st.caption(f"Data package {version.package.descriptor.get('name', '')} version {version.package.version} "
                   f"(datapackage.json sha256 {version.digest[:12]}). Data CC BY 4.0; code MIT. "
                   "Every figure links to its source.")
    view = PAGE_VIEWS[page](version)
    publish(view)
    if page != "download":
        offer_download(view)


main()
