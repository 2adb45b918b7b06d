"""Statistics that cannot be misread: each claim counted once with its reports and origins, one
announced tally one series whatever verb or misprinted baseline an outlet used, no subset,
raid count or stock in a series, conflicts found by code, breakdowns next to the total they
name, no share of fewer than 20, sums that say "at least", a card's latest from the strongest
sources with later figures beside it, a compound's later status only from a later source, and
the sensitivity of the headline totals. Each is checked on a small made-up package (the valid
fixture and a few rows) and, where it says something about the shipped data, on that."""

from __future__ import annotations

import datetime as dt
import importlib.util

import polars as pl
import pytest
from conftest import DATA_DIR, REPO_DIR

from scamstats import labels, stats
from scamstats.package import Package, load_package
from scamstats.paths import PACKAGE_DIR
from scamstats.stats.claims import stated_baseline_month

DAY = dt.date(2030, 3, 2)
START = dt.date(2030, 1, 5)


@pytest.fixture(scope="module")
def shipped() -> Package:
    return load_package(PACKAGE_DIR)


@pytest.fixture(scope="module")
def base() -> Package:
    return load_package(DATA_DIR / "valid")


def with_rows(package: Package, table: str, rows: list[dict]) -> Package:
    frame = package.tables[table]
    extra = pl.DataFrame([{c: r.get(c) for c in frame.columns} for r in rows], schema=frame.schema, orient="row")
    return package.with_tables(**{table: pl.concat([frame, extra])})


def source(package: Package, index: int) -> str:
    return package.tables["sources"]["source_id"][index]


def arrest(observation_id: str, value: int, source_id: str, **extra) -> dict:
    row = {"observation_id": observation_id, "metric": "detained", "value": value, "qualifier": "exact",
           "period_start": START, "as_of": DAY, "as_of_precision": "day", "scope": "national",
           "source_id": source_id, "quote": f"{value}"}
    return row | extra


def one(frame: pl.DataFrame) -> dict:
    assert frame.height == 1, frame
    return frame.row(0, named=True)


# ------------------------------------------------------------------------------------------
# Claims


def test_a_claim_counts_once_under_its_first_report(base):
    first, second, third = (source(base, i) for i in (2, 6, 10))
    package = with_rows(base, "arrests", [
        arrest("c-first", 3455, first, origin="Commission"),
        arrest("c-relay", 3455, second, metric="arrested", qualifier="about", period_start=dt.date(2030, 2, 5),
               as_of=DAY + dt.timedelta(days=1), same_claim_as="c-first"),  # another verb, hedge, misprint, day
        arrest("c-third", 3455, third, same_claim_as="c-first", origin="Another body"),
    ])
    claim = one(stats.claims(package).filter(pl.col("observation_id") == "c-first"))
    assert (claim["metric"], claim["value"], claim["qualifier"], claim["period_start"], claim["as_of"]) == (
        "detained", 3455, "exact", START, DAY)
    # The first report first, then by date.
    assert claim["row_ids"] == ["c-first", "c-third", "c-relay"] and claim["reports"] == 3
    assert claim["source_ids"] == [first, third, second]
    publisher = base.tables["sources"].filter(pl.col("source_id") == second)["publisher"].item()
    # A report without an origin counts its publisher as its origin.
    assert claim["origins"] == ["Commission", "Another body", publisher]
    assert labels.reports_label(claim["reports"], len(claim["origins"])) == "3 reports from 3 independent origins"
    assert "c-relay" not in stats.claims(package)["observation_id"].to_list()
    # One series, one point: the relay's verb and baseline make no series of their own.
    series = stats.official_series(package).filter(pl.col("as_of") >= START)
    assert one(series)["claim_ids"] == ["c-first"] and one(series)["reports"] == 3
    assert one(series)["observation_ids"] == ["c-first", "c-relay", "c-third"]  # sorted


