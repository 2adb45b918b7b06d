"""The codebook's rules for drawing ("How dates are drawn") and the newspaper's rules for text
and legends, tested on the plotted data of every figure of the registry (and of the dashboard's
series chart): no cumulative line falls, no point before its baseline, no month- or year-dated
point drawn on a day, no text cut with "…", at most 8 series per legend and no legend over the
plot, no bar on a log axis, readable text, one colour per baseline and nationality everywhere.

Every trace on a time axis declares what it is in `meta` (`figures.marks`); a test fails on
one that does not, so a new figure cannot slip past these rules.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import pytest

from scamstats import figures, stats
from scamstats.figures import map_labels, theme
from scamstats.package import load_package
from scamstats.paths import PACKAGE_DIR

IDS = figures.figure_ids()


@pytest.fixture(scope="module")
def shipped():
    return load_package(PACKAGE_DIR)


@pytest.fixture(scope="module")
def rendered(shipped) -> dict[str, go.Figure]:
    """Every registered figure, and the dashboard's chart of every arrest, detention and
    deportation series (`figures.count_series_figure`)."""
    drawn = {figure_id: figures.render(figure_id, shipped).figure for figure_id in IDS}
    series = stats.breakdown_series(shipped, ["arrested", "detained", "deported"])
    drawn["dashboard-series"] = figures.count_series_figure(series, "All series", "")
    return drawn


ALL = [*IDS, "dashboard-series"]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _is_date_axis(figure: go.Figure, trace) -> bool:
    axis = figure.layout[f"xaxis{(trace.xaxis or 'x')[1:]}"]
    if axis.type == "date":
        return True
    xs = [x for x in (trace.x or []) if x is not None]
    return bool(xs) and all(isinstance(x, (dt.date, str)) and len(str(x)) >= 10 and str(x)[4] == "-" for x in xs)


def _roles(figure: go.Figure, role: str) -> list:
    return [t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("role") == role]


@pytest.mark.parametrize("figure_id", ALL)
def test_every_trace_on_a_time_axis_says_what_it_is(rendered, figure_id):
    figure = rendered[figure_id]
    for trace in figure.data:
        if trace.type == "scatter" and _is_date_axis(figure, trace) and any(x is not None for x in trace.x or []):
            assert isinstance(trace.meta, dict) and trace.meta.get("role") in ("line", "points", "span"), \
                (figure_id, trace.name)


@pytest.mark.parametrize("figure_id", ALL)
def test_no_cumulative_line_falls(rendered, figure_id):
    for trace in _roles(rendered[figure_id], "line"):
        ys = [y for y in trace.y if y is not None]
        assert ys == sorted(ys), (figure_id, trace.name, ys)
        xs = [_date(x) for x in trace.x if x is not None]
        assert xs == sorted(xs), (figure_id, trace.name)


@pytest.mark.parametrize("figure_id", ALL)
def test_no_point_before_its_baseline(rendered, figure_id):
    for role in ("line", "points", "span"):
        for trace in _roles(rendered[figure_id], role):
            baseline = trace.meta.get("baseline")
            if baseline:
                assert all(_date(x) >= _date(baseline) for x in trace.x if x is not None), (figure_id, trace.name)


@pytest.mark.parametrize("figure_id", ALL)
def test_no_month_or_year_dated_point_is_drawn_on_a_day(rendered, figure_id):
    figure = rendered[figure_id]
    spans = {(_date(a), _date(b), y) for t in _roles(figure, "span")
             for a, b, y in zip(t.x[0::3], t.x[1::3], t.y[0::3], strict=False)}
    for trace in _roles(figure, "points"):
        for x, y, precision, (first, last) in zip(trace.x, trace.y, trace.meta["precisions"], trace.meta["periods"],
                                                  strict=True):
            first, last = _date(first), _date(last)
            if precision in ("month", "year"):
                # At the end of its period, which a bar spans from its first day (or the baseline).
                assert _date(x) == last, (figure_id, trace.name, x, precision)
                assert (first, last, y) in spans or any(a == first and b == last for a, b, _ in spans), \
                    (figure_id, trace.name, x)
                assert last == stats.period_of(last, precision)[1]
            else:
                assert _date(x) == first == last, (figure_id, trace.name, x)


@pytest.mark.parametrize("figure_id", ALL)
def test_milestones_dated_to_a_month_are_bands_across_it(rendered, figure_id):
    for shape in rendered[figure_id].layout.shapes:
        name = shape.name or ""
        if name in ("milestone:month", "milestone:year"):
            first, end = _date(shape.x0), _date(shape.x1)
            precision = name.split(":")[1]
            assert first == stats.period_of(first, precision)[0]
            assert end - dt.timedelta(days=1) == stats.period_of(first, precision)[1]
        elif name == "milestone:day":
            assert shape.x0 == shape.x1


def _texts(figure: go.Figure) -> list[str]:
    found = [figure.layout.title.text or ""]
    found += [a.text or "" for a in figure.layout.annotations]
    for trace in figure.data:
        found.append(trace.name or "")
        for field in ("text", "hovertext", "y", "x"):
            value = getattr(trace, field, None)
            if isinstance(value, str):
                found.append(value)
            elif value is not None:
                found += [v for v in value if isinstance(v, str)]
    for name in figure.layout:
        if name.startswith(("xaxis", "yaxis")):
            axis = figure.layout[name]
            found += [str(v) for v in (axis.ticktext or [])] + [str(v) for v in (axis.categoryarray or [])]
            found.append(axis.title.text or "")
    return found


@pytest.mark.parametrize("figure_id", ALL)
def test_no_text_is_cut_with_an_ellipsis(rendered, figure_id):
    cut = [t for t in _texts(rendered[figure_id]) if "…" in t]
    assert cut == [], (figure_id, cut[:3])


@pytest.mark.parametrize("figure_id", IDS)
def test_legends_hold_at_most_8_series_and_never_cover_the_plot(rendered, figure_id):
    figure = rendered[figure_id]
    series = {t.legendgroup or t.name for t in figure.data
              if t.name and t.showlegend is not False and not (isinstance(t.meta, dict) and t.meta.get("role") == "key")
              and (t.showlegend or figure.layout.showlegend is not False) and t.type not in ("heatmap",)
              and (len(figure.data) > 1 or t.showlegend)}
    assert len(series) <= theme.MAX_SERIES, (figure_id, sorted(series))
    legend = figure.layout.legend
    if figure.layout.showlegend is not False and len(series) > 0:
        x = legend.x if legend.x is not None else 1.02
        y = legend.y if legend.y is not None else 1
        beside = x >= 1 or (legend.yanchor == "bottom" and y >= 1) or (legend.yanchor == "top" and y <= 0)
        assert beside, (figure_id, x, y)


@pytest.mark.parametrize("figure_id", IDS)
def test_no_bar_is_drawn_on_a_log_axis(rendered, figure_id):
    figure = rendered[figure_id]
    for trace in figure.data:
        if trace.type == "bar":
            axis = (trace.xaxis or "x") if trace.orientation == "h" else (trace.yaxis or "y")
            layout_axis = figure.layout[f"{axis[0]}axis{axis[1:]}"]
            assert layout_axis.type != "log", figure_id


@pytest.mark.parametrize("figure_id", IDS)
def test_text_is_readable_in_print(rendered, figure_id):
    figure = rendered[figure_id]
    sizes = [a.font.size for a in figure.layout.annotations if a.font.size]
    sizes += [t.textfont.size for t in figure.data if getattr(t, "textfont", None) is not None and
              isinstance(t.textfont.size, (int, float))]
    assert all(s >= theme.MIN_FONT for s in sizes), (figure_id, sorted(set(sizes)))


def test_bar_charts_with_few_bars_carry_their_values(rendered):
    for figure_id in IDS:
        for trace in rendered[figure_id].data:
            if trace.type == "bar" and len(trace.x or []) <= 12 and trace.marker.color != "white":
                assert trace.text is not None or trace.hovertext is not None, figure_id


@pytest.mark.parametrize("figure_id", ["official-tallies-crackdown", "official-tallies-deportations",
                                       "dashboard-series"])
def test_each_baseline_has_its_colour_of_every_figure(rendered, figure_id):
    for trace in _roles(rendered[figure_id], "points"):
        baseline = trace.meta.get("baseline")
        expected = theme.baseline_colour(_date(baseline) if baseline else None)
        assert trace.marker.color == expected, (figure_id, trace.name)


@pytest.mark.parametrize("figure_id", ["detentions-by-nationality-over-time", "returns-by-nationality"])
def test_each_nationality_has_its_colour_of_every_figure(rendered, figure_id):
    names = {figures.arrests.country_name(c): c for c in theme.NATIONALITY_COLOURS if c != "ALL"}
    for trace in rendered[figure_id].data:
        if trace.name in names and trace.marker.color is not None:
            assert trace.marker.color == theme.nationality_colour(names[trace.name]), (figure_id, trace.name)


def test_the_colour_registry_gives_distinct_colours():
    baselines = [c for b, c in theme.BASELINE_COLOURS.items()]
    assert len(set(baselines)) == len(baselines) and theme.OTHER not in baselines
    nationalities = list(theme.NATIONALITY_COLOURS.values())
    assert len(set(nationalities)) == len(nationalities) <= theme.MAX_SERIES
    assert len(set(theme.MILESTONE_COLOURS.values())) == len(theme.MILESTONE_COLOURS) <= theme.MAX_SERIES
    from scamstats.reference import TIMELINE_CATEGORIES

    assert set(theme.MILESTONE_GROUPS) == set(TIMELINE_CATEGORIES)


def test_figures_with_eras_draw_each_in_its_own_panel(rendered):
    figure = rendered["detentions-by-nationality-over-time"]
    assert figure.layout.xaxis2.range is not None  # two panels: before 2025, and 2025-26
    first_end = _date(figure.layout.xaxis.range[1])
    second_start = _date(figure.layout.xaxis2.range[0])
    assert first_end < stats.ERA_START <= second_start + dt.timedelta(days=60)


def _marks_by_axis(figure: go.Figure) -> dict[str, list[dt.date]]:
    """The days of every mark and period drawn, by the x axis they are drawn on."""
    days: dict[str, list[dt.date]] = {}
    for role in ("points", "span", "line"):
        for trace in _roles(figure, role):
            days.setdefault(trace.xaxis or "x", []).extend(_date(x) for x in trace.x if x is not None)
    return days


@pytest.mark.parametrize("figure_id", ALL)
def test_no_time_panel_mixes_eras(rendered, figure_id):
    """Marks of the years before 2025 and of the 2025-26 crackdown never share a time axis (a
    ten-year axis with the data in its last tenth); a period may start before its mark's era.
    Counts only: the timeline's rows of events run on one axis."""
    figure = rendered[figure_id]
    for axis in _marks_by_axis(figure):
        marks = [_date(x) for t in _roles(figure, "points") if (t.xaxis or "x") == axis
                 for x, y in zip(t.x, t.y, strict=True) if isinstance(y, (int, float))]
        assert len({stats.era_of(d) for d in marks}) <= 1, (figure_id, axis)


