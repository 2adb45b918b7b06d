"""Curation helper: from research leads to rows, only through verification.

Leads (curation/leads/*.jsonl) are what researchers found; none is data until a curator has
read its page and recorded it in curation/verified.tsv (url, date, how it was read). Then
`add` appends the verified leads as new rows (never rewriting an existing row).

  python curation/leads.py queries [N]        queries ranked by the unverified leads they back
  python curation/leads.py show QUERY|URL     the leads behind a query (grouped by page) or a URL
  python curation/leads.py verify [--search Q] URL [...]   record pages whose quotes the curator read in them
  python curation/leads.py verify-query QUERY  every page of a query, once the curator's search showed them all
  python curation/leads.py reject URL|LEAD REASON  a page, or one lead (file:line), that must not become rows
  python curation/leads.py add                append verified leads as rows (then rehash, validate);
                                              each lead becomes one row once (curation/added.tsv)
  python curation/leads.py status             how many leads are verified, added, rejected
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pycountry

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = REPO / "datapackage" / "data"
VERIFIED = HERE / "verified.tsv"
REJECTED = HERE / "rejected.tsv"
ADDED = HERE / "added.tsv"  # lead id, table, key of the row it became (so a lead is added once)
sys.path.insert(0, str(REPO / "src"))

from scamstats.reference import PROVINCES

PROVINCE_CODES = {name.lower(): code for code, name in PROVINCES.items()}
PROVINCE_CODES.update({
    "tbong khmum": "KH-25", "sihanoukville": "KH-18", "preah sihanouk (sihanoukville)": "KH-18",
    "phnom penh (outskirts)": "KH-12", "phnom penh (area)": "KH-12", "kratié": "KH-10",
    "mondul kiri": "KH-11", "ratanak kiri": "KH-16", "otdar meanchey": "KH-22", "poipet": "KH-1",
    "bavet": "KH-20", "siem reap province": "KH-17", "kampong som": "KH-18",
})
COUNTRY_CODES = {
    "vietnam": "VNM", "viet nam": "VNM", "south korea": "KOR", "korea": "KOR", "taiwan": "TWN",
    "china": "CHN", "laos": "LAO", "hong kong": "HKG", "myanmar": "MMR", "burma": "MMR",
    "russia": "RUS", "iran": "IRN", "cambodia": "KHM", "philippines": "PHL",
}
ATTRIBUTION = re.compile(
    r"said|says|according|told|announced|statement|report|minist|police|embassy|spokes|official|"
    r"cho biết|theo|kata|menurut|表示|稱|称|據|据|밝혔|によると|กล่าว|ថា", re.IGNORECASE)


def leads() -> list[dict]:
    found = []
    for path in sorted((HERE / "leads").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                lead = json.loads(line)
                lead["_lead"] = f"{path.stem}:{number}"
                lead.update(OVERRIDES.get(lead["_lead"], {}))
                found.append(lead)
    return found


def read_overrides() -> dict[str, dict]:
    """Curator's corrections to single leads: {"lead": id, "set": {field: value}, "why": ...}."""
    path = HERE / "overrides.jsonl"
    if not path.exists():
        return {}
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {entry["lead"]: entry["set"] for entry in entries}


OVERRIDES = read_overrides()


def read_tsv(path: Path) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    rows = csv.reader(path.open(encoding="utf-8"), delimiter="\t")
    return {row[0]: row[1:] for row in rows if row and not row[0].startswith("#")}


def existing(name: str, key: str) -> set[str]:
    with (DATA / f"{name}.csv").open(encoding="utf-8") as handle:
        return {row[key] for row in csv.DictReader(handle)}


def slug(text: str, limit: int = 40) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:limit].strip("-") or "x"


def short_hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:6]


def date_and_precision(text: str) -> tuple[str, str]:
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text, "day"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return text + "-01", "month"
    if re.fullmatch(r"\d{4}", text):
        return text + "-01-01", "year"
    return "", ""


