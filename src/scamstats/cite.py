"""Citation text for the data package and for one figure: plain text and BibTeX, with the
package version and the hashes that pin exactly which data were used; the public base URL of
dashboard views.

`scamstats.figures` is imported where a figure is cited, not at the top: serving the dashboard
(`scamstats dashboard`, which checks the base URL here) does not need plotly loaded."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from scamstats.package import Package, descriptor_path

AUTHOR = "scamstats contributors"
DEFAULT_HOMEPAGE = "https://github.com/scamstats/scamstats"
# Where a reader follows a view link: set by `scamstats dashboard --base-url URL` (which
# passes it to the server in this variable) or by the environment; else the homepage.
BASE_URL_VARIABLE = "SCAMSTATS_BASE_URL"


def descriptor_sha256(package: Package) -> str:
    """Return the sha256 of the package's `datapackage.json` as stored (it lists every data
    file's own sha256, so it pins the whole package)."""
    return hashlib.sha256(package.descriptor_location.read_bytes()).hexdigest()


def file_sha256(package_dir: Path) -> str:
    """Return the sha256 of a package folder's `datapackage.json` (cheap: one small file)."""
    return hashlib.sha256(descriptor_path(Path(package_dir)).read_bytes()).hexdigest()


def release_year(package: Package) -> str:
    """Return the year of the package's `created` date (empty when it has none)."""
    created = str(package.descriptor.get("created", ""))
    return created[:4] if re.match(r"^\d{4}", created) else ""


def homepage(package: Package) -> str:
    """Return the package's public homepage (from the descriptor; the project's by default)."""
    return str(package.descriptor.get("homepage") or DEFAULT_HOMEPAGE)


class NotPublic(ValueError):
    """A base URL a reader elsewhere could not open (not http(s), or this machine)."""


def check_base_url(url: str) -> str:
    """Return `url` without a trailing query or fragment; raise NotPublic when it is not an
    http(s) address that a reader on another machine could open (localhost, loopback,
    unspecified or link-local addresses)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise NotPublic(f"base URL {url!r} is not an http(s) address")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if host == "localhost" or host.endswith(".localhost") or (
            address is not None and (address.is_loopback or address.is_unspecified or address.is_link_local)):
        raise NotPublic(f"base URL {url!r} points at this machine: a reader elsewhere cannot open it")
    return parts._replace(query="", fragment="").geturl()


def base_url(package: Package) -> str:
    """Return the public address view links start with: SCAMSTATS_BASE_URL when it is set
    (and public), else the package's homepage. The one place it is decided."""
    chosen = os.environ.get(BASE_URL_VARIABLE, "").strip()
    if chosen:
        try:
            return check_base_url(chosen)
        except NotPublic:
            pass  # never a link to this machine: fall back to the homepage
    return homepage(package)


def view_link(package: Package, query: str) -> str:
    """Return the public link of a dashboard view: the base URL and the view's query."""
    return f"{base_url(package)}?{query}" if query else base_url(package)


def _facts(package: Package, digest: str | None = None) -> dict:
    descriptor = package.descriptor
    return {
        "title": descriptor.get("title", descriptor.get("name", "")),
        "name": descriptor.get("name", ""),
        "version": package.version,
        "year": release_year(package),
        "url": homepage(package),
        "hash": digest or descriptor_sha256(package),
    }


def package_citation(package: Package, digest: str | None = None) -> str:
    """Return the plain-text citation of the data package (`digest`: the descriptor's sha256
    when the caller has it, as the dashboard has for the version it shows)."""
    f = _facts(package, digest)
    return (
        f"{AUTHOR} ({f['year']}). {f['title']} (data package {f['name']}, version {f['version']}; "
        f"datapackage.json sha256 {f['hash'][:12]}). {f['url']}"
    )