@pytest.mark.parametrize("figure_id", ALL)
def test_time_axes_cover_the_period_their_marks_cover(rendered, figure_id):
    """Each time axis runs from about its first mark (or period) to its last: the padding on
    either side is at most a quarter of what the marks span (or 60 days for a short one). Axes
    that match one another (panels one above another sharing their dates) count as one."""
    figure = rendered[figure_id]
    by_axis = _marks_by_axis(figure)
    shared: dict[str, list[dt.date]] = {}
    for axis, days in by_axis.items():
        shared.setdefault(figure.layout[f"xaxis{axis[1:]}"].matches or axis, []).extend(days)
    for axis in by_axis:
        days = shared[figure.layout[f"xaxis{axis[1:]}"].matches or axis]
        first, last = min(days), max(days)
        low, high = (_date(v) for v in figure.layout[f"xaxis{axis[1:]}"].range)
        room = max((last - first) / 4, dt.timedelta(days=60))
        assert low <= first and last <= high, (figure_id, axis)
        assert first - low <= room and high - last <= room, (figure_id, axis, low, first, last, high)


@pytest.mark.parametrize("figure_id", ALL)
def test_a_time_panel_on_a_log_scale_says_so(rendered, figure_id):
    """Log scales are avoided on time series; a panel that keeps one names it in its axis title."""
    figure = rendered[figure_id]
    for axis in _marks_by_axis(figure):
        name = f"yaxis{axis[1:]}"
        y_axis = figure.layout[name]
        if y_axis.type == "log":
            assert "log scale" in (y_axis.title.text or ""), (figure_id, name)


