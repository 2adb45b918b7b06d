"""Display wording: how metrics, qualifiers, countries, provinces, baselines, counts, dates,
survivor categories and headlines read in tables, charts and the dashboard.

The one place words for people are chosen. Statistics fill their `*_label` and `*_name`
columns from here; figures and the dashboard word things from here. Imports no statistics.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pycountry

from scamstats.reference import PROVINCES

# In the order of the descriptor's `metric` enum (the dashboard lists metrics in this order).
METRIC_LABELS = {
    "arrested": "arrested",
    "detained": "detained",
    "deported": "deported",
    "repatriated": "repatriated",
    "prosecuted": "prosecuted",
    "convicted": "convicted",
    "rescued": "rescued",
    "released_or_escaped": "released or escaped",
    "sites_raided": "sites raided",
    "sites_sealed": "sites sealed",
    "estimated_held": "estimated held",
    "sites_identified": "compounds identified",
    "sites_suspected": "further suspected sites",
    "awaiting_return": "awaiting return",
    "assistance_cases": "cases handled",
    "designated_persons": "persons designated",
    "designated_entities": "entities designated",
    "sites_operating_after_raids_pct": "per cent of compounds identified still operating after raids",
}

# How each qualifier is named (a chart legend says "exact"; a count given exactly, see
# `format_count`, reads as the bare number).
QUALIFIER_WORDS = {"exact": "exact", "at_least": "at least", "about": "about", "at_most": "up to"}

# Short English names where ISO's official name reads awkwardly in a chart.
COUNTRY_NAMES = {
    "KOR": "South Korea", "PRK": "North Korea", "VNM": "Vietnam", "LAO": "Laos",
    "TWN": "Taiwan", "RUS": "Russia", "IRN": "Iran", "SYR": "Syria", "TZA": "Tanzania",
    "BOL": "Bolivia", "VEN": "Venezuela", "MDA": "Moldova", "CZE": "Czechia",
    "GBR": "United Kingdom", "USA": "United States", "TUR": "Türkiye",
}

# The part of a total that a source did not break down by nationality.
OTHER_NATIONALITIES_NAME = "Other or not stated"

AGE_GROUP_LABELS = {"under_18": "Under 18", "18_plus": "18 and over", "adult": "Adults"}


def metric_label(metric: str) -> str:
    """Return how a metric reads: 'released or escaped' (its code, spaced, when it has no label)."""
    return METRIC_LABELS.get(metric, metric.replace("_", " "))


def country_name(code: str | None) -> str:
    """Return a readable English name for an ISO 3166-1 alpha-3 code ('All' when empty)."""
    if not code:
        return "All nationalities"
    if code in COUNTRY_NAMES:
        return COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def province_name(code: str | None) -> str:
    """Return the English name of an ISO 3166-2:KH code (the code itself when unknown)."""
    return PROVINCES.get(code or "", code or "unknown")


def province_names(codes: pl.Expr) -> pl.Expr:
    """Return the English names of a column of ISO 3166-2:KH codes ('unknown' when not one)."""
    return codes.replace_strict(PROVINCES, default="unknown")


def province_names_stated(codes: pl.Expr) -> pl.Expr:
    """Return the English names of a column of province codes, empty where none is stated
    (a table cell; a chart's bar of rows without a province is 'unknown', `province_names`)."""
    return pl.when(codes.is_not_null()).then(province_names(codes))


def format_count(value: int | None, qualifier: str | None = "exact") -> str:
    """Return a count as people read it: 'at least 1,000', 'about 190', '2,137'."""
    if value is None:
        return "no figure"
    word = "" if (qualifier or "exact") == "exact" else QUALIFIER_WORDS.get(qualifier, "")
    return f"{word} {value:,}".strip()


def count_texts(values: pl.Expr, qualifiers: pl.Expr) -> pl.Expr:
    """Return a column of counts as `format_count` words them, each with its qualifier."""
    return pl.struct(values.alias("value"), qualifiers.alias("qualifier")).map_elements(
        lambda row: format_count(row["value"], row["qualifier"]), return_dtype=pl.String)


def format_count_range(low: int, high: int, qualifier: str | None) -> str:
    """Return one count as `format_count` words it, or two that disagree as '1,000–1,200'."""
    return format_count(low, qualifier) if low == high else f"{low:,}–{high:,}"


def format_date(day: dt.date | None, precision: str | None = "day") -> str:
    """Return a date at its stated precision: '14 July 2025', 'July 2025' or '2025'."""
    if day is None:
        return "undated"
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day:%B} {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def format_date_short(day: dt.date | None, precision: str | None = "day") -> str:
    """Return a date at its stated precision in few characters, for labels on charts:
    '14 Jul 2025', 'Jul 2025' or '2025'."""
    if day is None:
        return "undated"
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day:%b} {day.year}"
    return f"{day.day} {day:%b} {day.year}"


