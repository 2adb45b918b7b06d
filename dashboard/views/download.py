"""The download page: the release zip, each data file, the package's citation, and the table
of the view last looked at with its citation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from widgets import PAGES, Version, View, download_view, link, plain

from scamstats import cite
from scamstats.package import resource_file
from scamstats.paths import DIST_DIR


def show(version: Version) -> View:
    view = View("download", version)
    package = version.package
    st.title("Download and cite")
    st.subheader("The full release")
    name = f"{package.descriptor.get('name', 'package')}-{package.version}.zip"
    release = DIST_DIR / name
    if release.is_file():
        st.download_button(f"Release zip: {name} ({release.stat().st_size / 1e6:.1f} MB)", release.read_bytes(),
                           file_name=name, mime="application/zip", icon=":material/folder_zip:", key="release")
        st.caption("Data package, CSVs and Parquet copies, codebook, citation, licences and every figure.")
    else:
        st.info(f"The release zip ({name}) has not been built on this machine. Build it with "
                "`scamstats release`, then reload this page. The data files are below.")
    st.subheader("The data files")
    columns = st.columns(3)
    for index, resource in enumerate(package.descriptor["resources"]):
        path = resource_file(package.directory, resource)
        with columns[index % 3]:
            st.download_button(f"{resource['name']}.csv ({package.tables[resource['name']].height} rows)",
                               path.read_bytes(), file_name=Path(resource["path"]).name, mime="text/csv",
                               key=f"resource-{resource['name']}", width="stretch")
    st.subheader("Cite the package")
    st.code(cite.citation(package, style="plain", digest=version.digest), language=None, wrap_lines=True)
    with st.expander("BibTeX"):
        st.code(cite.citation(package, style="bibtex", digest=version.digest), language="bibtex")
    st.caption("When you quote a figure, cite its original source too (the Sources page).")
    st.markdown(f"View links in citations start with {link(cite.base_url(package), cite.base_url(package))} "
                r"(set with `scamstats dashboard --base-url URL` or the SCAMSTATS\_BASE\_URL variable).")

    st.subheader("The view you were looking at")
    last: View | None = st.session_state.get("last_view")
    if last is None or last.data is None or last.page == "download":
        st.info("Open a page, set its filters, and come back: the table on screen and its citation "
                "(filters, date, package version) will be here. Each page also offers them at its foot.")
    else:
        st.markdown(f"**{PAGES[last.page]}**, filters: " + plain("; ".join(f"{k}: {v}" for k, v in last.filters.items())))
        download_view(last, f"CSV of that table ({last.data.height} rows)", "download-last",
                      icon=":material/download:")
        st.code(last.citation(), language=None, wrap_lines=True)
    return view