def test_returns_draw_totals_on_a_linear_scale_and_each_era_apart(rendered):
    """The returns figure: all nationalities and one nationality in panels of their own (a total
    of tens of thousands would flatten a count of ten), the totals' panels linear."""
    figure = rendered["returns-by-nationality"]
    totals = {t.xaxis or "x" for t in _roles(figure, "points") if t.name == "All nationalities"}
    others = {t.xaxis or "x" for t in _roles(figure, "points") if t.name != "All nationalities"}
    assert totals and others and not totals & others
    assert all(figure.layout[f"yaxis{axis[1:]}"].type != "log" for axis in totals)
    eras = {stats.era_of(_date(x)) for t in _roles(figure, "points") for x in t.x}
    assert len(_marks_by_axis(figure)) == 2 * len(eras)


def test_the_compounds_map_names_provinces_and_dots_towns(rendered, shipped):
    figure = rendered["compounds-map"]
    names = [t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("role") == "names"]
    assert names and "Battambang" in names[0].text
    places = [t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("role") == "places"]
    assert places and len(places[0].x) == stats.compound_places(shipped).height
    assert any("Sihanoukville" in label for label in places[0].text)
    assert "white" in places[0].textfont.shadow  # a halo: readable over the dark Preah Sihanouk and leader lines
    note = " ".join(a.text for a in figure.layout.annotations)
    assert "named compounds, placed at the town" in note


