"""What every page of the dashboard shares: the filters kept in the URL (`seed`, `View`,
`publish`, `date_filters`), tables (`table`, `plain`, `csv_bytes`, `empty`) and the chart frame
(`chart`: the chart with its citation and the quotes behind it; `offer_download`: the table on
screen as CSV with a citation of the view).

No statistics here: pages ask `scamstats.stats` for numbers and `scamstats.labels` for words.
Text from the CSVs goes through st.dataframe, st.code or `plain()` (markdown escaped); never
through unsafe HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import polars as pl
import streamlit as st

from scamstats import cite
from scamstats.package import Package

# Each page's `page=` value in the URL and its name in the sidebar, in the sidebar's order.
PAGES = {
    "overview": "Overview",
    "arrests": "Arrests and deportations",
    "raids": "Raids",
    "compounds": "Compounds",
    "survivors": "Survivors",
    "sources": "Sources",
    "download": "Download and cite",
}
ALL = "ALL"


# ------------------------------------------------------------------------------------------
# Filters in the URL


def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def seed(key: str, default, *, name: str | None = None, parse: Callable = str, many: bool = False,
         valid: Iterable | Callable | None = None) -> None:
    """Put a filter's starting value in session state: from the URL when the link carries a
    valid one (a shared link restores the view), else the default. Runs once per widget."""
    if key in st.session_state:
        return
    value = default
    raw = st.query_params.get_all(name or key.split(".")[-1])
    if raw:
        try:
            parsed = [parse(v) for v in raw] if many else parse(raw[-1])
        except (ValueError, TypeError):
            parsed = None
        ok = callable(valid) and valid(parsed) if callable(valid) else (
            parsed is not None and (valid is None or (
                all(p in list(valid) for p in parsed) if many else parsed in list(valid))))
        if ok:
            value = parsed
    st.session_state[key] = value


@dataclass
class View:
    """What a page shows: its filters (for the URL and the citation) and the table on screen."""

    page: str
    params: dict[str, str | list[str]] = field(default_factory=dict)  # non-default filters
    filters: dict[str, str] = field(default_factory=dict)  # the same, in words
    data: pl.DataFrame | None = None
    data_name: str = "view"

    def filter(self, name: str, value, default, words: str) -> None:
        """Record one filter; it goes into the URL only when it differs from the default."""
        if value != default:
            self.params[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        self.filters[name] = words

    def query(self) -> str:
        return urlencode({"page": self.page, **self.params}, doseq=True)

    def link(self) -> str:
        base = (st.context.url or "").split("?")[0] if hasattr(st.context, "url") else ""
        return f"{base}?{self.query()}"

    def citation(self, package: Package) -> str:
        return cite.view_citation(package, PAGES[self.page], self.filters, dt.date.today().isoformat(),
                                  self.link())


def publish(view: View) -> None:
    """Write the page and its non-default filters into the URL (replacing the previous page's)."""
    wanted = {"page": view.page, **view.params}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normal = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normal:
        st.query_params.from_dict(wanted)


def date_filters(view: View, prefix: str, first: dt.date, last: dt.date, label: str) -> tuple[dt.date, dt.date]:
    """Two date inputs (from, to) bounded by the data; kept in the URL as from= and to=."""
    inside = lambda d: isinstance(d, dt.date) and first <= d <= last
    seed(f"{prefix}.from", first, parse=_parse_date, valid=inside)
    seed(f"{prefix}.to", last, parse=_parse_date, valid=inside)
    a, b = st.columns(2)
    start = a.date_input(f"{label} from", min_value=first, max_value=last, key=f"{prefix}.from", format="YYYY-MM-DD")
    end = b.date_input(f"{label} to", min_value=first, max_value=last, key=f"{prefix}.to", format="YYYY-MM-DD")
    view.filter("from", start, first, start.isoformat())
    view.filter("to", end, last, end.isoformat())
    return start, end


# ------------------------------------------------------------------------------------------
# Text and tables

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str | None) -> str:
    """Return data text escaped for st.markdown: shown as written, never interpreted."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The table as CSV, list cells joined with spaces."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(lists).list.join(" ")).write_csv().encode("utf-8")


LINK = st.column_config.LinkColumn("source URL", display_text="open source", width="small")


def table(frame: pl.DataFrame, key: str, height: int | str = "auto", **config) -> None:
    """Show a table (escaped by Streamlit); URLs as links."""
    column_config = {"url": LINK, "quote": st.column_config.TextColumn("quote", width="large"), **config}
    # Dates as written (ISO 8601), not as midnight timestamps.
    frame = frame.with_columns(pl.col(pl.Date).cast(pl.String))
    st.dataframe(frame, hide_index=True, width="stretch", height=height, key=key,
                 column_config={k: v for k, v in column_config.items() if k in frame.columns})


def fitted_height(rows: int, most: int = 600) -> int:
    """The height (pixels) that shows a table's rows without scrolling, up to `most`."""
    return min(most, 38 + 35 * rows)


def empty(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


# ------------------------------------------------------------------------------------------
# The chart frame: citation, quotes and downloads around what is on screen


def chart(figure, key: str, citation: str, quotes: pl.DataFrame | None, quotes_note: str = "",
          alt: str | None = None) -> None:
    """Show a plotly chart with its "cite this figure" text and the quotes behind it."""
    figure.update_layout(width=None, autosize=True)
    st.plotly_chart(figure, theme=None, width="stretch", key=key, config={"displaylogo": False}, alt=alt)
    with st.expander("Cite this figure · the quotes behind its numbers"):
        st.caption("Cite this figure")
        st.code(citation, language=None, wrap_lines=True)
        if quotes is None:
            st.caption(quotes_note or "The quotes are in the table below.")
        elif not quotes.height:
            st.caption("No rows behind this figure in the current selection.")
        else:
            st.caption(f"{quotes.height} rows behind this figure, each with the words of its source")
            table(quotes, key=f"{key}-quotes", height=fitted_height(quotes.height, 420))


def figure_citation(package: Package, figure_id: str, view: View) -> str:
    """Citation of a registered figure; when filtered, the view's filters too."""
    text = cite.figure_citation(package, figure_id)
    if view.params:
        shown = "; ".join(f"{k}: {v}" for k, v in view.filters.items())
        text += f" Filtered view ({shown}), accessed {dt.date.today().isoformat()}: {view.link()}"
    return text


def download_view(package: Package, view: View, label: str, key: str, icon: str | None = None) -> None:
    """A button that downloads the view's table as CSV, named after the package version."""
    st.download_button(label, csv_bytes(view.data), file_name=f"scamstats-{package.version}-{view.data_name}.csv",
                       mime="text/csv", key=key, icon=icon)


def offer_download(package: Package, view: View) -> None:
    """The table on screen as CSV, with a citation recording the filters, date and version."""
    st.session_state["last_view"] = view
    if view.data is None:
        return
    st.divider()
    st.subheader("Download this view")
    citation = view.citation(package)
    left, right = st.columns([1, 3])
    with left:
        download_view(package, view, f"CSV of this table ({view.data.height} rows)", f"download-{view.page}",
                      icon=":material/download:")
        st.download_button("Citation (text)", citation.encode("utf-8"),
                           file_name=f"scamstats-{package.version}-{view.data_name}-citation.txt",
                           mime="text/plain", key=f"cite-{view.page}")
    with right:
        st.code(citation, language=None, wrap_lines=True)
