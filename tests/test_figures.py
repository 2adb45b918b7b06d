"""Figures: a registry of at least 12, each described in words; pure functions that build from
the shipped package and from an empty one; honest marks; offline maps of all 25 provinces."""

import datetime as dt
import json
import re
from importlib import resources

import plotly.graph_objects as go
import polars as pl
import pytest
from conftest import DATA_DIR

from scamstats import figures
from scamstats.package import Package, load_package
from scamstats.paths import PACKAGE_DIR
from scamstats.reference import PROVINCES

IDS = figures.figure_ids()


@pytest.fixture(scope="module")
def shipped() -> Package:
    return load_package(PACKAGE_DIR)


@pytest.fixture(scope="module")
def empty() -> Package:
    base = load_package(DATA_DIR / "valid")
    return Package(base.descriptor, {k: v.clear() for k, v in base.tables.items()}, base.directory)


def test_at_least_12_figures_with_stable_slug_ids():
    assert len(IDS) >= 12
    assert len(set(IDS)) == len(IDS)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in IDS)


@pytest.mark.parametrize("figure_id", IDS)
def test_every_figure_is_described_in_words(figure_id):
    spec = figures.get(figure_id)
    for text in (spec.title, spec.subtitle, spec.caption, spec.alt):
        assert len(text) > 15, (figure_id, text)
    assert len({spec.title, spec.subtitle, spec.caption, spec.alt}) == 4


def test_titles_are_distinct():
    titles = [figures.get(i).title for i in IDS]
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("figure_id", IDS)
def test_every_figure_builds_from_the_shipped_package_with_its_sources(shipped, figure_id):
    rendered = figures.render(figure_id, shipped)
    assert isinstance(rendered.figure, go.Figure)
    assert isinstance(rendered.data, pl.DataFrame) and rendered.data.height > 0
    known = set(shipped.tables["sources"]["source_id"])
    assert rendered.source_ids and set(rendered.source_ids) <= known
    assert rendered.source_note.startswith("Sources (")
    # The note names publishers from sources.csv, and the footer carries it.
    cited = shipped.tables["sources"].filter(pl.col("source_id").is_in(rendered.source_ids))
    names = [figures.printable(r["publisher"], r["source_id"]) for r in cited.iter_rows(named=True)]
    assert any(name in rendered.source_note for name in names)
    footer = " ".join(a.text for a in rendered.figure.layout.annotations if a.text)
    assert figure_id in footer and "Sources (" in footer
    assert figures.get(figure_id).title in rendered.figure.layout.title.text


@pytest.mark.parametrize("figure_id", IDS)
def test_every_figure_says_no_data_yet_when_the_data_are_empty(empty, figure_id):
    rendered = figures.render(figure_id, empty)
    texts = " ".join(a.text for a in rendered.figure.layout.annotations if a.text)
    assert "No data yet" in texts
    assert rendered.source_note == "Sources: none yet in this package version."


def test_figures_are_pure(shipped):
    first = figures.render("official-tallies-crackdown", shipped).figure.to_json()
    second = figures.render("official-tallies-crackdown", shipped).figure.to_json()
    assert first == second


def test_unknown_figure_is_a_clear_error():
    with pytest.raises(figures.UnknownFigure, match="no figure with id 'nope'"):
        figures.get("nope")


def _symbols(figure: go.Figure) -> set[str]:
    found = set()
    for trace in figure.data:
        symbol = getattr(getattr(trace, "marker", None), "symbol", None)
        if isinstance(symbol, str):
            found.add(symbol)
        elif symbol is not None:
            found |= set(symbol)
    return found


def test_official_tallies_name_baselines_mark_qualifiers_and_milestones(shipped):
    rendered = figures.render("official-tallies-crackdown", shipped)
    names = [t.name for t in rendered.figure.data if t.name]
    assert any("Since 27 June 2025" == n for n in names)
    assert any("Since 14 July 2025" == n for n in names)
    # 'At least' is visible: a triangle marker and its legend entry.
    assert "triangle-up" in _symbols(rendered.figure)
    assert "marker: at least" in names
    # Timeline milestones are drawn (the 14 July 2025 directive is in the timeline).
    dotted = [s for s in rendered.figure.layout.shapes if s.line.dash == "dot"]
    assert dotted
    assert any("July 2025" in (a.text or "") for a in rendered.figure.layout.annotations)


def test_disagreeing_sources_are_drawn_as_a_range(shipped):
    # A second source giving another figure for the same metric, baseline and date.
    arrests = shipped.tables["arrests"]
    total = (pl.col("scope") == "national") & pl.col("nationality").is_null() & pl.col("sex").is_null()
    in_figure = (pl.col("metric") == "arrested") & (pl.col("period_start") >= dt.date(2025, 6, 1))
    first = arrests.filter(total & in_figure).head(1)
    other_source = shipped.tables["sources"].filter(pl.col("source_id") != first["source_id"][0])["source_id"][0]
    rival = first.with_columns(pl.col("value") + 100, observation_id=pl.lit("rival"), source_id=pl.lit(other_source))
    tables = {**shipped.tables, "arrests": pl.concat([arrests, rival])}
    rendered = figures.render("official-tallies-crackdown", Package(shipped.descriptor, tables, shipped.directory))
    disagreeing = rendered.data.filter(pl.col("sources_disagree"))
    assert disagreeing.height >= 1
    assert (disagreeing["value_high"] - disagreeing["value_low"] >= 100).all()
    assert any(t.error_y is not None and t.error_y.visible for t in rendered.figure.data)


def test_province_geojson_covers_all_25_provinces_and_is_small():
    assert figures.all_province_codes_mapped()
    mapping = figures.province_feature_ids()
    assert sorted(mapping) == sorted(PROVINCES)
    assert mapping["KH-25"] == mapping["KH-3"] == "KH-3+KH-25"
    folder = resources.files("scamstats.geo")
    assert len(folder.joinpath("cambodia_provinces.geojson").read_bytes()) < 200_000
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in readme and "public domain" in readme and "KH-25" in readme


@pytest.mark.parametrize("figure_id", ["raids-map", "compounds-map"])
def test_maps_are_offline(shipped, figure_id):
    figure = figures.render(figure_id, shipped).figure
    assert figure.layout.map.style == "white-bg"
    assert all(t.type in ("choroplethmap", "scattermap") for t in figure.data)
    text = figure.to_json()
    assert "topojson" not in text and "http" not in json.dumps(figure.layout.map.to_plotly_json())


def test_cross_tab_figures_show_small_cells_as_less_than_five(shipped):
    figure = figures.render("compounds-status-by-province", shipped).figure
    cells = [c for row in figure.data[0].text for c in row if c]
    assert cells
    assert all(c == "<5" or int(c) >= 5 for c in cells)


def test_source_note_shows_no_missing_glyphs(shipped):
    for figure_id in IDS:
        note = figures.render(figure_id, shipped).source_note
        assert figures.printable(note, "") == note, (figure_id, note)  # only scripts the fonts cover


def test_publishers_in_scripts_the_export_fonts_cover_are_printed_others_fall_back_to_the_id():
    assert figures.printable("东南亚信息港 (dnyxxg)", "id-1") == "东南亚信息港 (dnyxxg)"
    assert figures.printable("Pháp Luật TP.HCM (PLO)", "id-2") == "Pháp Luật TP.HCM (PLO)"
    assert figures.printable("연합뉴스", "id-3") == "연합뉴스"
    assert figures.printable("ไทยรัฐ", "id-4") == "id-4"  # no Thai font in the export
