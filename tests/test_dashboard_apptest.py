"""The dashboard in Streamlit's AppTest: every page and widget; filters change the chart data;
links restore filters; empty selections give a message, never an exception; every registry
figure is on its page; disagreements, citations, quote search and the version on screen."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import shutil
import sys

import numpy as np
import pytest
from conftest import DATA_DIR, REPO_DIR
from streamlit.testing.v1 import AppTest

from scamstats import cite, figures, labels, privacy, stats
from scamstats.package import load_package, rehash

APP = REPO_DIR / "dashboard" / "app.py"
sys.path.insert(0, str(APP.parent))
from widgets import FIGURE_PAGES  # the dashboard folder, put on the path above

PAGES = {
    "overview": "Cambodia's scam compounds, in sourced numbers",
    "arrests": "Arrests and deportations",
    "raids": "Raids",
    "compounds": "Compounds",
    "disagree": "Where sources disagree",
    "survivors": "Survivors",
    "search": "Search quotes",
    "sources": "Sources",
    "download": "Download and cite",
}
CHARTS = {"overview": 2, "arrests": 1, "raids": 1, "compounds": 1, "disagree": 0, "survivors": 1, "search": 0,
          "sources": 0, "download": 0}


def start(page: str | None = None, opened: tuple[str, ...] = (), **params) -> AppTest:
    """Run the app as a link with these query parameters would open it, with the expanders and
    popovers of these keys open (what they hold is built only once they are opened)."""
    app = AppTest.from_file(str(APP), default_timeout=90)
    if page:
        app.query_params["page"] = page
    for name, value in params.items():
        app.query_params[name] = value
    for key in opened:
        app.session_state[key] = True
    return ok(app.run())


def folded_keys(app: AppTest) -> list[str]:
    """The keys of the page's expanders and popovers whose content is built once opened."""
    return [element.proto.id.split("-", 2)[2] for element in [*app.expander, *app.get("popover")]
            if element.proto.id.startswith("$$ID-")]


def open_everything(app: AppTest) -> AppTest:
    """Open every folded expander and popover of the page, as a reader clicking each would."""
    for key in folded_keys(app):
        app.session_state[key] = True
    return ok(app.run())


def ok(app: AppTest) -> AppTest:
    """Fail on an exception; also on a page that drew nothing (a script that does not compile)."""
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.title) == 1, "the page drew no title"
    return app


def charts(app: AppTest) -> list[dict]:
    """The plotly figures on the page, as the JSON the browser receives."""
    return [json.loads(element.proto.spec) for element in app.get("plotly_chart")]


def points(figure: dict) -> list[tuple[str, str, float]]:
    """(trace name, x, y) of every plotted point, legend-only traces left out."""
    return [(trace.get("name", ""), x, y) for trace in figure["data"]
            for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=False) if x is not None]


def url(app: AppTest, name: str) -> list[str]:
    """A query parameter's values as a list (AppTest gives one value as a string)."""
    value = app.query_params.get(name)
    return value if isinstance(value, list) else [] if value is None else [value]


def frame(app: AppTest, key: str):
    """The page's main table (the last one: quote tables in chart expanders come before it)."""
    assert app.dataframe, f"no table ({key})"
    return app.dataframe[-1].value


def infos(app: AppTest) -> str:
    return " ".join(i.value for i in app.info)


def go_to(app: AppTest, page: str) -> AppTest:
    return ok(app.sidebar.radio(key="page").set_value(page).run())


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(page):
    app = start(page)
    assert app.title[0].value == PAGES[page]
    assert app.sidebar.radio(key="page").value == page
    assert len(app.get("plotly_chart")) == CHARTS[page]
    assert url(app, "page") == [page]


@pytest.mark.parametrize("page", PAGES)
def test_no_data_text_is_rendered_as_html(page):
    app = start(page)
    assert all(not element.proto.allow_html for element in [*app.markdown, *app.caption])


