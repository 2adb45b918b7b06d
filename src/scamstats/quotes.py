"""Reading numbers in quotes, and the two rules every quote keeps: it states the count of
its row (in digits, in words of English and other languages the sources use, with scales such
as "1.2 million" or "1萬"), and it is short (at most QUOTE_MAX_WORDS words).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl

from scamstats.rules import RuleContext

QUOTE_MAX_WORDS = 30

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "dozen": 12, "a dozen": 12, "two dozen": 24, "a thousand": 1000,
}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Small numerals in other languages the sources use (Vietnamese, Indonesian/Malay, Tagalog, Chinese).
OTHER_NUMBER_WORDS = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sepuluh": 10,
    # Tagalog, with the linker -ng where it joins a noun ("dalawang Pilipino")
    "dalawa": 2, "dalawang": 2, "tatlo": 3, "tatlong": 3, "apat": 4, "limang": 5, "anim": 6,
    "pito": 7, "pitong": 7, "walo": 8, "walong": 8, "siyam": 9, "sampu": 10, "sampung": 10,
}
CJK_SCALES = {"千": 1_000, "萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
THAI_SCALES = {"พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}
CJK_NUMERALS = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# Thousands separators between digit groups: 1,234 / 1.234 / 1 234 (no-break or thin space).
# The group ends at a non-digit, not a word boundary: "11,240名" has no boundary before 名.
THOUSANDS = r"(\d)[,.\u00a0\u202f](\d{3})(\D|$)"


def numbers_in_text(text: str) -> set[int]:
    """Return every whole number a quote states, in digits or in English words."""
    lowered = text.lower()
    found: set[int] = set()
    normalised = re.sub(THOUSANDS, r"\1\2\3", re.sub(THOUSANDS, r"\1\2\3", lowered))
    for match in re.finditer(r"(\d+(?:[.,]\d+)?)\s*(thousand|million|billion)\b", normalised):
        found.add(round(float(match.group(1).replace(",", ".")) * SCALES[match.group(2)]))
    found.update(int(d) for d in re.findall(r"\d+", normalised))
    # Some languages (Russian, French) group thousands with a plain space: "13 500".
    spaced = re.sub(r"\b(\d{1,3})(?: (\d{3}))+\b", lambda m: m.group(0).replace(" ", ""), normalised)
    found.update(int(d) for d in re.findall(r"\d+", spaced))
    words = r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b"
    for match in re.finditer(words + r"(?:[\s-]+(thousand|million))?", lowered):
        value = NUMBER_WORDS[match.group(1)]
        found.add(value * SCALES[match.group(2)] if match.group(2) else value)
    for match in re.finditer(r"(\d+(?:\.\d+)?)\s*([萬万千億亿])", normalised):
        found.add(round(float(match.group(1)) * CJK_SCALES[match.group(2)]))
    for match in re.finditer(r"(\d+(?:\.\d+)?)\s*(พัน|หมื่น|แสน|ล้าน)", normalised):  # Thai: "2 พันกว่าคน"
        found.add(round(float(match.group(1)) * THAI_SCALES[match.group(2)]))
    others = r"\b(" + "|".join(OTHER_NUMBER_WORDS) + r")\b"
    found.update(OTHER_NUMBER_WORDS[m.group(1)] for m in re.finditer(others, lowered))
    found.update(value for char, value in CJK_NUMERALS.items() if char in text)
    for match in re.finditer(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-"
                             r"(one|two|three|four|five|six|seven|eight|nine)\b", lowered):
        found.add(NUMBER_WORDS[match.group(1)] + NUMBER_WORDS[match.group(2)])
    # "one hundred ninety", "two hundred and thirty-three", "three hundred"
    units = "one|two|three|four|five|six|seven|eight|nine"
    rest = r"(?:\s+and)?\s+([a-z]+(?:-(?:" + units + r"))?)"
    for match in re.finditer(r"\b(" + units + r")\s+hundred(?:" + rest + r")?\b", lowered):
        value = NUMBER_WORDS[match.group(1)] * 100
        tens, _, unit = (match.group(2) or "").partition("-")
        if tens in NUMBER_WORDS and NUMBER_WORDS[tens] < 100 and (not unit or NUMBER_WORDS[tens] % 10 == 0):
            value += NUMBER_WORDS[tens] + (NUMBER_WORDS[unit] if unit else 0)
        found.add(value)
    return found


def quote_contains(frame: pl.DataFrame, count_field: str) -> pl.Series:
    """Return, per row, whether the quote states the row's count (null counts pass).

    Worked out once per distinct (quote, count) pair: a breakdown's rows share its quote."""
    keyed = frame.select(pl.col("quote").hash().alias("_quote_hash"), "quote", count_field)
    pairs = keyed.unique(["_quote_hash", count_field])
    if pairs.height == frame.height:
        return quote_contains_each(frame, count_field)
    checked = pairs.select(
        "_quote_hash", count_field, quote_contains_each(pairs, count_field).alias("_ok")
    )
    if checked["_ok"].null_count() == 0 and checked["_ok"].all():
        return pl.repeat(True, frame.height, eager=True).alias("_ok")  # every row's pair passed
    return keyed.select("_quote_hash", count_field).join(
        checked, on=["_quote_hash", count_field], how="left", nulls_equal=True, maintain_order="left"
    )["_ok"]


def quote_contains_each(frame: pl.DataFrame, count_field: str) -> pl.Series:
    """Return, per row, whether the quote states the row's count (null counts pass)."""
    digits = (
        pl.col("quote")
        .str.replace_all(THOUSANDS, "${1}${2}${3}")
        .str.replace_all(THOUSANDS, "${1}${2}${3}")
        .str.extract_all(r"\d+")
        .list.contains(pl.col(count_field).cast(pl.String))
    )
    fast = frame.select(
        (pl.col(count_field).is_null() | pl.col("quote").is_null() | digits).fill_null(False)
    ).to_series()
    if fast.all():
        return fast
    # Words and scales ("nine children", "1.2 million") only for the rows digits missed.
    slow = frame.select("quote", count_field).to_dicts()
    return pl.Series(
        [
            passed or row[count_field] in numbers_in_text(row["quote"])
            for passed, row in zip(fast.to_list(), slow, strict=True)
        ],
        dtype=pl.Boolean,
    )


def quote_words_ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """Return, per row, whether the quote has at most QUOTE_MAX_WORDS words."""
    # Fewer spaces than QUOTE_MAX_WORDS means at most that many words: count words only if
    # some quote has more spaces (counting spaces is three times faster than splitting).
    few_spaces = (pl.col("quote").str.count_matches(" ", literal=True) < QUOTE_MAX_WORDS).fill_null(True)
    sample = frame.get_column("quote").head(4096)
    if frame.height and sample.n_unique() * 4 <= sample.len():  # quotes repeat: look at each once
        if frame.select(pl.col("quote").unique()).select(few_spaces).to_series().all():
            return pl.repeat(True, frame.height, eager=True).alias("quote")
    else:
        spaced = frame.select(few_spaces).to_series()
        if spaced.all():
            return spaced
    words = pl.col("quote").str.split(" ").list.eval(pl.element().filter(pl.element() != "")).list.len()
    return frame.select((words <= QUOTE_MAX_WORDS).fill_null(True)).to_series()


def count_in_quote(field: str) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """A rule: the quote states the row's `field` (see `quote_contains`)."""
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        return quote_contains(frame, field)

    return ok
