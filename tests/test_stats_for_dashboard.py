"""What the dashboard asks the library for, instead of computing it itself: the rows behind a
figure with their sources, nationalities ranked by figures, the crackdown's latest tallies,
survivor tables and headlines under the small-cell rule, and table wording as columns."""

import datetime as dt

import polars as pl
import pytest

from scamstats import labels, privacy, stats
from scamstats.package import Package, load_package
from scamstats.paths import PACKAGE_DIR

SMALL = (1, privacy.SMALL_CELL_THRESHOLD - 1)


@pytest.fixture(scope="module")
def shipped() -> Package:
    return load_package(PACKAGE_DIR)


def emptied(package: Package) -> Package:
    """The package with every table cut to no rows."""
    return package.with_tables(**{name: frame.head(0) for name, frame in package.tables.items()})


# ------------------------------------------------------------------------------------------
# Wording as columns


def test_metric_label_spaces_an_unknown_code():
    assert labels.metric_label("released_or_escaped") == "released or escaped"
    assert labels.metric_label("sites_identified") == "compounds identified"
    assert labels.metric_label("new_metric") == "new metric"


def test_column_wording_is_the_wording_of_each_value():
    frame = pl.DataFrame({
        "value": [2137, 1000, None], "qualifier": ["exact", "at_least", "about"],
        "baseline": [dt.date(2025, 6, 27), None, dt.date(2026, 1, 1)], "province": ["KH-18", None, "KH-1"],
    })
    shown = frame.select(
        labels.count_texts(pl.col("value"), pl.col("qualifier")).alias("figure"),
        labels.baseline_labels(pl.col("baseline")).alias("baseline"),
        labels.province_names_stated(pl.col("province")).alias("province"),
    )
    assert shown["figure"].to_list()[:2] == ["2,137", "at least 1,000"]
    assert shown["baseline"].to_list() == ["since 27 June 2025", "no baseline stated", "since 1 January 2026"]
    assert shown["province"].to_list() == ["Preah Sihanouk", None, "Banteay Meanchey"]  # none stated: empty


# ------------------------------------------------------------------------------------------
# Sources beside rows


def test_with_source_details_puts_each_rows_source_beside_it(shipped):
    raids = shipped.tables["raids"]
    shown = stats.with_source_details(shipped, raids)
    assert shown.height == raids.height
    sources = stats.sources_by_id(shipped)
    for row in shown.head(20).iter_rows(named=True):
        source = sources[row["source_id"]]
        assert (row["publisher"], row["title"], row["source_published"], row["url"]) == (
            source["publisher"], source["title"], source["published"], source["url"])


def test_with_source_details_keeps_its_columns_with_no_rows(shipped):
    shown = stats.with_source_details(shipped, shipped.tables["survivors"].head(0))
    assert shown.height == 0
    assert {"publisher": pl.String, "source_published": pl.Date, "url": pl.String}.items() <= dict(shown.schema).items()


# ------------------------------------------------------------------------------------------
# Arrests and headlines


def test_figures_per_nationality_counts_claims_most_first(shipped):
    ranked = stats.figures_per_nationality(shipped)
    claims = stats.claims(shipped)
    for row in ranked.head(5).iter_rows(named=True):
        # A figure several pages relay counts once.
        assert row["figures"] == claims.filter(pl.col("nationality") == row["nationality"]).height
    assert ranked.rows() == sorted(ranked.rows(), key=lambda r: (-r[1], r[0]))
    assert ranked["nationality"].null_count() == 0
    assert stats.figures_per_nationality(emptied(shipped)).schema == stats.figures_per_nationality(shipped).schema