def test_sidebar_opens_every_page_and_the_url_follows():
    app = start()
    assert app.title[0].value == PAGES["overview"]
    for page, title in PAGES.items():
        go_to(app, page)
        assert app.title[0].value == title
        assert url(app, "page") == [page]


def test_two_clicks_answer_indonesians_after_the_directive_and_who_says_so():
    app = start()
    go_to(app, "arrests")  # click 1
    ok(app.pills(key="arrests.nationality").set_value("IDN").run())  # click 2
    table = frame(app, "arrests-table")
    assert set(table["nationality"]) == {"IDN"}
    after_directive = table[table["baseline"] == "since 14 July 2025"]
    assert len(after_directive) >= 1
    assert after_directive["publisher"].notna().all() and after_directive["quote"].str.contains("Indonesian|WNI").all()  # WNI: Indonesian citizen(s)
    (figure,) = charts(app)
    assert "##### Indonesia: arrested, detained" in texts(app)
    plotted = {y for _, _, y in points(figure)}
    assert set(table["figure"].str.replace(r"[^0-9]", "", regex=True).astype(int)) <= plotted
    assert url(app, "nationality") == ["IDN"]


def test_arrests_metric_filter_changes_the_chart():
    app = start("arrests")
    ok(app.multiselect(key="arrests.metric").set_value(["deported"]).run())
    (figure,) = charts(app)
    names = {name for name, _, _ in points(figure)}
    assert names and all(name.startswith("Deported") for name in names)
    assert set(frame(app, "arrests-table")["metric"]) == {"deported"}
    assert url(app, "metric") == ["deported"]


def test_arrests_sex_filter_changes_the_table_and_chart():
    app = start("arrests")
    before = points(charts(app)[0])
    ok(app.segmented_control(key="arrests.sex").set_value("female").run())
    table = frame(app, "arrests-table")
    assert set(table["sex"]) == {"female"}
    after = points(charts(app)[0])
    assert after and after != before
    assert max(y for _, _, y in after) < max(y for _, _, y in before)


def test_arrests_baseline_and_scope_filters():
    app = start("arrests")
    ok(app.selectbox(key="arrests.baseline").set_value("2025-07-14").run())
    names = {name for name, _, _ in points(charts(app)[0])}
    assert names and all("since 14 July 2025" in name for name in names)
    scope = next(option for option in app.selectbox(key="arrests.scope").options if option != "Nationwide")
    ok(app.selectbox(key="arrests.baseline").set_value("any").run())
    app.selectbox(key="arrests.scope").select(scope)
    ok(app.run())
    assert app.selectbox(key="arrests.scope").value != "national"
    assert "scope" in app.query_params


def test_arrests_date_range_bounds_the_plotted_dates():
    app = start("arrests")
    ok(app.date_input(key="arrests.from").set_value(dt.date(2025, 7, 20)).run())
    ok(app.date_input(key="arrests.to").set_value(dt.date(2025, 12, 31)).run())
    dates = {x[:10] for _, x, _ in points(charts(app)[0])}
    assert dates and all("2025-07-20" <= d <= "2025-12-31" for d in dates)
    assert url(app, "from") == ["2025-07-20"]


def test_arrests_empty_selections_give_a_message_not_an_exception():
    app = start("arrests")
    ok(app.multiselect(key="arrests.metric").set_value([]).run())
    assert "at least one metric" in infos(app)
    assert not app.get("plotly_chart")
    app = start("arrests", nationality="MEX", metric="sites_sealed")
    assert "No published figure matches" in infos(app)
    app = start("arrests", **{"from": "2026-01-01", "to": "2025-01-01"})
    assert "start date is after the end date" in infos(app)


def test_a_link_restores_the_arrests_filters():
    app = start("arrests", nationality="IDN", sex="female", metric=["arrested", "detained"], baseline="2025-06-27")
    assert app.pills(key="arrests.nationality").value == "IDN"
    assert app.segmented_control(key="arrests.sex").value == "female"
    assert app.selectbox(key="arrests.baseline").value == "2025-06-27"
    table = frame(app, "arrests-table")
    assert set(table["nationality"]) == {"IDN"} and set(table["sex"]) == {"female"}
    assert url(app, "nationality") == ["IDN"]


