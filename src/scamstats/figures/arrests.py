"""Figures of the arrests table: the official cumulative tallies (arrests and detentions of the
crackdown, deportations and repatriations), who was detained by nationality (latest and over
time), the share of women among those counted, and returns by nationality; and
`count_series_figure`, a chart of any selection of series (the dashboard's arrests page)."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from scamstats import stats
from scamstats.figures.marks import (
    Plotted,
    date_range,
    empty_result,
    hidden_cells_note,
    left_labels,
    milestones,
    no_data,
    pad_dates,
    qualifier_legend,
    series_line,
    short,
    spread,
)
from scamstats.figures.registry import register
from scamstats.figures.theme import (
    GREY,
    GRID,
    HEIGHT,
    LIGHT_GREY,
    PALETTE,
    QUALIFIER_SYMBOL,
    TEMPLATE,
    colour_map,
    subtitled,
)
from scamstats.labels import METRIC_LABELS, baseline_label, country_name, format_count, format_date
from scamstats.package import Package
from scamstats.privacy import SMALL_CELL_LABEL

# ------------------------------------------------------------------------------------------
# Official tallies


def series_figure(package: Package, metrics: tuple[str, ...], since: dt.date | None, what: str) -> Plotted:
    """One panel per metric; one line per baseline (never joined across baselines)."""
    series = stats.official_series_with_baseline(package, metrics, since)
    if not series.height:
        return empty_result(what)
    present = [m for m in metrics if m in set(series["metric"])]
    figure = make_subplots(rows=1, cols=len(present), horizontal_spacing=0.09,
                           subplot_titles=[METRIC_LABELS[m].capitalize() for m in present])
    baselines = sorted(set(series["baseline"]))
    colours = colour_map(baselines)
    qualifiers: set[str] = set()
    start, end = date_range(series["as_of"].to_list())
    in_first_panel = set(series.filter(pl.col("metric") == present[0])["baseline"])
    for column, metric in enumerate(present, start=1):
        panel = series.filter(pl.col("metric") == metric)
        top = max(1, panel["value_high"].max())
        ends = []
        for baseline in baselines:
            part = panel.filter(pl.col("baseline") == baseline).sort("as_of")
            if not part.height:
                continue
            label = baseline_label(baseline)
            colour = colours[baseline]
            qualifiers |= set(part["qualifier_low"].to_list()) | set(part["qualifier_high"].to_list())
            figure.add_trace(series_line(
                part, f"{METRIC_LABELS[metric]} {label}", colour, mode="lines+markers",
                name=label[0].upper() + label[1:], legendgroup=str(baseline),
                showlegend=column == 1 or baseline not in in_first_panel,
                # Past the palette's length colours repeat: a dashed line tells the two apart.
                line={"color": colour, "width": 2.5,
                      "dash": "dash" if baselines.index(baseline) >= len(PALETTE) else "solid"},
            ), row=1, col=column)
            last = part.row(-1, named=True)
            ends.append((last["value_high"], last, colour))
        positions = spread([e[0] for e in ends], top * 0.055)
        for (value, last, colour), y in zip(ends, positions, strict=True):
            figure.add_annotation(
                x=last["as_of"].isoformat(), y=y, xref=f"x{column if column > 1 else ''}",
                yref=f"y{column if column > 1 else ''}", text=format_count(value, last["qualifier_high"]),
                showarrow=False, xanchor="left", xshift=8, font={"size": 12, "color": colour},
            )
        figure.update_yaxes(rangemode="tozero", tickformat=",", row=1, col=column,
                            range=[0, top * 1.12 + top * 0.055 * max(0, len(ends) - 1)])
        figure.update_xaxes(row=1, col=column, tickformat="%b %Y", nticks=6)
    qualifier_legend(figure, qualifiers)
    axes = tuple(f"x{c if c > 1 else ''}" for c in range(1, len(present) + 1))
    milestone_sources = milestones(figure, package, start, end, limit=3 if len(axes) > 1 else 4, axes=axes)
    pad_dates(figure, start, end, right=0.14)
    figure.update_yaxes(title_text="people (cumulative, as announced)", row=1, col=1)
    figure.update_layout(width=1100, margin={"r": 210})
    data = series.filter(pl.col("metric").is_in(present))
    sources = sorted({s for ids in data["source_ids"].to_list() for s in ids}) + milestone_sources
    return figure, data, sources


CRACKDOWN_START = dt.date(2025, 6, 1)


@register(
    "official-tallies-crackdown",
    "Official tallies of the 2025–26 crackdown, by baseline",
    "People arrested or detained, cumulative, as announced; one line per metric and baseline",
    "Each line is one official series counted from one stated start date (baseline); series with "
    "different baselines are never added. Triangles mark 'at least' figures; a vertical bar spans "
    "the lowest and highest figure when sources disagree for the same date. Baselines from June 2025; "
    "dotted lines are milestones (labelled in the first panel).",
    "Line chart of cumulative official counts of people arrested and detained in Cambodia's 2025–26 "
    "crackdown on scam compounds, one line per baseline (for example since 27 June 2025 and since "
    "the 14 July 2025 directive), with milestones marked.",
)
def plot_official_tallies(package: Package) -> Plotted:
    return series_figure(package, ("arrested", "detained"), CRACKDOWN_START,
                         "no official arrest or detention totals with a stated baseline since June 2025")


@register(
    "official-tallies-deportations",
    "Deportations and repatriations: published cumulative totals",
    "People deported from Cambodia or repatriated home, counted from a stated baseline",
    "Each line is one series with its own stated start date; totals with different baselines or "
    "with no stated baseline are not combined (the latter are in 'returns by nationality'). "
    "Triangles mark 'at least' figures; bars span disagreeing sources.",
    "Line chart of cumulative published totals of people deported from Cambodia or repatriated, "
    "one line per metric and baseline.",
)
def plot_official_deportations(package: Package) -> Plotted:
    return series_figure(package, stats.RETURN_METRICS, None,
                         "no deportation or repatriation totals with a stated baseline")


# ------------------------------------------------------------------------------------------
# Detentions by nationality


@register(
    "detentions-by-nationality-latest",
    "Who was detained: the latest published breakdown by nationality",
    "People arrested or detained nationwide, by nationality, from one source on one date",
    "Bars show the most recent nationwide breakdown by nationality in the package, from a single "
    "source; 'Other or not stated' is the part of that source's total it did not break down. "
    "'At least' figures are labelled as such.",
    "Horizontal bar chart of people detained in Cambodia's scam-compound raids by nationality, "
    "from the latest published nationwide breakdown.",
)
def plot_nationality_latest(package: Package) -> Plotted:
    frame = stats.latest_nationality_breakdown(package)
    if not frame.height:
        return empty_result("no nationwide breakdown of detentions by nationality")
    frame = frame.sort("value")
    first = frame.row(0, named=True)
    colours = [LIGHT_GREY if n == "OTHER" else PALETTE[0] for n in frame["nationality"]]
    labels = [format_count(v, q) for v, q in zip(frame["value"], frame["qualifier"], strict=True)]
    figure = go.Figure(go.Bar(
        x=frame["value"].to_list(), y=frame["nationality_name"].to_list(), orientation="h",
        marker_color=colours, text=labels, textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    total = first["total_value"]
    what = f"{METRIC_LABELS[first['metric']]} {first['baseline_label']}, as of " \
           f"{format_date(first['as_of'], first['as_of_precision'])}"
    if total is not None:
        what += f"; total {format_count(total, first['total_qualifier'])}"
        if stats.breakdown_parts_exceed_total(frame):
            what += " (the parts published exceed it; both shown as published)"
    figure.add_annotation(text=what, xref="paper", yref="paper", x=1, y=0.02, xanchor="right",
                          showarrow=False, font={"size": 12, "color": GREY})
    figure.update_xaxes(title_text="people", tickformat=",", showgrid=True, gridcolor=GRID,
                        range=[0, frame["value"].max() * 1.18])
    figure.update_yaxes(showgrid=False)
    figure.update_layout(showlegend=False, height=max(HEIGHT, 260 + 34 * frame.height))
    left_labels(figure, frame["nationality_name"].to_list())
    return figure, frame, [first["source_id"]]


@register(
    "detentions-by-nationality-over-time",
    "Nationalities among those arrested or detained, as published over time",
    "Each mark is one published nationwide figure for one nationality",
    "Counts come from different sources and baselines; read each mark with its date and baseline, "
    "not as one series. Triangles mark 'at least' figures. The six most often reported "
    "nationalities have their own colour; others are grey.",
    "Dot chart over time of published counts of people arrested or detained in Cambodia, by nationality.",
)
def plot_nationality_over_time(package: Package) -> Plotted:
    frame = stats.detentions_by_nationality(package).filter(pl.col("scope") == "national")
    if not frame.height:
        return empty_result("no nationwide counts by nationality")
    top = stats.detention_nationalities_most_reported(package, 6)["nationality"].to_list()
    figure = go.Figure()
    colours = colour_map(top)
    for code in top + ["OTHERS"]:
        part = frame.filter(pl.col("nationality") == code) if code != "OTHERS" else frame.filter(~pl.col("nationality").is_in(top))
        if not part.height:
            continue
        name = country_name(code) if code != "OTHERS" else "Other nationalities"
        figure.add_trace(go.Scatter(
            x=part["as_of"].to_list(), y=part["value"].to_list(), mode="markers", name=name,
            marker={"size": 11, "color": colours.get(code, GREY), "opacity": 0.9,
                    "symbol": [QUALIFIER_SYMBOL[q] for q in part["qualifier"]], "line": {"color": "white", "width": 1}},
            hovertext=[f"{r['nationality_name']}: {format_count(r['value'], r['qualifier'])} {r['metric']} "
                       f"({r['baseline_label']}), {r['as_of']}<br>{r['source_id']}" for r in part.iter_rows(named=True)],
            hoverinfo="text",
        ))
    qualifier_legend(figure, set(frame["qualifier"]))
    start, end = date_range(frame["as_of"].to_list())
    milestone_sources = milestones(figure, package, start, end, limit=3)
    pad_dates(figure, start, end)
    figure.update_yaxes(title_text="people (as published)", tickformat=",", rangemode="tozero")
    figure.update_xaxes(title_text="date of the count")
    return figure, frame, frame["source_id"].to_list() + milestone_sources


# ------------------------------------------------------------------------------------------
# Women


def _share_text(row: dict, shown: dict) -> str:
    """A bar's label: the share and the counts it comes from, or the hidden counts alone."""
    women = SMALL_CELL_LABEL if shown["women_suppressed"] else format_count(row["women"], row["women_qualifier"])
    total = SMALL_CELL_LABEL if shown["total_suppressed"] else format_count(row["total"], row["total_qualifier"])
    if shown["share_women"] is None:
        return f"{women} of {total} (share not shown)"
    floor = "at least " if row["share_qualifier"] == "at_least" else ""
    return f"{floor}{row['share_women']:.0%}: {women} of {total}"


