"""The curation record (`curation/`): why rows were added, corrected or turned down, read into
lookups that the diff uses to give each change its reason.

- `rejected.tsv`: a page (its URL) or one lead (`file:line`) that must not become a row, the
  date and the reason (no header);
- `added.tsv`: the row each lead became (`lead`, resource, row id; no header);
- `overrides.jsonl`: a correction of one lead (`set`: the lead's fields set) and `why`.

A lead's field is named as in the lead files; `LEAD_FIELD_COLUMNS` maps the few that the row
names otherwise.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from scamstats.paths import REPO_DIR

CURATION_DIR = REPO_DIR / "curation"

LEAD_FIELD_COLUMNS = {
    "province": "province_code",
    "detained_qualifier": "persons_detained_qualifier",
    "rescued_qualifier": "persons_rescued_qualifier",
    "compound_name": "compound_id",
}


@dataclass(frozen=True)
class Override:
    """One correction of a lead: the lead's fields it set, and why."""

    fields: tuple[str, ...]
    why: str

    def touches(self, column: str) -> bool:
        """Whether the correction set this row column (directly or under the lead's name)."""
        return any(name == column or LEAD_FIELD_COLUMNS.get(name) == column for name in self.fields)


@dataclass(frozen=True)
class CurationRecord:
    """Lookups over the curation record; empty when there is none."""

    rejected: dict[str, str] = field(default_factory=dict)
    leads_of_row: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    overrides: dict[str, tuple[Override, ...]] = field(default_factory=dict)

    def rejection(self, resource: str, row_id: str, url: str | None) -> str | None:
        """Return why a row was turned down: its page's rejection (by URL) or one of its
        leads' (by `file:line`), or None when the record says nothing."""
        reasons = []
        for key in ([url, url.rstrip("/")] if url else []) + list(self.leads_of_row.get((resource, row_id), ())):
            reason = self.rejected.get(key)
            if reason and reason not in reasons:
                reasons.append(reason)
        return "; ".join(reasons) or None

    def corrections(self, resource: str, row_id: str, column: str | None = None) -> str | None:
        """Return the reasons of the overrides of a row's leads (only those that set `column`,
        when given), or None."""
        reasons = []
        for lead in self.leads_of_row.get((resource, row_id), ()):
            for override in self.overrides.get(lead, ()):
                if (column is None or override.touches(column)) and override.why not in reasons:
                    reasons.append(override.why)
        return "; ".join(reasons) or None


def _tsv_rows(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


def read_curation_record(folder: Path | None = CURATION_DIR) -> CurationRecord:
    """Return the lookups of the curation record in `folder` (empty when there is none)."""
    if folder is None or not Path(folder).is_dir():
        return CurationRecord()
    folder = Path(folder)
    rejected: dict[str, str] = {}
    for row in _tsv_rows(folder / "rejected.tsv"):
        if len(row) >= 3 and row[0]:
            rejected[row[0]] = f"{rejected[row[0]]}; {row[2]}" if row[0] in rejected else row[2]
    leads: dict[tuple[str, str], list[str]] = {}
    for row in _tsv_rows(folder / "added.tsv"):
        if len(row) >= 3:
            leads.setdefault((row[1], row[2]), []).append(row[0])
    overrides: dict[str, list[Override]] = {}
    path = folder / "overrides.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines() if path.is_file() else []:
        try:
            record = json.loads(line)
            overrides.setdefault(record["lead"], []).append(
                Override(tuple(sorted(record.get("set", {}))), str(record.get("why", ""))))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # a line that is not an override is no reason for anything
    return CurationRecord(
        rejected, {key: tuple(value) for key, value in leads.items()},
        {key: tuple(value) for key, value in overrides.items()},
    )
