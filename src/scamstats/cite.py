"""Citation text for the data package and for one figure: plain text and BibTeX, with the
package version and the hashes that pin exactly which data were used."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from scamstats import figures
from scamstats.package import Package

AUTHOR = "scamstats contributors"
DEFAULT_HOMEPAGE = "https://github.com/scamstats/scamstats"


def descriptor_sha256(package: Package) -> str:
    """Return the sha256 of the package's `datapackage.json` as stored (it lists every data
    file's own sha256, so it pins the whole package)."""
    return hashlib.sha256(package.descriptor_location.read_bytes()).hexdigest()


def release_year(package: Package) -> str:
    """Return the year of the package's `created` date (empty when it has none)."""
    created = str(package.descriptor.get("created", ""))
    return created[:4] if re.match(r"^\d{4}", created) else ""


def _facts(package: Package) -> dict:
    descriptor = package.descriptor
    return {
        "title": descriptor.get("title", descriptor.get("name", "")),
        "name": descriptor.get("name", ""),
        "version": package.version,
        "year": release_year(package),
        "url": descriptor.get("homepage", DEFAULT_HOMEPAGE),
        "hash": descriptor_sha256(package),
    }


def package_citation(package: Package) -> str:
    """Return the plain-text citation of the data package."""
    f = _facts(package)
    return (
        f"{AUTHOR} ({f['year']}). {f['title']} (data package {f['name']}, version {f['version']}; "
        f"datapackage.json sha256 {f['hash'][:12]}). {f['url']}"
    )


def figure_citation(package: Package, figure_id: str) -> str:
    """Return the plain-text citation of one figure, naming the package version it was built from."""
    spec = figures.get(figure_id)
    f = _facts(package)
    return (
        f"{AUTHOR} ({f['year']}). \"{spec.title}\" [figure {spec.id}]. In: {f['title']} "
        f"(data package {f['name']}, version {f['version']}; datapackage.json sha256 {f['hash'][:12]}). "
        f"{f['url']}"
    )


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _bibtex_key(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", "_".join(p for p in parts if p)).strip("_")


def package_bibtex(package: Package) -> str:
    """Return a BibTeX @dataset entry for the data package."""
    f = _facts(package)
    key = _bibtex_key("scamstats", f["version"])
    return (
        f"@dataset{{{key},\n"
        f"  author  = {{{{{AUTHOR}}}}},\n"
        f"  title   = {{{{{_bibtex_escape(f['title'])}}}}},\n"
        f"  year    = {{{f['year']}}},\n"
        f"  version = {{{f['version']}}},\n"
        f"  url     = {{{f['url']}}},\n"
        f"  note    = {{Data package {_bibtex_escape(f['name'])}; datapackage.json sha256 {f['hash']}}}\n"
        f"}}"
    )


def figure_bibtex(package: Package, figure_id: str, figure_sha256: dict[str, str] | None = None) -> str:
    """Return a BibTeX @misc entry for one figure (with its files' sha256 when given)."""
    spec = figures.get(figure_id)
    f = _facts(package)
    key = _bibtex_key("scamstats", f["version"], spec.id)
    hashes = "; ".join(f"{kind} sha256 {digest}" for kind, digest in sorted((figure_sha256 or {}).items()))
    note = f"Figure {spec.id} from data package {f['name']} version {f['version']}; datapackage.json sha256 {f['hash']}"
    if hashes:
        note += f"; {hashes}"
    return (
        f"@misc{{{key},\n"
        f"  author       = {{{{{AUTHOR}}}}},\n"
        f"  title        = {{{{{_bibtex_escape(spec.title)}}}}},\n"
        f"  howpublished = {{In: {_bibtex_escape(f['title'])}}},\n"
        f"  year         = {{{f['year']}}},\n"
        f"  version      = {{{f['version']}}},\n"
        f"  url          = {{{f['url']}}},\n"
        f"  note         = {{{_bibtex_escape(note)}}}\n"
        f"}}"
    )


def built_figure_hashes(package: Package, figure_id: str, figures_dir: Path) -> dict[str, str] | None:
    """Return {format: sha256} of a figure's files from a manifest built from this very
    package, or None when there is no such manifest."""
    path = Path(figures_dir) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest["package"]["descriptor_sha256"] != descriptor_sha256(package):
            return None
        entry = next(f for f in manifest["figures"] if f["id"] == figure_id)
        return {fmt: record["sha256"] for fmt, record in entry["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None


def citation(package: Package, figure_id: str | None = None, style: str = "plain",
             figure_sha256: dict[str, str] | None = None) -> str:
    """Return the citation of the package (or of one figure) in 'plain', 'bibtex' or 'both'."""
    if style not in ("plain", "bibtex", "both"):
        raise ValueError(f"unknown citation style {style!r}: use plain, bibtex or both")
    plain = figure_citation(package, figure_id) if figure_id else package_citation(package)
    bibtex = figure_bibtex(package, figure_id, figure_sha256) if figure_id else package_bibtex(package)
    if style == "plain":
        return plain
    if style == "bibtex":
        return bibtex
    return f"{plain}\n\n{bibtex}"


# ------------------------------------------------------------------------------------------
# A filtered view (added for the dashboard)


def view_citation(package: Package, view: str, filters: dict[str, str], accessed: str,
                  link: str = "") -> str:
    """Return the plain-text citation of a filtered view: the package, the view, its filters
    ('name: value'), the date it was accessed (ISO 8601) and, when given, the link that
    restores it."""
    f = _facts(package)
    shown = "; ".join(f"{name}: {value}" for name, value in filters.items()) or "none"
    text = (
        f"{AUTHOR} ({f['year']}). \"{view}\" [dashboard view; filters: {shown}]. In: {f['title']} "
        f"(data package {f['name']}, version {f['version']}; datapackage.json sha256 {f['hash'][:12]}). "
        f"Accessed {accessed}. {f['url']}"
    )
    return f"{text} View: {link}" if link else text