@register(
    "share-of-women",
    "Women among those counted",
    "Published counts of women as a share of the total they belong to",
    "Each bar is one source's count of women divided by the same source's total for the same "
    "date and baseline (or the same survivor population). 'At least' shares are floors. Survivor "
    "counts of 1 to 4 read '<5'; their share is not shown.",
    "Horizontal bar chart of the share of women among people detained or among survivors, per published figure.",
    small_cells=("women", "total"),
)
def plot_share_of_women(package: Package) -> Plotted:
    frame = stats.share_of_women(package).filter(pl.col("share_women").is_not_null())
    if not frame.height:
        return empty_result("no published count of women with a matching total")
    shown = stats.suppress_small_survivor_shares(frame)
    labels = []
    for r in frame.iter_rows(named=True):
        if r["resource"] == "arrests":
            labels.append(f"{METRIC_LABELS[r['metric']].capitalize()}, {baseline_label(r['baseline'])}"
                          f" ({format_date(r['as_of'], r['as_of_precision'])})")
        else:
            labels.append(short(r["population"], 48))
    rows = list(zip(frame.iter_rows(named=True), shown.iter_rows(named=True), strict=True))
    figure = go.Figure(go.Bar(
        x=shown["share_women"].to_list(), y=labels, orientation="h", marker_color=PALETTE[4],
        text=[_share_text(r, s) for r, s in rows], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>%{text}<extra></extra>",
    ))
    for label, (r, s) in zip(labels, rows, strict=True):
        if s["share_women"] is None:  # the bar is not drawn: its counts are written instead
            hidden_cells_note(figure, label, _share_text(r, s))
    figure.update_xaxes(title_text="share of women", tickformat=".0%", showgrid=True, gridcolor=GRID,
                        range=[0, min(1.0, max(0.3, shown["share_women"].max() * 1.8))])
    figure.update_layout(showlegend=False, height=max(HEIGHT, 260 + 40 * frame.height))
    left_labels(figure, labels)
    data = shown.with_columns(pl.Series("label", labels))
    return figure, data, frame["source_id"].to_list()


