"""List the numbers our quotes state that no row of the same source records.

A quote often holds more than the row it backs: a breakdown ("109 Thais (54 of them women),
50 Pakistanis..."), a second date's count, a count of sites. Each such number must become a
row, or be marked as deliberately not recorded, with a reason, in `unrecorded.tsv`
(source_id, number, decision, reason; decision is `row` when a row now records it under
another source or field, or `not_recorded`).

Years (2000-2035 written as four digits) and days of the month next to a month name are
dates, not counts: they are set aside automatically and counted in the summary.

    .venv/bin/python curation/unrecorded.py            # the open list, by source
    .venv/bin/python curation/unrecorded.py --summary  # counts only
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "datapackage" / "data"
DECISIONS = Path(__file__).resolve().parent / "unrecorded.tsv"
sys.path.insert(0, str(REPO / "src"))

from scamstats.quotes import numbers_in_text  # noqa: E402

# The count columns each resource records; the other resources' quotes back no count.
COUNT_COLUMNS = {
    "arrests": ("value",),
    "raids": ("persons_detained", "persons_rescued"),
    "survivors": ("count",),
    "timeline": (),
    "compounds": (),
}
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
          "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
DAY_NEXT_TO_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b|\b(?:{MONTHS})\.?\s+(\d{{1,2}})\b"
    r"|ngày\s+(\d{1,2})|(\d{1,2})\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?"
    r"|(\d{1,2})\s*月|(\d{1,2})\s*日|tháng\s+(\d{1,2})",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?<![\d,.])(20[0-3]\d)(?!\d|[,.]\d)")


def date_numbers(quote: str) -> set[int]:
    """Return the numbers in `quote` that are parts of dates (years, days, months)."""
    found = {int(year) for year in YEAR.findall(quote)}
    for match in DAY_NEXT_TO_MONTH.finditer(quote):
        found.update(int(group) for group in match.groups() if group)
    return found


def read(name: str) -> list[dict]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def decisions() -> dict[tuple[str, int], tuple[str, str]]:
    """Return (source_id, number) -> (decision, reason) from unrecorded.tsv."""
    if not DECISIONS.exists():
        return {}
    with DECISIONS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {(r["source_id"], int(r["number"])): (r["decision"], r["reason"]) for r in rows}


def open_numbers() -> tuple[dict[str, dict], dict[str, int]]:
    """Return source_id -> {quotes, numbers not recorded and not decided}, and summary counts."""
    recorded: dict[str, set[int]] = defaultdict(set)
    quotes: dict[str, list[str]] = defaultdict(list)
    for name, columns in COUNT_COLUMNS.items():
        for row in read(name):
            for column in columns:
                if row.get(column):
                    recorded[row["source_id"]].add(int(row[column]))
            if row.get("quote") and row["quote"] not in quotes[row["source_id"]]:
                quotes[row["source_id"]].append(row["quote"])
    decided = decisions()
    summary = {"quotes": 0, "numbers": 0, "recorded": 0, "dates": 0, "decided": 0, "open": 0}
    listing: dict[str, dict] = {}
    for source_id, texts in sorted(quotes.items()):
        for quote in texts:
            summary["quotes"] += 1
            dates = date_numbers(quote)
            for number in sorted(numbers_in_text(quote)):
                summary["numbers"] += 1
                if number in recorded[source_id]:
                    summary["recorded"] += 1
                elif number in dates:
                    summary["dates"] += 1
                elif (source_id, number) in decided:
                    summary["decided"] += 1
                else:
                    summary["open"] += 1
                    entry = listing.setdefault(source_id, {"quotes": [], "numbers": []})
                    if quote not in entry["quotes"]:
                        entry["quotes"].append(quote)
                    if number not in entry["numbers"]:
                        entry["numbers"].append(number)
    return listing, summary


def main(argv: list[str]) -> int:
    listing, summary = open_numbers()
    if "--summary" not in argv:
        for source_id, entry in listing.items():
            print(f"{source_id}: {', '.join(str(n) for n in entry['numbers'])}")
            for quote in entry["quotes"]:
                print(f"    {quote}")
    print(f"{summary['quotes']} quotes, {summary['numbers']} numbers: {summary['recorded']} recorded by a "
          f"row of the same source, {summary['dates']} parts of dates, {summary['decided']} decided in "
          f"{DECISIONS.name}, {summary['open']} open")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
