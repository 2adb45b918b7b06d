"""What the figures ask the library for, instead of computing it themselves: series with a
baseline, nationalities ranked by figures, outcomes after raids, located compounds, the
largest survivor breakdowns, the headline findings, the latest milestones, the sources behind
a table, and survivor shares under the small-cell rule. Each keeps its schema when empty."""

import datetime as dt

import polars as pl
import pytest
from conftest import DATA_DIR

from scamstats import privacy, stats
from scamstats.package import Package, load_package
from scamstats.paths import PACKAGE_DIR
from scamstats.reference import SURVIVOR_DIMENSIONS


@pytest.fixture(scope="module")
def shipped() -> Package:
    return load_package(PACKAGE_DIR)


@pytest.fixture(scope="module")
def empty() -> Package:
    base = load_package(DATA_DIR / "valid")
    return base.with_tables(**{name: frame.head(0) for name, frame in base.tables.items()})


# ------------------------------------------------------------------------------------------
# Common and timeline


def test_source_ids_citing_lists_every_report_s_source_once(shipped, empty):
    raids = shipped.tables["raids"]
    cited = stats.source_ids_citing(shipped, "raids")
    assert cited == sorted(set(raids["source_id"])) and len(cited) < raids.height
    assert stats.source_ids_citing(empty, "raids") == []


def test_latest_milestones_are_the_last_of_the_milestones(shipped, empty):
    every = stats.milestones(shipped)
    latest = stats.latest_milestones(shipped, 5)
    assert latest.equals(every.tail(5))
    assert latest["date"].is_sorted()
    assert stats.latest_milestones(empty, 5).schema == pl.Schema(stats.MILESTONES_SCHEMA)


# ------------------------------------------------------------------------------------------
# Arrests


def test_official_series_with_baseline_drops_the_unbased_and_the_earlier(shipped):
    since = dt.date(2025, 6, 1)
    every = stats.official_series(shipped, ("arrested",))
    based = stats.official_series_with_baseline(shipped, ("arrested",), since)
    assert based.height and based["baseline"].null_count() == 0 and (based["baseline"] >= since).all()
    assert based.height == every.filter(pl.col("baseline") >= since).height
    assert stats.official_series_with_baseline(shipped, ("arrested",)).height \
        == every.filter(pl.col("baseline").is_not_null()).height


def _ranked(frame: pl.DataFrame, by: list[str]) -> None:
    keys = list(frame.select(by).iter_rows())
    flipped = [tuple(-v if isinstance(v, int) else v for v in key) for key in keys]
    assert flipped == sorted(flipped), frame


def test_detention_nationalities_most_reported_rank_by_figures_then_largest(shipped, empty):
    top = stats.detention_nationalities_most_reported(shipped, 6)
    assert top.schema == pl.Schema(stats.MOST_REPORTED_SCHEMA) and top.height == 6
    _ranked(top, ["figures", "largest_value", "nationality"])
    national = stats.detentions_by_nationality(shipped).filter(pl.col("scope") == "national")
    counts = national.group_by("nationality").len()
    left_out = counts.filter(~pl.col("nationality").is_in(top["nationality"].to_list()))
    assert left_out["len"].max() <= top["figures"].min()
    first = top.row(0, named=True)
    assert first["largest_value"] == national.filter(pl.col("nationality") == first["nationality"])["value"].max()
    assert stats.detention_nationalities_most_reported(empty).schema == pl.Schema(stats.MOST_REPORTED_SCHEMA)


def test_return_nationalities_most_reported_leave_out_all_and_rank_by_figures(shipped, empty):
    top = stats.return_nationalities_most_reported(shipped, 6)
    assert top.height == 6 and "ALL" not in top["nationality"].to_list()
    _ranked(top, ["figures", "nationality"])
    returns = stats.returns_by_nationality(shipped).filter((pl.col("value") > 0) & (pl.col("nationality") != "ALL"))
    counts = returns.group_by("nationality").len()
    assert counts.filter(~pl.col("nationality").is_in(top["nationality"].to_list()))["len"].max() <= top["figures"].min()
    assert stats.return_nationalities_most_reported(empty).height == 0