# ------------------------------------------------------------------------------------------
# Returns


@register(
    "returns-by-nationality",
    "Deportations and repatriations by nationality, as published",
    "Each mark is one published count of people deported from Cambodia or repatriated home",
    "Figures differ in coverage (nationwide or one province), period and baseline, so they are "
    "shown as separate marks, not summed. Filled marks: deported; open marks: repatriated. "
    "Logarithmic scale: equal steps are equal ratios.",
    "Dot chart over time of published counts of people deported from or repatriated out of Cambodia, by nationality.",
)
def plot_returns(package: Package) -> Plotted:
    frame = stats.returns_by_nationality(package).filter(pl.col("value") > 0)
    if not frame.height:
        return empty_result("no deportation or repatriation counts")
    top = stats.return_nationalities_most_reported(package, 6)["nationality"].to_list()
    keys = ["ALL", *top, "OTHERS"]
    colours = {"ALL": "#000000", **colour_map(top), "OTHERS": GREY}
    figure = go.Figure()
    for key in keys:
        part = frame.filter(~pl.col("nationality").is_in(["ALL", *top])) if key == "OTHERS" \
            else frame.filter(pl.col("nationality") == key)
        if not part.height:
            continue
        name = "Other nationalities" if key == "OTHERS" else country_name(None if key == "ALL" else key)
        for metric, fill in (("deported", True), ("repatriated", False)):
            sub = part.filter(pl.col("metric") == metric)
            if not sub.height:
                continue
            figure.add_trace(go.Scatter(
                x=sub["as_of"].to_list(), y=sub["value"].to_list(), mode="markers", name=name,
                legendgroup=key, showlegend=metric == part["metric"][0],
                marker={"size": 10, "symbol": [QUALIFIER_SYMBOL[q] + ("" if fill else "-open") for q in sub["qualifier"]],
                        "color": colours[key], "line": {"width": 1.5, "color": colours[key]}},
                hovertext=[f"{r['nationality_name']}: {format_count(r['value'], r['qualifier'])} {r['metric']} "
                           f"({r['baseline_label']}; scope {r['scope']}), {r['as_of']}<br>{r['source_id']}"
                           for r in sub.iter_rows(named=True)], hoverinfo="text",
            ))
    for label, symbol in (("deported (filled)", "circle"), ("repatriated (open)", "circle-open")):
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label, hoverinfo="skip",
                                    marker={"symbol": symbol, "size": 10, "color": GREY, "line": {"color": GREY, "width": 1.5}}))
    qualifier_legend(figure, set(frame["qualifier"]))
    start, end = date_range(frame["as_of"].to_list())
    milestone_sources = milestones(figure, package, start, end, limit=3)
    pad_dates(figure, start, end)
    figure.update_yaxes(title_text="people (log scale)", type="log", tickformat=",")
    figure.update_xaxes(title_text="date of the count")
    return figure, frame, frame["source_id"].to_list() + milestone_sources


