"""Statistics: the seeds' headline figures come out of the package, one test each; baselines are
never mixed; disagreements are kept; small cells of cross-tabulations are hidden.

Rows are looked up by meaning (source, metric, population), never by position or row count,
so these tests stay true as curated rows are added.
"""

import datetime as dt
import itertools

import polars as pl
import pytest
from conftest import DATA_DIR

from scamstats import figures, labels, privacy, stats
from scamstats.package import Package, load_package
from scamstats.paths import PACKAGE_DIR
from scamstats.reference import PROVINCES

AMNESTY_2025 = "amnesty-20250626-report"


@pytest.fixture(scope="module")
def shipped() -> Package:
    return load_package(PACKAGE_DIR)


@pytest.fixture(scope="module")
def headlines(shipped) -> pl.DataFrame:
    return stats.headline_numbers(shipped)


def one(frame: pl.DataFrame) -> dict:
    assert frame.height == 1, frame
    return frame.row(0, named=True)


def with_source(frame: pl.DataFrame, source_id: str) -> pl.DataFrame:
    return frame.filter(pl.col("source_ids").list.contains(source_id))


# ---------------------------------------------------------------------------------------
# The seeds' headline figures, computed from the shipped package


def test_seed_53_compounds_identified(headlines):
    row = one(with_source(headlines.filter((pl.col("headline") == "study_sites")
                                            & (pl.col("metric") == "sites_identified")), AMNESTY_2025))
    assert (row["value"], row["qualifier"], row["value_text"]) == (53, "at_least", "at least 53")


def test_seed_45_suspected_sites(headlines):
    rows = headlines.filter((pl.col("headline") == "study_sites") & (pl.col("metric") == "sites_suspected"))
    row = one(with_source(rows, "therecord-202506-amnesty-report"))
    assert row["value"] == 45 and row["unit"] == "sites"


def test_each_study_finding_says_who_counted_which_compounds_and_when(headlines):
    studies = headlines.filter(pl.col("headline") == "study_sites")
    by_source = {row["source_ids"][0]: row["label"] for row in studies.iter_rows(named=True)}
    assert by_source[AMNESTY_2025] == "at least 53 compounds identified (Amnesty International, 26 June 2025)"
    # Reported by a newspaper, counted by someone else: the card names who counted.
    korea = by_source["financial-news-20251022-cd7306"]
    assert korea.startswith("at least 50 compounds identified (South Korea National Intelligence Service, ")
    # A count of some compounds only says which.
    indictment = by_source["deutsche-welle-chinese-20251105-fc8d96"]
    assert indictment.startswith("at least 10 compounds identified: the Prince Group compounds alleged in the US")
    assert "(US Department of Justice, 14 October 2025)" in indictment


def _amnesty_2025_interviewees(headlines, kind):
    rows = with_source(headlines.filter(pl.col("headline") == kind), AMNESTY_2025)
    return one(rows.filter(pl.col("population").str.starts_with("Survivors interviewed")))


def test_seed_58_survivors_interviewed(headlines):
    assert _amnesty_2025_interviewees(headlines, "survivors_total")["value"] == 58


def test_seed_8_nationalities(headlines):
    row = _amnesty_2025_interviewees(headlines, "survivors_nationalities")
    assert row["value"] == 8 and row["unit"] == "nationalities"


def test_seed_9_children(headlines, shipped):
    assert _amnesty_2025_interviewees(headlines, "survivors_children")["value"] == 9
    # ...and the demographics carry the source's own total beside it.
    children = one(stats.survivor_demographics(shipped).filter(
        (pl.col("source_id") == AMNESTY_2025) & (pl.col("category") == "under_18")))
    assert children["source_total"] == 58
    assert children["share_of_total"] == pytest.approx(9 / 58)


def test_seed_336_further_records(headlines):
    rows = with_source(headlines.filter(pl.col("headline") == "survivors_total"), AMNESTY_2025)
    row = one(rows.filter(pl.col("population").str.contains("records")))
    # The Record's conflicting 365 counts the same group (same_group_as): one headline with both
    # sources and the range, neither number dropped, never averaged.
    assert (row["value"], row["value_high"], row["value_text"]) == (336, 365, "336–365")
    assert list(row["source_ids"]) == [AMNESTY_2025, "therecord-202506-amnesty-report"]
    assert list(row["row_ids"]) == ["amnesty-2025-records-reviewed-336", "therecord-2025-testimony-reviewed-365"]
    assert headlines.filter((pl.col("headline") == "survivors_total") & (pl.col("value") == 365)).height == 0


