"""The dashboard in Streamlit's AppTest, the journalist's tasks: every registry figure on its
page; nationalities and provinces compared; compounds in a province and after raids; where
sources disagree; citations a reader can follow; quote search; the version on screen; dates
at their precision in every table and caption."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import DATA_DIR
from dashboard_app import (
    alts,
    charts,
    cited,
    frame,
    infos,
    ok,
    open_everything,
    points,
    start,
    texts,
    url,
)
from streamlit.testing.v1 import AppTest
from widgets import FIGURE_PAGES  # the dashboard folder, put on the path by dashboard_app

from scamstats import cite, figures, labels, stats
from scamstats.package import load_package, rehash

# ------------------------------------------------------------------------------------------
# Every registry figure on its page, with the page's filters

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


def test_two_numbers_for_one_count_are_one_card_and_one_disagreement_shown_everywhere():
    # AP's 2,137 detained and PTS's 2,270 arrested in the same three weeks (same_count_as): one
    # overview card with who gives which, one card on the disagree page, a line under the chart.
    shown = texts(start("overview"))
    assert "### 2,137–2,270" in shown and "2,137–2,270 (detained, since 27 June 2025)" in shown
    assert "**2,137**: Associated Press" in shown and "**2,270**: PTS (Taiwan Public Television)" in shown
    shown = texts(start("disagree"))
    assert "#### 2,137–2,270" in shown
    assert "**2,137**: Associated Press, Portal Berita Merdeka" in shown
    assert "**2,270**: PTS (Taiwan Public Television), VnExpress" in shown
    assert "reported as arrested, no baseline stated" in shown
    shown = texts(start("arrests", show="official"))
    assert ("18 July 2025, detained, since 27 June 2025: **2,137** (Associated Press, Portal Berita Merdeka) to "
            "**2,270** (PTS (Taiwan Public Television), VnExpress)") in shown


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


def test_overview_says_how_far_the_counts_run_and_shows_one_card_for_a_survivor_group_in_dispute():
    app = start("overview")
    shown = texts(app)
    latest = stats.covered_until(load_package())
    infos = [re.sub(r"\\(.)", r"\1", i.value) for i in app.info]
    assert labels.covered_until_note(latest) in infos
    assert f"run to {labels.format_date(latest['date'], latest['precision'])}" in infos[0]
    # Amnesty's 336 and The Record's 365 count one group: one card, the range, who gives which.
    assert "336–365" in shown
    assert "Sources disagree" in shown and "**336**: Amnesty International" in shown
    assert "**365**: The Record" in shown
