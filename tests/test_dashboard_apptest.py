"""The dashboard in Streamlit's AppTest: every page and widget; filters change the chart data;
links restore filters; empty selections give a message, never an exception; survivors' small
cells; downloads and citations; what is folded away is built once opened; text is escaped;
the dashboard asks the library. The journalist's tasks are in test_dashboard_apptest_tasks.py."""

from __future__ import annotations

import ast
import datetime as dt
import shutil

import numpy as np
import pytest
from conftest import DATA_DIR, REPO_DIR
from dashboard_app import (
    CHARTS,
    FOLDED_CHARTS,
    PAGES,
    charts,
    frame,
    go_to,
    infos,
    ok,
    open_everything,
    points,
    start,
    texts,
    url,
)

from scamstats import labels, privacy
from scamstats.package import load_package


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
    assert len(small) and small["count"].isin(["<5", privacy.COMPLEMENT_LABEL]).all()
    assert (small["count"] == "<5").any() and (small["count"] == privacy.COMPLEMENT_LABEL).any()
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
        drawn = CHARTS[page] + FOLDED_CHARTS.get(page, 0)
        assert len(app.get("plotly_chart")) == drawn
        cited = [e for e in app.expander if e.label.startswith("Cite this figure")]
        assert len(cited) == drawn and all(e.children for e in cited)
        codes = " ".join(code.value for e in cited for code in e.code)
        assert codes.count("scamstats contributors") == drawn and "version" in codes
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
