"""Domain rules that are easy to get subtly wrong: reading numbers out of quotes, linking reports
of one operation across date precisions, the hedge word next to a number in the sources'
languages, a 1 January baseline, the reports of a claim, two sources' numbers for one count and
the total a breakdown names."""

import datetime as dt

import polars as pl
import pytest

from scamstats.quotes import hedge_fits, names_calendar_year, numbers_in_text
from scamstats.rules import (
    RuleContext,
    breakdown_within_total,
    claim_link_fits,
    count_link_differs,
    count_link_fits,
    count_link_to_first_report,
    same_claim_date_fits,
    same_count_date_fits,
    same_operation_fits,
    same_operation_not_chained,
    total_id_fits,
)


@pytest.mark.parametrize(
    ("quote", "number"),
    [
        ("brought to 2,137 the total number detained", 2137),
        ("total 2.137 orang telah ditahan", 2137),
        ("已有11,240名涉网络犯罪的外籍人员", 11240),
        ("interviewed 58 survivors of eight different nationalities, including nine children", 9),
        ("more than 1,000 individuals", 1000),
        ("more than 1.2 million people", 1_200_000),
        ("bắt 8 công dân Việt Nam, trong đó có ba phụ nữ", 3),
        ("其中三名女性", 3),
        ("forty-five women", 45),
        ("柬埔寨已遣返了分別來自23個國家、近1萬名詐騙人員", 10000),
        ("遣返1萬1000名工作人員", 10000),
        ("депортированы более 13 500 граждан 66 стран", 13500),
        ("ช่วยเหลือคนไทยอีก 2 พันกว่าคน", 2000),
        ("One hundred ninety Chinese and Taiwanese were deported", 190),
        ("two hundred and thirty-three foreigners", 233),
        ("some three hundred workers", 300),
        ("ang dalawang Pilipinong biktima ng human trafficking", 2),
        ("กว่า 1.5 หมื่นคน", 15000),
        ("More than two-thirds of the scamming compounds identified continue to operate", 67),
        ("nearly half of them", 50),
    ],
)
def test_quote_states_number(quote, number):
    assert number in numbers_in_text(quote)


@pytest.mark.parametrize(
    ("quote", "number"),
    [
        ("brought to 2,137 the total number detained", 137),
        ("June 27, 2025", 272025),
        ("someone was detained", 1),
        ("two-thirds of the compounds", 66),
    ],
)
def test_quote_does_not_state_number(quote, number):
    assert number not in numbers_in_text(quote)


def _reports(*rows):
    return pl.DataFrame(
        [dict(zip(["raid_id", "date", "date_precision", "province_code", "same_operation_as"], r, strict=True)) for r in rows],
        schema={"raid_id": pl.String, "date": pl.Date, "date_precision": pl.String,
                "province_code": pl.String, "same_operation_as": pl.String}, orient="row",
    )


def test_linked_report_may_be_dated_at_another_precision_but_not_another_day():
    frame = _reports(
        ("first", dt.date(2024, 3, 9), "day", "KH-18", None),
        ("same-month", dt.date(2024, 3, 1), "month", "KH-18", "first"),
        ("same-year", dt.date(2024, 1, 1), "year", "KH-18", "first"),
        ("next-day", dt.date(2024, 3, 10), "day", "KH-18", "first"),
        ("other-month", dt.date(2024, 4, 1), "month", "KH-18", "first"),
        ("other-province", dt.date(2024, 3, 9), "day", "KH-12", "first"),
        ("dangling", dt.date(2020, 1, 1), "day", "KH-1", "nowhere"),  # the foreign-key check's job
    )
    ctx = RuleContext(today=dt.date(2030, 1, 1))
    assert same_operation_fits(frame, ctx).to_list() == [True, True, True, False, False, False, True]
    assert same_operation_not_chained(frame, ctx).all()


def test_linked_report_points_to_a_first_report():
    frame = _reports(
        ("first", dt.date(2024, 3, 9), "day", "KH-18", None),
        ("second", dt.date(2024, 3, 9), "day", "KH-18", "first"),
        ("third", dt.date(2024, 3, 9), "day", "KH-18", "second"),
        ("itself", dt.date(2024, 3, 9), "day", "KH-18", "itself"),
    )
    ctx = RuleContext(today=dt.date(2030, 1, 1))
    assert same_operation_not_chained(frame, ctx).to_list() == [True, True, False, False]


