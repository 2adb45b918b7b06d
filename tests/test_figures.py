"""Figures: a registry of at least 12, each described in words; pure functions that build from
the shipped package and from an empty one; honest marks; offline maps of all 25 provinces; the
small-cell rule in every figure's data and labels; a module per topic that only draws."""

import ast
import datetime as dt
import graphlib
import re
from importlib import resources
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from conftest import DATA_DIR

from scamstats import figures
from scamstats.figures import maps, marks, milestones
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
    names = [marks.printable(r["publisher"], r["source_id"]) for r in cited.iter_rows(named=True)]
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
    # 'At least' is visible: a triangle marker and its legend entry (when a figure drawn is one).
    if (rendered.data["qualifier_high"] == "at_least").any():
        assert "triangle-up" in _symbols(rendered.figure)
        assert "marker: at least" in names
    # Timeline milestones are drawn (the 14 July 2025 directive is in the timeline).
    dotted = [s for s in rendered.figure.layout.shapes if s.line.dash == "dot"]
    assert dotted
    assert any("14 Jul 2025" in (a.text or "") for a in rendered.figure.layout.annotations)


def test_disagreeing_sources_are_drawn_as_a_range(shipped):
    # A second source giving another figure for the same metric, baseline and date.
    arrests = shipped.tables["arrests"]
    total = (pl.col("scope") == "national") & pl.col("nationality").is_null() & pl.col("sex").is_null()
    in_figure = (pl.col("metric") == "arrested") & (pl.col("period_start") >= dt.date(2025, 6, 1))
    a_tally = pl.col("same_claim_as").is_null() & pl.col("subset").is_null() & pl.col("raid_id").is_null()
    first = arrests.filter(total & in_figure & a_tally).head(1)
    other_source = shipped.tables["sources"].filter(pl.col("source_id") != first["source_id"][0])["source_id"][0]
    rival = first.with_columns(pl.col("value") + 100, observation_id=pl.lit("rival"), source_id=pl.lit(other_source))
    tables = {**shipped.tables, "arrests": pl.concat([arrests, rival])}
    rendered = figures.render("official-tallies-crackdown", shipped.with_tables(**tables))
    disagreeing = rendered.data.filter(pl.col("sources_disagree") & pl.col("observation_ids").list.contains("rival"))
    assert disagreeing.height == 1
    assert (disagreeing["value_high"] - disagreeing["value_low"] >= 100).all()
    assert any(t.error_y is not None and t.error_y.visible for t in rendered.figure.data)


def test_province_geojson_covers_all_25_provinces_and_is_small():
    assert maps.all_province_codes_mapped()
    mapping = maps.province_feature_ids()
    assert sorted(mapping) == sorted(PROVINCES)
    assert mapping["KH-25"] == mapping["KH-3"] == "KH-3+KH-25"
    folder = resources.files("scamstats.geo")
    assert len(folder.joinpath("cambodia_provinces.geojson").read_bytes()) < 200_000
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in readme and "public domain" in readme and "KH-25" in readme


@pytest.mark.parametrize("figure_id", ["raids-map", "compounds-map"])
def test_maps_are_offline_shapes_with_every_province_named(shipped, figure_id):
    figure = figures.render(figure_id, shipped).figure
    # Plain shapes on a fixed projection: no map tiles, no WebGL, no topojson to fetch.
    assert all(t.type == "scatter" for t in figure.data)
    assert figure.layout.map.style is None and figure.layout.geo.scope is None
    text = figure.to_json()
    assert "topojson" not in text and "http" not in text
    names = next(t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("role") == "names")
    shaded = [t for t in figure.data if t.fill == "toself"]
    assert len(shaded) == len(maps.province_geojson()["features"])
    # Every area is named, but where a dot's label names it already (Phnom Penh).
    assert len(names.text) >= len(shaded) - 1


def test_cross_tab_figures_show_small_cells_as_less_than_five(shipped):
    figure = figures.render("compounds-status-by-province", shipped).figure
    cells = [c for row in figure.data[0].text for c in row if c]
    assert cells
    assert all(c == "<5" or int(c) >= 5 for c in cells)