def test_breakdown_parts_exceed_total_compares_the_named_parts_only():
    def breakdown(values, total):
        return pl.DataFrame({"nationality": [f"N{i}" for i in range(len(values))] + ["OTHER"],
                             "value": [*values, 999], "total_value": [total] * (len(values) + 1)})
    assert stats.breakdown_parts_exceed_total(breakdown([60, 50], 100))
    assert not stats.breakdown_parts_exceed_total(breakdown([40, 50], 100))  # OTHER is not a part
    assert not stats.breakdown_parts_exceed_total(breakdown([60, 50], None))
    assert not stats.breakdown_parts_exceed_total(pl.DataFrame(schema=stats.BREAKDOWN_SCHEMA))


def test_survivor_shares_hide_small_counts_and_the_share_they_would_give_back(shipped):
    shares = stats.share_of_women(shipped)
    small_women = pl.DataFrame([
        {"resource": "survivors", "women": 3, "total": 40, "share_women": 0.075, "share_qualifier": "exact"},
        {"resource": "survivors", "women": 12, "total": 40, "share_women": 0.3, "share_qualifier": "exact"},
        {"resource": "arrests", "women": 3, "total": 40, "share_women": 0.075, "share_qualifier": "exact"},
    ])
    shown = stats.suppress_small_survivor_shares(small_women)
    assert shown["women"].to_list() == [privacy.SMALL_CELL_LABEL, "12", "3"]  # official tallies as published
    assert shown["women_suppressed"].to_list() == [True, False, False]
    assert shown["share_women"].to_list() == [None, 0.3, 0.075]
    assert shown["share_qualifier"].to_list() == [None, "exact", "exact"]
    shipped_shown = stats.suppress_small_survivor_shares(shares)
    survivors = shipped_shown.filter(pl.col("resource") == "survivors")
    assert survivors["women_suppressed"].any()  # the shipped package has a survivor count under 5
    assert not [v for v in survivors["women"].to_list() + survivors["total"].to_list() if v and v.isdigit() and int(v) < 5]


# ------------------------------------------------------------------------------------------
# Compounds


def test_outcomes_after_raids_read_each_compound_s_later_status(shipped, empty):
    raided = stats.compounds_after_raids(shipped)
    outcomes = stats.compound_outcomes_after_raids(shipped)
    assert outcomes.schema == pl.Schema(stats.OUTCOMES_SCHEMA) and outcomes.height == raided.height > 0
    for compound, outcome in zip(raided.iter_rows(named=True), outcomes["outcome"], strict=True):
        if not compound["status_known_after_raid"]:
            assert outcome == "not known after the raid"
        elif compound["still_operating"]:
            assert outcome == "still operating"
        else:
            assert outcome == compound["status"]
    counts = stats.compounds_by_outcome_after_raids(shipped)
    assert counts["outcome"].to_list() == list(stats.OUTCOMES_AFTER_RAIDS)
    assert counts["compounds"].sum() == raided.height
    share = stats.share_still_operating_after_raids(shipped).row(0, named=True)
    assert counts.filter(pl.col("outcome") == "still operating")["compounds"].item() == share["still_operating"]
    assert stats.compound_outcomes_after_raids(empty).schema == pl.Schema(stats.OUTCOMES_SCHEMA)
    assert stats.compounds_by_outcome_after_raids(empty)["compounds"].to_list() == [0] * len(stats.OUTCOMES_AFTER_RAIDS)