AP_2137 = "ap-20250718-detained-total"
PTS_2270 = "pts-taiwan-public-televi-20250701-299dab-arrested-baa129"


def test_seed_2137_detained_and_pts_2270_are_one_card_with_both_sources(shipped, headlines):
    # PTS's 2,270 arrested in the same three weeks counts what AP's 2,137 counts (same_count_as):
    # one card with the range and both publishers, neither number dropped, never added.
    cards = stats.latest_crackdown_tallies(headlines)
    card = one(cards.filter(pl.col("row_ids").list.contains(AP_2137)))
    assert (card["value"], card["value_high"], card["value_text"]) == (2137, 2270, "2,137–2,270")
    assert card["label"] == "2,137–2,270 detained (since 27 June 2025, as of 18 July 2025)"
    assert PTS_2270 in card["row_ids"]
    assert {"ap-20250719-2137-detained", "pts-taiwan-public-televi-20250701-299dab"} <= set(card["source_ids"])
    publishers = {stats.sources_by_id(shipped)[s]["publisher"] for s in card["source_ids"]}
    assert {"Associated Press", "PTS (Taiwan Public Television)"} <= publishers
    assert headlines.filter(pl.col("value").is_in([2270, 2137 + 2270])).height == 0
    # The series draws the range on 18 July 2025, and says who gives which.
    point = one(stats.official_series(shipped).filter(
        (pl.col("metric") == "detained") & (pl.col("baseline") == dt.date(2025, 6, 27))
        & (pl.col("as_of") == dt.date(2025, 7, 18))))
    assert (point["value_low"], point["value_high"], point["sources_disagree"]) == (2137, 2270, True)
    assert "ap-20250719-2137-detained" in point["sources_low"]
    assert "pts-taiwan-public-televi-20250701-299dab" in point["sources_high"]
    # The conflicts list the pair, and AP's 589 Chinese against PTS's 702.
    groups = stats.conflicts(shipped).filter(pl.col("kind") == "claims_disagree")
    pair = one(groups.filter(pl.col("claim_ids").list.contains(AP_2137)))
    assert (pair["values"], set(pair["claim_ids"])) == ([2137, 2270], {AP_2137, PTS_2270})
    assert one(groups.filter(pl.col("claim_ids").list.contains("ap-20250718-detained-chn")))["values"] == [589, 702]


def test_seed_35_survivors_interviewed_in_2026(headlines):
    rows = headlines.filter((pl.col("headline") == "survivors_total")
                            & pl.col("population").str.contains("Survivors interviewed"))
    row = one(with_source(rows, "amnesty-202601-35-survivors"))
    assert row["value"] == 35 and row["qualifier"] == "exact"


def test_every_headline_names_its_sources(headlines):
    assert headlines.height > 0
    assert headlines["source_ids"].list.len().min() >= 1
    assert headlines["value_text"].null_count() == 0


# ---------------------------------------------------------------------------------------
# Baselines and disagreement


def test_official_series_never_mixes_baselines(shipped):
    claims = stats.claims(shipped)
    baseline_of = dict(zip(claims["observation_id"], claims["period_start"], strict=True))
    series = stats.official_series(shipped)
    assert series.height > 0
    for row in series.iter_rows(named=True):
        # Each claim under its first report's baseline (a relay's misprint makes no series).
        assert {baseline_of[c] for c in row["claim_ids"]} == {row["baseline"]}
        assert row["value_low"] <= row["value_high"]
        # Sources disagree where values differ, unless every other value comes from a source in
        # common (one story's "about 190" and "nearly 200" are a range).
        one_source = bool(set(row["sources_low"]) & set(row["sources_high"]))
        assert row["sources_disagree"] == (row["value_low"] != row["value_high"] and not one_source)