def test_source_note_shows_no_missing_glyphs(shipped):
    for figure_id in IDS:
        note = figures.render(figure_id, shipped).source_note
        assert marks.printable(note, "") == note, (figure_id, note)  # only scripts the fonts cover


def test_publishers_in_scripts_the_export_fonts_cover_are_printed_others_fall_back_to_the_id():
    assert marks.printable("东南亚信息港 (dnyxxg)", "id-1") == "东南亚信息港 (dnyxxg)"
    assert marks.printable("Pháp Luật TP.HCM (PLO)", "id-2") == "Pháp Luật TP.HCM (PLO)"
    assert marks.printable("연합뉴스", "id-3") == "연합뉴스"
    assert marks.printable("ไทยรัฐ", "id-4") == "id-4"  # no Thai font in the export


# ------------------------------------------------------------------------------------------
# The small-cell rule in every figure (cells of 1 to 4 read "<5", README, Figures)

TINY = "Tiny test group of survivors"


def _with_a_tiny_survivor_group(package: Package) -> Package:
    """The package with one more survivor group, every count of it under 5 (a new source)."""
    sources = package.tables["sources"]
    source = sources.head(1).with_columns(source_id=pl.lit("tiny-test-source"), publisher=pl.lit("Tiny Publisher"))
    survivors = package.tables["survivors"]
    template = survivors.row(0, named=True)
    cells = [("total", "all", 4), ("sex", "female", 1), ("sex", "male", 3), ("age_group", "under_18", 2),
             ("nationality", "VNM", 4), ("nationalities", "1", 1)]
    rows = [template | {"group_id": f"tiny-{d}-{c}", "population": TINY, "dimension": d, "category": c,
                        "count": n, "qualifier": "exact", "source_id": "tiny-test-source"} for d, c, n in cells]
    return package.with_tables(sources=pl.concat([sources, source]),
                               survivors=pl.concat([survivors, pl.DataFrame(rows, schema=survivors.schema)]))


def _survivor_rows(csv: pl.DataFrame, package: Package) -> pl.DataFrame:
    """The rows of a figure's CSV about a survivor group (a cell naming its population or id)."""
    survivors = package.tables["survivors"]
    names = set(survivors["population"]) | set(survivors["group_id"])
    about = pl.any_horizontal([pl.col(c).is_in(list(names)) for c in csv.columns]) if csv.width else pl.lit(False)
    return csv.filter(about)


def _small(value: str | None) -> bool:
    return value is not None and value.strip().isdigit() and 1 <= int(value) <= 4


@pytest.mark.parametrize("figure_id", IDS)
@pytest.mark.parametrize("which", ["shipped", "tiny"])
def test_every_figure_csv_passes_the_small_cell_rule(shipped, figure_id, which):
    from scamstats.export import csv_bytes

    package = shipped if which == "shipped" else _with_a_tiny_survivor_group(shipped)
    rendered = figures.render(figure_id, package)
    csv = pl.read_csv(csv_bytes(rendered.data), infer_schema=False)
    # Cross-tabulations: no shown cell of 1 to 4 in a column the rule covers.
    for column in [c for c in csv.columns if f"{c}_suppressed" in csv.columns]:
        assert not [v for v in csv[column] if _small(v)], (figure_id, column)
    # Survivor groups: no count of 1 to 4 in any cell, and no share that would give one back.
    about = _survivor_rows(csv, package)
    for row in about.iter_rows(named=True):
        assert not [c for c, v in row.items() if _small(v)], (figure_id, row)
        assert not [c for c, v in row.items() if c.startswith("share") and v and "<5" in row.values()], (figure_id, row)
    if which == "tiny" and figure_id in ("survivor-demographics", "headline-numbers"):
        assert about.filter(pl.any_horizontal(pl.all() == "<5")).height, figure_id  # the rule was applied here
    if which == "tiny" and figure_id == "share-of-women":
        assert not about.filter(pl.col("population") == TINY).height  # no share of a group under 20


