"""Writing a diff (`scamstats.diff`) for people (a readable summary) and for machines (CSV, the
frame as it is; JSON, the counts and the changes)."""

from __future__ import annotations

import io
import json

import polars as pl

from scamstats.diff import change_counts

FORMATS = ("text", "csv", "json")
MARKS = {"added": "+", "removed": "-", "changed": "~", "replaced": ">"}
FIELD_NOUNS = {"field_added": ("new field", "new fields"), "field_removed": ("field dropped", "fields dropped")}
LONGEST_VALUE = 160  # characters of a before or after value shown in the text summary


def counts_sentence(counts: pl.DataFrame, resource: str) -> str:
    """Return '3 added, 1 removed, 2 changed' for one resource of `change_counts`."""
    parts = []
    for kind, rows in counts.filter(pl.col("resource") == resource).select("kind", "rows").iter_rows():
        singular, plural = FIELD_NOUNS.get(kind, (kind, kind))
        parts.append(f"{rows} {singular if rows == 1 else plural}")
    return ", ".join(parts)


def _shorten(value: str | None) -> str:
    if value is None:
        return "(empty)"
    return value if len(value) <= LONGEST_VALUE else value[: LONGEST_VALUE - 1] + "…"


def _row_lines(rows: list[dict]) -> list[str]:
    first = rows[0]
    kind = first["kind"]
    head = f"  {MARKS[kind]} {kind:<8} {first['row_id']}"
    if kind == "replaced":
        head = f"  {MARKS[kind]} replaced {first['previous_id']} -> {first['row_id']}"
    if first["source_id"] and first["source_id"] != first["row_id"]:
        head += f"  [source {first['source_id']}]"
    lines = [head]
    if kind == "replaced":
        lines.append(f"      matched by: {first['matched_by']}")
    if kind in ("added", "removed", "replaced") and first["quote"]:
        lines.append(f"      \"{first['quote']}\"")
    for row in rows:
        if row["field"]:
            line = f"      {row['field']}: {_shorten(row['before'])} -> {_shorten(row['after'])}"
            if kind == "changed" and row["reason"]:
                line += f"  (why: {row['reason']})"
            lines.append(line)
    if kind != "changed" and first["reason"]:
        lines.append(f"      why: {first['reason']}")
    return lines


def as_text(changes: pl.DataFrame, old_label: str, new_label: str) -> str:
    """Return the changes as a summary for people: counts per resource, then every row."""
    lines = [f"Changes from {old_label} to {new_label}"]
    if not changes.height:
        return "\n".join([*lines, "  no rows added, removed or changed"]) + "\n"
    counts = change_counts(changes)
    resources = list(dict.fromkeys(counts["resource"].to_list()))
    width = max(len(r) for r in resources)
    lines += [f"  {resource:<{width}}  {counts_sentence(counts, resource)}" for resource in resources]
    for resource in resources:
        part = changes.filter(pl.col("resource") == resource)
        lines += ["", resource]
        fields = part.filter(pl.col("kind").str.starts_with("field_"))
        for kind, field in fields.select("kind", "field").iter_rows():
            lines.append(f"  {'+' if kind == 'field_added' else '-'} field    {field}")
        rows = part.filter(~pl.col("kind").str.starts_with("field_")).to_dicts()
        groups: dict[tuple[str, str], list[dict]] = {}
        for row in rows:
            groups.setdefault((row["kind"], row["row_id"]), []).append(row)
        for group in groups.values():
            lines += _row_lines(group)
    return "\n".join(lines) + "\n"


def as_csv(changes: pl.DataFrame) -> bytes:
    """Return the changes as UTF-8 CSV (the frame's columns, `\\n` line ends)."""
    buffer = io.BytesIO()
    changes.write_csv(buffer, line_terminator="\n")
    return buffer.getvalue()


def as_json(changes: pl.DataFrame, old_label: str, new_label: str) -> str:
    """Return {old, new, counts, changes} as indented JSON."""
    document = {
        "old": old_label,
        "new": new_label,
        "counts": change_counts(changes).to_dicts() if changes.height else [],
        "changes": changes.to_dicts(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render(changes: pl.DataFrame, old_label: str, new_label: str, fmt: str = "text") -> str:
    """Return the changes in one of FORMATS."""
    if fmt == "text":
        return as_text(changes, old_label, new_label)
    if fmt == "csv":
        return as_csv(changes).decode("utf-8")
    if fmt == "json":
        return as_json(changes, old_label, new_label)
    raise ValueError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