def _with_rows(package: Package, table: str, rows: list[dict]) -> Package:
    frame = package.tables[table]
    extra = pl.DataFrame(rows, schema=frame.schema, orient="row") if rows else frame.clear()
    return Package(package.descriptor, {**package.tables, table: pl.concat([frame, extra])}, package.directory)


def _arrest(observation_id, value, qualifier, source_id, as_of, period_start=None, metric="detained", **extra):
    row = {"observation_id": observation_id, "metric": metric, "value": value, "qualifier": qualifier,
           "period_start": period_start, "as_of": as_of, "as_of_precision": "day", "scope": "national",
           "nationality": None, "sex": None, "raid_id": None, "source_id": source_id, "quote": "q", "note": None,
           "same_claim_as": None, "origin": None, "total_id": None, "subset": None}
    return row | extra


def test_disagreeing_sources_give_low_and_high_with_their_sources():
    base = load_package(DATA_DIR / "valid")
    day, start = dt.date(2030, 1, 2), dt.date(2030, 1, 1)
    source_ids = base.tables["sources"]["source_id"].to_list()
    package = _with_rows(base, "arrests", [
        _arrest("t-low", 900, "exact", source_ids[0], day, start),
        _arrest("t-high", 1200, "at_least", source_ids[1], day, start),
        _arrest("t-other-baseline", 5000, "exact", source_ids[0], day, dt.date(2029, 12, 1)),
    ])
    series = stats.official_series(package, ["detained"]).filter(pl.col("as_of") == day)
    mixed = one(series.filter(pl.col("baseline") == start))
    assert (mixed["value_low"], mixed["value_high"]) == (900, 1200)
    assert mixed["sources_low"] == [source_ids[0]] and mixed["sources_high"] == [source_ids[1]]
    assert mixed["qualifier_high"] == "at_least" and mixed["sources_disagree"]
    # The other baseline is its own row, never added in.
    assert one(series.filter(pl.col("baseline") == dt.date(2029, 12, 1)))["value_low"] == 5000


def test_share_of_women_pairs_a_floor_with_its_total():
    base = load_package(DATA_DIR / "valid")
    source = base.tables["sources"]["source_id"][0]
    day = dt.date(2030, 2, 1)
    package = _with_rows(base, "arrests", [
        _arrest("w-total", 2000, "exact", source, day, dt.date(2030, 1, 1)),
        _arrest("w-female", 500, "at_least", source, day, dt.date(2030, 1, 1), sex="female", total_id="w-total"),
    ])
    row = one(stats.share_of_women(package).filter(pl.col("as_of") == day))
    assert row["share_women"] == pytest.approx(0.25)
    assert row["share_qualifier"] == "at_least" and row["total"] == 2000


# ---------------------------------------------------------------------------------------
# Privacy: small cells


@pytest.mark.parametrize("function, column", [
    (stats.compounds_by_province_and_status, "compounds"),
    (stats.raids_by_province_and_year, "operations"),
])
def test_cross_tabulations_never_show_a_count_below_five(shipped, function, column):
    table = function(shipped)
    assert table.schema[column] == pl.String
    shown = [int(v) for v in table[column].drop_nulls() if v != privacy.SMALL_CELL_LABEL]
    assert all(v == 0 or v >= 5 for v in shown)


# ---------------------------------------------------------------------------------------
# Shapes that figures and the dashboard rely on


def test_province_tables_list_all_25_provinces(shipped):
    for frame in (stats.compounds_by_province(shipped), stats.raids_by_province(shipped)):
        assert sorted(frame["province_code"]) == sorted(PROVINCES)


def test_raids_per_month_is_a_gapless_monthly_series(shipped):
    frame = stats.raids_per_month(shipped)
    months = frame["month"].to_list()
    assert all(m.day == 1 for m in months)
    assert months == sorted(months)
    for earlier, later in itertools.pairwise(months):
        assert (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month) == 1
    dated = stats.raid_operations(shipped).filter(pl.col("date_precision") != "year").height
    assert frame["operations"].sum() == dated