# ------------------------------------------------------------------------------------------
# The hedge next to a number, in the sources' languages (codebook, Coding table)

@pytest.mark.parametrize(
    ("quote", "value", "qualifier", "fits"),
    [
        ("arrested more than 1,000 individuals", 1000, "exact", False),
        ("arrested more than 1,000 individuals", 1000, "at_least", True),
        ("over 5,000 people were detained", 5000, "at_most", False),
        ("nearly 5,000 arrests in 2025", 5000, "about", True),
        ("handed over 45 citizens to the Border Guard", 45, "exact", True),  # a verb, not a hedge
        ("kurang lebih 600 orang", 600, "about", True),  # the longest word wins
        ("lebih dari 1.200 WNI", 1200, "exact", False),
        ("bắt giữ khoảng 300 nghi phạm", 300, "exact", False),
        ("hơn 5.100 nghi phạm", 5100, "at_least", True),
        ("超过3000人", 3000, "at_least", True),
        ("1000多名", 1000, "exact", False),
        ("多達1000人", 1000, "exact", True),  # "as many as" stressing a large count is exact
        ("약 300명", 300, "about", True),
        ("60여 명", 60, "at_least", True),
        ("8,000 to 10,000 Thais", 8000, "at_least", True),  # a range: its rows are the ends
        ("about 8,000 to 10,000", 10000, "at_most", True),
        ("2,137 detained and more than 2,137 expected", 2137, "exact", True),  # once without a hedge
        ("one hundred ninety deported", 190, "exact", True),  # in words: not checked
    ],
)
def test_the_hedge_next_to_the_number_fits_the_qualifier(quote, value, qualifier, fits):
    assert hedge_fits(quote, value, qualifier) is fits


@pytest.mark.parametrize(
    ("text", "year", "named"),
    [
        ("arrested 2,418 in the first six months of the year", 2025, True),
        ("so far this year, 300 arrested", 2026, True),
        ("執法部門從1月1日至16日，累計拘捕162名疑犯", 2026, True),
        ("deported in 2025", 2025, True),
        ("2025年共遣返", 2025, True),
        ("trong năm 2024", 2024, True),
        ("in the first 28 days of January 2024", 2024, True),
        ("since 2022, more than 1,000 cases", 2022, False),  # a year-only baseline
        ("until July 2022", 2022, False),
        ("brought to 2,137 the total number detained since June 27", 2025, False),
    ],
)
def test_a_1_january_baseline_needs_a_calendar_year(text, year, named):
    assert names_calendar_year(text, year) is named


def _claim_rows(*rows):
    columns = ["observation_id", "metric", "value", "qualifier", "as_of", "as_of_precision", "scope", "nationality",
               "sex", "period_start", "source_id", "same_claim_as", "total_id"]
    schema = {c: pl.Int64 if c == "value" else pl.Date if c in ("as_of", "period_start") else pl.String for c in columns}
    return pl.DataFrame([dict(zip(columns, r, strict=True)) for r in rows], schema=schema, orient="row")


def test_a_relay_may_say_less_than_the_claim_but_not_something_else():
    day = dt.date(2030, 1, 10)
    frame = _claim_rows(
        ("first", "arrested", 67, "exact", day, "day", "KH-1", "IND", "male", None, "a", None, None),
        ("vaguer", "detained", 67, "about", day, "day", "national", None, None, None, "b", "first", None),
        ("other-value", "arrested", 68, "exact", day, "day", "KH-1", "IND", "male", None, "c", "first", None),
        ("other-province", "arrested", 67, "exact", day, "day", "KH-12", "IND", "male", None, "d", "first", None),
        ("other-sex", "arrested", 67, "exact", day, "day", "KH-1", "IND", "female", None, "e", "first", None),
        ("far", "arrested", 67, "exact", dt.date(2030, 6, 1), "day", "KH-1", "IND", "male", None, "f", "first", None),
        ("month", "arrested", 67, "exact", dt.date(2029, 10, 1), "month", "KH-1", "IND", "male", None, "g", "first", None),
    )
    ctx = RuleContext(today=dt.date(2031, 1, 1))
    assert claim_link_fits(frame, ctx).to_list() == [True, True, False, False, False, True, True]
    assert same_claim_date_fits(frame, ctx).to_list() == [True, True, True, True, True, False, True]


