"""Display wording: one word per vocabulary entry, counts and dates as people read them, and a
module that needs no statistics."""

import ast
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from scamstats import labels, reference


def test_every_metric_has_a_label_in_the_descriptors_order():
    assert tuple(labels.METRIC_LABELS) == reference.METRICS


def test_every_qualifier_has_one_word():
    assert tuple(labels.QUALIFIER_WORDS) == reference.QUALIFIERS


@pytest.mark.parametrize(("value", "qualifier", "text"), [
    (2137, "exact", "2,137"),
    (2137, None, "2,137"),
    (1000, "at_least", "at least 1,000"),
    (190, "about", "about 190"),
    (50, "at_most", "up to 50"),
    (None, "exact", "no figure"),
])
def test_format_count(value, qualifier, text):
    assert labels.format_count(value, qualifier) == text


def test_format_count_range_shows_a_disagreement_as_a_range():
    assert labels.format_count_range(1000, 1000, "at_least") == "at least 1,000"
    assert labels.format_count_range(1000, 1200, "at_least") == "1,000–1,200"


@pytest.mark.parametrize(("precision", "text"), [
    ("day", "14 July 2025"), ("month", "July 2025"), ("year", "2025"),
])
def test_format_date_at_its_precision(precision, text):
    assert labels.format_date(dt.date(2025, 7, 14), precision) == text


def test_baseline_label():
    assert labels.baseline_label(dt.date(2025, 6, 27)) == "since 27 June 2025"
    assert labels.baseline_label(None) == "no baseline stated"


def test_country_and_province_names():
    assert labels.country_name("VNM") == "Vietnam"
    assert labels.country_name("IDN") == "Indonesia"
    assert labels.country_name(None) == "All nationalities"
    assert labels.province_name("KH-18") == "Preah Sihanouk"
    codes = pl.DataFrame({"code": ["KH-18", None]})
    assert codes.select(labels.province_names(pl.col("code")))["code"].to_list() == ["Preah Sihanouk", "unknown"]


def test_survivor_category_labels():
    assert labels.survivor_category_label("age_group", "under_18") == "Under 18"
    assert labels.survivor_category_label("nationality", "CHN") == "China"
    assert labels.survivor_category_label("sex", "female") == "Female"


def test_labels_import_no_statistics_and_no_figures():
    tree = ast.parse(Path(labels.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {f"{node.module}.{alias.name}" for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) for alias in node.names}
    ours = {name for name in imported if name.startswith("scamstats.")}
    assert not {name for name in ours if name.startswith(("scamstats.stats", "scamstats.figures"))}


def test_a_study_finding_names_its_compounds_counter_and_date():
    said = labels.headline_label("study_sites", "at least 10", "sites_identified", None, dt.date(2025, 10, 14), "day",
                                 "the Prince Group compounds", counted_by="US Department of Justice")
    assert said == ("at least 10 compounds identified: the Prince Group compounds "
                    "(US Department of Justice, 14 October 2025)")
    said = labels.headline_label("study_sites", "45", "sites_suspected", None, dt.date(2025, 6, 1), "month", None)
    assert said == "45 further suspected sites (June 2025)"