def _raid(raid_id, detained, source_id, same_operation_as=None, day=dt.date(2030, 3, 7), **extra):
    row = {"raid_id": raid_id, "event_type": "raid", "date": day, "date_precision": "day",
           "province_code": "KH-20", "place": "Bavet", "compound_id": None, "agency": None,
           "persons_detained": detained, "persons_detained_qualifier": "exact", "persons_rescued": None,
           "persons_rescued_qualifier": None, "source_id": source_id, "quote": f"detained {detained}",
           "note": None, "same_operation_as": same_operation_as, "part_of": None}
    return row | extra


def test_linked_reports_of_one_operation_count_once_with_the_first_reports_figure():
    base = load_package(DATA_DIR / "valid")
    first, second = base.tables["sources"]["source_id"].to_list()[:2]
    package = _with_rows(base, "raids", [
        _raid("t-first", 2044, first),
        _raid("t-again", 2000, second, "t-first", persons_detained_qualifier="at_least"),
        _raid("t-other", 10, second, day=dt.date(2030, 3, 8)),
    ])
    assert stats.raid_operations(package)["raid_id"].to_list()[-2:] == ["t-first", "t-other"]
    month = one(stats.raids_per_month(package).filter(pl.col("month") == dt.date(2030, 3, 1)))
    assert (month["operations"], month["persons_detained"], month["operations_with_detained_count"]) == (2, 2054, 2)
    province = one(stats.raids_by_province(package).filter(pl.col("province_code") == "KH-20"))
    assert (province["operations"], province["persons_detained"]) == (2, 2054)
    year = one(stats.raids_by_province_and_year(package).filter(pl.col("year") == 2030))
    assert year["operations"] == privacy.SMALL_CELL_LABEL  # 2, hidden
    # The linked report and its other figure stay in the table.
    assert package.tables["raids"].filter(pl.col("raid_id") == "t-again")["persons_detained"].to_list() == [2000]


def test_a_whole_reported_beside_its_parts_is_not_added_to_them():
    base = load_package(DATA_DIR / "valid")
    first, second = base.tables["sources"]["source_id"].to_list()[:2]
    package = _with_rows(base, "raids", [
        _raid("t-whole", 658, first),
        _raid("t-site-1", 57, second, part_of="t-whole"),
        _raid("t-site-2", 601, second, part_of="t-whole"),
    ])
    month = one(stats.raids_per_month(package).filter(pl.col("month") == dt.date(2030, 3, 1)))
    assert (month["operations"], month["persons_detained"]) == (2, 658)
    assert "t-whole" not in stats.raid_operations(package)["raid_id"].to_list()
    # With no part reported, the whole stands.
    alone = _with_rows(base, "raids", [_raid("t-whole", 658, first)])
    assert one(stats.raids_per_month(alone).filter(pl.col("month") == dt.date(2030, 3, 1)))["persons_detained"] == 658


def test_shipped_bavet_raid_of_4_november_2025_counts_its_two_sites_once():
    package = load_package()
    day = stats.raid_operations(package).filter(
        (pl.col("date") == dt.date(2025, 11, 4)) & (pl.col("province_code") == "KH-20"))
    assert sorted(day["persons_detained"].to_list()) == [57, 601]


def test_compound_raided_once_but_reported_twice_has_one_operation():
    base = load_package(DATA_DIR / "valid")
    existing = base.tables["raids"].row(0, named=True)
    other_source = next(s for s in base.tables["sources"]["source_id"] if s != existing["source_id"])
    package = _with_rows(base, "raids", [
        existing | {"raid_id": "t-same-compound", "source_id": other_source, "same_operation_as": existing["raid_id"]},
    ])
    row = one(stats.compounds_after_raids(package).filter(pl.col("compound_id") == existing["compound_id"]))
    assert row["operations"] == 1
    assert {existing["source_id"], other_source} <= set(row["source_ids"])


def test_shipped_linked_reports_are_counted_under_the_row_they_point_to(shipped):
    raids = shipped.tables["raids"]
    linked = raids.filter(pl.col("same_operation_as").is_not_null())
    assert linked.height
    operations = set(stats.raid_operations(shipped)["raid_id"])
    assert not set(linked["raid_id"]) & operations
    assert set(linked["same_operation_as"]) <= operations
    wholes = raids.filter(pl.col("raid_id").is_in(raids["part_of"].drop_nulls().to_list()))
    assert len(operations) == raids.height - linked.height - wholes.height  # parts stand for wholes