def dates_at_precision(dates: pl.Expr, precisions: pl.Expr) -> pl.Expr:
    """Return a column of dates as `format_date` words them at each row's precision
    ('December 2025' for a month); empty where there is no date."""
    return pl.struct(dates.alias("date"), precisions.alias("precision")).map_elements(
        lambda row: format_date(row["date"], row["precision"] or "day") if row["date"] else None,
        return_dtype=pl.String)


def baseline_label(baseline: dt.date | None) -> str:
    """Return how a series' baseline is named in tables and charts."""
    return f"since {format_date(baseline)}" if baseline else "no baseline stated"


def baseline_labels(baselines: pl.Expr) -> pl.Expr:
    """Return a column of baselines as `baseline_label` names them ('no baseline stated' for empty)."""
    return baselines.map_elements(baseline_label, return_dtype=pl.String, skip_nulls=False)


def survivor_category_label(dimension: str, category: str) -> str:
    """Return how a survivor aggregate's category reads: a country, an age group, a sex."""
    if dimension == "nationality":
        return country_name(category)
    if dimension == "age_group":
        return AGE_GROUP_LABELS.get(category, category.replace("_", " "))
    if dimension == "nationalities":
        return "distinct nationalities"
    if dimension == "total":
        return "total"
    return category.replace("_", " ").capitalize()


def reports_label(reports: int, origins: int) -> str:
    """Return how many pages carry a figure and from how many independent origins: '1 report',
    '3 reports from 1 origin', '4 reports from 2 independent origins'."""
    if reports == 1:
        return "1 report"
    if origins < 1:
        return f"{reports:,} reports"
    return f"{reports:,} reports from " + ("1 origin" if origins == 1 else f"{origins:,} independent origins")


def headline_label(kind: str, value_text: str, metric: str | None, baseline: dt.date | None,
                   as_of: dt.date | None, precision: str | None, population: str | None,
                   baseline_month: dt.date | None = None, counted_by: str | None = None) -> str:
    """Return a headline figure as a sentence: '2,137 arrested (since 27 June 2025, as of …)'.

    `baseline_month` is the month a count runs from when its source gives the baseline only
    to the month (kind `later_without_day_baseline`). A study's finding (`study_sites`) says
    which compounds it counts (`population`, when not all), who counted (`counted_by`) and when:
    'at least 10 compounds identified: the Prince Group compounds … (US Department of Justice,
    14 October 2025)'."""
    if kind == "study_sites":
        what = f"{value_text} {METRIC_LABELS[metric]}" + (f": {population}" if population else "")
        said = ", ".join(part for part in (counted_by, format_date(as_of, precision) if as_of else None) if part)
        return f"{what} ({said})" if said else what
    when = format_date(as_of, precision)
    if kind.startswith("official") or kind == "latest_no_baseline":
        return f"{value_text} {METRIC_LABELS[metric]} ({baseline_label(baseline)}, as of {when})"
    if kind == "later_weaker_source":
        return f"{value_text} {METRIC_LABELS[metric]} ({baseline_label(baseline)}, as of {when}; later, from a weaker source)"
    if kind == "later_without_day_baseline":
        since = f"since {format_date(baseline_month, 'month')}, day not stated" if baseline_month else "start not stated"
        return f"{value_text} {METRIC_LABELS[metric]} ({since}, as of {when}; a later figure)"
    if kind == "latest_stock":
        return f"{value_text} {METRIC_LABELS[metric]} on {when} (held on that date, not a cumulative count)"
    if kind == "latest_estimate":
        return f"{value_text} {METRIC_LABELS[metric]} ({when}; an estimate, not a count)"
    if kind == "survivors_nationalities":
        return f"{value_text} nationalities among: {population}"
    if kind == "survivors_children":
        return f"{value_text} children among: {population}"
    if kind == "survivors_women":
        return f"{value_text} women among: {population}"
    return f"{value_text}: {population}"


def covered_until_note(latest: dict | None) -> str:
    """Return how far the counts run, in words, and what the silence after that means."""
    if latest is None:
        return "No count in this package version is dated."
    return (f"The counts run to {format_date(latest['date'], latest['precision'])}, the latest dated figure "
            "in this package version. The public pages searched say almost nothing after that: the silence is "
            "a gap in the published record, not an end of enforcement.")
