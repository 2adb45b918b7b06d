"""The quote search page: every quote and source title, in any language and script; the rows
that match, each quote with the words searched for in bold and the row's number marked, the
English note beside a quote in another language, and the figures that cite the matches."""

from __future__ import annotations

import polars as pl
import streamlit as st
from widgets import (
    FIGURE_PAGES,
    PAGES,
    Version,
    View,
    empty,
    figure_query,
    fitted_height,
    memo,
    plain,
    quote_block,
    seed,
    table,
)

from scamstats import cite, labels, stats

CARDS = 25  # quotes shown in full; the table lists every match


def show(version: Version) -> View:
    view = View("search", version)
    package = version.package
    st.title("Search quotes")
    st.markdown("Search the words of every source: each row's verbatim quote and each source's title, in any "
                "language and script (Khmer, Thai, Chinese, Vietnamese...). Case and, in Latin script, accents "
                "are ignored: *bat giu* finds *bắt giữ*.")
    seed("search.q", "", name="q")
    query = st.text_input("Words or a number to find", key="search.q", placeholder="e.g. Bavet, 2,137, WNI, 逮捕")
    view.filter("q", query, "", query or "none")
    if not stats.fold_query(query):
        empty("Type a word, a name or a number to search every quote and source title.")
        return view
    found = memo(version, "search", (query,), lambda: stats.search_quotes(package, query))
    if not found.height:
        empty("No quote or source title contains these words.")
        return view
    sources = found["source_id"].n_unique()
    st.subheader(f"{found.height} row{'s' if found.height != 1 else ''} from {sources} "
                 f"source{'s' if sources != 1 else ''} match{'es' if found.height == 1 else ''}")

    cited = memo(version, "figure-rows", (), lambda: cite.figure_rows(package))
    matched = set(found["row_id"].to_list())
    citing = [(figure_id, entry["title"], len(matched & entry["rows"])) for figure_id, entry in cited.items()
              if matched & entry["rows"]]
    if citing:
        st.markdown("**Figures that cite these rows:**\n" + "\n".join(
            f"- [{plain(title)}]({figure_query(figure_id)}) ({PAGES[FIGURE_PAGES[figure_id][0]]}), "
            f"{count} of the rows" for figure_id, title, count in citing))
    else:
        st.caption("No figure draws these rows; they are in the tables of their pages.")

    shown = found.select(
        "resource", "what", labels.dates_at_precision(pl.col("date"), pl.col("date_precision")).alias("date"),
        "quote", "note", "publisher", "title", "url", "language", "matched_in", "row_id", "source_id")
    table(shown, key="search-table", height=fitted_height(shown.height, 420))
    st.subheader("The quotes")
    if found.height > CARDS:
        st.caption(f"The newest {CARDS} of {found.height}; the table above lists every match.")
    for row in found.head(CARDS).iter_rows(named=True):
        with st.container(border=True):
            when = labels.format_date(row["date"], row["date_precision"] or "day")
            st.caption(plain(f"{row['resource']} · {row['what']} · {when} · {row['row_id']}"))
            quote_block(row, row["quote_spans"], row["number_spans"])
    view.data, view.data_name = shown, "quote-search"
    return view