def test_latest_breakdown_is_one_source_on_one_date(shipped):
    frame = stats.latest_nationality_breakdown(shipped)
    assert frame.height > 0
    assert frame["source_id"].n_unique() == 1 and frame["as_of"].n_unique() == 1


def test_share_still_operating_is_a_share_of_known_statuses(shipped):
    row = one(stats.share_still_operating_after_raids(shipped))
    assert row["still_operating"] <= row["status_known_after_raid"] <= row["compounds_raided"]
    if row["status_known_after_raid"] >= stats.MIN_SHARE_DENOMINATOR:
        assert 0 <= row["share_still_operating"] <= 1
    else:  # no share of fewer than 20
        assert row["share_still_operating"] is None


def _milestone(event_id, source_id, same_event_as=None, day=dt.date(2030, 3, 7), **extra):
    row = {"event_id": event_id, "date": day, "date_precision": "day", "category": "arrest",
           "event": f"Event {event_id}", "source_id": source_id, "quote": "q", "note": None,
           "label": f"Label {event_id}", "same_event_as": same_event_as}
    return row | extra


def test_reports_of_one_milestone_are_one_milestone_citing_every_source():
    base = load_package(DATA_DIR / "valid")
    first, second = base.tables["sources"]["source_id"].to_list()[:2]
    package = _with_rows(base, "timeline", [
        _milestone("t-first", first),
        _milestone("t-again", second, "t-first", day=dt.date(2030, 3, 8), category="extradition"),
        _milestone("t-other", second, day=dt.date(2030, 3, 9)),
    ])
    events = stats.milestones(package, start=dt.date(2030, 1, 1))
    assert events["event_id"].to_list() == ["t-first", "t-other"]
    merged = one(events.filter(pl.col("event_id") == "t-first"))
    # The first report gives the date, category and label; every report's source is cited.
    assert (merged["date"], merged["category"], merged["label"]) == (dt.date(2030, 3, 7), "arrest", "Label t-first")
    assert (merged["source_ids"], merged["row_ids"], merged["reports"]) == ([first, second], ["t-first", "t-again"], 2)
    rendered = figures.render("timeline", package)
    assert "Label t-again" not in " ".join(rendered.data["axis_label"].to_list())
    assert {first, second} <= set(rendered.source_ids)


def test_shipped_duplicate_milestones_are_shown_once(shipped):
    timeline = shipped.tables["timeline"]
    linked = timeline.filter(pl.col("same_event_as").is_not_null())
    assert linked.height
    events = stats.milestones(shipped)
    assert events.height == timeline.height - linked.height
    assert not set(linked["event_id"]) & set(events["event_id"])
    # Chen Zhi's arrest and extradition, reported by five sources, is one milestone.
    chen = events.filter(pl.col("label").str.contains("Chen Zhi arrested"))
    assert chen.height == 1 and chen["reports"].item() >= 4


def test_two_records_of_one_compound_count_once_with_the_latest_status():
    base = load_package(DATA_DIR / "valid")
    first = base.tables["compounds"].row(0, named=True)
    other_source = next(s for s in base.tables["sources"]["source_id"] if s != first["source_id"])
    later = first["status_date"] + dt.timedelta(days=30)
    package = _with_rows(base, "compounds", [
        first | {"compound_id": "t-again", "name": "Another name", "source_id": other_source, "status": "closed",
                 "status_date": later, "same_compound_as": first["compound_id"]},
    ])
    known = stats.compounds_known(package)
    assert known.height == 1
    row = one(known)
    assert (row["compound_id"], row["name"], row["status"], row["status_date"]) == (
        first["compound_id"], first["name"], "closed", later)
    assert row["row_ids"] == [first["compound_id"], "t-again"] and row["reports"] == 2
    assert set(row["source_ids"]) == {first["source_id"], other_source}
    province = one(stats.compounds_by_province(package).filter(pl.col("province_code") == first["province_code"]))
    assert province["compounds"] == 1


def test_shipped_linked_compounds_are_counted_once(shipped):
    compounds = shipped.tables["compounds"]
    linked = compounds.filter(pl.col("same_compound_as").is_not_null())
    assert linked.height
    assert stats.compounds_known(shipped).height == compounds.height - linked.height
    assert stats.compounds_by_province(shipped)["compounds"].sum() == compounds.height - linked.height