def province_code(name: str) -> str:
    return PROVINCE_CODES.get((name or "").strip().lower(), "")


def country_code(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if name.lower() in COUNTRY_CODES:
        return COUNTRY_CODES[name.lower()]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return "?"


def known_source_ids() -> dict[str, str]:
    with (DATA / "sources.csv").open(encoding="utf-8") as handle:
        return {row["url"]: row["source_id"] for row in csv.DictReader(handle)}


KNOWN_SOURCE_IDS = known_source_ids()


def canonical_leads() -> dict[str, dict]:
    """The first lead of each page, whose publisher and date name the page's source."""
    first: dict[str, dict] = {}
    for lead in leads():
        first.setdefault(lead["url"], lead)
    return first


def source_id(lead: dict) -> str:
    if lead["url"] in KNOWN_SOURCE_IDS:
        return KNOWN_SOURCE_IDS[lead["url"]]
    lead = CANONICAL[lead["url"]]
    published, _ = date_and_precision(lead.get("published", ""))
    stamp = published.replace("-", "") if published else "undated"
    return f"{slug(lead.get('publisher', 'unknown'), 24)}-{stamp}-{short_hash(lead['url'])}"


def source_row(lead: dict) -> dict:
    lead = {**CANONICAL[lead["url"]], "quote": lead.get("quote", ""), "note": lead.get("note", "")}
    published, precision = date_and_precision(lead.get("published", ""))
    kind = lead.get("source_type", "news")
    if kind in {"ngo_report", "ngo_statement", "government_statement", "un_report",
                "embassy_statement", "court_or_sanctions"}:
        reliability = "primary"
    else:
        reliability = "attributed" if ATTRIBUTION.search(lead.get("quote", "") + " " + lead.get("note", "")) else "unattributed"
    title = (lead.get("title") or "").strip() or "[No title in the copy read]"
    publisher, via = lead.get("publisher", "").strip(), lead.get("via", "") or ""
    carried = re.fullmatch(r"(.+?)\s*\(via ([^)]+)\)", publisher)
    if carried:
        publisher, via = carried.group(1), via or carried.group(2)
    return {
        "source_id": source_id(lead), "title": title,
        "publisher": publisher or urlsplit(lead["url"]).hostname.removeprefix("www."),
        "url": lead["url"], "via": via, "published": published,
        "published_precision": precision, "source_type": kind, "language": lead.get("language", "en"),
        "reliability": reliability,
    }


def arrests_row(lead: dict) -> dict | None:
    as_of, precision = date_and_precision(lead.get("as_of", "") or lead.get("published", ""))
    period_start, start_precision = date_and_precision(lead.get("period_start", ""))
    note = lead.get("note", "")
    if period_start and start_precision != "day":
        # A baseline stated only to the month or year is recorded in words, never as a day.
        stated = f"the source says since {lead['period_start']} (no day given, so period_start is left empty)"
        note = f"{stated}. {note}".strip() if note else f"{stated}."
        period_start = ""
    scope = lead.get("scope", "national") or "national"
    scope = "national" if scope == "national" else province_code(scope)
    nationality = country_code(lead.get("nationality", ""))
    if not as_of or not scope or nationality == "?":
        return None
    value = int(lead["value"])
    oid = f"{source_id(lead)}-{lead['metric']}-{short_hash(str(value), nationality, lead.get('sex', ''), lead['quote'], scope)}"
    return {
        "observation_id": oid, "metric": lead["metric"], "value": value,
        "qualifier": lead.get("qualifier", "exact"), "period_start": period_start, "as_of": as_of,
        "as_of_precision": precision, "scope": scope, "nationality": nationality,
        "sex": lead.get("sex", "") or "", "raid_id": "", "source_id": source_id(lead),
        "quote": lead["quote"], "note": note,
        # Claim columns (codebook, Claims and reports): empty on a new row; the curator fills
        # them once the row's id and the rows it relates to are known.
        "same_claim_as": "", "origin": "", "total_id": "", "subset": "",
    }


KNOWN_COMPOUNDS: set[str] = set()  # compound ids in compounds.csv, and those `add` is appending


def compound_id(lead: dict) -> str:
    """The id of the compound a raid names, when that compound is in the package; else empty."""
    name = lead.get("compound_name", "") or ""
    return slug(name, 48) if name and slug(name, 48) in KNOWN_COMPOUNDS else ""


def raid_row(lead: dict) -> dict | None:
    date, precision = date_and_precision(lead.get("date", ""))
    code = province_code(lead.get("province", ""))
    if not date or not code:
        return None
    detained = "" if lead.get("persons_detained") in (None, "") else int(lead["persons_detained"])
    rescued = "" if lead.get("persons_rescued") in (None, "") else int(lead["persons_rescued"])
    return {
        "raid_id": f"{source_id(lead)}-{short_hash(lead.get('place', ''), str(detained), str(rescued), lead['quote'])}",
        "event_type": lead.get("event_type", "raid"), "date": date,
        "date_precision": lead.get("date_precision") or precision, "province_code": code,
        "place": lead.get("place", "") or PROVINCES[code], "compound_id": compound_id(lead),
        "agency": lead.get("agency", "") or "",
        "persons_detained": detained,
        "persons_detained_qualifier": (lead.get("detained_qualifier") or "exact") if detained != "" else "",
        "persons_rescued": rescued,
        "persons_rescued_qualifier": (lead.get("rescued_qualifier") or "exact") if rescued != "" else "",
        "source_id": source_id(lead), "quote": lead["quote"], "note": lead.get("note", ""),
        "same_operation_as": "", "part_of": "",  # links: filled by the curator after `add`
    }


def compound_row(lead: dict) -> dict | None:
    code = province_code(lead.get("province", ""))
    if not code or not lead.get("name"):
        return None
    first, first_precision = date_and_precision(lead.get("first_reported", "") or lead.get("published", ""))
    status_date, status_precision = date_and_precision(lead.get("status_date", ""))
    return {
        "compound_id": slug(lead["name"], 48), "name": lead["name"], "aliases": lead.get("aliases", "") or "",
        "province_code": code, "town": lead.get("town", "") or "", "latitude": "", "longitude": "",
        "geo_precision": "", "former_use": lead.get("former_use") or "unknown",
        "first_reported": first, "first_reported_precision": first_precision,
        "status": lead.get("status") or "unknown", "status_date": status_date,
        "status_date_precision": status_precision, "source_id": source_id(lead),
        "quote": lead["quote"], "note": lead.get("note", ""), "same_compound_as": lead.get("same_compound_as", ""),
    }


def survivors_row(lead: dict) -> dict | None:
    dimension = lead.get("dimension", "")
    category = (lead.get("category") or "").strip()
    if dimension == "nationality":
        category = country_code(category)
    elif dimension == "age_group":
        category = slug(category).replace("-", "_")
    elif dimension == "total":
        category = "all"
    if not category or category == "?" or dimension not in {"total", "nationality", "sex", "age_group"}:
        return None
    return {
        "group_id": f"{source_id(lead)}-{dimension}-{slug(category, 20)}-{short_hash(lead['quote'], str(lead['count']))}",
        "population": lead.get("population", ""), "period_start": "", "period_end": "",
        "dimension": dimension, "category": category, "count": int(lead["count"]),
        "qualifier": lead.get("qualifier", "exact"), "source_id": source_id(lead),
        "quote": lead["quote"], "note": "; ".join(x for x in [lead.get("period", ""), lead.get("note", "")] if x),
    }


def timeline_row(lead: dict) -> dict | None:
    """A milestone needs a short `label` (at most 48 characters; an override can give one, or
    the event itself when it is that short) and may name the row it repeats (`same_event_as`)."""
    date, precision = date_and_precision(lead.get("date", ""))
    label = lead.get("label") or (lead.get("event", "") if len(lead.get("event", "")) <= 48 else "")
    if not date or not lead.get("event") or not label:
        return None
    return {
        "event_id": f"{slug(lead['event'], 40)}-{short_hash(lead['url'], lead['quote'])}",
        "date": date, "date_precision": lead.get("date_precision") or precision,
        "category": lead.get("category", "other"), "event": lead["event"][:200],
        "source_id": source_id(lead), "quote": lead["quote"], "note": lead.get("note", ""),
        "label": label[:48], "same_event_as": lead.get("same_event_as", ""),
    }


BUILDERS = {"arrests": ("arrests", "observation_id", arrests_row), "raid": ("raids", "raid_id", raid_row),
            "compound": ("compounds", "compound_id", compound_row),
            "survivors": ("survivors", "group_id", survivors_row), "timeline": ("timeline", "event_id", timeline_row)}


def semantic_key(lead: dict) -> tuple:
    """What a lead says, regardless of which researcher recorded it or how they quoted it.
    For operations: the same page, date and counts is the same operation, however labelled."""
    if lead["kind"] == "raid":
        fields = ["date", "persons_detained", "persons_rescued"]
        return (lead["url"], "raid", *(str(lead.get(f, "")).strip() for f in fields))
    fields = ["metric", "value", "qualifier", "as_of", "scope", "nationality", "sex", "event_type", "date",
              "province", "persons_detained", "persons_rescued", "name", "dimension", "category", "count", "event"]
    return (lead["url"], lead["kind"], *(str(lead.get(f, "")).strip().lower() for f in fields))


def append_rows(name: str, rows: list[dict]) -> None:
    path = DATA / f"{name}.csv"
    with path.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writerows(rows)


CANONICAL: dict[str, dict] = {}


def read_added() -> dict[str, tuple[str, str]]:
    if not ADDED.exists():
        return {}
    rows = [line.split("\t") for line in ADDED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {lead: (table, key) for lead, table, key in rows}


def write_added(added: dict[str, tuple[str, str]]) -> None:
    def order(lead: str) -> tuple[str, int]:
        name, _, number = lead.rpartition(":")
        return name, int(number)
    ADDED.write_text("".join(f"{lead}\t{table}\t{key}\n" for lead, (table, key) in
                             sorted(added.items(), key=lambda item: order(item[0]))), encoding="utf-8")


def command_add() -> None:
    CANONICAL.update(canonical_leads())
    verified, rejected = read_tsv(VERIFIED), read_tsv(REJECTED)
    added = read_added()
    drifted: list[str] = []
    known_sources = existing("sources", "url")
    new_sources, new_rows, skipped = {}, defaultdict(list), Counter()
    keys = {name: existing(name, key) for name, key, _ in BUILDERS.values()}
    KNOWN_COMPOUNDS.update(keys["compounds"])
    seen: set[tuple] = set()
    # Compounds first, so that a raid naming a compound added in this run links to it.
    for lead in sorted(leads(), key=lambda lead: lead.get("kind") != "compound"):
        if lead["url"] not in verified or lead["url"] in rejected or lead["_lead"] in rejected:
            continue
        if lead.get("kind") not in BUILDERS:
            continue
        name, key, build = BUILDERS[lead["kind"]]
        row = build(lead)
        meaning = semantic_key(lead)
        if lead["_lead"] in added:
            seen.add(meaning)  # what it says is in the package: a second lead saying it is not new
            # Added before: never a second row, even when an override has changed it since.
            if row is not None and row[key] != added[lead["_lead"]][1]:
                drifted.append(f"{lead['_lead']} -> {added[lead['_lead']][1]}")
            skipped[f"{lead['kind']}: already added from this lead"] += 1
            continue
        if row is None:
            skipped[f"{lead['kind']}: unmappable"] += 1
            continue
        if row[key] in keys[name] or meaning in seen:
            if row[key] in keys[name]:
                added[lead["_lead"]] = (name, row[key])  # the row this lead already is
            seen.add(meaning)
            skipped[f"{lead['kind']}: already present"] += 1
            continue
        seen.add(meaning)
        if row[key] in keys[name]:
            skipped[f"{lead['kind']}: already present"] += 1
            continue
        keys[name].add(row[key])
        if name == "compounds":
            KNOWN_COMPOUNDS.add(row[key])
        new_rows[name].append(row)
        added[lead["_lead"]] = (name, row[key])
        if lead["url"] not in known_sources:
            new_sources[lead["url"]] = source_row(lead)
    append_rows("sources", list(new_sources.values()))
    for name, rows in new_rows.items():
        append_rows(name, rows)
    print(f"added {len(new_sources)} sources, " + ", ".join(f"{len(r)} {n}" for n, r in new_rows.items()))
    write_added(added)
    for reason, count in skipped.items():
        print(f"  skipped {count} ({reason})")
    for line in drifted:
        print(f"  changed since added (edit the row by hand, or delete it and its line in added.tsv): {line}")


def command_queries(limit: int) -> None:
    verified = read_tsv(VERIFIED)
    by_query = defaultdict(list)
    for lead in leads():
        if lead["url"] not in verified:
            by_query[lead.get("query", "")].append(lead)
    ranked = sorted(by_query.items(), key=lambda item: -len(item[1]))
    for query, found in ranked[:limit]:
        kinds = Counter(lead["kind"] for lead in found)
        urls = len({lead["url"] for lead in found})
        print(f"{len(found):4} leads {urls:3} pages  {dict(kinds)}  {query}")


def command_show(target: str) -> None:
    verified = read_tsv(VERIFIED)
    chosen = [lead for lead in leads() if target in (lead.get("query"), lead["url"]) and lead["url"] not in verified]
    by_url = defaultdict(list)
    for lead in chosen:
        by_url[lead["url"]].append(lead)
    for url, found in by_url.items():
        mark = "VERIFIED" if url in verified else ""
        print(f"\n== {url} {mark}  [{found[0].get('publisher')}, {found[0].get('published')}]")
        for lead in found:
            figure = lead.get("value", lead.get("count", lead.get("persons_detained", lead.get("date", ""))))
            what = lead.get("metric") or lead.get("event_type") or lead.get("dimension") or lead.get("name") or lead.get("category")
            print(f"  {lead['_lead']} {lead['kind'][:4]} {what} {figure} {lead.get('nationality', '') or lead.get('province', '')} | {lead['quote'][:150]}")


def command_mark(path: Path, url: str, reason: str) -> None:
    if url in read_tsv(path):
        return
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{url}\t{dt.date.today()}\t{reason}\n")


def command_status() -> None:
    verified, rejected = read_tsv(VERIFIED), read_tsv(REJECTED)
    all_leads = leads()
    print(f"{len(all_leads)} leads from {len({lead['url'] for lead in all_leads})} pages; "
          f"{sum(lead['url'] in verified for lead in all_leads)} on {len(verified)} verified pages; "
          f"{sum(lead['url'] in rejected for lead in all_leads)} on {len(rejected)} rejected pages")


def main(argv: list[str]) -> None:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return
    command, args = argv[0], argv[1:]
    if command == "queries":
        command_queries(int(args[0]) if args else 30)
    elif command == "show":
        command_show(" ".join(args))
    elif command == "verify":
        how = "quotes read in the page's stored copy (search corpus 'pages')"
        if args[:1] == ["--search"]:  # record the curator's own search that showed the page
            how, args = f"quotes read in the page's stored copy (search: {args[1]})", args[2:]
        for url in args:
            command_mark(VERIFIED, url, how)
    elif command == "verify-query":
        # Only after the curator's own search for this query returned every page it lists.
        query = " ".join(args)
        for url in sorted({lead["url"] for lead in leads() if lead.get("query") == query}):
            command_mark(VERIFIED, url, f"quotes read in the page's stored copy (search: {query})")
    elif command == "reject":
        command_mark(REJECTED, args[0], " ".join(args[1:]) or "rejected")
    elif command == "add":
        command_add()
    elif command == "status":
        command_status()
    else:
        print(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
