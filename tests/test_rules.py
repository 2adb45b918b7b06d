"""Domain rules that are easy to get subtly wrong: reading numbers out of quotes."""

import pytest

from scamstats.schemas import numbers_in_text


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