@pytest.mark.parametrize("figure_id", ["compounds-map", "raids-map"])
def test_map_labels_never_overlap(rendered, figure_id):
    """Province names, place labels and place dots, as boxes in pixels estimated from the font
    size and the characters on the map's scale: no two labels overlap, nor a label another
    place's dot. The scale is the drawn one: the plot keeps its height whatever the footer."""
    figure = rendered[figure_id]
    layout = figure.layout
    plot_height = layout.height - layout.margin.t - layout.margin.b
    assert map_labels.map_scale(figure) == pytest.approx(plot_height / (layout.yaxis.range[1] - layout.yaxis.range[0]))
    boxes = map_labels.label_boxes(figure)
    assert len([name for name, _ in boxes if name.startswith("name:")]) >= 23
    assert map_labels.overlapping(figure) == []


def test_the_label_boxes_see_an_overlap():
    """The check itself: two names a few pixels apart overlap, a name and a far one do not."""
    figure = go.Figure(go.Scatter(x=[104.0, 104.05, 106.0], y=[12.0, 12.0, 12.0], mode="text",
                                  text=["Kampong Chhnang", "Kandal", "Kep"], textfont={"size": 11},
                                  meta={"role": "names"}))
    figure.update_layout(width=1000, height=760, margin={"l": 24, "r": 24, "t": 100, "b": 130})
    figure.update_xaxes(range=[99.5, 105.2])
    figure.update_yaxes(range=[10.3, 14.75])
    assert map_labels.overlapping(figure) == [("name:Kampong Chhnang", "name:Kandal")]


def test_after_raids_shows_its_n_beside_the_published_finding(rendered, shipped):
    figure = rendered["compounds-after-raids"]
    raided = stats.compound_outcomes_after_raids(shipped).height
    text = " ".join(a.text for a in figure.layout.annotations)
    assert f"the {raided} named compounds raided" in text
    assert "Amnesty International" in text and "two-thirds" in text
    assert "%" not in "".join(t.name or "" for t in figure.data)  # no share of a handful


def test_headline_numbers_keep_units_apart(rendered):
    figure = rendered["headline-numbers"]
    assert {t.type for t in figure.data} == {"scatter"}
    titles = [a.text for a in figure.layout.annotations if a.text.startswith(("Sites", "People"))]
    assert len(titles) == 2