def test_latest_crackdown_tallies_are_the_latest_of_each_series_from_its_strongest_sources(shipped):
    headlines = stats.headline_numbers(shipped)
    tallies = stats.latest_crackdown_tallies(headlines)
    assert tallies.height and set(tallies["headline"]) == {"official_latest"}
    assert set(tallies["baseline"]) <= set(stats.CRACKDOWN_BASELINES)
    assert set(tallies["metric"]) <= {"arrested", "detained", "deported"}
    assert tallies.select("baseline", "metric").rows() == sorted(tallies.select("baseline", "metric").rows())
    claims = stats.tally_claims(shipped).filter(pl.col("scope") == "national")
    rank = {name: index for index, name in enumerate(("primary", "attributed", "unattributed"))}
    for row in tallies.iter_rows(named=True):
        series = claims.filter((pl.col("metric") == row["metric"]) & (pl.col("period_start") == row["baseline"])
                               & pl.col("nationality").is_null() & pl.col("sex").is_null())
        strongest = min(rank[r] for r in series["reliability"])
        assert rank[row["reliability"]] == strongest
        assert row["as_of"] == series.filter(pl.col("reliability") == row["reliability"])["as_of"].max()
        assert row["reports_label"].startswith(f"{row['reports']} report")
    # The later figures stand beside their card, each saying why it is not the card.
    beside = stats.latest_crackdown_tallies(headlines, beside=True)
    assert set(beside["headline"]) <= {"official_latest", *stats.BESIDE_LATEST}
    assert beside.filter(pl.col("headline") == "official_latest").equals(tallies)
    for row in beside.filter(pl.col("headline") != "official_latest").iter_rows(named=True):
        card = tallies.filter((pl.col("metric") == row["metric"]) & (pl.col("baseline") == row["series_baseline"]))
        assert row["as_of"] > card["as_of"].item()
        assert "later" in row["label"]


# ------------------------------------------------------------------------------------------
# Survivors under the small-cell rule


def test_survivor_headlines_read_below_five_for_small_counts(shipped):
    headlines = stats.headline_numbers(shipped)
    shown = stats.suppress_small_survivor_headlines(headlines)
    survivor = pl.col("headline").str.starts_with("survivors_")
    small = headlines.filter(survivor & pl.col("value").is_between(*SMALL))
    assert small.height  # the shipped package has some
    hidden = shown.filter(pl.col("value_suppressed"))
    assert hidden.height == small.height
    assert set(hidden["value"]) == set(hidden["value_text"]) == {privacy.SMALL_CELL_LABEL}
    assert all(label.startswith(privacy.SMALL_CELL_LABEL) for label in hidden["label"])
    kept = shown.filter(~pl.col("value_suppressed"))
    original = headlines.filter(~(survivor & pl.col("value").is_between(*SMALL)))
    assert kept["label"].to_list() == original["label"].to_list()
    assert kept["value"].to_list() == original["value"].cast(pl.String).to_list()


def test_survivor_cells_hide_small_counts_totals_and_the_shares_that_give_them_back(shipped):
    demographics = stats.survivor_demographics(shipped)
    shown = stats.suppress_small_survivor_cells(demographics)
    assert shown.height == demographics.height
    for column in ("count", "source_total"):
        given = shown[column].drop_nulls()
        numbers = given.filter(~given.is_in([privacy.SMALL_CELL_LABEL, privacy.COMPLEMENT_LABEL]))
        assert not [n for n in numbers.cast(pl.Int64) if SMALL[0] <= n <= SMALL[1]]
    hidden = shown["count_suppressed"] | shown["source_total_suppressed"]
    assert hidden.any() and shown["share_of_total"].filter(hidden).null_count() == hidden.sum()
    assert shown["share_of_total"].filter(~hidden).equals(demographics["share_of_total"].filter(~hidden))


def test_survivor_rows_to_draw_leave_out_small_counts_only():
    survivors = pl.DataFrame({"group_id": list("abcdef"), "count": [0, 1, 4, 5, 12, 3]})
    assert stats.survivor_rows_to_draw(survivors)["group_id"].to_list() == ["a", "d", "e"]
