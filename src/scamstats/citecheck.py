"""Is a citation still current? For each figure cited from an older release, whether the data
behind it changed since, and how.

What was cited is read from a figure manifest (`manifest.json`, in a release's `figures/`), a
release zip, or a citation text as `scamstats cite` prints it (plain or BibTeX; the figure id,
`datapackage.json sha256 …` and, in BibTeX built beside the figures, `csv sha256 …`).

A figure is *current* when the CSV of its plotted data, rendered now from the current package,
has the sha256 the citation recorded. When the citation has no CSV hash, the figure is rendered
from the cited package, if it can be found, to get one. The cited package is found, in order:
given (`old`), the release the manifest belongs to, or the git commit of this repository whose
`datapackage.json` has the cited sha256. When the data changed and the cited package is there,
the check says how: plotted rows added and removed, and the diff of the rows behind the figure
(rows of the tables its data depend on that cite its sources); else "plotted data changed".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from scamstats import cite, diff, diff_report, figures, versions
from scamstats.curation_record import CurationRecord
from scamstats.export import csv_bytes
from scamstats.package import Package

FIGURE_ID = re.compile(r"\[figure ([a-z0-9][a-z0-9-]*)\]|Figure ([a-z0-9][a-z0-9-]*) from data package")
DESCRIPTOR_HASH = re.compile(r"datapackage\.json sha256 ([0-9a-f]{12,64})")
CSV_HASH = re.compile(r"csv sha256 ([0-9a-f]{64})")
LISTED_ROWS = 5  # rows behind a changed figure named one by one, up to this many
NO_HASH = "the package changed and the citation has no plotted-data hash; pass the cited release with --old"
SAME_ROWS = ("the cited package gives the same data now: the figure is computed differently in this "
             "version of scamstats")


class UnreadableCitation(Exception):
    """The file is no manifest, release zip or citation that names a figure or the package."""


@dataclass(frozen=True)
class Cited:
    """One thing cited: a figure (or, with no id, the package) and the hashes the citation holds."""

    figure_id: str | None
    descriptor_sha256: str | None = None
    csv_sha256: str | None = None


@dataclass(frozen=True)
class Citations:
    """What a file cites, and where the cited package can be read when the file says so."""

    cited: list[Cited]
    package_spec: str | None = None


@dataclass
class Check:
    """The verdict on one cited figure: 'current', 'changed' or 'unknown', and how."""

    figure_id: str | None
    status: str
    details: list[str] = field(default_factory=list)

    def line(self) -> str:
        name = self.figure_id or "the package"
        return f"{name}: {self.status}" + (" - " + "; ".join(self.details) if self.details else "")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------------------
# Reading what was cited


def from_manifest(manifest: dict) -> list[Cited]:
    """Return the figures of a figure manifest with their package and CSV hashes."""
    try:
        descriptor = manifest["package"]["descriptor_sha256"]
        return [Cited(entry["id"], descriptor, entry.get("files", {}).get("csv", {}).get("sha256"))
                for entry in manifest["figures"]]
    except (KeyError, TypeError):
        raise UnreadableCitation("not a scamstats figure manifest") from None


def from_text(text: str) -> list[Cited]:
    """Return what a citation text cites: one entry per figure id (or the package), with the
    longest package hash and the CSV hash found in the same paragraph or BibTeX entry."""
    found: dict[str | None, Cited] = {}
    for block in re.split(r"\n\s*\n|(?=^@)", text.replace("\\_", "_"), flags=re.MULTILINE):
        descriptor = max(DESCRIPTOR_HASH.findall(block), key=len, default=None)
        if descriptor is None:
            continue
        ids = {a or b for a, b in FIGURE_ID.findall(block)} or {None}
        csv_hash = next(iter(CSV_HASH.findall(block)), None)
        for figure_id in sorted(ids, key=lambda i: i or ""):
            before = found.get(figure_id, Cited(figure_id))
            found[figure_id] = Cited(
                figure_id, max([h for h in (before.descriptor_sha256, descriptor) if h], key=len),
                before.csv_sha256 or csv_hash)
    if not found:
        raise UnreadableCitation("no figure id with a datapackage.json sha256 in it")
    return list(found.values())


def read_citations(path: Path) -> Citations:
    """Return what a manifest, a release zip or a citation file cites."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableCitation(f"{path}: no such file")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = sorted(n for n in archive.namelist() if n.endswith("figures/manifest.json"))
            if not names:
                raise UnreadableCitation(f"{path}: no figures/manifest.json in the zip")
            return Citations(from_manifest(json.loads(archive.read(names[0]))), str(path))
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        document = json.loads(text)
    except ValueError:
        return Citations(from_text(text))
    release_dir = path.resolve().parent.parent
    spec = str(release_dir) if (release_dir / "datapackage.json").is_file() else None
    return Citations(from_manifest(document), spec)


# ------------------------------------------------------------------------------------------
# Checking


def plotted_csv(figure_id: str, package: Package) -> bytes:
    """Return the CSV of a figure's plotted data, as the figure build writes it."""
    return csv_bytes(figures.render(figure_id, package).data)