def test_the_claim_s_reliability_is_its_strongest_report_s(base):
    sources = base.tables["sources"]
    primary = sources.filter(pl.col("reliability") == "primary")["source_id"][0]
    other = sources.filter(pl.col("reliability") != "primary")["source_id"][0]
    package = with_rows(base, "arrests", [arrest("r-1", 10, other), arrest("r-2", 10, primary, same_claim_as="r-1")])
    assert one(stats.claims(package).filter(pl.col("observation_id") == "r-1"))["reliability"] == "primary"


def test_subsets_raid_counts_stocks_cases_and_estimates_are_no_series(base):
    src = source(base, 2)
    package = with_rows(base, "arrests", [
        arrest("t-tally", 5000, src),
        arrest("t-subset", 809, src, as_of=DAY - dt.timedelta(days=9), subset="two-day total"),
        arrest("t-raid", 92, src, raid_id=base.tables["raids"]["raid_id"][0]),
        arrest("t-stock", 1000, src, metric="awaiting_return", qualifier="at_most"),
        arrest("t-cases", 375, src, metric="assistance_cases"),
        arrest("t-estimate", 100000, src, metric="estimated_held", qualifier="about"),
    ])
    series = stats.official_series(package).filter(pl.col("as_of") >= START)
    assert [c for ids in series["claim_ids"] for c in ids] == ["t-tally"]
    assert stats.official_series(package, ["awaiting_return", "assistance_cases"]).filter(
        pl.col("as_of") >= START).height == 0
    stock = one(stats.headline_numbers(package).filter(pl.col("headline") == "latest_stock"))
    assert stock["value"] == 1000 and "not a cumulative count" in stock["label"]


def test_shipped_one_tally_is_one_series_whatever_the_verb(shipped):
    # CCOS's 4,983 of 18 December 2025, "arrested" in Thanh Niên and "detained" in Dân trí: one point.
    series = stats.official_series(shipped, ["arrested", "detained"]).filter(
        (pl.col("baseline") == dt.date(2025, 6, 27)) & (pl.col("as_of") == dt.date(2025, 12, 18)))
    row = one(series)
    assert (row["metric"], row["value_low"], row["value_high"], row["claims"]) == ("arrested", 4983, 4983, 1)
    assert row["reports"] >= 3
    # Asia Economy's "since 27 July" is no series: no tally counts from 27 July 2025.
    assert stats.official_series(shipped).filter(pl.col("baseline") == dt.date(2025, 7, 27)).height == 0
    # The joint team's 92, the two-day 809 and the two-week 416 are no national tallies.
    values = set(stats.official_series(shipped, ["arrested", "detained"])["value_high"])
    assert not {92, 809, 416} & values


def test_seed_more_than_1000_arrests_after_the_july_2025_directive(shipped):
    # SecurityWeek's "more than 1,000 arrested" relays AFP's claim of 16 July 2025 (police: more
    # than 1,000 detained): one claim, counted once under AFP's first report.
    claim = one(stats.claims(shipped).filter(pl.col("row_ids").list.contains("securityweek-20250716-arrested-total")))
    assert (claim["value"], claim["qualifier"], claim["as_of"]) == (1000, "at_least", dt.date(2025, 7, 16))
    assert "securityweek-202507-1000-arrested" in claim["source_ids"] and claim["reports"] >= 2
    series = stats.official_series(shipped, [claim["metric"]])
    row = one(series.filter(pl.col("claim_ids").list.contains(claim["observation_id"])))
    assert "securityweek-202507-1000-arrested" in row["source_ids"]
    assert row["value_low"] <= 1000 <= row["value_high"]


def test_stated_baseline_month_reads_the_note():
    assert stated_baseline_month("the source says since 2025-06 (no day given)", dt.date(2026, 2, 18)) == dt.date(2025, 6, 1)
    assert stated_baseline_month("deported since June 2025", dt.date(2026, 2, 18)) == dt.date(2025, 6, 1)
    assert stated_baseline_month("over the past seven months", dt.date(2026, 1, 25)) == dt.date(2025, 6, 1)
    assert stated_baseline_month("'past 7 months'", dt.date(2026, 2, 1), "month") == dt.date(2025, 7, 1)
    assert stated_baseline_month("Campaign began late 2025.", dt.date(2026, 2, 11)) is None
    assert stated_baseline_month(None, None) is None


