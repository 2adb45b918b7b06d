"""Quote search: every quote and source title, in any language and script, with where the
words searched for and the row's own number stand in the quote.

Matching ignores case (Unicode case folding, so "ß" finds "SS") and width (NFKC: full-width
"２０２５" finds "2025"), and, in Latin script only, accents: "bat giu" finds Vietnamese
"bắt giữ" and "sihanoukville" finds "Sihanoukville". Other scripts (Khmer, Thai, Chinese,
Korean...) match exactly as written, their vowel signs and marks kept: dropping them would
change the word. Spans are (start, end) offsets into the original text, for highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import polars as pl

from scamstats.package import Package
from scamstats.stats.common import empty_frame, rows_frame, table

SEARCH_SCHEMA = {
    "resource": pl.String,
    "row_id": pl.String,
    "what": pl.String,
    "quote": pl.String,
    "note": pl.String,
    "value": pl.Int64,
    "date": pl.Date,
    "date_precision": pl.String,
    "source_id": pl.String,
    "publisher": pl.String,
    "title": pl.String,
    "url": pl.String,
    "published": pl.Date,
    "published_precision": pl.String,
    "language": pl.String,
    "matched_in": pl.String,
    "quote_spans": pl.List(pl.List(pl.Int64)),
    "number_spans": pl.List(pl.List(pl.Int64)),
    "title_spans": pl.List(pl.List(pl.Int64)),
}

# Each resource whose rows carry a quote: its id column, the count the quote states (if any),
# the date that places the row, and what the row is, in a few words.
QUOTED = {
    "arrests": ("observation_id", "value", "as_of", "as_of_precision", "metric"),
    "raids": ("raid_id", "persons_detained", "date", "date_precision", "event_type"),
    "compounds": ("compound_id", None, "first_reported", "first_reported_precision", "name"),
    "survivors": ("group_id", "count", "period_end", None, "population"),
    "timeline": ("event_id", None, "date", "date_precision", "label"),
}

# Latin letters whose accent is part of the letter, not a mark (no decomposition).
LATIN_EXTRA = {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "ı": "i"}


def _latin(char: str) -> bool:
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """Return one character as search compares it: case-folded, NFKC, and for Latin letters
    without their accents ('ắ' → 'a', 'đ' → 'd'). May be empty or several characters."""
    lowered = unicodedata.normalize("NFKC", char).casefold()
    out = []
    for part in lowered:
        if part in LATIN_EXTRA:
            out.append(LATIN_EXTRA[part])
            continue
        decomposed = unicodedata.normalize("NFD", part)
        if _latin(decomposed[0]):
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        else:
            out.append(part)
    return "".join(out)


def fold(text: str) -> tuple[str, list[int]]:
    """Return the text as search compares it (`fold_char` of each character, runs of spaces
    as one) and, for each character of it, the index of the original character it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        part = fold_char(char)
        if part.isspace():
            part = " "
            if folded and folded[-1] == " ":
                continue
        for piece in part:
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def fold_query(query: str) -> str:
    """Return a search query as it is compared: folded, spaces collapsed, trimmed."""
    return fold(query)[0].strip()


def match_spans(text: str | None, query: str) -> list[tuple[int, int]]:
    """Return where `query` occurs in `text` ((start, end) offsets into `text`), ignoring
    case, width and Latin accents; empty when it does not occur (or the query is empty)."""
    needle = fold_query(query)
    if not text or not needle:
        return []
    folded, origin = fold(text)
    spans = []
    start = folded.find(needle)
    while start != -1:
        end = start + len(needle)
        spans.append((origin[start], origin[end - 1] + 1))
        start = folded.find(needle, end)
    return spans


# A number written in digits, with thousands grouped by a comma, point or (no-break) space.
DIGITS = re.compile(r"(?<![\d.,])\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?![\d])|(?<![\d])\d+(?![\d])")
NUMBER_NAMES = {
    1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
    10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen", 16: "sixteen",
    17: "seventeen", 18: "eighteen", 19: "nineteen", 20: "twenty", 30: "thirty", 40: "forty", 50: "fifty",
}