def _empty_package() -> Package:
    base = load_package(DATA_DIR / "valid")
    return Package(base.descriptor, {k: v.clear() for k, v in base.tables.items()}, base.directory)


FRAME_FUNCTIONS = [
    stats.official_series, stats.baselines, stats.detentions_by_nationality, stats.latest_nationality_breakdown,
    stats.share_of_women, stats.raids_per_month, stats.raids_by_province, stats.raids_by_province_and_year,
    stats.compounds_by_province, stats.compounds_by_province_and_status, stats.compounds_after_raids,
    stats.compounds_known,
    stats.share_still_operating_after_raids, stats.returns_by_nationality, stats.survivor_demographics,
    stats.milestones, stats.headline_numbers, stats.table_coverage, stats.breakdown_series,
    stats.rows_per_source, stats.claims, stats.conflicts, stats.conflict_sides, stats.operation_conflicts,
    stats.operation_conflict_sides, stats.sensitivity,
]


@pytest.mark.parametrize("function", FRAME_FUNCTIONS, ids=lambda f: f.__name__)
def test_functions_keep_their_columns_on_empty_data(function, shipped):
    empty = function(_empty_package())
    full = function(shipped)
    assert isinstance(empty, pl.DataFrame)
    assert empty.columns == full.columns


def test_headlines_give_their_dates_at_the_precision_the_sources_give():
    headlines = stats.headline_numbers(load_package())
    assert set(headlines["as_of_precision"].drop_nulls()) <= {"day", "month", "year"}
    monthly = headlines.filter(pl.col("as_of_precision") == "month")
    assert monthly.height  # e.g. CamboJA's 2,767 detained, dated July 2025
    for row in monthly.iter_rows(named=True):
        shown = labels.format_date(row["as_of"], row["as_of_precision"])
        assert shown == f"{row['as_of']:%B} {row['as_of'].year}"
        if row["headline"].startswith("official"):
            assert f"as of {shown})" in row["label"]


def test_breakdown_series_reads_one_nationality_and_leaves_the_package_as_it_was(shipped):
    arrests = shipped.tables["arrests"]
    series = stats.breakdown_series(shipped, nationality="IDN")
    behind = {o for ids in series["observation_ids"] for o in ids}
    rows = arrests.filter(pl.col("observation_id").is_in(list(behind)))
    assert series.height and set(series["nationality"]) == {"IDN"}
    assert set(rows["nationality"]) == {"IDN"} and rows["sex"].null_count() == rows.height
    assert shipped.tables["arrests"] is arrests  # a filtered view, never a change to the package


def test_covered_until_is_the_latest_count_by_the_last_day_its_date_may_be(shipped):
    latest = stats.covered_until(shipped)
    assert latest is not None
    counts = [(shipped.tables["arrests"], "as_of", "as_of_precision"), (shipped.tables["raids"], "date", "date_precision")]
    last_days = [stats.period_of(day, precision)[1] for frame, column, prec in counts
                 for day, precision in frame.select(column, prec).iter_rows() if day is not None]
    assert latest["last_day"] == max(last_days)
    note = labels.covered_until_note(latest)
    assert labels.format_date(latest["date"], latest["precision"]) in note
    assert "not an end of enforcement" in note


def test_covered_until_reads_a_month_as_its_last_day():
    base = load_package(DATA_DIR / "valid")
    arrests = base.tables["arrests"].head(2).with_columns(
        pl.Series("as_of", [dt.date(2026, 3, 19), dt.date(2026, 3, 1)]),
        pl.Series("as_of_precision", ["day", "month"]))
    package = Package(base.descriptor, {**{k: v.clear() for k, v in base.tables.items()}, "arrests": arrests},
                      base.directory)
    latest = stats.covered_until(package)
    assert (latest["date"], latest["precision"], latest["last_day"]) == (dt.date(2026, 3, 1), "month", dt.date(2026, 3, 31))
    assert "March 2026" in labels.covered_until_note(latest)
    assert stats.covered_until(_empty_package()) is None
    assert labels.covered_until_note(None) == "No count in this package version is dated."