def test_a_link_with_bad_values_falls_back_to_defaults():
    app = start("arrests", nationality="XXX", metric="nonsense", sex="other", **{"from": "1900-01-01", "to": "x"})
    assert app.pills(key="arrests.nationality").value == "ALL"
    assert app.multiselect(key="arrests.metric").value == ["arrested", "detained"]
    assert app.segmented_control(key="arrests.sex").value == "all"
    assert "nationality" not in app.query_params and "from" not in app.query_params
    app = start("no-such-page")
    assert app.title[0].value == PAGES["overview"]


def test_raids_filters_change_the_charts_and_table():
    app = start("raids")
    rarest = load_package().tables["raids"]["event_type"].value_counts(sort=True)["event_type"][-1]
    ok(app.multiselect(key="raids.type").set_value([rarest]).run())
    table = frame(app, "raids-table")
    assert set(table["event_type"]) == {rarest}
    (per_month,) = charts(app)
    assert sum(y for _, _, y in points(per_month)) <= len(table)
    code = load_package().tables["raids"]["province_code"].drop_nulls().mode().sort()[0]
    province = labels.province_name(code)
    app.multiselect(key="raids.province").set_value([code])
    app.segmented_control(key="raids.show").set_value("provinces")
    ok(app.multiselect(key="raids.type").set_value(["raid", "rescue", "sealing", "inspection"]).run())
    assert url(app, "province") == [code] and url(app, "show") == ["provinces"]
    table = frame(app, "raids-table")
    assert set(table["province"]) == {province}
    bars = charts(app)[0]["data"][0]  # horizontal bars: x = operations, y = province
    assert {name for name, count in zip(bars["y"], bars["x"], strict=True) if count} == {province}
    ok(app.multiselect(key="raids.type").set_value([]).run())
    assert "at least one operation type" in infos(app)


def test_raids_table_links_operations_to_their_compounds():
    app = start("raids")
    table = frame(app, "raids-table")
    linked = table[table["compound_id"] != ""]  # a table shows no value as an empty cell
    assert len(linked) and (linked["compound_link"] == "?page=compounds&q=" + linked["compound_id"]).all()
    assert (linked["compound"] != "").all()
    compound = linked.iloc[0]["compound_id"]
    app = start("compounds", q=compound)
    assert list(frame(app, "compounds-table")["compound_id"]) == [compound]


def test_compounds_filters_follow_to_the_map():
    app = start("compounds")
    before = charts(app)[0]["data"]
    ok(app.multiselect(key="compounds.status").set_value(["sealed"]).run())
    assert set(frame(app, "compounds-table")["status"]) == {"sealed"}
    assert charts(app)[0]["data"] != before  # the map draws the selection
    ok(app.text_input(key="compounds.q").input("no such compound anywhere").run())
    assert "No compound matches" in infos(app)
    ok(app.multiselect(key="compounds.use").set_value([]).run())


def test_survivors_study_filter_and_suppressed_cells_are_marked():
    app = start("survivors")
    table = frame(app, "survivors-table")
    small = table[table["suppressed"] != ""]
    assert len(small) and (small["count"] == "<5").all()
    assert any("suppressed" in w.value for w in app.warning)
    drawn = [x for trace in charts(app)[0]["data"] for x in trace.get("x") or [] if isinstance(x, (int, float))]
    assert drawn and not [x for x in drawn if 0 < x < privacy.SMALL_CELL_THRESHOLD]  # small cells not drawn
    survivors = load_package().tables["survivors"]
    study = survivors["source_id"][0]
    ok(app.selectbox(key="survivors.study").set_value(study).run())
    expected = set(survivors.filter(survivors["source_id"] == study)["group_id"])
    shown = set(frame(app, "survivors-table")["group_id"])
    assert shown and shown <= expected
    assert set(frame(start("survivors", study=study), "survivors-table")["group_id"]) == shown
    ok(app.multiselect(key="survivors.dimension").set_value([]).run())
    assert "at least one breakdown" in infos(app)