def test_a_breakdown_names_a_total_of_its_metric_that_it_breaks_down():
    day = dt.date(2030, 1, 10)
    frame = _claim_rows(
        ("total", "arrested", 2000, "exact", day, "day", "national", None, None, None, "a", None, None),
        ("vnm", "detained", 429, "exact", day, "day", "national", "VNM", None, None, "a", None, "total"),
        ("vnm-women", "arrested", 40, "exact", day, "day", "national", "VNM", "female", None, "a", None, "vnm"),
        ("other-metric", "deported", 10, "exact", day, "day", "national", "CHN", None, None, "a", None, "total"),
        ("no-breakdown", "arrested", 10, "exact", day, "day", "national", None, None, None, "a", None, "total"),
        ("other-nationality", "arrested", 10, "exact", day, "day", "national", "CHN", "male", None, "a", None, "vnm"),
        ("too-many", "arrested", 2001, "exact", day, "day", "national", "KOR", None, None, "b", None, "total"),
    )
    ctx = RuleContext(today=dt.date(2031, 1, 1))
    assert total_id_fits(frame, ctx).to_list() == [True, True, True, False, False, False, True]
    assert breakdown_within_total(frame, ctx).to_list() == [True, True, True, True, True, True, False]


def _count_rows(*rows):
    frame = _claim_rows(*(row[:-1] for row in rows))
    return frame.with_columns(pl.Series("same_count_as", [row[-1] for row in rows], dtype=pl.String))


def test_another_sources_number_for_one_count_counts_the_same_people_near_the_same_day():
    day = dt.date(2030, 1, 10)
    june = dt.date(2029, 12, 20)
    frame = _count_rows(
        # AP's 2,137 detained since a baseline, and its relay.
        ("first", "detained", 2137, "exact", day, "day", "national", None, None, june, "a", None, None, None),
        ("relay", "detained", 2137, "exact", day, "day", "national", None, None, june, "b", "first", None, None),
        # PTS's 2,270 arrested, no baseline stated: the same count, another number.
        ("other-number", "arrested", 2270, "exact", day, "day", "national", None, None, None, "c", None, None, "first"),
        ("same-number", "arrested", 2137, "exact", day, "day", "national", None, None, None, "d", None, None, "first"),
        ("same-source", "detained", 2270, "exact", day, "day", "national", None, None, None, "a", None, None, "first"),
        ("other-metric", "deported", 2270, "exact", day, "day", "national", None, None, None, "e", None, None, "first"),
        ("other-nationality", "detained", 589, "exact", day, "day", "national", "CHN", None, None, "f", None, None,
         "first"),
        ("far", "detained", 2500, "exact", dt.date(2030, 3, 1), "day", "national", None, None, None, "g", None, None,
         "first"),
        ("same-month", "detained", 2200, "exact", dt.date(2030, 1, 1), "month", "national", None, None, None, "h", None,
         None, "first"),
        ("to-a-relay", "detained", 2300, "exact", day, "day", "national", None, None, None, "i", None, None, "relay"),
        ("to-a-linked", "detained", 2400, "exact", day, "day", "national", None, None, None, "j", None, None,
         "other-number"),
        ("dangling", "detained", 1, "exact", day, "day", "KH-1", None, None, None, "k", None, None, "nowhere"),
    )
    ctx = RuleContext(today=dt.date(2031, 1, 1))
    assert count_link_fits(frame, ctx).to_list() == [True, True, True, True, False, False, False, True, True, True,
                                                     True, True]
    assert count_link_differs(frame, ctx).to_list() == [True, True, True, False, *[True] * 8]
    assert same_count_date_fits(frame, ctx).to_list() == [*[True] * 7, False, *[True] * 4]
    assert count_link_to_first_report(frame, ctx).to_list() == [*[True] * 9, False, False, True]