def _digit_spans(text: str, value: int) -> list[tuple[int, int]]:
    """Where `text` writes `value` in digits, grouped or not (full-width digits too)."""
    normal = unicodedata.normalize("NFKC", text)
    if len(normal) != len(text):  # offsets would not line up: read digits in the original
        normal = text
    return [(m.start(), m.end()) for m in DIGITS.finditer(normal) if int(re.sub(r"\D", "", m.group(0))) == value]


def query_number(query: str) -> int | None:
    """The number a query is, when it is one number in digits ('2,137', '2.137', '2137'), else None."""
    folded = fold_query(query)
    return int(re.sub(r"\D", "", folded)) if DIGITS.fullmatch(folded) else None


def number_spans(text: str | None, value: int | None) -> list[tuple[int, int]]:
    """Return where the quote states `value`: in digits, grouped or not ("2,137", "2.137",
    "2 137", "2137", full-width digits too), or, for small numbers, in English words ("nine").
    Empty when the value is missing or written some other way (a scale, another language's word)."""
    if not text or value is None:
        return []
    spans = _digit_spans(text, value)
    if not spans and value in NUMBER_NAMES:
        spans = [(m.start(), m.end()) for m in re.finditer(rf"\b{NUMBER_NAMES[value]}\b", text, re.IGNORECASE)]
    return spans


def search_quotes(package: Package, query: str) -> pl.DataFrame:
    """Return every row whose quote, or whose source's title, contains `query` (see
    `match_spans`; a query that is one number, "2,137", also finds it grouped otherwise,
    "2.137" or "2 137"), newest first: the row's resource and id, what it counts, its quote and
    English note, its number, its source, and where the query and the number stand in the
    quote (`quote_spans`, `number_spans`) and in the title (`title_spans`), as [start, end].

    An empty query finds nothing (the schema is the same)."""
    if not fold_query(query):
        return empty_frame(SEARCH_SCHEMA)
    number = query_number(query)  # a number matches however its source groups the digits
    sources = {row["source_id"]: row for row in table(package, "sources").iter_rows(named=True)}
    titles = {source_id: match_spans(row["title"], query) for source_id, row in sources.items()}
    rows = []
    for resource, (id_column, value_column, date_column, precision_column, what_column) in QUOTED.items():
        frame = table(package, resource)
        if not frame.height:
            continue
        for row in frame.iter_rows(named=True):
            in_quote = match_spans(row["quote"], query)
            if number is not None and row["quote"]:
                in_quote = sorted({*in_quote, *_digit_spans(row["quote"], number)})
            in_title = titles.get(row["source_id"], [])
            if not (in_quote or in_title):
                continue
            source = sources.get(row["source_id"]) or {}
            value = row[value_column] if value_column else None
            rows.append({
                "resource": resource,
                "row_id": row[id_column],
                "what": str(row[what_column] or "").replace("_", " "),
                "quote": row["quote"],
                "note": row.get("note"),
                "value": value,
                "date": row[date_column],
                "date_precision": row[precision_column] if precision_column else ("day" if row[date_column] else None),
                "source_id": row["source_id"],
                "publisher": source.get("publisher"),
                "title": source.get("title"),
                "url": source.get("url"),
                "published": source.get("published"),
                "published_precision": source.get("published_precision"),
                "language": source.get("language"),
                "matched_in": " and ".join(where for where, found in (("quote", in_quote), ("title", in_title)) if found),
                "quote_spans": [list(span) for span in in_quote],
                "number_spans": [list(span) for span in number_spans(row["quote"], value)],
                "title_spans": [list(span) for span in in_title],
            })
    return rows_frame(rows, SEARCH_SCHEMA).sort(["date", "resource", "row_id"], descending=[True, False, False],
                                                nulls_last=True)