def small_counts(table) -> list[tuple[str, object]]:
    """The cells of a shown table that give a count of 1 to 4: whole numbers, as numbers or as
    text (percentages are shares, not counts)."""
    found = []
    for column in table.columns:
        if column.endswith("_percent"):
            continue
        for value in table[column].dropna():
            if isinstance(value, bool | np.bool_):
                continue
            if isinstance(value, str):
                number = int(value) if value.isdigit() else None
            elif isinstance(value, int | np.integer) or (isinstance(value, float | np.floating) and value.is_integer()):
                number = int(value)
            else:
                number = None
            if number is not None and 0 < number < privacy.SMALL_CELL_THRESHOLD:
                found.append((column, value))
    return found


def test_every_survivors_table_passes_the_small_cell_rule():
    survivors = load_package().tables["survivors"]
    small = survivors.filter(survivors["count"].is_between(1, privacy.SMALL_CELL_THRESHOLD - 1))
    assert small.height, "the shipped package should have small cells to hide"
    views = [start("survivors"), *(start("survivors", study=study) for study in sorted(set(small["source_id"])))]
    for app in views:
        assert app.dataframe
        for table in app.dataframe:
            assert small_counts(table.value) == [], table.proto.id
        downloaded = app.session_state["last_view"].data.to_pandas()  # the CSV offered for download
        assert small_counts(downloaded) == []


def test_the_overview_shows_no_survivor_count_below_five():
    app = start("overview", opened=("overview.headlines",))
    groups = set(load_package().tables["survivors"]["group_id"])
    (table,) = [t.value for t in app.dataframe if "value_text" in t.value.columns]
    survivor_rows = table[table["row_ids"].map(lambda ids: set(ids.split()) <= groups)]
    assert len(survivor_rows)
    assert small_counts(survivor_rows[["value_text"]]) == []
    assert not survivor_rows["label"].str.match(r"[1-4]\D").any()
    assert "<5" in set(survivor_rows["value_text"])


def test_sources_search_and_row_counts():
    app = start("sources")
    table = frame(app, "sources-table")
    assert table["rows"].sum() > 0 and "url" in table
    ok(app.text_input(key="sources.q").input("amnesty").run())
    found = frame(app, "sources-table")
    assert len(found) and found.apply(lambda r: "amnesty" in " ".join(map(str, r.values)).lower(), axis=1).all()
    assert url(app, "q") == ["amnesty"]
    ok(app.text_input(key="sources.q").input("zzz-nothing-zzz").run())
    assert "No source matches" in infos(app)
    ok(app.multiselect(key="sources.reliability").set_value(["primary"]).run())


def test_download_page_offers_the_data_and_cites_the_last_view():
    app = start("download")
    downloads = [b.proto.label for b in app.get("download_button")]
    assert any("arrests.csv" in label for label in downloads)
    assert "scamstats contributors" in app.code[0].value
    go_to(app, "arrests")
    ok(app.pills(key="arrests.nationality").set_value("IDN").run())
    go_to(app, "download")
    citations = " ".join(code.value for code in app.code)
    assert "nationality: Indonesia" in citations and "version" in citations and "Accessed" in citations
    assert any("CSV of that table" in b.proto.label for b in app.get("download_button"))