# ------------------------------------------------------------------------------------------
# Conflicts


def test_conflicts_list_claims_of_one_thing_with_other_values_and_reports_worded_otherwise(base):
    a, b, c = (source(base, i) for i in (2, 6, 10))
    package = with_rows(base, "arrests", [
        arrest("x-58", 58, a, metric="sites_raided"),
        arrest("x-138", 138, b, metric="sites_raided"),
        arrest("x-low", 8000, c, metric="estimated_held", qualifier="at_least"),  # a range of one source
        arrest("x-high", 10000, c, metric="estimated_held", qualifier="at_most"),
        arrest("x-claim", 3455, a, metric="arrested"),
        arrest("x-relay", 3455, b, metric="detained", qualifier="about", period_start=dt.date(2030, 2, 5),
               same_claim_as="x-claim"),
    ])
    groups = stats.conflicts(package)
    assert groups.schema == pl.Schema(stats.CONFLICTS_SCHEMA)
    disagree = one(groups.filter(pl.col("kind") == "claims_disagree"))
    assert (disagree["metric"], disagree["values"], disagree["value_low"], disagree["value_high"]) == (
        "sites_raided", [58, 138], 58, 138)
    assert set(disagree["claim_ids"]) == {"x-58", "x-138"} and set(disagree["source_ids"]) == {a, b}
    reported = one(groups.filter(pl.col("kind") == "reports_disagree"))
    assert reported["claim_ids"] == ["x-claim"] and reported["row_ids"] == ["x-claim", "x-relay"]
    assert set(reported["differs"]) == {"metric", "qualifier", "baseline"}
    sides = stats.conflict_sides(package).filter(pl.col("conflict_id") == reported["conflict_id"])
    relay = one(sides.filter(pl.col("side_id") == "x-relay"))
    assert (relay["reported_metric"], relay["reported_baseline"], relay["qualifier"]) == (
        "detained", dt.date(2030, 2, 5), "about")
    assert one(sides.filter(pl.col("side_id") == "x-claim"))["differs"] == []


def test_two_numbers_for_one_count_are_one_figure_never_added(base):
    """AP's 2,137 detained since a baseline and PTS's 2,270 arrested, no baseline stated, linked by
    same_count_as: one figure (a range with every source) in the cards, the series and the
    conflicts, even though the second comes from a weaker source; never added."""
    sources = base.tables["sources"]
    attributed = sources.filter(pl.col("reliability") == "attributed")["source_id"][0]
    unattributed = sources.filter(pl.col("reliability") == "unattributed")["source_id"][0]
    relay = source(base, 6)
    package = with_rows(base, "arrests", [
        arrest("n-2137", 2137, attributed),
        arrest("n-2137-relay", 2137, relay, same_claim_as="n-2137"),
        arrest("n-2270", 2270, unattributed, metric="arrested", period_start=None, same_count_as="n-2137"),
    ])
    every = stats.claims(package)
    pts = one(every.filter(pl.col("observation_id") == "n-2270"))
    # Counted under the other figure's key, keeping its own number and sources.
    assert (pts["count_id"], pts["metric"], pts["period_start"], pts["value"]) == ("n-2137", "detained", START, 2270)
    assert one(every.filter(pl.col("observation_id") == "n-2137"))["count_id"] == "n-2137"
    # The card: the range, both numbers' sources and rows, one figure (not 2,137 + 2,270).
    card = one(stats.headline_numbers(package).filter((pl.col("headline") == "official_latest")
                                                      & (pl.col("series_baseline") == START)))
    assert (card["value"], card["value_high"], card["value_text"]) == (2137, 2270, "2,137–2,270")
    assert card["source_ids"] == [attributed, relay, unattributed]
    assert card["row_ids"] == ["n-2137", "n-2137-relay", "n-2270"] and card["reports"] == 3
    assert card["label"] == "2,137–2,270 detained (since 5 January 2030, as of 2 March 2030)"
    # The series: one date, the range, who says each.
    point = one(stats.official_series(package).filter((pl.col("baseline") == START) & (pl.col("as_of") == DAY)))
    assert (point["value_low"], point["value_high"], point["sources_disagree"]) == (2137, 2270, True)
    assert point["sources_low"] == sorted([attributed, relay]) and point["sources_high"] == [unattributed]
    assert point["claims"] == 2
    # The conflicts: the pair, and how the second was worded.
    group = one(stats.conflicts(package).filter(pl.col("kind") == "claims_disagree"))
    assert (group["values"], group["claim_ids"]) == ([2137, 2270], ["n-2137", "n-2270"])
    sides = stats.conflict_sides(package).filter(pl.col("conflict_id") == group["conflict_id"])
    second = one(sides.filter(pl.col("side_id") == "n-2270"))
    assert (second["metric"], second["reported_metric"], second["reported_baseline"]) == ("detained", "arrested", None)
    assert second["differs"] == ["value", "metric", "baseline"]
    assert one(sides.filter(pl.col("side_id") == "n-2137"))["differs"] == ["value"]
    # A view without the row it names counts it on its own.
    alone = package.with_tables(arrests=package.tables["arrests"].filter(~pl.col("observation_id").str.starts_with(
        "n-2137")))
    assert one(stats.claims(alone).filter(pl.col("observation_id") == "n-2270"))["metric"] == "arrested"


