"""What every page of the dashboard shares: the version on screen and the caches keyed on it
(`memo`), the filters kept in the URL (`seed`, `View`, `publish`, `date_filters`, `section`),
and text a reader can follow (`plain`, `link`, `quote_block`, `highlighted`, `table`).

Charts, cards and disagreements are in `charts.py`. No statistics here: pages ask
`scamstats.stats` for numbers and `scamstats.labels` for words. Text from the CSVs goes through
st.dataframe, st.code or `plain()` (markdown escaped); never through unsafe HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from scamstats import cite, labels
from scamstats.package import Package

# Each page's `page=` value in the URL and its name in the sidebar, in the sidebar's order.
PAGES = {
    "overview": "Overview",
    "arrests": "Arrests and deportations",
    "raids": "Raids",
    "compounds": "Compounds",
    "disagree": "Where sources disagree",
    "survivors": "Survivors",
    "search": "Search quotes",
    "sources": "Sources",
    "download": "Download and cite",
}
ALL = "ALL"
T = TypeVar("T")

# Where each figure of the registry is shown: its page and the part of the page (`show=`).
FIGURE_PAGES = {
    "official-tallies-crackdown": ("arrests", "official"), "official-tallies-deportations": ("arrests", "official"),
    "detentions-by-nationality-latest": ("arrests", "compare"),
    "detentions-by-nationality-over-time": ("arrests", "compare"),
    "share-of-women": ("arrests", "women"), "returns-by-nationality": ("arrests", "returns"),
    "raids-per-month": ("raids", "month"), "raids-by-province": ("raids", "provinces"),
    "raids-by-province-and-year": ("raids", "provinces"), "raids-map": ("raids", "map"),
    "compounds-map": ("compounds", "map"), "compounds-by-province": ("compounds", "provinces"),
    "compounds-status-by-province": ("compounds", "provinces"), "compounds-after-raids": ("compounds", "after"),
    "survivor-demographics": ("survivors", None), "headline-numbers": ("overview", "headlines"),
    "timeline": ("overview", None),
}


def figure_query(figure_id: str) -> str:
    """The query (`?page=...&show=...`) that opens the page showing a figure."""
    page, part = FIGURE_PAGES[figure_id]
    return "?" + urlencode({"page": page, **({"show": part} if part else {})})


# ------------------------------------------------------------------------------------------
# The version on screen, and what is cached per version


@dataclass(frozen=True)
class Version:
    """The package on screen and the sha256 of the descriptor it was read from: every cache
    and every citation of a run uses this one digest, so numbers and citations agree."""

    package: Package
    digest: str


@st.cache_data(max_entries=1024, show_spinner=False)
def _memo(digest: str, name: str, key: tuple, _compute: Callable[[], Any]) -> Any:
    return _compute()


def memo(version: Version, name: str, key: tuple, compute: Callable[[], T]) -> T:
    """Return `compute()`, cached per package version (`digest`), `name` and `key` (the
    filters it depends on: everything `compute` reads besides the package must be in it)."""
    return _memo(version.digest, name, key, compute)


@st.cache_resource(max_entries=512, show_spinner=False)
def _memo_shared(digest: str, name: str, key: tuple, _compute: Callable[[], Any]) -> Any:
    return _compute()


def memo_shared(version: Version, name: str, key: tuple, compute: Callable[[], T]) -> T:
    """`memo` for what is large and only read (plotly figures, lookups): kept as one object,
    not copied per run as `memo` copies (unpickling a figure costs tens of milliseconds).
    What it returns must never be changed afterwards."""
    return _memo_shared(version.digest, name, key, compute)


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
    version: Version
    params: dict[str, str | list[str]] = field(default_factory=dict)  # non-default filters
    filters: dict[str, str] = field(default_factory=dict)  # the same, in words
    data: pl.DataFrame | None = None
    data_name: str = "view"

    @property
    def package(self) -> Package:
        return self.version.package

    def filter(self, name: str, value, default, words: str) -> None:
        """Record one filter; it goes into the URL only when it differs from the default."""
        if value != default:
            self.params[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        self.filters[name] = words

    def key(self) -> tuple:
        """The filters as a cache key."""
        return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in self.params.items()))

    def query(self) -> str:
        return urlencode({"page": self.page, **self.params}, doseq=True)

    def link(self) -> str:
        """The public link of this view (`cite.view_link`): never this machine's address."""
        return cite.view_link(self.package, self.query())

    def citation(self) -> str:
        return cite.view_citation(self.package, PAGES[self.page], self.filters, dt.date.today().isoformat(),
                                  self.link(), digest=self.version.digest)


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
    view.filter("from", start, first, labels.format_date(start))  # in words; the URL keeps ISO
    view.filter("to", end, last, labels.format_date(end))
    return start, end


