"""Domain rules that are easy to get subtly wrong: reading numbers out of quotes, linking reports
of one operation across date precisions."""

import datetime as dt

import polars as pl
import pytest

from scamstats.quotes import numbers_in_text
from scamstats.rules import RuleContext, same_operation_fits, same_operation_not_chained


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
