"""The chart frame and the claim cards every page shares.

`registry_figure` renders a figure of the registry (`scamstats.figures`) for the rows a page's
filters select, once per package version and filters, and readies it for a screen of any
width (`screen.for_screen`): the title and caption leave the picture for text above and below
it (they wrap on a phone; plotly's do not), the legend goes below the plot, colour scales lie
flat under it.
`chart` shows it with its disagreements inline, its citation and the quotes behind it.
`claim_cards` shows one card per claim with every source that gives it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from phone import fit_date_ticks
from screen import for_screen, notes_below
from widgets import View, fitted_height, folded, memo, memo_shared, plain, quote_blocks, table

from scamstats import cite, figures, labels, stats
from scamstats.package import Package

# No plotly toolbar: on a phone it covers the chart's top (zoom by dragging, reset by a
# double click; Streamlit's own toolbar offers full screen).
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


@dataclass(frozen=True)
class Shown:
    """A figure ready for the screen, with the words that go around it."""

    figure: go.Figure
    title: str
    subtitle: str
    caption: str
    source_note: str
    figure_id: str | None
    data: pl.DataFrame
    source_ids: tuple[str, ...]
    notes: tuple[str, ...] = ()  # what the picture wrote in its corners, now written below it


def _from_registry(figure_id: str, selection: Package) -> Shown:
    rendered = figures.render(figure_id, selection)
    spec = rendered.spec
    figure = for_screen(rendered.figure, figure_id)
    return Shown(figure, spec.title, spec.subtitle, spec.caption, rendered.source_note, figure_id, rendered.data,
                 tuple(rendered.source_ids), notes_below(figure))


def registry_figure(view: View, figure_id: str, selection: Package | None = None, key: tuple = ()) -> Shown:
    """The registry's figure `figure_id` drawn from `selection` (the rows the page's filters
    keep; the whole package by default), cached per version, figure and `key` (the filters)."""
    chosen = selection or view.package
    return memo_shared(view.version, f"figure:{figure_id}", key, lambda: _from_registry(figure_id, chosen))


def series_figure(view: View, series: pl.DataFrame, title: str, subtitle: str, key: tuple,
                  off_scale: bool = True) -> Shown:
    """A chart of a `stats.breakdown_series` frame (`figures.count_series_figure`), cached.
    `off_scale=False` for charts drawn on a scale shared with others (small multiples)."""
    def draw() -> Shown:
        figure = for_screen(figures.count_series_figure(series, title, subtitle, off_scale=off_scale))
        return Shown(figure, title, subtitle, "", "", None, series, tuple(series["source_ids"].explode().drop_nulls()),
                     notes_below(figure))
    return memo_shared(view.version, "series-figure", (title, subtitle, off_scale, *key), draw)


def figure_citation(view: View, figure_id: str | None) -> str:
    """Citation of a registered figure (of the view when it is not one); with the view's filters
    and public link when filtered."""
    if figure_id is None:
        return view.citation()
    text = cite.figure_citation(view.package, figure_id, digest=view.version.digest)
    if view.params:
        shown = "; ".join(f"{k}: {v}" for k, v in view.filters.items())
        text += f" Filtered view ({shown}), accessed {dt.date.today().isoformat()}: {view.link()}"
    return text


def chart(view: View, shown: Shown, key: str, quotes: pl.DataFrame | None = None, quotes_note: str = "",
          disagreements: list[str] | None = None, y_range: tuple[float, float] | None = None,
          x_range: tuple[str, str] | None = None, heading: bool = True) -> None:
    """Show a chart: its title and subtitle above; below it, where sources disagree on its
    numbers (inline, never folded away), its caption and sources; then its citation and quotes."""
    if heading:
        st.markdown(f"##### {plain(shown.title)}")
        if shown.subtitle:
            st.caption(plain(shown.subtitle))
    figure = shown.figure
    if y_range is not None:  # small multiples share one scale
        figure = go.Figure(figure)
        figure.update_yaxes(range=list(y_range))
        if x_range is not None and len(list(figure.select_xaxes())) == 1:  # and one span of time
            figure.update_xaxes(range=list(x_range))
            fit_date_ticks(figure)  # ticks that stand apart over the new span
    alt = figures.get(shown.figure_id).alt if shown.figure_id else f"Chart: {shown.title}. {shown.subtitle}"
    st.plotly_chart(figure, theme=None, width="stretch", key=key, config=PLOTLY_CONFIG, alt=alt)
    if shown.notes:
        st.caption(plain(" · ".join(shown.notes)))
    if disagreements:
        st.markdown("**Where sources disagree here:**\n" + "\n".join(f"- {line}" for line in disagreements))
    words = " ".join(part for part in (shown.caption, shown.source_note) if part)
    if words:
        st.caption(plain(words))
    box = folded("Cite this figure · the quotes behind its numbers", f"{key}.cite")
    if box is None:
        return
    with box:
        st.caption("Cite this figure")
        st.code(figure_citation(view, shown.figure_id), language=None, wrap_lines=True)
        if quotes is None:
            st.caption(quotes_note or "The quotes are in the table below.")
        elif not quotes.height:
            st.caption("No rows behind this figure in the current selection.")
        else:
            st.caption(f"{quotes.height} rows behind this figure, each with the words of its source")
            table(quotes, key=f"{key}-quotes", height=fitted_height(quotes.height, 420))


# ------------------------------------------------------------------------------------------
# Who says what


def publishers(view: View, source_ids: list[str]) -> str:
    """The publishers of some sources, each once, in order ('AP, Khmer Times')."""
    known = memo_shared(view.version, "sources-by-id", (), lambda: stats.sources_by_id(view.package))
    names = [(known.get(s) or {}).get("publisher") or s for s in source_ids]
    return ", ".join(dict.fromkeys(names))


def series_disagreements(view: View, series: pl.DataFrame) -> list[str]:
    """One line per date of a `stats.official_series` frame on which sources give different
    numbers: the date, the series and who says what (markdown, text escaped)."""
    lines = []
    for row in series.filter(pl.col("sources_disagree")).iter_rows(named=True):
        low = labels.format_count(row["value_low"], row["qualifier_low"])
        high = labels.format_count(row["value_high"], row["qualifier_high"])
        lines.append(
            f"{plain(labels.format_date(row['as_of'], row['as_of_precision']))}, "
            f"{plain(labels.metric_label(row['metric']))}, {plain(labels.baseline_label(row['baseline']))}: "
            f"**{plain(low)}** ({plain(publishers(view, row['sources_low']))}) to "
            f"**{plain(high)}** ({plain(publishers(view, row['sources_high']))})")
    return lines


ROW_TABLES = {"arrests": "observation_id", "survivors": "group_id", "raids": "raid_id", "timeline": "event_id",
              "compounds": "compound_id"}


def rows_with_sources(view: View, row_ids: list[str]) -> list[dict]:
    """The rows with these ids, from any resource, each with its source's publisher, title,
    URL, date and language: what a card lists as who says what."""
    def find() -> list[dict]:
        package = view.package
        languages = package.tables["sources"].select("source_id", "language", "published_precision")
        found = []
        for name, id_column in ROW_TABLES.items():
            behind = package.tables[name].filter(pl.col(id_column).is_in(row_ids))
            if behind.height:
                found += stats.with_source_details(package, behind).join(
                    languages, on="source_id", how="left").with_columns(
                    pl.col(id_column).alias("row_id")).to_dicts()
        order = {row_id: i for i, row_id in enumerate(row_ids)}
        return sorted(found, key=lambda r: order.get(r["row_id"], len(order)))
    return memo(view.version, "rows-with-sources", tuple(row_ids), find)


def who_says_what(rows: list[dict], value_column: str = "value") -> list[str]:
    """Lines 'value: publisher (date), publisher (date)' for each number the rows give, lowest
    first (markdown, text escaped)."""
    by_value: dict[tuple, list[str]] = {}
    for row in rows:
        # A survivors row gives its number as `count`, the other tables as `value`.
        value = row.get(value_column) if row.get(value_column) is not None else row.get("count")
        words = labels.format_count(value, row.get("qualifier"))
        when = labels.format_date(row.get("source_published"), row.get("published_precision") or "day")
        by_value.setdefault((value or 0, words), []).append(f"{row.get('publisher') or row['source_id']} ({when})")
    return [f"**{plain(words)}**: {plain('; '.join(dict.fromkeys(who)))}"
            for (_, words), who in sorted(by_value.items(), key=lambda item: item[0])]


def claim_cards(view: View, frame: pl.DataFrame, key: str, per_row: int = 3) -> None:
    """One card per claim (a `stats.headline_numbers` row): the number (a range when sources
    disagree), what it counts and since when, how many reports give it, who says what inline
    when they disagree, and every source with its quote one click away."""
    rows = list(frame.iter_rows(named=True))
    for start in range(0, len(rows), per_row):
        columns = st.columns(per_row)
        for index, (column, row) in enumerate(zip(columns, rows[start:start + per_row], strict=False), start):
            with column.container(border=True, height="stretch"):
                claim_card(view, row, f"{key}.{index}.quotes")


def claim_card(view: View, row: dict, key: str) -> None:
    # One markdown element for the card's words: 21 cards stay light for the browser to draw.
    label = row.get("label") or ""
    behind = rows_with_sources(view, list(row["row_ids"]))
    reports = row.get("reports_label") or labels.reports_label(len(behind), 0)
    if row.get("value_high") is not None and str(row["value_high"]) != str(row["value"]):
        says = "Sources disagree:\n" + "\n".join(f"- {line}" for line in who_says_what(behind))
    else:
        named = list(dict.fromkeys(r.get("publisher") or r["source_id"] for r in behind))
        says = ("Sources: " if len(named) > 1 else "Source: ") + plain("; ".join(named))
    st.markdown(f"### {plain(row['value_text'])}\n\n"
                f"{plain(label.removeprefix(row['value_text']).strip(' :') or row['headline'])}\n\n"
                f":gray[:small[{plain(reports)}]]\n\n{says}")
    box = folded("Quotes and links", key, popover=True, icon=":material/format_quote:", width="stretch")
    if box is not None:
        with box:
            quote_blocks(behind)


# ------------------------------------------------------------------------------------------
# Operations reported with different counts


def operation_sides(view: View, selection: Package, key: tuple) -> dict[str, list[dict]]:
    """Each disputed operation of the selection (`stats.operation_conflict_sides`): its reports,
    with their sources, by operation id."""
    def find() -> dict[str, list[dict]]:
        sides = stats.with_source_details(selection, stats.operation_conflict_sides(selection))
        by_operation: dict[str, list[dict]] = {}
        for side in sides.iter_rows(named=True):
            by_operation.setdefault(side["operation_id"], []).append(side)
        return by_operation
    return memo(view.version, "operation-sides", key, find)


def operation_title(first: dict) -> str:
    place = ", ".join(p for p in (first.get("place"), labels.province_name(first["province_code"])
                                  if first.get("province_code") else None) if p)
    when = labels.format_date(first["date"], first.get("date_precision") or "day")
    return f"{when}: {first['event_type']} at {place}" if place else f"{when}: {first['event_type']}"


def operation_line(reports: list[dict]) -> str:
    """'31 January 2026: raid at Bavet: detained 2,044 (Ministry, counted); more than 2,000 (Mekong Independent)'."""
    first = next((r for r in reports if r["counted"]), reports[0])
    parts = []
    for count in first["differs"]:
        said = [f"**{plain(labels.format_count(r[count], r[f'{count}_qualifier']))}** "
                f"({plain(r.get('publisher') or r['source_id'])}{', counted' if r['counted'] else ''})"
                for r in reports if r[count] is not None]
        parts.append(f"{plain(count.removeprefix('persons_'))}: " + "; ".join(said))
    return f"{plain(operation_title(first))}: " + " · ".join(parts)


def operation_lines(view: View, selection: Package, key: tuple) -> list[str]:
    """One line per operation of the selection whose reports give different counts."""
    return [operation_line(reports) for reports in operation_sides(view, selection, key).values()]


def operation_cards(view: View, selection: Package, key: tuple = ()) -> None:
    """One card per operation reported with different counts: who says what, and the quotes."""
    for reports in operation_sides(view, selection, key).values():
        with st.container(border=True):
            first = next((r for r in reports if r["counted"]), reports[0])
            st.markdown(f"#### {plain(operation_title(first))}")
            for count in first["differs"]:
                values = [r[count] for r in reports if r[count] is not None]
                st.markdown(f"**{plain(count.replace('_', ' '))}: "
                            f"{plain(labels.format_count_range(min(values), max(values), None))}**")
                st.markdown("\n".join(
                    f"- **{plain(labels.format_count(r[count], r[f'{count}_qualifier']))}**: "
                    f"{plain(r.get('publisher') or r['source_id'])}{' (the report it is counted under)' if r['counted'] else ''}"
                    for r in reports if r[count] is not None))
            box = folded("Quotes and links", f"operation.{first['operation_id']}.quotes", popover=True,
                         icon=":material/format_quote:")
            if box is not None:
                with box:
                    quote_blocks(rows_with_sources(view, [r["raid_id"] for r in reports]))
