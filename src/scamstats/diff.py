"""What changed between two versions of the package: rows added, removed and changed, matched
by primary key, resource by resource. Pure functions: two `Package`s (and the curation record)
in, one tidy frame out, one row per change.

Each change is one row of `DIFF_SCHEMA`:

- `added` / `removed`: a row whose id is only in the new / only in the old version (`field`
  empty), with its source and quote (for a source, its title), and the reason the curation
  record gives: for a removal, the rejection of its page (by URL) or of one of its leads; for
  an addition, the corrections made to its leads.
- `changed`: one row per field whose value differs (`before` → `after`, compared as text, empty
  = missing), with the reason of a correction of that field where there is one.
- `replaced`: a changed id. It is a removal and an addition unless the data says that one row
  replaces the other; then it is one `replaced` row per differing field (`previous_id` the old
  id, `matched_by` the evidence). The data says so when (the rule, in this order of weight):
  1. a reference that named the removed id in the old version names the added id in the new
     one, on the same referencing row: a `same_claim_as`, `same_operation_as`,
     `same_event_as`, `same_compound_as` or any other foreign key of any resource re-pointed;
  2. the added row's link column (`same_claim_as`, `same_operation_as`, `same_event_as`,
     `same_compound_as`) names the removed id;
  3. the added row's note says "replaces <id>" (or "replacing <id>") of the removed id.
  A removed row is replaced by at most one added row and the reverse: the pair with the most
  evidence first, then by id.
- `field_added` / `field_removed`: a column of a resource's schema only in one version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from scamstats.curation_record import CurationRecord
from scamstats.package import Package

DIFF_SCHEMA = {
    "resource": pl.String, "kind": pl.String, "row_id": pl.String, "previous_id": pl.String,
    "matched_by": pl.String, "field": pl.String, "before": pl.String, "after": pl.String,
    "source_id": pl.String, "quote": pl.String, "reason": pl.String,
}
ROW_KINDS = ("added", "removed", "changed", "replaced")
KINDS = (*ROW_KINDS, "field_added", "field_removed")
LINK_COLUMNS = ("same_claim_as", "same_operation_as", "same_event_as", "same_compound_as")
REPLACES_NOTE = re.compile(r"\breplac(?:es|ing)\s+[`'\"‘“]?([A-Za-z0-9][\w.:-]*[A-Za-z0-9])", re.IGNORECASE)
KEY_SEPARATOR = "|"


@dataclass(frozen=True)
class Replacement:
    """An added row that the data says replaces a removed one."""

    resource: str
    previous_id: str
    row_id: str
    matched_by: str


# ------------------------------------------------------------------------------------------
# Rows as text, by id


def resource_names(old: Package, new: Package) -> list[str]:
    """Return the resources of either version: the new version's order, then the old's others."""
    names = [r["name"] for r in new.descriptor["resources"]]
    return names + [r["name"] for r in old.descriptor["resources"] if r["name"] not in names]


def _schema(package: Package, name: str) -> dict:
    try:
        return package.resource(name).get("schema", {})
    except StopIteration:
        return {}


def primary_key(old: Package, new: Package, name: str) -> list[str]:
    """Return a resource's primary key columns (the new version's, else the old's)."""
    for package in (new, old):
        key = _schema(package, name).get("primaryKey")
        if key:
            return [key] if isinstance(key, str) else list(key)
    return []


def field_names(package: Package, name: str) -> list[str]:
    """Return a resource's declared columns, in order (none when it has no such resource)."""
    return [f["name"] for f in _schema(package, name).get("fields", [])]


def rows_as_text(package: Package, name: str, key: list[str]) -> pl.DataFrame:
    """Return a resource's rows with every cell as text (dates ISO, missing null) and `_id`,
    the primary key (several columns joined with `|`); no rows when there is no such table."""
    frame = package.tables.get(name)
    if frame is None or not key or any(k not in frame.columns for k in key):
        return pl.DataFrame(schema={"_id": pl.String})
    frame = frame.with_columns(pl.all().cast(pl.String))
    return frame.with_columns(pl.concat_str([pl.col(k) for k in key], separator=KEY_SEPARATOR).alias("_id"))