def test_operation_conflicts_list_operations_reported_with_other_counts(base):
    a, b = source(base, 2), source(base, 6)
    template = base.tables["raids"].row(0, named=True)
    package = with_rows(base, "raids", [
        template | {"raid_id": "o-first", "date": DAY, "date_precision": "day", "persons_detained": 15, "source_id": a,
                    "compound_id": None},
        template | {"raid_id": "o-again", "date": DAY, "date_precision": "day", "persons_detained": 14, "source_id": b,
                    "same_operation_as": "o-first", "compound_id": None},
        template | {"raid_id": "o-same", "date": DAY, "date_precision": "day", "persons_detained": 9, "source_id": a,
                    "compound_id": None},
        template | {"raid_id": "o-same-2", "date": DAY, "date_precision": "day", "persons_detained": 9, "source_id": b,
                    "same_operation_as": "o-same", "compound_id": None},
    ])
    operation = one(stats.operation_conflicts(package))
    assert operation["operation_id"] == "o-first" and operation["row_ids"] == ["o-first", "o-again"]
    assert (operation["persons_detained_low"], operation["persons_detained_high"]) == (14, 15)
    assert operation["differs"] == ["persons_detained"] and operation["reports"] == 2
    sides = stats.operation_conflict_sides(package)
    assert sides.filter(pl.col("counted"))["raid_id"].to_list() == ["o-first"]


def test_shipped_conflicts_include_the_known_ones(shipped):
    groups = stats.conflicts(shipped)
    raided = groups.filter((pl.col("kind") == "claims_disagree") & (pl.col("metric") == "sites_raided"))
    assert [58, 138] in raided["values"].to_list()
    # Asia Economy's misprinted baseline is a flagged conflict of the 3,455 claim.
    misprint = groups.filter((pl.col("kind") == "reports_disagree") & pl.col("differs").list.contains("baseline")
                             & (pl.col("value_high") == 3455))
    assert misprint.height == 1
    operations = stats.operation_conflicts(shipped)
    ochheuteal = operations.filter((pl.col("persons_detained_low") == 14) & (pl.col("persons_detained_high") == 15))
    assert ochheuteal.height == 1


