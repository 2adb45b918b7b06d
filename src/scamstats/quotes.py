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
# Shares given as fractions in words, as the whole per cent they round to (a share is stored
# in per cent: `sites_operating_after_raids_pct`).
FRACTION_PERCENT = {
    "half": 50, "a third": 33, "one third": 33, "one-third": 33, "two thirds": 67, "two-thirds": 67,
    "a quarter": 25, "one quarter": 25, "one-quarter": 25, "three quarters": 75, "three-quarters": 75,
}
CJK_SCALES = {"千": 1_000, "萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
THAI_SCALES = {"พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}
CJK_NUMERALS = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# Thousands separators between digit groups: 1,234 / 1.234 / 1 234 (no-break or thin space).
# The group ends at a non-digit, not a word boundary: "11,240名" has no boundary before 名.
THOUSANDS = r"(\d)[,.\u00a0\u202f](\d{3})(\D|$)"


def numbers_in_text(text: str) -> set[int]:
    """Return every whole number a quote states, in digits or in English words (a fraction in
    words, "two-thirds", as the whole per cent it rounds to)."""
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
    fractions = r"\b(" + "|".join(sorted(FRACTION_PERCENT, key=len, reverse=True)) + r")\b"
    found.update(FRACTION_PERCENT[m.group(1)] for m in re.finditer(fractions, lowered))
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


# --------------------------------------------------------------------------------------
# The hedge word next to a row's number, against its qualifier (codebook, Coding table)

# Words right before a number that hedge it, by the qualifier they call for (English and the
# main languages of the sources: Vietnamese, Chinese, Thai, Indonesian/Malay, Korean, Japanese,
# Russian, Tagalog, French). The longest word found wins ("kurang lebih" is about, "lebih" more).
HEDGES_BEFORE = {
    "at_least": ("more than", "over", "at least", "just over", "upwards of", "in excess of", "no fewer than",
                 "no less than", "hơn", "trên", "超过", "超過", "逾", "超", "กว่า", "lebih dari", "lebih daripada",
                 "lebih", "sedikitnya", "setidaknya", "paling sedikit", "более", "mahigit", "higit sa", "plus de"),
    "about": ("about", "around", "nearly", "almost", "some", "approximately", "roughly", "an estimated",
              "close to", "khoảng", "gần", "约", "約", "近", "将近", "將近", "大约", "大約", "ประมาณ", "เกือบ",
              "sekitar", "hampir", "kurang lebih", "약", "およそ", "environ", "halos", "humigit-kumulang",
              "tinatayang", "почти", "около"),
    "at_most": ("up to", "fewer than", "under", "less than", "as many as", "不到", "最多", "dưới", "tối đa",
                "kurang dari", "hanggang"),
}
# Words right after a number (or after its counter word: 명, 人, 名, người, orang, คน).
HEDGES_AFTER = {
    "at_least": ("多", "余", "餘", "以上", "여", "넘", "이상", "-odd", "odd", "plus", "+", "กว่า"),
    "about": ("左右",),
    "at_most": ("以下", "未満", "이하"),
}
# "As many as" stressing a large count (多達, 多达) is exact (coding table).
EXACT_BEFORE = ("多達", "多达")
# "Handed over 45 people": a verb, not a hedge.
NOT_A_HEDGE = re.compile(r"(hand|handed|hands|handing|turn|turned|took|taken|take|carried|passed|signed)\s+over$")
COUNTER = re.compile(r"^\s*(?:명|人|名|người|orang|คน)?\s*")
RANGE_AFTER = re.compile(r"^\s*(?:-|–|—|~|to|đến|至|hingga|sampai)\s*\d")
RANGE_BEFORE = re.compile(r"\d\s*(?:-|–|—|~|to|đến|至|hingga|sampai)\s*$")


def _number_pattern(value: int) -> str:
    """The number as digits, its thousands grouped or not: 3455 -> 3[,. ]?455."""
    digits = str(value)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return r"(?<![\d.,])" + r"[,.\u00a0\u202f ]?".join(groups) + r"(?!\d|[.,]\d)"


def _hedge_before(text: str) -> str | None:
    lowered = text.lower().rstrip(" \u00a0")
    if lowered.endswith(EXACT_BEFORE):
        return "exact"
    found, length = None, 0
    for qualifier, words in HEDGES_BEFORE.items():
        for word in words:
            if len(word) <= length or not lowered.endswith(word):
                continue
            boundary = len(lowered) == len(word) or not word.isascii() or not lowered[-len(word) - 1].isalnum()
            if boundary and not (word == "over" and NOT_A_HEDGE.search(lowered)):
                found, length = qualifier, len(word)
    return found


def _hedge_after(text: str) -> str | None:
    rest = text[COUNTER.match(text).end():]
    for qualifier, words in HEDGES_AFTER.items():
        if text.startswith(words) or rest.startswith(words):
            return qualifier
    return None


def hedges_of(quote: str, value: int) -> list[str | None]:
    """Return, for each place the quote gives `value` in digits, the qualifier its hedge word
    calls for ("exact" for 多達, None for no hedge); "range" where the number is one end of a
    range ("8,000 to 10,000", whose rows are at_least and at_most whatever the hedge)."""
    found = []
    for match in re.finditer(_number_pattern(value), quote):
        before, after = quote[:match.start()], quote[match.end():]
        if RANGE_AFTER.match(after) or RANGE_BEFORE.search(before):
            found.append("range")
        else:
            found.append(_hedge_before(before) or _hedge_after(after))
    return found


def hedge_fits(quote: str | None, value: int | None, qualifier: str | None) -> bool:
    """Whether a row's qualifier fits the hedge right next to its number in the quote: wherever
    the quote gives the number in digits, a hedge word there calls for another qualifier than
    the row's ("more than 1,000" with qualifier exact). A number the quote gives in words, or
    once with and once without a hedge, passes."""
    if quote is None or value is None or qualifier is None:
        return True
    hedges = hedges_of(quote, value)
    if not hedges or "range" in hedges or None in hedges:
        return True
    return any(h == qualifier for h in hedges) or all(h == "exact" for h in hedges)


def qualifier_fits_hedge(count: str, qualifier: str = "qualifier") -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """A rule: the hedge word next to `count` in the quote fits `qualifier` (`hedge_fits`).
    Worked out once per distinct (quote, count, qualifier): a breakdown's rows share a quote."""
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        keys = ["_quote", "_count", "_qualifier"]
        keyed = frame.select(pl.col("quote").hash().alias("_quote"), pl.col(count).alias("_count"),
                             pl.col(qualifier).alias("_qualifier"))
        first = keyed.with_row_index("_row").unique(keys, keep="first", maintain_order=True)
        rows = frame.select("quote", count, qualifier)[first["_row"].to_list()]
        checked = first.select(keys).with_columns(
            pl.Series("_ok", [hedge_fits(*row) for row in rows.iter_rows()], dtype=pl.Boolean))
        return keyed.join(checked, on=keys, how="left", nulls_equal=True, maintain_order="left")["_ok"].fill_null(True)

    return ok


# --------------------------------------------------------------------------------------
# A baseline on 1 January: a calendar year, not a year-only "since 2022"

JANUARY = re.compile(r"\bjan(?:uary|\.|\b)|1月1日|元旦|tháng 1\b|\b1/1\b|januari|1월|มกราคม|enero|janvier"
                     r"|start of (?:the )?year|beginning of (?:the )?year|年初|đầu năm|awal tahun|연초")
THIS_YEAR = re.compile(r"this year|of the year|year to date|last year|past year|previous year|first half"
                       r"|first (?:three|six|nine) months|今年|本年|去年|上半年|năm nay|năm ngoái|tahun ini"
                       r"|tahun lalu|올해|금년|지난해|작년|ปีนี้|ปีที่แล้ว|ngayong taon|noong nakaraang taon")


def names_calendar_year(text: str, year: int) -> bool:
    """Whether a text names a count over the calendar year `year`: January or its first day,
    "this year" / "last year" / "the first half" in the sources' languages, or the year as a
    calendar unit ("in 2025", "of 2025", "2025年", "năm 2025", the Thai and Taiwanese years) -
    not a baseline of a year alone ("since 2022", "until July 2022")."""
    lowered = text.lower()
    if JANUARY.search(lowered) or THIS_YEAR.search(lowered):
        return True
    years = f"{year}|{year + 543}"
    unit = (rf"(?:\bin|\bof|\bduring|\bfor|\bthroughout|\bcalendar|\byear|năm|tahun|ปี|\bdel|\ben|\bsepanjang"
            rf"|\bselama|\bpada|\bnoong|\btrong|\bvào)\s+(?:{years})\b|(?:{years})\s*(?:年|년)|\b(?:{years})\s+(?:total|figure|data)"
            rf"|(?<!\d){year - 1911}\s*年|\bh1\s+{year}|\bq[1-4]\s*-?\s*{year}")
    return re.search(unit, lowered) is not None


def year_baseline_named(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """A rule: a period_start on 1 January comes with a quote (or the note that translates and
    dates it) naming the calendar year; otherwise it is a year-only baseline stored as a day."""
    start = pl.col("period_start")
    suspect = frame.select((start.dt.month() == 1) & (start.dt.day() == 1)).to_series().fill_null(False)
    if not suspect.any():
        return pl.repeat(True, frame.height, eager=True)
    texts = frame.select("period_start", "quote", pl.col("note") if "note" in frame.columns else pl.lit(None))
    return pl.Series([
        not bad or names_calendar_year(f"{quote or ''} {note or ''}", start_day.year)
        for bad, (start_day, quote, note) in zip(suspect, texts.iter_rows(), strict=True)
    ], dtype=pl.Boolean)