def test_line_points_follow_the_rules():
    day, month = "day", "month"
    base = dt.date(2025, 7, 14)
    rows = [
        ("arrested", base, dt.date(2025, 7, 1), month, 2780, "exact"),   # July only: drawn at 31 July, from 14 July
        ("arrested", base, dt.date(2025, 7, 21), day, 2800, "exact"),
        ("arrested", base, dt.date(2025, 8, 1), day, 1000, "at_least"),  # lower, hedged: a mark
        ("arrested", base, dt.date(2025, 8, 5), day, 2790, "exact"),     # lower than one drawn before: a mark
        ("arrested", base, dt.date(2025, 9, 1), day, 3100, "exact"),
    ]
    series = pl.DataFrame(
        [dict(zip(["metric", "baseline", "as_of", "as_of_precision", "value_high", "qualifier_high"], r, strict=True),
              value_low=r[4]) for r in rows])
    points = stats.line_points(series).sort("as_of")
    first = points.row(0, named=True)
    assert (first["period_first"], first["period_last"], first["drawn_on"]) == (base, dt.date(2025, 7, 31),
                                                                                 dt.date(2025, 7, 31))
    exact = points.filter(pl.col("qualifier_high") == "exact")
    assert exact["on_line"].sum() == 3 and exact["off_line"].drop_nulls().to_list() == [stats.OFF_LINE_LOWER]
    assert points.filter(pl.col("qualifier_high") == "at_least")["off_line"][0] == stats.OFF_LINE_HEDGED
    line = points.filter(pl.col("on_line")).sort("drawn_on")["value_high"].to_list()
    assert line == sorted(line)
    assert stats.period_of(dt.date(2024, 2, 1), "month") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert stats.period_of(dt.date(2024, 1, 1), "year", dt.date(2024, 3, 5)) == (dt.date(2024, 3, 5),
                                                                                dt.date(2024, 12, 31))
    assert stats.era_of(dt.date(2024, 12, 31)) != stats.era_of(dt.date(2025, 1, 1))


# ------------------------------------------------------------------------------------------
# One series far above the rest does not flatten them


def test_a_series_far_above_the_others_is_pointed_at_not_drawn_to_scale(shipped):
    series = stats.official_series(shipped, ["arrested", "detained"])
    figure = figures.count_series_figure(series, "All nationalities: arrested, detained")
    points = stats.line_points(series).filter(pl.col("era") == "2025-26")
    crackdown = points.filter(pl.col("baseline") == dt.date(2025, 6, 27))["value_high"].max()
    highest = points["value_high"].max()
    assert highest > 3 * crackdown  # 23,990 since 2018 beside the crackdown's few thousand
    tops = [figure.layout[name].range[1] for name in figure.layout
            if name.startswith("yaxis") and figure.layout[name].range]
    assert tops and max(tops) < highest / 2  # the scale is the other series'
    arrows = [a for a in figure.layout.annotations if a.showarrow and "off the scale" in a.text]
    assert len(arrows) == 1 and arrows[0].text.startswith(f"{highest:,} arrested<br>since 1 Oct 2018")
    assert arrows[0].y == max(tops)  # at the panel's top edge
    shared = figures.count_series_figure(series, "All nationalities", off_scale=False)  # a scale shared with others
    assert not [a for a in shared.layout.annotations if a.text and "off the scale" in a.text]
    assert not [name for name in shared.layout if name.startswith("yaxis") and shared.layout[name].range]


def test_series_of_a_like_size_keep_their_whole_scale():
    from scamstats.figures.lines import off_scale_cap
    panel = pl.DataFrame({"metric": ["arrested"] * 3, "baseline": [dt.date(2025, 6, 27), dt.date(2025, 7, 14), None],
                          "value_high": [3000, 1000, 2500]})
    assert off_scale_cap(panel) is None
    assert off_scale_cap(panel.head(1)) is None
    far = panel.with_columns(pl.Series("value_high", [24000, 1000, 2500]))
    assert off_scale_cap(far) == 2500 * 1.25