@contextlib.contextmanager
def cited_package(citations: Citations, old: str | None = None) -> Iterator[versions.Version | None]:
    """Yield the cited package when it can be read (module docstring), else None."""
    spec = old or citations.package_spec
    if spec is None:
        hashes = sorted({c.descriptor_sha256 for c in citations.cited if c.descriptor_sha256}, key=len)
        commit = next((c for c in (versions.revision_with_descriptor(h) for h in reversed(hashes)) if c), None)
        spec = commit
    if spec is None:
        yield None
        return
    with versions.opened(spec) as version:
        yield version


def _plotted_or_none(figure_id: str, package: Package | None) -> bytes | None:
    """The plotted CSV of a figure from an older package, or None when there is no package or
    today's code cannot draw the figure from it (an older schema)."""
    if package is None:
        return None
    try:
        return plotted_csv(figure_id, package)
    except Exception:  # noqa: BLE001 -- any failure means only: no plotted data to compare with
        return None


def _plotted_rows(old_csv: bytes, new_csv: bytes) -> str:
    before, after = old_csv.decode().splitlines()[1:], new_csv.decode().splitlines()[1:]
    added, removed = len(set(after) - set(before)), len(set(before) - set(after))
    return f"plotted rows: {added} new or changed, {removed} gone or changed (of {len(after)} now)"


def resources_read(figure_id: str, package: Package) -> set[str]:
    """Return the resources a figure's plotted data depend on: those whose emptying changes the
    data (or stops the figure from being drawn)."""
    plotted = plotted_csv(figure_id, package)
    read = set()
    for name, frame in package.tables.items():
        if _plotted_or_none(figure_id, package.with_tables(**{name: frame.clear()})) != plotted:
            read.add(name)
    return read


def _rows_behind(changes, source_ids: set[str], resources: set[str]) -> str:
    behind = diff.rows_behind(changes, source_ids, resources)
    if not behind.height:
        return "no row citing its sources changed"
    counts = diff.change_counts(behind)
    summary = "rows behind it: " + "; ".join(
        f"{resource} {diff_report.counts_sentence(counts, resource)}"
        for resource in dict.fromkeys(counts["resource"].to_list()))
    if behind.select("resource", "row_id").unique().height > LISTED_ROWS:
        return summary
    fields: dict[tuple[str, str], list[str]] = {}
    for row in behind.iter_rows(named=True):
        fields.setdefault((row["kind"], row["row_id"]), []).extend([row["field"]] if row["field"] else [])
    listed = [f"{kind} {row_id}" + (f" ({', '.join(names)})" if names else "")
              for (kind, row_id), names in fields.items()]
    return f"{summary}: {'; '.join(listed)}"


def check_figure(cited: Cited, current: Package, old: Package | None, changes) -> Check:
    """Return the verdict on one cited figure against the current package."""
    if cited.figure_id not in figures.figure_ids():
        return Check(cited.figure_id, "changed", ["this version of scamstats has no such figure"])
    now = plotted_csv(cited.figure_id, current)
    then = _plotted_or_none(cited.figure_id, old)
    recorded = cited.csv_sha256 or (sha256(then) if then is not None else None)
    if recorded is None:
        if cited.descriptor_sha256 and cite.descriptor_sha256(current).startswith(cited.descriptor_sha256):
            return Check(cited.figure_id, "current", ["same package (datapackage.json sha256)"])
        return Check(cited.figure_id, "unknown", [NO_HASH])
    if recorded == sha256(now):
        return Check(cited.figure_id, "current", [f"plotted data sha256 {recorded[:12]}"])
    if old is None or then is None:
        return Check(cited.figure_id, "changed", ["plotted data changed"])
    if then == now:
        return Check(cited.figure_id, "changed", ["plotted data changed", SAME_ROWS])
    details = ["plotted data changed", _plotted_rows(then, now)]
    sources = set(figures.render(cited.figure_id, old).source_ids) | set(figures.render(cited.figure_id, current).source_ids)
    resources = resources_read(cited.figure_id, old) | resources_read(cited.figure_id, current)
    details.append(_rows_behind(changes, sources, resources))
    return Check(cited.figure_id, "changed", details)


def check_package(cited: Cited, current: Package, changes) -> Check:
    """Return the verdict on a citation of the whole package."""
    if cited.descriptor_sha256 and cite.descriptor_sha256(current).startswith(cited.descriptor_sha256):
        return Check(None, "current", ["same datapackage.json sha256"])
    if changes is None:
        return Check(None, "changed", ["datapackage.json sha256 differs"])
    counts = diff.change_counts(changes) if changes.height else None
    if counts is None:
        return Check(None, "changed", ["datapackage.json changed, no row did"])
    return Check(None, "changed", [f"{r} {diff_report.counts_sentence(counts, r)}"
                                   for r in dict.fromkeys(counts["resource"].to_list())])


def check_citations(citations: Citations, current: Package, old: str | None = None,
                    record: CurationRecord | None = None) -> list[Check]:
    """Return a verdict per cited figure (and for the package, when it is cited alone)."""
    with cited_package(citations, old) as version:
        old_package = version.package if version else None
        changes = diff.diff_packages(old_package, current, record) if old_package else None
        return [check_package(c, current, changes) if c.figure_id is None
                else check_figure(c, current, old_package, changes) for c in citations.cited]