def test_each_chart_offers_a_citation_and_its_quotes():
    for page in ("overview", "arrests", "raids", "compounds", "survivors"):
        app = start(page)
        closed = [e for e in app.expander if e.label.startswith("Cite this figure")]
        assert len(closed) == CHARTS[page]
        assert not any(e.children for e in closed)  # built only once opened: a lighter first page
        app = open_everything(app)
        cited = [e for e in app.expander if e.label.startswith("Cite this figure")]
        assert len(cited) == CHARTS[page] and all(e.children for e in cited)
        codes = " ".join(code.value for e in cited for code in e.code)
        assert codes.count("scamstats contributors") == CHARTS[page] and "version" in codes
        assert "127.0.0.1" not in codes and "localhost" not in codes
        if page in ("raids", "compounds", "survivors"):  # the rows behind the chart, with their quotes
            assert any("quote" in table.value.columns for e in cited for table in e.dataframe)


def test_quotes_behind_a_card_open_on_a_click():
    app = start("overview")
    popovers = app.get("popover")
    assert popovers and not any(p.children for p in popovers)  # nothing sent before it is opened
    app.session_state[popovers[0].proto.id.split("-", 2)[2]] = True
    opened = ok(app.run()).get("popover")[0]
    shown = "\n".join(element.value for element in opened.markdown)
    assert shown.startswith("> ") and "](https://" in shown  # the quote, and its source as a link


DASHBOARD_FILES = sorted((REPO_DIR / "dashboard").rglob("*.py"))
LIBRARY_LAYERS = {"cite", "figures", "labels", "package", "paths", "privacy", "reference", "stats"}