def figure_citation(package: Package, figure_id: str, digest: str | None = None) -> str:
    """Return the plain-text citation of one figure, naming the package version it was built from."""
    from scamstats import figures

    spec = figures.get(figure_id)
    f = _facts(package, digest)
    return (
        f"{AUTHOR} ({f['year']}). \"{spec.title}\" [figure {spec.id}]. In: {f['title']} "
        f"(data package {f['name']}, version {f['version']}; datapackage.json sha256 {f['hash'][:12]}). "
        f"{f['url']}"
    )


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _bibtex_key(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", "_".join(p for p in parts if p)).strip("_")


def package_bibtex(package: Package, digest: str | None = None) -> str:
    """Return a BibTeX @dataset entry for the data package."""
    f = _facts(package, digest)
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


def figure_bibtex(package: Package, figure_id: str, figure_sha256: dict[str, str] | None = None,
                 digest: str | None = None) -> str:
    """Return a BibTeX @misc entry for one figure (with its files' sha256 when given)."""
    from scamstats import figures

    spec = figures.get(figure_id)
    f = _facts(package, digest)
    key = _bibtex_key("scamstats", f["version"], spec.id)
    hashes = "; ".join(f"{kind} sha256 {sha}" for kind, sha in sorted((figure_sha256 or {}).items()))
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
             figure_sha256: dict[str, str] | None = None, digest: str | None = None) -> str:
    """Return the citation of the package (or of one figure) in 'plain', 'bibtex' or 'both'."""
    if style not in ("plain", "bibtex", "both"):
        raise ValueError(f"unknown citation style {style!r}: use plain, bibtex or both")
    plain = figure_citation(package, figure_id, digest) if figure_id else package_citation(package, digest)
    bibtex = figure_bibtex(package, figure_id, figure_sha256, digest) if figure_id else package_bibtex(package, digest)
    if style == "plain":
        return plain
    if style == "bibtex":
        return bibtex
    return f"{plain}\n\n{bibtex}"


# ------------------------------------------------------------------------------------------
# A filtered view (added for the dashboard)


def view_citation(package: Package, view: str, filters: dict[str, str], accessed: str,
                  link: str = "", digest: str | None = None) -> str:
    """Return the plain-text citation of a filtered view: the package, the view, its filters
    ('name: value'), the date it was accessed (ISO 8601) and, when given, the link that
    restores it (`view_link`: public, never this machine's address)."""
    f = _facts(package, digest)
    shown = "; ".join(f"{name}: {value}" for name, value in filters.items()) or "none"
    text = (
        f"{AUTHOR} ({f['year']}). \"{view}\" [dashboard view; filters: {shown}]. In: {f['title']} "
        f"(data package {f['name']}, version {f['version']}; datapackage.json sha256 {f['hash'][:12]}). "
        f"Accessed {accessed}. {f['url']}"
    )
    return f"{text} View: {link}" if link else text


# ------------------------------------------------------------------------------------------
# Which figures cite a row (for the dashboard's quote search)

# The columns of a figure's data that name the rows it draws.
ROW_ID_COLUMNS = ("observation_id", "observation_ids", "row_ids", "event_id", "group_id", "compound_id", "raid_id")
# The resource a figure whose data name no rows draws from, by the start of its id.
FIGURE_RESOURCES = (("raids-", "raids"), ("compounds-", "compounds"), ("share-of-women", "arrests"))


def figure_rows(package: Package) -> dict[str, dict]:
    """Return, for every registry figure, its title and the ids of the rows it cites: those its
    data name, or, for a figure whose data are counts without row ids (raids per month...),
    every row of the resource it draws whose source it cites."""
    from scamstats import figures

    ids = {"raids": "raid_id", "compounds": "compound_id", "arrests": "observation_id"}
    cited = {}
    for figure_id in figures.figure_ids():
        rendered = figures.render(figure_id, package)
        rows: set[str] = set()
        for column in ROW_ID_COLUMNS:
            if column in rendered.data.columns:
                values = rendered.data[column]
                rows.update((values.explode() if values.dtype.is_nested() else values).drop_nulls().to_list())
        if not rows:
            resource = next((name for prefix, name in FIGURE_RESOURCES if figure_id.startswith(prefix)), None)
            frame = package.tables.get(resource) if resource else None
            if frame is not None and frame.height:
                cites = frame["source_id"].is_in(rendered.source_ids)
                if "sex" in frame.columns and figure_id == "share-of-women":
                    cites = cites & frame["sex"].is_not_null()
                rows.update(frame.filter(cites)[ids[resource]].to_list())
        cited[figure_id] = {"title": rendered.spec.title, "rows": rows}
    return cited