def test_the_codebook_conflicts_are_the_statistic_s(shipped):
    spec = importlib.util.spec_from_file_location("conflicts_section", REPO_DIR / "scripts" / "conflicts_section.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    readme = (PACKAGE_DIR / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(script.BEGIN), readme.index(script.END) + len(script.END) + 1
    assert readme[start:end] == script.section(shipped), "run: python scripts/conflicts_section.py --write"


# ------------------------------------------------------------------------------------------
# Breakdowns and shares


def test_a_breakdown_is_divided_by_the_total_it_names(base):
    # Two totals of one source, date, baseline and scope (two buildings): the key matches both.
    src = source(base, 2)
    package = with_rows(base, "arrests", [
        arrest("b-57", 57, src, metric="arrested", scope="KH-20"),
        arrest("b-601", 601, src, metric="arrested", scope="KH-20"),
        arrest("b-women", 15, src, metric="arrested", scope="KH-20", sex="female", total_id="b-57"),
        arrest("b-tiny", 3, src, metric="arrested", scope="KH-20", nationality="PHL", total_id="b-57"),
        arrest("b-small-total", 12, src, metric="arrested", scope="KH-21"),
        arrest("b-of-small", 6, src, metric="arrested", scope="KH-21", nationality="CHN", total_id="b-small-total"),
    ])
    women = one(stats.share_of_women(package).filter(pl.col("as_of") == DAY))
    assert (women["women"], women["total"], women["share_women"]) == (15, 57, pytest.approx(15 / 57))
    parts = stats.detentions_by_nationality(package).filter(pl.col("as_of") == DAY)
    assert one(parts.filter(pl.col("observation_id") == "b-tiny"))["total_id"] == "b-57"
    # No share of a total under 20.
    small = one(parts.filter(pl.col("observation_id") == "b-of-small"))
    assert small["total_value"] == 12 and small["share_of_total"] is None


def test_shipped_women_of_the_first_bavet_building_are_a_share_of_its_57(shipped):
    women = stats.share_of_women(shipped).filter((pl.col("as_of") == dt.date(2025, 11, 4)) & (pl.col("women") == 15))
    assert one(women)["total"] == 57 and one(women)["share_women"] == pytest.approx(15 / 57)


def test_shipped_survivor_shares_need_a_total_of_20(shipped):
    demographics = stats.survivor_demographics(shipped)
    shared = demographics.filter(pl.col("share_of_total").is_not_null())
    assert shared.height and (shared["source_total"] >= stats.MIN_SHARE_DENOMINATOR).all()
    assert (demographics.filter(pl.col("source_total") < stats.MIN_SHARE_DENOMINATOR)["share_of_total"].null_count()
            == demographics.filter(pl.col("source_total") < stats.MIN_SHARE_DENOMINATOR).height)


# ------------------------------------------------------------------------------------------
# Sums


def test_a_sum_with_an_at_least_figure_is_at_least(base):
    a = source(base, 2)
    template = base.tables["raids"].row(0, named=True)
    raids = [template | {"raid_id": f"s-{i}", "date": DAY, "date_precision": "day", "province_code": "KH-20",
                         "persons_detained": n, "persons_detained_qualifier": q, "source_id": a, "compound_id": None}
             for i, (n, q) in enumerate([(2000, "at_least"), (44, "exact")])]
    package = with_rows(base, "raids", raids)
    month = one(stats.raids_per_month(package).filter(pl.col("month") == dt.date(2030, 3, 1)))
    assert (month["persons_detained"], month["persons_detained_qualifier"]) == (2044, "at_least")
    assert month["persons_rescued_qualifier"] is None  # nothing summed
    province = one(stats.raids_by_province(package).filter(pl.col("province_code") == "KH-20"))
    assert (province["persons_detained"], province["persons_detained_qualifier"]) == (2044, "at_least")
    exact = with_rows(base, "raids", [raids[1]])
    assert one(stats.raids_per_month(exact).filter(pl.col("month") == dt.date(2030, 3, 1)))[
        "persons_detained_qualifier"] == "exact"


# ------------------------------------------------------------------------------------------
# Cards


def test_a_card_s_latest_comes_from_the_strongest_sources_with_later_figures_beside_it(base):
    sources = base.tables["sources"]
    attributed = sources.filter(pl.col("reliability") == "attributed")["source_id"][0]
    unattributed = sources.filter(pl.col("reliability") == "unattributed")["source_id"][0]
    start = dt.date(2030, 1, 1)
    package = with_rows(base, "arrests", [
        arrest("k-162", 162, attributed, metric="arrested", period_start=start, as_of=dt.date(2030, 1, 16)),
        arrest("k-300", 300, unattributed, metric="arrested", qualifier="about", period_start=start,
               as_of=dt.date(2030, 1, 17)),
        arrest("k-month", 5106, unattributed, metric="arrested", period_start=None, as_of=dt.date(2030, 2, 25),
               note="the source says since 2030-01 (no day given, so period_start is left empty)"),
        arrest("k-other-month", 48000, unattributed, metric="arrested", period_start=None, as_of=dt.date(2030, 2, 26),
               note="the source says since 2023-08 (no day given)"),
    ])
    headlines = stats.headline_numbers(package).filter(pl.col("series_baseline") == start)
    latest = one(headlines.filter(pl.col("headline") == "official_latest"))
    assert (latest["value"], latest["reliability"], latest["reports_label"]) == (162, "attributed", "1 report")
    weaker = one(headlines.filter(pl.col("headline") == "later_weaker_source"))
    assert weaker["value"] == 300 and "weaker source" in weaker["label"]
    month = one(headlines.filter(pl.col("headline") == "later_without_day_baseline"))
    assert (month["value"], month["baseline"], month["baseline_month"]) == (5106, None, start)
    assert "since January 2030, day not stated" in month["label"]


# ------------------------------------------------------------------------------------------
# Compounds after raids


def test_a_compound_s_status_after_a_raid_comes_only_from_a_later_source(base):
    compound = base.tables["compounds"].row(0, named=True)
    raid = base.tables["raids"].row(0, named=True)
    raid_day = dt.date(2030, 3, 1)
    sources = base.tables["sources"]
    later = sources.head(1).with_columns(source_id=pl.lit("later-source"), published=pl.lit(dt.date(2030, 6, 1)),
                                         published_precision=pl.lit("day"))
    package = base.with_tables(sources=pl.concat([sources, later]))
    package = with_rows(package, "raids", [raid | {"raid_id": "a-raid", "date": raid_day, "date_precision": "day",
                                                   "compound_id": compound["compound_id"]}])
    # The raid report's own source records it as raided: no evidence of a later status.
    itself = with_rows(package, "compounds", [compound | {
        "compound_id": "a-record", "status": "raided", "status_date": raid_day, "status_date_precision": "day",
        "source_id": raid["source_id"], "same_compound_as": compound["compound_id"]}])
    row = one(stats.compounds_after_raids(itself).filter(pl.col("compound_id") == compound["compound_id"]))
    assert not row["status_known_after_raid"] and row["later_reports"] == 0
    # A source published after the raid saying it operates is.
    after = with_rows(package, "compounds", [compound | {
        "compound_id": "a-later", "status": "operating", "status_date": dt.date(2030, 5, 20),
        "status_date_precision": "day", "source_id": "later-source", "same_compound_as": compound["compound_id"]}])
    row = one(stats.compounds_after_raids(after).filter(pl.col("compound_id") == compound["compound_id"]))
    assert row["status_known_after_raid"] and row["still_operating"] and row["later_reports"] == 1
    assert row["status_source_id"] == "later-source"


def test_shipped_raid_reports_are_no_evidence_of_a_later_status(shipped):
    raided = stats.compounds_after_raids(shipped)
    raids = shipped.tables["raids"]
    for row in raided.filter(pl.col("status_known_after_raid")).iter_rows(named=True):
        reports = raids.filter(pl.col("compound_id").is_not_null())
        assert row["status_source_id"] not in reports["source_id"].to_list() or row["later_reports"] >= 1
        published = stats.sources_by_id(shipped)[row["status_source_id"]]["published"]
        assert published > row["last_operation"]
    share = one(stats.share_still_operating_after_raids(shipped))
    assert share["status_known_after_raid"] == raided["status_known_after_raid"].sum()


# ------------------------------------------------------------------------------------------
# Sensitivity


def test_sensitivity_moves_the_totals_under_each_rule(base):
    sources = base.tables["sources"]
    primary = sources.filter(pl.col("reliability") == "primary")["source_id"][0]
    attributed = sources.filter(pl.col("reliability") == "attributed")["source_id"]
    package = with_rows(base, "arrests", [
        arrest("v-primary", 900, primary, as_of=dt.date(2030, 2, 1)),
        arrest("v-attributed", 1000, attributed[0]),
        arrest("v-low", 1100, attributed[1], as_of=dt.date(2030, 3, 9)),
        arrest("v-high", 1300, attributed[2], qualifier="at_least", as_of=dt.date(2030, 3, 9)),
    ])
    frame = stats.sensitivity(package)
    assert frame.schema == pl.Schema(stats.SENSITIVITY_SCHEMA)
    series = frame.filter((pl.col("total") == "official_tally") & (pl.col("series_baseline") == START))
    assert series["rule"].to_list() == list(stats.SENSITIVITY_RULES)
    value = dict(zip(series["rule"], series["value"], strict=True))
    assert value == {"headline": 900, "lowest": 1100, "highest": 1300, "primary_only": 900,
                     "latest_report": value["latest_report"]}
    assert value["latest_report"] in (900, 1000, 1100, 1300)
    assert dict(zip(series["rule"], series["change"], strict=True))["highest"] == 400
    assert one(series.filter(pl.col("rule") == "highest"))["value_text"] == "at least 1,300"
    raids = frame.filter(pl.col("total") == "raid_detainees")
    low, head, high = (one(raids.filter(pl.col("rule") == r))["value"] for r in ("lowest", "headline", "highest"))
    assert low <= head <= high


def test_shipped_sensitivity_has_every_rule_for_every_total(shipped):
    frame = stats.sensitivity(shipped)
    assert set(frame["total"]) == {"official_tally", "raid_detainees", "returns"}
    counts = frame.group_by(["total", "metric", "series_baseline"]).len()
    assert (counts["len"] == len(stats.SENSITIVITY_RULES)).all()
    raids = frame.filter(pl.col("total") == "raid_detainees")
    values = dict(zip(raids["rule"], raids["value"], strict=True))
    assert values["lowest"] <= values["headline"] <= values["highest"]


def test_reports_label_words_reports_and_origins():
    assert labels.reports_label(1, 1) == "1 report"
    assert labels.reports_label(4, 1) == "4 reports from 1 origin"
    assert labels.reports_label(4, 2) == "4 reports from 2 independent origins"
    assert labels.reports_label(3, 0) == "3 reports"


def test_every_disagreement_a_chart_shows_is_in_the_conflicts_list(shipped):
    """A series point whose sources disagree (a range bar with 'Where sources disagree here')
    is a conflict `stats.conflicts` lists: the same rule, so a chart never shows a disagreement
    the codebook does not (counts from different starts, or two figures of one story, are none)."""
    listed = {(r["metric"], r["as_of"], r["nationality"], r["sex"], r["value_low"], r["value_high"])
              for r in stats.conflicts(shipped).filter(pl.col("kind") == "claims_disagree").iter_rows(named=True)
              if r["scope"] == "national"}
    nationalities = [None, *sorted(set(shipped.tables["arrests"]["nationality"].drop_nulls()))]
    shown = set()
    for nationality in nationalities:
        for sex in (None, "female", "male"):
            series = stats.breakdown_series(shipped, None, nationality, sex).filter(pl.col("sources_disagree"))
            shown |= {(r["metric"], r["as_of"], nationality, sex, r["value_low"], r["value_high"])
                      for r in series.iter_rows(named=True)}
    assert shown and shown <= listed, shown - listed
    # Reuters' "over 170" in recent weeks and CafeF's "more than 5,100" over seven months
    # (February 2026, no baseline day stated) count from different starts: no disagreement.
    february = stats.official_series(shipped, ["arrested"]).filter(pl.col("as_of") == dt.date(2026, 2, 1))
    assert february.height == 2 and not february["sources_disagree"].any()