# ------------------------------------------------------------------------------------------
# A selection drawn as series (the dashboard's arrests page)


def count_series_figure(series: pl.DataFrame, title: str, subtitle: str = "") -> go.Figure:
    """Return a chart of a `stats.official_series` or `stats.breakdown_series` frame.

    One line per metric and baseline (never joined across baselines); figures with no stated
    baseline are unjoined marks; where sources disagree on a date a bar spans the lowest to
    the highest figure; marker shapes give the qualifier. Shows 'No data yet' when empty.
    """
    figure = go.Figure()
    if not series.height:
        no_data(figure, "no published figure matches this selection")
    else:
        keys = series.select(["metric", "baseline"]).unique(maintain_order=True).rows()
        colours = colour_map(keys)
        qualifiers: set[str] = set()
        for metric, baseline in keys:
            part = series.filter(
                (pl.col("metric") == metric) & pl.col("baseline").eq_missing(pl.lit(baseline, pl.Date))
            ).sort("as_of")
            qualifiers |= set(part["qualifier_high"].to_list())
            metric_label = METRIC_LABELS.get(metric, metric)
            colour = colours[(metric, baseline)]
            figure.add_trace(series_line(
                part, f"{metric_label}, {baseline_label(baseline)}", colour,
                mode="lines+markers" if baseline is not None else "markers",
                name=f"{metric_label.capitalize()}, {baseline_label(baseline)}",
                line={"color": colour, "width": 2.5},
            ))
        qualifier_legend(figure, qualifiers)
        figure.update_yaxes(title_text="count as published", tickformat=",", rangemode="tozero")
        figure.update_xaxes(title_text="date of the count")
        pad_dates(figure, *date_range(series["as_of"].to_list()))  # one date would get clock ticks
    figure.update_layout(template=TEMPLATE, title={"text": subtitled(title, subtitle)}, width=None, height=520,
                         margin={"l": 80, "r": 40, "t": 90, "b": 60})
    return figure