def section(view: View, options: dict[str, str]) -> str:
    """A row of buttons choosing what part of a page to show (kept in the URL as show=); only
    that part is drawn, so a page with many figures stays quick."""
    keys = list(options)
    seed(f"{view.page}.show", keys[0], name="show", valid=keys)
    chosen = st.segmented_control("Show", keys, key=f"{view.page}.show", required=True,
                                  format_func=options.get, label_visibility="collapsed")
    view.filter("show", chosen, keys[0], options[chosen])
    return chosen


# ------------------------------------------------------------------------------------------
# Text a reader can follow

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str | None) -> str:
    """Return data text escaped for st.markdown: shown as written, never interpreted."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def safe_url(url: str | None) -> str | None:
    """Return an http(s) URL fit for a markdown link target (spaces, brackets and quotes
    percent-encoded), or None for anything else (javascript:, data:, relative...)."""
    if not url or urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return None
    return quote(url.strip(), safe=":/?#@!$&*+,;=%~-._'")


def link(text: str, url: str | None) -> str:
    """A markdown link with the text escaped; the escaped text alone when the URL is not http(s)."""
    target = safe_url(url)
    return f"[{plain(text)}]({target})" if target else plain(text)


def highlighted(text: str | None, marks: Iterable[Iterable[int]] = (), numbers: Iterable[Iterable[int]] = ()) -> str:
    """Return text escaped for markdown, the `marks` spans (words searched for) in bold and the
    `numbers` spans (the row's figure) bold on an orange background."""
    text = text or ""
    kind = [0] * len(text)
    for spans, flag in ((marks, 1), (numbers, 2)):
        for start, end in spans:
            for i in range(max(0, start), min(len(text), end)):
                kind[i] |= flag
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and kind[j] == kind[i]:
            j += 1
        piece = text[i:j]
        if kind[i] and piece.strip():
            lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", piece, re.DOTALL).groups()
            body = f"**{plain(core)}**"
            out.append(lead + (f":orange-background[{body}]" if kind[i] & 2 else body) + trail)
        else:
            out.append(plain(piece))
        i = j
    return "".join(out)


def source_line(row: dict) -> str:
    """'[Publisher · title](url) · December 2025': the source as a link, dated at its precision."""
    name = " · ".join(part for part in (row.get("publisher"), row.get("title")) if part)
    when = labels.format_date(row.get("source_published") or row.get("published"),
                              row.get("published_precision") or "day")
    return f"{link(name or row.get('source_id') or 'source', row.get('url'))} · {plain(when)}"


def quote_markdown(row: dict, marks: Iterable = (), numbers: Iterable = ()) -> str:
    """A quote as its source wrote it, the English note beside it when the source is not in
    English, and the source as a link dated at its precision (markdown, text escaped)."""
    lines = ["> " + highlighted(row.get("quote"), marks, numbers)]
    language = row.get("language")
    if language and language != "en" and row.get("note"):
        lines.append(f"*English ({plain(language)} original):* {plain(row['note'])}")
    lines.append(source_line(row))
    return "\n\n".join(lines)


def quote_block(row: dict, marks: Iterable = (), numbers: Iterable = ()) -> None:
    """`quote_markdown`, shown."""
    st.markdown(quote_markdown(row, marks, numbers))


def folded(label: str, key: str, popover: bool = False, **options: Any) -> DeltaGenerator | None:
    """An expander (a popover when `popover`) whose content is built only once a reader opens
    it: return the container to fill when it is open, None while it is closed. What is folded
    away (quotes, citations, tables) is then neither computed nor sent with the page, so a
    page and its first chart come sooner; opening it reruns the page."""
    box = (st.popover if popover else st.expander)(label, key=key, on_change="rerun", **options)
    return box if box.open else None


def quote_blocks(rows: Iterable[dict]) -> None:
    """Several quotes in one block (one element however many: a card stays light to send)."""
    st.markdown("\n\n---\n\n".join(quote_markdown(row) for row in rows))


# ------------------------------------------------------------------------------------------
# Tables

LINK = st.column_config.LinkColumn("source", display_text="open source", width="small")


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The table as CSV, list cells joined with spaces."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(lists).list.join(" ")).write_csv().encode("utf-8")


def dates_in_words(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each date column as people read it, at its precision ('3 December 2025',
    'December 2025', '2025'): the precision of `<column>` is `<column>_precision` when the frame
    has one, else the day. Never ISO dates, never a month shown as its first day."""
    return frame.with_columns(
        labels.dates_at_precision(pl.col(name), pl.col(f"{name}_precision") if f"{name}_precision" in frame.columns
                                  else pl.lit("day")).alias(name)
        for name, dtype in frame.schema.items() if dtype == pl.Date)


def counts_in_words(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each count that has a `<column>_qualifier` worded as its source words it
    ('at least 2,000', '2,044'), empty where there is no count."""
    return frame.with_columns(
        pl.when(pl.col(name).is_not_null()).then(labels.count_texts(pl.col(name), pl.col(f"{name}_qualifier")))
        .otherwise(pl.lit("")).alias(name)
        for name in frame.columns if f"{name}_qualifier" in frame.columns and frame.schema[name].is_integer())


def table(frame: pl.DataFrame, key: str, height: int | str = "auto", **config) -> None:
    """Show a table (escaped by Streamlit); URLs as links, dates at their precision, counts as
    their sources word them. The CSV offered for download keeps the values as they are."""
    column_config = {"url": LINK, "quote": st.column_config.TextColumn("quote", width="large"), **config}
    frame = counts_in_words(dates_in_words(frame)).with_columns(pl.col(pl.String).fill_null(""))  # empty, not "None"
    st.space("small")  # room for the table's toolbar, which would otherwise cover the line above
    st.dataframe(frame, hide_index=True, width="stretch", height=height, key=key,
                 column_config={k: v for k, v in column_config.items() if k in frame.columns})


def fitted_height(rows: int, most: int = 600) -> int:
    """The height (pixels) that shows a table's rows without scrolling, up to `most`."""
    return min(most, 38 + 35 * rows)


def empty(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def download_view(view: View, label: str, key: str, icon: str | None = None) -> None:
    """A button that downloads the view's table as CSV, named after the package version."""
    st.download_button(label, csv_bytes(view.data), file_name=f"scamstats-{view.package.version}-{view.data_name}.csv",
                       mime="text/csv", key=key, icon=icon)


def offer_download(view: View) -> None:
    """The table on screen as CSV, with a citation recording the filters, date and version.

    The citation is text to select (and a file to download), not a code block: a code block
    would load the front end's syntax highlighter, 1.5 MB, with every page before its charts."""
    st.session_state["last_view"] = view
    if view.data is None:
        return
    st.divider()
    st.subheader("Download and cite this view")
    citation = view.citation()
    left, right = st.columns([2, 5])  # wide enough for the buttons' words at a desktop's width
    with left:
        download_view(view, f"CSV of this table ({view.data.height} rows)", f"download-{view.page}",
                      icon=":material/download:")
        st.download_button("Citation (text)", citation.encode("utf-8"),
                           file_name=f"scamstats-{view.package.version}-{view.data_name}-citation.txt",
                           mime="text/plain", key=f"cite-{view.page}")
    with right:
        with st.container(key="view-citation", border=True):
            st.markdown(plain(citation))
        st.markdown(f"Link to this view: {link(view.link(), view.link())}")