@pytest.mark.parametrize("figure_id", ["survivor-demographics", "share-of-women", "headline-numbers"])
def test_survivor_figures_draw_no_small_cell(shipped, figure_id):
    figure = figures.render(figure_id, _with_a_tiny_survivor_group(shipped)).figure
    tiny_rows = 0
    for trace in figure.data:
        texts = trace.text if isinstance(trace.text, (list, tuple)) else [trace.text] * len(trace.y or [])
        for x, y, text in zip(trace.x or [], trace.y or [], texts, strict=False):
            if isinstance(y, str) and TINY[:30] in y:
                tiny_rows += 1
                assert x is None or x >= 5 or 0 < x < 1 and "<5" not in (text or ""), (figure_id, y, x)
                assert not re.search(r"(?<![\d,.])[1-4](?![\d,.%])", text or ""), (figure_id, y, text)
    notes = [a.text for a in figure.layout.annotations if a.text and "<5" in a.text]
    if figure_id == "share-of-women":
        assert not tiny_rows  # no share of a group under 20: the group has no bar
        return
    assert tiny_rows and notes, figure_id  # the group's row is there, its hidden cells named in words


def test_render_refuses_data_that_skipped_the_small_cell_rule(shipped, monkeypatch):
    from dataclasses import replace

    from scamstats.figures import registry

    spec = figures.get("survivor-demographics")
    raw = pl.DataFrame({"count": [1, 7], "source_total": [9, 9]})
    monkeypatch.setitem(registry.REGISTRY, spec.id, replace(spec, plot=lambda package: (go.Figure(), raw, [])))
    with pytest.raises(ValueError, match="small-cell rule"):
        figures.render(spec.id, shipped)


# ------------------------------------------------------------------------------------------
# The registry, list columns, and the package's layout


def test_every_listed_figure_is_registered_in_the_listed_order():
    from scamstats.figures import registry

    assert IDS == list(registry.ORDER) and set(registry.REGISTRY) == set(registry.ORDER)


def test_milestone_priority_ranks_every_timeline_category():
    from scamstats.reference import TIMELINE_CATEGORIES

    assert sorted(milestones.MILESTONE_PRIORITY) == sorted(TIMELINE_CATEGORIES)


def test_list_columns_stay_lists_until_the_csv_joins_them(shipped):
    from scamstats.export import csv_bytes

    data = figures.render("timeline", shipped).data
    assert data.schema["row_ids"] == pl.List(pl.String) and data.schema["source_ids"] == pl.List(pl.String)
    csv = pl.read_csv(csv_bytes(data), infer_schema=False)
    assert csv["row_ids"].to_list() == [" ".join(ids) for ids in data["row_ids"]]


FIGURES_DIR = Path(figures.__file__).parent
FIGURE_MODULES = sorted(path.stem for path in FIGURES_DIR.glob("*.py"))
MAY_IMPORT = ("scamstats.figures", "scamstats.stats", "scamstats.labels", "scamstats.privacy",
              "scamstats.reference", "scamstats.package")


def _imports_of(module: str) -> set[str]:
    tree = ast.parse((FIGURES_DIR / f"{module}.py").read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "scamstats":  # from scamstats import stats
            names |= {f"scamstats.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name for name in names if name.startswith("scamstats")}


@pytest.mark.parametrize("module", FIGURE_MODULES)
def test_figure_module_imports_only_what_figures_may_and_stays_short(module):
    assert {name for name in _imports_of(module) if not name.startswith(MAY_IMPORT)} == set()
    assert len((FIGURES_DIR / f"{module}.py").read_text(encoding="utf-8").splitlines()) <= 400


def test_figure_modules_import_each_other_without_circles():
    graph = {module: {name.removeprefix("scamstats.figures.") for name in _imports_of(module)
                      if name.startswith("scamstats.figures.")}
             for module in FIGURE_MODULES}
    assert graph["theme"] == set() and graph["marks"] == {"theme"}  # what the topics share builds on no topic
    assert graph["panels"] <= {"theme"}  # date axes and time panels: no drawing of their own
    assert graph["maps"] <= {"theme", "marks", "map_labels"} and graph["map_labels"] <= {"theme", "marks"}
    assert graph["milestones"] <= {"theme", "marks", "panels"}
    list(graphlib.TopologicalSorter(graph).static_order())  # raises CycleError on a circle