def _text_value(row: dict, name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


def _row_quote(name: str, row: dict) -> str | None:
    return _text_value(row, "quote") if "quote" in row else _text_value(row, "title")


# ------------------------------------------------------------------------------------------
# Replacements


def _references_to(package: Package, target: str) -> list[tuple[str, str]]:
    """(resource, column) of every single-column foreign key that points at `target`'s rows."""
    found = []
    for resource in package.descriptor["resources"]:
        for fk in resource.get("schema", {}).get("foreignKeys", []):
            fields = fk.get("fields")
            fields = [fields] if isinstance(fields, str) else list(fields or [])
            pointed = fk.get("reference", {}).get("resource") or resource["name"]
            if pointed == target and len(fields) == 1:
                found.append((resource["name"], fields[0]))
    return found


def _repointed(old: Package, new: Package, target: str, removed: set[str], added: set[str]) -> list[tuple[str, str, str]]:
    """(removed id, added id, evidence) for each reference re-pointed from one to the other."""
    found = []
    old_refs = set(_references_to(old, target))
    for resource, column in _references_to(new, target):
        if (resource, column) not in old_refs:
            continue
        key = primary_key(old, new, resource)
        before = rows_as_text(old, resource, key)
        after = rows_as_text(new, resource, key)
        if column not in before.columns or column not in after.columns:
            continue
        pairs = (before.select("_id", pl.col(column).alias("_old"))
                 .join(after.select("_id", pl.col(column).alias("_new")), on="_id", how="inner")
                 .filter(pl.col("_old").is_in(sorted(removed)) & pl.col("_new").is_in(sorted(added))))
        for row in pairs.sort("_id").iter_rows(named=True):
            found.append((row["_old"], row["_new"], f"{resource} {row['_id']}: {column} re-pointed"))
    return found


def find_replacements(old: Package, new: Package, name: str, removed: set[str], added: set[str]) -> list[Replacement]:
    """Return the added rows of resource `name` that the data says replace removed ones (the
    rule in the module docstring), one to one."""
    if not removed or not added:
        return []
    evidence: dict[tuple[str, str], list[str]] = {}
    for before, after, why in _repointed(old, new, name, removed, added):
        evidence.setdefault((before, after), []).append(why)
    new_rows = rows_as_text(new, name, primary_key(old, new, name))
    for row in new_rows.filter(pl.col("_id").is_in(sorted(added))).sort("_id").iter_rows(named=True):
        for column in LINK_COLUMNS:
            if row.get(column) in removed:
                evidence.setdefault((row[column], row["_id"]), []).append(f"{column} names it")
        for named in REPLACES_NOTE.findall(row.get("note") or ""):
            if named in removed:
                evidence.setdefault((named, row["_id"]), []).append("note says it replaces it")
    ranked = sorted(evidence.items(), key=lambda item: (-len(item[1]), item[0]))
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    replacements = []
    for (before, after), whys in ranked:
        if before in taken_old or after in taken_new:
            continue
        taken_old.add(before)
        taken_new.add(after)
        replacements.append(Replacement(name, before, after, "; ".join(dict.fromkeys(whys))))
    return sorted(replacements, key=lambda r: r.row_id)


# ------------------------------------------------------------------------------------------
# The diff


def _source_urls(package: Package) -> dict[str, str]:
    frame = package.tables.get("sources")
    if frame is None or "url" not in frame.columns:
        return {}
    return {s: u for s, u in frame.select("source_id", "url").iter_rows() if s and u}


def _field_changes(before: dict, after: dict, fields: list[str], skip: set[str]) -> list[tuple[str, str | None, str | None]]:
    return [(f, _text_value(before, f), _text_value(after, f)) for f in fields
            if f not in skip and _text_value(before, f) != _text_value(after, f)]


def diff_resource(old: Package, new: Package, name: str, record: CurationRecord | None = None) -> list[dict]:
    """Return the changes of one resource as rows of DIFF_SCHEMA (dicts), in a fixed order:
    schema changes, then by row id (kinds in the order of KINDS), fields in schema order."""
    record = record or CurationRecord()
    key = primary_key(old, new, name)
    old_fields, new_fields = field_names(old, name), field_names(new, name)
    fields = new_fields + [f for f in old_fields if f not in new_fields]
    changes: list[dict] = []
    blank = dict.fromkeys(DIFF_SCHEMA)
    for column in fields:
        if column in new_fields and column not in old_fields and name in {r["name"] for r in old.descriptor["resources"]}:
            changes.append({**blank, "resource": name, "kind": "field_added", "field": column})
        elif column in old_fields and column not in new_fields and new_fields:
            changes.append({**blank, "resource": name, "kind": "field_removed", "field": column})
    before = {row["_id"]: row for row in rows_as_text(old, name, key).iter_rows(named=True)}
    after = {row["_id"]: row for row in rows_as_text(new, name, key).iter_rows(named=True)}
    removed, added = set(before) - set(after), set(after) - set(before)
    replacements = find_replacements(old, new, name, removed, added)
    removed -= {r.previous_id for r in replacements}
    added -= {r.row_id for r in replacements}
    old_urls = _source_urls(old)

    def url(row: dict, urls: dict[str, str]) -> str | None:
        return row.get("url") if name == "sources" else urls.get(row.get("source_id") or "")

    def record_for(kind: str, row_id: str, row: dict, **extra) -> dict:
        return {**blank, "resource": name, "kind": kind, "row_id": row_id,
                "source_id": _text_value(row, "source_id") if name != "sources" else row_id,
                "quote": _row_quote(name, row), **extra}

    rows: list[tuple[str, int, dict]] = []
    for row_id in removed:
        reason = record.rejection(name, row_id, url(before[row_id], old_urls))
        rows.append((row_id, 1, record_for("removed", row_id, before[row_id], reason=reason)))
    for row_id in added:
        reason = record.corrections(name, row_id)
        rows.append((row_id, 0, record_for("added", row_id, after[row_id], reason=reason)))
    for row_id in set(before) & set(after):
        for column, was, now in _field_changes(before[row_id], after[row_id], fields, {"_id"}):
            rows.append((row_id, 2, record_for("changed", row_id, after[row_id], field=column, before=was,
                                               after=now, reason=record.corrections(name, row_id, column))))
    for replacement in replacements:
        was_row, now_row = before[replacement.previous_id], after[replacement.row_id]
        reason = "; ".join(filter(None, [record.rejection(name, replacement.previous_id, url(was_row, old_urls)),
                                         record.corrections(name, replacement.row_id)])) or None
        common = {"previous_id": replacement.previous_id, "matched_by": replacement.matched_by, "reason": reason}
        differing = _field_changes(was_row, now_row, fields, {"_id", *key}) or [(None, None, None)]
        for column, was, now in differing:
            rows.append((replacement.row_id, 3, record_for("replaced", replacement.row_id, now_row, field=column,
                                                           before=was, after=now, **common)))
    order = {f: i for i, f in enumerate(fields)}
    rows.sort(key=lambda item: (item[0], item[1], order.get(item[2]["field"], -1)))
    return changes + [row for _, _, row in rows]


def diff_packages(old: Package, new: Package, record: CurationRecord | None = None) -> pl.DataFrame:
    """Return every change from `old` to `new` as a frame of DIFF_SCHEMA (module docstring)."""
    rows = [change for name in resource_names(old, new) for change in diff_resource(old, new, name, record)]
    return pl.DataFrame(rows, schema=DIFF_SCHEMA, orient="row") if rows else pl.DataFrame(schema=DIFF_SCHEMA)


def change_counts(changes: pl.DataFrame) -> pl.DataFrame:
    """Return how many rows (or fields, for schema changes) each resource had of each kind:
    resource, kind, rows; resources in the diff's order, kinds in the order of KINDS."""
    counted = (changes.with_columns(pl.coalesce("row_id", "field").alias("_what"))
               .group_by("resource", "kind", maintain_order=True).agg(pl.col("_what").n_unique().alias("rows")))
    resources = list(dict.fromkeys(changes["resource"].to_list()))
    return (counted.with_columns(pl.col("resource").replace_strict({r: i for i, r in enumerate(resources)},
                                                                   return_dtype=pl.Int64).alias("_r"),
                                 pl.col("kind").replace_strict({k: i for i, k in enumerate(KINDS)},
                                                               return_dtype=pl.Int64).alias("_k"))
            .sort("_r", "_k").drop("_r", "_k").cast({"rows": pl.Int64}))


def rows_behind(changes: pl.DataFrame, source_ids: set[str], resources: set[str] | None = None) -> pl.DataFrame:
    """Return the changes to rows citing one of `source_ids` (in `resources` only, when given):
    the rows behind a figure that names those sources and reads those tables."""
    behind = changes.filter(pl.col("source_id").is_in(sorted(source_ids)))
    return behind if resources is None else behind.filter(pl.col("resource").is_in(sorted(resources)))