def test_located_compounds_are_every_record_with_coordinates(shipped, empty):
    compounds = shipped.tables["compounds"]
    first = compounds["compound_id"][0]
    placed = compounds.with_columns(
        pl.when(pl.col("compound_id") == first).then(pl.lit(13.36)).otherwise(pl.col("latitude")).alias("latitude"),
        pl.when(pl.col("compound_id") == first).then(pl.lit(103.86)).otherwise(pl.col("longitude")).alias("longitude"),
    )
    located = stats.located_compounds(shipped.with_tables(compounds=placed))
    assert located.height == placed.filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null()).height
    assert first in located["compound_id"].to_list()
    assert located["latitude"].null_count() == located["longitude"].null_count() == 0
    assert stats.located_compounds(empty).schema == pl.Schema(stats.LOCATED_SCHEMA)


# ------------------------------------------------------------------------------------------
# Survivors and summaries


def test_breakdown_dimensions_are_the_survivor_dimensions_that_count_people():
    assert set(stats.BREAKDOWN_DIMENSIONS) == set(SURVIVOR_DIMENSIONS) - {"total", "nationalities"}


def test_survivor_breakdown_groups_are_the_largest_with_their_parts(shipped, empty):
    groups = stats.survivor_breakdown_groups(shipped)
    parts = stats.survivor_breakdowns(shipped)
    assert groups.height and groups["source_total"].is_sorted(descending=True)
    assert set(groups["dimension"]) <= set(stats.BREAKDOWN_DIMENSIONS)
    per_group = parts.group_by(["source_id", "population", "dimension"]).len()
    joined = groups.join(per_group, on=["source_id", "population", "dimension"])
    assert joined.height == groups.height and (joined["parts"] == joined["len"]).all()
    two = stats.survivor_breakdown_groups(shipped, limit=2)
    assert two.equals(groups.head(2))
    assert stats.survivor_breakdowns(shipped, limit=2).height == two["parts"].sum()
    assert stats.survivor_breakdown_groups(empty).schema == pl.Schema(stats.BREAKDOWN_GROUPS_SCHEMA)
    assert stats.survivor_breakdowns(empty).schema == pl.Schema(stats.SURVIVORS_SCHEMA)


def test_headline_findings_are_survivor_totals_then_study_sites_the_smallest_cut_first(shipped):
    findings = stats.headline_findings(shipped)
    assert set(findings["headline"]) == set(stats.FINDING_HEADLINES)
    kinds = findings["headline"].to_list()
    assert kinds == sorted(kinds, reverse=True)  # survivors_total, then study_sites
    for kind in stats.FINDING_HEADLINES:
        assert findings.filter(pl.col("headline") == kind)["value"].is_sorted()
    three = stats.headline_findings(shipped, limit=3)
    assert three.equals(findings.tail(3))


def test_the_published_share_after_raids_is_a_quoted_row_of_the_package(shipped, empty):
    """Amnesty's "more than two-thirds" is data: a row whose quote states it, read with the count
    of compounds its study identified; without the row there is no finding to show."""
    found = stats.published_after_raids(shipped)
    assert found.height == 1
    finding = found.row(0, named=True)
    row = shipped.tables["arrests"].filter(pl.col("observation_id") == finding["observation_id"]).row(0, named=True)
    assert row["metric"] == stats.published.SHARE_AFTER_RAIDS and row["value"] == 67
    assert finding["statement"] == row["quote"] and "two-thirds" in finding["statement"]
    assert len(finding["statement"].split()) <= 30
    assert (finding["share"], finding["qualifier"], finding["share_words"]) == (0.67, "at_least", "more than two-thirds")
    assert (finding["of_count"], finding["of_qualifier"], finding["publisher"]) == (53, "at_least", "Amnesty International")
    assert finding["reported_by"] == "Digital Journal"
    without = shipped.filtered("arrests", pl.col("metric") != stats.published.SHARE_AFTER_RAIDS)
    assert stats.published_after_raids(without).height == 0
    assert stats.published_after_raids(empty).height == 0
    assert stats.published.share_words("a rise to 45 per cent", 45, "exact") == "45%"