@pytest.mark.parametrize("path", DASHBOARD_FILES, ids=lambda path: path.name)
def test_the_dashboard_asks_the_library_and_recomputes_nothing(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ours = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    ours |= {f"scamstats.{alias.name}" for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module == "scamstats" for alias in node.names}
    layers = {name.split(".")[1] for name in ours if name.startswith("scamstats.")}
    assert layers <= LIBRARY_LAYERS
    # Counting, grouping and per-cell wording belong to stats and labels.
    called = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not called & {"group_by", "value_counts", "map_elements", "agg"}


@pytest.fixture()
def hostile_package(tmp_path, monkeypatch):
    """The small valid fixture, with markup in a source title and a quote."""
    package = tmp_path / "package"
    shutil.copytree(DATA_DIR / "valid", package)
    sources = package / "data" / "sources.csv"
    lines = sources.read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    first[header.index("title")] = "<script>alert(1)</script> **bold** [link](javascript:alert(1))"
    sources.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    monkeypatch.setenv("SCAMSTATS_PACKAGE", str(package))
    return package


def test_text_from_the_csvs_is_escaped(hostile_package):
    for page in PAGES:
        app = start(page)
        for element in [*app.markdown, *app.caption]:
            assert not element.proto.allow_html
            assert "<script>" not in element.value  # escaped: shown, never run


@pytest.fixture()
def empty_package(tmp_path, monkeypatch):
    """The valid fixture with every CSV cut to its header."""
    package = tmp_path / "package"
    shutil.copytree(DATA_DIR / "valid", package)
    for path in (package / "data").glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    monkeypatch.setenv("SCAMSTATS_PACKAGE", str(package))
    return package


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_package_gives_messages_not_exceptions(empty_package, page):
    app = start(page)
    assert app.info or app.get("plotly_chart")


# ------------------------------------------------------------------------------------------
# Every registry figure on its page, with the page's filters

def texts(app: AppTest) -> str:
    """Every markdown and caption on the page, as a reader sees it (markdown escapes undone)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(e.value for e in [*app.markdown, *app.caption, *app.subheader]))


def cited(app: AppTest) -> str:
    """Every citation on the page: code blocks, and the view's citation at the page's foot."""
    return "\n".join([*(code.value for code in app.code), texts(app)])


def alts(app: AppTest) -> list[str]:
    return [element.proto.alt for element in app.get("plotly_chart")]


@pytest.mark.parametrize("figure_id", figures.figure_ids())
def test_every_registry_figure_is_on_its_page(figure_id):
    page, part = FIGURE_PAGES[figure_id]
    app = start(page, **({"show": part} if part else {}))
    assert figures.get(figure_id).alt in alts(app)
    assert figures.get(figure_id).title in texts(app)


def test_registry_figures_follow_the_page_filters():
    app = start("compounds", show="provinces", province="KH-18")
    bars = charts(app)[0]["data"][0]
    counted = {name for name, count in zip(bars["y"], bars["x"], strict=True) if count}
    assert counted == {labels.province_name("KH-18")}
    app = start("arrests", show="official", **{"from": "2025-07-01", "to": "2025-07-31"})
    dates = [x for figure in charts(app) for _, x, _ in points(figure) if isinstance(x, str) and x[:4].isdigit()]
    assert dates and all("2025-07-01" <= x[:10] <= "2025-07-31" for x in dates)


def test_nationalities_side_by_side_share_one_scale():
    chosen = ["IDN", "VNM", "CHN"]
    app = start("arrests", show="compare", compare=chosen)
    ranking = app.dataframe[0].value
    assert set(ranking["code"]) == set(chosen)
    assert list(ranking["largest_value"]) == sorted(ranking["largest_value"], reverse=True)
    names = {labels.country_name(code) for code in chosen}
    small = [json.loads(e.proto.spec) for e in app.get("plotly_chart")
             if any(e.proto.alt.startswith(f"Chart: {name}.") for name in names)]
    assert len(small) == len(chosen)
    assert len({tuple(c["layout"]["yaxis"]["range"]) for c in small}) == 1  # one scale
    assert len({tuple(c["layout"]["xaxis"]["range"]) for c in small}) == 1  # one span of time
    assert url(app, "compare") == chosen and url(app, "show") == ["compare"]


def test_provinces_side_by_side_on_the_raids_page():
    app = start("raids", show="provinces", province=["KH-18", "KH-1"])
    table = frame(app, "raids-table")
    assert set(table["province"]) <= {labels.province_name("KH-18"), labels.province_name("KH-1")}
    assert len(charts(app)) == 2


# ------------------------------------------------------------------------------------------
# Compounds: province by name or code, search of province and town names, status after raids

def test_compounds_in_preah_sihanouk_by_code_by_name_and_by_search():
    by_code = set(frame(start("compounds", province="KH-18"), "compounds-table")["compound_id"])
    assert by_code
    by_name = set(frame(start("compounds", q="Preah Sihanouk"), "compounds-table")["compound_id"])
    by_search_code = set(frame(start("compounds", q="kh-18"), "compounds-table")["compound_id"])
    assert by_code == by_name == by_search_code
    table = frame(start("compounds", q="Sihanoukville"), "compounds-table")  # a town
    assert len(table) and table["town"].str.contains("Sihanoukville").any()
    aliases = load_package().tables["compounds"]["aliases"].drop_nulls()
    alias = aliases[0].split("|")[-1].strip()
    found = frame(start("compounds", q=alias), "compounds-table")
    assert len(found) and found["aliases"].fillna("").str.contains(alias, regex=False).any()


def test_compounds_status_after_raids():
    app = start("compounds", show="after")
    after = next(t.value for t in app.dataframe if "status after raids" in t.value.columns)
    assert set(after["status after raids"]) <= set(stats.OUTCOMES_AFTER_RAIDS)
    assert figures.get("compounds-after-raids").alt in alts(app)
    assert len(after) == stats.compound_outcomes_after_raids(load_package()).height


# ------------------------------------------------------------------------------------------
# Disagreement where it happens

def test_disagreements_are_listed_with_who_says_what():
    package = load_package()
    sides = stats.conflict_sides(package)
    numbers = sides.filter(sides["kind"] == "claims_disagree")
    groups = {}
    for side in numbers.iter_rows(named=True):
        groups.setdefault(side["conflict_id"], []).append(side["value"])
    app = start("disagree")
    shown = texts(app)
    assert groups and f"{len(groups)} figure" in shown
    for values in list(groups.values())[:5]:  # each with its range and every side's number
        assert labels.format_count_range(min(values), max(values), None) in shown
        assert all(f"**{v:,}" in shown or f"{v:,}**" in shown for v in values)
    assert not app.expander or all("disagree" not in e.label.lower() for e in app.expander)  # never folded away
    operations = stats.operation_conflicts(package)
    app = start("disagree", show="operations")
    assert f"{operations.height} operation" in texts(app)


def test_the_arrests_chart_says_who_gives_which_number_inline():
    package = load_package()
    series = stats.official_series(package)
    disputed = series.filter(series["sources_disagree"]).row(0, named=True)
    app = start("arrests", metric=disputed["metric"])
    shown = texts(app)
    assert "Where sources disagree here" in shown
    assert f"{disputed['value_low']:,}" in shown and f"{disputed['value_high']:,}" in shown


def test_overview_cards_give_reports_and_a_caption_computed_from_them():
    app = start("overview")
    shown = texts(app)
    assert "900–5,771" not in shown  # the old hand-typed range
    assert "report" in shown
    tallies = stats.latest_crackdown_tallies(stats.headline_numbers(load_package()))
    assert f"({len(tallies)} series" in shown
    for row in stats.latest_crackdown_tallies(stats.headline_numbers(load_package()), beside=True).iter_rows(named=True):
        assert row["value_text"] in shown and row["reports_label"] in shown  # a card for every claim


# ------------------------------------------------------------------------------------------
# Citations a reader can follow

def test_view_links_are_public_and_set_in_one_place(monkeypatch):
    app = start("arrests", nationality="IDN")
    codes = cited(app)
    homepage = load_package().descriptor["homepage"]
    assert f"{homepage}?page=arrests" in codes and "127.0.0.1" not in codes
    monkeypatch.setenv(cite.BASE_URL_VARIABLE, "https://data.example.org/scamstats")
    app = start("arrests", nationality="IDN")
    assert "https://data.example.org/scamstats?page=arrests&nationality=IDN" in cited(app)
    monkeypatch.setenv(cite.BASE_URL_VARIABLE, "http://127.0.0.1:8501")  # never this machine
    app = start("arrests")
    assert "127.0.0.1" not in cited(app)


def test_sources_are_links_quotes_have_their_english_note_and_dates_their_precision():
    app = start("search", q="bắt giữ")
    shown = texts(app)
    assert "](https://" in shown or "](http://" in shown  # markdown links, not code blocks
    assert "*English (vi original):*" in shown
    sources = load_package().tables["sources"]
    month = sources.filter(sources["published_precision"] == "month").row(0, named=True)
    table = frame(start("sources", q=month["source_id"]), "sources-table")
    assert list(table["published"]) == [labels.format_date(month["published"], "month")]


# ------------------------------------------------------------------------------------------
# Quote search

def test_quote_search_in_any_script_with_the_number_marked():
    app = start("search", q="2,137")
    shown = texts(app)
    assert ":orange-background[**2,137**]" in shown
    assert "Figures that cite these rows" in shown and "?page=" in shown
    for query in ("bat giu", "逮捕", "WNI"):
        app = start("search", q=query)
        table = frame(app, "search-table")
        assert len(table) == stats.search_quotes(load_package(), query).height > 0
    app = start("search", q="zzz-nothing-zzz")
    assert "No quote or source title" in infos(app)


# ------------------------------------------------------------------------------------------
# One version on screen

def test_the_version_on_screen_follows_the_package_on_disk(tmp_path, monkeypatch):
    package = tmp_path / "package"
    shutil.copytree(DATA_DIR / "valid", package)
    monkeypatch.setenv("SCAMSTATS_PACKAGE", str(package))
    before = cite.file_sha256(package)
    app = start("sources")
    assert before[:12] in " ".join(c.value for c in app.sidebar.caption)
    rows = len(frame(app, "sources-table"))
    sources = package / "data" / "sources.csv"
    lines = sources.read_text(encoding="utf-8").splitlines()
    sources.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one source fewer
    rehash(package)
    after = cite.file_sha256(package)
    assert after != before
    ok(app.run())  # the same session, the next run
    assert after[:12] in " ".join(c.value for c in app.sidebar.caption)
    assert len(frame(app, "sources-table")) == rows - 1
    assert after[:12] in cited(app)  # the citation names the same version


# ------------------------------------------------------------------------------------------
# Dates at their precision, never ISO, in every table and caption

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Columns whose text is the data's own (verbatim quotes, curators' notes, titles, URLs, ids):
# a date written there is the source's wording, not the dashboard's.
DATA_TEXT_COLUMNS = {"quote", "note", "title", "url", "compound_link", "row_ids", "source_ids"}
VIEWS = [("overview", {}), *[("arrests", {"show": s}) for s in ("series", "compare", "official", "returns", "women")],
         *[("raids", {"show": s}) for s in ("month", "provinces", "map")],
         *[("compounds", {"show": s}) for s in ("map", "provinces", "after")],
         *[("disagree", {"show": s}) for s in ("claims_disagree", "reports_disagree", "operations")],
         ("survivors", {}), ("search", {"q": "Bavet"}), ("sources", {}), ("download", {})]


def words_on_screen(app: AppTest) -> list[str]:
    """Markdown, captions, headings and notes, without link targets, quotes and their notes
    (the sources' own words)."""
    shown = []
    for element in [*app.markdown, *app.caption, *app.subheader, *app.info, *app.warning, *app.sidebar.caption]:
        text = re.sub(r"\]\([^)]*\)", "]", element.value)
        shown += [line for line in text.splitlines() if not line.startswith(("> ", "*English"))]
    return shown


@pytest.mark.parametrize("page, params", VIEWS, ids=lambda v: v if isinstance(v, str) else "-".join(v.values()))
def test_no_table_or_caption_shows_an_iso_date(page, params):
    app = open_everything(start(page, **params))  # quotes and tables folded away included
    for table in app.dataframe:
        value = table.value
        for column in value.columns:
            if column in DATA_TEXT_COLUMNS or str(column).endswith(("_id", "id")):
                continue
            assert "datetime" not in str(value[column].dtype), column  # never a midnight timestamp
            cells = value[column].astype(str)
            assert not cells.str.contains(ISO_DATE).any(), (page, params, column, cells[cells.str.contains(ISO_DATE)].iloc[0])
    for line in words_on_screen(app):
        assert not ISO_DATE.search(line), (page, params, line)


def test_after_raids_dates_are_printed_at_their_precision():
    app = start("compounds", show="after")
    after = next(t.value for t in app.dataframe if "status after raids" in t.value.columns)
    outcomes = stats.compound_outcomes_after_raids(load_package())
    expected = {row["compound_id"]: labels.format_date(row["last_operation"], row["last_operation_precision"])
                for row in outcomes.iter_rows(named=True)}
    assert dict(zip(after["compound_id"], after["last operation"], strict=True)) == expected
    assert {"day", "month", "year"} <= set(outcomes["last_operation_precision"])  # e.g. "December 2025", "2022"
    month = outcomes.filter(outcomes["last_operation_precision"] == "month").row(0, named=True)
    assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", expected[month["compound_id"]])
    dated = {row["compound_id"]: labels.format_date(row["status_date"], row["status_date_precision"])
             for row in outcomes.iter_rows(named=True) if row["status_date"]}
    assert {k: v for k, v in zip(after["compound_id"], after["status dated"], strict=True) if v} == dated


def test_raid_reports_are_dated_at_their_precision():
    raids = load_package().tables["raids"]
    month = raids.filter(raids["date_precision"] == "month").row(0, named=True)
    day = month["date"].isoformat()
    table = frame(start("raids", **{"from": day, "to": day}), "raids-table")
    shown = dict(zip(table["raid_id"], table["date"], strict=True))
    assert shown[month["raid_id"]] == labels.format_date(month["date"], "month")  # "December 2025", not "1 December"
