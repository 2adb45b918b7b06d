"""Every public function of `scamstats.stats` runs on the shipped package and on an empty one.

A function that raises on either (a polars API gone in a new major version, a frame with no
rows) breaks the figures and the dashboard; the functions that take something other than a
package get their input from the package here, so they run on real and on empty data too.
"""

import datetime as dt
import inspect

import polars as pl
import pytest
from conftest import DATA_DIR

from scamstats import stats
from scamstats.package import Package, load_package

DAY = dt.date(2025, 7, 14)

# Functions whose arguments are not (only) a package: how to call them from one.
CALLS = {
    "source_ids_citing": lambda p: [stats.source_ids_citing(p, r) for r in stats.CITING_RESOURCES],
    "with_source_details": lambda p: [stats.with_source_details(p, p.tables[r]) for r in stats.CITING_RESOURCES],
    "breakdown_parts_exceed_total": lambda p: stats.breakdown_parts_exceed_total(stats.latest_nationality_breakdown(p)),
    "combine_qualifiers": lambda p: [stats.combine_qualifiers(["exact", "at_least", None]),
                                     stats.combine_qualifiers([])],
    "era_of": lambda p: [stats.era_of(DAY), stats.era_of(None)],
    "eras_present": lambda p: [stats.eras_present([DAY, None]), stats.eras_present([])],
    "first_report": lambda p: p.tables["raids"].select(
        stats.first_report(p.tables["raids"], "raid_id", "same_operation_as")),
    "with_first_report": lambda p: stats.with_first_report(p.tables["raids"], "raid_id", "same_operation_as"),
    "reports_listed": lambda p: stats.reports_listed(
        stats.with_first_report(p.tables["timeline"], "event_id", "same_event_as"), "event_id", "date"),
    "fold_query": lambda p: [stats.fold_query("Bắt giữ 2,137"), stats.fold_query("")],
    "match_spans": lambda p: [stats.match_spans("bắt giữ", "bat giu"), stats.match_spans(None, "x")],
    "query_number": lambda p: [stats.query_number("2,137"), stats.query_number("")],
    "number_spans": lambda p: [stats.number_spans("2,137 people", 2137), stats.number_spans(None, None)],
    "period_of": lambda p: [stats.period_of(DAY, precision) for precision in ("day", "month", "year", None)]
    + [stats.period_of(None, None)],
    "latest_crackdown_tallies": lambda p: [stats.latest_crackdown_tallies(stats.headline_numbers(p), beside=beside)
                                           for beside in (False, True)],
    "suppress_small_survivor_headlines": lambda p: stats.suppress_small_survivor_headlines(stats.headline_numbers(p)),
    "suppress_small_survivor_cells": lambda p: stats.suppress_small_survivor_cells(stats.survivor_demographics(p)),
    "suppress_small_survivor_shares": lambda p: stats.suppress_small_survivor_shares(stats.share_of_women(p)),
    "survivor_rows_to_draw": lambda p: stats.survivor_rows_to_draw(p.tables["survivors"]),
    "line_points": lambda p: stats.line_points(stats.official_series(p)),
    "with_spans": lambda p: [stats.with_spans(stats.official_series(p)),
                             stats.with_spans(stats.latest_milestones(p, 5), "date", "date_precision", baseline=None)],
    "search_quotes": lambda p: [stats.search_quotes(p, query) for query in ("Bavet", "2,137", "逮捕", "")],
    "latest_milestones": lambda p: stats.latest_milestones(p, 5),
}

FUNCTIONS = sorted(name for name in stats.__all__ if inspect.isfunction(getattr(stats, name)))


def _takes_only_a_package(name: str) -> bool:
    parameters = list(inspect.signature(getattr(stats, name)).parameters.values())
    return parameters[0].name == "package" and all(p.default is not inspect.Parameter.empty for p in parameters[1:])


def _call(name: str, package: Package):
    return CALLS[name](package) if name in CALLS else getattr(stats, name)(package)


def _empty(package: Package) -> Package:
    return Package(package.descriptor, {k: v.clear() for k, v in package.tables.items()}, package.directory)


@pytest.fixture(scope="module")
def packages() -> dict[str, Package]:
    shipped = load_package()
    return {"shipped": shipped, "empty": _empty(shipped), "empty fixture": _empty(load_package(DATA_DIR / "valid"))}


def test_every_public_function_has_a_way_to_be_called():
    assert len(FUNCTIONS) > 50
    uncallable = [name for name in FUNCTIONS if name not in CALLS and not _takes_only_a_package(name)]
    assert uncallable == []
    assert set(CALLS) <= set(FUNCTIONS)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_public_function_runs_on_the_shipped_and_an_empty_package(name, packages):
    results = {label: _call(name, package) for label, package in packages.items()}
    shipped, empty = results["shipped"], results["empty"]
    if isinstance(shipped, pl.DataFrame):  # a frame keeps its columns and types when there are no rows
        assert isinstance(empty, pl.DataFrame) and empty.schema == shipped.schema
        assert results["empty fixture"].schema == shipped.schema


def test_conflicts_find_the_shipped_disagreements(packages):
    shipped = packages["shipped"]
    found = stats.conflicts(shipped)
    assert found.height and set(found["kind"]) == {"claims_disagree", "reports_disagree"}
    assert (found["value_low"] <= found["value_high"]).all()
    assert found.filter(pl.col("kind") == "claims_disagree").select(pl.col("values").list.len().min()).item() >= 2
    sides = stats.conflict_sides(shipped)
    assert set(found["conflict_id"]) == set(sides["conflict_id"])
    assert stats.conflicts(packages["empty"]).height == 0
